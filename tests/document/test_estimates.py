"""Scores computed from raw answers rest on unconfirmed rules: the official text prints them
plainly, like every figure, and the one closing note after the signatures says how they were
obtained, all the way from `prongsai score` to the DOCX (docs/rubric.md)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

from prongsai.app.agency_year import load_agency_year as load
from prongsai.app.plans import drafted_plan
from prongsai.cli import cli, run
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


def test_item_scores_from_answers_are_plain_and_the_closing_note_says_so(scores: Path) -> None:
    report = _report(scores)
    assert report.results.estimated_items  # the scorer's items rest on unconfirmed answer scales
    assert report.estimated
    for layout in ("full-report", "issues-8col", "issues-two-part", "measures-table"):
        document = build_document(report, layout)
        cells = "\n".join(c.text for t in document.tables() for r in t.rows for c in r.cells)
        assert re.search(r"\d{1,3}\.\d\d", cells), layout  # the item scores, printed
        official = document.official_text()
        assert "*" not in official and "ประมาณ" not in official.replace("งบประมาณ", ""), layout
        closing = document.closing_text()
        assert closing.startswith("หมายเหตุ") and text("common.note_item_scores") in closing, layout


def test_the_docx_of_scored_answers_explains_the_item_scores_after_the_signatures(
    scores: Path, tmp_path: Path
) -> None:
    name = read_results(scores)[0][0].agency.name
    out = tmp_path / "report.docx"
    assert run(cli, ["report", str(scores), "--agency", name, "--layout", "issues-8col", "-o", str(out)]) == 0
    word = docx.Document(io.BytesIO(out.read_bytes()))
    cells = {c.text for t in word.tables for row in t.rows for c in row.cells}
    assert any(re.fullmatch(r"\d{1,3}\.\d\d", c) for c in cells)
    assert not any(c.endswith("*") for c in cells)
    body = [  # the text of each paragraph and each table of the body, in reading order
        "".join(t.text or "" for t in element.iter() if t.tag.endswith("}t"))
        for element in word.element.body.iterchildren()
        if element.tag.endswith(("}p", "}tbl"))
    ]
    note = next(n for n, block in enumerate(body) if text("common.note_item_scores") in block)
    signed = max(n for n, block in enumerate(body) if "ลงชื่อ" in block)
    assert signed < note and body[note].startswith("หมายเหตุ")
