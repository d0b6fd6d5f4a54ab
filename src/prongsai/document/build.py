"""From analysis and plan to the document model: the one entry point the renderers' callers use.

The document is built in the words of the agency's kind (catalog/terms.yaml) and then written in
one digit style, everywhere: every text of the model, charts included, is converted once at the
end, whatever digits the catalogs, the framework's question texts or a person's plan wrote.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from prongsai.agency import Agency, Words, fill_words, words_of
from prongsai.catalog import agency_units
from prongsai.catalog.measures import role_names
from prongsai.document.layouts import DEFAULT_LAYOUT, LAYOUTS
from prongsai.document.model import Document, Figure, _map_text
from prongsai.document.parts import ReportInput
from prongsai.document.texts import agency_words, text
from prongsai.thai import to_digits
from prongsai.timeframe import thai_date


def agency_words_and_units(agency: Agency) -> tuple[Words, dict[str, str]]:
    """The words of an agency's kind and its units (the catalog's, by its type): what every
    document of that agency is written in."""
    return words_of(agency), {**role_names(), **agency_units(agency.type, {})}


def report_words(report: ReportInput) -> tuple[Words, dict[str, str]]:
    """The words of the report's agency and its units."""
    return agency_words_and_units(report.results.agency)


def document_thai_digits(report: ReportInput, requested: bool | None) -> bool:
    """Thai digits when asked for, Arabic when asked for, else the default of the agency's kind
    (Thai for local government, as the published documents write them; Arabic for others)."""
    return requested if requested is not None else report_words(report)[0].thai_digits


def with_digits(document: Document, thai: bool) -> Document:
    """The same document with every digit in one style: text, tables, item codes (i๑ / i1), chart
    labels and axes, page numbers. Web and e-mail addresses keep their digits (thai.to_digits)."""
    converted = _map_text(document, lambda value: to_digits(value, thai=thai))
    sections = tuple(
        replace(
            s,
            blocks=tuple(
                replace(b, chart=replace(b.chart, thai_digits=thai)) if isinstance(b, Figure) else b
                for b in s.blocks
            ),
        )
        for s in converted.sections
    )
    return replace(converted, sections=sections, thai_digits=thai)


def _with_words(document: Document, words: Words, units: Mapping[str, str]) -> Document:
    """Placeholders left in texts that did not come from document.yaml (findings, narrative, a
    person's plan) filled too; braces that are no placeholder stay as written."""
    return _map_text(document, lambda value: fill_words(value, words, units, strict=False))


def build_document(
    report: ReportInput, layout: str = DEFAULT_LAYOUT, *, thai_digits: bool = False
) -> Document:
    """The whole document in one layout, in the agency's words; every digit Thai when
    ``thai_digits``, every digit Arabic otherwise."""
    words, units = report_words(report)
    with agency_words(words, units):
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
    return with_digits(_with_words(document, words, units), thai_digits)
