"""``prongsai report --batch SCORES -o DIR --engine``: a batch's documents as tasks on the job engine
(django-tasks-db, the queue ``batch``), so that ``prongsai web worker`` processes on several machines
sharing the database make them (docs/document.md, "Batches on the job engine").

The command reads and checks the SCORES file, works out what is still to make (``prongsai.batch``:
resumable by the files already written), and enqueues the jobs in chunks: each task carries its jobs
as the canonical results text (the agency-year and its history) and the options as JSON, so a worker
needs the database and the output folder only. ``follow`` then waits for the tasks, reporting every
document as the command's progress bar does; a chunk whose worker died (running longer than
``JOBS_STALE_AFTER``) is queued again, up to ``JOBS_MAX_ATTEMPTS`` runs; interrupting removes the chunks
not yet started, so running the command again makes what is left and nothing twice.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from prongsai import batch
from prongsai.app.results import canonical_yaml
from prongsai.document.settings import settings_from_json
from prongsai.errors import InputError
from prongsai.ingest.canonical import read_yaml
from prongsai.problems import Location
from prongsai.results import ResultsInput
from prongsai_web.messages import text

QUEUE = "batch"
CHUNK = 10  # documents per task: a few seconds of work, so a dead worker loses little


# --- the jobs and options as JSON ---------------------------------------------------------------


def _record_json(record: ResultsInput) -> dict[str, Any]:
    return {"text": canonical_yaml(record), "estimated": sorted(record.estimated)}


def _record(data: dict[str, Any]) -> ResultsInput:
    records, problems = read_yaml(data["text"], Location(file="results.yaml"))
    if len(records) != 1:
        raise InputError(list(problems))
    return replace(records[0], estimated=frozenset(data["estimated"]))


def job_to_json(job: batch.Job) -> dict[str, Any]:
    return {
        "results": _record_json(job.results),
        "history": [_record_json(h) for h in job.history],
        "path": str(job.path),
    }


def job_from_json(data: dict[str, Any]) -> batch.Job:
    return batch.Job(_record(data["results"]), tuple(_record(h) for h in data["history"]), Path(data["path"]))


def options_to_json(options: batch.BatchOptions) -> dict[str, Any]:
    return {
        "fmt": options.fmt,
        "layout": options.layout,
        "settings": options.settings.to_json(),
        "thai_digits": options.thai_digits,
        "units": dict(options.units),
        "template": None if options.template is None else str(options.template),
    }


def options_from_json(data: dict[str, Any]) -> batch.BatchOptions:
    template = data.get("template")
    return batch.BatchOptions(
        fmt=data["fmt"],
        layout=data["layout"],
        settings=settings_from_json(data["settings"]),
        thai_digits=data.get("thai_digits"),
        units=dict(data.get("units") or {}),
        template=None if template is None else Path(template),
    )


def outcome_to_json(outcome: batch.Outcome) -> dict[str, Any]:
    return {
        "path": str(outcome.path),
        "status": outcome.status,
        "seconds": outcome.seconds,
        "estimated": outcome.estimated,
        "detail_th": outcome.detail_th,
        "detail_en": outcome.detail_en,
    }


def outcome_from_json(data: dict[str, Any]) -> batch.Outcome:
    return batch.Outcome(
        Path(data["path"]),
        data["status"],
        float(data["seconds"]),
        bool(data["estimated"]),
        data.get("detail_th", ""),
        data.get("detail_en", ""),
    )


# --- the task -------------------------------------------------------------------------------------


@task(queue_name=QUEUE)
def render_chunk(jobs: list[dict[str, Any]], options: dict[str, Any]) -> list[dict[str, Any]]:
    """Make a chunk's documents (``prongsai.batch.render_one``: a document that fails is an outcome,
    never the end of the chunk); the outcomes are the task's return value."""
    chosen = options_from_json(options)
    return [outcome_to_json(batch.render_one(job_from_json(j), chosen)) for j in jobs]


# --- the command's side ---------------------------------------------------------------------------


@dataclass
class Chunk:
    jobs: list[dict[str, Any]]
    task_id: str
    runs: int = 1

    @property
    def paths(self) -> list[Path]:
        return [Path(j["path"]) for j in self.jobs]


def _enqueue_one(jobs: list[dict[str, Any]], options: dict[str, Any]) -> str:
    return str(render_chunk.enqueue(jobs, options).id)


@transaction.atomic
def enqueue(todo: Sequence[batch.Job], options: batch.BatchOptions, size: int = CHUNK) -> list[Chunk]:
    """Every job of ``todo`` as tasks of ``size`` jobs, all queued or none."""
    payload = options_to_json(options)
    chunks = []
    for start in range(0, len(todo), size):
        jobs = [job_to_json(j) for j in todo[start : start + size]]
        chunks.append(Chunk(jobs, _enqueue_one(jobs, payload)))
    return chunks


def _failed(chunk: Chunk, th: str, en: str) -> list[batch.Outcome]:
    return [batch.Outcome(path, "failed", 0.0, detail_th=th, detail_en=en) for path in chunk.paths]


def follow(
    chunks: list[Chunk],
    options: batch.BatchOptions,
    on_done: Callable[[batch.Outcome], None],
    *,
    poll: float = 1.0,
    stale_after: dt.timedelta | None = None,
    max_runs: int | None = None,
) -> None:
    """Wait for ``chunks``, telling ``on_done`` of every document as its chunk finishes."""
    stale = stale_after or dt.timedelta(seconds=int(getattr(django_settings, "JOBS_STALE_AFTER", 600)))
    runs = max_runs or int(getattr(django_settings, "JOBS_MAX_ATTEMPTS", 3))
    payload = options_to_json(options)
    waiting = {c.task_id: c for c in chunks}
    try:
        while waiting:
            rows = DBTaskResult.objects.filter(id__in=list(waiting)).only(
                "id", "status", "started_at", "return_value", "exception_class_path"
            )
            for row in rows:
                chunk = waiting[str(row.id)]
                if row.status == "SUCCESSFUL":
                    del waiting[str(row.id)]
                    for data in row.return_value or []:
                        on_done(outcome_from_json(data))
                elif row.status == "FAILED":
                    del waiting[str(row.id)]
                    error = row.exception_class_path.rsplit(".", 1)[-1]
                    for outcome in _failed(chunk, *text("batch_task_failed", error=error)):
                        on_done(outcome)
                elif row.status == "RUNNING" and row.started_at and timezone.now() - row.started_at > stale:
                    del waiting[str(row.id)]
                    if chunk.runs >= runs:
                        for outcome in _failed(chunk, *text("batch_worker_lost")):
                            on_done(outcome)
                    else:
                        again = Chunk(chunk.jobs, _enqueue_one(chunk.jobs, payload), chunk.runs + 1)
                        waiting[again.task_id] = again
            if waiting:
                time.sleep(poll)
    except KeyboardInterrupt:
        withdraw(list(waiting))
        raise


def withdraw(task_ids: list[str]) -> int:
    """Remove the tasks of ``task_ids`` no worker has started; how many."""
    removed, _ = DBTaskResult.objects.filter(id__in=task_ids, status="READY").delete()
    return removed
