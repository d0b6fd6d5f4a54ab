"""Bytes to text, and the characters no text value may hold.

Files come from Thai offices: UTF-8 (with or without the BOM Excel and Notepad write), UTF-16 with
a BOM (Notepad's "Unicode"), or Windows-874, which Thai Excel writes for "CSV". UTF-8 is tried
first; a UTF-16 BOM is honoured; anything else is read as Windows-874 with a warning, unless the
bytes are not text at all. A text value may not hold control characters, lone surrogates or the
non-characters U+FFFE/U+FFFF: Word cannot store them, and they are never typed on purpose.
"""

from __future__ import annotations

import codecs
import re

from prongsai.loader.limits import LIMITS, Limits
from prongsai.problems import Location, Problem, error, label, warning

FALLBACK_ENCODING = "cp874"  # Windows Thai (TIS-620 with Windows additions)
_FALLBACK_NAME = "Windows-874 (TIS-620)"

# What XML 1.0 (so Word) cannot hold, plus DEL: tab, line feed and carriage return are allowed.
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def decode(data: bytes, location: Location) -> tuple[str | None, list[Problem]]:
    """The text of a file, or None with the reason; a fallback encoding is a warning."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            return None, [error("encoding_unknown", location)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None:
        if b"\x00" in data:
            return None, [error("text_is_binary", location)]
        try:
            text = data.decode(FALLBACK_ENCODING)
        except UnicodeDecodeError:
            return None, [error("encoding_unknown", location)]
        return text, [warning("encoding_fallback", location, encoding=_FALLBACK_NAME)]
    if "\x00" in text:
        return None, [error("text_is_binary", location)]
    return text, []


def bad_character(text: str) -> tuple[int, str] | None:
    """(position from 1, 'U+0001') of the first character no text value may hold, if any."""
    found = _BAD_CHARACTER.search(text)
    if found is None:
        return None
    return found.start() + 1, f"U+{ord(found.group()):04X}"


def value_problem(text: str, location: Location, limits: Limits = LIMITS) -> Problem | None:
    """Why a text value read from a file cannot be used (a bad character, too long), if it cannot."""
    if len(text) > limits.value_chars:
        return error(
            "text_too_long",
            location,
            length=f"{len(text):,}",
            limit=f"{limits.value_chars:,}",
        )
    found = bad_character(text)
    if found is not None:
        position, codepoint = found
        return error("text_bad_character", location, position=position, codepoint=codepoint)
    return None


def max_length_problem(text: str, location: Location, maximum: int, what: str) -> Problem | None:
    """Why a text is too long for a field that holds at most ``maximum`` characters (``what`` names
    the kind of field, a label of the message table)."""
    if len(text) <= maximum:
        return None
    return error(
        "text_longer_than_field",
        location,
        what_th=label(what, "th"),
        what_en=label(what, "en"),
        length=f"{len(text):,}",
        limit=f"{maximum:,}",
    )
