"""Reading results files. One reader per file kind, registered by suffix in ``READERS``.

Every reader gets the file's bytes from the hardened loader (:mod:`prongsai.loader`): size, nesting,
expansion and time are limited there, text is decoded there, and numbers are read there with one
meaning. A reader only finds values and their locations; ingest.record holds the rules.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from pathlib import Path

from prongsai.errors import InputError
from prongsai.ingest import canonical, table, wide
from prongsai.ingest.duplicates import duplicate_problems
from prongsai.loader.csvtable import read_csv_rows
from prongsai.loader.limits import time_limit
from prongsai.loader.source import check_input, library_errors, read_input, where
from prongsai.loader.text import decode
from prongsai.problems import Location, Problem, error
from prongsai.results import ResultsInput

Reader = Callable[[bytes, Location], tuple[list[ResultsInput], list[Problem]]]


def _text_reader(parse: Callable[[str, Location], tuple[list[ResultsInput], list[Problem]]]) -> Reader:
    def read(data: bytes, location: Location) -> tuple[list[ResultsInput], list[Problem]]:
        if not data.strip():
            return [], [error("empty_file", location)]
        text, problems = decode(data, location)
        if text is None:
            return [], problems
        records, found = parse(text, location)
        return records, problems + found

    return read


def _csv(data: bytes, location: Location) -> tuple[list[ResultsInput], list[Problem]]:
    rows, problems = read_csv_rows(data, location)
    if rows is None or any(p.severity == "error" for p in problems):
        return [], problems
    carried = [p for p in problems if p.severity == "warning"]
    if wide.is_wide(rows[0]):
        records, found = wide.read_rows(rows[0], rows[1:], location, carried=carried)
    else:
        records, found = table.read_table(None, rows, location, carried=carried)
    return records, problems + found


def _xlsx(
    data: bytes, location: Location, sheet: str | None = None
) -> tuple[list[ResultsInput], list[Problem]]:
    """Every sheet of a workbook (or only ``sheet``), each in the layout it holds (ingest.table)."""
    from prongsai.loader.xlsx import read_sheets

    return table.read_sheets(read_sheets(data, location), location, only=sheet)


def _parquet(data: bytes, location: Location) -> tuple[list[ResultsInput], list[Problem]]:
    import polars as pl

    with library_errors(location):  # damaged or not Parquet: Polars raises several kinds, or panics
        frame = pl.read_parquet(io.BytesIO(data))
        rows = frame.rows()
    if not wide.is_wide(frame.columns):
        return [], [error("wide_no_table", location)]
    return wide.read_rows(frame.columns, rows, location)


READERS: dict[str, Reader] = {
    ".yaml": _text_reader(canonical.read_yaml),
    ".yml": _text_reader(canonical.read_yaml),
    ".json": _text_reader(canonical.read_json),
    ".csv": _csv,
    ".xlsx": _xlsx,
    ".parquet": _parquet,
}


def read_results(path: Path, sheet: str | None = None) -> tuple[list[ResultsInput], list[Problem]]:
    """Every agency-year in a file (of a workbook: in every sheet, or only in ``sheet``). Raises
    InputError with all problems if any is an error."""
    location = where(path)
    check_input(path, location)
    suffix = path.suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        raise InputError(
            [error("unsupported_format", location, suffix=suffix or "(none)", supported=", ".join(READERS))]
        )
    if sheet is not None:
        if suffix != ".xlsx":
            raise InputError([error("sheet_not_a_workbook", location.with_(option="--sheet"), suffix=suffix)])
        reader = functools.partial(_xlsx, sheet=sheet)
    with time_limit(location):
        records, problems = reader(read_input(path, location), location)
    problems += duplicate_problems(records)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    if not records:
        raise InputError([*problems, error("no_agency_years", location)])
    return records, problems
