"""The ``summary`` layout (seed 003's family) states only what the scores say (issue 13, items 2, 3
and 7): no score, no judgement; what is missing said once; every item below the mark named with
what it is about and what to do; the keep-the-standard sentence once."""

from __future__ import annotations

import re

import pytest

from prongsai.document.build import build_document
from prongsai.document.model import Document
from prongsai.narrative import item_subject
from tests.document.reports import SEEDS, seed_report

STATUS_WORDS = {"ต่ำกว่าเกณฑ์": "below", "ผ่านเกณฑ์แต่ยังไม่ได้คะแนนเต็ม": "pass"}


def _document(seed: str) -> Document:
    return build_document(seed_report(seed), "summary")


def _indicator_rows(document: Document) -> dict[int, tuple[str, tuple[str, ...]]]:
    """Indicator number -> (its line, the lines of what to fix)."""
    table = next((t for t in document.tables() if t.key == "indicators"), None)
    if table is None:
        return {}
    rows = {}
    for row in table.rows:
        if len(row.cells) == 2:
            line, fixes = row.cells
            number = int(line.text.split(".")[0])
            rows[number] = (line.text, fixes.lines)
    return rows


def _analysis_part(document: Document) -> str:
    """The text of part 1, up to the measures."""
    text = document.text()
    return text[: text.index("มาตรการและแนวทางการพัฒนาคุณธรรมและความโปร่งใส ในปีงบประมาณ")]


@pytest.mark.parametrize("seed", SEEDS)
def test_no_score_no_judgement(seed: str) -> None:
    document = _document(seed)
    part = _analysis_part(document)
    assert "- คะแนน" not in part and "ได้คะแนน -" not in part
    assert "ได้ดำเนินการตามตัวชี้วัดนี้ได้ดี" not in part
    assert part.count("ไม่ปรากฏ") <= 1
    assert part.count("รักษามาตรฐานการดำเนินงานไว้อย่างต่อเนื่อง") <= 1
    report = seed_report(seed)
    scored = {e.indicator: e for e in report.analysis.indicators}
    for number, (line, fixes) in _indicator_rows(document).items():
        says_full = any(f.endswith("ได้คะแนนเต็ม") for f in fixes)
        if number in scored:
            assert f"{scored[number].score:.2f}" in line
            if says_full:
                assert scored[number].status != "below", (seed, number)
        else:
            assert "คะแนน" not in line, (seed, number)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_item_below_the_mark_is_named_with_its_subject_and_score(seed: str) -> None:
    report = seed_report(seed)
    rows = _indicator_rows(_document(seed))
    scores = {e.key: e for e in report.analysis.items}
    lines = [line for _, fixes in rows.values() for line in fixes]
    for line in lines:
        found = re.match(r"ข้อ ([ieo]\d+) (.+) ได้ (\d+\.\d\d) คะแนน (.+)$", line)
        if line.startswith("ข้อ "):
            assert found is not None, line
            code, subject, score, word = found.groups()
            entry = scores[code]
            assert subject == item_subject(report.framework, code, report.texts)
            assert f"{entry.score:.2f}" == score and STATUS_WORDS[word] == entry.status, line
    for entry in report.analysis.weak_items:
        assert any(line.startswith(f"ข้อ {entry.key} ") for line in lines), (seed, entry.key)


def test_seed_004_without_scores_prints_one_sentence_and_no_indicator_table() -> None:
    document = _document("004")
    part = _analysis_part(document)
    assert not _indicator_rows(document)
    assert part.count("ไม่ปรากฏคะแนน") == 1
    for judgement in ("ผ่านเกณฑ์", "ต่ำกว่าเกณฑ์", "คะแนนเต็ม", "ได้ดี"):
        assert judgement not in part


def test_seed_000_names_what_is_missing_once_and_fixes_indicators_6_and_7() -> None:
    document = _document("000")
    part = _analysis_part(document)
    assert "ได้คะแนน -" not in part and "ไม่ปรากฏคะแนนภาพรวม" in part and "(EIT)" in part
    rows = _indicator_rows(document)
    for number, codes in ((6, ("e1", "e3", "e5")), (7, ("e6", "e7", "e9"))):
        line, fixes = rows[number]
        assert line.startswith(f"{number}. ") and "คะแนน" not in line
        for code in codes:
            assert any(f.startswith(f"ข้อ {code} ") and f.endswith("ต่ำกว่าเกณฑ์") for f in fixes), code


def test_seed_003_advice_says_what_to_do_not_the_score_again() -> None:
    rows = _indicator_rows(_document("003"))
    for number, (_, fixes) in rows.items():
        assert len(fixes) == 1 and fixes[0].startswith(("หน่วยงานควร", "ผู้บริหารควร")), number
        assert "คะแนน" not in fixes[0]
    assert len({fixes for _, fixes in rows.values()}) == len(rows)  # each indicator its own advice
