"""Table headings: which column holds what, read from the heading words (not from positions)."""

from __future__ import annotations

import re

from prongsai.importing.model import Row
from prongsai.importing.normalise import parse_number, squash
from prongsai.importing.vocabulary import vocabulary

# (role, pattern on the squashed heading), from catalog/import.yaml. First match wins; None marks a
# spanning group heading.
_HEADINGS: tuple[tuple[str | None, re.Pattern[str]], ...] = tuple(
    (word.role, re.compile(word.pattern)) for word in vocabulary().headings
)


def heading_role(text: str) -> str | None:
    key = squash(text)
    for role, pattern in _HEADINGS:
        if pattern.search(key):
            return role
    return None


def header_roles(row: Row) -> dict[int, str] | None:
    """The roles of a heading row's columns, or None when the row is not a heading row: at least two
    cells must be known headings and no cell may be a score."""
    roles: dict[int, str] = {}
    known = 0
    for index, cell in enumerate(row.cells):
        if cell.empty:
            continue
        if parse_number(cell.text) is not None:
            return None
        key = squash(cell.text)
        matched = False
        for role, pattern in _HEADINGS:
            if pattern.search(key):
                matched = True
                if role is not None:
                    roles[index] = role
                break
        if matched:
            known += 1
        elif len(key) > 40:
            return None
    return roles if known >= 2 and roles else None


def merge(upper: dict[int, str], lower: dict[int, str]) -> dict[int, str]:
    """Two heading rows (a spanning group above its columns): the lower row's role wins per column."""
    merged = dict(upper)
    merged.update(lower)
    return merged
