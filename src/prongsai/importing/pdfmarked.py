"""The text of each marked-content id (MCID) on one page of a tagged PDF, read in one pass.

A structure element's text is the text of its marked content: ``/ActualText`` where a span has it,
else each glyph through the font's ToUnicode map (PDF 32000-1 §14.9.4). Lines of text on one
element are joined by ``_append``'s rule. Chromium writes one operator per line; one regular
expression reads its lines, and a whole run of glyph lines and ActualText spans that stays on one
text line is one match, split by a second expression. Anything else goes through pdfcontent's
general tokenizer, under the same rules.
"""

from __future__ import annotations

import re
from typing import Any

from prongsai.importing.pdfcontent import strip_drawing, text_string, tokens


class Glyphs(dict[int, str]):
    """A font's ToUnicode map as a ``str.translate`` table: an unmapped glyph gives no text."""

    def __missing__(self, code: int) -> str:
        return ""


NO_FONT = Glyphs()

_N = rb"[-+]?(?:\d+\.?\d*|\.\d+)"
_HEX = rb"<[0-9A-Fa-f]*>"
_NL = rb"[ \t\r]*\n[ \t]*"
# a glyph line that stays on the text line: no Td, or one whose y is zero (what float() reads as 0)
_STAY = rb"(?:[-+\d.]+ [-+]?(?:0+\.?0*|\.0+) Td )?" + _HEX + rb" Tj"
_SPAN = rb"/\w+\s*<<\s*/ActualText\s*" + _HEX + rb"\s*>>\s*BDC(?:" + _NL + _STAY + rb")*" + _NL + rb"EMC"
_FIRST = rb"(?:[-+\d.]+ (?P<y>[-+\d.]+) Td )?" + _HEX + rb" Tj"
_EVENT = re.compile(
    rb"^(?:[ \t]*(?:BT|ET)[ \t\r]*\n)*[ \t]*(?:"  # BT and ET change nothing here
    rb"(?P<run>(?:" + _FIRST + rb"|" + _SPAN + rb")(?:" + _NL + rb"(?:" + _STAY + rb"|" + _SPAN + rb"))*)"
    rb"|(?P<mcid>/\w+\s*<<\s*/MCID\s+(?P<number>\d+)\s*>>\s*BDC)"
    rb"|(?P<emc>EMC)"
    rb"|(?P<font>/(?P<name>[^\s/\[\]()<>{}%]+)\s+" + _N + rb"\s+Tf)"
    rb"|(?P<tm>(?:" + _N + rb"\s+){5}(?P<tmy>" + _N + rb")\s+Tm)"
    rb"|(?P<actual>/\w+\s*<<\s*/ActualText\s*<(?P<text>[0-9A-Fa-f]*)>\s*>>\s*BDC)"
    rb"|(?P<bt>BT|ET)"
    rb")[ \t\r]*(?:\n|\Z)",
    re.M,
)
# inside a run: an ActualText span (its glyphs are not read) or one glyph
_PART = re.compile(rb"(ActualText)\s*<([0-9A-Fa-f]*)>.*?EMC|<([0-9A-Fa-f]*)> Tj", re.S)


def glyph_text(raw: bytes, glyphs: Glyphs) -> str:
    """Two-byte glyph codes through a font's map (C-speed when the codes read as UTF-16)."""
    if len(raw) % 2 == 0:
        codes = raw.decode("utf-16-be", "surrogatepass")
        if len(codes) * 2 == len(raw):  # no surrogate pair merged two codes
            return codes.translate(glyphs)
    return "".join(glyphs[int.from_bytes(raw[i : i + 2], "big")] for i in range(0, len(raw), 2))


def append(pieces: list[str], piece: str, new_line: bool) -> None:
    """Lines of one paragraph join without a space between Thai letters (Thai wraps inside phrases)
    and with one elsewhere (a wrapped space between words, digits or Latin text)."""
    if new_line and pieces and pieces[-1] and piece:
        before, after = pieces[-1][-1], piece[0]
        if not (_is_thai(before) and _is_thai(after)) and not before.isspace() and not after.isspace():
            pieces.append(" ")
    pieces.append(piece)


def _is_thai(char: str) -> bool:
    return "\u0e00" <= char <= "\u0e7f"


class _Page:
    """The reading state: open marked content, the font, whether the text moved to a new line."""

    def __init__(self, fonts: dict[str, Glyphs]) -> None:
        self.fonts = fonts
        self.texts: dict[int, list[str]] = {}
        self.stack: list[tuple[str | None, int | None]] = []  # (ActualText, owner before it)
        self.owner: int | None = None  # the innermost open MCID
        self.hidden = 0  # open ActualText spans: the glyphs inside them are not read
        self.glyphs = NO_FONT
        self.moved = False
        self.last_y: float | None = None

    def add(self, piece: str) -> None:
        assert self.owner is not None
        append(self.texts.setdefault(self.owner, []), piece, self.moved)
        self.moved = False

    def push(self, mcid: int | None, actual: str | None) -> None:
        self.stack.append((actual, self.owner))
        if mcid is not None:
            self.owner = mcid
        if actual is not None:
            self.hidden += 1

    def pop(self) -> None:
        if not self.stack:
            return
        actual, self.owner = self.stack.pop()
        if actual is not None:
            self.hidden -= 1
            if self.owner is not None:
                self.add(actual)

    def tm(self, y: float) -> None:
        self.moved = self.moved or (self.last_y is not None and abs(y - self.last_y) > 0.01)
        self.last_y = y

    def run(self, run: bytes, y: bytes | None) -> None:
        """Glyph lines and ActualText spans on one text line (only the first may move down)."""
        if y is not None and float(y) != 0:
            self.moved = True
        if self.owner is None or self.hidden:
            return
        pieces: list[str] = []
        hexes: list[bytes] = []
        for span, text, glyph in _PART.findall(run):
            if span:
                if hexes:
                    pieces.append(glyph_text(bytes.fromhex(b"".join(hexes).decode("ascii")), self.glyphs))
                    hexes = []
                pieces.append(text_string(bytes.fromhex(text.decode("ascii"))))
            else:
                hexes.append(glyph)
        if hexes:
            pieces.append(glyph_text(bytes.fromhex(b"".join(hexes).decode("ascii")), self.glyphs))
        self.add(pieces[0])
        self.texts[self.owner].extend(pieces[1:])

    def operation(self, operands: list[Any], operator: bytes) -> None:
        """One operator from the general tokenizer."""
        if operator == b"Tf" and operands:
            self.glyphs = self.fonts.get("/" + str(operands[0]), NO_FONT)
        elif (
            operator in (b"Td", b"TD") and len(operands) >= 2 and float(operands[1]) != 0
        ) or operator == b"T*":
            self.moved = True
        elif operator == b"Tm" and len(operands) >= 6:
            self.tm(float(operands[5]))
        elif operator in (b"BDC", b"BMC"):
            props = operands[1] if operator == b"BDC" and len(operands) > 1 else None
            mcid = actual = None
            if isinstance(props, dict):
                mcid = int(props["MCID"]) if "MCID" in props else None
                actual = text_string(props["ActualText"]) if "ActualText" in props else None
            self.push(mcid, actual)
        elif operator == b"EMC":
            self.pop()
        elif (
            operator in (b"Tj", b"TJ", b"'", b'"') and operands and not self.hidden and self.owner is not None
        ):
            strings = operands[0] if operator == b"TJ" else [operands[-1]]
            for raw in strings if isinstance(strings, list) else []:
                if isinstance(raw, bytes):
                    self.add(glyph_text(raw, self.glyphs))


def marked_texts(data: bytes, fonts: dict[str, Glyphs]) -> dict[int, str]:
    """The text of each MCID in one page's (decoded) content; ``fonts`` by resource name."""
    page = _Page(fonts)
    data = strip_drawing(data)
    position = 0
    for match in _EVENT.finditer(data):
        start = match.start()
        if start > position and data[position:start].strip():
            for operands, operator in tokens(data[position:start]):
                page.operation(operands, operator)
        position = match.end()
        kind = match.lastgroup
        if kind == "run":
            page.run(match.group("run"), match.group("y"))
        elif kind == "emc":
            page.pop()
        elif kind == "mcid":
            page.push(int(match.group("number")), None)
        elif kind == "font":
            page.glyphs = fonts.get("/" + match.group("name").decode("latin-1"), NO_FONT)
        elif kind == "tm":
            page.tm(float(match.group("tmy")))
        elif kind == "actual":
            page.push(None, text_string(bytes.fromhex(match.group("text").decode("ascii"))))
    if position < len(data) and data[position:].strip():
        for operands, operator in tokens(data[position:]):
            page.operation(operands, operator)
    return {mcid: "".join(parts) for mcid, parts in page.texts.items()}
