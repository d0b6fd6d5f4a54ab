"""The fill-in results form (``prongsai template YEAR``): an XLSX workbook a clerk fills from the
ITAS result screen, which every command then reads as it is (:mod:`prongsai.ingest.template`).

Two sheets: the instructions, and the results — the agency's fields, then one row per score of the
year (overall, level, tools and their parts, indicators, every item with its question), each with
its code in column A and its score in column D. Only the yellow cells are unlocked; the sheet is
protected without a password, so the codes and the year stay as written unless someone means to
change them. Every word comes from catalog/template.yaml.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from prongsai.agency import agency_types
from prongsai.framework import Framework, Tool
from prongsai.framework_notes import parts_text
from prongsai.template_text import TemplateText, marker, template_text
from prongsai.thai import display_width

FONT = "TH Sarabun New"
SIZE = 16
INPUT = PatternFill("solid", fgColor="FFF2CC")  # the cells a clerk fills
FIXED = PatternFill("solid", fgColor="E7E6E6")  # given by the form, locked
HEADING = PatternFill("solid", fgColor="D9D9D9")
SECTION = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="808080")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
UNITS_PER_CHARACTER = (
    1.45  # column width units one Thai character takes at 16 pt (a '0' of Calibri 11 is one)
)
WIDEST = {"A": 24, "B": 60, "C": 30, "D": 12}  # wrapped text goes onto more lines past these
LIST_FORMULA_LIMIT = 255  # Excel's limit for a list validation written in the rule itself
MARKER_COLUMN = "F"  # hidden


@dataclass(frozen=True)
class FormRow:
    """One row of the results table: a section heading (no code) or a score to fill."""

    code: str | None
    text: str
    indicator: str = ""
    kind: Literal["score", "level", "section"] = "score"


def form_rows(framework: Framework, text: TemplateText) -> list[FormRow]:
    """The table's rows for a year, top to bottom."""
    words = text.results
    rows = [
        FormRow(None, words.sections.summary, kind="section"),
        FormRow("overall", words.rows.overall),
        FormRow("level", words.rows.level, kind="level"),
    ]
    for tool in framework.tools:
        rows.append(FormRow(tool.code, words.rows.tool.format(name=tool.name_th, code=tool.code)))
        rows += [
            FormRow(part.code, words.rows.part.format(tool_code=tool.code, name=part.name_th))
            for part in tool.parts
        ]
    rows.append(FormRow(None, words.sections.indicators, kind="section"))
    for indicator in framework.indicators:
        where = words.rows.indicator.format(number=indicator.number)
        rows.append(FormRow(f"ind{indicator.number}", indicator.name_th, f"{where} ({indicator.tool})"))
    for tool in framework.tools:
        items = [item for item in framework.items if item.tool == tool.code]
        if items:
            rows.append(
                FormRow(
                    None, words.sections.items.format(tool=tool.name_th, tool_code=tool.code), kind="section"
                )
            )
        for item in items:
            rows.append(
                FormRow(
                    item.code,
                    _item_text(item.text_th, item.code, tool, text),
                    _indicator(framework, item.indicator, text),
                )
            )
    return rows


def _item_text(question: str | None, code: str, tool: Tool, text: TemplateText) -> str:
    if question:
        return " ".join(question.split())
    return text.results.rows.item_no_text.format(code=code, tool=tool.name_th)


def _indicator(framework: Framework, number: int | None, text: TemplateText) -> str:
    if number is None:
        return ""
    name = framework.indicator(number).name_th
    return text.results.rows.item_indicator.format(number=number, name=name)


def agency_type_names() -> list[str]:
    """The agency types, in the order of catalog/agency_types.yaml (local government first)."""
    return list(dict.fromkeys(agency_types().values()))


def template_workbook(framework: Framework, agency_type: str | None = None) -> bytes:
    """The form for ``framework``'s year as XLSX bytes; ``agency_type`` (a full type name) prefilled."""
    text = template_text()
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    book.properties.title = text.workbook_title.format(year=framework.ita_year)
    book.properties.creator = "prongsai"
    _instructions(book.create_sheet(text.sheets.instructions), framework, text)
    _results(book.create_sheet(text.sheets.results), framework, text, agency_type)
    book.active = 0  # opens on the instructions
    for index, sheet in enumerate(book.worksheets):
        sheet.sheet_view.tabSelected = index == 0  # one tab selected: sheets never open grouped
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------------
# The sheets
# --------------------------------------------------------------------------------------------------


def _font(size: int = SIZE, bold: bool = False, italic: bool = False, color: str = "000000") -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic, color=color)


def _wrapped(vertical: str = "top", horizontal: str = "left") -> Alignment:
    return Alignment(wrap_text=True, vertical=vertical, horizontal=horizontal)


def _a4(sheet: Worksheet, last_column: str, last_row: int) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_options.horizontalCentered = True
    sheet.print_area = f"A1:{last_column}{last_row}"
    footer = sheet.oddFooter
    assert footer is not None and footer.center is not None  # openpyxl makes them with the sheet
    footer.center.text = "&P / &N"  # page numbers


def _mark(sheet: Worksheet, value: str) -> None:
    cell = sheet[f"{MARKER_COLUMN}1"]
    cell.value = value
    cell.font = Font(size=8, color="808080")
    sheet.column_dimensions[MARKER_COLUMN].hidden = True


def _instructions(sheet: Worksheet, framework: Framework, text: TemplateText) -> None:
    words = text.instructions
    year = framework.ita_year
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 100
    sheet.merge_cells("A1:B1")
    sheet["A1"] = words.title.format(year=year)
    sheet["A1"].font = _font(18, bold=True)
    sheet["A1"].alignment = _wrapped("center", "center")
    sheet.row_dimensions[1].height = 54
    sheet["A2"] = words.title_en.format(year=year)
    sheet.merge_cells("A2:B2")
    sheet["A2"].font = _font(14, italic=True, color="595959")
    sheet["A2"].alignment = _wrapped("center", "center")
    row = 4
    names = {"year": year, "sheet": text.sheets.results}
    if framework.provisional:
        parts = {"parts_th": parts_text(framework, "th"), "parts_en": parts_text(framework, "en")}
        sheet.cell(row, 2, words.provisional.th.format(**names, **parts)).font = _font(bold=True)
        sheet.cell(row, 2).alignment = _wrapped()
        sheet.cell(row + 1, 2, words.provisional.en.format(**names, **parts)).font = _font(
            13, italic=True, color="595959"
        )
        sheet.cell(row + 1, 2).alignment = _wrapped()
        row += 3
    for number, step in enumerate(words.steps, start=1):
        sheet.cell(row, 1, f"{number}.").font = _font()
        sheet.cell(row, 1).alignment = Alignment(vertical="top", horizontal="right")
        sheet.cell(row, 2, step.th.format(**names)).font = _font()
        sheet.cell(row, 2).alignment = _wrapped()
        sheet.cell(row + 1, 2, step.en.format(**names)).font = _font(13, italic=True, color="595959")
        sheet.cell(row + 1, 2).alignment = _wrapped()
        row += 2
    sheet.cell(row + 1, 2, words.note).font = _font(bold=True)
    sheet.cell(row + 2, 2, words.note_en).font = _font(13, italic=True, color="595959")
    _mark(sheet, marker(year, "instructions"))
    _a4(sheet, "B", row + 2)


def _results(sheet: Worksheet, framework: Framework, text: TemplateText, agency_type: str | None) -> None:
    words = text.results
    year = framework.ita_year
    rows = form_rows(framework, text)
    labels = text.field_labels()
    headings = [words.headings.code, words.headings.text, words.headings.indicator, words.headings.score]
    _widths(sheet, rows, [*labels.values(), *headings])

    sheet.merge_cells("A1:D1")
    sheet["A1"] = words.title.format(year=year)
    sheet["A1"].font = _font(18, bold=True)
    sheet["A1"].alignment = _wrapped("center", "center")
    sheet.row_dimensions[1].height = 54

    values: dict[str, str | int | None] = {"agency_type": agency_type, "ita_year": year}
    field_row: dict[str, int] = {}
    for offset, (name, label) in enumerate(labels.items()):
        row = 2 + offset
        field_row[name] = row
        sheet.cell(row, 1, label).font = _font(bold=True)
        sheet.cell(row, 1).alignment = Alignment(vertical="center")
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        cell = sheet.cell(row, 2, values.get(name))
        cell.font = _font(bold=name == "ita_year")
        cell.alignment = Alignment(vertical="center", horizontal="left")
        for column in range(1, 5):
            sheet.cell(row, column).border = BOX
        if name == "ita_year":
            cell.fill = FIXED
            cell.number_format = "0"
        else:
            cell.fill = INPUT
            cell.protection = Protection(locked=False)

    heading_row = 2 + len(labels)
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(heading_row, column, heading)
        cell.font = _font(bold=True)
        cell.fill = HEADING
        cell.border = BOX
        cell.alignment = _wrapped("center", "center")

    scores: list[str] = []
    level_cell = ""
    for offset, form_row in enumerate(rows, start=1):
        row = heading_row + offset
        if form_row.kind == "section":
            sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
            sheet.cell(row, 2, form_row.text).font = _font(bold=True)
            sheet.cell(row, 2).alignment = _wrapped("center")
            for column in range(1, 5):
                sheet.cell(row, column).fill = SECTION
                sheet.cell(row, column).border = BOX
            continue
        sheet.cell(row, 1, form_row.code).font = _font()
        sheet.cell(row, 2, form_row.text).font = _font(bold=form_row.code in ("overall", "level"))
        sheet.cell(row, 3, form_row.indicator or None).font = _font()
        score = sheet.cell(row, 4)
        score.font = _font(bold=True)
        score.fill = INPUT
        score.protection = Protection(locked=False)
        score.alignment = Alignment(vertical="top", horizontal="center")
        if form_row.kind == "level":
            level_cell = score.coordinate
        else:
            score.number_format = "0.00"
            scores.append(score.coordinate)
        for column in range(1, 5):
            sheet.cell(row, column).border = BOX
            if column < 4:
                sheet.cell(row, column).alignment = _wrapped(horizontal="center" if column == 1 else "left")

    validation = words.validation
    _validate(
        sheet,
        DataValidation(type="decimal", operator="between", formula1="0", formula2="100"),
        scores,
        (validation.score_title, validation.score_prompt),
        (validation.score_error_title, validation.score_error),
    )
    _validate(
        sheet,
        DataValidation(type="list", formula1=_list_formula(framework.level_names())),
        [level_cell],
        (validation.level_title, validation.level_prompt),
        (validation.level_error_title, validation.level_error.format(year=year)),
    )
    _validate(
        sheet,
        DataValidation(type="list", formula1=_list_formula(agency_type_names())),
        [f"B{field_row['agency_type']}"],
        (validation.type_title, validation.type_prompt),
        (validation.type_error_title, validation.type_error),
    )
    last = heading_row + len(rows)
    sheet.freeze_panes = f"A{heading_row + 1}"
    sheet.print_title_rows = f"{heading_row}:{heading_row}"
    _mark(sheet, marker(year, "results"))
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widening a column or a row is allowed
    sheet.protection.formatRows = False
    _a4(sheet, "D", last)


def _widths(sheet: Worksheet, rows: Sequence[FormRow], labels: Sequence[str]) -> None:
    """Each column as wide as its widest text (up to WIDEST; wrapped text takes more lines)."""
    texts = {
        "A": [*labels, *(r.code or "" for r in rows)],
        "B": [r.text for r in rows if r.kind != "section"],
        "C": [r.indicator for r in rows],
        "D": ["100.00"],
    }
    for column, values in texts.items():
        widest = max((display_width(v) for v in values), default=0)
        sheet.column_dimensions[column].width = min(WIDEST[column], round(widest * UNITS_PER_CHARACTER) + 3)


def _list_formula(names: Sequence[str]) -> str:
    formula = '"' + ",".join(names) + '"'
    if len(formula) > LIST_FORMULA_LIMIT:  # a defect of the catalogs, not of user input
        raise ValueError(f"a list validation of {len(formula)} characters: Excel takes {LIST_FORMULA_LIMIT}")
    return formula


def _validate(
    sheet: Worksheet,
    rule: DataValidation,
    cells: Sequence[str],
    prompt: tuple[str, str],
    error: tuple[str, str],
) -> None:
    rule.allow_blank = True
    rule.showInputMessage = True
    rule.showErrorMessage = True
    rule.errorStyle = "stop"
    rule.promptTitle, rule.prompt = prompt
    rule.errorTitle, rule.error = error
    for cell in cells:
        rule.add(cell)
    sheet.add_data_validation(rule)
