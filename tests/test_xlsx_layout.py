"""Row heights that hold their wrapped Thai text (prongsai.xlsx_layout), in the workbooks as written:
the results form and the framework workbook, and on sheets made for the purpose."""

from __future__ import annotations

import io

import openpyxl
import pytest
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from prongsai.framework import Framework
from prongsai.framework_export import framework_workbook
from prongsai.results_template import template_workbook
from prongsai.template_text import template_text
from prongsai.xlsx_layout import LINE_HEIGHT, fit_row_heights, font, lines_needed, wrapped

TEXT = template_text()


def line(size: float) -> float:
    """The height of one line of text at ``size`` points, without padding."""
    return LINE_HEIGHT * size


def results_sheet(framework: Framework) -> Worksheet:
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(framework)))
    return book[TEXT.sheets.results]


def row_of(sheet: Worksheet, code: str) -> int:
    return next(row[0].row for row in sheet.iter_rows(max_col=1) if row[0].value == code)


def height(sheet: Worksheet, row: int) -> float:
    value = sheet.row_dimensions[row].height
    assert value is not None, f"row {row} has no height"
    return float(value)


# --------------------------------------------------------------------------------------------------
# The workbooks as written
# --------------------------------------------------------------------------------------------------


def test_a_long_question_gets_several_lines_and_a_short_row_about_one(
    frameworks: dict[int, Framework],
) -> None:
    sheet = results_sheet(frameworks[2568])
    # i12, 103 characters: "การกำกับดูแลและตรวจสอบทรัพย์สินของหน่วยงาน สามารถป้องกันการนำ..."
    long = height(sheet, row_of(sheet, "i12"))
    short = height(sheet, row_of(sheet, "ind3"))  # การใช้อำนาจ | ตัวชี้วัดที่ 3 (IIT)
    assert long >= 3 * line(16)
    assert long <= 5 * line(16)  # tall enough, not absurdly
    assert line(16) <= short < 1.5 * line(16)
    for code in ("overall", "ind1", "ind10"):
        assert height(sheet, row_of(sheet, code)) == short  # one line of 16 pt, as everywhere
    # every row of the table has a height: none below one line, none above the longest question's
    rows = {r[0].value: height(sheet, r[0].row) for r in sheet.iter_rows(min_row=9, max_col=1) if r[0].value}
    assert len(rows) == 1 + 1 + 5 + 10 + 52  # overall, level, the tools and parts, indicators, items
    assert min(rows.values()) == short and max(rows.values()) == long


def test_a_merged_title_row_gets_the_height_its_text_needs_across_its_columns(
    frameworks: dict[int, Framework],
) -> None:
    sheet = results_sheet(frameworks[2568])
    assert "A1:D1" in {str(merged) for merged in sheet.merged_cells.ranges}
    title = height(sheet, 1)
    # about 100 characters of 18 pt bold: two lines across A:D, where column A alone would take ten
    assert 2 * line(18) <= title < 3 * line(18)
    instructions = openpyxl.load_workbook(io.BytesIO(template_workbook(frameworks[2568])))[
        TEXT.sheets.instructions
    ]
    assert 2 * line(18) <= height(instructions, 1) < 3 * line(18)  # A1:B1, the same title's length
    assert line(14) <= height(instructions, 2) < 2 * line(14)  # the English title, one line


def test_the_instructions_rows_hold_each_step_and_the_blank_rows_keep_the_default(
    frameworks: dict[int, Framework],
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(frameworks[2569])))
    sheet = book[TEXT.sheets.instructions]
    notice = next(row[1] for row in sheet.iter_rows(max_col=2) if str(row[1].value).startswith("ข้อควรทราบ"))
    assert height(sheet, notice.row) >= 4 * line(16)  # the provisional notice: five lines of bold
    for row in sheet.iter_rows(min_row=3, max_col=2):
        if row[0].value is None and row[1].value is None:
            assert sheet.row_dimensions[row[0].row].height is None  # nothing in it: Excel's default
        else:
            assert height(sheet, row[0].row) >= line(14)
    assert sheet.page_setup.orientation == "portrait" and sheet.page_setup.fitToWidth == 1


def test_the_framework_workbooks_rows_hold_their_text() -> None:
    from prongsai.framework import bundled_frameworks

    book = openpyxl.load_workbook(io.BytesIO(framework_workbook(bundled_frameworks()[2568])))
    items = next(ws for ws in book.worksheets if ws.title.endswith("(items)"))
    rows = {row[0].value: row[0].row for row in items.iter_rows(min_row=3, max_col=1)}
    assert height(items, rows["i12"]) >= 2 * line(14)  # the question wraps in its 70 wide column
    assert height(items, rows["o10"]) < 2 * line(14)  # E-Service
    assert line(11) <= height(items, 2) < 2 * line(11)  # the English keys, 11 pt
    instructions = book.worksheets[0]
    assert "A1:B1" in {str(merged) for merged in instructions.merged_cells.ranges}
    assert height(instructions, 1) >= 2 * line(16)  # the title, two lines across A:B
    assert instructions.print_area is not None and instructions.page_setup.fitToWidth == 1


# --------------------------------------------------------------------------------------------------
# On a sheet made for the purpose
# --------------------------------------------------------------------------------------------------


def test_thai_marks_above_and_below_take_no_width() -> None:
    plain = "กา" * 40
    marked = "กี่ก้" * 40  # the same consonants with vowels and tone marks above them
    assert lines_needed(marked, 30, 16) == lines_needed(plain, 30, 16) > 1
    assert lines_needed("ก" * 10, 30, 16) == 1
    assert lines_needed("บรรทัดหนึ่ง\nบรรทัดสอง\nบรรทัดสาม", 60, 16) == 3  # its own lines count
    assert lines_needed("ก" * 80, 30, 16) > lines_needed("ก" * 80, 60, 16) >= 2
    assert lines_needed("ก" * 80, 30, 20) > lines_needed("ก" * 80, 30, 12)  # larger text, more lines


def test_row_heights_follow_the_wrapped_text_its_width_and_its_font() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 40
    sheet.column_dimensions["D"].hidden = True
    question = "หน่วยงานของท่านมีการเผยแพร่ข้อมูลข่าวสารที่ประชาชนเข้าถึงได้ง่าย" * 3
    cells = {
        1: ("A", question, 16, wrapped()),  # long, wrapped in a narrow column: many lines
        2: ("B", question, 16, wrapped()),  # the same in a column twice as wide: fewer
        3: ("A", question, 16, Alignment()),  # not wrapped: one line, whatever its length
        4: ("A", "สั้น", 16, wrapped()),
        6: ("D", question, 16, wrapped()),  # in a hidden column: nothing to show
        7: ("A", "สั้น", 24, wrapped()),
    }
    for row, (column, text, size, alignment) in cells.items():
        cell = sheet[f"{column}{row}"]
        cell.value, cell.font, cell.alignment = text, font(size), alignment
    sheet.merge_cells("B8:C8")
    sheet["B8"], sheet["B8"].font, sheet["B8"].alignment = question, font(16), wrapped()
    fit_row_heights(sheet)

    heights = {row: sheet.row_dimensions[row].height for row in range(1, 9)}
    assert heights[1] is not None and heights[2] is not None and heights[8] is not None
    assert heights[3] == heights[4] == pytest.approx(line(16), abs=5)
    assert heights[2] > heights[4] and heights[1] > 1.6 * heights[2]
    assert heights[8] < heights[2]  # merged B:C is 80 wide: fewer lines than B alone
    assert heights[5] is None and heights[6] is None  # nothing shown: the default height
    assert heights[7] == pytest.approx(line(24), abs=5)  # one line of the larger font
