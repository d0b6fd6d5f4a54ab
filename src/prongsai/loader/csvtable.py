"""CSV bytes to rows of text, strictly: a quote left open, a quote inside a quoted field, a field
over the length limit or a row with more fields than the header is a located problem, never a
silently merged or shifted row (a name with an unquoted comma used to become a fake agency and cost
a score). A cell that starts with an apostrophe before ``= + - @``, tab or carriage return is read
without the apostrophe: prongsai's own CSV writers put it there so that spreadsheets do not run the
text as a formula (docs/security.md).
"""

from __future__ import annotations

import csv
import io
import re

from prongsai.errors import InputError
from prongsai.loader.limits import LIMITS, Limits, check_time, over_limit
from prongsai.loader.text import decode, value_problem
from prongsai.problems import Location, Problem, error

DELIMITERS = ",;\t"
FORMULA_GUARD = re.compile(r"^'(?='*[=+\-@\t\r\x00])")
_CHECK_EVERY = 4_096


def sniff_delimiter(first_line: str) -> str:
    """Comma, semicolon (Excel in locales with a decimal comma) or tab: the most frequent one."""
    return max(DELIMITERS, key=first_line.count)


def read_csv_rows(
    data: bytes, location: Location, limits: Limits = LIMITS
) -> tuple[list[list[str]] | None, list[Problem]]:
    """Every row of a CSV file as text cells (row 1 is the header); None when the file cannot be read.

    Problems located by row (the spreadsheet row: the record's number, whatever lines its quoted
    cells span) and column (the header's name for the column, or its position)."""
    text, problems = decode(data, location)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [*problems, error("empty_file", location)]
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    csv.field_size_limit(limits.value_chars)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    header: list[str] = []
    while True:
        number = len(rows) + 1
        if number % _CHECK_EVERY == 0:
            check_time()
        started = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            return None, [*problems, _csv_problem(str(exc), location, number, started, limits)]
        if number > limits.rows:
            raise over_limit("rows", location.with_(row=number), limits.rows)
        if len(row) > limits.columns:
            raise over_limit("columns", location.with_(row=number), limits.columns, len(row))
        row = [FORMULA_GUARD.sub("", cell, count=1) for cell in row]
        if number == 1:
            header = row
        else:
            problems += _width_problems(row, header, location.with_(row=number))
        for index, cell in enumerate(row):
            if cell and not cell.isprintable():
                column = header[index] if index < len(header) and header[index] else str(index + 1)
                found = value_problem(cell, location.with_(row=number, column=column), limits)
                if found is not None:
                    problems.append(found)
        rows.append(row)
    return rows, problems


def _width_problems(row: list[str], header: list[str], where: Location) -> list[Problem]:
    """A row with more non-blank fields than the header has columns: a delimiter inside an
    unquoted value shifted its cells. Missing trailing fields are blank cells (some programs drop
    them); the table reader reports a required one that is missing."""
    extra = [cell for cell in row[len(header) :] if cell.strip()]
    if not extra or not header:
        return []
    return [error("csv_extra_fields", where, count=len(row), columns=len(header), first=extra[0][:40])]


def _csv_problem(message: str, location: Location, row: int, line: int, limits: Limits) -> Problem:
    where = location.with_(row=row, line=line if line != row else None)
    if "field larger than field limit" in message:
        found = over_limit("value_chars", where, limits.value_chars)
        return found.problems[0]
    if "unexpected end of data" in message:
        return error("csv_unclosed_quote", where)
    if "expected after" in message:
        return error("csv_quote_inside", where)
    return error("csv_unreadable", where, detail=message)


def raise_if_errors(problems: list[Problem]) -> None:
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
