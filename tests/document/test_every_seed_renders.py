"""Every seed example in every layout renders to DOCX, PDF and HTML, and each output carries the
agency, the weak items with their scores and the measures (PDF read through its text layer)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from prongsai.document.build import build_document
from prongsai.document.layouts import LAYOUTS
from prongsai.document.render_html import render_html
from prongsai.document.render_pdf import PdfRenderer
from prongsai.thai import format_score, to_thai_digits
from tests.document.pdftext import compact, page_text
from tests.document.reports import SEEDS, seed_report


@pytest.fixture(scope="module")
def renderer() -> Iterator[PdfRenderer]:
    with PdfRenderer() as started:
        yield started


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("seed", SEEDS)
def test_pdf_and_html_of_every_seed_and_layout(seed: str, layout: str, renderer: PdfRenderer) -> None:
    report = seed_report(seed)
    thai = seed == "002"  # one seed in Thai digits throughout
    document = build_document(report, layout, thai_digits=thai)
    digits = to_thai_digits if thai else str
    reader = PdfReader(io.BytesIO(renderer.render(document)))
    text = compact("\n".join(page_text(reader, n) for n in range(len(reader.pages))))
    html = render_html(document, embed_fonts=False)
    assert compact(report.agency) in text and report.agency in html
    for entry in report.analysis.weak_items:
        pattern = rf"{digits(entry.key)}.{{0,400}}?{re.escape(digits(format_score(entry.score)))}"
        assert re.search(pattern, text, re.S), entry.key
    for measure in report.plan.measures:
        assert compact(digits(measure.title)) in text, measure.title
        assert digits(measure.title) in html
    assert len(reader.pages) >= 3
