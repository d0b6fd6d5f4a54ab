"""The frameworks page (national admins only): the ITA years in use, each year's workbook to download,
and an edited workbook uploaded, checked by the core and stored (``staff.frameworks``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from prongsai.errors import InputError
from prongsai.framework import framework_folder
from prongsai_web.accounts.services import FieldProblem, Refused
from prongsai_web.staff.frameworks import folder_files, store_framework, workbook_of, year_summaries
from prongsai_web.staff.permissions import admin_only
from prongsai_web.staff.views_users import said

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(
    request: HttpRequest, problems: list[FieldProblem] | None = None, status: int = 200
) -> HttpResponse:
    folder = framework_folder()
    context: dict[str, Any] = {
        "years": year_summaries(),
        "folder": folder,
        "files": folder_files(),
        "problems": problems or [],
        "tab": "frameworks",
    }
    return render(request, "staff/frameworks.html", context, status=status)


@admin_only
@require_GET
def frameworks(request: HttpRequest) -> HttpResponse:
    return _page(request)


@admin_only
@require_GET
def framework_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    try:
        data = workbook_of(year)
    except KeyError:
        raise Http404("no framework for that year") from None
    except InputError as refused:
        problems = [FieldProblem("", p.describe("th"), p.describe("en")) for p in refused.problems]
        return _page(request, problems, status=400)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="prongsai-framework-ita-{year}.xlsx"'
    return response


@admin_only
@require_POST
def framework_upload(request: HttpRequest) -> HttpResponse:
    try:
        stored = store_framework(request.user, request.FILES.get("file"))
    except Refused as refused:
        return _page(request, list(refused.problems), status=400)
    messages.success(request, said("staff_done_framework", year=stored.year, path=stored.path))
    return redirect("staff_frameworks")
