"""The pages: server-rendered Thai, every agency reached through access.py (out of scope 404).

The agency home and the analysis page read the figures stored with each result set
(results/figures.py) and cache the narrative per stored version, so that neither parses nor analyses
the results again on a request (docs/web-results.md)."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Max, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from prongsai.analysis import Analysis
from prongsai.app.analysis import narrative
from prongsai.framework import Framework, load_frameworks
from prongsai.narrative import item_subject
from prongsai.problems import ui
from prongsai.thai import to_arabic_digits
from prongsai_web.access import Action, Person, agencies, agency_filter, agency_for, can
from prongsai_web.directory.models import Agency
from prongsai_web.messages import text, web_problem
from prongsai_web.plans.models import Plan, PlanVersion
from prongsai_web.plans.services import loaded_year
from prongsai_web.results import bulk
from prongsai_web.results.figures import FIGURES_VERSION, indicator_scores
from prongsai_web.results.models import BulkPreview, ResultSet
from prongsai_web.results.peers import PeerFigures, PeerTable, peer_table
from prongsai_web.results.services import UploadRefused, upload_results
from prongsai_web.results.template import (
    filled_template,
    template_choices,
    template_filename,
    template_years,
)
from prongsai_web.results.trend import TrendRow, YearFigures, trend_rows
from prongsai_web.results.whatif import PREFIX, WhatIf, form_keys, what_if
from prongsai_web.ui.bodycache import body_key, cached_body
from prongsai_web.ui.paging import paged

SORTS: dict[str, list[Any]] = {
    "name": ["name", "id"],
    "province": ["province", "name", "id"],
    "overall": [F("overall").asc(nulls_first=True), "name"],
    "-overall": [F("overall").desc(nulls_last=True), "name"],
    "level": ["level", "name"],
}
NARRATIVE_SECONDS = 24 * 3600
PEERS_SECONDS = 10 * 60  # an agency moved to another province or type shows within this time
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _with_latest(queryset: QuerySet[Agency]) -> QuerySet[Agency]:
    latest = ResultSet.objects.filter(agency=OuterRef("pk")).order_by("-ita_year")
    return queryset.annotate(
        year=Subquery(latest.values("ita_year")[:1]),
        overall=Subquery(latest.values("overall")[:1]),
        level=Subquery(latest.values("level")[:1]),
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The agencies in the caller's scope, 100 a page; the body cached by scope and parameters."""
    where = agency_filter(request.user)
    can_bulk = bulk.may_bulk_upload(request.user)
    asked = tuple(sorted((k, v) for k in request.GET for v in request.GET.getlist(k)))
    key = body_key("home", str(where), can_bulk, asked)
    body = cached_body(key, lambda: _home_body(request.user, request.GET, can_bulk))
    return render(request, "ui/home.html", {"body": body})


def _home_query(sort: str, q: str, page: int) -> str:
    return "?" + urlencode({"sort": sort, "q": q, "page": page})


def _home_body(user: Person, params: QueryDict, can_bulk: bool) -> SafeString:
    sort = params.get("sort", "province")
    rows = _with_latest(agencies(user)).order_by(*SORTS.get(sort, SORTS["province"]))
    query = params.get("q", "").strip()
    if query:
        rows = rows.filter(name__icontains=query) | rows.filter(province__icontains=query)
    count = rows.count()
    at = paged(params, count)
    context = {
        "agencies": count > 0,
        "shown": list(rows[at.first : at.last]),
        "count": count,
        "page": at.page,
        "pages": at.pages,
        "first": at.first + 1,
        "previous": _home_query(sort, query, at.page - 1) if at.page > 1 else "",
        "next": _home_query(sort, query, at.page + 1) if at.page < at.pages else "",
        "sort": sort,
        "q": query,
        "can_bulk": can_bulk,
    }
    return render_to_string("ui/_home_body.html", context)


def _status_word(status: str) -> str:
    return ui(f"status_{status}")


def _item_text(framework: Framework, code: str) -> str:
    """What the item asks about, as the narrative names it."""
    return item_subject(framework, code) if code in framework.items_by_code else ""


def _indicator_name(framework: Framework, key: str) -> str:
    """'ind4' -> the indicator's Thai name; a tool code or 'overall' -> its word."""
    if key.startswith("ind"):
        number = int(key[3:])
        known = {i.number for i in framework.indicators}
        return f"{number}. {framework.indicator(number).name_th}" if number in known else f"ตัวชี้วัดที่ {number}"
    return "คะแนนรวม" if key == "overall" else key


def _years(agency: Agency) -> list[ResultSet]:
    """Every year held for the agency, oldest first, without the canonical text."""
    return list(ResultSet.objects.filter(agency=agency).defer("canonical", "warnings").order_by("ita_year"))


@login_required
def agency_home(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = agency_for(request.user, agency_id)
    can_edit = can(request.user, Action.EDIT, agency)
    key = body_key("agency", agency.pk, can_edit)
    body = cached_body(
        key, lambda: render_to_string("ui/_agency_body.html", _agency_context(agency, can_edit))
    )
    return render(request, "ui/agency.html", {"agency": agency, "body": body})


def _agency_body(agency: Agency, can_edit: bool) -> SafeString:
    return render_to_string("ui/_agency_body.html", _agency_context(agency, can_edit))


def _agency_context(agency: Agency, can_edit: bool) -> dict[str, Any]:
    """What the agency home shows: its latest result, every year held, the weak items, the plan and
    its approval (the tracking card and the reminders come from their own template tags)."""
    years = _years(agency)
    context: dict[str, Any] = {
        "agency": agency,
        "years": years,
        "td": agency.words.thai_digits,
        "can_edit": can_edit,
    }
    if years:
        latest = years[-1]
        framework = load_frameworks()[latest.ita_year]
        analysis = latest.core_analysis()
        context["latest"] = latest
        context["weak"] = [{"entry": e, "text": _item_text(framework, e.key)} for e in analysis.weak_items]
        context["pass_mark"] = analysis.pass_mark
        plan = Plan.objects.filter(agency=agency, ita_year=latest.ita_year).first()
        context["plan"] = plan
        context["approved"] = (
            plan is not None
            and PlanVersion.objects.filter(plan=plan, version=plan.version, approved_at__isnull=False)
            .select_related("approved_by")
            .first()
        )
    return context


# --- the analysis page ----------------------------------------------------------------------------


def _stamp(rows: Sequence[ResultSet]) -> str:
    """A key for the stored versions of ``rows``: changes whenever one is uploaded again."""
    parts = "|".join(f"{r.pk}:{r.uploaded_at.timestamp()}" for r in rows)
    return hashlib.sha256(f"{FIGURES_VERSION}|{parts}".encode()).hexdigest()[:32]


def _paragraphs(agency: Agency, ita_year: int, rows: Sequence[ResultSet], td: bool) -> list[dict[str, str]]:
    """The narrative of the year (its earlier years are its history): made by the core once per
    stored version of those years, then cached."""
    key = f"prongsai:narrative:{agency.pk}:{ita_year}:{int(td)}:{_stamp(rows)}"
    found: list[dict[str, str]] | None = cache.get(key)
    if found is None:
        made = narrative(loaded_year(agency, ita_year), thai_digits=td)
        found = [{"key": p.key, "text": p.text} for p in made]
        cache.set(key, found, NARRATIVE_SECONDS)
    return found


def _year_figures(row: ResultSet) -> YearFigures:
    return YearFigures(row.ita_year, row.overall, row.level, row.tools, row.indicators)


def _trend(framework: Framework, rows: Sequence[ResultSet], ita_year: int) -> dict[str, Any]:
    """The trend table (every year held) and the chart of the overall score per year."""
    table: list[TrendRow] = trend_rows([_year_figures(r) for r in rows])
    return {
        "years": [r.ita_year for r in rows],
        "rows": [{"row": t, "name": _indicator_name(framework, t.key)} for t in table],
        "bars": [{"year": r.ita_year, "overall": r.overall, "current": r.ita_year == ita_year} for r in rows],
    }


def _peer_table(framework: Framework, ita_year: int, province: str) -> PeerTable:
    """The province's ranked figures for the year: one query to know whether the cached table is
    still current (the number of result sets and the latest upload), one more when it is not."""
    rows = ResultSet.objects.filter(ita_year=ita_year, agency__province=province)
    stamp = rows.aggregate(n=Count("id"), last=Max("uploaded_at"))
    last = stamp["last"].timestamp() if stamp["last"] else 0
    place = hashlib.sha256(province.encode()).hexdigest()[:16]
    key = f"prongsai:peers:{ita_year}:{place}:{stamp['n']}:{last}:{FIGURES_VERSION}"
    found: PeerTable | None = cache.get(key)
    if found is None:
        figures = [
            PeerFigures(a, t or "", o, indicator_scores(i or {}))
            for a, t, o, i in rows.values_list("agency_id", "agency__type", "overall", "indicators")
        ]
        found = peer_table(figures, ["overall", *(str(i.number) for i in framework.indicators)])
        cache.set(key, found, PEERS_SECONDS)
    return found


def _peers(agency: Agency, row: ResultSet, framework: Framework) -> dict[str, Any] | None:
    """The agency's rank and percentile in its province and among the same type there."""
    if not agency.province:
        return None
    own = PeerFigures(agency.pk, agency.type, row.overall, indicator_scores(row.indicators))
    found = _peer_table(framework, row.ita_year, agency.province).standings(own)
    lines = [
        {
            "name": _indicator_name(framework, "overall" if key == "overall" else f"ind{key}"),
            "score": own.measure(key),
            "type": found["type"][key],
            "province": found["province"][key],
        }
        for key in found["province"]
    ]
    return {"lines": lines, "type": agency.type, "province": agency.province}


def _whatif_fields(framework: Framework, analysis: Analysis, query: QueryDict) -> list[dict[str, Any]]:
    """The what-if form's fields: every indicator, then the items, each with its score now and what
    was typed (as typed, so that a wrong one can be corrected)."""
    scores = {e.key: e.score for e in (*analysis.indicators, *analysis.items)}
    return [
        {
            "key": key,
            "name": PREFIX + key,
            "label": _indicator_name(framework, key) if key.startswith("ind") else key,
            "text": "" if key.startswith("ind") else _item_text(framework, key),
            "now": scores.get(key),
            "typed": str(query.get(PREFIX + key, "")).strip(),
            "indicator": key.startswith("ind"),
        }
        for key in form_keys(framework)
    ]


def _asked(query: QueryDict) -> bool:
    return any(name.startswith(PREFIX) and str(value).strip() for name, value in query.items())


def _fragment(key: str, template: str, make: Callable[[], dict[str, Any]]) -> SafeString:
    """A part of a page that only changes with the stored result set: rendered once, then cached."""
    found: str | None = cache.get(key)
    if found is None:
        found = render_to_string(template, make())
        cache.set(key, found, NARRATIVE_SECONDS)
    return mark_safe(found)


def _entries(framework: Framework, core: Analysis, td: bool) -> dict[str, Any]:
    """The indicators (as bars) and the items (by points to gain) of the year."""
    return {
        "pass_mark": core.pass_mark,
        "indicators": [
            {"entry": e, "name": _indicator_name(framework, e.key), "status": _status_word(e.status)}
            for e in core.indicators
        ],
        "items": [
            {"entry": e, "text": _item_text(framework, e.key), "status": _status_word(e.status)}
            for e in core.by_gain()
        ],
        "td": td,
    }


@login_required
def analysis(request: HttpRequest, agency_id: int, ita_year: int) -> HttpResponse:
    agency = agency_for(request.user, agency_id)
    asked = tuple(sorted((k, v) for k in request.GET for v in request.GET.getlist(k)))
    key = body_key("analysis", agency.pk, ita_year, asked)
    body = cached_body(key, lambda: _analysis_body(agency, ita_year, request.GET))
    return render(request, "ui/analysis.html", {"agency": agency, "ita_year": ita_year, "body": body})


def _analysis_body(agency: Agency, ita_year: int, params: QueryDict) -> SafeString:
    """The analysis page's body: indicators, items, what-if (``params``), narrative, trend, peers."""
    rows = _years(agency)
    row = next((r for r in rows if r.ita_year == ita_year), None)
    if row is None:
        raise Http404("no results for this year")
    framework = load_frameworks()[ita_year]
    td = agency.words.thai_digits
    version = f"prongsai:analysis:{row.pk}:{int(td)}:{_stamp([row])}"
    asked = _asked(params)
    results = loaded_year(agency, ita_year).results if asked else None

    def whatif_form() -> dict[str, Any]:
        fields = _whatif_fields(framework, row.core_analysis(), params)
        return {"fields": fields, "asked": asked, "td": td}

    def entries() -> dict[str, Any]:
        return _entries(framework, row.core_analysis(), td)

    context = {
        "agency": agency,
        "ita_year": ita_year,
        "row": row,
        "pass_mark": framework.pass_mark,
        "entries": {
            part: _fragment(f"{version}:{part}", f"ui/results_{part}.html", entries)
            for part in ("indicators", "items")
        },
        "whatif_form": mark_safe(render_to_string("ui/results_whatif_form.html", whatif_form()))
        if asked
        else _fragment(f"{version}:whatif", "ui/results_whatif_form.html", whatif_form),
        "whatif": what_if(framework, results, params) if results is not None else WhatIf(),
        "paragraphs": _paragraphs(agency, ita_year, [r for r in rows if r.ita_year <= ita_year], td),
        "trend": _trend(framework, rows, ita_year),
        "peers": _peers(agency, row, framework),
        "td": td,
    }
    return render_to_string("ui/_analysis_body.html", context)


# --- upload and the fill-in template --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = agency_for(request.user, agency_id, Action.EDIT)
    context: dict[str, Any] = {"agency": agency, "template_years": template_choices()}
    if request.method == "POST":
        try:
            saved = upload_results(request.user, agency, request.FILES.get("file"))
        except UploadRefused as refused:
            context["problems"] = refused.problems
            return render(request, "ui/upload.html", context, status=400)
        years = ", ".join(str(r.ita_year) for r in saved)
        messages.success(request, "{} / {}".format(*text("results_saved", years=years)))
        return redirect("agency", agency_id=agency.pk)
    return render(request, "ui/upload.html", context)


@login_required
def template_download(request: HttpRequest, agency_id: int) -> HttpResponse:
    """The year's fill-in form (?year=2568, the latest year by default) with the agency's fields."""
    agency = agency_for(request.user, agency_id)
    years = template_years()
    written = to_arabic_digits(request.GET.get("year", "").strip())
    year = years[0] if not written else int(written) if written.isdigit() else None
    if year not in years:
        known = ", ".join(map(str, sorted(years)))
        problem = web_problem("template_year_unknown", year=written, years=known)
        context = {"agency": agency, "template_years": template_choices(), "problems": [problem]}
        return render(request, "ui/upload.html", context, status=400)
    framework = load_frameworks()[year]
    response = HttpResponse(filled_template(framework, agency), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{template_filename(framework, agency)}"'
    return response


# --- bulk upload of a SCORES file -----------------------------------------------------------------


def _bulk_allowed(request: HttpRequest) -> None:
    if not bulk.may_bulk_upload(request.user):
        raise PermissionDenied(Action.BULK_UPLOAD.value)


@login_required
@require_http_methods(["GET", "POST"])
def bulk_upload(request: HttpRequest) -> HttpResponse:
    _bulk_allowed(request)
    context: dict[str, Any] = {"minutes": bulk.PREVIEW_MINUTES}
    if request.method == "POST":
        try:
            preview = bulk.preview_upload(request.user, request.FILES.get("file"))
        except UploadRefused as refused:
            context["problems"] = refused.problems
            return render(request, "ui/bulk_upload.html", context, status=400)
        return redirect("bulk_preview", token=preview.token)
    return render(request, "ui/bulk_upload.html", context)


def _preview_context(preview: BulkPreview) -> dict[str, Any]:
    rows = bulk.preview_rows(preview)
    counts = {status: sum(1 for r in rows if r.status == status) for status in bulk.STATUSES}
    return {
        "preview": preview,
        "rows": [{"row": r, "status": text(f"bulk_status_{r.status}")} for r in rows],
        "counts": [{"status": s, "words": text(f"bulk_status_{s}"), "n": n} for s, n in counts.items() if n],
        "to_save": sum(1 for r in rows if r.saved),
        "minutes": bulk.PREVIEW_MINUTES,
    }


def _gone(request: HttpRequest) -> HttpResponse:
    context = {"minutes": bulk.PREVIEW_MINUTES, "problems": [web_problem("bulk_expired")]}
    return render(request, "ui/bulk_upload.html", context, status=410)


@login_required
def bulk_preview(request: HttpRequest, token: str) -> HttpResponse:
    _bulk_allowed(request)
    try:
        preview = bulk.preview_for(request.user, token)
    except bulk.PreviewGone:
        return _gone(request)
    return render(request, "ui/bulk_preview.html", _preview_context(preview))


@login_required
@require_POST
def bulk_confirm(request: HttpRequest, token: str) -> HttpResponse:
    _bulk_allowed(request)
    try:
        saved = bulk.confirm_preview(request.user, token)
    except bulk.PreviewGone:
        return _gone(request)
    except UploadRefused as refused:
        context = _preview_context(bulk.preview_for(request.user, token)) | {"problems": refused.problems}
        return render(request, "ui/bulk_preview.html", context, status=400)
    messages.success(request, "{} / {}".format(*text("bulk_saved", count=len(saved))))
    return redirect("home")


@login_required
@require_POST
def bulk_cancel(request: HttpRequest, token: str) -> HttpResponse:
    _bulk_allowed(request)
    with contextlib.suppress(bulk.PreviewGone):  # expired: gone already
        bulk.preview_for(request.user, token).delete()
    messages.info(request, "{} / {}".format(*text("bulk_cancelled")))
    return redirect("bulk_upload")
