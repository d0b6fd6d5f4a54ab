"""The document model: a structured description of a whole document, independent of its format.

Layouts (``document/layouts``) build a :class:`Document` from an analysis and a plan; renderers
(DOCX, HTML, PDF) only lay it out. Every string in the model is final text: digits are already
Thai when the user asked for Thai digits (see :func:`with_thai_digits`), so renderers never
format numbers themselves, except page numbers and chart axes, which follow ``thai_digits``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Literal, TypeVar

from prongsai.thai import to_thai_digits

Align = Literal["left", "center", "right", "justify"]
ParagraphStyle = Literal["title", "subtitle", "heading1", "heading2", "body", "note", "caption"]
Orientation = Literal["portrait", "landscape"]
RowKind = Literal["body", "group", "total"]
ChartKind = Literal["hbar", "bar", "line"]
# What the value axis measures: scores (0-100 and on, labels to 2 decimals) or counts (whole numbers,
# an axis as long as the data needs); see document/charts.py SCALES
ChartScale = Literal["score", "count"]


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting."""

    text: str
    bold: bool = False
    underline: bool = False


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: ParagraphStyle = "body"
    align: Align | None = None  # None: the style's usual alignment
    first_line_indent: bool = False  # official Thai prose indents the first line of a paragraph

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


def paragraph(
    text: str,
    style: ParagraphStyle = "body",
    *,
    bold: bool = False,
    align: Align | None = None,
    indent: bool = False,
) -> Paragraph:
    """A paragraph of one run."""
    return Paragraph((Run(text, bold=bold),), style, align, indent)


@dataclass(frozen=True)
class Cell:
    """A table cell: one or more lines, each laid out as its own paragraph."""

    lines: tuple[str, ...]
    bold: bool = False
    align: Align | None = None  # None: the column's alignment
    colspan: int = 1
    rowspan: int = 1  # header rows only

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def cell(
    *lines: str, bold: bool = False, align: Align | None = None, colspan: int = 1, rowspan: int = 1
) -> Cell:
    return Cell(tuple(line for line in lines), bold, align, colspan, rowspan)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    kind: RowKind = "body"  # group: a heading row across the table; total: an average or sum row


@dataclass(frozen=True)
class Column:
    width: float  # relative to the other columns
    align: Align = "left"


@dataclass(frozen=True)
class Table:
    """A table whose header rows repeat on every page; body rows never split across pages."""

    key: str
    columns: tuple[Column, ...]
    header: tuple[Row, ...]
    rows: tuple[Row, ...]
    caption: str | None = None

    def __post_init__(self) -> None:
        width = len(self.columns)
        # header rows may span rows; the grid must still be exactly filled
        taken: dict[tuple[int, int], bool] = {}
        for r, row in enumerate(self.header):
            c = 0
            for item in row.cells:
                while taken.get((r, c)):
                    c += 1
                for dr in range(item.rowspan):
                    for dc in range(item.colspan):
                        taken[(r + dr, c + dc)] = True
                c += item.colspan
            filled = sum(1 for (rr, _), v in taken.items() if rr == r and v)
            if filled != width:
                raise ValueError(f"table {self.key}: header row {r + 1} fills {filled} of {width} columns")
        for r, row in enumerate(self.rows):
            spans = sum(item.colspan for item in row.cells)
            if spans != width or any(item.rowspan != 1 for item in row.cells):
                raise ValueError(f"table {self.key}: row {r + 1} fills {spans} of {width} columns")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # None: no score that year / for that category


@dataclass(frozen=True)
class Chart:
    """What a chart shows; ``document/charts.py`` draws it the same way for every format."""

    key: str  # "indicators", "tools", "trend"
    kind: ChartKind
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_label: str
    threshold: float | None = None  # the pass mark line
    threshold_label: str | None = None
    thai_digits: bool = False
    scale: ChartScale = "score"

    def __post_init__(self) -> None:
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(f"chart {self.key}: series {s.name} has {len(s.values)} values")


@dataclass(frozen=True)
class Figure:
    chart: Chart
    caption: str
    width_cm: float = 15.0


@dataclass(frozen=True)
class Signer:
    """One signature: the lines under it, e.g. ("ลงชื่อ ........ ผู้จัดทำ", "(นาย ก)", "นิติกร")."""

    role: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Signatures:
    signers: tuple[Signer, ...]


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Paragraph | Table | Figure | Signatures | PageBreak


@dataclass(frozen=True)
class Section:
    """A run of pages with one orientation; wide tables go in landscape sections."""

    blocks: tuple[Block, ...]
    orientation: Orientation = "portrait"

    def kept_with_next(self) -> frozenset[int]:
        """The blocks every renderer keeps on the page of the block after them: the paragraph right
        before a signature block, so that signatures never stand alone on a page."""
        return frozenset(
            n
            for n, (block, after) in enumerate(zip(self.blocks, self.blocks[1:], strict=False))
            if isinstance(block, Paragraph) and isinstance(after, Signatures)
        )


@dataclass(frozen=True)
class Document:
    layout: str
    title: str  # the document's name, for file metadata and the HTML title
    agency: str
    ita_year: int
    plan_year: int
    date_text: str  # the date the document carries, Buddhist era
    sections: tuple[Section, ...]
    thai_digits: bool = False
    estimated: bool = False  # some figure rests on a rule the NACC has not confirmed
    page_label: str = ""  # printed before the page number, e.g. "หน้า"
    metadata: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def blocks(self) -> Iterator[Block]:
        for section in self.sections:
            yield from section.blocks

    def tables(self) -> list[Table]:
        return [b for b in self.blocks() if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        return [b for b in self.blocks() if isinstance(b, Figure)]

    def text(self) -> str:
        """Every word of the document in reading order (for tests and search)."""
        return _words(self.blocks())

    def official_blocks(self) -> list[Block]:
        """What the official signs: everything up to the last signature block (the whole
        document when it has none)."""
        blocks = list(self.blocks())
        ends = [n for n, b in enumerate(blocks) if isinstance(b, Signatures)]
        return blocks[: ends[-1] + 1] if ends else blocks

    def official_text(self) -> str:
        return _words(self.official_blocks())

    def closing_text(self) -> str:
        """The notes after the signatures, outside what is signed ('' when there are none)."""
        return _words(list(self.blocks())[len(self.official_blocks()) :])


def _words(blocks: Iterable[Block]) -> str:
    """The words of ``blocks`` in reading order: a line per paragraph, table row (cells separated
    by tabs), figure caption and signature line."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Table):
            for row in (*block.header, *block.rows):
                out.append("\t".join(c.text for c in row.cells))
        elif isinstance(block, Figure):
            out.append(block.caption)
        elif isinstance(block, Signatures):
            out += [line for s in block.signers for line in s.lines]
    return "\n".join(out)


T = TypeVar("T")
_NOT_TEXT = frozenset({"key", "layout", "style", "align", "kind", "orientation", "scale"})  # names, not words


def _map_text(value: T, convert: Callable[[str], str]) -> T:
    if isinstance(value, str):
        return convert(value)  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(_map_text(v, convert) for v in value)  # type: ignore[return-value]
    if is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _map_text(getattr(value, f.name), convert)
            for f in fields(value)
            if f.name not in _NOT_TEXT
        }
        return replace(value, **changes)
    return value


def chart_with_thai_digits(chart: Chart) -> Chart:
    return replace(_map_text(chart, to_thai_digits), thai_digits=True)


def with_thai_digits(document: Document) -> Document:
    """The same document with every digit written in Thai, charts and page numbers included."""
    converted = _map_text(document, to_thai_digits)
    sections = tuple(
        replace(
            s,
            blocks=tuple(
                replace(b, chart=chart_with_thai_digits(b.chart)) if isinstance(b, Figure) else b
                for b in s.blocks
            ),
        )
        for s in converted.sections
    )
    return replace(converted, sections=sections, thai_digits=True)
