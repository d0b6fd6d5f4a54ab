"""PDF: the text layer, read through the document's structure tree when the PDF is tagged.

Our own PDFs (Chromium) are tagged: tables, rows, cells and paragraphs are structure elements whose
marked content holds the text. Reading that tree gives the same paragraphs and rows as a DOCX.
Text is taken as PDF 32000-1 says: ``/ActualText`` where present, else each glyph through the
font's ToUnicode map (poppler's pdftotext adds spaces inside Thai clusters, see STACK.md). An
untagged PDF has no tables to read: its text lines go to the plain-text reader, and that is
reported as uncertain by the caller.

The file is untrusted: it is opened through :func:`prongsai.loader.pdf.open_pdf` (size, pages,
damaged files), every stream is decoded through one :class:`~prongsai.loader.pdf.PdfStreams` per
document (no ``read_bytes()`` here: a FlateDecode bomb stops at the cap), the structure tree is
read under a :class:`~prongsai.importing.pdfstruct.Guard`, font maps keep only the codes a reader
can look up, a cell's /ColSpan and /RowSpan are bounded, and the whole read runs under the
``seconds`` limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf

from prongsai.importing.model import Block, Cell, Para, Row, Source, Uncertain
from prongsai.importing.normalise import clean
from prongsai.importing.pdflines import Font, lines, page_runs, rows
from prongsai.importing.pdfmarked import Glyphs, marked_texts
from prongsai.importing.pdfstruct import Guard, Mcr, Node, attribute, read_node
from prongsai.loader.limits import LIMITS, Limits, check_time, time_limit
from prongsai.loader.pdf import PdfStreams, open_pdf, pdf_errors
from prongsai.problems import Location, warning

_BLOCK_TAGS = {"/P", "/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/LI", "/LBody", "/Caption", "/Lbl"}
_CELL_TAGS = {"/TD", "/TH"}
LAST_CODE = 0xFFFF  # codes are one or two bytes (pdflines.Font.codes, pdfmarked): no larger one is looked up
HTML_COLSPAN = 1_000  # the most columns a cell spans in HTML, which Chromium's tagged PDFs come from


def _to_unicode(font: Any, streams: PdfStreams | None = None) -> dict[int, str]:
    cmap: dict[int, str] = {}
    if "/ToUnicode" not in font:
        return cmap
    streams = streams or PdfStreams(Location())
    data = streams.read(font["/ToUnicode"]).decode("latin-1")

    def text(hexes: str) -> str:
        hexes += "0" * (len(hexes) % 2)  # PDF: an odd last digit is followed by 0
        return bytes.fromhex(hexes).decode("utf-16-be", errors="replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.DOTALL):
        for code, dest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            cmap[int(code, 16)] = text(dest)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.DOTALL):
        check_time()
        for lo, hi, dest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = text(dest)
            if not first:
                continue
            # a range past the last code is cut there: codes beyond it are never looked up
            for offset, code in enumerate(range(int(lo, 16), min(int(hi, 16), LAST_CODE) + 1)):
                cmap[code] = first[:-1] + chr(min(ord(first[-1]) + offset, 0x10FFFF))
    return cmap


def page_contents(page: Any, streams: PdfStreams | None = None) -> bytes:
    """A page's content streams, decoded (under the document's caps) and joined."""
    streams = streams or PdfStreams(Location())
    contents = page.get("/Contents")
    if contents is None:
        return b""
    if isinstance(contents, pikepdf.Array):
        return b"\n".join(streams.read(part) for part in contents)
    return streams.read(contents)


def page_fonts(page: Any) -> dict[str, Any]:
    resources = page.get("/Resources")
    fonts = resources.get("/Font") if resources is not None else None
    return {str(name): font for name, font in fonts.items()} if fonts is not None else {}


class Tree:
    """Reads the text under structure elements: each page's marked content once, when first asked."""

    def __init__(self, streams: PdfStreams | None = None) -> None:
        self.pages: dict[tuple[int, int], dict[int, str]] = {}  # MCID texts of each page read
        self.fonts: dict[tuple[int, int], Glyphs] = {}  # each font's map, read once
        self.streams = streams or PdfStreams(Location())
        self.notes: list[Uncertain] = []  # cell spans read otherwise than written

    def mcid_text(self, page: Any, mcid: int) -> str:
        if page is None:
            return ""
        key = page.objgen
        if key not in self.pages:
            self.pages[key] = marked_texts(page_contents(page, self.streams), self.fonts_of(page))
        return self.pages[key].get(mcid, "")

    def fonts_of(self, page: Any) -> dict[str, Glyphs]:
        """A page's fonts by resource name, each font's map read once per document."""
        fonts: dict[str, Glyphs] = {}
        for name, font in page_fonts(page).items():
            key = font.objgen
            if key == (0, 0):  # a direct object: no identity to cache by
                fonts[name] = Glyphs(_to_unicode(font, self.streams))
                continue
            if key not in self.fonts:
                self.fonts[key] = Glyphs(_to_unicode(font, self.streams))
            fonts[name] = self.fonts[key]
        return fonts

    def text(self, element: Any, page: Any) -> str:
        """All text under a structure element, in order."""
        return "".join(self._pieces(element, page))

    def _pieces(self, element: Any, page: Any) -> Iterator[str]:
        if isinstance(element, Node):
            page = element.page if element.page is not None else page
            for kid in element.kids:
                yield from self._pieces(kid, page)
        elif isinstance(element, int):
            yield self.mcid_text(page, element)
        elif isinstance(element, Mcr):
            yield self.mcid_text(element.page if element.page is not None else page, element.mcid)
        elif isinstance(element, list):
            for kid in element:
                yield from self._pieces(kid, page)


_CELL_BLOCKS = _BLOCK_TAGS | {"/L", "/Div", "/Span"}


def _cell_parts(tree: Tree, cell: Node, page: Any) -> tuple[str, ...]:
    """A cell's paragraphs: one part per block element inside it, else its whole text."""
    parts: list[str] = []
    loose: list[str] = []
    for kid in cell.kids:
        if isinstance(kid, Node) and kid.tag in _CELL_BLOCKS:
            kid_page = kid.page if kid.page is not None else page
            if kid.tag in {"/L", "/Div"}:
                parts.extend(_cell_parts(tree, kid, kid_page))
            else:
                parts.append(clean(tree.text(kid, kid_page)))
        else:
            loose.append(tree.text(kid, page))
    if loose and "".join(loose).strip():
        parts.insert(0, clean("".join(loose)))
    return tuple(p for p in parts if p)


def _walk(tree: Tree, node: Node, page: Any, out: list[Block], counter: list[int]) -> None:
    page = node.page if node.page is not None else page
    if node.tag == "/Table":
        counter[1] += 1
        for row in _grid(tree, node, page, counter[1]):
            counter[0] += 1
            out.append(Row(row, counter[0], counter[1]))
        return
    if node.tag in _BLOCK_TAGS:
        text = clean(tree.text(node, page))
        if text:
            counter[0] += 1
            out.append(Para(text, counter[0]))
        return
    for kid in node.kids:
        if isinstance(kid, Node):
            _walk(tree, kid, page, out, counter)


def _unrepeat(text: str) -> str:
    """A repeated table header is one element shown on every page: 'ประเด็นประเด็น' -> 'ประเด็น'."""
    for period in range(3, len(text) // 2 + 1):
        if len(text) % period == 0 and text == text[:period] * (len(text) // period):
            return text[:period]
    return text


def _grid(tree: Tree, table: Any, page: Any, number: int = 0) -> Iterator[tuple[Cell, ...]]:
    """Rows as grid columns. Chromium leaves empty cells out of the tree; a data cell's /Headers
    name the header cells above it, which places it in its column."""
    header_column: dict[str, int] = {}
    taken: dict[tuple[int, int], bool] = {}
    rows = list(_rows(tree, table))
    width = 0
    placed: list[dict[int, Cell]] = []
    for r, row in enumerate(rows):
        columns: dict[int, Cell] = {}
        column = 0
        check_time()
        for cell in row:
            span = _span(tree, cell, "/ColSpan", HTML_COLSPAN, (number, r + 1))
            down = _span(tree, cell, "/RowSpan", len(rows) - r, (number, r + 1))
            headers = attribute(cell, "/Headers")
            wanted = None
            if isinstance(headers, pikepdf.Array):
                known = [header_column[str(h)] for h in headers if str(h) in header_column]
                wanted = known[-1] if known else None
            if wanted is not None and not taken.get((r, wanted)):
                column = wanted
            while taken.get((r, column)):
                column += 1
            parts = tuple(
                _unrepeat(p) for p in _cell_parts(tree, cell, cell.page if cell.page is not None else page)
            )
            if cell.tag == "/TH" and cell.id is not None:
                header_column[str(cell.id)] = column
            for dr in range(down):
                for dc in range(span):
                    taken[(r + dr, column + dc)] = True
                    if dr == 0:
                        columns[column + dc] = Cell(parts)
            column += span
        width = max(width, max(columns, default=-1) + 1)
        placed.append(columns)
    for columns in placed:
        yield tuple(columns.get(c, Cell(())) for c in range(width))


def _span(tree: Tree, cell: Node, name: str, room: int, where: tuple[int, int]) -> int:
    """A cell's /ColSpan or /RowSpan, at least 1 and at most ``room``.

    A row span past the table's last row is cut there without a note: those rows do not exist, so
    the table reads the same. Any other value that is not a positive whole number, or a column span
    over HTML's 1,000 (what Chromium, which made our PDFs, allows), is read as 1 or 1,000 with an
    uncertain-reading note, as DOCX does with w:gridSpan."""
    value = attribute(cell, name)
    if value is None:
        return 1
    number = value if isinstance(value, int) and not isinstance(value, bool) else 0
    if name == "/RowSpan" and number > room:
        return max(room, 1)
    if 1 <= number <= room:
        return number
    used = room if number > room else 1
    table, row = where
    problem = warning(
        "pdf_cell_span",
        tree.streams.location,
        table=table,
        row=row,
        attribute=name[1:],
        value=str(value)[:20],
        used=used,
    )
    tree.notes.append(Uncertain(problem, ""))
    return used


def _rows(tree: Tree, table: Node) -> Iterator[list[Node]]:
    for kid in table.kids:
        if not isinstance(kid, Node):
            continue
        if kid.tag == "/TR":
            yield [cell for cell in kid.kids if isinstance(cell, Node) and cell.tag in _CELL_TAGS]
        elif kid.tag in {"/THead", "/TBody", "/TFoot"}:
            yield from _rows(tree, kid)


def read_pdf(source: bytes | Path, name: str, limits: Limits = LIMITS) -> Source | None:
    """The blocks of a tagged PDF; None when the PDF carries no structure tree."""
    location = Location(file=name)
    with (
        time_limit(location, limits.seconds),
        open_pdf(source, location, limits) as pdf,
        pdf_errors(location),
    ):
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return None
        streams = PdfStreams(location, limits)
        tree = Tree(streams)
        blocks: list[Block] = []
        counter = [0, 0]
        try:
            top = read_node(root, Guard(location, limits))
            for kid in top.kids if isinstance(top, Node) else []:
                if isinstance(kid, Node):
                    _walk(tree, kid, None, blocks, counter)
        finally:
            streams.close()
    return Source(name, "pdf", tuple(blocks), tuple(tree.notes))


def untagged_text(source: bytes | Path, name: str = "", limits: Limits = LIMITS) -> str:
    """An untagged PDF's text, page by page: a line with several cells becomes a tab-separated
    row, others paragraphs; pages are separated by a blank line (a page break, as in the seeds)."""
    location = Location(file=name or None)
    out: list[str] = []
    with (
        time_limit(location, limits.seconds),
        open_pdf(source, location, limits) as pdf,
        pdf_errors(location),
    ):
        streams = PdfStreams(location, limits)
        try:
            for page in pdf.pages:
                check_time()
                fonts = {
                    key: Font(font, _to_unicode(font, streams)) for key, font in page_fonts(page.obj).items()
                }
                out.extend(rows(lines(page_runs(page_contents(page.obj, streams), fonts))))
                out.append("")
        finally:
            streams.close()
    return "\n".join(out)


def read_any_pdf(source: bytes | Path, name: str, limits: Limits = LIMITS) -> Source:
    """A tagged PDF through its structure; an untagged one as positioned text lines, with a note."""
    tagged = read_pdf(source, name, limits)
    if tagged is not None:
        return tagged
    from prongsai.importing.settle import Notes
    from prongsai.importing.source_text import read_text

    text = read_text(untagged_text(source, name, limits), name)
    notes = Notes(name)
    notes.warning("import_no_tables", None, "")
    return Source(name, "pdf", text.blocks, tuple(notes.found))
