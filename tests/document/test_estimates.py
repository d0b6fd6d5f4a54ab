"""Scores computed from raw answers rest on unconfirmed rules: the document marks every such figure,
items included, and explains the mark, all the way from `prongsai score` to the DOCX."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

from prongsai.cli import cli, run
from prongsai.cli_analysis import drafted_plan, load
from prongsai.document.build import build_document
from prongsai.document.parts import ReportInput
from prongsai.document.texts import text
from prongsai.ingest import read_results
from tests.document.reports import SIGNED


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scored")
    assert run(cli, ["synth", "--agencies", "3", "--seed", "7", "-o", str(folder)]) == 0
    out = folder / "scores.csv"
    answers, checklist = folder / "answers.parquet", folder / "oit.csv"
    assert run(cli, ["score", str(answers), "--oit", str(checklist), "-o", str(out)]) == 0
    return out


def _report(scores: Path) -> ReportInput:
    records, _ = read_results(scores)
    loaded = load(scores, (), records[0].agency.name)
    return ReportInput(
        loaded.framework, loaded.results, loaded.analysis, drafted_plan(loaded, None, None), SIGNED
    )


def test_item_scores_from_answers_carry_the_estimate_star_in_every_layout(scores: Path) -> None:
    report = _report(scores)
    assert report.results.estimated_items  # the scorer's items rest on unconfirmed answer scales
    assert report.estimated
    star = text("common.estimate_star")
    for layout in ("full-report", "issues-8col", "issues-two-part"):
        document = build_document(report, layout)
        cells = ["\n".join(c.lines) for t in document.tables() for r in t.rows for c in r.cells]
        item_cells = [c for c in cells if re.fullmatch(r"\d{1,3}\.\d\d\*?", c)]
        assert item_cells and all(c.endswith(star) for c in item_cells), layout
        assert text("common.estimate_note") in document.text(), layout


def test_the_docx_of_scored_answers_marks_items_and_explains_the_mark(scores: Path, tmp_path: Path) -> None:
    name = read_results(scores)[0][0].agency.name
    out = tmp_path / "report.docx"
    assert run(cli, ["report", str(scores), "--agency", name, "--layout", "issues-8col", "-o", str(out)]) == 0
    word = docx.Document(io.BytesIO(out.read_bytes()))
    cells = {c.text for t in word.tables for row in t.rows for c in row.cells}
    weak = [c for c in cells if re.fullmatch(r"\d{1,3}\.\d\d\*", c)]
    assert weak, "no item score marked as an estimate"
    assert any(text("common.estimate_note") in p.text for p in word.paragraphs)
