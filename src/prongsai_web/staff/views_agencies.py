"""Agencies (national admins only): the list with search and filters, adding an agency and changing
one. Every change is a directory service (``agency.added``, ``agency.changed``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from prongsai.agency import known_type_names
from prongsai_web.accounts.models import Membership
from prongsai_web.accounts.services import Refused, role_words
from prongsai_web.directory.models import Agency
from prongsai_web.directory.services import LIMITS, change_agency, create_agency
from prongsai_web.staff.forms import Errors, agency_fields_of, form_values
from prongsai_web.staff.permissions import admin_only
from prongsai_web.staff.provinces import province_choices, province_name
from prongsai_web.staff.views_users import said

PER_PAGE = 50
FIELDS = tuple(LIMITS)


def _matching(params: QueryDict) -> QuerySet[Agency]:
    found = Agency.objects.order_by("province", "name", "id")
    query = params.get("q", "").strip()
    if query:
        found = found.filter(
            Q(name__icontains=query) | Q(code__icontains=query) | Q(district__icontains=query)
        )
    province = province_name(params.get("province", ""))
    if province:
        found = found.filter(province=province)
    kind = params.get("type", "").strip()
    if kind:
        found = found.filter(type=kind)
    return found


def _types() -> list[str]:
    """The types the core knows, then any other an agency was added with (by the command line)."""
    known = known_type_names()
    held = Agency.objects.exclude(type="").values_list("type", flat=True).distinct()
    return [*known, *sorted(set(held) - set(known))]


@admin_only
@require_GET
def agencies(request: HttpRequest) -> HttpResponse:
    page = Paginator(_matching(request.GET), PER_PAGE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    context = {
        "page": page,
        "types": _types(),
        "provinces": province_choices(),
        "chosen": {k: request.GET.get(k, "") for k in ("q", "province", "type")},
        "query": kept.urlencode(),
        "tab": "agencies",
    }
    return render(request, "staff/agencies.html", context)


def _form(
    request: HttpRequest,
    values: dict[str, Any],
    errors: Errors,
    agency: Agency | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "values": values,
        "errors": errors,
        "general": errors.get("", []),
        "agency": agency,
        "types": _types(),
        "provinces": province_choices(),
        "tab": "agencies",
    }
    if agency is not None:
        held = Membership.objects.filter(agency=agency).select_related("user").order_by("user__username")
        context["members"] = [{"m": m, "role_th": role_words(m.role)} for m in held]
    return render(request, "staff/agency.html", context, status=status)


@admin_only
@require_http_methods(["GET", "POST"])
def agency_add(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _form(request, {}, {})
    try:
        agency = create_agency(request.user, agency_fields_of(request.POST))
    except Refused as refused:
        return _form(request, form_values(request.POST, FIELDS), refused.by_field(), status=400)
    messages.success(request, said("staff_done_agency_added", name=agency.name, id=agency.pk))
    return redirect("staff_agency", agency_id=agency.pk)


@admin_only
@require_http_methods(["GET", "POST"])
def agency_page(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = get_object_or_404(Agency, pk=agency_id)
    if request.method == "GET":
        values = {name: getattr(agency, name) or "" for name in FIELDS}
        return _form(request, values, {}, agency)
    try:
        changed = change_agency(request.user, agency, agency_fields_of(request.POST))
    except Refused as refused:
        agency.refresh_from_db()
        return _form(request, form_values(request.POST, FIELDS), refused.by_field(), agency, status=400)
    key = "staff_done_agency_saved" if changed else "staff_done_nothing"
    messages.success(request, said(key, name=agency.name))
    return redirect("staff_agency", agency_id=agency.pk)
