"""One registry of output formats: the whole document (DOCX, PDF, HTML) or the measures table
alone (XLSX, CSV, JSON). Renderers are imported when first used, so that a DOCX run never loads
the browser driver."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from prongsai.document.build import build_document, document_thai_digits, report_words
from prongsai.document.model import Document
from prongsai.document.parts import ReportInput
from prongsai.document.texts import agency_words


def _docx(document: Document) -> bytes:
    from prongsai.document.render_docx import render_docx

    return render_docx(document)


def _html(document: Document) -> bytes:
    from prongsai.document.render_html import render_html

    return render_html(document).encode("utf-8")


def _pdf(document: Document) -> bytes:
    from prongsai.document.render_pdf import render_pdf

    return render_pdf(document)


DOCUMENT_FORMATS: dict[str, Callable[[Document], bytes]] = {"docx": _docx, "pdf": _pdf, "html": _html}
TABLE_FORMATS = ("xlsx", "csv", "json")
FORMATS = (*DOCUMENT_FORMATS, *TABLE_FORMATS)


def render_report(
    report: ReportInput,
    fmt: str,
    *,
    layout: str,
    thai_digits: bool | None = None,
    template: Path | None = None,
    renderers: Mapping[str, Callable[[Document], bytes]] | None = None,
) -> bytes:
    """The bytes of the output file in format ``fmt`` (one of FORMATS). Every format writes one
    digit style: Thai when ``thai_digits`` is True, Arabic when False, the default of the agency's
    kind when None (Thai for local government). ``renderers`` replaces the renderer of a document
    format, e.g. a batch's long-running PDF renderer."""
    thai = document_thai_digits(report, thai_digits)
    with agency_words(*report_words(report)):
        if fmt in TABLE_FORMATS:
            from prongsai.document import measures_export

            rows = measures_export.measure_rows(report, thai_digits=thai)
            if fmt == "json":
                return measures_export.to_json(rows)
            write = measures_export.to_xlsx if fmt == "xlsx" else measures_export.to_csv
            return write(rows, thai_digits=thai)
        if template is not None:
            from prongsai.document.template import render_template

            return render_template(template, report, thai_digits=thai)
    renderer = (renderers or {}).get(fmt, DOCUMENT_FORMATS[fmt])
    return renderer(build_document(report, layout, thai_digits=thai))
