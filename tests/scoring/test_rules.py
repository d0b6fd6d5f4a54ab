"""The scoring rules S1-S9 of docs/scoring.md, one test each, on answer files written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from prongsai.errors import InputError
from prongsai.framework import load_frameworks
from prongsai.scoring.engine import score_files
from tests.scoring.helpers import HEADER, write_csv

AGENCY = "เทศบาลตำบลทดสอบ"
IIT = [f"i{n}" for n in range(1, 16)]
EIT = [f"e{n}" for n in range(1, 10)]


def _rows(
    agency: str, tool: str, items: list[str], people: int, answer: str, year: object = 2568
) -> list[list[object]]:
    def word(item: str) -> str:  # the yes/no items (bribery) take ไม่มี, the good answer
        return "ไม่มี" if item in ("i3", "i9", "e3") and answer in ("มาก", "มากที่สุด") else answer

    return [[agency, year, tool, f"r{p}", item, word(item)] for p in range(people) for item in items]


def _score(
    tmp_path: Path, rows: list[list[object]], oit: list[list[object]] | None = None
) -> dict[str, object]:
    answers = write_csv(tmp_path / "answers.csv", HEADER, rows)
    checklist = None
    if oit is not None:
        checklist = write_csv(
            tmp_path / "oit.csv", ["agency", "ita_year", "item", "has", "url", "assessor_verdict"], oit
        )
    scored = score_files(answers, checklist)
    return scored.table.row(0, named=True)


def test_rule_s1_answer_words_and_codes_score_by_the_scale(tmp_path: Path) -> None:
    rows = [
        [AGENCY, 2568, "IIT", "a", "i1", "มากที่สุด"],
        [AGENCY, 2568, "IIT", "b", "i1", "มาก"],
        [AGENCY, 2568, "IIT", "c", "i1", " ๒ "],  # code 2 = น้อย, in Thai digits with spaces
        [AGENCY, 2568, "IIT", "d", "i1", "1"],
        [AGENCY, 2568, "IIT", "e", "i1", "มากที่สุด"],
    ]
    row = _score(tmp_path, rows)
    assert row["i1"] == pytest.approx((100 + 67 + 33 + 0 + 100) / 5)


def test_rule_s1_unknown_answer_is_an_error_with_its_row(tmp_path: Path) -> None:
    rows = _rows(AGENCY, "IIT", ["i1"], 5, "มาก")
    rows[3][5] = "ดีมาก"
    with pytest.raises(InputError) as caught:
        _score(tmp_path, rows)
    (problem,) = caught.value.problems
    assert (
        problem.code == "answer_unknown" and problem.location.row == 5 and problem.location.column == "answer"
    )
    assert "ดีมาก" in problem.message_th and "i1" in problem.message_en


def test_rule_s2_reverse_worded_items_score_100_minus_the_value(tmp_path: Path) -> None:
    rows = _rows(AGENCY, "IIT", ["i5", "i3"], 5, "น้อย")
    rows = [r for r in rows if r[4] == "i5"] + _rows(AGENCY, "IIT", ["i3"], 5, "ไม่มี")
    row = _score(tmp_path, rows)
    assert row["i5"] == pytest.approx(67.0)  # false claims 'little' is good
    assert row["i3"] == pytest.approx(100.0)  # no bribery asked for is full marks
    assert load_frameworks()[2568].scoring.questions["i5"].reverse  # type: ignore[union-attr]


def test_rule_s3_item_is_the_mean_and_blank_answers_do_not_count(tmp_path: Path) -> None:
    rows = [*_rows(AGENCY, "IIT", ["i2"], 6, "มาก"), [AGENCY, 2568, "IIT", "x", "i2", ""]]
    rows[0][5] = "มากที่สุด"
    row = _score(tmp_path, rows)
    assert row["i2"] == pytest.approx((100 + 5 * 67) / 6)


def test_rule_s4_sub_items_average_into_their_item() -> None:
    from prongsai.framework import Question, Rule
    from prongsai.scoring.rules import item_key

    assert item_key("I1.2") == "i1.2" and item_key("ข้อ i๑") == "i1"
    # The engine groups sub-item keys under their parent and averages them; no year ships sub-items
    # yet, so check the grouping table directly on a question with two sub-items.
    question = Question("i1", "four_level", False, ("i1.1", "i1.2"), Rule(False, "S30"))
    assert all(sub.startswith(question.item + ".") for sub in question.sub_items)
    import polars as pl

    from prongsai.scoring.engine import survey_items

    checked = pl.DataFrame(
        {
            "agency": ["a"] * 4,
            "year": [2568] * 4,
            "tool": ["IIT"] * 4,
            "key": ["i1", "i1", "i2", "i2"],
            "value": [100.0, 0.0, 67.0, 33.0],
            "n": [3, 1, 2, 2],
        }
    )
    items = {r["item"]: r["score"] for r in survey_items(checked).iter_rows(named=True)}
    assert items == {"i1": pytest.approx(75.0), "i2": pytest.approx(50.0)}


def test_rule_s5_eit_parts_pool_and_must_fit_the_item(tmp_path: Path) -> None:
    rows = _rows(AGENCY, "EIT1", ["e1"], 5, "มากที่สุด") + _rows(AGENCY, "EIT2", ["e1"], 5, "มาก")
    rows = [[*r[:3], f"{r[2]}-{r[3]}", *r[4:]] for r in rows]
    row = _score(tmp_path, rows)
    assert row["e1"] == pytest.approx((5 * 100 + 5 * 67) / 10)
    assert (row["respondents_EIT"], row["respondents_EIT1"], row["respondents_EIT2"]) == (10, 5, 5)
    with pytest.raises(InputError) as caught:
        _score(tmp_path, _rows(AGENCY, "EIT", ["i1"], 5, "มาก"))
    assert caught.value.problems[0].code == "answer_tool_mismatch"


def test_rule_s6_checklist_verdicts(tmp_path: Path) -> None:
    framework = load_frameworks()[2568]
    oit = [i.code for i in framework.items if i.tool == "OIT"]
    checklist = [[AGENCY, 2568, code, "มี", "https://x", "pass"] for code in oit]
    checklist[0][5] = "fail"
    checklist[1][5] = "50"
    checklist[2][3:] = ["ไม่มี", "", ""]
    row = _score(tmp_path, _rows(AGENCY, "IIT", ["i1"], 5, "มาก"), checklist)
    assert (row["o1"], row["o2"], row["o3"], row["o4"]) == (0.0, 50.0, 0.0, 100.0)
    members = [c for c in oit if framework.item(c).indicator == 9]
    assert row["ind9"] == pytest.approx((0 + 50 + 0 + 100 * (len(members) - 3)) / len(members))
    checklist[2][3:] = ["ไม่มี", "", "pass"]
    with pytest.raises(InputError) as caught:
        _score(tmp_path, _rows(AGENCY, "IIT", ["i1"], 5, "มาก"), checklist)
    assert caught.value.problems[0].code == "oit_verdict_conflict"
    assert caught.value.problems[0].location.row == 4


def test_rule_s7_minimum_sample_warning(tmp_path: Path) -> None:
    rows = _rows("องค์การบริหารส่วนตำบลทดสอบ", "EIT1", EIT, 12, "มาก")
    answers = write_csv(tmp_path / "answers.csv", HEADER, rows)
    scored = score_files(answers, None)
    assert scored.table.row(0, named=True)["below_minimum"] == "EIT1 12<30"
    assert [p.code for p in scored.warnings] == ["sample_below_minimum"]
    many = _rows("องค์การบริหารส่วนตำบลทดสอบ", "EIT1", EIT, 31, "มาก")
    scored = score_files(write_csv(tmp_path / "answers.csv", HEADER, many), None)
    assert scored.warnings == [] and scored.table.row(0, named=True)["below_minimum"] is None


def test_rule_s8_every_figure_from_answers_is_estimated(tmp_path: Path) -> None:
    framework = load_frameworks()[2568]
    oit = [[AGENCY, 2568, i.code, "มี", "u", "pass"] for i in framework.items if i.tool == "OIT"]
    scoring = framework.scoring
    assert scoring is not None

    def best(item: str) -> str:  # full marks: the top answer, or the bottom one for reverse-worded items
        question = scoring.questions[item]
        answers = sorted(scoring.scales[question.scale].answers, key=lambda a: a.value)
        return (answers[0] if question.reverse else answers[-1]).words[0]

    rows = [
        [AGENCY, 2568, "IIT" if c[0] == "i" else "EIT1", f"r{p}", c, best(c)]
        for p in range(6)
        for c in IIT + EIT
    ]
    row = _score(tmp_path, rows, oit)
    estimated = str(row["estimated"]).split()
    assert {"overall", "IIT", "EIT", "OIT", "ind1", "ind10", "i1", "e9", "o1", "level"} <= set(estimated)
    assert row["level"] == "ผ่านดีเยี่ยม" and row["overall"] == pytest.approx(100.0), row


def test_rule_s9_small_items_are_withheld_and_no_respondent_leaves(tmp_path: Path) -> None:
    rows = [*_rows(AGENCY, "IIT", IIT, 4, "มาก"), [AGENCY, 2568, "IIT", "secret-id-77", "i1", "มากที่สุด"]]
    answers = write_csv(tmp_path / "answers.csv", HEADER, rows)
    scored = score_files(answers, None)
    row = scored.table.row(0, named=True)
    assert row["i1"] is not None  # five people answered i1
    assert row["i2"] is None and row["withheld"].split()[:2] == ["i2", "i3"]
    assert row["ind1"] is not None  # still computed from all answers
    text = scored.table.write_csv()
    assert "secret-id-77" not in text and "respondent," not in text and "มากที่สุด" not in text
