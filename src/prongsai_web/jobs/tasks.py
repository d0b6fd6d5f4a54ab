"""The tasks the worker runs (the Django Tasks API; django-tasks-db in the database)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from prongsai_web.jobs import reminders
from prongsai_web.jobs.services import QUEUE, run_job


@task(queue_name=QUEUE)
def render_document(job_id: int) -> str:
    """One run of a RenderJob; its outcome is on the job row (the task's own result is the status)."""
    return run_job(job_id)


@task(queue_name=reminders.QUEUE)
def run_reminder_slot(day: str) -> str:
    """The reminders of ``day`` (ISO), once: "skipped" when another run took the day's slot."""
    run = reminders.run_slot(dt.date.fromisoformat(day))
    return "skipped" if run is None else f"{len(run.mails)} e-mails"


@task(queue_name=reminders.QUEUE)
def send_reminder(mail_id: int) -> str:
    """One attempt at one reminder e-mail; its outcome is on the ReminderMail row."""
    return reminders.send(mail_id)
