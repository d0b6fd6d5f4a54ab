"""Normalising raw document text: HTML fragments, Thai digits, OCR damage, numbering and scores.

Pure functions. Text is kept as printed (Thai digits included) except where a number is read.
"""

from __future__ import annotations

import html
import re
import unicodedata

from prongsai.codes import parse_item_code
from prongsai.importing.vocabulary import alternatives, vocabulary
from prongsai.thai import to_arabic_digits, to_thai_digits

_WORDS = vocabulary().scores

_BREAK_TAGS = re.compile(r"<\s*(?:/?p|/?li|br|/?ul|/?ol|/?div|/?tr)\b[^>]*>", re.IGNORECASE)
_OTHER_TAGS = re.compile(r"<[^>]{0,200}>")
_SPACES = re.compile(r"[ \t\u00a0\u200b\u200c\u200d\ufeff]+")
# 'ส านัก': sara am split by OCR into a space and sara aa after a consonant. Orthography, not a word
# list: a consonant, a space and sara aa never stand so in Thai.
_LOST_AM = re.compile(r"([ก-ฮ]) า")
_BULLET = "▪•●"
_NUMBER = re.compile(
    rf"^\(?\s*([0-9]{{1,3}}(?:[.][0-9]+)?)\s*\)?\s*([†*]?)\s*(?:{re.escape(_WORDS.unit)})?\s*$"
)
_LEADING_MARK = re.compile(r"^\s*(?:[-–▪•●]+|\(?[0-9๐-๙]{1,2}\s*[.)](?![0-9๐-๙])|\(\s*[0-9๐-๙]{1,2}\s*\))\s*")
# A code, or two Thai digits starting with ๑ (an IIT code whose i OCR read as ๑, seed 002). The
# latter is never followed by a full stop: "๑๐. การป้องกันการทุจริต" is a numbered label, not i10.
_CODE_TOKEN = re.compile(
    rf"^\s*(?:{alternatives(_WORDS.code_prefixes)})?\s*([ieoIEO๐0][0-9๐-๙]{{1,2}}(?=[\s:.]|$)|[๑][0-9๐-๙](?=[\s:]|$))"
)


def clean(text: str) -> str:
    """One line of text as printed: NFC, no markdown emphasis, single spaces, OCR-split sara am joined."""
    text = unicodedata.normalize("NFC", text).replace("**", "")
    text = _SPACES.sub(" ", text)
    text = _LOST_AM.sub(r"\1ำ", text)
    return text.strip()


def html_parts(raw: str) -> tuple[str, ...]:
    """A cell of extracted text split into its paragraphs: <p>, <li>, <br> and ▪ bullets start one."""
    text = _BREAK_TAGS.sub("\n", raw)
    text = html.unescape(_OTHER_TAGS.sub("", text))
    for bullet in _BULLET:
        text = text.replace(bullet, "\n" + bullet)
    parts = (clean(piece) for piece in text.split("\n"))
    return tuple(p for p in parts if p)


def squash(text: str) -> str:
    """For comparing labels: no spaces, Arabic digits, lower case."""
    return re.sub(r"\s+", "", to_arabic_digits(unicodedata.normalize("NFC", text))).lower()


def parse_number(text: str) -> tuple[str, bool] | None:
    """'๙๒.๕๒' -> ('92.52', False); '91.64†' -> ('91.64', True) (marked as computed); None if not a score."""
    match = _NUMBER.match(to_arabic_digits(text.strip()))
    if not match:
        return None
    value = match.group(1)
    if float(value) > 100:
        return None
    return value, bool(match.group(2))


def strip_marker(text: str) -> str:
    """A list item without its bullet or number: '๑. จัดทำ' -> 'จัดทำ', '▪ จัดทำ' -> 'จัดทำ'."""
    return _LEADING_MARK.sub("", text, count=1).strip()


def has_marker(text: str) -> bool:
    return bool(_LEADING_MARK.match(text))


def numbered(text: str) -> int | None:
    """The number a list item starts with: '๒. กำชับ' -> 2, '(๓) ...' -> 3; None when unnumbered."""
    match = re.match(r"^\s*\(?\s*([0-9๐-๙]{1,2})\s*[.)](?![0-9๐-๙])", text)
    return int(to_arabic_digits(match.group(1))) if match else None


def split_numbered(text: str) -> list[str]:
    """'๑.จัดทำ ก ๒.แจ้ง ข' -> ['๑.จัดทำ ก', '๒.แจ้ง ข']: splits only at the next number in sequence."""
    first = numbered(text)
    if first is None:
        return [text]
    pieces: list[str] = []
    start = 0
    expected = first + 1
    position = 0
    while True:
        numbers = f"{expected}|{to_thai_digits(str(expected))}"
        pattern = re.compile(rf"(?:^|(?<=\s)|(?<=[^\s0-9๐-๙.]))(?:\(\s*)?(?:{numbers})\s*[.)](?![0-9๐-๙])")
        match = pattern.search(text, max(position, start + 2))
        if not match:
            break
        pieces.append(text[start : match.start()].strip())
        start = match.start()
        position = match.end()
        expected += 1
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def code_token(text: str) -> tuple[str, str] | None:
    """The item code a question starts with, as printed and as read: 'e๖ หน่วยงาน...' -> ('e๖', 'e6').

    A code of Thai digits only that starts with ๑ is returned read as '?' + digits: it may be an
    IIT code whose i was read as ๑ (seed 002), which only the caller can settle."""
    match = _CODE_TOKEN.match(text)
    if not match:
        return None
    printed = match.group(1)
    if printed[0] == "๑":
        return printed, "?" + to_arabic_digits(printed)
    code = parse_item_code(printed)
    return (printed, code) if code else None


def ocr_iit_candidates(read: str) -> list[str]:
    """'?11' (printed ๑๑) -> ['i1', 'i11']: the i read as ๑, or a lost i before a printed 1."""
    digits = read[1:]
    found = []
    if len(digits) >= 2 and digits[1:] != "0" and not digits[1:].startswith("0"):
        found.append(f"i{int(digits[1:])}")
    found.append(f"i{int(digits)}")
    return found
