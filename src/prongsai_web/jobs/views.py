"""The documents page of an agency-year (docs/web-documents.md): ask for the measures document or
the 6- or 12-month progress report with the agency's signers and letter details (remembered), and
follow the jobs of the year, grouped by plan version, with their files to download.

Anyone who sees the agency sees the page and downloads the files; asking is ``Action.EDIT`` (the
clerk's and the admin's), as in the API. The page refreshes the list of jobs by itself (htmx,
vendored by django-htmx) while one is queued or being made.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from prongsai.document.layouts import DEFAULT_LAYOUT, LAYOUTS
from prongsai.document.progress_report import round_of
from prongsai.document.settings import parse_date
from prongsai.problems import Location
from prongsai.progress import PERIODS
from prongsai.thai import to_digits
from prongsai_web.access import Action, agency_for, can
from prongsai_web.directory.models import Agency
from prongsai_web.jobs import docsettings
from prongsai_web.jobs.models import Kind, RenderJob, Status
from prongsai_web.jobs.progresstext import has_progress
from prongsai_web.jobs.services import (
    DOCUMENT_FORMATS,
    PROGRESS_FORMATS,
    BadRequest,
    plan_year_of,
    request_document,
    request_progress_report,
)
from prongsai_web.messages import text
from prongsai_web.plans.models import Plan, PlanVersion
from prongsai_web.plans.services import loaded_year

Errors = dict[str, list[dict[str, str]]]  # form field -> its problems (th, en)
DIGITS = {"": None, "thai": True, "arabic": False}
SHOWN_JOBS = 100  # the latest jobs of the year on the page


# --- the request, read from the form ---------------------------------------------------------


@dataclass
class Asked:
    """The form as posted: the choices as text (to show again) and the problems at their fields."""

    values: dict[str, str]
    report: docsettings.Data
    errors: Errors = field(default_factory=dict)

    def add(self, where: str, th: str, en: str) -> None:
        self.errors.setdefault(where, []).append({"th": th, "en": en})

    def day(self, name: str) -> dt.date | None:
        """A date field as Thai officials write it; blank is None; a problem at the field."""
        value = self.values.get(name, "")
        if not value:
            return None
        day, problems = parse_date(value, Location(field=name))
        for problem in problems:
            self.add(name, problem.message_th, problem.message_en)
        return day


REPORT_FIELDS = {"format": "report_format"}  # the progress report's own fields on the page
FIELDS = ("kind", "layout", "format", "digits", "date", "period", "report_format", "as_of", "report_date")


def read_form(post: QueryDict) -> Asked:
    """The posted form: its values, the document settings and every problem found without the
    database (the settings as the core checks them, the kind, the digits, the round)."""
    values = {name: post.get(name, "").strip() for name in FIELDS}
    report = docsettings.from_form(post)
    asked = Asked(values, report, docsettings.problems_of(report))
    if values["kind"] not in Kind.values:
        asked.add("kind", *text("doc_bad_kind"))
    if values["digits"] not in DIGITS:
        asked.add("digits", *text("doc_bad_digits", given=values["digits"]))
    if values["kind"] == Kind.PROGRESS and values["period"] not in {str(p) for p in PERIODS}:
        asked.add("period", *text("doc_bad_period", given=values["period"] or "-"))
    return asked


def _queue(request: HttpRequest, agency: Agency, ita_year: int, asked: Asked) -> RenderJob | None:
    """The job the form asks for, or None with the form's problems on ``asked`` (every one: the
    dates are read even when another field is wrong)."""
    values = asked.values
    kind = values["kind"]
    date = asked.day("report_date" if kind == Kind.PROGRESS else "date")
    as_of = asked.day("as_of") if kind == Kind.PROGRESS else None
    if asked.errors:
        return None
    common: dict[str, Any] = {"report": asked.report, "date": date, "remember": True}
    digits = DIGITS[values["digits"]]
    try:
        if kind == Kind.PROGRESS:
            period = int(values["period"])
            return request_progress_report(
                request.user, agency, ita_year, period, values["report_format"], as_of, digits, **common
            )
        layout = values["layout"] or DEFAULT_LAYOUT
        return request_document(request.user, agency, ita_year, values["format"], layout, digits, **common)
    except BadRequest as bad:
        fields = REPORT_FIELDS if kind == Kind.PROGRESS else {}
        for problem in bad.problems:
            where = problem["location"]["field"]
            asked.add(fields.get(where, where), problem["th"], problem["en"])
        return None


# --- the list of jobs ------------------------------------------------------------------------


@dataclass
class JobRow:
    job: RenderJob
    what: str  # the document, in Thai
    detail: str  # the measures document's layout, in Thai
    status: str
    url: str | None
    date: dt.date | None  # the document's date, when the job fixed one


@dataclass
class JobGroup:
    version: int
    approved: PlanVersion | None
    current: bool
    rows: list[JobRow]


def _what(job: RenderJob) -> tuple[str, str]:
    if job.kind == Kind.PROGRESS:
        return text("doc_kind_progress", period=job.period)[0], ""
    name = text(f"doc_layout_{job.layout}")[0] if job.layout in LAYOUTS else job.layout
    return text("doc_kind_measures")[0], name


def _status(job: RenderJob) -> str:
    if job.status == Status.QUEUED and job.attempts:
        return text("doc_status_retry", attempt=job.attempts + 1)[0]
    return text(f"doc_status_{job.status}")[0]


def _row(job: RenderJob) -> JobRow:
    what, detail = _what(job)
    url = reverse("api:job_file", args=[job.pk]) if job.status == Status.DONE and job.output else None
    given = job.report_settings.get("date") if isinstance(job.report_settings, dict) else None
    return JobRow(job, what, detail, _status(job), url, dt.date.fromisoformat(given) if given else None)


def job_groups(agency: Agency, ita_year: int) -> list[JobGroup]:
    """The year's latest jobs, newest plan version first, each version with its approval."""
    jobs = list(
        RenderJob.objects.filter(agency=agency, ita_year=ita_year)
        .select_related("requested_by")
        .order_by("-plan_version", "-requested_at", "-id")[:SHOWN_JOBS]
    )
    plan = Plan.objects.filter(agency=agency, ita_year=ita_year).first()
    approved = {
        v.version: v
        for v in PlanVersion.objects.filter(plan=plan, approved_at__isnull=False).select_related(
            "approved_by"
        )
    }
    groups: list[JobGroup] = []
    for job in jobs:
        if not groups or groups[-1].version != job.plan_version:
            current = plan is not None and plan.version == job.plan_version
            groups.append(JobGroup(job.plan_version, approved.get(job.plan_version), current, []))
        groups[-1].rows.append(_row(job))
    return groups


def _active(groups: list[JobGroup]) -> bool:
    return any(r.job.status in (Status.QUEUED, Status.RUNNING) for g in groups for r in g.rows)


def _jobs_context(agency: Agency, ita_year: int) -> dict[str, Any]:
    groups = job_groups(agency, ita_year)
    return {"agency": agency, "ita_year": ita_year, "groups": groups, "active": _active(groups)}


# --- the page --------------------------------------------------------------------------------


def _signers(report: docsettings.Data, errors: Errors) -> list[dict[str, Any]]:
    """A row per role that signs: its Thai name, its fields' names, values and problems."""
    rows = []
    for role in docsettings.SIGNERS:
        person = report.get(role) or {}
        name, position = (docsettings.field_name(role, part) for part in docsettings.PARTS)
        rows.append(
            {
                "label": text(f"doc_role_{role}")[0],
                "name_field": name,
                "position_field": position,
                "name": person.get("name", ""),
                "position": person.get("position", ""),
                "name_errors": errors.get(name, []),
                "position_errors": errors.get(position, []),
                "errors": errors.get(role, []),
            }
        )
    return rows


def _rounds(plan_year: int) -> list[dict[str, Any]]:
    """The 6- and 12-month rounds of the plan year, as the core dates them."""
    found = []
    for period in PERIODS:
        r = round_of(plan_year, period)
        found.append({"period": period, "period_text": str(period), "start": r.start, "end": r.end})
    return found


def _default_period(plan_year: int, today: dt.date) -> int:
    """The round whose report is due next: 6 months until its due day, then 12."""
    return 6 if today <= round_of(plan_year, 6).due else 12


def _choices(keys: tuple[str, ...], prefix: str) -> list[tuple[str, str]]:
    return [(key, text(f"{prefix}{key}")[0]) for key in keys]


def _page(
    request: HttpRequest,
    agency: Agency,
    ita_year: int,
    asked: Asked | None = None,
    status: int = 200,
) -> HttpResponse:
    plan = Plan.objects.filter(agency=agency, ita_year=ita_year).first()
    td = agency.words.thai_digits
    report = asked.report if asked is not None else docsettings.saved(agency)
    values = asked.values if asked is not None else {}
    errors = asked.errors if asked is not None else {}
    plan_year = plan_year_of(plan.text, ita_year) if plan is not None else ita_year + 1
    context = {
        **_jobs_context(agency, ita_year),
        "plan": plan,
        "plan_year": plan_year,
        "rounds": _rounds(plan_year),
        "default_period": _default_period(plan_year, timezone.localdate()),
        "current_approved": plan is not None
        and PlanVersion.objects.filter(plan=plan, version=plan.version, approved_at__isnull=False).exists(),
        "can_request": can(request.user, Action.EDIT, agency),
        "has_progress": has_progress(plan),
        "no_plan": text("doc_no_plan")[0],
        "no_progress": text("doc_no_progress")[0],
        "signers": _signers(report, errors),
        "report": report,
        "values": values,
        "layouts": _choices(tuple(LAYOUTS), "doc_layout_"),
        "default_layout": DEFAULT_LAYOUT,
        "formats": _choices(tuple(DOCUMENT_FORMATS), "doc_format_"),
        "report_formats": _choices(tuple(PROGRESS_FORMATS), "doc_format_"),
        "digits_default": "เลขไทย" if td else "เลขอารบิก",
        "date_example": to_digits(f"เช่น 15 ธันวาคม {plan_year - 1}", thai=td),
        "errors": errors,
        "td": td,
    }
    return render(request, "jobs/documents.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, agency_id: int, ita_year: int) -> HttpResponse:
    if request.method != "POST":
        agency = agency_for(request.user, agency_id)
        loaded_year(agency, ita_year)  # 404: the year has no results
        return _page(request, agency, ita_year)
    agency = agency_for(request.user, agency_id, Action.EDIT)
    loaded_year(agency, ita_year)
    asked = read_form(request.POST)
    job = _queue(request, agency, ita_year, asked)
    if job is None:
        return _page(request, agency, ita_year, asked, status=400)
    what = (
        text("doc_kind_progress", period=job.period)
        if job.kind == Kind.PROGRESS
        else text("doc_kind_measures")
    )
    th, en = text("doc_requested", what=what[0], what_en=what[1], job=job.pk)
    messages.success(request, f"{to_digits(th, thai=agency.words.thai_digits)} / {en}")
    return redirect(reverse("documents", args=[agency.pk, ita_year]) + "#jobs")


@login_required
@require_GET
def documents_jobs(request: HttpRequest, agency_id: int, ita_year: int) -> HttpResponse:
    """The list of jobs alone: what the page polls while a job is queued or being made."""
    agency = agency_for(request.user, agency_id)
    if not agency.result_sets.filter(ita_year=ita_year).exists():
        raise Http404("no results for this year")
    context = {**_jobs_context(agency, ita_year), "td": agency.words.thai_digits}
    return render(request, "jobs/_jobs.html", context)
