"""Thai text helpers: digits, Buddhist-era years, display width. The one place these rules live."""

from __future__ import annotations

import re
import unicodedata

_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(_THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", _THAI_DIGITS)
BE_OFFSET = 543


def to_arabic_digits(text: str) -> str:
    """Replace Thai digits with Arabic ones: '๙๒.๕๒' -> '92.52'."""
    return text.translate(_TO_ARABIC)


def to_thai_digits(text: str) -> str:
    """Replace Arabic digits with Thai ones: '92.52' -> '๙๒.๕๒'."""
    return text.translate(_TO_THAI)


# Web and e-mail addresses are addresses, not numbers: a document keeps their digits as written.
_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s<>\"']+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)


def to_digits(text: str, *, thai: bool) -> str:
    """Every digit of a text in one style, Thai ('๙๒.๕๒') or Arabic ('92.52'); item codes follow
    (i๑ / i1), web and e-mail addresses keep theirs. The one conversion a document goes through."""
    table = _TO_THAI if thai else _TO_ARABIC
    if "@" not in text and "www." not in text and "://" not in text:
        return text.translate(table)
    out: list[str] = []
    last = 0
    for match in _ADDRESS.finditer(text):
        out += [text[last : match.start()].translate(table), match.group(0)]
        last = match.end()
    out.append(text[last:].translate(table))
    return "".join(out)


def format_score(value: float, *, thai_digits: bool = False) -> str:
    """A score as documents print it: two decimals, optionally in Thai digits."""
    text = f"{value:.2f}"
    return to_thai_digits(text) if thai_digits else text


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: Thai vowel and tone marks above/below take none."""
    return sum(
        0 if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf") else 1 for ch in text
    )


def pad(text: str, width: int, *, right: bool = False) -> str:
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill


# --------------------------------------------------------------------------------------------------
# Fiscal years, quarters and month names
# --------------------------------------------------------------------------------------------------


def fiscal_year_be(year_ce: int, month: int) -> int:
    """The Buddhist-era fiscal year a date falls in: October starts the next fiscal year."""
    return year_ce + BE_OFFSET + (1 if month >= 10 else 0)


def quarter_months(quarter: int) -> tuple[int, int]:
    """Calendar months (first, last) of fiscal quarter 1-4: 1 = Oct-Dec ... 4 = Jul-Sep."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"a fiscal quarter is 1 to 4, not {quarter}")
    first = (10 + 3 * (quarter - 1) - 1) % 12 + 1
    return first, (first + 1) % 12 + 1


def month_year_be(fiscal_year: int, month: int) -> int:
    """The Buddhist-era calendar year of a month inside a fiscal year (Oct-Dec belong to the year before)."""
    return fiscal_year - 1 if month >= 10 else fiscal_year
