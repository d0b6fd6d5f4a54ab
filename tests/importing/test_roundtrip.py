"""DOCX and PDF that ``prongsai report`` writes import back to the same scores and measures, in
every layout: every score the document prints comes back with its value, every measure with its
title, steps, timeframe, owner and issue (or indicator, in the full-report layout)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest

from prongsai.document.build import build_document
from prongsai.document.layouts import LAYOUTS
from prongsai.document.parts import ReportInput
from prongsai.document.render_docx import render_docx
from prongsai.document.render_pdf import PdfRenderer
from prongsai.importing import read_document
from prongsai.importing.build import Imported
from prongsai.importing.pdfmarked import marked_texts
from prongsai.importing.source_pdf import Tree, page_contents, read_pdf
from prongsai.results import resolve
from prongsai.thai import to_arabic_digits
from tests.document.reports import SEEDS, seed_report


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", to_arabic_digits(text))


def _check(report: ReportInput, got: Imported, layout: str, exact: bool) -> None:
    want = report.results
    assert got.family == layout
    assert got.results.ita_year == want.ita_year
    assert got.results.agency.name == want.agency.name
    resolved = resolve(got.framework, got.results)
    for code, value in resolved.items.items():
        assert round(value, 2) == round(want.items[code], 2), code
    if layout in ("issues-8col", "issues-two-part"):  # these layouts print every item
        assert set(resolved.items) == set(want.items)
    for number, given in got.results.scores.indicators.items():
        assert round(given.value, 2) == round(want.indicators[number].value or -1, 2), number
    if got.results.scores.overall is not None:
        assert round(got.results.scores.overall.value, 2) == round(want.overall.value or -1, 2)

    def same(a: str, b: str) -> bool:  # as printed; Thai and Arabic digits are the same text
        return to_arabic_digits(a) == to_arabic_digits(b) if exact else _flat(a) == _flat(b)

    def key(title: str) -> str:
        return _flat(title)

    measures = sorted(got.measures, key=lambda m: key(m.title))
    planned = sorted(report.plan.measures, key=lambda m: key(m.title))
    assert len(measures) == len(planned)
    for read, plan in zip(measures, planned, strict=True):
        assert same(read.title, plan.title)
        assert len(read.steps) == len(plan.steps) and all(map(same, read.steps, plan.steps))
        assert same(read.timeframe, plan.timeframe)
        assert same(read.owner, plan.owner)
        if read.by_indicator:  # grouped under ตัวชี้วัดที่ N
            assert read.issue == plan.indicator
        elif layout != "summary":  # the summary layout does not print the issue
            assert read.issue == plan.issue


def _other_measures(report: ReportInput) -> ReportInput:
    """Measures the drafts never contain: reordered, retitled and reassigned."""
    measures = tuple(
        dataclasses.replace(m, title=f"กิจกรรมทดลองที่ {n} {m.title[:20]}", owner="กองช่าง")
        for n, m in enumerate(reversed(report.plan.measures), start=1)
    )
    return dataclasses.replace(report, plan=dataclasses.replace(report.plan, measures=measures))


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("seed", SEEDS)
def test_docx_round_trip(tmp_path: Path, seed: str, layout: str) -> None:
    report = seed_report(seed)
    if seed == "004":
        report = _other_measures(report)
    path = tmp_path / "report.docx"
    path.write_bytes(render_docx(build_document(report, layout, thai_digits=seed == "002")))
    _check(report, read_document(path), layout, exact=True)


@pytest.fixture(scope="module")
def renderer() -> Iterator[PdfRenderer]:
    with PdfRenderer() as started:
        yield started


PDF_CASES = [("002", layout) for layout in LAYOUTS] + [("001", "issues-8col"), ("001", "issues-two-part")]


@pytest.mark.parametrize(("seed", "layout"), PDF_CASES)
def test_pdf_round_trip(tmp_path: Path, seed: str, layout: str, renderer: PdfRenderer) -> None:
    report = seed_report(seed)
    path = tmp_path / "report.pdf"
    path.write_bytes(renderer.render(build_document(report, layout, thai_digits=seed == "002")))
    _check(report, read_document(path), layout, exact=False)
    assert read_pdf(path.read_bytes(), "report.pdf") == read_pdf(path, "report.pdf")  # bytes or file
    if layout == "full-report":  # the fast line reader says what the general tokenizer says
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                data, fonts = page_contents(page.obj), Tree().fonts_of(page.obj)
                assert marked_texts(data, fonts) == marked_texts(data.replace(b"\n", b" "), fonts)
