"""A measure stands beside a finding only when it answers that finding's items, and no measure is
the making of the measures document itself (issue 13, item 4).

A drafted measure's ``answers`` name only what its template answers (catalog/measures.yaml,
followed across years through the cross-year map); an item no template answers gets a measure of
its indicator, listed as ``indN``. The layouts print a measure beside an item only when the item is
in its ``answers``."""

from __future__ import annotations

import re

import pytest

from prongsai.catalog.measures import templates
from prongsai.crosswalk import load_crosswalk
from prongsai.document.build import build_document
from prongsai.document.model import Row
from prongsai.document.parts import ReportInput, item_finding
from prongsai.planning import Measure, answers_in, uncovered_weak_items
from tests.document.reports import SEEDS, seed_report

CODE = re.compile(r"^(?:ข้อ )?([ieo]\d+)\b")
CIRCULAR = (  # making or analysing for this very document
    "จัดทำมาตรการส่งเสริมคุณธรรม",
    "กำหนดมาตรการส่งเสริมคุณธรรม",
    "วิเคราะห์ผลการประเมิน ITA",
    "วิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส",
    "คณะทำงานวิเคราะห์ผลการประเมิน",
)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_measure_answers_only_what_its_template_answers(seed: str) -> None:
    report = seed_report(seed)
    by_id = {t.id: t for t in templates()}
    crosswalk = load_crosswalk()
    for measure in report.plan.measures:
        assert measure.template is not None
        answered = answers_in(by_id[measure.template], report.ita_year, crosswalk)
        items = [c for c in measure.answers if not c.startswith("ind")]
        assert set(items) <= answered, (measure.id, items, sorted(answered))
        for code in measure.answers:
            if code.startswith("ind"):
                assert int(code[3:]) in by_id[measure.template].indicators, (measure.id, code)
    assert uncovered_weak_items(report.plan, report.analysis) == []


def test_weak_items_are_named_by_the_measures_that_answer_them() -> None:
    """seed 001: 2567 i10 is the 2568 i10 (cross-year map) and asset-use-guideline answers it."""
    report = seed_report("001")
    measure = next(m for m in report.plan.measures if m.id == "asset-use-guideline")
    assert "i10" in measure.answers and "ind4" in measure.answers  # ind4: i12, whose question is unknown
    assert "i12" not in measure.answers


def _measure_in(row: Row, measures: list[Measure]) -> Measure | None:
    texts = [line for c in row.cells for line in c.lines]
    return next((m for m in measures if m.title in texts or any(t.startswith(m.title) for t in texts)), None)


def _codes(row: Row, column: int) -> list[str]:
    return [m.group(1) for line in row.cells[column].lines if (m := CODE.match(line))]


def _tables(report: ReportInput, layout: str, key: str) -> list[list[Row]]:
    document = build_document(report, layout)
    return [list(t.rows) for t in document.tables() if t.key.startswith(key)]


@pytest.mark.parametrize("seed", SEEDS)
def test_issues_8col_prints_a_measure_beside_an_item_it_answers(seed: str) -> None:
    report = seed_report(seed)
    measures = list(report.plan.measures)
    for rows in _tables(report, "issues-8col", "issues"):
        for row in rows:
            measure = _measure_in(row, measures)
            codes = _codes(row, 1)
            if measure is not None and codes:
                assert set(codes) <= set(measure.answers), (measure.id, codes, measure.answers)


@pytest.mark.parametrize("seed", SEEDS)
def test_measures_table_lists_beside_a_measure_only_the_items_it_answers(seed: str) -> None:
    report = seed_report(seed)
    measures = list(report.plan.measures)
    for rows in _tables(report, "measures-table", "measures"):
        for row in rows:
            measure = _measure_in(row, measures)
            if measure is not None:
                assert set(_codes(row, 1)) <= set(measure.answers), measure.id


@pytest.mark.parametrize("seed", SEEDS)
def test_full_report_prints_beside_a_measure_the_findings_of_items_it_answers(seed: str) -> None:
    report = seed_report(seed)
    measures = list(report.plan.measures)
    findings = {c: f for c in report.entries if (f := item_finding(report, c))}
    for rows in _tables(report, "full-report", "measures-"):
        for row in rows:
            measure = _measure_in(row, measures)
            assert measure is not None
            items = [c for c in measure.answers if not c.startswith("ind")]
            if not items:
                continue  # a measure of the whole indicator: the indicator's findings
            analysis = row.cells[1].text
            for code, finding in findings.items():
                if finding in analysis:
                    answered = {findings.get(c) for c in items}
                    assert finding in answered, (measure.id, code)


def test_seed_000_measures_sit_beside_their_own_questions() -> None:
    """The published seed 000 put 'ป้องกันการสั่งการให้…ทำธุระส่วนตัว' beside training and appraisal
    findings and a building permit measure on the i5 row: neither happens."""
    report = seed_report("000")
    rows = [r for rows in _tables(report, "issues-8col", "issues") for r in rows]
    beside = {code: _measure_in(r, list(report.plan.measures)) for r in rows for code in _codes(r, 1)}
    orders = next(m for m in report.plan.measures if "ทำธุระส่วนตัว" in m.title)
    assert beside["i16"] is orders  # the question it answers
    assert all(beside.get(c) is not orders for c in ("i13", "i14", "i15"))
    assert not any("อนุญาตก่อสร้าง" in (m.title if m else "") for c, m in beside.items() if c.startswith("i"))


def test_no_template_is_the_making_of_the_measures_document() -> None:
    for template in templates():
        for value in (template.title, *template.steps):
            assert not any(words in value for words in CIRCULAR), (template.id, value)


@pytest.mark.parametrize("seed", SEEDS)
def test_no_drafted_measure_is_the_making_of_the_measures_document(seed: str) -> None:
    for measure in seed_report(seed).plan.measures:
        for value in (measure.title, *measure.steps):
            assert not any(words in value for words in CIRCULAR), (measure.id, value)
