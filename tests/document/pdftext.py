"""A faithful reader of a PDF's text layer, built on pypdf's parser.

Chromium writes the characters of Thai clusters whose glyphs are not one-to-one (ปั้น, น้ำ, ผู้) as
``/ActualText`` marked content (PDF 32000-1 §14.9.4), which pypdf's and pdfminer.six's own
``extract_text`` ignore: they return NUL characters for those glyphs. poppler's pdftotext honours
``/ActualText`` but adds spaces inside some clusters (ปั้ น) by its layout heuristics. This reader
does what the standard says and nothing more: ActualText where present, else each glyph through
the font's ToUnicode map.
"""

from __future__ import annotations

import re
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ByteStringObject, ContentStream, DictionaryObject, TextStringObject

# --------------------------------------------------------------------------------------------------
# A faithful text-layer reader
# --------------------------------------------------------------------------------------------------


def _to_unicode(font: Any) -> dict[int, str]:
    """The font's ToUnicode CMap (bfchar and bfrange sections) as glyph code -> text."""
    cmap: dict[int, str] = {}
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")

    def text(hexes: str) -> str:
        return bytes.fromhex(hexes).decode("utf-16-be")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.DOTALL):
        for code, dest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            cmap[int(code, 16)] = text(dest)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.DOTALL):
        for lo, hi, dest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = text(dest)  # the last character counts up along the range
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                cmap[code] = first[:-1] + chr(ord(first[-1]) + offset)
    return cmap


def page_pieces(reader: PdfReader, index: int) -> list[tuple[str, str]]:
    """The text of one page in content order as (font name, text) pieces; a newline starts each
    text object (BT ... ET)."""
    page: Any = reader.pages[index]
    fonts = {
        name: (str(f.get_object()["/BaseFont"]).split("+")[-1], _to_unicode(f.get_object()))
        for name, f in page["/Resources"]["/Font"].items()
    }
    out: list[tuple[str, str]] = []
    font, cmap = "", {}
    marked: list[str | None] = []  # open marked-content sequences: their ActualText, if any
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tf":
            font, cmap = fonts[operands[0]]
        elif operator == b"BT":
            out.append(("", "\n"))
        elif operator in (b"BDC", b"BMC"):
            props = operands[1] if operator == b"BDC" else None
            actual = props.get("/ActualText") if isinstance(props, DictionaryObject) else None
            marked.append(None if actual is None else str(actual))
        elif operator == b"EMC" and marked:
            actual = marked.pop()
            if actual is not None:
                out.append((font, actual))
        elif operator in (b"Tj", b"TJ") and not any(m is not None for m in marked):
            strings = operands[0] if operator == b"TJ" else [operands[0]]
            for item in strings:
                if isinstance(item, TextStringObject | ByteStringObject):  # not the numbers of TJ
                    raw = bytes(item.original_bytes)
                    codes = (int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2))
                    out.append((font, "".join(cmap.get(code, "\ufffd") for code in codes)))
    return out


def page_text(reader: PdfReader, index: int) -> str:
    """The text of one page in content order, one line per text object."""
    return "".join(text for _, text in page_pieces(reader, index)).strip()


def bold_text(reader: PdfReader, index: int) -> str:
    """What one page prints in bold, one line per text object."""
    return "".join(
        text if font.endswith("Bold") or not font else "" for font, text in page_pieces(reader, index)
    )


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------------------------------
# Fixtures: the sample rendered once in Arabic and once in Thai digits, by one renderer
# --------------------------------------------------------------------------------------------------
