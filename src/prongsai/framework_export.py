"""A year's framework as a workbook a person reads and edits (``prongsai framework export``).

The rows come from :attr:`Framework.definition` (the checked file as plain data), so that the
workbook holds everything the YAML file does and :mod:`prongsai.framework_import` gives the same
framework back. The layout is :mod:`prongsai.framework_sheet`'s; the words are the catalog's.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from prongsai.errors import InputError
from prongsai.formulas import as_text_cell
from prongsai.framework import Framework
from prongsai.framework_schema import TOOL_CODES
from prongsai.framework_sheet import (
    HEADER_ROWS,
    INSTRUCTIONS,
    LAYOUTS,
    LIST_SEPARATOR,
    SCORING_ROWS,
    Layout,
    WorkbookText,
    workbook_text,
    yes_no_words,
)
from prongsai.problems import Location, Problem, error
from prongsai.xlsx_layout import (
    GREY,
    Instructions,
    fit_row_heights,
    fit_width,
    font,
    new_workbook,
    write_instructions,
)

SIZE = 14
NARROW, WIDE, NARROWEST = 28, 70, 8  # widest plain column, widest wrapped column, narrowest any
WIDE_AT_LEAST = 30  # a column of long text has room to type into even when the year has none
VALIDATED_ROWS = 2000  # data validation reaches this far below the header, for rows a person adds
HEADING = PatternFill("solid", fgColor="D9E1F2")
KEY_ROW = PatternFill("solid", fgColor="F2F2F2")
LIST_JOIN = f"{LIST_SEPARATOR} "  # how list values are written in one cell

Row = dict[str, Any]


def framework_workbook(framework: Framework) -> bytes:
    """The workbook of ``framework`` as XLSX bytes; InputError if a value cannot be written so that
    it reads back the same (a list value holding the ';' that separates list values)."""
    definition = framework.definition
    problems = _unwritable(definition, Location(file=framework.origin))
    if problems:
        raise InputError(problems)
    text = workbook_text()
    book = new_workbook(text.workbook_title.format(year=framework.ita_year))
    _instructions(book.create_sheet(text.sheet_name(INSTRUCTIONS)), framework.ita_year, text)
    scoring = definition.get("scoring")
    for key, layout in LAYOUTS.items():
        if layout.scoring and scoring is None:
            continue
        _table(book.create_sheet(text.sheet_name(key)), layout, _rows(key, definition), text)
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------------
# The rows of each sheet, from the definition
# --------------------------------------------------------------------------------------------------


def _rows(key: str, definition: Mapping[str, Any]) -> list[Row]:
    rules = definition["rules"]
    scoring = definition.get("scoring") or {}
    if key == "year":
        return _year_rows(definition)
    if key == "sources":
        return [{"key": name, **source} for name, source in definition["sources"].items()]
    if key == "rules":
        return _rule_rows(rules)
    if key == "levels":
        return list(rules["levels"]["levels"])
    if key == "tools":
        return _tool_rows(definition["tools"])
    if key in ("indicators", "sub_indicators", "items"):
        return list(definition[key])
    if key == "scoring":
        return [
            {"rule": rule, "label": workbook_text().rows["scoring"][rule], **scoring[rule]}
            for rule in SCORING_ROWS
        ]
    if key == "scales":
        return _scale_rows(scoring["scales"])
    return list(scoring[key])  # questions, minimum_sample


def _year_rows(definition: Mapping[str, Any]) -> list[Row]:
    labels = workbook_text().rows["year"]
    rows = [
        {"label": labels[key], "key": key, "value": definition[key]}
        for key in ("ita_year", "status", "name_th")
    ]
    notes = definition["notes"] or [None]  # one empty row shows where notes go
    return rows + [{"label": labels["notes"], "key": "notes", "value": note} for note in notes]


def _rule_rows(rules: Mapping[str, Any]) -> list[Row]:
    labels = workbook_text().rows["rules"]
    aggregation = rules["aggregation"]
    weights = rules["weights"]
    rows: list[Row] = [{"rule": "pass_mark", **rules["pass_mark"]}]
    for index, tool in enumerate(TOOL_CODES):
        shared = {k: weights[k] for k in ("confirmed", "source", "note")} if index == 0 else {}
        rows.append({"rule": "weights", "tool": tool, "value": _percent(weights["value"][tool]), **shared})
    for tool in TOOL_CODES:
        rows.append(
            {"rule": "indicator_from_items", "tool": tool, **aggregation["indicator_from_items"][tool]}
        )
    rows.append({"rule": "tool_from_indicators", **aggregation["tool_from_indicators"]})
    rows.append({"rule": "overall_from_tools", **aggregation["overall_from_tools"]})
    rows.append({"rule": "levels", "source": rules["levels"]["source"]})
    return [{**row, "label": labels[row["rule"]]} for row in rows]


def _percent(weight: float) -> int | float:
    """0.3 -> 30, exactly (decimal from the float's shortest form)."""
    points = Decimal(repr(weight)) * 100
    return int(points) if points == points.to_integral_value() else float(points)


def _tool_rows(tools: Iterable[Mapping[str, Any]]) -> list[Row]:
    rows: list[Row] = []
    for tool in tools:
        rows.append({"tool": tool["code"], **{k: tool[k] for k in ("name_th", "name_en", "source")}})
        rows += [{"tool": tool["code"], "part": part["code"], **part} for part in tool["parts"]]
    return rows


def _scale_rows(scales: Iterable[Mapping[str, Any]]) -> list[Row]:
    rows: list[Row] = []
    for scale in scales:
        for index, answer in enumerate(scale["answers"]):
            shared = {k: scale[k] for k in ("confirmed", "source", "note")} if index == 0 else {}
            rows.append({"scale": scale["name"], **answer, **shared})
    return rows


def _unwritable(definition: Mapping[str, Any], location: Location) -> list[Problem]:
    """List values that would not read back as they are: holding the separator, or blank."""
    scoring = definition.get("scoring") or {}
    found: list[Problem] = []
    lists = [
        *((f"{s['name']} words", a["words"]) for s in scoring.get("scales", []) for a in s["answers"]),
        *((f"{s['name']} codes", a["codes"]) for s in scoring.get("scales", []) for a in s["answers"]),
        *((f"{q['item']} sub_items", q["sub_items"]) for q in scoring.get("questions", [])),
    ]
    for field, values in lists:
        for value in values:
            if LIST_SEPARATOR in value or not value.strip():
                found.append(error("authoring_export_list", location.with_(field=field), value=value))
    return found


# --------------------------------------------------------------------------------------------------
# Writing a sheet
# --------------------------------------------------------------------------------------------------


def _instructions(sheet: Worksheet, year: int, text: WorkbookText) -> None:
    words = text.instructions
    names = {"year": year, "year_sheet": text.sheet_name("year"), "sources_sheet": text.sheet_name("sources")}
    steps = [(step.th.format(**names), step.en.format(**names)) for step in words.steps]
    write_instructions(
        sheet, Instructions(words.title.format(**names), words.title_en.format(**names), steps), size=SIZE
    )


def _table(sheet: Worksheet, layout: Layout, rows: Sequence[Row], text: WorkbookText) -> None:
    yes, no = yes_no_words()
    top = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(layout.columns, start=1):
        heading = sheet.cell(1, index, text.heading(layout.key, column.key))
        heading.font = font(SIZE, bold=True)
        heading.fill = HEADING
        heading.alignment = Alignment(wrap_text=True, vertical="center")
        key = sheet.cell(2, index, column.key)
        key.font = font(11, italic=True, color=GREY)
        key.fill = KEY_ROW
        for offset, row in enumerate(rows, start=HEADER_ROWS + 1):
            value = row.get(column.key)
            if column.kind == "yes_no" and isinstance(value, bool):
                value = yes if value else no
            elif column.kind == "list" and isinstance(value, list):
                value = LIST_JOIN.join(value) or None
            elif isinstance(value, float) and value.is_integer():
                value = int(value)  # 85, not 85.0
            cell = sheet.cell(offset, index, None if value == "" else value)
            cell.font = font(SIZE, color=GREY if column.info else "000000")
            cell.alignment = top
            if isinstance(cell.value, str):
                cell.number_format = "@"  # typed text stays text ('9.10', '1')
                as_text_cell(cell)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = fit_width(
            [text.heading(layout.key, column.key), column.key, *(_shown(r.get(column.key)) for r in rows)],
            SIZE,
            widest=WIDE if column.wide else NARROW,
            narrowest=WIDE_AT_LEAST if column.wide else NARROWEST,
        )
        if column.check:
            _validate(sheet, column.check, f"{letter}{HEADER_ROWS + 1}:{letter}{VALIDATED_ROWS}", text)
    if layout.key == "year":
        _validate_year(sheet, rows, text)
    first_kept = "A" if layout.key == "year" else "B"  # the year's wide labels would fill a screen
    sheet.freeze_panes = f"{first_kept}{HEADER_ROWS + 1}"
    sheet.auto_filter.ref = (
        f"A{HEADER_ROWS}:{get_column_letter(len(layout.columns))}{HEADER_ROWS + len(rows)}"
    )
    fit_row_heights(sheet)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return yes_no_words()[0 if value else 1]
    if isinstance(value, list):
        return LIST_JOIN.join(map(str, value))
    return "" if value is None else str(value)


def _rule(check: str) -> DataValidation:
    """The data validation of one kind of cell (the words are set by the caller)."""
    if check in ("yes_no", "tool", "kind", "method", "status"):
        choices = {
            "yes_no": yes_no_words(),
            "tool": TOOL_CODES,
            "kind": ("seed", "web", "arithmetic", "inference"),
            "method": ("mean", "weighted_mean"),
            "status": ("official", "provisional"),
        }[check]
        return DataValidation(type="list", formula1='"' + ",".join(choices) + '"')
    if check == "score":
        return DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
    if check == "indicator":
        return DataValidation(type="whole", operator="between", formula1="1", formula2="10")
    if check == "year":
        return DataValidation(type="whole", operator="between", formula1="2500", formula2="2700")
    return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="1")


def _validate(sheet: Worksheet, check: str, cells: str, text: WorkbookText) -> None:
    rule = _rule(check)
    rule.allow_blank = rule.showInputMessage = rule.showErrorMessage = True
    words = text.validation[check]
    rule.promptTitle, rule.prompt = words.title, words.prompt
    rule.errorTitle, rule.error = words.title, words.error
    rule.errorStyle = "stop"
    rule.add(cells)
    sheet.add_data_validation(rule)


def _validate_year(sheet: Worksheet, rows: Sequence[Row], text: WorkbookText) -> None:
    value = get_column_letter(list(LAYOUTS["year"].columns).index(LAYOUTS["year"].column("value")) + 1)
    for offset, row in enumerate(rows, start=HEADER_ROWS + 1):
        if row["key"] in ("ita_year", "status"):
            _validate(sheet, "year" if row["key"] == "ita_year" else "status", f"{value}{offset}", text)
