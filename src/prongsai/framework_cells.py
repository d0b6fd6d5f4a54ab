"""The cells of a framework workbook (``prongsai framework import``): its sheets found by name, each
sheet's columns by their headings (:mod:`prongsai.framework_sheet`), and each cell read as what its
column holds. Problems of the cells themselves (a number that is not one, a yes/no cell that is
neither, a missing sheet or heading, a cell under no heading) are recorded on the :class:`Reader`,
with the cell every value of the definition came from; :mod:`prongsai.framework_import` builds the
definition from the tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from prongsai.framework_schema import TOOL_CODES
from prongsai.framework_schema import Path as SpecPath
from prongsai.framework_sheet import (
    HEADER_ROWS,
    INSTRUCTIONS,
    LAYOUTS,
    LIST_SEPARATOR,
    SECTIONS,
    Empty,
    Kind,
    Layout,
    column_key,
    sheet_key,
    workbook_text,
    yes_no,
    yes_no_words,
)
from prongsai.loader.numbers import plain, read_number, shown_value
from prongsai.loader.text import value_problem
from prongsai.loader.xlsx import Sheet
from prongsai.loader.xlsx_extent import column_letters
from prongsai.problems import Location, Problem, error


class _Missing:
    """No value: the field is left out of the definition."""


MISSING = _Missing()


@dataclass(frozen=True)
class Row:
    """A non-blank row of a sheet: its number in the workbook and its cells by column key."""

    number: int
    cells: Mapping[str, object]  # column key -> a non-blank value (text without outer spaces)


@dataclass(frozen=True)
class Table:
    """A sheet read by its layout: where each known column is, and its non-blank rows below the
    headings."""

    layout: Layout
    name: str
    letters: Mapping[str, str]  # column key -> letter
    rows: Sequence[Row]


@dataclass
class Reader:
    """What reading a workbook gathers: its problems, the cell each value of the definition came
    from, the values dropped for a problem of their cell and the parts with a row that could not be
    placed."""

    location: Location
    problems: list[Problem] = field(default_factory=list)
    places: dict[SpecPath, Location] = field(default_factory=dict)
    broken: set[SpecPath] = field(default_factory=set)  # values dropped for a problem of their cell
    unread: set[SpecPath] = field(default_factory=set)  # parts with a row that could not be placed

    # -- where -------------------------------------------------------------------------------------

    def sheet_at(self, table: Table) -> Location:
        """The table's sheet."""
        return self.location.with_(sheet=table.name)

    def cell_at(self, table: Table, row: Row, key: str | None = None) -> Location:
        """The row, at the column of ``key`` if the sheet has it."""
        at = self.location.with_(sheet=table.name, row=row.number)
        letter = table.letters.get(key) if key else None
        return at.with_(column=letter) if letter else at

    def place(self, path: SpecPath) -> Location:
        """The cell a value of the definition came from, else its row, its sheet, the file."""
        for length in range(len(path), 0, -1):
            found = self.places.get(path[:length])
            if found is not None:
                return found
        return self.location

    def fail(self, problem: Problem, *paths: SpecPath) -> None:
        """Record ``problem`` and that the values at ``paths`` were dropped for it."""
        self.problems.append(problem)
        self.broken.update(paths)

    # -- cells -------------------------------------------------------------------------------------

    def read(
        self,
        table: Table,
        row: Row,
        key: str,
        path: SpecPath,
        *,
        kind: Kind | None = None,
        empty: Empty | None = None,
    ) -> object:
        """One cell as the value of ``path``, or MISSING (a problem is recorded if it is one)."""
        column = table.layout.column(key)
        kind = kind or column.kind
        empty = empty or column.empty
        at = self.cell_at(table, row, key)
        self.places[path] = at
        raw = row.cells.get(key)
        if raw is None:
            if empty == "blank":
                return ""
            if empty == "required":
                if key in table.letters:  # a missing column is reported once, at its heading
                    self.problems.append(error("authoring_cell_required", at, **heading_args(table, key)))
                self.broken.add(path)
                return _placeholder(kind)
            return MISSING
        value, problem = _parse(raw, kind, at, table, key)
        if problem is not None:
            self.fail(problem, path)
            return _placeholder(kind)
        return value

    def shared(self, table: Table, rows: Sequence[Row], key: str, path: SpecPath, empty: Empty) -> object:
        """A value the rows of a group share, written on one of them (the first, as exported); the
        same value again on another row is allowed, a different one is a problem."""
        given = [row for row in rows if key in row.cells]
        for row in given[1:]:
            if row.cells[key] != given[0].cells[key]:
                problem = error(
                    "authoring_group_differs",
                    self.cell_at(table, row, key),
                    first_row=given[0].number,
                    **heading_args(table, key),
                )
                self.fail(problem, path)
        return self.read(table, given[0] if given else rows[0], key, path, empty=empty)

    def fields(
        self, table: Table, row: Row, path: SpecPath, keys: Iterable[str], **empty: Empty
    ) -> dict[str, Any]:
        """The row's values for ``keys``, by the layout's rules (``empty`` overrides per key)."""
        self.places[path] = self.cell_at(table, row)
        found: dict[str, Any] = {}
        for key in keys:
            value = self.read(table, row, key, (*path, key), empty=empty.get(key))
            if value is not MISSING:
                found[key] = value
        return found


def heading_args(table: Table, key: str) -> dict[str, str]:
    """The message arguments naming the column of ``key``: its Thai heading and its English one."""
    return {"heading_th": workbook_text().heading(table.layout.key, key), "heading_en": key}


def _placeholder(kind: Kind) -> object:
    """What stands in for a wrong required cell so that the rest of the file is still checked
    (the problems at its place are not reported twice)."""
    return False if kind == "yes_no" else "" if kind == "text" else MISSING


def _parse(raw: object, kind: Kind, at: Location, table: Table, key: str) -> tuple[object, Problem | None]:
    if kind == "yes_no":
        answer = yes_no(raw)
        if answer is None:
            yes, no = yes_no_words()
            shown = shown_value(raw)
            return MISSING, error(
                "authoring_not_yes_no", at, value=shown, yes=yes, no=no, **heading_args(table, key)
            )
        return answer, None
    if kind in ("number", "whole"):
        number = read_number(raw).value
        if number is None:
            return MISSING, error(
                "authoring_not_number", at, value=shown_value(raw), **heading_args(table, key)
            )
        if number == number.to_integral_value():
            return int(number), None
        if kind == "whole":
            return MISSING, error("authoring_not_whole", at, value=plain(number), **heading_args(table, key))
        return float(number), None
    text = cell_text(raw)
    problem = value_problem(text, at)  # a control code no YAML file or document can hold
    if problem is not None:
        return MISSING, problem
    if kind == "list":
        return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()], None
    return text, None


def cell_text(raw: object) -> str:
    """A cell as text: numbers as written (9.1, 1), TRUE/FALSE as Excel shows them."""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, int | float):
        number = read_number(raw).value
        return plain(number) if number is not None else str(raw)
    return str(raw)


def tool_code(value: object) -> object:
    """'iit' -> 'IIT'; anything else as it is (the check names what is wrong)."""
    return value.upper() if isinstance(value, str) and value.upper() in TOOL_CODES else value


def item_code(value: object) -> object:
    """'I1' -> 'i1'; anything else as it is."""
    return value.lower() if isinstance(value, str) and value[:1] in "IEO" and value[1:].isdigit() else value


# --------------------------------------------------------------------------------------------------
# Sheets and tables
# --------------------------------------------------------------------------------------------------


def known_sheets(sheets: Sequence[Sheet], reader: Reader) -> dict[str, Sheet]:
    """The workbook's sheets by layout key; the instructions sheet is skipped. A sheet of unknown
    name (unless empty), a sheet given twice and a required sheet missing (the scoring ones only in a
    workbook with any of them) are problems."""
    text = workbook_text()
    found: dict[str, Sheet] = {}
    for sheet in sheets:
        key = sheet_key(sheet.name)
        at = reader.location.with_(sheet=sheet.name)
        if key == INSTRUCTIONS:
            continue
        if key is None and not any(v is not None for row in sheet.rows for v in row):
            continue  # an empty sheet a person added (Excel's Sheet1) says nothing
        if key is None:
            known = [text.sheet_name(k) for k in LAYOUTS]
            reader.problems.append(
                error(
                    "authoring_sheet_unknown",
                    at,
                    name=sheet.name,
                    known_th=", ".join(known),
                    known_en=", ".join(LAYOUTS),
                )
            )
        elif key in found:
            reader.problems.append(error("authoring_sheet_twice", at, name=sheet.name, other=found[key].name))
        else:
            found[key] = sheet
    scoring = any(LAYOUTS[key].scoring for key in found)
    for key, layout in LAYOUTS.items():
        if key not in found and layout.required and (scoring or not layout.scoring):
            at = reader.location.with_(sheet=text.sheet_name(key))
            reader.fail(
                error("authoring_sheet_missing", at, sheet_th=text.sheet_name(key), sheet_en=key),
                *SECTIONS[key],
            )
    return found


def read_table(layout: Layout, sheet: Sheet, reader: Reader) -> Table:
    """The sheet's columns found by their headings (row 1 Thai, row 2 English; either may be
    missing) and its non-blank rows."""
    rows = sheet.rows
    first = rows[0] if rows else []
    second = rows[1] if len(rows) > 1 else []
    two = any(column_key(layout, cell_text(v)) for v in second if v is not None)
    at = reader.location.with_(sheet=sheet.name)
    letters: dict[str, str] = {}
    index: dict[str, int] = {}
    for position in range(max(len(first), len(second) if two else 0)):
        headings = [
            (number, cell_text(cells[position]))
            for number, cells in ((1, first), (2, second))
            if (number == 1 or two) and position < len(cells) and cells[position] is not None
        ]
        if not headings:
            continue
        letter = column_letters(position + 1)
        keys = [column_key(layout, heading) for _, heading in headings]
        key = next((k for k in reversed(keys) if k), None)
        if key is None:
            number, heading = headings[-1]
            known = ", ".join(workbook_text().heading(layout.key, c.key) for c in layout.columns)
            reader.problems.append(
                error(
                    "authoring_heading_unknown",
                    at.with_(row=number, column=letter),
                    heading=heading,
                    known_th=known,
                    known_en=", ".join(c.key for c in layout.columns),
                )
            )
        elif key in letters:
            reader.problems.append(
                error("authoring_heading_twice", at.with_(row=1, column=letter), **_heading_of(layout, key))
            )
        else:
            letters[key] = letter
            index[key] = position
    for column in layout.columns:
        if column.empty == "required" and column.key not in letters:
            reader.fail(
                error("authoring_heading_missing", at.with_(row=1), **_heading_of(layout, column.key)),
                *SECTIONS[layout.key],
            )
    start = HEADER_ROWS if two else 1
    found: list[Row] = []
    unheaded: set[int] = set()
    for number, cells in enumerate(rows[start:], start=start + 1):
        values = {key: _cell(cells[i]) for key, i in index.items() if i < len(cells)}
        values = {key: value for key, value in values.items() if value is not None}
        for position, value in enumerate(cells):
            if position not in index.values() and _cell(value) is not None and position not in unheaded:
                unheaded.add(position)  # once per column
                place = at.with_(row=number, column=column_letters(position + 1))
                reader.problems.append(error("authoring_cell_no_heading", place, value=shown_value(value)))
        if values:
            found.append(Row(number, values))
    return Table(layout, sheet.name, letters, found)


def _heading_of(layout: Layout, key: str) -> dict[str, str]:
    return {"heading_th": workbook_text().heading(layout.key, key), "heading_en": key}


def _cell(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value
