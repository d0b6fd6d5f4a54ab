"""The measures table alone, for spreadsheets and other programs: XLSX, CSV or JSON.

One row per measure, in the plan's order, with the issue or indicator it belongs to, its output,
target, budget (as the document prints it) and the laws it rests on (their titles). Column
headings are Thai (``catalog/document.yaml`` ``export``); JSON uses the English keys. Every text is
in one digit style, as the document's (item codes too: i๑ / i1); only the measure's id, a key for
programs, stays as the plan file writes it. Texts that a
spreadsheet would run as a formula stay text (prongsai.formulas): an apostrophe in front in CSV, a
string cell in XLSX.
"""

from __future__ import annotations

import csv
import io
import json

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from prongsai.catalog.legal import cited_laws
from prongsai.document.parts import ReportInput, groups, measure_budget
from prongsai.document.texts import text
from prongsai.formulas import as_text_cell, csv_text
from prongsai.thai import to_digits

KEYS = (
    "id",
    "group",
    "title",
    "steps",
    "timeframe",
    "owner",
    "co_owners",
    "follow_up",
    "output",
    "target",
    "budget",
    "legal_basis",
    "answers",
    "priority",
)
WIDTHS = {
    "title": 40,
    "steps": 60,
    "group": 30,
    "owner": 24,
    "co_owners": 24,
    "follow_up": 36,
    "output": 36,
    "target": 30,
    "budget": 24,
    "legal_basis": 40,
    "timeframe": 22,
}


def measure_rows(report: ReportInput, *, thai_digits: bool = False) -> list[dict[str, str | list[str]]]:
    rows: list[dict[str, str | list[str]]] = []
    for group in groups(report):
        for m in group.measures:
            row: dict[str, str | list[str]] = {
                "id": m.id,
                "group": group.heading,
                "title": m.title,
                "steps": list(m.steps),
                "timeframe": m.timeframe,
                "owner": m.owner,
                "co_owners": list(m.co_owners),
                "follow_up": m.follow_up,
                "output": m.output,
                "target": m.target,
                "budget": measure_budget(m),
                "legal_basis": cited_laws(m.legal_basis),
                "answers": list(m.answers),
                "priority": text(f"export.priority.{m.priority}"),
            }
            rows.append(_digits(row, thai_digits))
    return rows


def _digits(row: dict[str, str | list[str]], thai: bool) -> dict[str, str | list[str]]:
    return {
        k: value
        if k == "id"
        else [to_digits(v, thai=thai) for v in value]
        if isinstance(value, list)
        else to_digits(value, thai=thai)
        for k, value in row.items()
    }


def _flat(value: str | list[str], key: str, thai_digits: bool) -> str:
    if isinstance(value, str):
        return value
    if key == "steps":  # numbered in the rows' digit style
        return "\n".join(to_digits(f"{n}. ", thai=thai_digits) + step for n, step in enumerate(value, 1))
    return ("\n" if key == "legal_basis" else ", ").join(value)


def _headings() -> list[str]:
    return [text(f"export.columns.{k}") for k in KEYS]


def to_csv(rows: list[dict[str, str | list[str]]], *, thai_digits: bool = False) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel on Windows shows the Thai text. ``thai_digits``:
    the digit style of the rows (measure_rows), which the step numbers follow."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_headings())
    for row in rows:
        writer.writerow([csv_text(_flat(row[k], k, thai_digits)) for k in KEYS])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def to_json(rows: list[dict[str, str | list[str]]]) -> bytes:
    return (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_xlsx(rows: list[dict[str, str | list[str]]], *, thai_digits: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = text("export.sheet")
    sheet.append(_headings())
    for row in rows:
        sheet.append([_flat(row[k], k, thai_digits) for k in KEYS])
    for n, key in enumerate(KEYS, 1):
        sheet.column_dimensions[get_column_letter(n)].width = WIDTHS.get(key, 14)
    header_font, fill = (
        Font(name="TH Sarabun New", size=16, bold=True),
        PatternFill("solid", fgColor="DDDDDD"),
    )
    body_font, wrap = Font(name="TH Sarabun New", size=16), Alignment(wrap_text=True, vertical="top")
    for cells in sheet.iter_rows():
        for item in cells:
            as_text_cell(item)  # "=..." from a measure's text is text, never a formula
            item.font, item.alignment = (header_font if item.row == 1 else body_font), wrap
            if item.row == 1:
                item.fill = fill
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
