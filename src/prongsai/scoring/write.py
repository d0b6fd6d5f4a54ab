"""Writing SCORES (one row per agency-year, wide) as CSV, Parquet or XLSX, whole or not at all.

Agency, district and province names come from the answers file; a name a spreadsheet would run as
a formula stays text (prongsai.formulas): an apostrophe in front in CSV, a string cell in XLSX.
Scores are numbers and stay numbers."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

from prongsai.errors import InputError
from prongsai.files import write_atomically
from prongsai.formulas import NEEDS_QUOTE, as_text_cell
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


def _csv(table: pl.DataFrame) -> bytes:
    texts = pl.col(pl.String)
    safe = table.with_columns(
        pl.when(texts.str.contains(NEEDS_QUOTE)).then(pl.lit("'") + texts).otherwise(texts).name.keep()
    )
    return safe.write_csv(include_bom=True).encode("utf-8")


def _xlsx(table: pl.DataFrame) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("scores")
    sheet.append(table.columns)
    texts = {n for n, kind in enumerate(table.dtypes) if kind == pl.String}
    for row in table.iter_rows():
        cells: list[object] = list(row)
        for n in texts:
            value = cells[n]
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                as_text_cell(cell)
                cells[n] = cell
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_scores(table: pl.DataFrame, path: Path) -> None:
    check_target(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_atomically(path, _csv(table))
    elif suffix == ".parquet":
        buffer = io.BytesIO()
        table.write_parquet(buffer)
        write_atomically(path, buffer.getvalue())
    else:
        write_atomically(path, _xlsx(table))
