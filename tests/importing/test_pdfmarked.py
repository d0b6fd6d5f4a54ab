"""The marked-content text of a tagged page, read the fast way (whole runs of Chromium's lines) and
the general way (every operator tokenized), must be the same text: Thai clusters from /ActualText,
glyphs through the font map, lines of one element joined by the Thai rule, text outside any
MCID and glyphs under an /ActualText left out."""

from __future__ import annotations

import itertools
from difflib import SequenceMatcher

import pytest

from prongsai.importing.normalise import squash
from prongsai.importing.pdfmarked import Glyphs, glyph_text, marked_texts
from prongsai.importing.scores import indicator_by_name, indicator_names

FONT = Glyphs({1: "ก", 2: "า", 3: " ", 4: "A", 5: "B", 6: "1", 7: "น"})
FONTS = {"/F1": FONT, "/F2": Glyphs({4: "x"})}

# Chromium's layout: one operator per line, glyph runs as "dx 0 Td <gid> Tj", Thai clusters as
# /Span <</ActualText ...>> BDC spans, rectangles and colours between the text.
PAGE = b"""q
.902 .902 .902 RG .902 .902 .902 rg
/G3 gs
/P <</MCID 0 >>BDC
1 2860 54 55 re
f
BT
/F1 12 Tf
1 0 0 -1 10 100 Tm
<0004> Tj
5 0 Td <0005> Tj
/Span<</ActualText <FEFF0E190E49> >> BDC
5 0 Td <0007> Tj
5 0 Td <0002> Tj
EMC
ET
BT
/F1 12 Tf
1 0 0 -1 10 120 Tm
<0006> Tj
<0009> Tj
ET
EMC
/Artifact BMC
BT
/F1 12 Tf
1 0 0 -1 10 130 Tm
<0004> Tj
ET
EMC
/P <</MCID 1 >>BDC
BT
/F1 12 Tf
1 0 0 -1 10 140 Tm
<0001> Tj
0 14 Td <0002> Tj
/Span<</ActualText <FEFF0041> >> BDC
5 0 Td <0001> Tj
0 3 Td <0001> Tj
EMC
/F2 12 Tf
<0004> Tj
ET
EMC
Q
"""


def test_marked_texts_of_a_chromium_page() -> None:
    texts = marked_texts(PAGE, FONTS)
    # MCID 0: "AB" then the cluster "น้" from its ActualText (its glyphs are not read), then, on a
    # new line (the text matrix moved down), "1": a space between Thai and a digit; glyph 9 has no
    # mapping and gives no text. The artifact's "A" belongs to no element.
    # MCID 1: "กา" wraps inside Thai (no space), the span that moves down gives "A" after a space,
    # and a font change maps glyph 4 to "x".
    assert texts == {0: "ABน้ 1", 1: "กา Ax"}


def test_fast_and_general_readings_agree() -> None:
    one_line = PAGE.replace(b"\n", b" ")  # no line matches the fast reader: all goes to the tokenizer
    assert marked_texts(one_line, FONTS) == marked_texts(PAGE, FONTS)
    crlf = PAGE.replace(b"\n", b"\r\n")
    assert marked_texts(crlf, FONTS) == marked_texts(PAGE, FONTS)


def test_unknown_font_gives_no_glyph_text_but_keeps_actual_text() -> None:
    texts = marked_texts(PAGE.replace(b"/F1 12 Tf", b"/F9 12 Tf"), FONTS)
    assert texts == {0: "น้", 1: "Ax"}  # no space after an empty piece


@pytest.mark.parametrize(
    ("hexes", "want"),
    [
        ("0001000200030004", "กา A"),
        ("00010009", "ก"),  # unmapped glyph: no text
        ("D800DC00", "xy"),  # codes that read as a UTF-16 surrogate pair are still two glyphs
        ("000100", "ก"),  # a stray odd byte is a code of its own (unmapped here)
    ],
)
def test_glyph_text(hexes: str, want: str) -> None:
    glyphs = Glyphs({**FONT, 0xD800: "x", 0xDC00: "y"})
    assert glyph_text(bytes.fromhex(hexes), glyphs) == want


def _plain_indicator_by_name(name: str) -> int | None:
    """The rule without its shortcuts: difflib's ratio against every indicator name."""
    key = squash(name)
    best: tuple[float, int] | None = None
    for number, known in indicator_names().items():
        ratio = 1.0 if key.startswith(known) else SequenceMatcher(None, key[: len(known) + 4], known).ratio()
        if ratio >= 0.8 and (best is None or ratio > best[0]):
            best = (ratio, number)
    return best[1] if best else None


def test_indicator_by_name_shortcuts_change_nothing() -> None:
    names = list(indicator_names().values())
    variants = [
        n for name in names for n in (name, name[:-3], name[2:], name[::2], name.replace("การ", "กา"))
    ]
    variants += [a[: len(a) // 2] + b[len(b) // 2 :] for a, b in itertools.pairwise(names)]
    hits = [indicator_by_name(v) for v in variants]
    assert hits == [_plain_indicator_by_name(v) for v in variants]
    assert None in hits and len({h for h in hits if h}) == len(names)  # both outcomes are exercised
