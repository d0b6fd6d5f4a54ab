"""DOCX: the body's paragraphs and the tables themselves (cells with their own paragraphs).

A DOCX is an untrusted zip of XML. The container is checked before anything is unpacked
(:func:`prongsai.loader.archive.open_zip`: zip bombs, member counts, names); only the main document
part is inflated, under the ``file_bytes`` cap and checked against its declared size and CRC; it is
parsed with lxml's ``iterparse`` without entity substitution, DTD loading or network access, and a
DOCTYPE (which Word never writes) is refused. Body elements are dropped once read, so a long
document is never held twice, and paragraphs, rows and cells are counted against the limits while
parsing. A cell's ``w:gridSpan`` is checked against the table's grid: see :func:`_span`.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from prongsai.importing.model import Block, Cell, Para, Row, Source, Uncertain
from prongsai.importing.normalise import clean
from prongsai.loader.archive import damaged, local_name, open_zip, parse_part, read_member
from prongsai.loader.limits import LIMITS, Limits, check_time, over_limit, time_limit
from prongsai.problems import Location, warning

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BODY, P, T, TAB, TBL, TR, TC = (W + n for n in ("body", "p", "t", "tab", "tbl", "tr", "tc"))
TC_PR, GRID_SPAN, V_MERGE, VAL = (W + n for n in ("tcPr", "gridSpan", "vMerge", "val"))
TBL_GRID, GRID_COL = W + "tblGrid", W + "gridCol"
WORD_COLUMNS = 63  # Word's own limit on the columns of a table
MAIN_PART = "word/document.xml"


def _cell_parts(tc: Any) -> tuple[str, ...]:
    parts = []
    for paragraph in tc.iter(P):
        text = "".join(node.text or "" for node in paragraph.iter(T, TAB))
        text = clean(text)
        if text:
            parts.append(text)
    return tuple(parts)


class _Reader:
    """One document's blocks, notes and counts while its body is parsed."""

    def __init__(self, name: str, limits: Limits) -> None:
        self.name = name
        self.limits = limits
        self.location = Location(file=name)
        self.blocks: list[Block] = []
        self.notes: list[Uncertain] = []
        self.table = 0
        self.number = 0
        self.cells = 0

    def paragraph(self, p: Any) -> None:
        self.number += 1
        text = clean("".join(node.text or "" for node in p.iter(T)))
        if text:
            self.blocks.append(Para(text, self.number))

    def table_rows(self, tbl: Any) -> None:
        self.table += 1
        grid = _grid_columns(tbl)
        for row_number, tr in enumerate(tbl.iterchildren(TR), start=1):
            self.number += 1
            check_time()
            self.blocks.append(Row(self._row_cells(tr, grid, row_number), self.number, self.table))

    def _row_cells(self, tr: Any, grid: int, row_number: int) -> tuple[Cell, ...]:
        """One cell per grid column: a horizontally merged cell repeats, a vertical continuation is empty."""
        cells: list[Cell] = []
        for tc in tr.iterchildren(TC):
            properties = tc.find(TC_PR)
            span = 1
            continued = False
            cell = None
            if properties is not None:
                grid_span = properties.find(GRID_SPAN)
                if grid_span is not None:
                    cell = Cell(_cell_parts(tc))
                    span = self._span(grid_span.get(VAL), grid, len(cells), row_number, cell)
                v_merge = properties.find(V_MERGE)
                continued = v_merge is not None and v_merge.get(VAL, "continue") == "continue"
            if continued:
                cell = Cell(())
            elif cell is None:
                cell = Cell(_cell_parts(tc))
            cells.extend([cell] * span)
            if len(cells) > self.limits.columns:
                where = self.location.with_(line=self.number)
                raise over_limit("columns", where, self.limits.columns, len(cells))
        self.cells += len(cells)
        if self.cells > self.limits.cells:
            raise over_limit("cells", self.location, self.limits.cells, self.cells)
        return tuple(cells)

    def _span(self, value: str | None, grid: int, before: int, row_number: int, cell: Cell) -> int:
        """The columns a cell spans, from ``w:gridSpan``, at most the grid columns left in the row.

        A span larger than the table's grid (or than 63, Word's column limit), or one that is not a
        positive whole number, cannot be what the table shows: Word itself fits such a cell into the
        grid. The cell is clamped, not the document refused, because the fault is local (the text of
        the cell is still read whole) and a published document should not be lost for one attribute;
        but the clamped reading is not silent: it is an uncertain-reading note naming the table, the
        row and the value, so a person checks that row."""
        text = (value or "").strip()
        number = int(text) if text.isdigit() and len(text) <= 9 else 0
        room = max(1, grid - before)
        if 1 <= number <= room:
            return number
        used = room if number > room else 1
        problem = warning(
            "docx_grid_span",
            self.location.with_(line=self.number),
            table=self.table,
            row=row_number,
            value=(value or "")[:20],
            used=used,
            grid=grid,
        )
        self.notes.append(Uncertain(problem, cell.text[:200]))
        return used


def _grid_columns(tbl: Any) -> int:
    """The columns of a table's grid (``w:tblGrid``), at most Word's 63; 63 when there is no grid."""
    grid = tbl.find(TBL_GRID)
    count = sum(1 for _ in grid.iterchildren(GRID_COL)) if grid is not None else 0
    return min(count, WORD_COLUMNS) if count else WORD_COLUMNS


def main_part(data: bytes, archive: zipfile.ZipFile, location: Location, limits: Limits) -> zipfile.ZipInfo:
    """The main document part, as the package's relationships (``_rels/.rels``) name it."""
    members = {info.filename: info for info in archive.infolist()}
    name = MAIN_PART
    rels = members.get("_rels/.rels")
    if rels is not None:
        where = location.with_(field=rels.filename)
        root = parse_part(read_member(data, rels, location, limits, kind="docx"), where, kind="docx")
        for element in root.iter():
            if local_name(element.tag) == "Relationship" and (element.get("Type") or "").endswith(
                "/officeDocument"
            ):
                target = element.get("Target") or ""
                name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(target)
                break
    if name not in members:
        raise damaged(location, "docx", f"no {name}")
    return members[name]


def read_docx(data: bytes, name: str, limits: Limits = LIMITS) -> Source:
    location = Location(file=name)
    with time_limit(location, limits.seconds):
        with open_zip(data, location, limits, kind="docx") as archive:
            info = main_part(data, archive, location, limits)
            xml = read_member(data, info, location, limits, kind="docx", limit="file_bytes")
        reader = _Reader(name, limits)
        _parse_body(xml, reader, location.with_(field=info.filename))
    return Source(name, "docx", tuple(reader.blocks), tuple(reader.notes))


def _parse_body(xml: bytes, reader: _Reader, where: Location) -> None:
    """Feed the body's paragraphs and tables to the reader as each one ends, then drop it."""
    limits = reader.limits
    parsed = etree.iterparse(
        io.BytesIO(xml),
        events=("end",),
        tag=(P, TBL, TR),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
    )
    rows = paragraphs = 0
    checked = False
    try:
        for _, element in parsed:
            if not checked:
                _refuse_doctype(element, where)
                checked = True
            if element.tag == TR:
                rows += 1
                if rows > limits.rows:
                    raise over_limit("rows", where, limits.rows, rows)
                continue
            if element.tag == P:
                paragraphs += 1
                if paragraphs > limits.rows:
                    raise over_limit("rows", where, limits.rows, paragraphs)
                if paragraphs % 4096 == 0:
                    check_time()
            parent = element.getparent()
            if parent is None or parent.tag != BODY:
                continue
            if element.tag == P:
                reader.paragraph(element)
            else:
                reader.table_rows(element)
            element.clear()
            while element.getprevious() is not None:  # what came before is read: let it go
                del parent[0]
    except etree.XMLSyntaxError as exc:
        raise damaged(where, "docx", f"XMLSyntaxError: {exc}") from None
    if not checked and parsed.root is not None:
        _refuse_doctype(parsed.root, where)


def _refuse_doctype(element: Any, where: Location) -> None:
    """Word never writes a DOCTYPE; one is the way in for entity expansion and external entities."""
    if element.getroottree().docinfo.doctype:
        raise damaged(where, "docx", "DOCTYPE")
