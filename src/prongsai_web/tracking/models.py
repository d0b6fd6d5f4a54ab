"""Carrying out a plan's measures: the progress file of the plan (dated updates, appended), every
version of it as saved, and the evidence files its updates name (docs/progress-format.md; the web's
pages in docs/web-tracking.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from prongsai_web.plans.models import Plan


class Progress(models.Model):
    """The progress file of one plan, as the core reads it (``progressfile``): every update kept,
    new ones appended; ``version`` adds one on every save (a save from an older one is refused)."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="progress")
    text = models.TextField()  # the progress file's YAML
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.plan} progress v{self.version}"


class ProgressVersion(models.Model):
    """One saved version of a progress file, its YAML kept as saved: never changed afterwards."""

    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    text = models.TextField()
    change = models.CharField(max_length=20)  # "update" (a form of the web) or "upload" (a whole file)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["progress", "version"], name="one_row_per_progress_version")
        ]
        ordering = ["progress", "version"]

    def __str__(self) -> str:
        return f"{self.progress.plan} progress v{self.version}"


def evidence_path(evidence: Evidence, filename: str) -> str:
    """Where the file is stored: the agency and year's folder, under a name the service made up
    (never the name it was uploaded with)."""
    plan = evidence.progress.plan
    return f"evidence/{plan.agency_id}/{plan.ita_year}/{filename}"


class Evidence(models.Model):
    """A file uploaded as evidence of an update; served only to people who may see its agency.
    ``path`` is how the progress file names it (``evidence: - file: PATH``)."""

    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="evidence")
    measure_id = models.CharField(max_length=200)
    path = models.CharField(max_length=255)
    file = models.FileField(upload_to=evidence_path, max_length=255)
    name = models.CharField(max_length=255)  # the name it was uploaded with, cleaned
    description = models.CharField(max_length=500)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["progress", "measure_id", "uploaded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["progress", "path"], name="one_evidence_per_path")]

    def __str__(self) -> str:
        return f"{self.progress.plan} {self.measure_id} {self.name}"
