"""Carrying out a plan's measures: the progress file of the plan (dated updates, appended), and the
evidence files its updates name (docs/progress-format.md; the web's pages in docs/web-tracking.md)."""

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


def evidence_path(evidence: Evidence, filename: str) -> str:
    plan = evidence.progress.plan
    return f"evidence/{plan.agency_id}/{plan.ita_year}/{filename}"


class Evidence(models.Model):
    """A file uploaded as evidence of an update; served only to people who may see its agency."""

    progress = models.ForeignKey(Progress, on_delete=models.CASCADE, related_name="evidence")
    measure_id = models.CharField(max_length=40)
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

    def __str__(self) -> str:
        return f"{self.progress.plan} {self.measure_id} {self.name}"
