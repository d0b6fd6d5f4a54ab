"""Where the cells of one worksheet really are, found from its XML before calamine reads it.

calamine builds a sheet as one dense grid from its first to its last cell, so a lone cell at
XFD1048576 asks for 17 billion cells (a 512 GB allocation that aborts the process, not an
exception). The grid's size must therefore be known before calamine sees the sheet, and the
``<dimension>`` element a file declares is only a claim. This module scans the worksheet's cell
tags as the inflater produces them and computes the extent the way calamine places cells: a cell
with ``r="B12"`` is there; a cell without ``r`` is one column right of the cell before it in its
row (column A first); a row without ``r`` is the row after the previous ``<row>`` element.

The scan works on the whole worksheet XML with regular expressions, not an XML parser: it only
has to find cell and row start tags, and a regex pass is many times faster than parser callbacks
on a sheet of 8,300 rows. Quoted attribute values may hold ``>`` (and, for calamine, ``<``); the
patterns allow for quotes, and every ``<c`` start that the cell pattern cannot read makes the sheet
damaged rather than skipped. Counting a tag that a parser would not (one inside a comment) can only
make the extent larger, never smaller. The XML is scanned whole, not in pieces, so that no tag is
ever split: its size is bounded by the container's limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

_NAME = rb"<(?:[A-Za-z_][\w.-]*:)?"
_ATTRS = rb"""((?:[^>"']|"[^"]*"|'[^']*')*)"""
_TAG = re.compile(_NAME + rb"(row|c)(?=[\s/>])" + _ATTRS + rb">")
_CELL_START = re.compile(_NAME + rb"c(?=[\s/>])")
_R = re.compile(rb"""(?<=\s)r\s*=\s*(["'])(.*?)\1""")
_REF = re.compile(rb"([A-Za-z]{1,9})(\d{1,9})")


class BadReference(ValueError):
    """A cell the scan cannot place: a malformed ``r`` (``r="1A"``) or an unreadable cell tag."""


@dataclass
class Extent:
    """The last row and column (1-based) that hold a cell, and the cells whose style is in ``styles``."""

    rows: int = 0
    columns: int = 0
    styled: list[tuple[int, int]] = field(default_factory=list)  # (row, column), 1-based

    @property
    def cells(self) -> int:
        """The cells of the grid from A1 to the last row and column: what the reader will hold."""
        return self.rows * self.columns


def column_number(letters: bytes | str) -> int:
    """A -> 1, AB -> 28."""
    number = 0
    for char in letters.upper() if isinstance(letters, str) else letters.decode("ascii").upper():
        number = number * 26 + ord(char) - 64
    return number


def column_letters(number: int) -> str:
    """1 -> A, 28 -> AB: the column as a spreadsheet names it."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def scan(xml: bytes, styles: frozenset[int] = frozenset()) -> Extent:
    """The extent of the cells of a worksheet's XML, and the cells (row, column) whose style index
    ``s`` is one of ``styles``. Raises BadReference for a cell it cannot place."""
    return _scan_written(xml, styles) or _scan_in_order(xml, styles)


# Forms of an ``r`` attribute other than `` r=`` (a tab or line break before it, white space after
# it): Excel, openpyxl and LibreOffice never write them, so their absence lets `` r=`` be counted.
_RARE_R = (b"\tr", b"\nr", b"\rr", b" r ", b" r\t", b" r\n", b" r\r")
_WRITTEN = re.compile(rb'<c(?: r="([A-Za-z]+)([0-9]+)"|[\s/>])')


def _scan_written(xml: bytes, styles: frozenset[int]) -> Extent | None:
    """The extent of a sheet as spreadsheet programs write it, or None when it is written otherwise.

    Programs write every cell as ``<c r="B12" ...>``, r first, with no namespace prefix. When every
    cell start is of that form, when there is no prefixed cell tag, and when the `` r=`` attributes
    in the file are exactly one per cell and one per ``<row r="...">`` (so that no cell has a second
    ``r``, which calamine would take instead of the first), the extent is the largest row and column
    of those references: found by the regex engine, with no Python step per cell."""
    if _PREFIXED_CELL.search(xml) or any(form in xml for form in _RARE_R):
        return None
    found = _WRITTEN.findall(xml)
    letters = {letters for letters, _ in found}
    if b"" in letters or xml.count(b" r=") != len(found) + xml.count(b'<row r="'):
        return None
    extent = Extent()
    if found:
        extent.columns = max(column_number(x) for x in letters)
        extent.rows = max(int(digits) for digits in {digits for _, digits in found})
    if styles:
        for attributes in _styled_cells(styles).findall(xml):
            reference = _R.search(attributes)
            if reference is not None:
                extent.styled.append(_cell_ref(reference.group(2)))
    return extent


_PREFIXED_CELL = re.compile(rb":c[\s/>]")


def _scan_in_order(xml: bytes, styles: frozenset[int]) -> Extent:
    """Cells placed as calamine places them: a cell without r goes one column right of the cell
    before it in the row; a row without r is the one after the previous row element."""
    extent = Extent()
    row_element = 0
    column = 0
    cells = 0
    for match in _TAG.finditer(xml):
        attributes = match.group(2)
        if match.group(1) == b"row":
            row_element = _row_number(attributes, row_element)
            column = 0
            continue
        cells += 1
        references = _R.findall(attributes)
        if len(references) > 1:  # calamine would take the last, a scan the first: no one meaning
            raise BadReference(b" ".join(value for _, value in references).decode("latin-1"))
        reference = _R.search(attributes)
        if reference is None:
            row, column = row_element, column + 1
        else:
            row, column = _cell_ref(reference.group(2))
        extent.rows = max(extent.rows, row)
        extent.columns = max(extent.columns, column)
        if styles and _style_of(attributes) in styles:
            extent.styled.append((row, column))
    if cells != len(_CELL_START.findall(xml)):  # a cell tag the pattern could not read
        raise BadReference("<c")
    return extent


@cache
def _styled_cells(styles: frozenset[int]) -> re.Pattern[bytes]:
    """Cell tags whose ``s`` is one of ``styles``, found by the regex engine, not a Python loop."""
    numbers = b"|".join(str(n).encode() for n in sorted(styles))
    wanted = rb"""(?=(?:[^>"']|"[^"]*"|'[^']*')*?(?<=\s)s\s*=\s*["'](?:""" + numbers + rb""")["'])"""
    return re.compile(_NAME + rb"c(?=\s)" + wanted + _ATTRS + rb">")


_S = re.compile(rb"""(?<=\s)s\s*=\s*["'](\d+)["']""")


def _style_of(attributes: bytes) -> int | None:
    style = _S.search(attributes)
    return int(style.group(1)) if style is not None else None


def _row_number(attributes: bytes, previous: int) -> int:
    reference = _R.search(attributes)
    if reference is None:
        return previous + 1
    if not reference.group(2).isdigit():
        raise BadReference(reference.group(2).decode("latin-1"))
    return int(reference.group(2))


def _cell_ref(value: bytes) -> tuple[int, int]:
    match = _REF.fullmatch(value)
    if match is None:
        raise BadReference(value.decode("latin-1"))
    return int(match.group(2)), column_number(match.group(1))
