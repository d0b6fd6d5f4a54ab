"""Long-form score tables (CSV or XLSX): many agencies and years, one score per row.

Columns ``agency, ita_year, code, score`` and optionally ``agency_type, district, province``
(Thai headings are accepted too, see catalog/columns.yaml). ``code`` is ``overall``, ``level``,
``IIT``/``EIT``/``OIT``, ``EIT1``/``EIT2``, ``ind1``..``ind10`` or an item code.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

from prongsai.errors import InputError
from prongsai.ingest.record import Entry, build_agency, build_record, parse_year
from prongsai.problems import Location, Problem, error, suggestion_params, warning
from prongsai.results import ResultsInput

if TYPE_CHECKING:
    from prongsai.loader.xlsx import Sheet


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    cells: Mapping[str, object]


@dataclass(frozen=True)
class Table:
    sheet: str | None
    header: Sequence[str]  # canonical column names, one per position ('' for ignored blanks)
    letters: Sequence[str]
    rows: Sequence[Row]


@cache
def _column_aliases() -> tuple[dict[str, str], tuple[str, ...]]:
    raw = yaml.safe_load((resources.files("prongsai") / "catalog" / "columns.yaml").read_text("utf-8"))
    aliases = {_fold(alias): name for name, spellings in raw["columns"].items() for alias in spellings}
    return aliases, tuple(raw["required"])


def _fold(text: str) -> str:
    return "_".join(unicodedata.normalize("NFC", text).replace("\ufeff", "").strip().lower().split())


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(
    sheet: str | None, raw_rows: Sequence[Sequence[object]], location: Location
) -> tuple[Table | None, list[Problem]]:
    """Recognise the header (first non-blank row) and keep the rows below it."""
    problems: list[Problem] = []
    aliases, required = _column_aliases()
    start = next((i for i, row in enumerate(raw_rows) if not all(_is_blank(c) for c in row)), None)
    if start is None:
        return None, [error("table_no_rows", location.with_(sheet=sheet))]
    header_row = raw_rows[start]
    header: list[str] = []
    letters = [_column_letter(i) for i in range(len(header_row))]
    seen: set[str] = set()
    for index, cell in enumerate(header_row):
        text = "" if _is_blank(cell) else str(cell)
        name = aliases.get(_fold(text), "")
        where = location.with_(sheet=sheet, row=start + 1, column=letters[index] if sheet else text or None)
        if text and not name:
            problems.append(
                error(
                    "table_unknown_column",
                    where,
                    column=text,
                    **suggestion_params(_fold(text), sorted(set(aliases))),
                )
            )
        elif name and name in seen:
            problems.append(error("table_duplicate_column", where, column=text))
        seen.add(name)
        header.append(name)
    missing = [name for name in required if name not in seen]
    if missing:
        problems.append(
            error(
                "table_missing_columns",
                location.with_(sheet=sheet, row=start + 1),
                columns=", ".join(missing),
            )
        )
    rows = [
        Row(
            start + 2 + offset,
            {name: cells[i] if i < len(cells) else None for i, name in enumerate(header) if name},
        )
        for offset, cells in enumerate(raw_rows[start + 1 :])
        if not all(_is_blank(c) for c in cells)
    ]
    if not rows and not problems:
        problems.append(error("table_no_rows", location.with_(sheet=sheet)))
    return Table(sheet, header, letters, rows), problems


def read_table(
    sheet: str | None, raw_rows: Sequence[Sequence[object]], location: Location, carried: list[Problem]
) -> tuple[list[ResultsInput], list[Problem]]:
    """The long form from rows already read (CSV, or one sheet); ``carried`` are the reader's warnings."""
    table, problems = _table(sheet, raw_rows, location)
    records, found = _records(table, location, carried=carried)
    return records, problems + found


def read_sheets(
    sheets: Sequence[Sheet], location: Location, only: str | None = None
) -> tuple[list[ResultsInput], list[Problem]]:
    """A workbook, every sheet in it (or only the sheet named ``only``): each sheet in the layout it
    holds — the wide form, the long form or the fill-in form (ingest.template), one agency-year or
    many per sheet. The form's instructions and empty sheets hold nothing to read; any other sheet
    is a warning naming it, carried by every agency-year read (and listed with the errors of a
    workbook refused for them), so that it is never silently left out.
    """
    chosen = sheets if only is None else [_named(sheets, only, location)]
    records: list[ResultsInput] = []
    problems: list[Problem] = []
    unread: list[Problem] = []
    for sheet in chosen:
        found, found_problems = _read_sheet(sheet, location)
        if found is None:
            unread += found_problems
            continue
        records += found
        problems += found_problems
    if not records and not problems:
        if any(p.code == "template_empty" for p in unread):
            return [], unread  # the form is there, not filled in: the warning says so
        where = location if only is None else location.with_(sheet=chosen[0].name)
        return [], [error("xlsx_no_table", where)]
    if any(p.severity == "error" for p in problems):
        return records, unread + problems  # refused whole, with every problem at once
    if unread:
        records = [replace(r, warnings=(*r.warnings, *unread)) for r in records]
    return records, unread + problems


def _named(sheets: Sequence[Sheet], name: str, location: Location) -> Sheet:
    """The sheet ``--sheet`` names (spaces around it and letter case aside)."""
    for sheet in sheets:
        if sheet.name == name:
            return sheet
    folded = {_fold(sheet.name): sheet for sheet in sheets}
    if _fold(name) in folded:
        return folded[_fold(name)]
    names = [sheet.name for sheet in sheets]
    raise InputError(
        [
            error(
                "sheet_unknown",
                location.with_(option="--sheet"),
                name=name,
                sheets=", ".join(names),
                **suggestion_params(name, names),
            )
        ]
    )


def _read_sheet(sheet: Sheet, location: Location) -> tuple[list[ResultsInput] | None, list[Problem]]:
    """What one sheet holds; None with the warning (or nothing) for a sheet that holds no results."""
    from prongsai.ingest import template, wide

    aliases, required = _column_aliases()
    start = next((i for i, row in enumerate(sheet.rows) if not all(_is_blank(c) for c in row)), None)
    if start is None:
        return None, []  # an empty sheet: nothing left out
    first = sheet.rows[start]
    if wide.is_wide(first):
        return wide.read_rows(first, sheet.rows[start + 1 :], location, sheet=sheet.name, first_row=start + 2)
    names = {aliases.get(_fold(str(c)), "") for c in first if not _is_blank(c)}
    if set(required) <= names:
        return read_table(sheet.name, sheet.rows, location, carried=[])
    form = template.find_form(sheet)
    if form is not None:
        found, problems = template.read_form(sheet, form, location)
        if not found and not any(p.severity == "error" for p in problems):
            return None, problems  # an unfilled form: the warning says so
        return found, problems
    if template.is_instructions(sheet):
        return None, []
    return None, [warning("sheet_not_results", location.with_(sheet=sheet.name))]


def _records(
    table: Table | None, location: Location, carried: list[Problem]
) -> tuple[list[ResultsInput], list[Problem]]:
    if table is None:
        return [], []
    problems: list[Problem] = []
    _, required = _column_aliases()
    if any(name not in table.header for name in required):
        return [], []
    position = {name: i for i, name in enumerate(table.header) if name}

    def where(row: Row, column: str) -> Location:
        if table.sheet is None:
            return location.with_(row=row.number, column=column)
        return location.with_(
            sheet=table.sheet, row=row.number, column=f"{table.letters[position[column]]} ({column})"
        )

    groups: dict[tuple[str, object], list[Row]] = {}
    for row in table.rows:
        blank = [name for name in ("agency", "ita_year", "code") if _is_blank(row.cells.get(name))]
        for name in blank:
            problems.append(error("table_empty_cell", where(row, name), column=name))
        if blank:
            continue
        agency_name = " ".join(str(row.cells["agency"]).split())
        groups.setdefault((agency_name, row.cells["ita_year"]), []).append(row)

    records: list[ResultsInput] = []
    for (agency_name, year_value), rows in groups.items():
        first = rows[0]
        details: dict[str, object] = {}
        for row in rows:
            for name in ("agency_type", "district", "province"):
                value = row.cells.get(name)
                if _is_blank(value):
                    continue
                if name in details and str(details[name]).strip() != str(value).strip():
                    problems.append(
                        error(
                            "agency_details_conflict",
                            where(row, name),
                            field=name,
                            agency=agency_name,
                            first=details[name],
                            second=value,
                        )
                    )
                details.setdefault(name, value)
        type_column = "agency_type" if "agency_type" in position else "agency"
        agency, agency_problems = build_agency(
            agency_name,
            details.get("agency_type"),
            details.get("district"),
            details.get("province"),
            where(first, "agency"),
            type_location=where(first, type_column),
        )
        year, year_problems = parse_year(year_value, where(first, "ita_year"))
        problems.extend(agency_problems)
        problems.extend(year_problems)
        entries = [
            Entry("any", row.cells["code"], row.cells.get("score"), where(row, "score"), where(row, "code"))
            for row in rows
        ]
        record, found = build_record(
            agency, year, entries, where(first, "agency"), carried=[*carried, *agency_problems]
        )
        problems.extend(found)
        if record is not None:
            records.append(record)
    return records, problems
