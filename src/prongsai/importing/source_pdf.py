"""PDF: the text layer, read through the document's structure tree when the PDF is tagged.

Our own PDFs (Chromium) are tagged: tables, rows, cells and paragraphs are structure elements whose
marked content holds the text. Reading that tree gives the same paragraphs and rows as a DOCX.
Text is taken as PDF 32000-1 says: ``/ActualText`` where present, else each glyph through the
font's ToUnicode map (poppler's pdftotext adds spaces inside Thai clusters, see STACK.md). An
untagged PDF has no tables to read: its text lines go to the plain-text reader, and that is
reported as uncertain by the caller.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pikepdf
from pikepdf import Array as ArrayObject
from pikepdf import Dictionary as DictionaryObject

from prongsai.importing.model import Block, Cell, Para, Row, Source
from prongsai.importing.normalise import clean
from prongsai.importing.pdfcontent import operations, text_string
from prongsai.importing.pdflines import Font, lines, page_runs, rows

_BLOCK_TAGS = {"/P", "/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/LI", "/LBody", "/Caption", "/Lbl"}
_CELL_TAGS = {"/TD", "/TH"}


def _to_unicode(font: Any) -> dict[int, str]:
    cmap: dict[int, str] = {}
    if "/ToUnicode" not in font:
        return cmap
    data = font["/ToUnicode"].read_bytes().decode("latin-1")

    def text(hexes: str) -> str:
        return bytes.fromhex(hexes).decode("utf-16-be", errors="replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.DOTALL):
        for code, dest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            cmap[int(code, 16)] = text(dest)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.DOTALL):
        for lo, hi, dest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = text(dest)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                cmap[code] = first[:-1] + chr(ord(first[-1]) + offset)
    return cmap


def _append(pieces: list[str], piece: str, new_line: bool) -> None:
    """Lines of one paragraph join without a space between Thai letters (Thai wraps inside phrases)
    and with one elsewhere (a wrapped space between words, digits or Latin text)."""
    if new_line and pieces and pieces[-1] and piece:
        before, after = pieces[-1][-1], piece[0]
        if not (_is_thai(before) and _is_thai(after)) and not before.isspace() and not after.isspace():
            pieces.append(" ")
    pieces.append(piece)


def _is_thai(char: str) -> bool:
    return "\u0e00" <= char <= "\u0e7f"


def page_contents(page: Any) -> bytes:
    """A page's content streams, decoded and joined."""
    contents = page.get("/Contents")
    if contents is None:
        return b""
    if isinstance(contents, ArrayObject):
        return b"\n".join(part.read_bytes() for part in contents)
    return bytes(contents.read_bytes())


def page_fonts(page: Any) -> dict[str, Any]:
    resources = page.get("/Resources")
    fonts = resources.get("/Font") if resources is not None else None
    return {str(name): font for name, font in fonts.items()} if fonts is not None else {}


def _marked_texts(page: Any) -> dict[int, str]:
    """The text of each marked-content id (MCID) of one page."""
    fonts = {name: _to_unicode(font) for name, font in page_fonts(page).items()}
    texts: dict[int, list[str]] = {}
    stack: list[tuple[int | None, str | None]] = []  # open marked content: (mcid, ActualText)
    cmap: dict[int, str] = {}
    moved = False
    last_y: float | None = None
    for operands, operator in operations(page_contents(page)):
        if operator == b"Tf" and operands:
            cmap = fonts.get("/" + str(operands[0]), {})
        elif (
            operator in (b"Td", b"TD") and len(operands) >= 2 and float(operands[1]) != 0
        ) or operator == b"T*":
            moved = True
        elif operator == b"Tm" and len(operands) >= 6:
            y = float(operands[5])
            moved = moved or (last_y is not None and abs(y - last_y) > 0.01)
            last_y = y
        elif operator == b"ActualText":  # a whole marked span with ActualText (pdfcontent's shortcut)
            if not any(a is not None for _, a in stack):
                owner = next((m for m, _ in reversed(stack) if m is not None), None)
                if owner is not None:
                    _append(texts.setdefault(owner, []), text_string(operands[0]), moved)
                    moved = False
        elif operator in (b"BDC", b"BMC"):
            props = operands[1] if operator == b"BDC" and len(operands) > 1 else None
            mcid = actual = None
            if isinstance(props, dict):
                mcid = int(props["MCID"]) if "MCID" in props else None
                actual = text_string(props["ActualText"]) if "ActualText" in props else None
            stack.append((mcid, actual))
        elif operator == b"EMC" and stack:
            _, actual = stack.pop()
            owner = next((m for m, _ in reversed(stack) if m is not None), None)
            if actual is not None and owner is not None:
                _append(texts.setdefault(owner, []), actual, moved)
                moved = False
        elif operator in (b"Tj", b"TJ", b"'", b'"') and operands:
            if any(a is not None for _, a in stack):
                continue
            owner = next((m for m, _ in reversed(stack) if m is not None), None)
            if owner is None:
                continue
            strings = operands[0] if operator == b"TJ" else [operands[-1]]
            for raw in strings if isinstance(strings, list) else []:
                if isinstance(raw, bytes):
                    codes = (int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2))
                    _append(texts.setdefault(owner, []), "".join(cmap.get(c, "") for c in codes), moved)
                    moved = False
    return {mcid: "".join(parts) for mcid, parts in texts.items()}


class _Tree:
    def __init__(self) -> None:
        self.cache: dict[tuple[int, int], dict[int, str]] = {}

    def mcid_text(self, page: Any, mcid: int) -> str:
        if page is None:
            return ""
        key = page.objgen
        if key not in self.cache:
            self.cache[key] = _marked_texts(page)
        return self.cache[key].get(mcid, "")

    def text(self, element: Any, page: Any) -> str:
        """All text under a structure element, in order."""
        return "".join(self._pieces(element, page))

    def _pieces(self, element: Any, page: Any) -> Iterator[str]:
        if isinstance(element, int):
            yield self.mcid_text(page, element)
            return
        element = element
        if isinstance(element, ArrayObject):
            for kid in element:
                yield from self._pieces(kid, page)
            return
        if not isinstance(element, DictionaryObject):
            return
        page = element.get("/Pg", page)
        if element.get("/Type") == "/MCR":
            yield self.mcid_text(page, int(element["/MCID"]))
            return
        if "/K" in element:
            yield from self._pieces(element["/K"], page)

    def kids(self, element: Any) -> list[Any]:
        kids = element.get("/K")
        if kids is None:
            return []
        return list(kids) if isinstance(kids, ArrayObject) else [kids]


def _cell_parts(tree: _Tree, cell: Any, page: Any) -> tuple[str, ...]:
    """A cell's paragraphs: one part per block element inside it, else its whole text."""
    parts: list[str] = []
    loose: list[str] = []
    for kid in tree.kids(cell):
        obj = kid
        if isinstance(obj, DictionaryObject) and obj.get("/S") in _BLOCK_TAGS | {"/L", "/Div", "/Span"}:
            if obj.get("/S") in {"/L", "/Div"}:
                parts.extend(_cell_parts(tree, obj, obj.get("/Pg", page)))
            else:
                parts.append(clean(tree.text(obj, obj.get("/Pg", page))))
        else:
            loose.append(tree.text(obj, page))
    if loose and "".join(loose).strip():
        parts.insert(0, clean("".join(loose)))
    return tuple(p for p in parts if p)


def _walk(tree: _Tree, element: Any, page: Any, out: list[Block], counter: list[int]) -> None:
    obj = element
    if not isinstance(obj, DictionaryObject):
        return
    page = obj.get("/Pg", page)
    tag = obj.get("/S")
    if tag == "/Table":
        counter[1] += 1
        for row in _grid(tree, obj, page):
            counter[0] += 1
            out.append(Row(row, counter[0], counter[1]))
        return
    if tag in _BLOCK_TAGS:
        text = clean(tree.text(obj, page))
        if text:
            counter[0] += 1
            out.append(Para(text, counter[0]))
        return
    for kid in tree.kids(obj):
        if not isinstance(kid, int):
            _walk(tree, kid, page, out, counter)


def _attribute(cell: Any, name: str) -> Any:
    attributes = cell.get("/A")
    attributes = attributes
    for entry in attributes if isinstance(attributes, ArrayObject) else [attributes]:
        entry = entry
        if isinstance(entry, DictionaryObject) and name in entry:
            return entry[name]
    return None


def _unrepeat(text: str) -> str:
    """A repeated table header is one element shown on every page: 'ประเด็นประเด็น' -> 'ประเด็น'."""
    for period in range(3, len(text) // 2 + 1):
        if len(text) % period == 0 and text == text[:period] * (len(text) // period):
            return text[:period]
    return text


def _grid(tree: _Tree, table: Any, page: Any) -> Iterator[tuple[Cell, ...]]:
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
        for cell in row:
            span = int(_attribute(cell, "/ColSpan") or 1)
            down = int(_attribute(cell, "/RowSpan") or 1)
            headers = _attribute(cell, "/Headers")
            wanted = None
            if isinstance(headers, ArrayObject):
                known = [header_column[str(h)] for h in headers if str(h) in header_column]
                wanted = known[-1] if known else None
            if wanted is not None and not taken.get((r, wanted)):
                column = wanted
            while taken.get((r, column)):
                column += 1
            parts = tuple(_unrepeat(p) for p in _cell_parts(tree, cell, cell.get("/Pg", page)))
            if cell.get("/S") == "/TH" and "/ID" in cell:
                header_column[str(cell["/ID"])] = column
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


def _rows(tree: _Tree, table: Any) -> Iterator[list[Any]]:
    for kid in tree.kids(table):
        obj = kid
        if not isinstance(obj, DictionaryObject):
            continue
        if obj.get("/S") == "/TR":
            cells = []
            for c in tree.kids(obj):
                cell = c
                if isinstance(cell, DictionaryObject) and cell.get("/S") in _CELL_TAGS:
                    cells.append(cell)
            yield cells
        elif obj.get("/S") in {"/THead", "/TBody", "/TFoot"}:
            yield from _rows(tree, obj)


def read_pdf(data: bytes, name: str) -> Source | None:
    """The blocks of a tagged PDF; None when the PDF carries no structure tree."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return None
        tree = _Tree()
        blocks: list[Block] = []
        counter = [0, 0]
        for kid in tree.kids(root):
            _walk(tree, kid, None, blocks, counter)
    return Source(name, "pdf", tuple(blocks))


def untagged_text(data: bytes) -> str:
    """An untagged PDF's text, page by page: a line with several cells becomes a tab-separated
    row, others paragraphs; pages are separated by a blank line (a page break, as in the seeds)."""
    out: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            fonts = {name: Font(font, _to_unicode(font)) for name, font in page_fonts(page.obj).items()}
            out.extend(rows(lines(page_runs(page_contents(page.obj), fonts))))
            out.append("")
    return "\n".join(out)


def read_any_pdf(data: bytes, name: str) -> Source:
    """A tagged PDF through its structure; an untagged one as positioned text lines, with a note."""
    tagged = read_pdf(data, name)
    if tagged is not None:
        return tagged
    from prongsai.importing.settle import Notes
    from prongsai.importing.source_text import read_text

    text = read_text(untagged_text(data), name)
    notes = Notes(name)
    notes.warning("import_no_tables", None, "")
    return Source(name, "pdf", text.blocks, tuple(notes.found))
