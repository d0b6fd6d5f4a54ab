"""Writes about people: accounts, memberships and API tokens (each in one transaction, audited)."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from prongsai_web.accounts.models import ApiToken, Membership, Role, Scope
from prongsai_web.audit.services import record
from prongsai_web.directory.models import Agency


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def add_user(
    username: str,
    password: str,
    role: str,
    *,
    agency: Agency | None = None,
    province: str = "",
    department: str = "",
    actor: User | AnonymousUser | None = None,
) -> User:
    """A user with one membership: an agency for a clerk or executive, else a province, a department
    or (nothing given) the whole country. Command-line callers have no actor (the system)."""
    if role not in Role.values:
        raise ValueError(f"role must be one of {', '.join(Role.values)}")
    if agency is not None:
        scope = Scope.AGENCY
    elif province:
        scope = Scope.PROVINCE
    elif department:
        scope = Scope.DEPARTMENT
    else:
        scope = Scope.NATIONAL
    if role in (Role.CLERK, Role.EXECUTIVE) and scope != Scope.AGENCY:
        raise ValueError("a clerk or an executive belongs to one agency (--agency)")
    user = get_user_model().objects.create_user(username=username, password=password)
    membership = Membership.objects.create(
        user=user, role=role, scope=scope, agency=agency, province=province, department=department
    )
    record(actor, "user.added", agency=agency, target=user, username=username, role=role, scope=scope)
    record(actor, "membership.granted", agency=agency, target=membership, role=role, scope=scope)
    return user


@transaction.atomic
def issue_token(user: User) -> str:
    """A new API token for ``user``; only its digest is stored."""
    token = secrets.token_urlsafe(32)
    made = ApiToken.objects.create(user=user, digest=token_digest(token))
    record(user, "api_token.issued", target=made)
    return token


def user_of_token(token: str) -> User | None:
    found = ApiToken.objects.select_related("user").filter(digest=token_digest(token)).first()
    if found is None or not found.user.is_active:
        return None
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found.user


@transaction.atomic
def set_password(user: User, password: str, *, actor: User | AnonymousUser | None = None) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor, "user.password_set", target=user)
