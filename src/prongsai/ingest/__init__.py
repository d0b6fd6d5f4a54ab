"""Reading results files. One reader per file kind, registered by suffix in ``READERS``."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from prongsai.errors import InputError
from prongsai.ingest import canonical, table, wide
from prongsai.problems import Location, Problem, error
from prongsai.results import ResultsInput

Reader = Callable[[Path, Location], tuple[list[ResultsInput], list[Problem]]]


def _text_reader(parse: Callable[[str, Location], tuple[list[ResultsInput], list[Problem]]]) -> Reader:
    def read(path: Path, location: Location) -> tuple[list[ResultsInput], list[Problem]]:
        data = path.read_bytes()
        if not data.strip():
            return [], [error("empty_file", location)]
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [error("encoding_unknown", location)]
        return parse(text, location)

    return read


def _csv(path: Path, location: Location) -> tuple[list[ResultsInput], list[Problem]]:
    data = path.read_bytes()
    text, problems = table._decode(data, location)
    if text and text.strip():
        first_line = text.splitlines()[0]
        delimiter = max(",;\t", key=first_line.count)
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        if wide.is_wide(rows[0]):
            records, found = wide.read_rows(rows[0], rows[1:], location)
            return records, problems + found
    return table.read_csv(data, location)


def _xlsx(path: Path, location: Location) -> tuple[list[ResultsInput], list[Problem]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        name = workbook.sheet_names[0]
        rows = [list(row) for row in workbook.get_sheet_by_name(name).to_python()]
    except Exception:  # let the long-form reader report the damage in its words
        return table.read_xlsx(path, location)
    if rows and wide.is_wide(rows[0]):
        return wide.read_rows(rows[0], rows[1:], location, sheet=name)
    return table.read_xlsx(path, location)


READERS: dict[str, Reader] = {
    ".yaml": _text_reader(canonical.read_yaml),
    ".yml": _text_reader(canonical.read_yaml),
    ".json": _text_reader(canonical.read_json),
    ".csv": _csv,
    ".xlsx": _xlsx,
    ".parquet": wide.read_parquet,
}


def read_results(path: Path) -> tuple[list[ResultsInput], list[Problem]]:
    """Every agency-year in a file. Raises InputError with all problems if any is an error."""
    location = Location(file=path.name)
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError([error("file_not_found", location, path=str(path))])
    if path.is_dir():
        raise InputError([error("file_unreadable", location, detail="it is a folder")])
    reader = READERS.get(suffix)
    if reader is None:
        raise InputError(
            [error("unsupported_format", location, suffix=suffix or "(none)", supported=", ".join(READERS))]
        )
    try:
        records, problems = reader(path, location)
    except OSError as exc:
        raise InputError([error("file_unreadable", location, detail=exc.strerror or str(exc))]) from exc
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return records, problems
