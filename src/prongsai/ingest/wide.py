"""The wide form: one agency-year per row, one column per score (SCORES written by ``prongsai score``).

Columns ``agency, ita_year`` and any of ``overall, level, IIT, EIT, OIT, EIT1, EIT2, ind1..ind10`` and
item codes; optional ``agency_type, district, province``; ``estimated`` (the keys computed with an
unconfirmed rule, space separated); informational ``respondents_*, withheld, below_minimum``.
Each cell goes through the same checks as every other format (ingest.record).
"""

from __future__ import annotations

from collections.abc import Sequence

from prongsai.ingest.record import Entry, build_agency, build_record, parse_year
from prongsai.ingest.table import _column_aliases, _column_letter, _fold, _is_blank
from prongsai.problems import Location, Problem, error
from prongsai.results import ResultsInput

DETAILS = ("agency", "ita_year", "agency_type", "district", "province")
INFORMATION = ("estimated", "withheld", "below_minimum")


def _name(cell: object) -> str:
    text = _fold(str(cell)) if not _is_blank(cell) else ""
    aliases, _ = _column_aliases()
    canonical = aliases.get(text)
    if canonical in DETAILS:
        return canonical
    return str(cell).strip() if not _is_blank(cell) else ""


def is_wide(header: Sequence[object]) -> bool:
    """agency and ita_year columns but no code/score pair: one agency-year per row."""
    aliases, _ = _column_aliases()
    names = {aliases.get(_fold(str(c)), "") for c in header if not _is_blank(c)}
    return {"agency", "ita_year"} <= names and not {"code", "score"} & names


def read_rows(
    header: Sequence[object],
    rows: Sequence[Sequence[object]],
    location: Location,
    sheet: str | None = None,
    carried: Sequence[Problem] = (),
    first_row: int = 2,
) -> tuple[list[ResultsInput], list[Problem]]:
    """One agency-year per row; ``first_row`` is the number the spreadsheet shows for ``rows[0]``
    (the header is on the row above it)."""
    names = [_name(c) for c in header]
    columns = [f"{_column_letter(i)} ({name})" if sheet else name for i, name in enumerate(names)]
    position = {name: i for i, name in enumerate(names)}
    problems: list[Problem] = []
    records: list[ResultsInput] = []
    for offset, cells in enumerate(rows):
        if all(_is_blank(c) for c in cells):
            continue
        number = offset + first_row

        def where(index: int, row: int = number) -> Location:
            return location.with_(sheet=sheet, row=row, column=columns[index])

        cell = {name: cells[i] if i < len(cells) else None for i, name in enumerate(names)}
        agency, found = build_agency(
            cell.get("agency"),
            cell.get("agency_type"),
            cell.get("district"),
            cell.get("province"),
            where(position["agency"]),
        )
        problems += found
        year, year_problems = parse_year(cell.get("ita_year"), where(position["ita_year"]))
        problems += year_problems
        entries = [
            Entry("any", name, value, where(i))
            for i, (name, value) in enumerate(zip(names, cells, strict=False))
            if name
            and name not in DETAILS
            and name not in INFORMATION
            and not name.startswith("respondents_")
            and not _is_blank(value)
        ]
        record, found = build_record(
            agency, year, entries, where(position["agency"]), carried=[*carried, *found]
        )
        problems += found
        if record is not None:
            marked = cell.get("estimated")
            keys = frozenset(str(marked).split()) if not _is_blank(marked) else frozenset()
            records.append(
                ResultsInput(
                    record.agency, record.ita_year, record.scores, record.location, record.warnings, keys
                )
            )
    if not records and not problems:
        problems.append(error("table_no_rows", location.with_(sheet=sheet)))
    return records, problems
