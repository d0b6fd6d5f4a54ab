"""Workbooks with several sheets: every sheet is read in the layout it holds (long form, wide form,
the fill-in form), a sheet holding nothing readable is named in a warning, --sheet reads one sheet,
and a file with several years of one agency is analysed at its latest year with the others as history."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import openpyxl
import pytest

from prongsai.cli import cli, run
from prongsai.errors import InputError
from prongsai.framework import Framework
from prongsai.ingest import read_results
from prongsai.results import ResultsInput
from prongsai.results_template import template_workbook
from tests.test_template import INSTRUCTIONS_SHEET, SEED_2567, SEED_2568, fill_form, given, seed

NOTES = "หมายเหตุ"


def long_rows(record: ResultsInput) -> list[list[object]]:
    """The record in the long form, one score per row, as a clerk's own sheet holds it."""
    agency = record.agency
    rows: list[list[object]] = [["หน่วยงาน", "ปี", "รหัส", "คะแนน", "ประเภท", "อำเภอ", "จังหวัด"]]
    for number, (code, value) in enumerate(given(record.scores).items()):
        details = [agency.type, agency.district, agency.province] if number == 0 else [None, None, None]
        rows.append([agency.name, record.ita_year, code, value, *details])
    return rows


def khok_muang_2568() -> ResultsInput:
    """A 2568 year for the agency of seed 001 (its 2567 results): seed 002's 2568 scores."""
    return dataclasses.replace(seed(SEED_2568), agency=seed(SEED_2567).agency)


def two_years(tmp_path: Path, frameworks: dict[int, Framework]) -> Path:
    """The 2568 form filled in (its instructions sheet kept, its results sheet named 2568), a 2567
    sheet in the long form, a sheet of notes and an empty sheet."""
    path = fill_form(
        template_workbook(frameworks[2568]), tmp_path / "years.xlsx", khok_muang_2568(), sheet_name="2568"
    )
    book = openpyxl.load_workbook(path)
    earlier = book.create_sheet("2567")
    for row in long_rows(seed(SEED_2567)):
        earlier.append(row)
    notes = book.create_sheet(NOTES)
    notes.append(["ผลคะแนนปี 2567 คัดลอกจากรายงานของสำนักงาน ป.ป.ช."])
    notes.append(["ผู้กรอก", "นางสาวสมศรี ใจดี", "งานนิติการ"])
    book.create_sheet("Sheet3")
    book.save(path)
    return path


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = run(cli, args)
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------------------------------
# Reading every sheet
# --------------------------------------------------------------------------------------------------


def test_a_sheet_per_year_gives_every_agency_year(tmp_path: Path, frameworks: dict[int, Framework]) -> None:
    records, problems = read_results(two_years(tmp_path, frameworks))
    assert [(r.agency.name, r.ita_year) for r in records] == [
        ("เทศบาลตำบลโคกม่วง", 2568),
        ("เทศบาลตำบลโคกม่วง", 2567),
    ]
    assert given(records[0].scores) == pytest.approx(given(khok_muang_2568().scores))
    assert given(records[1].scores) == pytest.approx(given(seed(SEED_2567).scores))
    assert records[1].scores.items["i1"].location.sheet == "2567"
    # the notes sheet is named; the instructions and the empty sheet hold nothing to miss
    unread = [p for p in problems if p.code == "sheet_not_results"]
    assert [p.location.sheet for p in unread] == [NOTES]
    assert not [p for p in problems if p.location.sheet in (INSTRUCTIONS_SHEET, "Sheet3")]


def test_a_sheet_of_notes_is_a_warning_naming_it_carried_by_every_agency_year(
    tmp_path: Path, frameworks: dict[int, Framework]
) -> None:
    records, _ = read_results(two_years(tmp_path, frameworks))
    for record in records:
        (note,) = [w for w in record.warnings if w.code == "sheet_not_results"]
        assert note.severity == "warning"
        assert note.describe("th").startswith(f"ไฟล์ years.xlsx, แผ่นงาน {NOTES}: แผ่นงานนี้ไม่มีข้อมูล")
        assert note.describe("en").startswith(f"file years.xlsx, sheet {NOTES}: this sheet holds nothing")


def test_long_and_wide_sheets_of_several_agencies_are_read_together(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    long = book.active
    assert long is not None
    long.title = "ทต.ก"
    for row in [
        ["agency", "ita_year", "code", "score"],
        ["ทต.ก", 2568, "overall", 91.2],
        ["ทต.ก", 2568, "i1", 88],
    ]:
        long.append(row)
    wide = book.create_sheet("อบต.")
    wide.append([])  # the header on row 2: rows are numbered as the sheet shows them
    wide.append(["agency", "ita_year", "overall", "ind4"])
    wide.append(["อบต.ข", 2568, 86.5, 80])
    wide.append(["อบต.ค", "๒๕๖๘", 77.25, 101])
    book.save(tmp_path / "mixed.xlsx")
    with pytest.raises(InputError) as info:
        read_results(tmp_path / "mixed.xlsx")
    (problem,) = info.value.problems
    assert problem.code == "score_out_of_range"
    assert (problem.location.sheet, problem.location.row, problem.location.column) == ("อบต.", 4, "D (ind4)")
    wide["D4"] = 79.5
    book.save(tmp_path / "mixed.xlsx")
    records, _ = read_results(tmp_path / "mixed.xlsx")
    assert [(r.agency.name, r.ita_year) for r in records] == [
        ("ทต.ก", 2568),
        ("อบต.ข", 2568),
        ("อบต.ค", 2568),
    ]


def test_the_same_agency_year_on_two_sheets_is_refused(
    tmp_path: Path, frameworks: dict[int, Framework]
) -> None:
    path = two_years(tmp_path, frameworks)
    book = openpyxl.load_workbook(path)
    again = book.create_sheet("2567 (สำเนา)")
    for row in long_rows(seed(SEED_2567)):
        again.append(row)
    book.save(path)
    with pytest.raises(InputError) as info:
        read_results(path)
    (twice,) = [p for p in info.value.problems if p.code == "agency_year_twice"]
    assert "2567 (สำเนา)" in twice.describe("en") and "2567" in twice.message_en


# --------------------------------------------------------------------------------------------------
# --sheet
# --------------------------------------------------------------------------------------------------


def test_sheet_reads_only_that_sheet(tmp_path: Path, frameworks: dict[int, Framework]) -> None:
    path = two_years(tmp_path, frameworks)
    (record,), problems = read_results(path, sheet="2567")
    assert record.ita_year == 2567 and not problems  # the notes sheet is not read, so not reported
    (record,), _ = read_results(path, sheet=" 2568 ")
    assert record.ita_year == 2568


def test_an_unknown_sheet_is_an_error_listing_the_sheets(
    tmp_path: Path, frameworks: dict[int, Framework]
) -> None:
    path = two_years(tmp_path, frameworks)
    with pytest.raises(InputError) as info:
        read_results(path, sheet="ผลปี 2566")
    (problem,) = info.value.problems
    assert problem.code == "sheet_unknown" and problem.location.option == "--sheet"
    listed = f"{INSTRUCTIONS_SHEET}, 2568, 2567, {NOTES}, Sheet3"
    assert listed in problem.message_th and listed in problem.message_en
    with pytest.raises(InputError) as info:
        read_results(path, sheet=NOTES)
    assert [(p.code, p.location.sheet) for p in info.value.problems] == [("xlsx_no_table", NOTES)]


def test_sheet_is_for_workbooks_only() -> None:
    with pytest.raises(InputError) as info:
        read_results(SEED_2567, sheet="2567")
    (problem,) = info.value.problems
    assert problem.code == "sheet_not_a_workbook" and ".yaml" in problem.message_en


def test_check_with_sheet_and_an_unknown_sheet_on_the_command_line(
    tmp_path: Path, frameworks: dict[int, Framework], capsys: pytest.CaptureFixture[str]
) -> None:
    path = two_years(tmp_path, frameworks)
    code, out, err = _run(["check", "--json", "--sheet", "2567", str(path)], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["ita_year"] == 2567 and data["overall"] == 92.13
    code, out, err = _run(["check", str(path)], capsys)
    assert code == 0 and "ITA 2567" in out and "ITA 2568" in out
    assert f"แผ่นงาน {NOTES}" in out and f"sheet {NOTES}" in out  # the warning, with each agency-year
    code, out, err = _run(["check", "--sheet", "2566", str(path)], capsys)
    assert code == 2 and out == "" and "Traceback" not in err
    assert "--sheet" in err and "2566" in err and f"{INSTRUCTIONS_SHEET}, 2568, 2567" in err


# --------------------------------------------------------------------------------------------------
# Several years of one agency: the latest, with the others as history
# --------------------------------------------------------------------------------------------------


def test_analyze_takes_the_latest_year_and_the_earlier_as_history(
    tmp_path: Path, frameworks: dict[int, Framework], capsys: pytest.CaptureFixture[str]
) -> None:
    path = two_years(tmp_path, frameworks)
    code, out, err = _run(["analyze", "--json", str(path)], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["ita_year"] == 2568 and data["agency"]["name"] == "เทศบาลตำบลโคกม่วง"
    trend = {entry["key"]: entry for entry in data["trend"]}
    assert trend["i1"]["history"][0] == {"ita_year": 2567, "score": 84.67}
    said = [line for line in err.splitlines() if "2567, 2568" in line]
    assert len(said) == 2  # once, in Thai then in English
    assert "ปีล่าสุด" in said[0] and "the latest" in said[1] and "history" in said[1]
    code, out, err = _run(["analyze", "--json", "--sheet", "2567", str(path)], capsys)
    assert code == 0 and json.loads(out)["ita_year"] == 2567 and "2567, 2568" not in err


def test_year_chooses_an_earlier_year_whose_history_is_only_what_came_before(
    tmp_path: Path, frameworks: dict[int, Framework], capsys: pytest.CaptureFixture[str]
) -> None:
    path = two_years(tmp_path, frameworks)
    code, out, err = _run(["analyze", "--json", "--year", "2567", str(path)], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["ita_year"] == 2567
    assert all(not entry["history"] for entry in data["trend"])  # 2568 is later: not its history
    code, out, err = _run(["plan", "--year", "๒๕๖๖", str(path), "-o", str(tmp_path / "p.yaml")], capsys)
    assert code == 2 and not (tmp_path / "p.yaml").exists()
    assert "ไม่พบผลการประเมินปี 2566 ในไฟล์" in err and "no results of 2566 in the file" in err
    assert "เทศบาลตำบลโคกม่วง 2567" in err  # what the file does hold


def test_history_files_add_to_the_files_own_years(
    tmp_path: Path, frameworks: dict[int, Framework], capsys: pytest.CaptureFixture[str]
) -> None:
    path = two_years(tmp_path, frameworks)
    code, out, err = _run(["analyze", "--json", "--history", str(SEED_2567), str(path)], capsys)
    assert code == 0, err
    assert "2567" in err and "seed-001-khok-muang-2567.yaml" in err  # the year the file already holds
    trend = {entry["key"]: entry for entry in json.loads(out)["trend"]}
    assert trend["i1"]["history"][0]["ita_year"] == 2567


def test_whatif_uses_the_latest_year_and_says_so(
    tmp_path: Path, frameworks: dict[int, Framework], capsys: pytest.CaptureFixture[str]
) -> None:
    path = two_years(tmp_path, frameworks)
    code, out, err = _run(["whatif", "--json", "--set", "o16=100", str(path)], capsys)
    assert code == 0, err
    assert json.loads(out)["set"] == {"o16": 100.0}
    assert "2568" in err and "the latest, is used" in err


def test_several_agencies_still_need_agency(
    tmp_path: Path, frameworks: dict[int, Framework], capsys: pytest.CaptureFixture[str]
) -> None:
    path = two_years(tmp_path, frameworks)
    book = openpyxl.load_workbook(path)
    other = book.create_sheet("บึงกาฬ")
    for row in long_rows(seed(SEED_2568)):
        other.append(row)
    book.save(path)
    code, out, err = _run(["analyze", str(path)], capsys)
    assert code == 2 and "--agency" in err and "เทศบาลเมืองบึงกาฬ 2568" in err
    code, out, err = _run(["analyze", "--json", "--agency", "ทต.โคกม่วง", str(path)], capsys)
    assert code == 0 and json.loads(out)["ita_year"] == 2568


def test_plan_and_report_read_one_sheet(
    tmp_path: Path, frameworks: dict[int, Framework], capsys: pytest.CaptureFixture[str]
) -> None:
    path = two_years(tmp_path, frameworks)
    code, _, err = _run(["plan", "--sheet", "2567", str(path), "-o", str(tmp_path / "plan.yaml")], capsys)
    assert code == 0, err
    assert "ita_year: 2567" in (tmp_path / "plan.yaml").read_text(encoding="utf-8")
    code, _, err = _run(
        ["report", "--batch", str(path), "--sheet", "2567", "-o", str(tmp_path / "docs")], capsys
    )
    assert code == 2 and "--sheet" in err and "--batch" in err and not (tmp_path / "docs").exists()
