"""Use case: the measures document of one agency-year, in one format, from its analysis and plan
(application layer: the bytes and what to tell the person, nothing printed)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from prongsai.app.agency_year import Loaded
from prongsai.document.build import build_document
from prongsai.document.output import TABLE_FORMATS, render_report
from prongsai.document.parts import ReportInput, figure_notes, noted_figures
from prongsai.document.settings import ReportSettings
from prongsai.planning import Plan
from prongsai.problems import Problem


@dataclass(frozen=True)
class MeasuresDocument:
    data: bytes
    report: ReportInput  # what the document was built from, its date settled
    notes: tuple[Problem, ...]  # the date: chosen in the planning season, or a given one outside it
    figure_notes: tuple[str, ...]  # what the closing note says of figures the results did not state


def measures_document(
    loaded: Loaded,
    plan: Plan,
    settings: ReportSettings,
    fmt: str,
    *,
    layout: str,
    thai_digits: bool | None = None,
    template: Path | None = None,
) -> MeasuresDocument:
    """The document (DOCX, PDF, HTML) or the measures table alone (XLSX, CSV, JSON). The date is
    the one given, else one in the plan year's planning season; the table alone carries none. With
    a ``template``, the figure notes are every such figure of the agency-year (the template decides
    what it shows); with a layout, those of the layout's own closing note."""
    dated, date_notes = settings.for_plan_year(plan.plan_year)
    report = ReportInput(loaded.framework, loaded.results, loaded.analysis, plan, dated)
    data = render_report(report, fmt, layout=layout, thai_digits=thai_digits, template=template)
    if fmt in TABLE_FORMATS:
        return MeasuresDocument(data, report, (), ())
    if template is not None:
        sentences = figure_notes(report)
    else:  # the layout's own note: the model alone, no rendering
        sentences = noted_figures(report, build_document(report, layout, thai_digits=False))
    return MeasuresDocument(data, report, tuple(date_notes), tuple(sentences))
