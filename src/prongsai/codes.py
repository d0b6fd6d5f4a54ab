"""Reading score keys as people write them: 'i1', 'I1', 'ข้อ i1', 'E๑', '๐๑๑' (o11), 'ind4', 'IIT'.

Forgiving about spelling, strict about meaning: a key either reads as exactly one thing or is
reported as unreadable; whether it exists in a given ITA year is checked elsewhere.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from prongsai.thai import to_arabic_digits

KeyKind = Literal["overall", "level", "tool", "part", "indicator", "item"]

_OVERALL = {"overall", "total", "ita", "ภาพรวม", "คะแนนรวม", "คะแนนภาพรวม"}
_LEVEL = {"level", "ระดับ", "ระดับผลการประเมิน"}
_TOOLS = {"iit": "IIT", "eit": "EIT", "oit": "OIT"}
_ITEM = re.compile(r"^([ieo])0*([1-9][0-9]?)$")
_OCR_OIT = re.compile(r"^0([0-9]{1,2})$")  # a Thai or Arabic zero standing for the letter o: ๐๑๑ -> o11
_PART = re.compile(r"^eit[-_.]?(?:ส่วนที่|part)?([12])$")
_INDICATOR = re.compile(r"^(?:ind|indicator|ตัวชี้วัดที่|ตัวชี้วัด)0*([1-9][0-9]?)$")
_BARE_NUMBER = re.compile(r"^0*([1-9][0-9]?)$")
_PREFIXES = ("ข้อคำถาม", "ข้อ")


@dataclass(frozen=True)
class Key:
    kind: KeyKind
    value: str | int | None = None

    @property
    def label(self) -> str:
        """Canonical spelling, as in the long-form table's code column."""
        if self.kind in ("overall", "level"):
            return self.kind
        if self.kind == "indicator":
            return f"ind{self.value}"
        return str(self.value)


def _squash(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = to_arabic_digits(text).strip().lower()
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    return re.sub(r"\s+", "", text)


def parse_item_code(text: str) -> str | None:
    """'E๑' -> 'e1', 'ข้อ i1' -> 'i1', '๐๑๑' -> 'o11'; None when it is not an item code."""
    squashed = _squash(text)
    match = _ITEM.match(squashed)
    if match:
        return f"{match.group(1)}{int(match.group(2))}"
    match = _OCR_OIT.match(squashed)
    if match and int(match.group(1)) > 0:
        return f"o{int(match.group(1))}"
    return None


def parse_indicator(text: str | int) -> int | None:
    """1, '1', '๑', 'ind1', 'ตัวชี้วัดที่ ๑' -> 1; None when unreadable (range is checked by the caller)."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text
    squashed = _squash(text)
    match = _INDICATOR.match(squashed) or _BARE_NUMBER.match(squashed)
    return int(match.group(1)) if match else None


def parse_tool(text: str) -> str | None:
    """'iit' -> 'IIT'; parts are read by :func:`parse_key`."""
    return _TOOLS.get(_squash(text))


def parse_key(text: str) -> Key | None:
    """Any score key of the long-form table's code column."""
    squashed = _squash(text)
    if squashed in _OVERALL:
        return Key("overall")
    if squashed in _LEVEL:
        return Key("level")
    if squashed in _TOOLS:
        return Key("tool", _TOOLS[squashed])
    part = _PART.match(squashed)
    if part:
        return Key("part", f"EIT{part.group(1)}")
    indicator = _INDICATOR.match(squashed)
    if indicator:
        return Key("indicator", int(indicator.group(1)))
    item = parse_item_code(text)
    if item:
        return Key("item", item)
    return None
