"""An untagged PDF's text layer as lines of positioned text (what Word or LibreOffice "Save as PDF"
and many agencies' PDFs give): no structure tree, so tables are recovered from where glyphs sit.

Each text showing is placed with the text and graphics matrices (PDF 32000-1 §9.4.2) and measured
with the font's widths; runs on one baseline make a line, and a gap wider than a space splits the
line into cells. Lines with several cells go to the plain-text reader as tab-separated rows, the
form the seeds have. What cannot be placed (a cell wrapped over several lines) stays as printed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from prongsai.importing.pdfcontent import operations, text_string

_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _times(m: _Matrix, n: _Matrix) -> _Matrix:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


@dataclass(frozen=True)
class Run:
    """Text drawn at one place: left x, baseline y (device space, y up), right x and font size."""

    text: str
    x: float
    y: float
    end: float
    size: float


class Font:
    """What text extraction needs of a font: its ToUnicode map, code width and glyph widths."""

    def __init__(self, font: Any, cmap: dict[int, str]) -> None:
        self.cmap = cmap
        self.two_bytes = str(font.get("/Subtype")) == "/Type0"
        self.widths: dict[int, float] = {}
        self.default = 500.0
        if self.two_bytes:
            descendants = font.get("/DescendantFonts")
            cid = descendants[0] if descendants is not None and len(descendants) else None
            if cid is not None:
                self.default = float(cid.get("/DW", 1000))
                self._cid_widths(cid.get("/W"))
        else:
            first = int(font.get("/FirstChar", 0))
            for offset, width in enumerate(font.get("/Widths") or []):
                self.widths[first + offset] = float(width)

    def _cid_widths(self, table: Any) -> None:
        items = list(table) if table is not None else []
        i = 0
        while i + 1 < len(items):
            start = int(items[i])
            if isinstance(items[i + 1], (int, float)) or not hasattr(items[i + 1], "__len__"):
                if i + 2 >= len(items):
                    break
                # codes are at most two bytes: a range past 0xFFFF (a hostile 0 4294967295) stops there
                for code in range(max(start, 0), min(int(items[i + 1]), 0xFFFF) + 1):
                    self.widths[code] = float(items[i + 2])
                i += 3
            else:
                for offset, width in enumerate(items[i + 1]):
                    self.widths[start + offset] = float(width)
                i += 2

    def codes(self, raw: bytes) -> list[int]:
        if self.two_bytes:
            return [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
        return list(raw)

    def decode(self, codes: list[int]) -> str:
        if not self.cmap and not self.two_bytes:
            return bytes(codes).decode("latin-1")
        return "".join(self.cmap.get(c, "") for c in codes)

    def advance(self, codes: list[int]) -> float:
        return sum(self.widths.get(c, self.default) for c in codes) / 1000.0


class _State:
    def __init__(self, fonts: dict[str, Font]) -> None:
        self.fonts = fonts
        self.ctm = _IDENTITY
        self.saved: list[_Matrix] = []
        self.tm = self.tlm = _IDENTITY
        self.font: Font | None = None
        self.size = 12.0
        self.leading = 0.0

    def place(self, text: str, width: float) -> Run:
        """A run at the current text position; the text position then moves past it."""
        m = _times(self.tm, self.ctm)
        scale = (m[0] ** 2 + m[1] ** 2) ** 0.5 or 1.0
        x, y = m[4], m[5]
        advance = width * self.size
        self.tm = _times((1.0, 0.0, 0.0, 1.0, advance, 0.0), self.tm)
        return Run(text, x, y, x + advance * scale, self.size * scale)


def page_runs(data: bytes, fonts: dict[str, Font]) -> list[Run]:
    """Every text showing on one page, placed; /ActualText spans give their text at their start."""
    state = _State(fonts)
    runs: list[Run] = []
    spans: list[tuple[str | None, list[float]]] = []  # open marked content: (ActualText, widths)
    for operands, operator in operations(data):
        if operator == b"q":
            state.saved.append(state.ctm)
        elif operator == b"Q" and state.saved:
            state.ctm = state.saved.pop()
        elif operator == b"cm" and len(operands) == 6:
            state.ctm = _times(tuple(map(float, operands)), state.ctm)  # type: ignore[arg-type]
        elif operator == b"BT":
            state.tm = state.tlm = _IDENTITY
        elif operator == b"Tf" and len(operands) == 2:
            state.font = fonts.get("/" + str(operands[0]))
            state.size = float(operands[1])
        elif operator == b"TL" and operands:
            state.leading = float(operands[0])
        elif operator == b"Tm" and len(operands) == 6:
            state.tm = state.tlm = tuple(map(float, operands))  # type: ignore[assignment]
        elif operator in (b"Td", b"TD") and len(operands) == 2:
            if operator == b"TD":
                state.leading = -float(operands[1])
            state.tm = state.tlm = _times(
                (1.0, 0.0, 0.0, 1.0, float(operands[0]), float(operands[1])), state.tlm
            )
        elif operator in (b"T*", b"'", b'"'):
            state.tm = state.tlm = _times((1.0, 0.0, 0.0, 1.0, 0.0, -state.leading), state.tlm)
            if operator != b"T*" and operands:
                _show(state, [operands[-1]], runs, spans)
        elif operator in (b"Tj", b"TJ") and operands:
            shown = operands[0] if operator == b"TJ" else [operands[0]]
            _show(state, shown if isinstance(shown, list) else [], runs, spans)
        elif operator in (b"BDC", b"BMC"):
            props = operands[1] if operator == b"BDC" and len(operands) > 1 else None
            actual = props.get("ActualText") if isinstance(props, dict) else None
            spans.append((text_string(actual) if actual is not None else None, []))
        elif operator == b"EMC" and spans:
            actual, start = spans.pop()
            if actual is not None and not any(a is not None for a, _ in spans):
                run = state.place(actual, 0.0)
                if start:  # placed where its first glyph was, ending where its last one did
                    run = Run(actual, start[0], start[1], run.x, run.size)
                runs.append(run)
        elif operator == b"ActualText" and operands:
            runs.append(state.place(text_string(operands[0]), 0.0))
    return [r for r in runs if r.text]


def _show(
    state: _State, shown: list[Any], runs: list[Run], spans: list[tuple[str | None, list[float]]]
) -> None:
    font = state.font
    if font is None:
        return
    inside_actual = any(a is not None for a, _ in spans)
    for item in shown:
        if isinstance(item, bytes):
            codes = font.codes(item)
            if inside_actual:
                first = _times(state.tm, state.ctm)
                if spans[-1][1] == []:
                    spans[-1][1].extend((first[4], first[5]))
                state.place("", font.advance(codes))
            else:
                runs.append(state.place(font.decode(codes), font.advance(codes)))
        elif isinstance(item, (int, float)):
            state.tm = _times((1.0, 0.0, 0.0, 1.0, -float(item) / 1000.0 * state.size, 0.0), state.tm)


def lines(runs: list[Run]) -> list[list[Run]]:
    """Runs on one baseline (within a third of the text size), top to bottom, each left to right."""
    ordered = sorted(runs, key=lambda r: (-r.y, r.x))
    out: list[list[Run]] = []
    for run in ordered:
        if out and abs(out[-1][0].y - run.y) <= 0.35 * max(run.size, out[-1][0].size):
            out[-1].append(run)
        else:
            out.append([run])
    return [sorted(line, key=lambda r: r.x) for line in out]


@dataclass
class _Segment:
    x: float
    y: float
    size: float
    text: str
    runs: list[Run]


def segments(line: list[Run]) -> list[_Segment]:
    """A line split where the gap between runs is wider than a space: one piece per cell."""
    out: list[_Segment] = []
    previous: Run | None = None
    for run in line:
        gap = run.x - previous.end if previous is not None else 0.0
        if previous is None or gap > 0.45 * run.size:
            out.append(_Segment(run.x, run.y, run.size, run.text, [run]))
        else:
            out[-1].runs.append(run)
            space = gap > 0.2 * run.size and not out[-1].text.endswith(" ") and not run.text.startswith(" ")
            out[-1].text += (" " if space else "") + run.text
        previous = run
    for segment in out:
        segment.text = " ".join(segment.text.replace("\u200b", " ").split())
    return out


def _joined(before: str, after: str) -> str:
    """A cell's wrapped lines: Thai wraps inside phrases and numbers wrap inside digits (no space
    between), other wrapped words keep one; a numbered line (a new step) starts a new paragraph."""
    if not before or not after:
        return before or after
    if _NEW_STEP.match(after):
        return before + "<br>" + after
    a, b = before[-1], after[0]
    glued = ("\u0e00" <= a <= "\u0e7f" and "\u0e00" <= b <= "\u0e7f") or (a in _NUMERIC and b in _NUMERIC)
    return before + ("" if glued else " ") + after


_NUMERIC = set("0123456789.๐๑๒๓๔๕๖๗๘๙")
_NEW_STEP = re.compile(r"^(?:[0-9๐-๙]{1,2}[.)]\s|[-▪•●]\s?)")


def rows(page: list[list[Run]]) -> list[str]:
    """One page's lines as text: a line with several cells starts a table row, and the lines right
    under it (no wider apart than the page's usual line pitch) whose pieces each fall in one of its
    columns continue those cells. A row is written tab-separated, anything else as a paragraph."""
    lined = [segments(line) for line in page]
    pitches = sorted(
        round(a[0].y - b[0].y, 1) for a, b in itertools.pairwise(lined) if a and b and a[0].y > b[0].y
    )
    pitch = pitches[len(pitches) // 4] if pitches else 0.0  # the tight (in-cell) line pitch
    out: list[str] = []
    columns: list[float] = []
    texts: list[str] = []
    last_y = 0.0
    for line in lined:
        if not line:
            continue
        places = [_column(columns, piece.x, piece.size) for piece in line] if columns else []
        follows = bool(columns) and last_y - line[0].y <= pitch * 1.08 + 0.5 and None not in places
        if follows:  # each run to the column it starts in: cells can touch without a wide gap
            pieces: dict[int, str] = {}
            for run in (run for piece in line for run in piece.runs):
                place = _column(columns, run.x, run.size)
                if place is not None:
                    pieces[place] = pieces.get(place, "") + run.text
            for place, text in pieces.items():
                texts[place] = _joined(texts[place], " ".join(text.replace("\u200b", " ").split()))
        else:
            if columns:
                out.append("\t".join(texts))
            if len(line) > 1:
                columns, texts = [piece.x for piece in line], [piece.text for piece in line]
            else:
                columns, texts = [], []
                out.append(line[0].text)
        last_y = line[0].y
    if columns:
        out.append("\t".join(texts))
    return out


def _column(columns: list[float], x: float, size: float) -> int | None:
    """The column a piece starts in: at or right of a column's left edge, left of the next one's."""
    tolerance = 0.5 * size
    for index, left in enumerate(columns):
        right = columns[index + 1] if index + 1 < len(columns) else float("inf")
        if left - tolerance <= x < right - tolerance:
            return index
    return None
