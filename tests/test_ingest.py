"""Every input format reads the same scores, forgiving spelling but never meaning."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from prongsai.errors import InputError
from prongsai.ingest import read_results
from tests.conftest import write

CANONICAL = """\
agency: {name: เทศบาลตำบลโคกม่วง, type: ทต., district: คลองหอยโข่ง, province: สงขลา}
ita_year: ๒๕๖๗
scores:
  overall: "๙๒.๑๓"
  tools: {iit: 91.64}
  indicators: {๑: 91.78, ind4: 82.00}
  items: {ข้อ i1: 84.67, E๙: 30.49, ๐๑๒: 100}
"""


def test_canonical_yaml_with_thai_digits_and_sloppy_codes(tmp_path: Path) -> None:
    (record,), problems = read_results(write(tmp_path, "r.yaml", CANONICAL))
    assert not problems
    assert record.ita_year == 2567
    assert record.agency.type == "เทศบาลตำบล"
    scores = record.scores
    assert scores.overall is not None and scores.overall.value == 92.13
    assert {k: g.value for k, g in scores.tools.items()} == {"IIT": 91.64}
    assert {k: g.value for k, g in scores.indicators.items()} == {1: 91.78, 4: 82.0}
    assert {k: g.value for k, g in scores.items.items()} == {"i1": 84.67, "e9": 30.49, "o12": 100.0}
    assert scores.items["e9"].location.line == 7


def test_json_list_of_agencies(tmp_path: Path) -> None:
    docs = [
        {"agency": {"name": "เทศบาลตำบลก"}, "ita_year": 2568, "scores": {"overall": 90}},
        {"agency": {"name": "องค์การบริหารส่วนตำบลข"}, "ita_year": 2567, "scores": {"indicators": {"1": 88}}},
    ]
    path = write(tmp_path, "r.json", json.dumps(docs, ensure_ascii=False))
    records, _ = read_results(path)
    assert [(r.agency.name, r.agency.type, r.ita_year) for r in records] == [
        ("เทศบาลตำบลก", "เทศบาลตำบล", 2568),
        ("องค์การบริหารส่วนตำบลข", "องค์การบริหารส่วนตำบล", 2567),
    ]


def test_yaml_stream_of_several_documents(tmp_path: Path) -> None:
    text = "agency: ทต.ก\nita_year: 2568\nscores: {overall: 90}\n---\nagency: ทต.ข\nita_year: 2568\nscores: {overall: 80}\n"
    records, _ = read_results(write(tmp_path, "r.yaml", text))
    assert [r.scores.overall.value for r in records if r.scores.overall] == [90, 80]


LONG_CSV = """\
agency,ita_year,code,score,agency_type,district,province
เทศบาลตำบลโคกม่วง,2567,overall,92.13,เทศบาลตำบล,คลองหอยโข่ง,สงขลา
เทศบาลตำบลโคกม่วง,2567,IIT,91.64,,,
เทศบาลตำบลโคกม่วง,2567,ind4,82.00,,,
เทศบาลตำบลโคกม่วง,2567,ข้อ i1,84.67,,,
เทศบาลเมืองบึงกาฬ,2568,ind9,98.25,เทศบาลเมือง,เมืองบึงกาฬ,บึงกาฬ
เทศบาลเมืองบึงกาฬ,2568,EIT1,100,,,
เทศบาลตำบลโคกม่วง,2566,i30,91.2,,,
"""


def test_long_csv_groups_rows_into_agency_years(tmp_path: Path) -> None:
    records, problems = read_results(write(tmp_path, "r.csv", LONG_CSV))
    assert not problems
    assert [(r.agency.name, r.ita_year) for r in records] == [
        ("เทศบาลตำบลโคกม่วง", 2567),
        ("เทศบาลเมืองบึงกาฬ", 2568),
        ("เทศบาลตำบลโคกม่วง", 2566),
    ]
    first = records[0]
    assert first.agency.province == "สงขลา"
    assert first.scores.items["i1"].location.row == 5
    assert first.scores.items["i1"].location.column == "score"
    assert records[1].scores.parts["EIT1"].value == 100


def test_csv_saved_by_thai_excel_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(LONG_CSV.encode("cp874"))
    records, problems = read_results(path)
    assert len(records) == 3 and records[0].agency.name == "เทศบาลตำบลโคกม่วง"
    assert [p.code for p in problems] == ["encoding_fallback"]
    assert all(r.warnings and r.warnings[0].code == "encoding_fallback" for r in records)


def test_thai_headings_and_semicolons(tmp_path: Path) -> None:
    text = "หน่วยงาน;ปี;รหัส;คะแนน;จังหวัด\nเทศบาลตำบลก;2568;o1;100;ลำปาง\n"
    (record,), _ = read_results(write(tmp_path, "r.csv", text))
    assert record.agency.province == "ลำปาง" and record.scores.items["o1"].value == 100


def _xlsx(path: Path, rows: list[list[object]], sheet: str = "คะแนน", blank_first_sheet: bool = True) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    if blank_first_sheet:
        first.title = "หมายเหตุ"
        first.append(["แผ่นงานนี้เป็นคำอธิบาย"])
        target = book.create_sheet(sheet)
    else:
        first.title = sheet
        target = first
    for row in rows:
        target.append(row)
    book.save(path)
    return path


def test_xlsx_finds_the_sheet_with_the_table(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["agency", "ita_year", "code", "score"],
        ["เทศบาลตำบลก", 2568, "i1", 91.5],
        ["เทศบาลตำบลก", 2568, "o16", 50],
    ]
    (record,), _ = read_results(_xlsx(tmp_path / "r.xlsx", rows))
    assert record.scores.items["o16"].value == 50
    loc = record.scores.items["o16"].location
    assert (loc.sheet, loc.row, loc.column) == ("คะแนน", 3, "D (score)")


def test_xlsx_errors_name_sheet_row_and_column(tmp_path: Path) -> None:
    rows: list[list[object]] = [["agency", "ita_year", "code", "score"], ["เทศบาลตำบลก", 2568, "i1", 191]]
    with pytest.raises(InputError) as info:
        read_results(_xlsx(tmp_path / "r.xlsx", rows))
    unread, problem = info.value.problems  # the sheet of notes is named too: every problem at once
    assert (unread.code, unread.severity, unread.location.sheet) == (
        "sheet_not_results",
        "warning",
        "หมายเหตุ",
    )
    assert problem.code == "score_out_of_range"
    assert (problem.location.sheet, problem.location.row, problem.location.column) == (
        "คะแนน",
        2,
        "D (score)",
    )
    assert "แผ่นงาน คะแนน" in problem.describe("th") and "sheet คะแนน" in problem.describe("en")


def test_xlsx_without_a_score_table(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_results(_xlsx(tmp_path / "r.xlsx", [["ชื่อ", "ที่อยู่"]]))
    assert [p.code for p in info.value.problems] == ["xlsx_no_table"]


def test_unknown_agency_type_is_a_warning_not_an_error(tmp_path: Path) -> None:
    text = "agency: {name: ศูนย์ทดลอง, type: หน่วยงานพิเศษ}\nita_year: 2568\nscores: {overall: 90}\n"
    (record,), problems = read_results(write(tmp_path, "r.yaml", text))
    assert record.agency.type == "หน่วยงานพิเศษ"
    assert [p.code for p in problems] == ["agency_type_unknown"]
