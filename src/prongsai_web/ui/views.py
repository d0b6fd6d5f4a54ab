"""The pages: server-rendered Thai, every agency reached through access.py (out of scope 404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from prongsai.app.analysis import narrative
from prongsai.framework import Framework
from prongsai.narrative import item_subject
from prongsai.problems import ui
from prongsai_web.access import Action, agencies, agency_for, can
from prongsai_web.directory.models import Agency
from prongsai_web.plans.models import Plan
from prongsai_web.plans.services import loaded_year
from prongsai_web.results.models import ResultSet
from prongsai_web.results.services import UploadRefused, upload_results

SORTS: dict[str, list[Any]] = {
    "name": ["name", "id"],
    "province": ["province", "name", "id"],
    "overall": [F("overall").asc(nulls_first=True), "name"],
    "-overall": [F("overall").desc(nulls_last=True), "name"],
    "level": ["level", "name"],
}


def _with_latest(queryset: QuerySet[Agency]) -> QuerySet[Agency]:
    latest = ResultSet.objects.filter(agency=OuterRef("pk")).order_by("-ita_year")
    return queryset.annotate(
        year=Subquery(latest.values("ita_year")[:1]),
        overall=Subquery(latest.values("overall")[:1]),
        level=Subquery(latest.values("level")[:1]),
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "province")
    rows = _with_latest(agencies(request.user)).order_by(*SORTS.get(sort, SORTS["province"]))
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(name__icontains=query) | rows.filter(province__icontains=query)
    return render(request, "ui/home.html", {"agencies": rows, "sort": sort, "q": query})


def _status_word(status: str) -> str:
    return ui(f"status_{status}")


def _item_text(framework: Framework, code: str) -> str:
    """What the item asks about, as the narrative names it."""
    return item_subject(framework, code) if code in framework.items_by_code else ""


@login_required
def agency_home(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = agency_for(request.user, agency_id)
    years = list(ResultSet.objects.filter(agency=agency).order_by("ita_year"))
    context: dict[str, Any] = {
        "agency": agency,
        "years": years,
        "td": agency.words.thai_digits,
        "can_edit": can(request.user, Action.EDIT, agency),
    }
    if years:
        latest = years[-1]
        loaded = loaded_year(agency, latest.ita_year)
        context["latest"] = latest
        context["weak"] = [
            {"entry": e, "text": _item_text(loaded.framework, e.key)} for e in loaded.analysis.weak_items
        ]
        context["pass_mark"] = loaded.analysis.pass_mark
        context["plan"] = Plan.objects.filter(agency=agency, ita_year=latest.ita_year).first()
    return render(request, "ui/agency.html", context)


@login_required
def analysis(request: HttpRequest, agency_id: int, ita_year: int) -> HttpResponse:
    agency = agency_for(request.user, agency_id)
    loaded = loaded_year(agency, ita_year)
    framework = loaded.framework
    td = agency.words.thai_digits
    indicators = [
        {
            "entry": e,
            "name": framework.indicator(e.indicator).name_th if e.indicator else e.key,
            "status": _status_word(e.status),
        }
        for e in loaded.analysis.indicators
    ]
    items = [
        {"entry": e, "text": _item_text(framework, e.key), "status": _status_word(e.status)}
        for e in loaded.analysis.by_gain()
    ]
    context = {
        "agency": agency,
        "ita_year": ita_year,
        "results": loaded.results,
        "pass_mark": loaded.analysis.pass_mark,
        "indicators": indicators,
        "items": items,
        "paragraphs": narrative(loaded, thai_digits=td),
        "td": td,
    }
    return render(request, "ui/analysis.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = agency_for(request.user, agency_id, Action.EDIT)
    context: dict[str, Any] = {"agency": agency}
    if request.method == "POST":
        try:
            saved = upload_results(request.user, agency, request.FILES.get("file"))
        except UploadRefused as refused:
            context["problems"] = refused.problems
            return render(request, "ui/upload.html", context, status=400)
        years = ", ".join(str(r.ita_year) for r in saved)
        messages.success(request, f"บันทึกผลการประเมินปี {years} แล้ว / Results for {years} saved.")
        return redirect("agency", agency_id=agency.pk)
    return render(request, "ui/upload.html", context)
