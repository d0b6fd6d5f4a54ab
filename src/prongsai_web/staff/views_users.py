"""Users and roles (national admins only): the list with search and filters, adding a user, and a
user's page (details, roles granted and revoked, deactivation, a new password). Every change is an
accounts service; a password made by the system is shown once, on a page no one caches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from prongsai_web.accounts.models import Membership, Role, Scope
from prongsai_web.accounts.services import (
    Refused,
    change_details,
    create_account,
    grant_membership,
    membership_words,
    reset_password,
    revoke_membership,
    role_words,
    set_active,
)
from prongsai_web.directory.models import Agency
from prongsai_web.messages import text
from prongsai_web.staff.forms import Errors, form_values, grant_of, new_account_of
from prongsai_web.staff.permissions import admin_only
from prongsai_web.staff.provinces import province_choices, province_name

PER_PAGE = 50
AGENCY_CHOICES_MAX = 400  # up to this many agencies, the agency field suggests them by name
ADD_FIELDS = (
    "username",
    "email",
    "first_name",
    "last_name",
    "role",
    "scope",
    "agency",
    "province",
    "department",
)
GRANT_FIELDS = ("role", "scope", "agency", "province", "department")


def said(key: str, **params: Any) -> str:
    """A confirmation in Thai, then English."""
    th, en = text(key, **params)
    return f"{th} / {en}"


@dataclass(frozen=True)
class Held:
    """A membership as the pages show it."""

    id: int
    role: str
    role_th: str
    where: str
    granted_at: Any


def _held(membership: Membership) -> Held:
    where, _ = membership_words(membership)
    return Held(membership.pk, membership.role, role_words(membership.role), where, membership.granted_at)


# each user's roles with their agencies, in the order they were granted
MEMBERSHIPS = Prefetch("memberships", queryset=Membership.objects.select_related("agency").order_by("id"))


def _matching(params: QueryDict) -> QuerySet[User]:
    """The users the list's search and filters ask for, by user name."""
    users = User.objects.order_by("username")
    query = params.get("q", "").strip()
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    role = params.get("role", "")
    if role in Role.values:
        users = users.filter(pk__in=Membership.objects.filter(role=role).values("user_id"))
    province = province_name(params.get("province", ""))
    if province:
        where = Q(province=province) | Q(agency__province=province)
        users = users.filter(pk__in=Membership.objects.filter(where).values("user_id"))
    state = params.get("active", "")
    if state in ("1", "0"):
        users = users.filter(is_active=state == "1")
    return users


def _without_page(params: QueryDict) -> str:
    kept = params.copy()
    kept.pop("page", None)
    return kept.urlencode()


@admin_only
@require_GET
def users(request: HttpRequest) -> HttpResponse:
    page = Paginator(_matching(request.GET).prefetch_related(MEMBERSHIPS), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [{"user": u, "held": [_held(m) for m in u.memberships.all()]} for u in page]
    context = {
        "page": page,
        "rows": rows,
        "roles": Role.choices,
        "provinces": province_choices(),
        "chosen": {k: request.GET.get(k, "") for k in ("q", "role", "province", "active")},
        "query": _without_page(request.GET),
        "tab": "users",
    }
    return render(request, "staff/users.html", context)


def _agency_choices() -> list[Agency]:
    """The agencies the agency field suggests; none when there are too many to list."""
    found = list(Agency.objects.order_by("province", "name", "id")[: AGENCY_CHOICES_MAX + 1])
    return found if len(found) <= AGENCY_CHOICES_MAX else []


def _form_context(values: dict[str, str], errors: Errors) -> dict[str, Any]:
    return {
        "values": values,
        "errors": errors,
        "general": errors.get("", []),
        "roles": Role.choices,
        "scopes": Scope.choices,
        "provinces": province_choices(),
        "agency_choices": _agency_choices(),
        "tab": "users",
    }


def _password_once(request: HttpRequest, user: User, password: str, *, new: bool) -> HttpResponse:
    response = render(request, "staff/password_once.html", {"target": user, "password": password, "new": new})
    add_never_cache_headers(response)
    return response


@admin_only
@require_http_methods(["GET", "POST"])
def user_add(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        values = {
            "scope": Scope.AGENCY,
            **{k: request.GET.get(k, "") for k in ("agency", "role") if k in request.GET},
        }
        return render(request, "staff/user_add.html", _form_context(values, {}))
    try:
        user, password = create_account(request.user, new_account_of(request.POST))
    except Refused as refused:
        context = _form_context(form_values(request.POST, ADD_FIELDS), refused.by_field())
        return render(request, "staff/user_add.html", context, status=400)
    if request.POST.get("password"):
        messages.success(request, said("staff_done_user_added", username=user.username))
        return redirect("staff_user", user_id=user.pk)
    return _password_once(request, user, password, new=True)


def _user_page(
    request: HttpRequest,
    target: User,
    *,
    errors: Errors | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    held = [_held(m) for m in target.memberships.select_related("agency").order_by("id")]
    context = {
        **_form_context(values or {"scope": Scope.AGENCY}, errors or {}),
        "target": target,
        "held": held,
        "is_self": target.pk == request.user.pk,
    }
    return render(request, "staff/user.html", context, status=status)


@admin_only
@require_GET
def user_page(request: HttpRequest, user_id: int) -> HttpResponse:
    return _user_page(request, get_object_or_404(User, pk=user_id))


@admin_only
@require_POST
def user_details(request: HttpRequest, user_id: int) -> HttpResponse:
    target = get_object_or_404(User, pk=user_id)
    try:
        changed = change_details(
            request.user,
            target,
            email=request.POST.get("email", ""),
            first_name=request.POST.get("first_name", ""),
            last_name=request.POST.get("last_name", ""),
        )
    except Refused as refused:
        return _user_page(request, target, errors=refused.by_field(), status=400)
    key = "staff_done_details" if changed else "staff_done_nothing"
    messages.success(request, said(key, username=target.username))
    return redirect("staff_user", user_id=target.pk)


def _membership_said(key: str, membership: Membership) -> str:
    where_th, where_en = membership_words(membership)
    return said(
        key,
        username=membership.user.username,
        label=role_words(membership.role),
        role=membership.role,
        where_th=where_th,
        where_en=where_en,
    )


@admin_only
@require_POST
def user_grant(request: HttpRequest, user_id: int) -> HttpResponse:
    target = get_object_or_404(User, pk=user_id)
    try:
        membership = grant_membership(request.user, target, grant_of(request.POST))
    except Refused as refused:
        values = form_values(request.POST, GRANT_FIELDS)
        return _user_page(request, target, errors=refused.by_field(), values=values, status=400)
    messages.success(request, _membership_said("staff_done_granted", membership))
    return redirect("staff_user", user_id=target.pk)


@admin_only
@require_POST
def user_revoke(request: HttpRequest, user_id: int, membership_id: int) -> HttpResponse:
    target = get_object_or_404(User, pk=user_id)
    membership = get_object_or_404(
        Membership.objects.select_related("agency", "user"), pk=membership_id, user=target
    )
    done = _membership_said("staff_done_revoked", membership)
    try:
        revoke_membership(request.user, membership)
    except Refused as refused:
        return _user_page(request, target, errors=refused.by_field(), status=400)
    messages.success(request, done)
    return redirect("staff_user", user_id=target.pk)


@admin_only
@require_POST
def user_active(request: HttpRequest, user_id: int) -> HttpResponse:
    target = get_object_or_404(User, pk=user_id)
    active = request.POST.get("active") == "1"
    try:
        changed = set_active(request.user, target, active)
    except Refused as refused:
        return _user_page(request, target, errors=refused.by_field(), status=400)
    if changed:
        key = "staff_done_reactivated" if active else "staff_done_deactivated"
        messages.success(request, said(key, username=target.username))
    return redirect("staff_user", user_id=target.pk)


@admin_only
@require_POST
def user_password(request: HttpRequest, user_id: int) -> HttpResponse:
    target = get_object_or_404(User, pk=user_id)
    typed = request.POST.get("password", "")
    try:
        password = reset_password(request.user, target, typed)
    except Refused as refused:
        return _user_page(request, target, errors=refused.by_field(), status=400)
    if target.pk == request.user.pk:
        update_session_auth_hash(request, target)  # an admin's own new password keeps them signed in
    if typed:
        messages.success(request, said("staff_done_password", username=target.username))
        return redirect("staff_user", user_id=target.pk)
    return _password_once(request, target, password, new=False)
