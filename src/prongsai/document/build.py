"""From analysis and plan to the document model: the one entry point the renderers' callers use."""

from __future__ import annotations

from prongsai.document.layouts import DEFAULT_LAYOUT, LAYOUTS
from prongsai.document.model import Document, with_thai_digits
from prongsai.document.parts import ReportInput
from prongsai.document.texts import text
from prongsai.timeframe import thai_date


def build_document(
    report: ReportInput, layout: str = DEFAULT_LAYOUT, *, thai_digits: bool = False
) -> Document:
    """The whole document in one layout; every digit Thai when ``thai_digits``."""
    sections = LAYOUTS[layout](report)
    document = Document(
        layout=layout,
        title=text("common.measures_title")
        + " "
        + text("common.of_agency_plan_year", agency=report.agency, plan_year=report.plan_year),
        agency=report.agency,
        ita_year=report.ita_year,
        plan_year=report.plan_year,
        date_text=thai_date(report.settings.date),
        sections=sections,
        estimated=report.estimated,
        page_label=text("common.page_label"),
    )
    return with_thai_digits(document) if thai_digits else document
