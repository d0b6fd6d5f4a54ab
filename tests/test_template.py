"""The fill-in results form (`prongsai template`): what the written workbook holds, and that a form
filled by hand as a clerk fills it from the ITAS screen reads back to the results it was filled from."""

from __future__ import annotations

import io
from collections.abc import Collection
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from prongsai.errors import InputError
from prongsai.framework import Framework
from prongsai.ingest import read_results
from prongsai.results import GivenScores, ResultsInput
from prongsai.results_template import form_rows, template_workbook
from prongsai.template_text import template_text
from prongsai.thai import to_thai_digits
from tests.conftest import EXAMPLES, Run

SEED_2568 = EXAMPLES / "seed-002-bueng-kan-2568.yaml"
SEED_2567 = EXAMPLES / "seed-001-khok-muang-2567.yaml"
TEXT = template_text()
RESULTS_SHEET = TEXT.sheets.results
INSTRUCTIONS_SHEET = TEXT.sheets.instructions


# --------------------------------------------------------------------------------------------------
# Filling the form as a clerk does
# --------------------------------------------------------------------------------------------------


def given(scores: GivenScores) -> dict[str, float | str]:
    """Every given score by its code (overall, level, IIT, EIT1, ind4, i1 ...)."""
    found: dict[str, float | str] = {}
    if scores.overall is not None:
        found["overall"] = scores.overall.value
    if scores.level is not None:
        found["level"] = scores.level.value
    found.update({code: g.value for code, g in scores.tools.items()})
    found.update({code: g.value for code, g in scores.parts.items()})
    found.update({f"ind{n}": g.value for n, g in scores.indicators.items()})
    found.update({code: g.value for code, g in scores.items.items()})
    return found


def field_cells(sheet: Worksheet) -> dict[str, str]:
    """Each agency field's value cell (the merged cell right of its label), by label."""
    return {
        str(row[0].value): row[1].coordinate
        for row in sheet.iter_rows(max_col=2)
        if row[0].value in TEXT.field_labels().values()
    }


def fill_form(
    form: bytes | Path,
    target: Path,
    record: ResultsInput,
    *,
    thai_digits: Collection[str] = (),
    blank: Collection[str] = (),
    sheet_name: str = RESULTS_SHEET,
) -> Path:
    """The form filled from ``record``: the agency's fields, each score typed as a number, the codes
    in ``thai_digits`` typed as text in Thai digits (๙๒.๕๒), those in ``blank`` left empty."""
    book = openpyxl.load_workbook(io.BytesIO(form) if isinstance(form, bytes) else form)
    sheet = book[RESULTS_SHEET]
    labels = TEXT.field_labels()
    cells = field_cells(sheet)
    agency = record.agency
    sheet[cells[labels["agency"]]] = agency.name
    if agency.type is not None:
        sheet[cells[labels["agency_type"]]] = agency.type
    sheet[cells[labels["district"]]] = agency.district
    sheet[cells[labels["province"]]] = agency.province
    scores = given(record.scores)
    for row in sheet.iter_rows(min_row=1):
        code = row[0].value
        if not isinstance(code, str) or code not in scores or code in blank:
            continue
        value = scores[code]
        if code in thai_digits and isinstance(value, float):
            row[3].value = to_thai_digits(f"{value:.2f}")
        else:
            row[3].value = value
    sheet.title = sheet_name
    book.save(target)
    return target


def seed(path: Path) -> ResultsInput:
    (record,), _ = read_results(path)
    return record


# --------------------------------------------------------------------------------------------------
# The written workbook
# --------------------------------------------------------------------------------------------------


def _book(framework: Framework, agency_type: str | None = None) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(template_workbook(framework, agency_type)))


def test_the_form_has_instructions_then_the_years_fields_headings_and_every_item(
    frameworks: dict[int, Framework],
) -> None:
    framework = frameworks[2568]
    book = _book(framework, "เทศบาลตำบล")
    assert book.sheetnames == [INSTRUCTIONS_SHEET, RESULTS_SHEET]
    assert book.active is not None and book.active.title == INSTRUCTIONS_SHEET  # read first
    assert [sheet.sheet_view.tabSelected for sheet in book.worksheets] == [True, False]

    instructions = book[INSTRUCTIONS_SHEET]
    steps = [row for row in instructions.iter_rows(values_only=True) if row[0] and str(row[0]).endswith(".")]
    assert len(steps) == len(TEXT.instructions.steps) >= 8
    assert "2568" in str(instructions["A1"].value) and "ITAS" in str(steps[0][1])
    english = [row[1] for row in instructions.iter_rows(values_only=True) if row[0] is None and row[1]]
    assert any("Type each score as a number from 0 to 100" in str(line) for line in english)

    sheet = book[RESULTS_SHEET]
    cells = field_cells(sheet)
    labels = TEXT.field_labels()
    assert list(cells) == list(labels.values())  # ชื่อหน่วยงาน, ประเภทหน่วยงาน, อำเภอ, จังหวัด, ปีที่ประเมิน
    assert sheet[cells[labels["agency_type"]]].value == "เทศบาลตำบล"
    year = sheet[cells[labels["ita_year"]]]
    assert year.value == 2568 and year.protection.locked and sheet.protection.sheet
    assert sheet[cells[labels["agency"]]].protection.locked is False

    heading = next(r for r in sheet.iter_rows() if r[0].value == "รหัส")
    assert [c.value for c in heading[:4]] == ["รหัส", "ข้อคำถาม/รายการ", "ตัวชี้วัด", "คะแนน"]
    assert sheet.freeze_panes == f"A{heading[0].row + 1}"

    rows = {r[0].value: r for r in sheet.iter_rows(min_row=heading[0].row + 1) if r[0].value}
    assert list(rows)[:7] == ["overall", "level", "IIT", "EIT", "EIT1", "EIT2", "OIT"]
    assert rows["overall"][1].value == "คะแนนภาพรวม"
    assert str(rows["level"][1].value).startswith("ระดับผลการประเมิน")
    assert [f"ind{n}" for n in range(1, 11)] == [code for code in rows if str(code).startswith("ind")]
    assert rows["ind4"][1].value == "การใช้ทรัพย์สินของราชการ"
    for item in framework.items:  # every item, with its question and its indicator
        row = rows[item.code]
        assert row[1].value == " ".join((item.text_th or "").split())
        assert row[2].value == f"ตัวชี้วัดที่ {item.indicator} {framework.indicator(item.indicator or 0).name_th}"
        assert row[3].protection.locked is False and row[3].number_format == "0.00"
    assert rows["i1"][1].value.startswith("การปฏิบัติงานหรือให้บริการของเจ้าหน้าที่")
    assert rows["o27"][1].value == "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    assert rows["i1"][0].protection.locked  # the codes cannot be changed by accident


def test_score_cells_accept_0_to_100_and_the_lists_offer_the_years_levels_and_the_agency_types(
    frameworks: dict[int, Framework],
) -> None:
    book = _book(frameworks[2568])
    sheet = book[RESULTS_SHEET]
    assert sorted(rule.type for rule in sheet.data_validations.dataValidation) == ["decimal", "list", "list"]
    decimal = next(rule for rule in sheet.data_validations.dataValidation if rule.type == "decimal")
    assert (decimal.operator, decimal.formula1, decimal.formula2) == ("between", "0", "100")
    assert decimal.showErrorMessage and decimal.errorStyle == "stop" and decimal.allow_blank
    assert decimal.error == "คะแนนต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100 เช่น 92.52 หากไม่มีคะแนนให้เว้นว่างไว้"
    assert decimal.errorTitle == "คะแนนไม่ถูกต้อง" and len(decimal.errorTitle) <= 32
    covered = {cell for cell_range in decimal.sqref.ranges for cell in _cells(cell_range.coord)}
    heading = next(r[0].row for r in sheet.iter_rows() if r[0].value == "รหัส")
    scored = {
        r[3].coordinate for r in sheet.iter_rows(min_row=heading + 1) if r[0].value not in (None, "level")
    }
    # overall; IIT, EIT, EIT1, EIT2, OIT; the indicators; the items
    assert covered == scored and len(covered) == 1 + 5 + 10 + 52

    lists = [rule for rule in sheet.data_validations.dataValidation if rule.type == "list"]
    formulas = {str(rule.sqref): rule.formula1 for rule in lists}
    level_cell = next(r[3].coordinate for r in sheet.iter_rows() if r[0].value == "level")
    assert formulas[level_cell] == '"ผ่านดีเยี่ยม,ผ่านดี,ผ่าน,ต้องปรับปรุง,ต้องปรับปรุงโดยด่วน"'
    type_cell = field_cells(sheet)[TEXT.field_labels()["agency_type"]]
    assert formulas[type_cell].startswith('"เทศบาลนคร,เทศบาลเมือง,เทศบาลตำบล,องค์การบริหารส่วนตำบล,')
    assert all(len(formula) <= 255 for formula in formulas.values())
    for rule in sheet.data_validations.dataValidation:  # past these lengths Excel "repairs" the file
        assert rule.promptTitle and len(rule.promptTitle) <= 32 and len(rule.errorTitle or "") <= 32
        assert rule.prompt and len(rule.prompt) <= 255 and rule.error and len(rule.error) <= 255


def _cells(coord: str) -> list[str]:
    from openpyxl.utils.cell import range_boundaries

    low_col, low_row, high_col, high_row = range_boundaries(coord)
    return [
        f"{openpyxl.utils.get_column_letter(c)}{r}"
        for r in range(low_row, high_row + 1)
        for c in range(low_col, high_col + 1)
    ]


def test_the_form_is_laid_out_for_reading_and_printing(frameworks: dict[int, Framework]) -> None:
    sheet = _book(frameworks[2568])[RESULTS_SHEET]
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCD"}
    assert 12 <= widths["A"] <= 24 and widths["B"] == 56 and 20 <= widths["C"] <= 30 and widths["D"] >= 10
    # one A4 portrait page wide (7.27 in, 698 pixels, between the margins) at about 90 %: about 7
    # pixels a unit, so 16 pt prints as 14 pt or more
    assert 7 * sum(widths.values()) <= 698 / 0.88
    assert sheet.page_setup.orientation == "portrait"
    fonts = {c.font.name for row in sheet.iter_rows(max_col=4) for c in row if c.value is not None}
    assert fonts == {"TH Sarabun New"}
    assert all(c.alignment.wrap_text for row in sheet.iter_rows(min_row=9, max_col=3) for c in row if c.value)
    assert (
        int(sheet.page_setup.paperSize or 0) == int(sheet.PAPERSIZE_A4) and sheet.page_setup.fitToWidth == 1
    )
    assert sheet.print_title_rows is not None and sheet.print_area is not None
    assert sheet.column_dimensions["F"].hidden and sheet["F1"].value == "prongsai-template:2568:results"


def test_years_without_eit_parts_have_no_part_rows_and_items_without_text_say_so(
    frameworks: dict[int, Framework],
) -> None:
    rows = form_rows(frameworks[2567], TEXT)
    codes = [row.code for row in rows if row.code]
    assert "EIT1" not in codes and codes[:5] == ["overall", "level", "IIT", "EIT", "OIT"]
    assert len([c for c in codes if c[0] in "ieo" and c[1:].isdigit()]) == len(frameworks[2567].items)
    o4 = next(row for row in rows if row.code == "o4")  # 2567 holds no question text for o4
    assert "ITAS" in o4.text and o4.indicator == ""


# --------------------------------------------------------------------------------------------------
# Reading a filled form back
# --------------------------------------------------------------------------------------------------


def test_the_form_filled_by_hand_reproduces_the_results_it_was_filled_from(
    tmp_path: Path, frameworks: dict[int, Framework]
) -> None:
    original = seed(SEED_2568)
    form = template_workbook(frameworks[2568], original.agency.type)
    typed_as_text = {"overall", "i10", "EIT2", "ind4", "o16"}
    left_blank = {"ind9", "e5"}
    path = fill_form(form, tmp_path / "filled.xlsx", original, thai_digits=typed_as_text, blank=left_blank)
    (record,), problems = read_results(path)
    assert record.agency == original.agency and record.ita_year == 2568
    expected = {code: value for code, value in given(original.scores).items() if code not in left_blank}
    assert given(record.scores) == pytest.approx(expected)
    assert given(record.scores)["i10"] == 96.97 and given(record.scores)["level"] == "ผ่านดีเยี่ยม"
    assert "ind9" not in given(record.scores)  # blank: not given, and no error
    assert not [p for p in problems if p.code in ("sheet_not_results", "template_empty")]
    where = record.scores.items["o16"].location  # the score typed as ๕๐.๐๐
    assert (where.sheet, where.column) == (RESULTS_SHEET, "D (คะแนน)")
    assert record.scores.items["o16"].value == 50


def test_a_2567_form_round_trips_too(tmp_path: Path, frameworks: dict[int, Framework]) -> None:
    original = seed(SEED_2567)
    path = fill_form(template_workbook(frameworks[2567]), tmp_path / "f.xlsx", original, thai_digits={"i1"})
    (record,), _ = read_results(path)
    assert given(record.scores) == pytest.approx(given(original.scores))


def test_mistakes_in_a_filled_form_name_the_sheet_row_and_column(
    tmp_path: Path, frameworks: dict[int, Framework]
) -> None:
    original = seed(SEED_2568)
    path = fill_form(template_workbook(frameworks[2568]), tmp_path / "f.xlsx", original)
    book = openpyxl.load_workbook(path)
    sheet = book[RESULTS_SHEET]
    rows = {r[0].value: r for r in sheet.iter_rows() if r[0].value}
    rows["i2"][3].value = "๙๒,๕"  # a decimal comma
    rows["e1"][3].value = 120
    rows["level"][3].value = "ดีมาก"
    book.save(path)
    with pytest.raises(InputError) as info:
        read_results(path)
    found = {p.code: p for p in info.value.problems}
    assert set(found) == {"score_not_a_number", "score_out_of_range", "level_unknown"}
    comma = found["score_not_a_number"]
    assert (comma.location.sheet, comma.location.row, comma.location.column) == (
        RESULTS_SHEET,
        rows["i2"][3].row,
        "D (คะแนน)",
    )
    assert f"แผ่นงาน {RESULTS_SHEET}, แถว {rows['i2'][3].row}, คอลัมน์ D (คะแนน)" in comma.describe("th")
    assert f"sheet {RESULTS_SHEET}, row {rows['i2'][3].row}, column D (คะแนน)" in comma.describe("en")
    assert "92.13" in comma.message_en  # the message says how to write it


def test_a_form_left_unfilled_is_said_to_be_unfilled(
    tmp_path: Path, frameworks: dict[int, Framework]
) -> None:
    path = tmp_path / "blank.xlsx"
    path.write_bytes(template_workbook(frameworks[2568], "เทศบาลตำบล"))
    with pytest.raises(InputError) as info:
        read_results(path)
    codes = [p.code for p in info.value.problems]
    assert codes == ["template_empty", "no_agency_years"]
    assert info.value.problems[0].location.sheet == RESULTS_SHEET


def test_the_year_of_a_form_cannot_be_changed_to_another(
    tmp_path: Path, frameworks: dict[int, Framework]
) -> None:
    path = fill_form(template_workbook(frameworks[2568]), tmp_path / "f.xlsx", seed(SEED_2568))
    book = openpyxl.load_workbook(path)
    sheet = book[RESULTS_SHEET]
    year_cell = field_cells(sheet)[TEXT.field_labels()["ita_year"]]
    sheet[year_cell] = 2567
    book.save(path)
    with pytest.raises(InputError) as info:
        read_results(path)
    (problem,) = info.value.problems
    assert problem.code == "template_year_changed" and problem.location.column == "B (ปีที่ประเมิน (พ.ศ.))"
    assert "prongsai template 2567" in problem.message_en and "prongsai template 2567" in problem.message_th


def test_a_results_sheet_copied_into_another_workbook_without_its_marker_is_still_read(
    tmp_path: Path, frameworks: dict[int, Framework]
) -> None:
    """A clerk pastes only the visible cells (A:D) of the filled sheet into a workbook of their own,
    below a title of their own: the hidden marker is gone, the layout is enough."""
    original = seed(SEED_2568)
    filled = openpyxl.load_workbook(
        fill_form(template_workbook(frameworks[2568]), tmp_path / "f.xlsx", original, blank={"level"})
    )[RESULTS_SHEET]
    book = openpyxl.Workbook()
    own = book.active
    assert own is not None
    own.title = "ITA ปี 68"
    own.append(["ผลคะแนน ITA ของเทศบาล (คัดลอกจากแบบกรอก)"])
    for row in filled.iter_rows(max_col=4, values_only=True):
        own.append(list(row))
    book.save(tmp_path / "own.xlsx")
    (record,), _ = read_results(tmp_path / "own.xlsx")
    assert record.ita_year == 2568 and record.agency.name == "เทศบาลเมืองบึงกาฬ"
    expected = {k: v for k, v in given(original.scores).items() if k != "level"}
    assert given(record.scores) == pytest.approx(expected)
    assert record.scores.overall is not None and record.scores.overall.location.row == filled["A1"].row + 9


# --------------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------------


def test_the_template_command_writes_the_form_and_check_reads_it_filled(
    tmp_path: Path, prongsai: Run
) -> None:
    code, out = prongsai("template", "๒๕๖๘", "--agency-type", "ทม.", "-o", str(tmp_path / "form.xlsx"))
    assert code == 0 and "form.xlsx" in out
    sheet = openpyxl.load_workbook(tmp_path / "form.xlsx")[RESULTS_SHEET]
    assert sheet[field_cells(sheet)[TEXT.field_labels()["agency_type"]]].value == "เทศบาลเมือง"
    filled = fill_form(tmp_path / "form.xlsx", tmp_path / "filled.xlsx", seed(SEED_2568), thai_digits={"i1"})
    code, out = prongsai("check", str(filled))
    assert code == 0, out
    assert "เทศบาลเมืองบึงกาฬ" in out and "99.47" in out and "ผ่านดีเยี่ยม" in out
    assert "Traceback" not in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["2568", "--agency-type", "เทศบาลหมู่บ้าน"], ["--agency-type", "เทศบาลหมู่บ้าน", "เทศบาลตำบล"]),
        (["2560"], ["2560", "2568"]),
        (["2025"], ["2568"]),
    ],
)
def test_the_template_command_refuses_an_unknown_type_or_year(
    tmp_path: Path, prongsai: Run, args: list[str], expected: list[str]
) -> None:
    output = tmp_path / "form.xlsx"
    code, out = prongsai("template", *args, "-o", str(output))
    assert code == 2 and not output.exists() and "Traceback" not in out
    for text in expected:
        assert text in out
    assert "ข้อผิดพลาด" in out and "error" in out


def test_the_template_command_writes_only_xlsx(tmp_path: Path, prongsai: Run) -> None:
    code, out = prongsai("template", "2568", "-o", str(tmp_path / "form.csv"))
    assert code == 2 and ".xlsx" in out and not (tmp_path / "form.csv").exists()


def test_a_provisional_years_form_says_so_first_and_an_official_year_does_not(
    frameworks: dict[int, Framework],
) -> None:
    def instructions(year: int) -> str:
        book = openpyxl.load_workbook(io.BytesIO(template_workbook(frameworks[year])))
        sheet = book[template_text().sheets.instructions]
        return "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None)

    text = instructions(2569)
    assert "ยังไม่มีคู่มือการประเมิน ITA ประจำปี พ.ศ. 2569" in text
    assert "เกณฑ์ระดับผลการประเมิน" in text and "the result levels" in text
    assert text.index("ยังไม่มีคู่มือ") < text.index("แบบกรอกนี้ใช้บันทึก")  # before the steps
    assert "ยังไม่มีคู่มือ" not in instructions(2568)
