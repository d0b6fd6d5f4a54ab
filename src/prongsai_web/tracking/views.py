"""The tracking pages: the board of a plan's measures by status on a day, a measure's page (its
history, its evidence and, for those who may edit, the update form), the progress file's download
and upload, and an evidence file's download. Every write is a tracking service."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from prongsai.catalog.progress import status_words
from prongsai.planning import Measure
from prongsai.problems import Location
from prongsai.progress import (
    STATUSES,
    MeasureState,
    Update,
    plan_year_days,
    quarter_end,
    state_of,
    states,
    totals,
)
from prongsai.progress import Evidence as CoreEvidence
from prongsai.thai import to_thai_digits
from prongsai.thaidate import read_date
from prongsai.timeframe import thai_date, timeframe_text
from prongsai_web.access import Action, agency_for, can
from prongsai_web.directory.models import Agency
from prongsai_web.messages import web_problem
from prongsai_web.plans.models import PlanVersion
from prongsai_web.tracking.evidence import ACCEPT_ATTRIBUTE, ACCEPTED, limit
from prongsai_web.tracking.models import Evidence, ProgressVersion
from prongsai_web.tracking.services import (
    FILE_ROWS,
    FORM_FIELDS,
    LINK_ROWS,
    FileGiven,
    LinkGiven,
    Refused,
    Saved,
    StaleProgress,
    Tracked,
    add_update,
    tracked,
    upload_progress,
)

Shown = dict[str, Any]


def _today() -> dt.date:
    return timezone.localdate()


def _tracked_or_404(agency: Agency, ita_year: int) -> Tracked:
    found = tracked(agency, ita_year)
    if found is None:
        raise Http404("no plan for this year")
    return found


def _flash(request: HttpRequest, saved: Saved) -> None:
    messages.success(request, " / ".join(saved.message))
    for warning in saved.warnings:
        messages.warning(request, f"{warning['th']} / {warning['en']}")


# --------------------------------------------------------------------------------------------------
# The board
# --------------------------------------------------------------------------------------------------


@dataclass
class Group:
    key: str
    heading: str
    states: list[MeasureState] = field(default_factory=list)


def _as_of(request: HttpRequest) -> tuple[dt.date, str, Shown | None]:
    """The day asked for (``?as_of=``, any date form the progress file takes), or today; the problem
    when it cannot be read."""
    given = request.GET.get("as_of", "").strip()
    if not given:
        return _today(), "", None
    day, problems = read_date(given, Location(field="as_of"))
    if day is None or any(p.severity == "error" for p in problems):
        return _today(), given, web_problem("tracking_as_of", value=given)
    return day, given, None


def _groups(measure_states: tuple[MeasureState, ...]) -> list[Group]:
    words = status_words()
    groups = {status: Group(status, words[status].th) for status in STATUSES}
    for state in measure_states:
        groups[state.status].states.append(state)
    return list(groups.values())


def _days(plan_year: int) -> dict[str, dt.date]:
    """The days a board is often wanted for: today, the end of each reporting round."""
    return {"today": _today(), "half": quarter_end(plan_year, 2), "end": plan_year_days(plan_year)[1]}


@login_required
@require_GET
def board(request: HttpRequest, agency_id: int, ita_year: int) -> HttpResponse:
    agency = agency_for(request.user, agency_id)
    found = tracked(agency, ita_year)
    td = agency.words.thai_digits
    as_of, given, problem = _as_of(request)
    context: dict[str, Any] = {
        "agency": agency,
        "ita_year": ita_year,
        "td": td,
        "can_edit": can(request.user, Action.EDIT, agency),
        "found": found,
        "as_of": as_of,
        "as_of_given": given,
        "as_of_problem": problem,
    }
    if found is not None:
        context |= _board_context(found, as_of)
    return render(request, "tracking/board.html", context, status=400 if problem else 200)


def _board_context(found: Tracked, as_of: dt.date) -> dict[str, Any]:
    plan = found.plan
    approved = PlanVersion.objects.filter(plan=found.plan_row, approved_at__isnull=False).order_by("-version")
    context: dict[str, Any] = {
        "plan": plan,
        "approved": approved.first(),
        "days": _days(plan.plan_year),
        "year_days": plan_year_days(plan.plan_year),
        "example_date": f"31/03/{plan.plan_year}",
        "versions": list(ProgressVersion.objects.filter(progress=found.row).select_related("saved_by"))
        if found.row is not None
        else [],
    }
    if found.progress is None:
        return context
    measure_states = states(plan, found.progress, as_of)
    counted = totals(measure_states)
    return context | {
        "groups": _groups(measure_states),
        "totals": counted,
        "overdue": [s for s in measure_states if s.overdue],
    }


# --------------------------------------------------------------------------------------------------
# A measure: its history, its evidence, the update form
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownEvidence:
    item: CoreEvidence
    held: Evidence | None  # the file, when the store holds it


@dataclass(frozen=True)
class Entry:
    update: Update
    evidence: list[ShownEvidence]


def _entries(updates: tuple[Update, ...], held: dict[str, Evidence]) -> list[Entry]:
    """The measure's updates, newest first, each with its evidence (the files held linked)."""
    return [
        Entry(u, [ShownEvidence(e, held.get(e.path or "")) for e in u.evidence]) for u in reversed(updates)
    ]


def _default_form(state: MeasureState, plan_year: int, td: bool) -> dict[str, str]:
    """Today (when it is in the plan year) and the measure's current status; the percent is left
    empty (the current one is its placeholder): an update that does not say keeps it."""
    first, last = plan_year_days(plan_year)
    today = _today()
    day = thai_date(today) if first <= today <= last else ""
    return {"date": to_thai_digits(day) if td else day, "status": state.status}


def _measure_page(
    request: HttpRequest,
    agency: Agency,
    ita_year: int,
    found: Tracked,
    measure: Measure,
    *,
    form: QueryDict | dict[str, str] | None = None,
    errors: dict[str, list[Shown]] | None = None,
    problems: list[Shown] | None = None,
    status: int = 200,
    files_lost: bool = False,
) -> HttpResponse:
    plan = found.plan
    td = agency.words.thai_digits
    progress = found.progress
    updates = progress.of(measure.id).updates if progress is not None else ()
    state = state_of(measure, progress.of(measure.id), plan.plan_year, _today()) if progress else None
    can_edit = can(request.user, Action.EDIT, agency) and progress is not None
    files = [e for e in found.evidence.values() if e.measure_id == measure.id]
    context = {
        "agency": agency,
        "ita_year": ita_year,
        "td": td,
        "plan": plan,
        "measure": measure,
        "timeframe": measure.timeframe
        or timeframe_text(measure.quarters, plan.plan_year, plan.timeframe_style),
        "planned_due": quarter_end(plan.plan_year, measure.quarters[1]),
        "state": state,
        "entries": _entries(updates, found.evidence),
        "files": files,
        "links": _links(updates),
        "found": found,
        "can_edit": can_edit,
        "version": found.version,
        "form": form if form is not None else (_default_form(state, plan.plan_year, td) if state else {}),
        "errors": errors or {},
        "files_lost": files_lost,
        "problems": problems or found.problems,
        "statuses": [(s, status_words()[s].th) for s in STATUSES],
        "file_rows": _rows("file", FILE_ROWS, form, errors or {}),
        "link_rows": _rows("link", LINK_ROWS, form, errors or {}),
        "accept": ACCEPT_ATTRIBUTE,
        "accepted": ACCEPTED,
        "limit_mb": f"{limit() / (1024 * 1024):,.0f}",
        "year_days": plan_year_days(plan.plan_year),
        "example_date": f"15/01/{plan.plan_year}",
        "example_until": f"30/06/{plan.plan_year}",
    }
    return render(request, "tracking/measure.html", context, status=status)


def _rows(
    kind: str, count: int, form: QueryDict | dict[str, str] | None, errors: dict[str, list[Shown]]
) -> list[dict[str, Any]]:
    """The evidence rows of the form (file0, file1 ... or link0 ...) with what was typed and their
    problems."""
    given = form if form is not None else {}
    return [
        {
            "name": f"{kind}{i}",
            "number": i + 1,
            "value": given.get(f"{kind}{i}", "") if kind == "link" else "",
            "description": given.get(f"{kind}{i}_description", ""),
            "errors": errors.get(f"{kind}{i}", []),
        }
        for i in range(count)
    ]


def _links(updates: tuple[Update, ...]) -> list[CoreEvidence]:
    seen: dict[tuple[str, str], CoreEvidence] = {}
    for update in updates:
        for item in update.evidence:
            if item.url:
                seen.setdefault((item.url, item.description), item)
    return list(seen.values())


@login_required
@require_http_methods(["GET", "POST"])
def measure_page(request: HttpRequest, agency_id: int, ita_year: int, measure_id: str) -> HttpResponse:
    if request.method == "POST":
        return _post_update(request, agency_id, ita_year, measure_id)
    agency = agency_for(request.user, agency_id)
    found = _tracked_or_404(agency, ita_year)
    return _measure_page(request, agency, ita_year, found, found.measure(measure_id))


def _given_files(request: HttpRequest) -> list[FileGiven]:
    found = []
    for index in range(FILE_ROWS):
        row = f"file{index}"
        upload = request.FILES.get(row)
        if upload is not None:
            found.append(FileGiven(upload, request.POST.get(f"{row}_description", ""), row))
    return found


def _given_links(post: QueryDict) -> list[LinkGiven]:
    return [
        LinkGiven(post.get(f"link{i}", ""), post.get(f"link{i}_description", ""), f"link{i}")
        for i in range(LINK_ROWS)
    ]


def _version(post: QueryDict) -> int:
    value = post.get("version", "")
    return int(value) if value.isdigit() else -1


def _post_update(request: HttpRequest, agency_id: int, ita_year: int, measure_id: str) -> HttpResponse:
    agency = agency_for(request.user, agency_id, Action.EDIT)
    found = _tracked_or_404(agency, ita_year)
    measure = found.measure(measure_id)
    version = _version(request.POST)
    fields = {name: request.POST.get(name, "") for name in FORM_FIELDS}
    try:
        saved = add_update(
            request.user,
            agency,
            ita_year,
            measure.id,
            version,
            fields,
            _given_files(request),
            _given_links(request.POST),
        )
    except StaleProgress as stale:
        problem = web_problem("tracking_stale", current=stale.current, version=version)
        again = _tracked_or_404(agency, ita_year)
        return _measure_page(
            request, agency, ita_year, again, measure, form=request.POST, problems=[problem], status=409
        )
    except Refused as refused:
        return _measure_page(
            request,
            agency,
            ita_year,
            found,
            measure,
            form=request.POST,
            errors=refused.fields,
            problems=refused.problems,
            status=400,
            files_lost=bool(request.FILES),
        )
    _flash(request, saved)
    url = reverse(
        "tracking_measure", kwargs={"agency_id": agency.pk, "ita_year": ita_year, "measure_id": measure.id}
    )
    return redirect(f"{url}#history")


# --------------------------------------------------------------------------------------------------
# The progress file: download, upload
# --------------------------------------------------------------------------------------------------


def _yaml_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content.encode("utf-8"), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def progress_yaml(request: HttpRequest, agency_id: int, ita_year: int) -> HttpResponse:
    """The progress file as held (the empty one ``progress init`` writes when none is yet)."""
    agency = agency_for(request.user, agency_id)
    found = _tracked_or_404(agency, ita_year)
    return _yaml_response(found.text, f"progress-{found.plan.plan_year}-v{found.version}.yaml")


@login_required
@require_GET
def progress_version_yaml(request: HttpRequest, agency_id: int, ita_year: int, version: int) -> HttpResponse:
    agency = agency_for(request.user, agency_id)
    found = _tracked_or_404(agency, ita_year)
    saved = ProgressVersion.objects.filter(progress=found.row, version=version).first() if found.row else None
    if saved is None:
        raise Http404("no such progress version")
    return _yaml_response(saved.text, f"progress-{found.plan.plan_year}-v{version}.yaml")


@login_required
@require_http_methods(["GET", "POST"])
def progress_upload(request: HttpRequest, agency_id: int, ita_year: int) -> HttpResponse:
    agency = agency_for(request.user, agency_id, Action.EDIT)
    found = _tracked_or_404(agency, ita_year)
    context: dict[str, Any] = {
        "agency": agency,
        "ita_year": ita_year,
        "td": agency.words.thai_digits,
        "found": found,
        "plan": found.plan,
        "version": found.version,
        "problems": found.problems,
    }
    if request.method == "GET":
        return render(request, "tracking/upload.html", context)
    version = _version(request.POST)
    try:
        saved = upload_progress(request.user, agency, ita_year, version, request.FILES.get("file"))
    except StaleProgress as stale:
        context["problems"] = [web_problem("tracking_stale", current=stale.current, version=version)]
        context["version"] = stale.current
        return render(request, "tracking/upload.html", context, status=409)
    except Refused as refused:
        context["problems"] = refused.problems
        return render(request, "tracking/upload.html", context, status=400)
    _flash(request, saved)
    return redirect("tracking", agency_id=agency.pk, ita_year=ita_year)


# --------------------------------------------------------------------------------------------------
# An evidence file
# --------------------------------------------------------------------------------------------------


@login_required
@require_GET
def evidence_file(request: HttpRequest, evidence_id: int) -> FileResponse:
    """The file as an attachment under its cleaned name, to people who may see its agency only
    (404 to anyone else, as if it did not exist)."""
    evidence = Evidence.objects.select_related("progress__plan").filter(pk=evidence_id).first()
    if evidence is None:
        raise Http404("no such evidence")
    agency_for(request.user, evidence.progress.plan.agency_id)
    try:
        stream = evidence.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("the evidence file is not held") from None
    response = FileResponse(
        stream, as_attachment=True, filename=evidence.name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-cache"
    return response
