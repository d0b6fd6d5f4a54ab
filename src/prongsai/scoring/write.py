"""Writing SCORES (one row per agency-year, wide) as CSV, Parquet or XLSX, whole or not at all."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

from prongsai.errors import InputError
from prongsai.files import write_atomically
from prongsai.problems import Location, error

FORMATS = (".csv", ".parquet", ".xlsx")


def check_target(path: Path) -> None:
    """Refuse an output name we cannot write before any work is done."""
    if path.suffix.lower() not in FORMATS:
        raise InputError(
            [
                error(
                    "unsupported_format",
                    Location(file=path.name),
                    suffix=path.suffix or "(none)",
                    supported=", ".join(FORMATS),
                )
            ]
        )


def _xlsx(table: pl.DataFrame) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("scores")
    sheet.append(table.columns)
    for row in table.iter_rows():
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_scores(table: pl.DataFrame, path: Path) -> None:
    check_target(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data = table.write_csv(include_bom=True).encode("utf-8")
        write_atomically(path, data)
    elif suffix == ".parquet":
        buffer = io.BytesIO()
        table.write_parquet(buffer)
        write_atomically(path, buffer.getvalue())
    else:
        write_atomically(path, _xlsx(table))
