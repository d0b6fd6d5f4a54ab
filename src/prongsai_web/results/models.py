"""An agency's results for one ITA year, kept as the canonical results text the core reads."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from prongsai.app.results import read_canonical
from prongsai.results import Results
from prongsai_web.directory.models import Agency


class ResultSet(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="result_sets")
    ita_year = models.PositiveIntegerField()
    canonical = models.TextField()  # the canonical results YAML (docs/results-format.md)
    estimated = models.JSONField(default=list, blank=True)  # keys a SCORES file marked as estimated
    warnings = models.JSONField(default=list, blank=True)  # the reader's warnings at upload
    overall = models.FloatField(null=True, blank=True)
    level = models.CharField(max_length=50, blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency", "-ita_year"]
        constraints = [models.UniqueConstraint(fields=["agency", "ita_year"], name="one_result_per_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.ita_year}"

    def to_core(self) -> Results:
        return read_canonical(self.canonical, frozenset(self.estimated), f"{self.ita_year}.yaml")
