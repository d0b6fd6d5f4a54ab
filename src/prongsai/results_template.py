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

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from prongsai.agency import agency_types
from prongsai.framework import Framework, Tool
from prongsai.framework_notes import parts_text
from prongsai.template_text import TemplateText, marker, template_text
from prongsai.xlsx_layout import (
    Instructions,
    fit_row_heights,
    fit_width,
    font,
    new_workbook,
    print_on_a4,
    wrapped,
    write_instructions,
)

SIZE = 16
INPUT = PatternFill("solid", fgColor="FFF2CC")  # the cells a clerk fills
FIXED = PatternFill("solid", fgColor="E7E6E6")  # given by the form, locked
HEADING = PatternFill("solid", fgColor="D9D9D9")
SECTION = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="808080")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
# Wrapped text goes onto more lines past these widths. Together (112 units, 784 pixels) they print
# one A4 portrait page wide at about 90 %, 16 pt as 14: wider, the print would shrink the text.
WIDEST = {"A": 21, "B": 56, "C": 24, "D": 11}
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
    book = new_workbook(text.workbook_title.format(year=framework.ita_year))
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


def _mark(sheet: Worksheet, value: str) -> None:
    cell = sheet[f"{MARKER_COLUMN}1"]
    cell.value = value
    cell.font = Font(size=8, color="808080")
    sheet.column_dimensions[MARKER_COLUMN].hidden = True


def _instructions(sheet: Worksheet, framework: Framework, text: TemplateText) -> None:
    words = text.instructions
    year = framework.ita_year
    names = {"year": year, "sheet": text.sheets.results}
    notice = None
    if framework.provisional:
        given = {**names, "parts_th": parts_text(framework, "th"), "parts_en": parts_text(framework, "en")}
        notice = (words.provisional.th.format(**given), words.provisional.en.format(**given))
    steps = [(step.th.format(**names), step.en.format(**names)) for step in words.steps]
    title = (words.title.format(year=year), words.title_en.format(year=year))
    write_instructions(
        sheet, Instructions(*title, steps, notice=notice, note=(words.note, words.note_en)), size=SIZE
    )
    _mark(sheet, marker(year, "instructions"))


def _results(sheet: Worksheet, framework: Framework, text: TemplateText, agency_type: str | None) -> None:
    words = text.results
    year = framework.ita_year
    rows = form_rows(framework, text)
    labels = text.field_labels()
    headings = [words.headings.code, words.headings.text, words.headings.indicator, words.headings.score]
    _widths(sheet, rows, [*labels.values(), *headings])

    sheet.merge_cells("A1:D1")
    sheet["A1"] = words.title.format(year=year)
    sheet["A1"].font = font(SIZE + 2, bold=True)
    sheet["A1"].alignment = wrapped("center", "center")

    values: dict[str, str | int | None] = {"agency_type": agency_type, "ita_year": year}
    field_row: dict[str, int] = {}
    for offset, (name, label) in enumerate(labels.items()):
        row = 2 + offset
        field_row[name] = row
        sheet.cell(row, 1, label).font = font(SIZE, bold=True)
        sheet.cell(row, 1).alignment = wrapped("center")
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        cell = sheet.cell(row, 2, values.get(name))
        cell.font = font(SIZE, bold=name == "ita_year")
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
        cell.font = font(SIZE, bold=True)
        cell.fill = HEADING
        cell.border = BOX
        cell.alignment = wrapped("center", "center")

    scores: list[str] = []
    level_cell = ""
    for offset, form_row in enumerate(rows, start=1):
        row = heading_row + offset
        if form_row.kind == "section":
            sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
            sheet.cell(row, 2, form_row.text).font = font(SIZE, bold=True)
            sheet.cell(row, 2).alignment = wrapped("center")
            for column in range(1, 5):
                sheet.cell(row, column).fill = SECTION
                sheet.cell(row, column).border = BOX
            continue
        sheet.cell(row, 1, form_row.code).font = font(SIZE)
        sheet.cell(row, 2, form_row.text).font = font(SIZE, bold=form_row.code in ("overall", "level"))
        sheet.cell(row, 3, form_row.indicator or None).font = font(SIZE)
        score = sheet.cell(row, 4)
        score.font = font(SIZE, bold=True)
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
                sheet.cell(row, column).alignment = wrapped(horizontal="center" if column == 1 else "left")

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
    fit_row_heights(sheet)
    print_on_a4(sheet, "D", last)


def _widths(sheet: Worksheet, rows: Sequence[FormRow], labels: Sequence[str]) -> None:
    """Each column as wide as its widest text (up to WIDEST; wrapped text takes more lines)."""
    texts = {
        "A": [*labels, *(r.code or "" for r in rows)],
        "B": [r.text for r in rows if r.kind != "section"],
        "C": [r.indicator for r in rows],
        "D": ["100.00"],
    }
    for column, values in texts.items():
        sheet.column_dimensions[column].width = fit_width(values, SIZE, widest=WIDEST[column])


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
