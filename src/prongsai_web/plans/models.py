"""An agency's measures plan for one ITA year's results: the plan file's YAML, as the core writes it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from prongsai_web.directory.models import Agency


class Plan(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="plans")
    ita_year = models.PositiveIntegerField()
    text = models.TextField()  # plan_to_yaml(plan): the plan file, unchanged
    version = models.PositiveIntegerField(default=1)  # optimistic locking: every save adds one
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "ita_year"], name="one_plan_per_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.ita_year} v{self.version}"


class PlanVersion(models.Model):
    """One saved version of a plan, its YAML kept as saved: never changed afterwards. An approved
    version (approved_by, approved_at) is the one the executive signed; editing the plan after it
    makes a new working version and leaves this snapshot as it was."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    text = models.TextField()  # plan_to_yaml of this version, unchanged
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="one_row_per_plan_version")]
        ordering = ["plan", "version"]

    def __str__(self) -> str:
        return f"{self.plan} v{self.version}{' approved' if self.approved_at else ''}"
