"""Sign-in events in the audit log, from Django's auth signals (docs/web-staff.md).

``auth.login`` and ``auth.logout`` name the user; ``auth.login_failed`` the user name that was tried
(never the password: Django has already masked it, and only ``username`` is read). Each records the
client's address and the path (the login page, or the API's token endpoint). A login made inside the
process rather than by a client (Django's test client ``force_login``/``login``, a shell) has no
request from an address and is not recorded. A refusal during the pause after repeated failures
(ui/login.py) is recorded as ``auth.login_throttled`` when the sender passes ``throttled=True``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.http import HttpRequest

from prongsai_web.audit.services import record

USERNAME_MAX = 150  # what a failed attempt keeps of the name typed


def _from_client(request: HttpRequest | None) -> bool:
    return request is not None and "REMOTE_ADDR" in request.META


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if _from_client(request):
        assert request is not None
        with transaction.atomic():
            record(
                user,
                "auth.login",
                target=user,
                username=user.username,
                address=_address(request),
                path=request.path,
            )


def logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if _from_client(request) and isinstance(user, User):
        assert request is not None
        with transaction.atomic():
            record(
                user,
                "auth.logout",
                target=user,
                username=user.username,
                address=_address(request),
                path=request.path,
            )


def login_failed(
    sender: Any,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    throttled: bool = False,
    **kwargs: Any,
) -> None:
    if not _from_client(request):
        return
    assert request is not None
    tried = str(credentials.get("username") or "")[:USERNAME_MAX]
    action = "auth.login_throttled" if throttled else "auth.login_failed"
    with transaction.atomic():
        record(None, action, username=tried, address=_address(request), path=request.path)


def connect() -> None:
    """Called once from the app's ready(); the uids keep a second call from recording twice."""
    user_logged_in.connect(logged_in, dispatch_uid="staff.audit.login")
    user_logged_out.connect(logged_out, dispatch_uid="staff.audit.logout")
    user_login_failed.connect(login_failed, dispatch_uid="staff.audit.login_failed")
