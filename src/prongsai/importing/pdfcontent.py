"""A small, fast reader of PDF page content streams: only what the text layer needs.

pypdf's general parser builds an object for every operand and takes seconds on a 20-page report;
this tokenizer reads the same operators (BDC/BMC/EMC, Tf, Td/TD/T*/Tm, Tj/TJ/'/") from the
decoded stream with one regular expression and hands each operator its operands as plain values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_TOKEN = re.compile(
    rb"\s*(?:(<<)|(>>)|(\[)|(\])|<([0-9A-Fa-f\s]*)>|(\()|/([^\s/\[\]()<>{}%]*)"
    rb"|([+-]?(?:\d+\.?\d*|\.\d+))|([A-Za-z'\"*][A-Za-z0-9'\"*]*)|(%[^\r\n]*))"
)
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


class Name(str):
    """A PDF name (/MCID), told apart from a string."""


def _literal(data: bytes, start: int) -> tuple[bytes, int]:
    """A (string) starting after its opening parenthesis: its bytes and the position after it."""
    out = bytearray()
    depth = 1
    i = start
    while i < len(data):
        c = data[i]
        if c == 0x5C:  # backslash
            i += 1
            nxt = data[i]
            if nxt in _ESCAPES:
                out += _ESCAPES[nxt]
            elif 0x30 <= nxt <= 0x37:
                digits = data[i : i + 3]
                count = 1
                while count < len(digits) and 0x30 <= digits[count] <= 0x37:
                    count += 1
                out.append(int(digits[:count], 8) & 0xFF)
                i += count - 1
            elif nxt in (0x0A, 0x0D):
                pass
            else:
                out.append(nxt)
        elif c == 0x28:
            depth += 1
            out.append(c)
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
            out.append(c)
        else:
            out.append(c)
        i += 1
    return bytes(out), i


# whole lines that only build or paint paths or set line styles: text needs none of them
_PATH = rb"[-+\d. ]*+(?:re|f\*?|m|l|c|v|y|h|S|s|B\*?|b\*?|n|W\*? n|w|J|j|M|i)"
# q, Q and cm lines: only needed where glyph positions matter (untagged PDFs); colour and
# graphics-state lines ("0 0 0 RG 0 0 0 rg", "/G3 gs"): text read through its tags needs none
_STATE = rb"[-+\d. ]*+cm|q|Q|(?:[-+\d. ]*+(?:RG|rg|G|g|K|k)[ \t]*)++|/[^\s/\[\]()<>{}%]+ gs"
_END = rb"[ \t\r]*(?:\n|\Z)"
_PATH_LINES = re.compile(rb"^[ \t]*(?:" + _PATH + rb")" + _END, re.M)
_DRAWING_LINES = re.compile(rb"^[ \t]*(?:" + _PATH + rb"|" + _STATE + rb")" + _END, re.M)


def strip_drawing(data: bytes, positions: bool = False) -> bytes:
    """The content without the lines that only draw (one C-speed pass); with ``positions`` the
    lines that place things (q, Q, cm) stay."""
    return (_PATH_LINES if positions else _DRAWING_LINES).sub(b"", data)


def operations(data: bytes) -> Iterator[tuple[list[Any], bytes]]:
    """(operands, operator) pairs, every glyph with its position (what an untagged PDF needs;
    ``pdfmarked`` reads tagged pages). Lines that only draw are dropped first. Chromium writes one
    operator per line; its common lines (glyph runs, marked content, fonts, text matrices) are read
    by one regular expression, anything else by the general tokenizer."""
    data = strip_drawing(data, positions=True)
    position = 0
    for line in _FAST.finditer(data):
        if line.start() > position and data[position : line.start()].strip():
            yield from tokens(data[position : line.start()])
        position = line.end()
        kind = line.lastgroup
        if kind == "span":
            yield from tokens(line.group(0))
        elif kind == "glyphs":
            yield from _glyph_run(line.group(0))
        elif kind == "actual":
            yield (
                [Name(line["tag"].decode("latin-1")), {"ActualText": bytes.fromhex(line["text"].decode())}],
                b"BDC",
            )
        elif kind == "mcid":
            yield [Name(line["tag2"].decode("latin-1")), {"MCID": float(line["mcidv"])}], b"BDC"
        elif kind == "emc":
            yield [], b"EMC"
        elif kind == "font":
            yield [Name(line["fontname"].decode("latin-1")), float(line["size"])], b"Tf"
        elif kind == "tm":
            yield [float(v) for v in line["tmv"].split()], b"Tm"
    if position < len(data) and data[position:].strip():
        yield from tokens(data[position:])


_GLYPH_TEXT = rb"(?:[-+\d.]+ [-+\d.]+ Td )?<[0-9A-Fa-f]*> Tj"
_GLYPH = re.compile(rb"(?:([-+\d.]+) ([-+\d.]+) Td )?<([0-9A-Fa-f]*)> Tj")
_N = rb"[-+]?(?:\d+\.?\d*|\.\d+)"
_FAST = re.compile(
    rb"^[ \t]*(?:"
    rb"(?P<glyphs>" + _GLYPH_TEXT + rb"(?:[ \t\r]*\n[ \t]*" + _GLYPH_TEXT + rb")*)"
    rb"|(?P<span>/\w+\s*<<\s*/ActualText\s*<(?P<spantext>[0-9A-Fa-f]*)>\s*>>\s*BDC"
    rb"(?:[ \t\r]*\n[ \t]*" + _GLYPH_TEXT + rb")*[ \t\r]*\n[ \t]*EMC)"
    rb"|(?P<actual>/(?P<tag>\w+)\s*<<\s*/ActualText\s*<(?P<text>[0-9A-Fa-f]*)>\s*>>\s*BDC)"
    rb"|(?P<mcid>/(?P<tag2>\w+)\s*<<\s*/MCID\s+(?P<mcidv>\d+)\s*>>\s*BDC)"
    rb"|(?P<emc>EMC)|(?P<bt>BT|ET)"
    rb"|(?P<font>/(?P<fontname>[^\s/\[\]()<>{}%]+)\s+(?P<size>" + _N + rb")\s+Tf)"
    rb"|(?P<tm>(?P<tmv>(?:" + _N + rb"\s+){6})Tm)"
    rb")[ \t\r]*$",
    re.M,
)


def _glyph_run(block: bytes) -> Iterator[tuple[list[Any], bytes]]:
    for x, y, glyph in _GLYPH.findall(block):
        if x:
            yield [float(x), float(y)], b"Td"
        yield [bytes.fromhex(glyph.decode("ascii"))], b"Tj"


def tokens(data: bytes) -> Iterator[tuple[list[Any], bytes]]:
    """(operands, operator) pairs; strings are bytes, names are Name, arrays lists, dicts dicts."""
    stack: list[list[Any]] = [[]]
    marks: list[str] = []
    position = 0
    end = len(data)
    while position < end:
        match = _TOKEN.match(data, position)
        if not match or match.end() == position:
            position += 1
            continue
        position = match.end()
        kind = match.lastindex
        top = stack[-1]
        if kind in (1, 3):
            stack.append([])
            marks.append("<<" if kind == 1 else "[")
        elif kind in (2, 4) and len(stack) > 1:
            items = stack.pop()
            marks.pop()
            if kind == 2:
                stack[-1].append({items[k]: items[k + 1] for k in range(0, len(items) - 1, 2)})
            else:
                stack[-1].append(items)
        elif kind == 5:
            hexes = re.sub(rb"\s", b"", match.group(5))
            top.append(bytes.fromhex((hexes + b"0" * (len(hexes) % 2)).decode("ascii")))
        elif kind == 6:
            value, position = _literal(data, position)
            top.append(value)
        elif kind == 7:
            top.append(Name(match.group(7).decode("latin-1")))
        elif kind == 8:
            top.append(float(match.group(8)))
        elif kind == 9:
            operator = match.group(9)
            if operator in (b"true", b"false", b"null"):
                top.append(operator == b"true")
            elif operator == b"BI":  # inline image: skip to its end
                stop = data.find(b"EI", position)
                position = end if stop < 0 else stop + 2
                stack = [[]]
            elif len(stack) == 1:
                yield top, operator
                stack = [[]]


def text_string(value: Any) -> str:
    """A PDF text string (ActualText): UTF-16BE with a byte-order mark, else PDFDocEncoding."""
    if isinstance(value, bytes):
        if value.startswith(b"\xfe\xff"):
            return value[2:].decode("utf-16-be", errors="replace")
        return value.decode("latin-1")
    return str(value)
