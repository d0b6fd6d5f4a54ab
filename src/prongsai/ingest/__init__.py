"""Reading results files. One reader per file kind, registered by suffix in ``READERS``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from prongsai.errors import InputError
from prongsai.ingest import canonical, table
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
    return table.read_csv(path.read_bytes(), location)


READERS: dict[str, Reader] = {
    ".yaml": _text_reader(canonical.read_yaml),
    ".yml": _text_reader(canonical.read_yaml),
    ".json": _text_reader(canonical.read_json),
    ".csv": _csv,
    ".xlsx": table.read_xlsx,
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
