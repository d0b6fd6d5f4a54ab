"""Numbers written by people, read with one meaning or refused with the reason.

A score is decimal: ``92``, ``92.13``, ``๙๒.๑๓``, ``9.213e1``. A comma separates thousands, as in
Thai and English writing (``1,519`` is one thousand five hundred and nineteen, so never a score),
and is refused where it can only be a decimal comma (``92,13``). ``92%`` is 92 points. Octal, hex,
binary, underscores, sexagesimal (``1:30``), infinities and NaN are refused: YAML 1.1 gives some of
them a value (``070`` is 56 there) that nobody who typed them meant. Readers hand over what they
found (text, int, float or Decimal) and this module decides, once, for every format.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from prongsai.thai import to_arabic_digits

MAX_NUMBER_CHARS = 1_000  # longer text is not a number a person typed
SHOWN_CHARS = 40  # how much of a refused value a message repeats

_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_NOTATION = re.compile(
    r"[+-]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|\d[\d_]*_\d[\d_.]*|\d+(:[0-5]?\d)+(\.\d*)?|"
    r"\.?(inf|infinity|nan))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reading:
    """A number, or why the value is not one: 'comma' (a decimal comma), 'notation' (hex, octal,
    binary, underscores, 1:30, inf, nan), 'text' (anything else)."""

    value: Decimal | None
    reason: str | None = None
    percent: bool = False


def read_number(value: object) -> Reading:
    """What a cell or a YAML/JSON value means as a number."""
    if isinstance(value, bool):
        return Reading(None, "text")
    if isinstance(value, int):
        return Reading(Decimal(value))
    if isinstance(value, float):
        return Reading(Decimal(repr(value))) if math.isfinite(value) else Reading(None, "notation")
    if isinstance(value, Decimal):
        return Reading(value) if value.is_finite() else Reading(None, "notation")
    if not isinstance(value, str):
        return Reading(None, "text")
    text = to_arabic_digits(unicodedata.normalize("NFKC", value)).strip()
    if len(text) > MAX_NUMBER_CHARS:
        return Reading(None, "text")
    percent = text.endswith("%")
    if percent:
        text = text[:-1].rstrip()
    if _PLAIN.fullmatch(text):
        return Reading(_decimal(text), percent=percent)
    if _THOUSANDS.fullmatch(text):
        return Reading(_decimal(text.replace(",", "")), percent=percent)
    if _DECIMAL_COMMA.fullmatch(text):
        return Reading(None, "comma")
    if _NOTATION.fullmatch(text):
        return Reading(None, "notation")
    return Reading(None, "text")


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:  # not reached for text the patterns accept; kept as a guard
        return None


def shown_value(value: object) -> str:
    """A refused value as a message repeats it: booleans as written, long text cut short."""
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def plain(number: Decimal) -> str:
    """92 for 92.0, 92.13 for 92.130: how a number read from a file is repeated in a message."""
    if number == number.to_integral_value():
        return f"{number.to_integral_value():f}" if abs(number) < 10**SHOWN_CHARS else f"{number:.3e}"
    text = f"{number.normalize():f}"
    return text if len(text) <= SHOWN_CHARS else f"{number:.3e}"
