"""DOCX: the body's paragraphs and the tables themselves (cells with their own paragraphs)."""

from __future__ import annotations

import io
from typing import Any

from docx import Document as open_docx
from docx.oxml.ns import qn

from prongsai.importing.model import Block, Cell, Para, Row, Source
from prongsai.importing.normalise import clean


def _cell_parts(tc: Any) -> tuple[str, ...]:
    parts = []
    for paragraph in tc.iter(qn("w:p")):
        text = "".join(node.text or "" for node in paragraph.iter(qn("w:t"), qn("w:tab")))
        text = clean(text)
        if text:
            parts.append(text)
    return tuple(parts)


def _row_cells(tr: Any) -> tuple[Cell, ...]:
    """One cell per grid column: a horizontally merged cell repeats, a vertical continuation is empty."""
    cells: list[Cell] = []
    for tc in tr.iterchildren(qn("w:tc")):
        properties = tc.find(qn("w:tcPr"))
        span = 1
        continued = False
        if properties is not None:
            grid_span = properties.find(qn("w:gridSpan"))
            if grid_span is not None:
                span = int(grid_span.get(qn("w:val"), "1"))
            v_merge = properties.find(qn("w:vMerge"))
            continued = v_merge is not None and v_merge.get(qn("w:val"), "continue") == "continue"
        cell = Cell(()) if continued else Cell(_cell_parts(tc))
        cells.extend([cell] * span)
    return tuple(cells)


def read_docx(data: bytes, name: str) -> Source:
    document = open_docx(io.BytesIO(data))
    blocks: list[Block] = []
    table = 0
    number = 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            number += 1
            text = clean("".join(node.text or "" for node in child.iter(qn("w:t"))))
            if text:
                blocks.append(Para(text, number))
        elif child.tag == qn("w:tbl"):
            table += 1
            for tr in child.iterchildren(qn("w:tr")):
                number += 1
                blocks.append(Row(_row_cells(tr), number, table))
    return Source(name, "docx", tuple(blocks))
