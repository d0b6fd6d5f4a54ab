"""Thai text helpers: digits, Buddhist-era years, display width. The one place these rules live."""

from __future__ import annotations

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
