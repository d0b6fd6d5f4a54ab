"""A document asked for and made in the background: one row per request, the file in the data
folder's media once it is made (docs/web.md, "Documents as background jobs")."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from prongsai_web.directory.models import Agency


class Status(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Format(models.TextChoices):
    DOCX = "docx"
    PDF = "pdf"
    HTML = "html"


def output_path(job: RenderJob, filename: str) -> str:
    return f"documents/{job.agency_id}/{job.ita_year}/{filename}"


class RenderJob(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="render_jobs")
    ita_year = models.PositiveIntegerField()
    plan_version = models.PositiveIntegerField()  # the plan's version when the document was asked for
    plan_text = models.TextField()  # that version's plan file, so the document is of the version asked
    fmt = models.CharField(max_length=8, choices=Format.choices)
    layout = models.CharField(max_length=40)
    thai_digits = models.BooleanField(null=True)  # None: as the agency's kind writes them
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)  # runs started (a reaped run counts)
    error_th = models.TextField(blank=True)
    error_en = models.TextField(blank=True)
    output = models.FileField(upload_to=output_path, max_length=255, blank=True)
    task_id = models.CharField(max_length=64, blank=True)  # the django-tasks-db row of the latest run
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)  # of the latest run: the reaper's clock
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "started_at"], name="render_job_status_started")]

    def __str__(self) -> str:
        return f"{self.agency} {self.ita_year} v{self.plan_version} {self.fmt} {self.status}"
