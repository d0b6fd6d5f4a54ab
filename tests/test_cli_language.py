"""The command line speaks Thai and English everywhere: click's usage errors, help pages, types."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from prongsai.cli import cli, run
from prongsai.cli.text import (
    Text,
    coverage_problems,
    load_cli_text,
    parse_cli_text,
    wrap,
)
from prongsai.cli.types import (
    ITA_YEAR,
    PLAN_YEAR,
    Choice,
    WholeNumber,
    refusing_types,
    whole_number,
)
from prongsai.errors import DataFileError, InputError
from prongsai.framework import load_frameworks
from prongsai.thai import display_width
from tests.conftest import EXAMPLES

THAI = re.compile(r"[\u0e00-\u0e7f]")
RESULTS_2567 = str(EXAMPLES / "seed-001-khok-muang-2567.yaml")
NEWEST = max(load_frameworks())


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = run(cli, args)
    out, err = capsys.readouterr()
    return code, out, err


def _assert_bilingual(err: str) -> None:
    """No traceback, no click 'Error:' line, and every line without Thai follows a Thai line."""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines
    for number, line in enumerate(lines):
        assert not line.startswith(("Error:", "Usage:")), line
        if line.strip() and not THAI.search(line):
            assert number > 0 and THAI.search(lines[number - 1]), f"English only: {line!r}\n{err}"


# --------------------------------------------------------------------------------------------------
# click's usage errors
# --------------------------------------------------------------------------------------------------

# (arguments, the location named, words of the Thai line, words of the English line)
USAGE_ERRORS: list[tuple[list[str], str, str, str]] = [
    (["plann", RESULTS_2567], "COMMAND", "ไม่มีคำสั่ง 'plann' หมายถึง 'plan' หรือไม่", "did you mean 'plan'?"),
    (["--"], "COMMAND", "ยังไม่ได้ระบุคำสั่ง", "no command is given"),
    (
        ["plan", RESULTS_2567, "--outptu", "p.yaml"],
        "--outptu",
        "ไม่มีตัวเลือก --outptu หมายถึง '--output' หรือ '--update' หรือไม่",
        "has no option --outptu; did you mean '--output' or '--update'?",
    ),
    (["check", "-x", RESULTS_2567], "-x", "ไม่มีตัวเลือก -x", "has no option -x"),
    (["plan", RESULTS_2567], "--output", "ยังไม่ได้ระบุ --output", "--output is required: the plan file"),
    (["check"], "FILE", "ยังไม่ได้ระบุ FILE ซึ่งจำเป็นต้องมี: ไฟล์ผลการประเมิน ITA", "FILE is required"),
    (["whatif", RESULTS_2567], "--set", "ยังไม่ได้ระบุ --set", "--set is required: a hypothetical score"),
    (
        ["check", RESULTS_2567, "ผล", "2567.yaml"],
        "prongsai check",
        "มีค่าเกินมา: ผล 2567.yaml",
        "unexpected extra value(s): ผล 2567.yaml",
    ),
    (["analyze", "--json=yes", RESULTS_2567], "--json", "ไม่ต้องระบุค่า", "is a switch and takes no value"),
    (
        ["plan", RESULTS_2567, "-o"],
        "-o",
        "ตัวเลือก -o ต้องตามด้วยค่า PATH: ไฟล์แผนที่จะบันทึก",
        "needs a PATH value after it: the plan file to write",
    ),
]


@pytest.mark.parametrize(("args", "field", "thai", "english"), USAGE_ERRORS, ids=[c[1] for c in USAGE_ERRORS])
def test_each_usage_error_is_located_thai_and_english_with_exit_2(
    args: list[str], field: str, thai: str, english: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(args, capsys)
    assert code == 2 and out == ""
    _assert_bilingual(err)
    lines = err.splitlines()
    assert lines[0].startswith("วิธีใช้ / Usage: prongsai")
    th = next(line for line in lines if line.startswith("[ข้อผิดพลาด / error]"))
    en = lines[lines.index(th) + 1]
    assert f"ในคำสั่ง {field}: " in th and thai in th, th
    assert f"command line {field}: " in en and english in en, en
    assert "พบปัญหา 1 รายการ" in err and "1 problem(s) found" in err
    command = "prongsai" if args[0] in ("plann", "--") else f"prongsai {args[0]}"
    assert lines[-2:] == [f"ดูวิธีใช้ได้ด้วยคำสั่ง {command} --help", f"Try '{command} --help' for help."]


def test_a_command_run_on_its_own_reports_extra_values_the_same_way(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = run(cli.commands["frameworks"], ["2568"])
    err = capsys.readouterr().err
    assert code == 2
    _assert_bilingual(err)
    assert "มีค่าเกินมา: 2568" in err and "unexpected extra value(s): 2568" in err


def test_no_arguments_shows_the_bilingual_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run([], capsys)
    assert code == 2
    assert "วิธีใช้ / Usage: prongsai" in err and "คำสั่ง / Commands:" in err


def test_version_is_thai_and_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["--version"], capsys)
    assert code == 0
    th, en = out.splitlines()
    assert re.fullmatch(r"prongsai รุ่น \S+", th) and re.fullmatch(r"prongsai, version \S+", en)


# --------------------------------------------------------------------------------------------------
# Values refused by prongsai's parameter types, through the command line
# --------------------------------------------------------------------------------------------------

# (arguments, the location named, words of the Thai line, words of the English line)
REFUSED_VALUES: list[tuple[list[str], str, str, str]] = [
    (["framework", "2025"], "YEAR", "เป็นปี ค.ศ. ให้ใช้ปี พ.ศ. เช่น 2568", "Common Era year"),
    (["framework", "๒๕"], "YEAR", "ไม่ใช่ปี พ.ศ. สี่หลัก", "not a four-digit Buddhist-era year"),
    (["plan", RESULTS_2567, "--plan-year", "0"], "--plan-year", "ปีของมาตรการ '0' ไม่ใช่ปี พ.ศ.", "'0'"),
    (["plan", RESULTS_2567, "--plan-year", "-1"], "--plan-year", "'-1' ไม่ใช่ปี พ.ศ. สี่หลัก", "'-1'"),
    (["plan", RESULTS_2567, "--plan-year", "2025"], "--plan-year", "ให้ใช้ปี พ.ศ. เช่น 2568", "e.g. 2568"),
    (["synth", "--agencies", "0"], "--agencies", "ต้องอยู่ระหว่าง 1 ถึง 100,000", "from 1 to 100,000"),
    (["synth", "--seed", "-1"], "--seed", "อยู่นอกช่วงที่ใช้ได้", "out of range"),
    (["synth", "--year", "2025"], "--year", "ให้ใช้ปี พ.ศ. เช่น 2568", "use the Buddhist-era year"),
    (["report", "--jobs", "๔x"], "--jobs", "'๔x' ไม่ใช่จำนวนเต็ม", "is not a whole number"),
    (
        ["analyze", "--group", "issus", RESULTS_2567],
        "--group",
        "'issus' ไม่ใช่ค่าที่ใช้ได้ หมายถึง 'issues' หรือไม่",
        "did you mean 'issues'? (use one of: indicators, issues)",
    ),
]


@pytest.mark.parametrize(
    ("args", "field", "thai", "english"), REFUSED_VALUES, ids=[c[1] for c in REFUSED_VALUES]
)
def test_refused_values_are_located_thai_and_english_with_exit_2(
    args: list[str],
    field: str,
    thai: str,
    english: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = tmp_path / "out.yaml" if args[0] == "plan" else tmp_path / "out"
    if args[0] in ("plan", "synth"):
        args = [*args, "-o", str(output)]
    code, out, err = _run(args, capsys)
    assert code == 2 and out == ""
    _assert_bilingual(err)
    assert f"ในคำสั่ง {field}: " in err and thai in err, err
    assert f"command line {field}: " in err and english in err, err
    assert not output.exists()


def test_thai_digits_are_read_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["framework", "๒๕๖๖", "--json"], capsys)
    assert code == 0 and '"ita_year": 2566' in out
    plan = tmp_path / "plan.yaml"
    code, _, err = _run(["plan", RESULTS_2567, "--plan-year", "๒๕๖๙", "-o", str(plan)], capsys)
    assert code == 0, err
    assert yaml.safe_load(plan.read_text(encoding="utf-8"))["plan_year"] == 2569  # not the default 2568


# --------------------------------------------------------------------------------------------------
# The types themselves
# --------------------------------------------------------------------------------------------------


def _refusal(param_type: click.ParamType[Any], value: object) -> tuple[str, dict[str, str], str | None]:
    option = click.Option(["--value"])
    with pytest.raises(InputError) as caught:
        param_type.convert(value, option, None)
    (problem,) = caught.value.problems
    assert THAI.search(problem.message_th) and problem.message_en
    return problem.code, dict(problem.params), problem.location.option


@pytest.mark.parametrize(
    ("text", "number"), [("12", 12), ("๑๒", 12), (" +7 ", 7), ("-3", -3), ("๐", 0), (5, 5)]
)
def test_whole_numbers_read_arabic_and_thai_digits(text: object, number: int) -> None:
    assert whole_number(text) == number
    assert WholeNumber().convert(text, None, None) == number


@pytest.mark.parametrize(
    "text", ["1_000", "1.0", "1e3", "0x10", "", "๔x", "١٢", "1,000", "9" * 19, True, 2.0]
)
def test_anything_else_is_not_a_whole_number(text: object) -> None:
    assert whole_number(text) is None
    code, _, field = _refusal(WholeNumber(), text)
    assert code == "cli_not_a_whole_number" and field == "--value"


def test_counts_outside_their_range_are_refused_with_the_range() -> None:
    assert WholeNumber(1, 100_000).convert("๑๐๐๐๐๐", None, None) == 100_000
    code, params, _ = _refusal(WholeNumber(1, 100_000), "0")
    assert code == "cli_number_out_of_range" and params["low"] == "1" and params["high"] == "100,000"
    code, params, _ = _refusal(WholeNumber(1), "-1")
    assert code == "cli_number_too_small" and params == {"value": "-1", "low": "1"}


def test_a_plan_year_is_a_buddhist_era_year_up_to_one_after_the_newest_framework() -> None:
    assert PLAN_YEAR.convert("๒๕๖๘", None, None) == 2568
    assert PLAN_YEAR.convert(str(NEWEST + 1), None, None) == NEWEST + 1  # no framework needed
    assert PLAN_YEAR.convert("พ.ศ. 2567", None, None) == 2567
    for value in ("0", "-1", "25", "๒๕", "2568.5", "next year"):
        code, params, _ = _refusal(PLAN_YEAR, value)
        assert code == "cli_plan_year_not_a_year" and params["value"] == value
    code, params, _ = _refusal(PLAN_YEAR, "2025")
    assert code == "cli_plan_year_in_ce" and params["be"] == "2568"
    code, params, _ = _refusal(PLAN_YEAR, str(NEWEST + 2))
    assert code == "cli_plan_year_out_of_range" and params["last"] == str(NEWEST + 1)


def test_an_ita_year_needs_a_framework() -> None:
    assert ITA_YEAR.convert("๒๕๖๘", None, None) == 2568
    assert ITA_YEAR.convert(2566, None, None) == 2566
    code, params, _ = _refusal(ITA_YEAR, "2025")
    assert code == "year_in_ce" and params["be"] == "2568"
    code, params, _ = _refusal(ITA_YEAR, "0")
    assert code == "year_not_a_number"
    code, params, _ = _refusal(ITA_YEAR, str(NEWEST + 1))
    assert code == "year_no_framework"


def test_a_choice_suggests_the_closest_value() -> None:
    layout = Choice(["full-report", "summary"])
    assert layout.convert("summary", None, None) == "summary"
    code, params, _ = _refusal(layout, "sumary")
    assert code == "cli_not_a_choice" and "'summary'" in params["suggestion_th"]


def test_no_parameter_of_the_cli_can_refuse_a_value_in_english_only() -> None:
    assert refusing_types(cli.commands) == []
    (plan_year,) = [p for p in cli.commands["plan"].params if p.name == "plan_year"]
    assert plan_year.type is PLAN_YEAR


# --------------------------------------------------------------------------------------------------
# Help pages
# --------------------------------------------------------------------------------------------------


def _help(name: str, width: int = 80) -> str:
    command = cli if name == "prongsai" else cli.commands[name]
    info = "prongsai" if name == "prongsai" else f"prongsai {name}"
    settings: dict[str, Any] = {"terminal_width": width, "help_option_names": ["-h", "--help"]}
    with click.Context(command, info_name=info, **settings) as ctx:
        return command.get_help(ctx)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", ["prongsai", *sorted(cli.commands)])
def test_help_of_every_command_is_thai_and_english_within_80_columns(name: str) -> None:
    help = _help(name)
    texts = load_cli_text()[name]
    flat = _flat(help)
    assert help.startswith("วิธีใช้ / Usage: prongsai")
    assert "ตัวเลือก / Options:" in help
    assert "แสดงวิธีใช้นี้แล้วจบการทำงาน" in help and "Show this message and exit." in help
    for text in (texts.summary, *texts.params.values()):
        assert _flat(text.th) in flat and _flat(text.en) in flat, text
    for line in help.splitlines():
        assert display_width(line) <= 80, line
        if THAI.search(line):  # click's own words would be English only, even on a Thai line
            assert not re.search(r"\[(default|required)", line), line


def test_help_marks_defaults_and_required_options_in_both_languages() -> None:
    help = _help("plan")
    assert "[ค่าเริ่มต้น: months]" in help and "[default: months]" in help
    assert "[ต้องระบุ]" in help and "[required]" in help
    assert "คำสั่ง / Commands:" in _help("prongsai")
    synth = _help("synth")
    assert "[ค่าเริ่มต้น: 8325; ช่วง 1 ถึง 100,000]" in synth and "[default: 8325; 1 to 100,000]" in synth


def test_the_catalog_replaces_the_decorators_help() -> None:
    (group,) = [p for p in cli.commands["analyze"].params if p.name == "group"]
    assert group.help == load_cli_text()["analyze"].params["--group"].en
    assert "(ประเด็น)" not in _help("analyze")  # the decorator's wording, not the catalog's


def test_the_catalog_covers_every_command_and_parameter_and_nothing_else() -> None:
    texts = load_cli_text()
    assert coverage_problems(cli, texts) == []
    plan = texts["plan"]
    fewer = {
        **texts,
        "plan": type(plan)(plan.summary, None, {k: v for k, v in plan.params.items() if k != "--plan-year"}),
    }
    more = {**texts, "plan": type(plan)(plan.summary, None, {**plan.params, "--bogus": Text("ไม่มี", "none")})}
    assert coverage_problems(cli, fewer) == ["plan: no help for --plan-year"]
    assert coverage_problems(cli, more) == ["plan: --bogus is not one of its parameters"]
    without = {k: v for k, v in texts.items() if k != "synth"}
    assert coverage_problems(cli, {**without, "synthesise": texts["synth"]}) == [
        "no entry for the command 'synth'",
        "'synthesise' is not a command",
    ]


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ({"th": "List years", "en": "List years."}, "no Thai"),
        ({"th": "แสดงรายการปี", "en": "แสดง years"}, "has Thai"),
        ({"th": "แสดงรายการปี"}, "en"),
        ({"th": "แสดงรายการปี", "en": "List.", "fr": "Liste."}, "fr"),
    ],
)
def test_the_catalog_is_validated_when_loaded(entry: dict[str, str], complaint: str) -> None:
    raw = {"schema_version": 1, "commands": {"frameworks": {"summary": entry}}}
    with pytest.raises(DataFileError) as caught:
        parse_cli_text(raw)
    assert complaint in str(caught.value)


# --------------------------------------------------------------------------------------------------
# Wrapping Thai by display width
# --------------------------------------------------------------------------------------------------


def test_thai_wraps_at_spaces_by_display_width() -> None:
    text = load_cli_text()["analyze"].summary.th
    lines = wrap(text, 40)
    assert " ".join(lines) == text
    assert all(display_width(line) <= 40 for line in lines)
    assert max(len(line) for line in lines) > 40  # len() counts vowel and tone marks: it would cut early


def test_the_repetition_mark_stays_with_its_word_and_long_words_are_cut_between_letters() -> None:
    width = display_width("ผลของปีก่อน")  # the repetition mark would fit the next line only
    assert wrap("ผลของปีก่อน ๆ", width) == ["ผลของปีก่อน ๆ"]  # a word wider than the line, kept whole
    assert wrap("ผล ของปีก่อน ๆ", width) == ["ผล", "ของปีก่อน ๆ"]
    cut = wrap("ส่งเสริมคุณธรรมและความโปร่งใส", 10)
    assert "".join(cut) == "ส่งเสริมคุณธรรมและความโปร่งใส"
    assert all(display_width(piece) <= 10 and display_width(piece[0]) == 1 for piece in cut)
