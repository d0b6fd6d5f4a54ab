"""The worker: django-tasks-db's own ``db_worker`` loop, with the reaper run every
``JOBS_REAP_EVERY`` seconds between passes (``prongsai web worker``)."""

from __future__ import annotations

import logging
import os
import socket
import time

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Worker

from prongsai_web.jobs.services import reap

log = logging.getLogger(__name__)


def worker_id() -> str:
    """Unique across the pool of workers sharing a database: host and process."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}"


def run_worker(
    queues: str = "*",
    *,
    batch: bool = False,
    interval: float = 1.0,
    reap_every: float | None = None,
    name: str | None = None,
) -> int:
    """Run the tasks of ``queues`` (comma separated, ``*`` for all): reap, then take every ready
    task (django-tasks-db's Worker, which claims each with a row lock), sleep, again. With ``batch``,
    one pass: what is ready now, then return. The number of tasks run."""
    every = float(reap_every if reap_every is not None else getattr(settings, "JOBS_REAP_EVERY", 60))
    worker = Worker(
        queue_names=[q.strip() for q in queues.split(",") if q.strip()] or ["*"],
        interval=interval,
        batch=True,  # one pass per call: the reaper runs between passes
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=name or worker_id(),
        excluded_queue_names=[],
    )
    if not batch:
        worker.configure_signals()  # SIGTERM: finish the running task, then stop
    last_reap = float("-inf")
    while True:
        if time.monotonic() - last_reap >= every:
            reaped = reap()
            if reaped:
                log.warning("reaped document jobs %s: queued again or failed", reaped)
            last_reap = time.monotonic()
        worker.run()
        if batch or not worker.running:
            break
        time.sleep(interval)
    if not batch:
        worker.reset_signals()
    return worker._run_tasks
