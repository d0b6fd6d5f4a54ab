"""The plan file accepts no nonsense (issue 11), and every plan the program writes reads back."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from prongsai.analysis import analyse
from prongsai.catalog import default_units, plan_defaults
from prongsai.catalog.measures import templates
from prongsai.cli import cli, run
from prongsai.crosswalk import load_crosswalk
from prongsai.errors import InputError
from prongsai.framework import Framework
from prongsai.ingest import read_results
from prongsai.planfile import plan_to_yaml, read_plan
from prongsai.planning import Plan, draft_plan, redraft
from prongsai.problems import Problem
from prongsai.results import resolve
from prongsai.timeframe import timeframe_quarters, timeframe_text
from tests.conftest import EXAMPLES, write

EXAMPLE_FILES = sorted(EXAMPLES.glob("seed-*-25[0-9][0-9].yaml"))

# A small plan as a clerk might write it by hand; the tests break one line of it at a time.
PLAN = """\
schema_version: 1
agency: {name: เทศบาลเมืองบึงกาฬ, type: เทศบาลเมือง}
ita_year: 2568
plan_year: 2569
measures:
  - id: own-1
    issue: 2
    indicator: 8
    answers: [e9, ind8]
    title: พัฒนาระบบให้บริการออนไลน์ (E-Service) สำหรับงานบริการหลัก
    steps: [สำรวจงานบริการที่ประชาชนใช้บ่อย, จัดทำแบบคำขอออนไลน์]
    owner: สำนักปลัดเทศบาล
    quarters: [1, 2]
    timeframe: ตุลาคม 2568 – มีนาคม 2569
limitations: [บุคลากรมีจำนวนจำกัด]
"""


def _problems(tmp_path: Path, text: str) -> list[Problem]:
    with pytest.raises(InputError) as info:
        read_plan(write(tmp_path, "plan.yaml", text))
    return info.value.problems


def _one(tmp_path: Path, old: str, new: str) -> Problem:
    assert old in PLAN
    (problem,) = _problems(tmp_path, PLAN.replace(old, new))
    return problem


def _drafted(path: Path, frameworks: dict[int, Framework], **options: object) -> Plan:
    (record,), _ = read_results(path)
    framework = frameworks[record.ita_year]
    results = resolve(framework, record)
    limitations, suggestions = plan_defaults()
    return draft_plan(
        framework,
        analyse(framework, results, [], load_crosswalk()),
        results.agency,
        default_units(results.agency.type),
        limitations=limitations,
        suggestions=suggestions,
        **options,  # type: ignore[arg-type]
    )


def test_the_hand_written_plan_reads(tmp_path: Path) -> None:
    plan = read_plan(write(tmp_path, "plan.yaml", PLAN))
    assert plan.measures[0].quarters == (1, 2) and plan.measures[0].answers == ("e9", "ind8")


# --------------------------------------------------------------------------------------------------
# What the program writes reads back
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["months", "quarters"])
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_drafted_plan_reads_back_unchanged(
    path: Path, style: str, frameworks: dict[int, Framework], tmp_path: Path
) -> None:
    plan = _drafted(path, frameworks, style=style)
    assert read_plan(write(tmp_path, "plan.yaml", plan_to_yaml(plan))) == plan


def test_the_plan_command_writes_a_plan_that_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    args = ["plan", str(EXAMPLES / "seed-003-bang-chakreng-2565.yaml"), "--timeframes", "quarters"]
    assert run(cli, [*args, "-o", str(out)]) == 0
    plan = read_plan(out)
    assert plan.ita_year == 2565 and all(m.issue is not None for m in plan.measures)  # 2565: template issues


def test_every_timeframe_the_program_writes_reads_as_its_quarters() -> None:
    spans = [(first, last) for first in range(1, 5) for last in range(first, 5)]
    for year in (2566, 2569, 2600):
        for style in ("months", "quarters"):
            for span in spans:
                assert timeframe_quarters(timeframe_text(span, year, style)) == span  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "quarters"),
    [
        ("ไตรมาส ๒", (2, 2)),  # seed 000
        ("ไตรมาส ๑-๔", (1, 4)),  # seed 004
        ("ไตรมาสที่ 1 - ไตรมาสที่ 3", (1, 3)),
        ("๑ ตุลาคม ๒๕๖๗ ถึง ๓๐ กันยายน ๒๕๖๘", (1, 4)),  # seed 001
        ("ตุลาคม – ธันวาคม ๒๕๖๙", (1, 1)),  # seed 002
        ("กันยายน ๒๕๖๘", (4, 4)),  # seed 002
        ("ตุลาคม พ.ศ. 2565 - กันยายน พ.ศ. 2566", (1, 4)),
        ("มีนาคม – ตุลาคม", (2, 1)),  # written backwards: no quarter span fits it
        ("ม.ค. - มี.ค. ๖๖", None),  # seed 003: abbreviations are free text (the importer reads full names)
        ("ตลอดปีงบประมาณ", None),
        ("", None),
    ],
)
def test_timeframes_the_program_reads(text: str, quarters: tuple[int, int] | None) -> None:
    assert timeframe_quarters(text) == quarters


# --------------------------------------------------------------------------------------------------
# Nonsense refused, each at its line
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("quarters", ["[0, 9]", "[4, 1]", "[0, 0]", "[3, 5]"])
def test_quarters_are_fiscal_quarters_first_to_last(tmp_path: Path, quarters: str) -> None:
    problem = _one(tmp_path, "quarters: [1, 2]", f"quarters: {quarters}")
    assert problem.code == "plan_quarters_invalid" and problem.location.line == 13
    assert quarters in problem.message_en and quarters in problem.message_th


def test_quarters_that_contradict_the_timeframe(tmp_path: Path) -> None:
    problem = _one(tmp_path, "quarters: [1, 2]", "quarters: [2, 3]")
    assert problem.code == "plan_timeframe_contradicts" and problem.location.line == 14
    assert "covers quarter(s) 1-2 but quarters says 2-3" in problem.message_en


def test_a_timeframe_in_thai_digits_or_free_text_is_fine(tmp_path: Path) -> None:
    for timeframe in ("ไตรมาสที่ ๑-๒", "ตุลาคม ๒๕๖๘ ถึง มีนาคม ๒๕๖๙", "ภายในครึ่งแรกของปีงบประมาณ"):
        plan = read_plan(write(tmp_path, "plan.yaml", PLAN.replace("ตุลาคม 2568 – มีนาคม 2569", timeframe)))
        assert plan.measures[0].timeframe == timeframe


def test_an_issue_the_year_does_not_have(tmp_path: Path) -> None:
    problem = _one(tmp_path, "issue: 2", "issue: 9")
    assert problem.code == "plan_issue_unknown" and problem.location.line == 7
    assert "no issue 9 in ITA 2568 (issues are numbered 1-7)" in problem.message_en


def test_an_indicator_the_year_does_not_have(tmp_path: Path) -> None:
    problem = _one(tmp_path, "indicator: 8", "indicator: 11")
    assert problem.code == "plan_indicator_unknown" and problem.location.line == 8


@pytest.mark.parametrize(
    ("answers", "bad", "suggested"),
    [("[zz9]", "zz9", None), ("[e9, I1]", "I1", "i1"), ("[o43]", "o43", None), ("[ind11]", "ind11", None)],
)
def test_answers_are_items_or_indicators_of_the_ita_year(
    tmp_path: Path, answers: str, bad: str, suggested: str | None
) -> None:
    problem = _one(tmp_path, "answers: [e9, ind8]", f"answers: {answers}")
    assert problem.code == "plan_answer_unknown" and problem.location.line == 9
    assert problem.params["code"] == bad and problem.params["year"] == "2568"
    assert (f"did you mean '{suggested}'" in problem.message_en) == (suggested is not None)


@pytest.mark.parametrize(
    ("plan_year", "code"),
    [
        ("-1", "plan_year_out_of_range"),
        ("0", "plan_year_out_of_range"),
        ("2567", "plan_year_out_of_range"),
        ("2571", "plan_year_out_of_range"),
        ("2026", "plan_year_in_ce"),
    ],
)
def test_plan_years_that_do_not_fit_the_ita_year(tmp_path: Path, plan_year: str, code: str) -> None:
    problem = _one(tmp_path, "plan_year: 2569", f"plan_year: {plan_year}")
    assert problem.code == code and problem.location.line == 4
    if code == "plan_year_in_ce":
        assert problem.params["be"] == "2569"
    else:
        assert "2568 to 2570" in problem.message_en


def test_plan_years_in_range_and_in_thai_digits_are_fine(tmp_path: Path) -> None:
    for written, year in (("2568", 2568), ("2570", 2570), ("'๒๕๖๙'", 2569)):
        assert (
            read_plan(
                write(tmp_path, "p.yaml", PLAN.replace("plan_year: 2569", f"plan_year: {written}"))
            ).plan_year
            == year
        )


@pytest.mark.parametrize(("ita_year", "code"), [("2025", "year_in_ce"), ("2560", "year_no_framework")])
def test_an_ita_year_without_a_framework(tmp_path: Path, ita_year: str, code: str) -> None:
    problem = _one(tmp_path, "ita_year: 2568", f"ita_year: {ita_year}")
    assert problem.code == code and problem.location.line == 3


@pytest.mark.parametrize(
    ("old", "new", "code", "line"),
    [
        ("plan_year: 2569", "plan_year: สองพันห้าร้อย", "wrong_type", 4),
        ("quarters: [1, 2]", "quarters: [true, 2]", "wrong_type", 13),  # not read as quarter 1
        ("quarters: [1, 2]", "quarters: [1.5, 2]", "wrong_type", 13),
        ("    owner:", "    priority: urgent\n    owner:", "plan_value_not_allowed", 12),
        ("    owner:", "    titel: x\n    owner:", "unknown_field", 12),
        ("issue: 2", "issue: [2]", "wrong_type", 7),
        ("agency: {name: เทศบาลเมืองบึงกาฬ, type: เทศบาลเมือง}", "agency: เทศบาลเมืองบึงกาฬ", "not_a_mapping", 2),
        ("schema_version: 1", "schema_version: 2", "plan_value_not_allowed", 1),
    ],
)
def test_wrong_shapes_in_thai_and_english(tmp_path: Path, old: str, new: str, code: str, line: int) -> None:
    problem = _one(tmp_path, old, new)
    assert problem.code == code and problem.location.line == line
    assert "{" not in problem.message_th and "{" not in problem.message_en


def test_an_unknown_key_gets_the_close_spelling(tmp_path: Path) -> None:
    problem = _one(tmp_path, "    owner:", "    titel: x\n    owner:")
    assert "did you mean 'title'" in problem.message_en


def test_a_drafted_block_names_editable_fields_only(tmp_path: Path) -> None:
    problem = _one(tmp_path, "    owner:", "    drafted: {titel: 0123456789}\n    owner:")
    assert problem.code == "unknown_field" and "did you mean 'title'" in problem.message_en


def test_names_and_texts_have_a_maximum_length_named_in_the_message(tmp_path: Path) -> None:
    long_name = "เทศบาลเมืองบึงกาฬ" + "ก" * 20_000
    (problem,) = _problems(tmp_path, PLAN.replace("name: เทศบาลเมืองบึงกาฬ", f"name: {long_name}"))
    assert problem.code == "text_longer_than_field" and problem.location.field == "agency.name"
    assert "20,017" in problem.message_en and "200" in problem.message_en
    long_step = "ก" * 4_001
    (problem,) = _problems(tmp_path, PLAN.replace("จัดทำแบบคำขอออนไลน์", long_step))
    assert problem.location.field == "measures.0.steps.1" and "4,000" in problem.message_th


def test_a_control_character_is_refused_with_its_position(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, PLAN.replace("owner: สำนักปลัดเทศบาล", 'owner: "สำนัก\\x07ปลัด"'))
    assert problem.code == "text_bad_character" and problem.location.line == 12
    assert problem.params["codepoint"] == "U+0007" and problem.params["position"] == "6"


def test_a_name_is_one_line_and_a_title_is_not_blank(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, PLAN.replace("owner: สำนักปลัดเทศบาล", 'owner: "สำนักปลัด\\nกองคลัง"'))
    assert problem.code == "text_line_break" and problem.params["position"] == "10"
    (problem,) = _problems(tmp_path, PLAN.replace("title: พัฒนาระบบ", "title: '   '\n    # พัฒนาระบบ"))
    assert problem.code == "text_blank" and problem.location.field == "measures.0.title"


@pytest.mark.parametrize("text", ["", "---\n", "null\n", "[]\n", "{}\n", "# only a comment\n", "---\n---\n"])
def test_a_plan_file_that_holds_no_plan(tmp_path: Path, text: str) -> None:
    (problem,) = _problems(tmp_path, text)
    assert problem.code == "plan_empty" and problem.location.file == "plan.yaml"
    assert "holds no plan" in problem.message_en and "ไม่มีข้อมูลแผน" in problem.message_th


def test_a_second_document_is_refused_at_its_line(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, PLAN + "---\n" + PLAN)
    assert problem.code == "input_several_documents" and problem.location.line == 17
    assert problem.params["count"] == "2"


def test_every_problem_at_once_in_line_order(tmp_path: Path) -> None:
    text = (
        PLAN.replace("plan_year: 2569", "plan_year: 2026")
        .replace("issue: 2", "issue: 9")
        .replace("answers: [e9, ind8]", "answers: [zz9]")
        .replace("quarters: [1, 2]", "quarters: [4, 1]")
    )
    problems = _problems(tmp_path, text)
    assert [(p.code, p.location.line) for p in problems] == [
        ("plan_year_in_ce", 4),
        ("plan_issue_unknown", 7),
        ("plan_answer_unknown", 9),
        ("plan_quarters_invalid", 13),
    ]


def test_report_with_a_broken_plan_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = write(tmp_path, "plan.yaml", PLAN.replace("issue: 2", "issue: 9"))
    out = tmp_path / "measures.json"
    args = ["report", str(EXAMPLES / "seed-002-bueng-kan-2568.yaml"), "--plan", str(plan), "--format", "json"]
    assert run(cli, [*args, "-o", str(out)]) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert "ไม่มีประเด็นที่ 9" in err and "no issue 9" in err


# --------------------------------------------------------------------------------------------------
# Drafting and re-drafting
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("plan_year", "code"), [(0, "plan_year_out_of_range"), (2026, "plan_year_in_ce")])
def test_draft_refuses_a_plan_year_that_does_not_fit(
    frameworks: dict[int, Framework], plan_year: int, code: str
) -> None:
    with pytest.raises(InputError) as info:
        _drafted(EXAMPLES / "seed-002-bueng-kan-2568.yaml", frameworks, plan_year=plan_year)
    assert [p.code for p in info.value.problems] == [code]


def test_draft_refuses_a_unit_name_the_plan_file_would_refuse(frameworks: dict[int, Framework]) -> None:
    (record,), _ = read_results(EXAMPLES / "seed-002-bueng-kan-2568.yaml")
    framework = frameworks[2568]
    results = resolve(framework, record)
    units = {**default_units("เทศบาลเมือง"), "finance": "กองคลัง\nงานพัสดุ"}
    with pytest.raises(InputError) as info:
        draft_plan(framework, analyse(framework, results), results.agency, units)
    assert {p.code for p in info.value.problems} == {"text_line_break"}


def test_redraft_keeps_a_timeframe_edit_with_its_quarters(
    frameworks: dict[int, Framework], tmp_path: Path
) -> None:
    """A clerk rewrites a timeframe (in agreement with its quarters); a newer catalog then drafts the
    same template with other quarters. The merged plan keeps the clerk's pair, so it reads back."""
    path = EXAMPLES / "seed-002-bueng-kan-2568.yaml"
    old = _drafted(path, frameworks)
    first = old.measures[0]
    mine = timeframe_text(first.quarters, old.plan_year, "quarters")  # the same span, written otherwise
    edited = replace(old, measures=(replace(first, timeframe=mine), *old.measures[1:]))
    assert edited.measures[0].edited_fields() == ["timeframe"]
    other = (2, 2) if first.quarters != (2, 2) else (3, 3)
    pool = tuple(replace(t, quarters=other) if t.id == first.template else t for t in templates())
    merged, _ = redraft(edited, _drafted(path, frameworks, pool=pool))
    kept = next(m for m in merged.measures if m.id == first.id)
    assert (kept.quarters, kept.timeframe) == (first.quarters, mine)
    assert read_plan(write(tmp_path, "plan.yaml", plan_to_yaml(merged))) == merged
