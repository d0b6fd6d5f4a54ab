"""Reading an XLSX workbook: every worksheet as rows of cells, after the file proved harmless.

calamine is fast but trusts its input: a lone cell at XFD1048576 makes it allocate a 512 GB grid
(the process aborts), and it inflates zip members as they come. So before calamine sees the file,
:func:`read_sheets` checks the container (:func:`prongsai.loader.archive.check_zip`), proves every
member unpacks to its declared size, and scans each worksheet's XML for the real extent of its
cells (:mod:`prongsai.loader.xlsx_extent`); a sheet over the ``rows``, ``columns`` or ``cells``
limit is refused there. ``<dimension>`` is never read: calamine 0.9 sizes its grid from the cells
it finds, not from that element (measured: a workbook declaring A1:XFD1048576 with three cells is
read in 3 ms at 10 MB), and the extent scan makes the same choice.

Rows come back as a spreadsheet numbers them: ``rows[0]`` is row 1 and ``rows[r][c]`` is row
``r + 1``, column ``c + 1``, leading empty rows and columns kept (calamine's ``to_python()`` drops
them by default; ``skip_empty_area=False`` keeps them), so messages name the right row and column.
An empty cell is None. A number in a cell formatted as a percentage becomes the text it shows as
points, exactly: 0.92 -> "92%", 0.9213 -> "92.13%".
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from prongsai.errors import InputError
from prongsai.loader.archive import damaged, member_chunks, open_zip, read_member
from prongsai.loader.limits import LIMITS, Limits, check_time, over_limit, time_limit
from prongsai.loader.source import read_input, rust_panic
from prongsai.loader.xlsx_extent import BadReference, Extent, column_letters, scan
from prongsai.loader.xlsx_parts import workbook_parts
from prongsai.problems import Location, error


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[object]]


def read_sheets(source: Path | bytes, location: Location, limits: Limits = LIMITS) -> list[Sheet]:
    """Every worksheet of the workbook, in order; raises InputError (located, in Thai and English)
    for a file that is not an XLSX, is damaged, or goes over a limit."""
    with time_limit(location, limits.seconds):
        data = read_input(source, location, limits) if isinstance(source, Path) else source
        if len(data) > limits.file_bytes:
            raise over_limit("file_bytes", location, limits.file_bytes, len(data))
        extents = preflight(data, location, limits)
        with _calamine_errors(location):
            from python_calamine import CalamineWorkbook

            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            return [_sheet(workbook, name, extent, location, limits) for name, extent in extents]
        finally:
            workbook.close()


def preflight(data: bytes, location: Location, limits: Limits = LIMITS) -> list[tuple[str, Extent]]:
    """Each worksheet's name and the extent of its cells, once the container and every sheet
    proved within the limits. Nothing here asks calamine anything."""
    with open_zip(data, location, limits, kind="xlsx") as archive:
        parts = workbook_parts(data, archive, location, limits)
        sheet_members = {info.filename for _, info in parts.sheets}
        for info in archive.infolist():  # the members calamine may inflate itself
            if info.filename not in sheet_members:
                for _ in member_chunks(data, info, location, limits, kind="xlsx"):
                    check_time()
        found: list[tuple[str, Extent]] = []
        for name, info in parts.sheets:
            check_time()
            where = location.with_(sheet=name)
            xml = read_member(data, info, where, limits, kind="xlsx")
            try:
                extent = scan(xml, parts.percent_styles)
            except BadReference as exc:
                raise damaged(where, "xlsx", f"cell reference '{exc}'") from None
            del xml
            _check_extent(extent, where, limits)
            found.append((name, extent))
    return found


def _check_extent(extent: Extent, where: Location, limits: Limits) -> None:
    if extent.rows > limits.rows:
        raise over_limit("rows", where, limits.rows, extent.rows)
    if extent.columns > limits.columns:
        raise over_limit("columns", where, limits.columns, extent.columns)
    if extent.cells > limits.cells:
        raise over_limit("cells", where, limits.cells, extent.cells)


def _sheet(workbook: Any, name: str, extent: Extent, location: Location, limits: Limits) -> Sheet:
    where = location.with_(sheet=name)
    with _calamine_errors(where):
        raw = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False) if extent.rows else []
    check_time()
    rows: list[list[object]] = [[None if value == "" else value for value in row] for row in raw]
    if max(map(len, [v for row in raw for v in row if type(v) is str]), default=0) > limits.value_chars:
        _refuse_long_text(rows, where, limits)
    check_time()
    for row_number, column in extent.styled:
        if row_number <= len(rows) and column <= len(rows[row_number - 1]):
            cells = rows[row_number - 1]
            cells[column - 1] = percent_text(cells[column - 1])
    return Sheet(name, rows)


def _refuse_long_text(rows: list[list[object]], where: Location, limits: Limits) -> None:
    """The value_chars error at the first text cell longer than the limit."""
    for number, row in enumerate(rows, start=1):
        for index, value in enumerate(row):
            if isinstance(value, str) and len(value) > limits.value_chars:
                at = where.with_(row=number, column=column_letters(index + 1))
                raise over_limit("value_chars", at, limits.value_chars, len(value))


def percent_text(value: object) -> object:
    """A number shown as a percentage, as the text it shows (0.9213 -> "92.13%"), computed in
    decimal from the number's shortest repr so that no float noise (92.13000000000001) appears.
    Anything else (text, a date, a blank) is left as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return value
    points = (Decimal(repr(value)) * 100).normalize()
    return f"{points:f}%"


@contextmanager
def _calamine_errors(location: Location) -> Iterator[None]:
    """calamine's exceptions (and a Rust panic, which pyo3 raises as a BaseException) as the located
    'cannot open the Excel file' problem."""
    from python_calamine import CalamineError

    try:
        yield
    except (CalamineError, ValueError, TypeError, OverflowError, UnicodeError, OSError) as exc:
        raise InputError([error("xlsx_unreadable", location, detail=_detail(exc))]) from None
    except BaseException as exc:
        if not rust_panic(exc):
            raise
        raise InputError([error("xlsx_unreadable", location, detail=_detail(exc))]) from None


def _detail(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
