"""Opening answer and checklist files lazily (CSV, Parquet; XLSX read whole) with their columns checked.

Nothing is read here beyond the header: each opener returns a Polars LazyFrame whose columns carry
the canonical names, so the engine can stream it. Row numbers in messages are as a spreadsheet shows
them for CSV/XLSX (the header is row 1) and 1-based record numbers for Parquet.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from prongsai.errors import InputError
from prongsai.loader.source import check_input
from prongsai.loader.xlsx import read_sheets
from prongsai.problems import Location, Problem, error, suggestion_params

ANSWER_COLUMNS = ("agency", "ita_year", "tool", "respondent", "item", "answer")
CHECKLIST_COLUMNS = ("agency", "ita_year", "item", "has", "url", "assessor_verdict")
ALIASES = {
    "หน่วยงาน": "agency",
    "ปี": "ita_year",
    "year": "ita_year",
    "เครื่องมือ": "tool",
    "ผู้ตอบ": "respondent",
    "ข้อ": "item",
    "คำตอบ": "answer",
    "มี/ไม่มี": "has",
    "ผลการตรวจ": "assessor_verdict",
    "verdict": "assessor_verdict",
}
SUFFIXES = (".csv", ".parquet", ".xlsx")


@dataclass(frozen=True)
class Opened:
    frame: pl.LazyFrame
    location: Location
    header_rows: int  # added to a 0-based record index to give the row number shown to people


def _fold(text: str) -> str:
    return "_".join(unicodedata.normalize("NFC", text).replace("\ufeff", "").strip().lower().split())


def _check_header(header: Sequence[str], wanted: Sequence[str], location: Location) -> dict[str, str]:
    """Map each wanted column to the header as written; every problem is raised at once."""
    problems: list[Problem] = []
    found: dict[str, str] = {}
    for written in header:
        name = _fold(written)
        name = ALIASES.get(name, name)
        if name not in wanted:
            problems.append(
                error(
                    "answers_unknown_column",
                    location.with_(column=written),
                    column=written,
                    **suggestion_params(name, wanted),
                )
            )
        elif name in found:
            problems.append(error("table_duplicate_column", location.with_(column=written), column=written))
        else:
            found[name] = written
    missing = [name for name in wanted if name not in found]
    if missing:
        problems.append(
            error(
                "answers_missing_columns",
                location.with_(row=1),
                columns=", ".join(missing),
                required=", ".join(wanted),
            )
        )
    if problems:
        raise InputError(problems)
    return found


def _raw(path: Path, location: Location) -> tuple[pl.LazyFrame, int]:
    suffix = path.suffix.lower()
    check_input(path, location)  # missing, a folder, a device: each its own message
    if suffix not in SUFFIXES:
        raise InputError(
            [error("unsupported_format", location, suffix=suffix or "(none)", supported=", ".join(SUFFIXES))]
        )
    try:
        if suffix == ".parquet":
            return pl.scan_parquet(path), 1
        if suffix == ".xlsx":
            return _xlsx(path, location)
        with path.open("rb") as stream:
            head = stream.read(1 << 16)
        if not head.strip():
            raise InputError([error("empty_file", location)])
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
                raise InputError([error("encoding_unknown", location)]) from exc
        return pl.scan_csv(path, infer_schema=False, encoding="utf8"), 2
    except InputError:
        raise
    except Exception as exc:  # Polars and calamine raise many kinds for damaged files
        raise InputError([error("file_unreadable", location, detail=f"{type(exc).__name__}: {exc}")]) from exc


def _cell(value: object) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx(path: Path, location: Location) -> tuple[pl.LazyFrame, int]:
    """The first sheet, every cell as text, and the rows above its records (an answer file in
    Excel is small: Excel stops at 1 M rows). The header is the first row that holds anything;
    rows above it and empty columns left of the table are skipped, so the row numbers of messages
    are the sheet's own (read_sheets keeps them)."""
    sheets = read_sheets(path, location)
    rows = sheets[0].rows if sheets else []
    start = next((i for i, row in enumerate(rows) if any(_cell(c) is not None for c in row)), None)
    if start is None:
        raise InputError([error("empty_file", location)])
    body = rows[start:]
    width = max(len(r) for r in body)
    kept = [i for i in range(width) if any(i < len(r) and _cell(r[i]) is not None for r in body)]
    header = [_cell(body[0][i]) or "" for i in kept]
    columns = {
        name: [_cell(r[i]) if i < len(r) else None for r in body[1:]]
        for i, name in zip(kept, header, strict=True)
    }
    return pl.DataFrame(columns, schema=dict.fromkeys(header, pl.String)).lazy(), start + 2


def open_table(path: Path, wanted: Sequence[str]) -> Opened:
    """A lazy table with exactly the wanted columns, renamed to their canonical names."""
    location = Location(file=path.name)
    frame, header_rows = _raw(path, location)
    try:
        header = frame.collect_schema().names()
    except Exception as exc:
        raise InputError([error("file_unreadable", location, detail=f"{type(exc).__name__}: {exc}")]) from exc
    found = _check_header(header, wanted, location)
    frame = frame.select(pl.col(found[name]).alias(name) for name in wanted)
    return Opened(frame, location, header_rows)
