"""Documents as background jobs on the Django Tasks API (django-tasks-db; docs/web.md and
docs/web-documents.md).

Two kinds of document go through the one mechanism: the measures document (``request_document``)
and the 6- or 12-month progress report (``request_progress_report``). A request is the write a
person makes: permission, the RenderJob row (with a copy of everything the document is made from:
the plan version, the progress file, the document settings and date), the agency's settings when the
page remembers them, the task and the audit event, in one transaction (django-tasks-db inserts its
task row on the same connection, so the job and its task commit together or not at all). ``run_job``
is what the task does. The engine's gaps (shared/research/WEBAPP.md §6) are filled here: ``reap``
puts runs a dead worker left ``running`` back in the queue, and a failed run is retried with back-off
up to ``JOBS_MAX_ATTEMPTS``; the rules themselves are the pure functions ``backoff``,
``retry_after`` and ``is_stale`` (the reminder e-mails use them too: jobs/reminders.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import yaml
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from prongsai.app.documents import measures_document
from prongsai.app.plans import plan_from_text
from prongsai.app.progress import REPORT_FORMATS, progress_report_file
from prongsai.document.layouts import DEFAULT_LAYOUT, LAYOUTS
from prongsai.document.settings import ReportSettings
from prongsai.errors import InputError
from prongsai.planfile import plan_to_yaml
from prongsai.progress import PERIODS, Period
from prongsai_web.access import Action, check
from prongsai_web.audit.services import record
from prongsai_web.directory.models import Agency
from prongsai_web.jobs import docsettings
from prongsai_web.jobs.models import Format, Kind, RenderJob, Status
from prongsai_web.jobs.progresstext import as_files, progress_text
from prongsai_web.messages import text
from prongsai_web.plans.models import Plan
from prongsai_web.plans.services import current_plan, loaded_year

log = logging.getLogger(__name__)

MAX_ATTEMPTS = int(getattr(settings, "JOBS_MAX_ATTEMPTS", 3))
STALE_AFTER = dt.timedelta(seconds=int(getattr(settings, "JOBS_STALE_AFTER", 600)))
QUEUE = "interactive"  # one document a person is waiting for
DOCUMENT_FORMATS = (Format.DOCX, Format.PDF, Format.HTML)  # the measures document
PROGRESS_FORMATS = tuple(Format(f) for f in REPORT_FORMATS)  # the progress report: and XLSX


class BadRequest(Exception):
    """The request names a format, layout or round the core does not make; ``problems`` say which."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(p["en"] for p in problems))
        self.problems = problems


# --- the rules, as pure functions -------------------------------------------------------------


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait before the next run after ``attempts`` runs failed: 2, 4, 8 … minutes."""
    return dt.timedelta(minutes=2 ** max(attempts, 1))


def retry_after(attempts: int, *, permanent: bool, max_attempts: int = MAX_ATTEMPTS) -> dt.timedelta | None:
    """The wait before running a failed job again, or None when it fails for good: a permanent
    error (the input itself is wrong) at once, any other once ``max_attempts`` runs have failed."""
    if permanent or attempts >= max_attempts:
        return None
    return backoff(attempts)


def is_stale(
    status: str, started_at: dt.datetime | None, now: dt.datetime, stale_after: dt.timedelta
) -> bool:
    """A run that a worker started and has not finished within ``stale_after``: its worker died."""
    return status == Status.RUNNING and started_at is not None and now - started_at > stale_after


# --- the requests -----------------------------------------------------------------------------


def document_problems(fmt: str, layout: str) -> list[dict[str, Any]]:
    """What is wrong with a measures document's format and layout (nothing: an empty list)."""
    problems = []
    if fmt not in DOCUMENT_FORMATS:
        choices = ", ".join(DOCUMENT_FORMATS)
        problems.append(_problem("bad_format", "format", given=fmt, choices=choices))
    if layout not in LAYOUTS:
        problems.append(_problem("bad_layout", "layout", given=layout, choices=", ".join(LAYOUTS)))
    return problems


def report_problems(period: int | str, fmt: str) -> list[dict[str, Any]]:
    """What is wrong with a progress report's round and format (nothing: an empty list)."""
    problems = []
    if period not in PERIODS:
        problems.append(_problem("doc_bad_period", "period", given=period))
    if fmt not in PROGRESS_FORMATS:
        choices = ", ".join(PROGRESS_FORMATS)
        problems.append(_problem("doc_bad_report_format", "format", given=fmt, choices=choices))
    return problems


def request_document(
    actor: User | AnonymousUser,
    agency: Agency,
    ita_year: int,
    fmt: str,
    layout: str | None = None,
    thai_digits: bool | None = None,
    *,
    report: docsettings.Data | None = None,
    date: dt.date | None = None,
    remember: bool = False,
) -> RenderJob:
    """Queue the measures document of the agency-year's current plan (drafted and saved first when
    there is none yet), signed as ``report`` says (the agency's remembered settings when None; kept
    as theirs when ``remember``); Http404 when the year has no results, BadRequest for an unknown
    format or layout."""
    check(actor, Action.EDIT, agency)
    layout = layout or DEFAULT_LAYOUT
    problems = document_problems(fmt, layout)
    if problems:
        raise BadRequest(problems)
    loaded_year(agency, ita_year)  # 404 before anything is written when the year has no results
    order = Order(Kind.MEASURES, fmt, layout=layout, thai_digits=thai_digits, date=date)
    return _queue(actor, agency, ita_year, order, report, remember)


def request_progress_report(
    actor: User | AnonymousUser,
    agency: Agency,
    ita_year: int,
    period: int,
    fmt: str,
    as_of: dt.date | None = None,
    thai_digits: bool | None = None,
    *,
    report: docsettings.Data | None = None,
    date: dt.date | None = None,
    remember: bool = False,
) -> RenderJob:
    """Queue the 6- or 12-month progress report on the current plan's measures from its progress
    file as tracking keeps it (every measure not started when none is kept), as of ``as_of`` (the
    round's last day when None); the same rules as ``request_document``."""
    check(actor, Action.EDIT, agency)
    problems = report_problems(period, fmt)
    if problems:
        raise BadRequest(problems)
    loaded_year(agency, ita_year)
    order = Order(Kind.PROGRESS, fmt, period=period, as_of=as_of, thai_digits=thai_digits, date=date)
    return _queue(actor, agency, ita_year, order, report, remember)


@dataclass(frozen=True)
class Order:
    """What is asked for, checked: the kind, format and the kind's own choices."""

    kind: Kind
    fmt: str
    layout: str = ""
    period: int | None = None
    as_of: dt.date | None = None
    thai_digits: bool | None = None
    date: dt.date | None = None


@transaction.atomic
def _queue(
    actor: User | AnonymousUser,
    agency: Agency,
    ita_year: int,
    order: Order,
    report: docsettings.Data | None,
    remember: bool,
) -> RenderJob:
    check(actor, Action.EDIT, agency)
    if report is None:
        report = docsettings.saved(agency)
    elif remember:
        docsettings.remember(actor, agency, report)
    state = current_plan(actor, agency, ita_year)
    plan_text = plan_to_yaml(state.plan)
    row = Plan.objects.filter(agency=agency, ita_year=ita_year).first()
    job = RenderJob.objects.create(
        agency=agency,
        ita_year=ita_year,
        kind=order.kind,
        plan_version=state.version,
        plan_text=plan_text,
        progress_text=progress_text(row, state.plan) if order.kind == Kind.PROGRESS else "",
        period=order.period,
        as_of=order.as_of,
        report_settings=_with_date(report, order, state.plan.plan_year),
        fmt=order.fmt,
        layout=order.layout,
        thai_digits=order.thai_digits,
        requested_by=actor if isinstance(actor, User) else None,
    )
    _enqueue(job)
    record(
        actor,
        "document.requested",
        agency=agency,
        target=job,
        ita_year=ita_year,
        kind=order.kind.value,
        plan_version=state.version,
        format=order.fmt,
        **({"layout": order.layout} if order.kind == Kind.MEASURES else {"period": order.period}),
    )
    return job


def _with_date(report: docsettings.Data, order: Order, plan_year: int) -> docsettings.Data:
    """The settings the job keeps, with the document's date fixed now, so that a re-run makes the
    same document: the date given, else for a measures document the day the core chooses today in
    the plan year's planning season; a progress report without one is dated by its round."""
    day = order.date
    if day is None and order.kind == Kind.MEASURES:
        day = ReportSettings().for_plan_year(plan_year)[0].date
    return {**report, "date": day.isoformat() if day is not None else None}


def _enqueue(job: RenderJob, run_after: dt.datetime | None = None) -> None:
    """The task for the job's next run, in the caller's transaction; its id kept on the job."""
    from prongsai_web.jobs.tasks import render_document

    task = render_document.using(run_after=run_after) if run_after is not None else render_document
    result = task.enqueue(job.pk)
    RenderJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)


# --- the run ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Made:
    data: bytes
    filename: str


def run_job(job_id: int) -> str:
    """One run of a queued job: claim it, render, keep the file (done), or fail and maybe retry.
    A job not queued (done, failed, claimed by another run) is left alone: a run is idempotent."""
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != Status.QUEUED:
            return "skipped"
        job.status = Status.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.finished_at = None
        job.save(update_fields=["status", "attempts", "started_at", "finished_at"])
    try:
        made = render(job)
    except Exception as exc:
        return _after_failure(job, exc)
    return _done(job, made)


def render(job: RenderJob) -> Made:
    """The document's bytes, from what the job holds (its kind says which document)."""
    return RENDERERS[job.kind](job)


def job_settings(job: RenderJob) -> ReportSettings:
    """The core's settings from those the job keeps (its date included)."""
    given = job.report_settings.get("date")
    return docsettings.report_settings(job.report_settings, dt.date.fromisoformat(given) if given else None)


def _render_measures(job: RenderJob) -> Made:
    """The measures document of the plan version the job holds and the agency-year's results."""
    plan = plan_from_text(job.plan_text, f"plan-{job.ita_year}.yaml")
    loaded = loaded_year(job.agency, job.ita_year)
    made = measures_document(
        loaded,
        plan,
        job_settings(job),
        job.fmt,
        layout=job.layout or DEFAULT_LAYOUT,
        thai_digits=job.thai_digits,
    )
    name = f"measures-{job.ita_year}-v{job.plan_version}-{job.layout}-{job.pk}.{job.fmt}"
    return Made(made.data, name)


def _render_progress(job: RenderJob) -> Made:
    """The progress report from the plan version and the progress file the job holds."""
    with as_files(job.plan_text, job.progress_text) as files:
        made = progress_report_file(
            files.plan,
            files.progress,
            cast(Period, job.period),
            job.fmt,
            as_of=job.as_of,
            settings=job_settings(job),
            thai_digits=job.thai_digits,
        )
    name = f"progress-{job.period}m-{job.ita_year}-v{job.plan_version}-{job.pk}.{job.fmt}"
    return Made(made.data, name)


RENDERERS: dict[str, Callable[[RenderJob], Made]] = {
    Kind.MEASURES: _render_measures,
    Kind.PROGRESS: _render_progress,
}


def _done(job: RenderJob, made: Made) -> str:
    job.output.save(made.filename, ContentFile(made.data), save=False)
    with transaction.atomic():
        job.status = Status.DONE
        job.finished_at = timezone.now()
        job.error_th = job.error_en = ""
        job.save(update_fields=["status", "finished_at", "output", "error_th", "error_en"])
        record(
            None, "document.made", agency=job.agency, target=job, size=len(made.data), attempts=job.attempts
        )
    return str(job.status)


def _after_failure(job: RenderJob, exc: Exception) -> str:
    permanent = isinstance(exc, InputError | Http404)
    th, en = error_text(exc)
    wait = retry_after(job.attempts, permanent=permanent)
    log.warning("document job %s run %s failed: %s", job.pk, job.attempts, en)
    with transaction.atomic():
        job.error_th, job.error_en = th, en
        if wait is None:
            job.status = Status.FAILED
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "finished_at", "error_th", "error_en"])
            record(None, "document.failed", agency=job.agency, target=job, attempts=job.attempts, error=en)
        else:
            job.status = Status.QUEUED
            job.save(update_fields=["status", "error_th", "error_en"])
            _enqueue(job, timezone.now() + wait)
    return str(job.status)


def error_text(exc: Exception, failed: str = "failed") -> tuple[str, str]:
    """What went wrong, in Thai and English: the input's problems as the core words them, or the
    ``failed`` text with the error's name and message."""
    if isinstance(exc, InputError):
        return (
            "\n".join(p.describe("th") for p in exc.problems),
            "\n".join(p.describe("en") for p in exc.problems),
        )
    if isinstance(exc, Http404):
        return text("results_gone")
    detail = f"{type(exc).__name__}: {exc}"[:500]
    th, en = text(failed)
    return f"{th} ({detail})", f"{en} ({detail})"


# --- the reaper -------------------------------------------------------------------------------


def reap(now: dt.datetime | None = None, stale_after: dt.timedelta = STALE_AFTER) -> list[int]:
    """Jobs whose worker died mid-run (``running`` past ``stale_after``): queued again at once and
    re-enqueued while runs are left, else failed. Their stuck task rows are marked failed. The ids."""
    now = now or timezone.now()
    reaped = []
    candidates = RenderJob.objects.filter(status=Status.RUNNING, started_at__lt=now - stale_after)
    for job_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            job = RenderJob.objects.select_for_update().filter(pk=job_id).first()
            if job is None or not is_stale(job.status, job.started_at, now, stale_after):
                continue  # finished meanwhile
            fail_task_row(job.task_id, now)
            final = job.attempts >= MAX_ATTEMPTS
            th, en = text("worker_lost_final" if final else "worker_lost")
            job.error_th, job.error_en = th, en
            if final:
                job.status = Status.FAILED
                job.finished_at = now
                job.save(update_fields=["status", "finished_at", "error_th", "error_en"])
                record(
                    None, "document.failed", agency=job.agency, target=job, attempts=job.attempts, error=en
                )
            else:
                job.status = Status.QUEUED
                job.save(update_fields=["status", "error_th", "error_en"])
                _enqueue(job)
                record(None, "document.requeued", agency=job.agency, target=job, attempts=job.attempts)
            reaped.append(job.pk)
    return reaped


def fail_task_row(task_id: str, now: dt.datetime) -> None:
    """django-tasks-db leaves a dead worker's task RUNNING for ever (upstream #46): mark it failed."""
    if not task_id:
        return
    from django_tasks_db.models import DBTaskResult

    with contextlib.suppress(ValidationError):  # not a django-tasks-db id (another backend)
        DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
            status="FAILED",
            finished_at=now,
            exception_class_path="prongsai_web.jobs.WorkerLost",
            traceback="reaped: the worker stopped during the run",
        )


def _problem(key: str, field: str, **values: Any) -> dict[str, Any]:
    th, en = text(key, **values)
    return {"th": th, "en": en, "location": {"field": field}}


# --- reads ------------------------------------------------------------------------------------


def job_for(user: User | AnonymousUser, job_id: int) -> RenderJob:
    """The job when its agency is in ``user``'s scope; Http404 otherwise (it does not exist for them)."""
    from prongsai_web.access import agencies

    job = RenderJob.objects.filter(pk=job_id, agency__in=agencies(user, Action.VIEW)).first()
    if job is None:
        raise Http404("no such job")
    return job


def plan_year_of(plan_text: str, ita_year: int) -> int:
    """The plan year a plan file names, without reading the whole plan (the ITA year's next one,
    as a draft has it, when the text does not say)."""
    with contextlib.suppress(yaml.YAMLError, AttributeError, KeyError, TypeError, ValueError):
        return int(yaml.safe_load(plan_text)["plan_year"])
    return ita_year + 1


def download_name(job: RenderJob) -> str:
    """The file name the person saves: Thai, as a clerk would name it."""
    if job.kind == Kind.PROGRESS:
        plan_year = plan_year_of(job.plan_text, job.ita_year)
        return (
            f"รายงานผลการดำเนินการตามมาตรการ รอบ {job.period} เดือน ปีงบประมาณ {plan_year} "
            f"{job.agency.name} ฉบับที่ {job.plan_version}.{job.fmt}"
        )
    return f"มาตรการส่งเสริมคุณธรรม ITA {job.ita_year} {job.agency.name} ฉบับที่ {job.plan_version}.{job.fmt}"


def job_json(job: RenderJob, url: str | None) -> dict[str, Any]:
    return {
        "job": job.pk,
        "kind": job.kind,
        "status": job.status,
        "url": url if job.status == Status.DONE and job.output else None,
        "agency": job.agency_id,
        "ita_year": job.ita_year,
        "plan_version": job.plan_version,
        "format": job.fmt,
        "layout": job.layout or None,
        "period": job.period,
        "as_of": job.as_of.isoformat() if job.as_of else None,
        "attempts": job.attempts,
        "error": {"th": job.error_th, "en": job.error_en} if job.error_en else None,
        "requested_at": job.requested_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
