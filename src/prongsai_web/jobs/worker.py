"""The worker: django-tasks-db's own ``db_worker`` loop, with the reaper run every
``JOBS_REAP_EVERY`` seconds between passes and, in a long-running worker, the reminders' schedule
checked every ``JOBS_SCHEDULE_EVERY`` seconds (``prongsai web worker``; docs/web-documents.md).

django-tasks has no periodic scheduler. The schedule is a check, not a timer: at start and then every
few minutes the loop asks whether today's reminder slot is due and not yet taken, and queues its
task when it is. Any number of workers on any number of machines may do the same: the slot's unique
day lets exactly one run it (jobs/reminders.py)."""

from __future__ import annotations

import logging
import os
import socket
import time

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Worker

from prongsai_web.jobs import reminders
from prongsai_web.jobs.services import reap

log = logging.getLogger(__name__)


def worker_id() -> str:
    """Unique across the pool of workers sharing a database: host and process."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}"


class Every:
    """A chore due every ``seconds`` (by the monotonic clock), the first time at once."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.last = float("-inf")

    def due(self) -> bool:
        now = time.monotonic()
        if now - self.last < self.seconds:
            return False
        self.last = now
        return True


def _reap() -> None:
    reaped = reap()
    if reaped:
        log.warning("reaped document jobs %s: queued again or failed", reaped)
    lost = reminders.reap_mails()
    if lost:
        log.warning("reminder e-mails %s were being sent when their worker stopped: failed", lost)


def _schedule() -> None:
    day = reminders.schedule()
    if day is not None:
        log.info("queued the reminders of %s", day.isoformat())


def run_worker(
    queues: str = "*",
    *,
    batch: bool = False,
    interval: float = 1.0,
    reap_every: float | None = None,
    name: str | None = None,
    schedule: bool | None = None,
    schedule_every: float | None = None,
) -> int:
    """Run the tasks of ``queues`` (comma separated, ``*`` for all): reap, check the reminders'
    schedule, then take every ready task (django-tasks-db's Worker, which claims each with a row
    lock), sleep, again. With ``batch``, one pass: what is ready now, then return. ``schedule``
    (default: when not ``batch``) checks the reminders' schedule. The number of tasks run."""
    reaping = Every(float(reap_every if reap_every is not None else getattr(settings, "JOBS_REAP_EVERY", 60)))
    scheduling = Every(
        float(schedule_every if schedule_every is not None else getattr(settings, "JOBS_SCHEDULE_EVERY", 300))
    )
    check_schedule = not batch if schedule is None else schedule
    worker = Worker(
        queue_names=[q.strip() for q in queues.split(",") if q.strip()] or ["*"],
        interval=interval,
        batch=True,  # one pass per call: the reaper and the schedule run between passes
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=name or worker_id(),
        excluded_queue_names=[],
    )
    if not batch:
        worker.configure_signals()  # SIGTERM: finish the running task, then stop
    while True:
        if reaping.due():
            _reap()
        if check_schedule and scheduling.due():
            _schedule()
        worker.run()
        if batch or not worker.running:
            break
        time.sleep(interval)
    if not batch:
        worker.reset_signals()
    return worker._run_tasks
