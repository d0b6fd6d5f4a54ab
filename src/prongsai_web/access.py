"""Who may see and do what: the one place that decides (docs/web.md).

A user's memberships each give a role over a scope (an agency, a province, a department, the whole
country). ``agencies(user, action)`` is the queryset algebra every read goes through; ``can`` asks it
about one agency; ``agency_for`` turns the answer into the HTTP rule: out of scope is 404 (an agency
the user may not see does not exist for them), in scope without the right is 403.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from prongsai_web.accounts.models import Membership, Role, Scope
from prongsai_web.directory.models import Agency


class Action(enum.StrEnum):
    VIEW = "view"  # the agency's results, analysis, plan
    EDIT = "edit"  # upload results, edit the plan
    APPROVE = "approve"  # approve (sign) a plan version
    ADMIN = "admin"  # agencies, users, roles
    BULK_UPLOAD = "bulk_upload"  # a SCORES file of many agencies, previewed then confirmed


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.CLERK: frozenset({Action.VIEW, Action.EDIT}),
    Role.EXECUTIVE: frozenset({Action.VIEW, Action.APPROVE}),
    Role.OVERSEER: frozenset({Action.VIEW, Action.BULK_UPLOAD}),
    Role.ADMIN: frozenset(Action),
}

Person = User | AnonymousUser  # a request's user, signed in or not
MEMO = "_prongsai_memberships"  # on a request's user: its memberships, read once per request


def memberships(user: Person) -> list[Membership]:
    """The user's memberships: read once per request for a request's user (MembershipsOnce marks
    it), from the database on every call otherwise (a service's caller, a test)."""
    memo: dict[str, list[Membership]] | None = getattr(user, MEMO, None)
    if memo is None:
        return list(Membership.objects.filter(user_id=user.pk or 0))
    if "rows" not in memo:
        memo["rows"] = list(Membership.objects.filter(user_id=user.pk or 0))
    return memo["rows"]


class MembershipsOnce:
    """Middleware (after authentication): the request's user reads its memberships once, however
    many checks the page makes (access.py, the top bar's admin link)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            setattr(request.user, MEMO, {})
        return self.get_response(request)


def _scope_filter(membership: Membership) -> Q:
    if membership.scope == Scope.AGENCY:
        return Q(pk=membership.agency_id)
    if membership.scope == Scope.PROVINCE:
        return Q(province=membership.province)
    if membership.scope == Scope.DEPARTMENT:
        return Q(department=membership.department)
    return Q()  # national


def agency_filter(user: Person, action: Action = Action.VIEW) -> Q | None:
    """The agencies ``user`` may do ``action`` on, as a filter; None when none at all."""
    if not user.is_authenticated or not user.is_active:
        return None
    if getattr(user, "is_superuser", False):
        return Q()
    found: Q | None = None
    for membership in memberships(user):
        if action in ROLE_ACTIONS.get(membership.role, frozenset()):
            if membership.scope == Scope.NATIONAL:
                return Q()  # every agency: Q() | Q(x) would be Q(x), narrowing it
            part = _scope_filter(membership)
            found = part if found is None else found | part
    return found


def agencies(
    user: Person, action: Action = Action.VIEW, queryset: QuerySet[Agency] | None = None
) -> QuerySet[Agency]:
    """``queryset`` (every agency by default) restricted to what ``user`` may do ``action`` on."""
    base = Agency.objects.all() if queryset is None else queryset
    where = agency_filter(user, action)
    return base.none() if where is None else base.filter(where)


def can(user: Person, action: Action, agency: Agency) -> bool:
    return agencies(user, action).filter(pk=agency.pk).exists()


def agency_for(user: Person, agency_id: int, action: Action = Action.VIEW) -> Agency:
    """The agency if ``user`` may do ``action`` on it; Http404 when they may not even see it,
    PermissionDenied when they see it but may not do ``action``."""
    try:
        agency = agencies(user, Action.VIEW).get(pk=agency_id)
    except Agency.DoesNotExist:
        raise Http404("no such agency") from None
    if action != Action.VIEW and not can(user, action, agency):
        raise PermissionDenied(action.value)
    return agency


def check(user: Person | None, action: Action, agency: Agency) -> None:
    """For services: the same rule as agency_for on an agency already in hand. ``None`` is the
    system itself (the operator's ``prongsai web`` commands), never a request's user."""
    if user is None:
        return
    agency_for(user, agency.pk, action)
