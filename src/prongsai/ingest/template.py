"""Reading the fill-in results form (``prongsai template``) back, as the clerk left it.

A sheet is the form's results sheet when it holds the form's marker (a hidden cell,
:mod:`prongsai.template_text`), or, when the marker was lost with a copy of the visible cells only,
when its layout is the form's: an agency-name field above a table whose headings include the code
and score columns (รหัส, คะแนน, or any heading of catalog/columns.yaml for them). The form's
instructions sheet is known by its own marker, or by its name when the marker is gone.

Reading it: the fields by their labels (the value is the first filled cell right of the label), then
one entry per table row with a score; a blank score is "not given". Every value goes through
ingest.record like any other format, located by sheet, row and column letter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prongsai.ingest.record import Entry, build_agency, build_record, parse_year
from prongsai.ingest.table import _column_aliases, _column_letter, _fold, _is_blank
from prongsai.problems import Location, Problem, error, warning
from prongsai.results import ResultsInput
from prongsai.template_text import Marker, fold, read_marker, template_text

if TYPE_CHECKING:
    from prongsai.loader.xlsx import Sheet

SCAN_ROWS = 60  # the marker and the table's heading row lie in a form's first rows


@dataclass(frozen=True)
class Form:
    """Where a results sheet keeps its parts (indexes from 0, as in Sheet.rows)."""

    year: int | None  # the year the form was made for (from its marker); None when known by layout
    heading_row: int
    code_column: int
    score_column: int


def is_instructions(sheet: Sheet) -> bool:
    found = _marker(sheet)
    if found is not None:
        return found.role == "instructions"
    return fold(sheet.name) == fold(template_text().sheets.instructions)


def find_form(sheet: Sheet) -> Form | None:
    """The form's layout in a sheet, or None when the sheet is not the form's results sheet."""
    found = _marker(sheet)
    if found is not None and found.role != "results":
        return None
    heading = _heading(sheet)
    if heading is None:
        return None
    row, code, score = heading
    if found is None and not _has_name_field(sheet.rows[:row]):
        return None
    return Form(found.year if found else None, row, code, score)


def _marker(sheet: Sheet) -> Marker | None:
    for cells in sheet.rows[:SCAN_ROWS]:
        for value in cells:
            found = read_marker(value)
            if found is not None:
                return found
    return None


def _heading(sheet: Sheet) -> tuple[int, int, int] | None:
    """(row, code column, score column) of the table's heading row."""
    aliases, _ = _column_aliases()
    headings = template_text().results.headings
    names = {fold(headings.code): "code", fold(headings.score): "score"}
    for index, cells in enumerate(sheet.rows[:SCAN_ROWS]):
        found: dict[str, int] = {}
        for column, value in enumerate(cells):
            if _is_blank(value) or not isinstance(value, str):
                continue
            name = names.get(fold(value)) or aliases.get(_fold(value))
            if name in ("code", "score"):
                found.setdefault(name, column)
            elif name in ("agency", "ita_year"):
                found = {}  # a long-form table's header, not the form's
                break
        if "code" in found and "score" in found:
            return index, found["code"], found["score"]
    return None


def _has_name_field(rows: Sequence[Sequence[object]]) -> bool:
    spellings = _field_spellings()
    return any(isinstance(v, str) and spellings.get(fold(v)) == "agency" for row in rows for v in row)


def _field_spellings() -> dict[str, str]:
    """Every label of a field, folded -> its canonical name (the form's own labels first)."""
    aliases, _ = _column_aliases()
    found = {fold(alias): name for alias, name in aliases.items() if name not in ("code", "score")}
    return {**found, **template_text().field_spellings()}


def read_form(sheet: Sheet, form: Form, location: Location) -> tuple[list[ResultsInput], list[Problem]]:
    """The agency-year of a filled form; an unfilled one (no name, no score) is a warning."""
    at_sheet = location.with_(sheet=sheet.name)
    fields = _fields(sheet.rows[: form.heading_row], at_sheet)
    heading = sheet.rows[form.heading_row]

    def where(row: int, column: int, name: object) -> Location:
        return at_sheet.with_(row=row + 1, column=f"{_column_letter(column)} ({name})")

    code_name, score_name = heading[form.code_column], heading[form.score_column]
    problems: list[Problem] = []
    entries: list[Entry] = []
    for index in range(form.heading_row + 1, len(sheet.rows)):
        cells = sheet.rows[index]
        code = cells[form.code_column] if form.code_column < len(cells) else None
        score = cells[form.score_column] if form.score_column < len(cells) else None
        if _is_blank(score):
            continue  # not given
        code_at = where(index, form.code_column, code_name)
        if _is_blank(code):
            problems.append(error("table_empty_cell", code_at, column=code_name))
            continue
        entries.append(Entry("any", code, score, where(index, form.score_column, score_name), code_at))

    name = fields.get("agency")
    if (name is None or _is_blank(name.value)) and not entries and not problems:
        return [], [warning("template_empty", at_sheet)]
    year, year_problems = _year(fields.get("ita_year"), form, at_sheet)
    name_at = name.location if name else at_sheet

    def value(field: str) -> object:
        found = fields.get(field)
        return found.value if found else None

    type_field = fields.get("agency_type")
    agency, agency_problems = build_agency(
        value("agency"),
        value("agency_type"),
        value("district"),
        value("province"),
        name_at,
        type_location=type_field.location if type_field else None,
    )
    record, found = build_record(agency, year, entries, name_at, carried=list(agency_problems))
    problems = [*problems, *year_problems, *agency_problems, *found]
    if record is None or any(p.severity == "error" for p in problems):
        return [], problems
    return [record], problems


@dataclass(frozen=True)
class _Field:
    value: object
    location: Location


def _fields(rows: Sequence[Sequence[object]], at_sheet: Location) -> dict[str, _Field]:
    """Each field's value: the first filled cell right of its label and before the next label (the
    cell next to the label when there is none). The first label of a field counts."""
    spellings = _field_spellings()
    found: dict[str, _Field] = {}
    for index, cells in enumerate(rows):
        labels = [
            (column, spellings[fold(value)], " ".join(value.split()))
            for column, value in enumerate(cells)
            if isinstance(value, str) and fold(value) in spellings
        ]
        ends = [column for column, _, _ in labels[1:]] + [len(cells)] if labels else []
        for (column, name, label), end in zip(labels, ends, strict=True):
            if name in found:
                continue
            filled = next((c for c in range(column + 1, end) if not _is_blank(cells[c])), None)
            at = column + 1 if filled is None else filled
            where = at_sheet.with_(row=index + 1, column=f"{_column_letter(at)} ({label})")
            found[name] = _Field(None if filled is None else cells[filled], where)
    return found


def _year(field: _Field | None, form: Form, at_sheet: Location) -> tuple[int | None, list[Problem]]:
    """The form's year: the year cell, which must agree with the year the form was made for."""
    if field is None or _is_blank(field.value):
        if form.year is not None:
            return form.year, []
        return parse_year("", field.location if field else at_sheet)
    year, problems = parse_year(field.value, field.location)
    if year is not None and form.year is not None and year != form.year:
        return None, [error("template_year_changed", field.location, form_year=form.year, year=year)]
    return year, problems
