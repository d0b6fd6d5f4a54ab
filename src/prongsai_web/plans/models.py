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
