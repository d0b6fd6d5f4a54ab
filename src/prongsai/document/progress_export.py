"""The progress report as a workbook: the summary table of the document (the same cells, read from
the document model) on one sheet, and every update on or before the day reported as of, one row
each, on another. Thai headings (``catalog/progress_report.yaml`` ``export``), TH Sarabun New,
wrapped rows as tall as their text (xlsx_layout), A4 landscape printing; every text in the
document's digit style; a text that a spreadsheet would run as a formula stays text."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from prongsai.catalog.progress import status_th
from prongsai.document.model import Table
from prongsai.document.progress_report import (
    SUMMARY_TABLE,
    build_progress_report,
    default_thai_digits,
    report_input,
    say,
    words,
)
from prongsai.document.settings import ReportSettings
from prongsai.document.texts import agency_words
from prongsai.formulas import as_text_cell
from prongsai.planning import Plan
from prongsai.progress import Period, Progress
from prongsai.thai import to_digits
from prongsai.timeframe import thai_date
from prongsai.xlsx_layout import fit_row_heights, font, new_workbook, print_on_a4, wrapped

SIZE = 14
HEADING_FILL = PatternFill("solid", fgColor="DDDDDD")
SUMMARY_WIDTHS = (7, 48, 30, 18, 24, 9)
UPDATE_KEYS = (
    "measure",
    "date",
    "status",
    "percent",
    "done",
    "outputs",
    "budget_used",
    "evidence",
    "problems",
    "suggestions",
    "reason",
)
UPDATE_WIDTHS = {"measure": 34, "date": 16, "status": 18, "percent": 8, "budget_used": 14, "reason": 24}


def _heading_row(sheet: Worksheet, row: int, values: list[str]) -> None:
    for column, value in enumerate(values, 1):
        cell = sheet.cell(row, column, value)
        cell.font, cell.fill = font(SIZE, bold=True), HEADING_FILL
        cell.alignment = wrapped("center", "center")


def _summary_sheet(sheet: Worksheet, title: str, table: Table) -> None:
    """The report's title, then the summary table as the document prints it (totals row in bold)."""
    width = len(table.columns)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1, title).font = font(SIZE + 2, bold=True)
    sheet.cell(1, 1).alignment = wrapped("center", "center")
    _heading_row(sheet, 3, [c.text for c in table.header[0].cells])
    row = 4
    for body in table.rows:
        column = 1
        for item in body.cells:
            cell = sheet.cell(row, column, item.text)
            cell.font = font(SIZE, bold=item.bold or body.kind == "total")
            cell.alignment = wrapped()
            if item.colspan > 1:
                sheet.merge_cells(
                    start_row=row, start_column=column, end_row=row, end_column=column + item.colspan - 1
                )
            column += item.colspan
        row += 1
    for n, w in enumerate(SUMMARY_WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(n)].width = w
    sheet.freeze_panes = "A4"
    _finish(sheet, width, row - 1)


def _updates_sheet(sheet: Worksheet, rows: list[list[str]]) -> None:
    _heading_row(sheet, 1, [say(f"export.columns.{k}") for k in UPDATE_KEYS])
    for r, values in enumerate(rows, 2):
        for c, value in enumerate(values, 1):
            cell = sheet.cell(r, c, value)
            cell.font, cell.alignment = font(SIZE), wrapped()
    for n, key in enumerate(UPDATE_KEYS, 1):
        sheet.column_dimensions[get_column_letter(n)].width = UPDATE_WIDTHS.get(key, 30)
    sheet.freeze_panes = "B2"
    _finish(sheet, len(UPDATE_KEYS), len(rows) + 1)


def _finish(sheet: Worksheet, columns: int, last_row: int) -> None:
    for cells in sheet.iter_rows():
        for cell in cells:
            as_text_cell(cell)
    fit_row_heights(sheet)
    print_on_a4(sheet, get_column_letter(columns), last_row)
    sheet.page_setup.orientation = "landscape"


def update_rows(
    plan: Plan, progress: Progress, settings: ReportSettings, period: Period, as_of: dt.date | None
) -> list[list[str]]:
    """One row per update on or before the day, measures in the plan's order, updates oldest first."""
    report = report_input(plan, progress, settings, period, as_of)
    rows = []
    for n, state in enumerate(report.states(), 1):
        for update in state.updates:
            evidence = "\n".join(
                say("report.evidence_where", text=e.description, where=e.where) if e.where else e.description
                for e in update.evidence
            )
            rows.append(
                [
                    say("report.measure_heading", number=n, title=state.measure.title),
                    thai_date(update.date),
                    status_th(update.status),
                    "" if update.percent is None else str(update.percent),
                    update.done,
                    update.outputs,
                    "" if update.budget_used is None else f"{update.budget_used:,}",
                    evidence,
                    update.problems,
                    update.suggestions,
                    update.reason,
                ]
            )
    return rows


def to_xlsx(
    plan: Plan,
    progress: Progress,
    settings: ReportSettings,
    period: Period,
    as_of: dt.date | None = None,
    *,
    thai_digits: bool | None = None,
) -> bytes:
    thai = default_thai_digits(plan) if thai_digits is None else thai_digits
    document = build_progress_report(plan, progress, settings, period, as_of, thai_digits=thai)
    table = next(t for t in document.tables() if t.key == SUMMARY_TABLE)
    with agency_words(*words(plan)):
        rows = [
            [to_digits(v, thai=thai) for v in row]
            for row in update_rows(plan, progress, settings, period, as_of)
        ]
        book = new_workbook(document.title)
        _summary_sheet(book.create_sheet(say("export.summary_sheet")), document.title, table)
        _updates_sheet(book.create_sheet(say("export.updates_sheet")), rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
