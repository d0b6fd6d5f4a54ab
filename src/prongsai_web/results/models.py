"""An agency's results for one ITA year, kept as the canonical results text the core reads, with the
figures the pages need computed once at save time (results/figures.py); and the bulk upload previews
waiting for their confirmation."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from prongsai.analysis import Analysis
from prongsai.app.results import read_canonical
from prongsai.framework import load_frameworks
from prongsai.results import Results
from prongsai_web.directory.models import Agency
from prongsai_web.results.figures import FIGURES_VERSION, analysis_of, figures_of


class ResultSet(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="result_sets")
    ita_year = models.PositiveIntegerField()
    canonical = models.TextField()  # the canonical results YAML (docs/results-format.md)
    estimated = models.JSONField(default=list, blank=True)  # keys a SCORES file marked as estimated
    warnings = models.JSONField(default=list, blank=True)  # the reader's warnings at upload
    overall = models.FloatField(null=True, blank=True)
    level = models.CharField(max_length=50, blank=True)
    # stored figures (results/figures.py), computed from the canonical text at save time
    tools = models.JSONField(default=dict, blank=True)  # {"IIT": 91.64, "EIT": ..., "OIT": ...}
    indicators = models.JSONField(default=dict, blank=True)  # {"1": 91.78, ..., "10": null}
    weakest_indicator = models.PositiveSmallIntegerField(null=True, blank=True)
    weakest_score = models.FloatField(null=True, blank=True)
    analysis = models.JSONField(default=dict, blank=True)  # pass_mark, items and indicators entries
    figures_version = models.CharField(max_length=40, blank=True)  # FIGURES_VERSION that computed them
    source_name = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency", "-ita_year"]
        constraints = [models.UniqueConstraint(fields=["agency", "ita_year"], name="one_result_per_year")]
        indexes = [models.Index(fields=["ita_year"], name="result_year")]

    def __str__(self) -> str:
        return f"{self.agency} {self.ita_year}"

    def to_core(self) -> Results:
        return read_canonical(self.canonical, frozenset(self.estimated), f"{self.ita_year}.yaml")

    def fill_figures(self) -> None:
        """Compute the stored figures from the canonical text (the row is not saved here)."""
        for name, value in figures_of(load_frameworks()[self.ita_year], self.to_core()).items():
            setattr(self, name, value)

    @property
    def figures_current(self) -> bool:
        return self.figures_version == FIGURES_VERSION and bool(self.analysis)

    def core_analysis(self) -> Analysis:
        """The analysis entries of this year (no trend): stored, or recomputed when they were made
        by another version of the core."""
        if not self.figures_current:
            self.fill_figures()
        return analysis_of(self.ita_year, self.analysis)


class BulkPreview(models.Model):
    """A SCORES file read and matched, waiting for its uploader to confirm it: the rows as read
    (canonical text per agency-year) stay here, never in the browser. Bound to its user; expires."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    source_name = models.CharField(max_length=255, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    rows = models.JSONField(default=list)  # list of dicts: results/bulk.py PreviewRow.to_json

    def __str__(self) -> str:
        return f"bulk preview {self.source_name} ({self.user_id})"
