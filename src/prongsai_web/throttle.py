"""The pause after repeated failed sign-ins: per user name and per address, the same for the login
page and for ``POST /api/token`` (``LOGIN_ATTEMPTS`` failures pause both for ``LOGIN_PAUSE_SECONDS``).
A refusal during the pause is audited as ``auth.login_throttled`` (staff/signals.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.http import HttpRequest


def _keys(request: HttpRequest | None, username: str) -> list[str]:
    address = request.META.get("REMOTE_ADDR", "-") if request is not None else "-"
    return [f"login-fail:user:{username.casefold()}", f"login-fail:addr:{address}"]


def paused(request: HttpRequest | None, username: str) -> bool:
    """Whether sign-ins as ``username`` or from the request's address are paused; a refusal for
    that reason is announced (and so audited) here."""
    if not any((cache.get(k) or 0) >= settings.LOGIN_ATTEMPTS for k in _keys(request, username)):
        return False
    user_login_failed.send(__name__, credentials={"username": username}, request=request, throttled=True)
    return True


def failed(request: HttpRequest | None, username: str) -> None:
    """Count one failed sign-in."""
    for key in _keys(request, username):
        cache.add(key, 0, settings.LOGIN_PAUSE_SECONDS)
        cache.incr(key)
