"""Documents as background jobs on the Django Tasks API (django-tasks-db; docs/web.md).

``request_document`` is the write a person makes: permission, the RenderJob row, the task and the
audit event in one transaction (django-tasks-db inserts its task row on the same connection, so the
job and its task commit together or not at all). ``run_job`` is what the task does. The engine's gaps
(shared/research/WEBAPP.md §6) are filled here: ``reap`` puts runs a dead worker left ``running``
back in the queue, and a failed run is retried with back-off up to ``JOBS_MAX_ATTEMPTS``; the rules
themselves are the pure functions ``backoff``, ``retry_after`` and ``is_stale``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from prongsai.app.documents import measures_document
from prongsai.app.plans import plan_from_text
from prongsai.document.layouts import DEFAULT_LAYOUT, LAYOUTS
from prongsai.document.settings import ReportSettings
from prongsai.errors import InputError
from prongsai.planfile import plan_to_yaml
from prongsai_web.access import Action, check
from prongsai_web.audit.services import record
from prongsai_web.directory.models import Agency
from prongsai_web.jobs.models import Format, RenderJob, Status
from prongsai_web.messages import text
from prongsai_web.plans.services import current_plan, loaded_year

log = logging.getLogger(__name__)

MAX_ATTEMPTS = int(getattr(settings, "JOBS_MAX_ATTEMPTS", 3))
STALE_AFTER = dt.timedelta(seconds=int(getattr(settings, "JOBS_STALE_AFTER", 600)))
QUEUE = "interactive"  # one document a person is waiting for


class BadRequest(Exception):
    """The request names a format or layout the core does not make; ``problems`` say which."""

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


# --- the request ------------------------------------------------------------------------------


def request_document(
    actor: User | AnonymousUser,
    agency: Agency,
    ita_year: int,
    fmt: str,
    layout: str | None = None,
    thai_digits: bool | None = None,
) -> RenderJob:
    """Queue the measures document of the agency-year's current plan (drafted and saved first when
    there is none yet); Http404 when the year has no results, BadRequest for an unknown format or
    layout."""
    check(actor, Action.EDIT, agency)
    layout = layout or DEFAULT_LAYOUT
    problems = []
    if fmt not in Format.values:
        problems.append(_problem("bad_format", "format", given=fmt, choices=", ".join(Format.values)))
    if layout not in LAYOUTS:
        problems.append(_problem("bad_layout", "layout", given=layout, choices=", ".join(LAYOUTS)))
    if problems:
        raise BadRequest(problems)
    loaded_year(agency, ita_year)  # 404 before anything is written when the year has no results
    return _queue(actor, agency, ita_year, fmt, layout, thai_digits)


@transaction.atomic
def _queue(
    actor: User | AnonymousUser,
    agency: Agency,
    ita_year: int,
    fmt: str,
    layout: str,
    thai_digits: bool | None,
) -> RenderJob:
    check(actor, Action.EDIT, agency)
    state = current_plan(actor, agency, ita_year)
    job = RenderJob.objects.create(
        agency=agency,
        ita_year=ita_year,
        plan_version=state.version,
        plan_text=plan_to_yaml(state.plan),
        fmt=fmt,
        layout=layout,
        thai_digits=thai_digits,
        requested_by=actor if isinstance(actor, User) else None,
    )
    _enqueue(job)
    record(
        actor,
        "document.requested",
        agency=agency,
        target=job,
        ita_year=ita_year,
        plan_version=state.version,
        format=fmt,
        layout=layout,
    )
    return job


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
    """The document's bytes, from the plan version the job holds and the agency-year's results."""
    plan = plan_from_text(job.plan_text, f"plan-{job.ita_year}.yaml")
    loaded = loaded_year(job.agency, job.ita_year)
    made = measures_document(
        loaded, plan, ReportSettings(), job.fmt, layout=job.layout, thai_digits=job.thai_digits
    )
    name = f"measures-{job.ita_year}-v{job.plan_version}-{job.layout}-{job.pk}.{job.fmt}"
    return Made(made.data, name)


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
    th, en = _error_text(exc)
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


def _error_text(exc: Exception) -> tuple[str, str]:
    if isinstance(exc, InputError):
        return (
            "\n".join(p.describe("th") for p in exc.problems),
            "\n".join(p.describe("en") for p in exc.problems),
        )
    if isinstance(exc, Http404):
        return text("results_gone")
    detail = f"{type(exc).__name__}: {exc}"[:500]
    th, en = text("failed")
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
            _fail_task_row(job.task_id, now)
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


def _fail_task_row(task_id: str, now: dt.datetime) -> None:
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


def _problem(key: str, field: str, **values: str) -> dict[str, Any]:
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


def download_name(job: RenderJob) -> str:
    """The file name the person saves: Thai, as a clerk would name it."""
    return f"มาตรการส่งเสริมคุณธรรม ITA {job.ita_year} {job.agency.name} ฉบับที่ {job.plan_version}.{job.fmt}"


def job_json(job: RenderJob, url: str | None) -> dict[str, Any]:
    return {
        "job": job.pk,
        "status": job.status,
        "url": url if job.status == Status.DONE and job.output else None,
        "agency": job.agency_id,
        "ita_year": job.ita_year,
        "plan_version": job.plan_version,
        "format": job.fmt,
        "layout": job.layout,
        "attempts": job.attempts,
        "error": {"th": job.error_th, "en": job.error_en} if job.error_en else None,
        "requested_at": job.requested_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
