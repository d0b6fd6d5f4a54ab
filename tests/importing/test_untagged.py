"""Untagged PDFs (what Word or LibreOffice "Save as PDF" and many agencies give): our own report
printed by Chromium without its structure tree. The reader places text by its position; every
score it reads must be the one printed (never a guess), the whole reading is reported uncertain,
and in the issues-two-part layout every item score and every measure comes back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from prongsai.document.build import build_document
from prongsai.document.render_pdf import PdfRenderer
from prongsai.importing import read_document
from prongsai.importing.source_pdf import read_pdf
from prongsai.results import resolve
from prongsai.thai import to_arabic_digits
from tests.document.reports import seed_report


@pytest.fixture(scope="module")
def renderer() -> Iterator[PdfRenderer]:
    with PdfRenderer() as started:
        yield started


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", to_arabic_digits(text))


CASES = [("002", "issues-two-part"), ("001", "issues-two-part"), ("002", "full-report"), ("001", "summary")]


@pytest.mark.parametrize(("seed", "layout"), CASES)
def test_untagged_pdf(tmp_path: Path, renderer: PdfRenderer, seed: str, layout: str) -> None:
    report = seed_report(seed)
    data = renderer.render(build_document(report, layout, thai_digits=seed == "002"), tagged=False)
    assert read_pdf(data, "x.pdf") is None  # really untagged: no structure tree
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    got = read_document(path)
    want = report.results
    assert got.family == layout
    assert got.results.ita_year == want.ita_year
    assert got.results.agency.name == want.agency.name
    assert "import_no_tables" in {u.problem.code for u in got.uncertain}
    resolved = resolve(got.framework, got.results)
    for code, value in resolved.items.items():  # whatever is read is what was printed
        assert round(value, 2) == round(want.items[code], 2), code
    for number, given in got.results.scores.indicators.items():
        assert round(given.value, 2) == round(want.indicators[number].value or -1, 2), number
    if got.results.scores.overall is not None:
        assert round(got.results.scores.overall.value, 2) == round(want.overall.value or -1, 2)
    titles = {_flat(m.title) for m in report.plan.measures}
    assert got.measures
    if layout != "full-report":  # there, wrapped headings can leave a stray fragment (reported)
        assert all(_flat(m.title) in titles for m in got.measures)
    if layout == "issues-two-part":  # item tables and a measures table: everything comes back
        assert set(resolved.items) == set(want.items)
        assert len(got.measures) == len(report.plan.measures)
        planned = {_flat(m.title): m for m in report.plan.measures}
        for read in got.measures:
            plan = planned[_flat(read.title)]
            assert read.issue == plan.issue
            assert [_flat(s) for s in read.steps] == [_flat(s) for s in plan.steps]
            if read.owner:  # an owner cell the text layer cannot place is left empty and reported
                assert _flat(read.owner) == _flat(plan.owner)
            else:
                assert any(u.problem.code == "import_measure_incomplete" for u in got.uncertain)
