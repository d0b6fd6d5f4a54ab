"""The framework workbook: export, import, the round trip of every bundled year, and every problem of
an edited workbook on its sheet, row and column, in Thai and English (docs/framework-authoring.md)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from prongsai.errors import InputError
from prongsai.framework import Framework, build_framework, bundled_frameworks
from prongsai.framework_export import framework_workbook
from prongsai.framework_folder import read_framework_file
from prongsai.framework_import import read_workbook
from prongsai.framework_schema import check_definition, definition_of
from prongsai.framework_sheet import LAYOUTS, workbook_text
from prongsai.framework_yaml import definition_yaml
from prongsai.problems import Location, Problem
from tests.conftest import Run

YEARS = sorted(bundled_frameworks())
HERE = Location(file="ita.xlsx")


@cache
def exported(year: int) -> bytes:
    return framework_workbook(bundled_frameworks()[year])


def book_of(year: int = 2568) -> Workbook:
    return load_workbook(io.BytesIO(exported(year)))


def saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet(book: Workbook, key: str) -> Worksheet:
    return next(ws for ws in book.worksheets if ws.title.endswith(f"({key})"))


def column(ws: Worksheet, key: str) -> int:
    keys = [cell.value for cell in ws[2]]
    return keys.index(key) + 1


def letter(ws: Worksheet, key: str) -> str:
    return ws.cell(2, column(ws, key)).column_letter


def row_of(ws: Worksheet, **match: object) -> int:
    for row in range(3, ws.max_row + 1):
        if all(ws.cell(row, column(ws, key)).value == value for key, value in match.items()):
            return row
    raise LookupError(match)


def put(ws: Worksheet, row: int, key: str, value: object) -> str:
    """Set a cell as a person would; its coordinate's column letter."""
    ws.cell(row, column(ws, key)).value = value
    return letter(ws, key)


def problems_of(book: Workbook) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        read_workbook(saved(book), HERE)
    return caught.value.problems


def only(problems: list[Problem], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, [(p.code, p.location, p.message_en) for p in problems]
    return found[0]


def at(problem: Problem) -> tuple[str | None, int | None, str | None]:
    return problem.location.sheet, problem.location.row, problem.location.column


def thai_and_english(problem: Problem) -> None:
    assert re.search("[\u0e00-\u0e7f]", problem.describe("th"))
    assert problem.message_en and not re.search("[\u0e00-\u0e7f]", problem.message_en.split("'")[0])


# --------------------------------------------------------------------------------------------------
# The round trip
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_every_bundled_year_comes_back_as_the_same_framework(year: int, tmp_path: Path) -> None:
    bundled = bundled_frameworks()[year]
    imported = read_workbook(exported(year), HERE)
    assert definition_of(imported.spec) == bundled.definition
    path = tmp_path / f"ita-{year}.yaml"
    path.write_text(definition_yaml(imported.definition, "ita.xlsx"), encoding="utf-8")
    assert read_framework_file(path).definition == bundled.definition


def test_weights_come_back_exactly_from_percentages() -> None:
    book = book_of(2568)
    rules = sheet(book, "rules")
    assert [rules.cell(r, column(rules, "value")).value for r in range(4, 7)] == [30, 30, 40]
    weights = read_workbook(saved(book), HERE).definition["rules"]["weights"]["value"]
    assert weights == {"IIT": 0.3, "EIT": 0.3, "OIT": 0.4}


def test_the_yaml_is_written_like_the_bundled_files() -> None:
    text = definition_yaml(read_workbook(exported(2568), HERE).definition, "ita-2568.xlsx")
    keys = [line.split(":")[0] for line in text.splitlines() if re.match(r"^[a-z_]+:", line)]
    assert keys == [
        "schema_version", "ita_year", "name_th", "notes", "sources", "rules",
        "tools", "indicators", "sub_indicators", "items", "scoring",
    ]  # fmt: skip
    assert "status:" not in text  # official is the default
    assert "การปฏิบัติหน้าที่" in text and "\\u0e" not in text
    assert "null" not in text and "note: ''" not in text and "indicator_confirmed: false" not in text
    assert "    value:\n      IIT: 0.3\n      EIT: 0.3\n      OIT: 0.4\n" in text
    assert "- {value: 33, words: [น้อย], codes: ['2']}" in text
    level = text.index("  - name: ผ่านดีเยี่ยม")
    assert text.index("name_en:", level) < text.index("min_overall:", level) < text.index("confirmed:", level)
    assert text.startswith("# ITA 2568: written by prongsai framework import from ita-2568.xlsx.\n")
    provisional = definition_yaml(read_workbook(exported(2569), HERE).definition, "x.xlsx")
    assert "\nstatus: provisional\n" in provisional


# --------------------------------------------------------------------------------------------------
# The workbook as a person sees it
# --------------------------------------------------------------------------------------------------


def test_the_workbook_opens_on_thai_instructions_then_one_sheet_per_part() -> None:
    text = workbook_text()
    book = book_of(2568)
    assert book.worksheets[0].title == "คำแนะนำ (instructions)"
    assert book.active is not None and book.active.title == "คำแนะนำ (instructions)"
    assert [ws.title for ws in book.worksheets[1:]] == [text.sheet_name(key) for key in LAYOUTS]
    instructions = "\n".join(str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value)
    assert "2569:o25" in instructions and "provisional" in instructions and "ไม่ใช่" in instructions
    no_scoring = book_of(2566)
    assert not any(
        ws.title.endswith(("(scoring)", "(scales)", "(questions)")) for ws in no_scoring.worksheets
    )


def test_each_table_has_thai_headings_over_english_keys_frozen_and_fitted() -> None:
    book = book_of(2568)
    items = sheet(book, "items")
    assert [c.value for c in items[1]][:3] == ["รหัสข้อ", "ข้อคำถามหรือรายการข้อมูล", "ตัวชี้วัดที่"]
    assert [c.value for c in items[2]] == [c.key for c in LAYOUTS["items"].columns]
    for ws in book.worksheets[1:]:
        assert ws.freeze_panes == ("A3" if ws.title.endswith("(year)") else "B3"), ws.title
        for key, dimension in ws.column_dimensions.items():
            assert 8 <= dimension.width <= 70, (ws.title, key, dimension.width)
    text = items.cell(3, column(items, "text_th"))
    assert text.alignment.wrap_text and items.column_dimensions[letter(items, "text_th")].width == 70
    assert items.column_dimensions["A"].width < 12  # codes stay narrow
    assert items.cell(3, column(items, "indicator_confirmed")).value == "ใช่"


def test_cells_offer_the_allowed_values() -> None:
    book = book_of(2568)
    rules: dict[str, str] = {}
    for key in ("items", "indicators", "levels", "rules"):
        ws = sheet(book, key)
        for validation in ws.data_validations.dataValidation:
            rules[f"{key}.{ws.cell(2, next(iter(validation.sqref.ranges)).min_col).value}"] = (
                f"{validation.type} {validation.operator} {validation.formula1} {validation.formula2}"
            )
    assert rules["indicators.confirmed"] == 'list None "ใช่,ไม่ใช่" None'
    assert rules["indicators.tool"] == 'list None "IIT,EIT,OIT" None'
    assert rules["items.indicator"] == "whole between 1 10"
    assert rules["levels.min_overall"] == "decimal between 0 100"
    assert rules["rules.method"] == 'list None "mean,weighted_mean" None'


# --------------------------------------------------------------------------------------------------
# What a person may write
# --------------------------------------------------------------------------------------------------


def test_thai_headings_alone_are_enough() -> None:
    book = book_of(2568)
    for ws in book.worksheets[1:]:
        ws.delete_rows(2)
    assert definition_of(read_workbook(saved(book), HERE).spec) == bundled_frameworks()[2568].definition


def test_numbers_and_yes_no_may_be_written_as_people_write_them() -> None:
    book = book_of(2568)
    rules = sheet(book, "rules")
    put(rules, 4, "value", "๓๐")  # Thai digits
    rules.cell(6, column(rules, "value")).value = 0.4
    rules.cell(6, column(rules, "value")).number_format = "0%"  # a percentage cell shows 40%
    put(rules, 4, "confirmed", True)  # an Excel TRUE
    indicators = sheet(book, "indicators")
    put(indicators, 3, "confirmed", "ยืนยันแล้ว")
    put(indicators, 4, "tool", "iit")
    items = sheet(book, "items")
    put(items, row_of(items, code="i2"), "code", "I2")
    imported = read_workbook(saved(book), HERE)
    assert definition_of(imported.spec) == bundled_frameworks()[2568].definition


# --------------------------------------------------------------------------------------------------
# Problems: each on its sheet, row and column, in Thai and English
# --------------------------------------------------------------------------------------------------


def test_a_wrong_weight_sum_is_on_the_weights() -> None:
    book = book_of(2568)
    rules = sheet(book, "rules")
    row = row_of(rules, rule="weights", tool="IIT")
    column_letter = put(rules, row, "value", 35)
    problem = only(problems_of(book), "framework_weights_sum")
    assert at(problem) == ("เกณฑ์ (rules)", row, column_letter)
    assert "1.05" in problem.message_en and "1.05" in problem.message_th
    thai_and_english(problem)


def test_an_item_under_an_indicator_of_another_tool_is_on_its_indicator_cell() -> None:
    book = book_of(2568)
    items = sheet(book, "items")
    row = row_of(items, code="e4")
    column_letter = put(items, row, "indicator", 9)
    problem = only(problems_of(book), "framework_item_indicator_tool")
    assert at(problem) == ("ข้อคำถาม (items)", row, column_letter)
    assert "e4" in problem.message_en and "EIT" in problem.message_th
    thai_and_english(problem)


def test_a_confirmed_cell_that_is_neither_yes_nor_no() -> None:
    book = book_of(2568)
    levels = sheet(book, "levels")
    row = row_of(levels, name="ผ่าน")
    column_letter = put(levels, row, "confirmed", "maybe")
    problem = only(problems_of(book), "authoring_not_yes_no")
    assert at(problem) == ("ระดับผล (levels)", row, column_letter)
    assert "maybe" in problem.message_en and "ใช่" in problem.message_th and "ไม่ใช่" in problem.message_th
    thai_and_english(problem)


def test_a_missing_items_sheet() -> None:
    book = book_of(2568)
    book.remove(sheet(book, "items"))
    found = problems_of(book)
    problem = only(found, "authoring_sheet_missing")
    assert at(problem) == ("ข้อคำถาม (items)", None, None)
    assert "items" in problem.message_en and "ข้อคำถาม" in problem.message_th
    assert len(found) == 1  # no echo: sources left unused, questions without items
    thai_and_english(problem)


def test_a_source_that_is_not_listed() -> None:
    book = book_of(2568)
    items = sheet(book, "items")
    row = row_of(items, code="o3")
    column_letter = put(items, row, "source", "seed-002:248;manual-2570")
    problem = only(problems_of(book), "framework_source_unknown")
    assert at(problem) == ("ข้อคำถาม (items)", row, column_letter)
    assert "manual-2570" in problem.message_en and "manual-2570" in problem.message_th
    thai_and_english(problem)


def test_every_problem_is_reported_at_once() -> None:
    book = book_of(2568)
    rules, items, levels = sheet(book, "rules"), sheet(book, "items"), sheet(book, "levels")
    put(rules, row_of(rules, rule="weights", tool="OIT"), "value", 45)
    put(items, row_of(items, code="e4"), "indicator", 9)
    put(levels, row_of(levels, name="ผ่าน"), "confirmed", "maybe")
    put(items, row_of(items, code="o3"), "source", "manual-2570")
    put(items, row_of(items, code="o5"), "indicator", "nine")
    codes = sorted(p.code for p in problems_of(book))
    assert codes == [
        "authoring_not_number",
        "authoring_not_yes_no",
        "framework_item_indicator_tool",
        "framework_source_unknown",
        "framework_weights_sum",
    ]


Edit = Callable[[Workbook], tuple[str, int | None, str | None]]  # the sheet's name, row, column


def _fractions(book: Workbook) -> tuple[str, int | None, str | None]:
    rules = sheet(book, "rules")
    for tool, value in (("IIT", 0.3), ("EIT", 0.3), ("OIT", 0.4)):
        put(rules, row_of(rules, rule="weights", tool=tool), "value", value)
    return rules.title, row_of(rules, rule="weights", tool="IIT"), letter(rules, "value")


def _required(book: Workbook) -> tuple[str, int | None, str | None]:
    ws = sheet(book, "indicators")
    return ws.title, 5, put(ws, 5, "source", None)


def _not_whole(book: Workbook) -> tuple[str, int | None, str | None]:
    ws = sheet(book, "indicators")
    return ws.title, 5, put(ws, 5, "number", 3.5)


def _unknown_sheet(book: Workbook) -> tuple[str, int | None, str | None]:
    book.create_sheet("Sheet1")  # an empty sheet is no problem, one with something in it is
    book.create_sheet("Sheet2")["B2"] = "ร่าง"
    return "Sheet2", None, None


def _twice_sheet(book: Workbook) -> tuple[str, int | None, str | None]:
    book.copy_worksheet(sheet(book, "tools")).title = "tools"
    return "tools", None, None


def _unknown_heading(book: Workbook) -> tuple[str, int | None, str | None]:
    ws = sheet(book, "items")
    ws.cell(1, 9, "ความเห็น")
    ws.cell(2, 9, "comment")
    return ws.title, 2, "I"


def _twice_heading(book: Workbook) -> tuple[str, int | None, str | None]:
    ws = sheet(book, "items")
    ws.cell(1, 9, "หมายเหตุ")
    ws.cell(2, 9, "note")
    return ws.title, 1, "I"


def _missing_heading(book: Workbook) -> tuple[str, int | None, str | None]:
    ws = sheet(book, "items")
    ws.delete_cols(column(ws, "source"))
    return ws.title, 1, None


def _no_heading(book: Workbook) -> tuple[str, int | None, str | None]:
    ws = sheet(book, "items")
    ws.cell(7, 12, "ดูคู่มือหน้า 12")
    return ws.title, 7, "L"


def _unknown_row(book: Workbook) -> tuple[str, int | None, str | None]:
    ws = sheet(book, "rules")
    put(ws, 3, "rule", "passmark")
    return ws.title, 3, letter(ws, "rule")


def _twice_row(book: Workbook) -> tuple[str, int | None, str | None]:
    ws = sheet(book, "sources")
    row = ws.max_row + 1
    for key in ("key", "kind", "title"):
        put(ws, row, key, ws.cell(3, column(ws, key)).value)
    return ws.title, row, letter(ws, "key")


def _not_used(book: Workbook) -> tuple[str, int | None, str | None]:
    ws = sheet(book, "rules")
    row = row_of(ws, rule="pass_mark")
    return ws.title, row, put(ws, row, "method", "mean")


def _group_differs(book: Workbook) -> tuple[str, int | None, str | None]:
    ws = sheet(book, "scales")
    row = row_of(ws, scale="four_level", value=33)
    return ws.title, row, put(ws, row, "confirmed", "ใช่")


def _part_tool(book: Workbook) -> tuple[str, int | None, str | None]:
    ws = sheet(book, "tools")
    row = row_of(ws, part="EIT2")
    return ws.title, row, put(ws, row, "tool", "EXT")


def _same_as(book: Workbook) -> tuple[str, int | None, str | None]:
    ws = sheet(book, "items")
    row = row_of(ws, code="o25")
    return ws.title, row, put(ws, row, "same_as", "2567:o40")


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (_fractions, "authoring_weights_fractions"),
        (_required, "authoring_cell_required"),
        (_not_whole, "authoring_not_whole"),
        (_unknown_sheet, "authoring_sheet_unknown"),
        (_twice_sheet, "authoring_sheet_twice"),
        (_unknown_heading, "authoring_heading_unknown"),
        (_twice_heading, "authoring_heading_twice"),
        (_missing_heading, "authoring_heading_missing"),
        (_no_heading, "authoring_cell_no_heading"),
        (_unknown_row, "authoring_row_unknown"),
        (_twice_row, "authoring_row_twice"),
        (_not_used, "authoring_cell_not_used"),
        (_group_differs, "authoring_group_differs"),
        (_part_tool, "authoring_part_tool"),
        (_same_as, "frameworks_same_as_unknown"),
    ],
)
def test_each_cell_problem_is_located(edit: Edit, code: str) -> None:
    book = book_of(2568)
    name, row, column_letter = edit(book)
    problem = only(problems_of(book), code)
    assert at(problem) == (name, row, column_letter)
    assert problem.location.file == "ita.xlsx"
    thai_and_english(problem)


def test_a_control_code_in_a_cell_is_refused() -> None:
    book = book_of(2568)
    items = sheet(book, "items")
    row = row_of(items, code="o2")
    column_letter = put(items, row, "note", "ข้อมูลCONTROLผู้บริหาร")
    data = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(saved(book))) as source, zipfile.ZipFile(data, "w") as target:
        for member in source.infolist():  # Excel writes U+0001 as _x0001_; openpyxl refuses to
            target.writestr(member, source.read(member).replace(b"CONTROL", b"_x0001_"))
    with pytest.raises(InputError) as caught:
        read_workbook(data.getvalue(), HERE)
    problem = only(caught.value.problems, "text_bad_character")
    assert at(problem) == ("ข้อคำถาม (items)", row, column_letter)


def test_a_list_value_that_cannot_be_written_is_refused_on_export() -> None:
    bundled = bundled_frameworks()[2568]
    raw = yaml.safe_load(yaml.safe_dump(dict(bundled.definition), allow_unicode=True))
    raw["scoring"]["scales"][0]["answers"][0]["words"].append("มาก;น้อย")
    spec, problems = check_definition(raw)
    assert spec is not None, problems
    framework: Framework = build_framework(spec, "mine/ita-2568.yaml")
    with pytest.raises(InputError) as caught:
        framework_workbook(framework)
    problem = only(caught.value.problems, "authoring_export_list")
    assert problem.location.file == "mine/ita-2568.yaml" and "มาก;น้อย" in problem.message_en


# --------------------------------------------------------------------------------------------------
# The commands
# --------------------------------------------------------------------------------------------------


def test_export_then_import_on_the_command_line(prongsai: Run, tmp_path: Path) -> None:
    workbook = tmp_path / "ita-2568.xlsx"
    code, out = prongsai("framework", "export", "๒๕๖๘", "-o", str(workbook))
    assert code == 0 and "ita-2568.xlsx" in out and workbook.stat().st_size > 10_000
    code, out = prongsai("framework", "import", str(workbook), "-o", str(tmp_path / "mine"))
    assert code == 0, out
    assert "ita-2568.yaml" in out and "52" in out
    assert (
        read_framework_file(tmp_path / "mine" / "ita-2568.yaml").definition
        == bundled_frameworks()[2568].definition
    )


def test_a_workbook_with_problems_writes_nothing(prongsai: Run, tmp_path: Path) -> None:
    book = book_of(2568)
    rules = sheet(book, "rules")
    put(rules, row_of(rules, rule="weights", tool="IIT"), "value", 35)
    put(sheet(book, "levels"), 3, "confirmed", "maybe")
    workbook = tmp_path / "edited.xlsx"
    workbook.write_bytes(saved(book))
    folder = tmp_path / "out"
    code, out = prongsai("framework", "import", str(workbook), "-o", str(folder))
    assert code == 2
    assert "แผ่นงาน เกณฑ์ (rules), แถว 4, คอลัมน์ D" in out and "sheet เกณฑ์ (rules), row 4, column D" in out
    assert "แผ่นงาน ระดับผล (levels), แถว 3, คอลัมน์ E" in out and "must be yes" in out
    assert not folder.exists()


def test_export_refuses_a_wrong_suffix_and_an_unknown_year(prongsai: Run, tmp_path: Path) -> None:
    code, out = prongsai("framework", "export", "2568", "-o", str(tmp_path / "ita.yaml"))
    assert code == 2 and ".xlsx" in out and not (tmp_path / "ita.yaml").exists()
    code, out = prongsai("framework", "export", "2590", "-o", str(tmp_path / "ita.xlsx"))
    assert code == 2 and "2590" in out and not (tmp_path / "ita.xlsx").exists()
