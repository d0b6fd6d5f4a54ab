"""The tasks the worker runs (the Django Tasks API; django-tasks-db in the database)."""

from __future__ import annotations

from django_tasks import task

from prongsai_web.jobs.services import QUEUE, run_job


@task(queue_name=QUEUE)
def render_document(job_id: int) -> str:
    """One run of a RenderJob; its outcome is on the job row (the task's own result is the status)."""
    return run_job(job_id)
