"""WordprocessingML for table rows, written as text and parsed once per table.

python-docx builds every element through Python objects that search their parent for the schema
position of each new child; for a table of a few hundred cells that is most of the time a report
takes. Rows are therefore written here as XML text in schema order — the same elements, attributes
and order python-docx would produce (``tests/document/test_render_docx.py`` compares the two) — and
:func:`table_rows` parses all rows of a table in one ``lxml`` call.

The run rules of :mod:`prongsai.document.render_docx` hold: size and bold in both the plain and the
complex-script property (``w:sz``/``w:szCs``, ``w:b``/``w:bCs``). Text becomes runs the way
python-docx's ``add_run`` does: a tab is ``w:tab``, a line break ``w:br``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from docx.oxml.ns import nsdecls
from docx.oxml.parser import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement

_BREAKS = re.compile(r"(\t|\r|\n)")


@dataclass(frozen=True)
class CellXml:
    """One ``w:tc``: its width in twips, grid span, vertical merge, fill and paragraphs."""

    width: int
    span: int = 1
    merge: Literal["restart", "continue"] | None = None
    fill: str | None = None
    centre_vertically: bool = False
    paragraphs: tuple[str, ...] = ()  # from paragraph_xml; none gives the one empty w:p a cell needs


def _attr(name: str, value: str) -> str:
    return f" w:{name}={quoteattr(value)}"


def run_xml(text: str, half_points: str, *, bold: bool = False, underline: bool = False) -> str:
    """One ``w:r`` with direct size (and bold, underline) formatting."""
    props = "<w:b/><w:bCs/>" if bold else ""
    props += f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
    if underline:
        props += '<w:u w:val="single"/>'
    content = []
    for piece in _BREAKS.split(text):
        if piece == "\t":
            content.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            content.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if piece != piece.strip() else ""
            content.append(f"<w:t{space}>{escape(piece)}</w:t>")
    return f"<w:r><w:rPr>{props}</w:rPr>{''.join(content)}</w:r>"


def paragraph_xml(style_id: str, jc: str, runs: Iterable[str], *, keep_next: bool = False) -> str:
    """One ``w:p`` in paragraph style ``style_id`` with alignment ``jc`` (an ST_Jc value)."""
    keep = "<w:keepNext/>" if keep_next else ""
    props = f'<w:pStyle{_attr("val", style_id)}/>{keep}<w:jc w:val="{jc}"/>'
    return f"<w:p><w:pPr>{props}</w:pPr>{''.join(runs)}</w:p>"


def cell_xml(cell: CellXml) -> str:
    props = f'<w:tcW w:type="dxa" w:w="{cell.width}"/>'
    if cell.span > 1:
        props += f'<w:gridSpan w:val="{cell.span}"/>'
    if cell.merge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif cell.merge == "continue":
        props += "<w:vMerge/>"
    if cell.fill is not None:
        props += f'<w:shd w:val="clear" w:color="auto"{_attr("fill", cell.fill)}/>'
    if cell.centre_vertically:
        props += '<w:vAlign w:val="center"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{''.join(cell.paragraphs) or '<w:p/>'}</w:tc>"


def row_xml(cells: Sequence[CellXml], *, header: bool) -> str:
    """One ``w:tr`` that never splits across pages; a header row repeats on every page."""
    props = "<w:cantSplit/><w:tblHeader/>" if header else "<w:cantSplit/>"
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cell_xml(c) for c in cells)}</w:tr>"


_LOOK = (
    '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0"'
    ' w:noVBand="1" w:val="04A0"/>'
)


def table_xml(widths: Sequence[int], style_id: str | None) -> BaseOxmlElement:
    """An empty ``w:tbl`` with fixed layout: the column widths in ``w:gridCol`` (read by LibreOffice)
    and their sum in ``w:tblW``; rows are added with :func:`table_rows`."""
    props = f"<w:tblStyle{_attr('val', style_id)}/>" if style_id else ""
    props += f'<w:tblW w:type="dxa" w:w="{sum(widths)}"/><w:tblLayout w:type="fixed"/>{_LOOK}'
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return parse_xml(f"<w:tbl {nsdecls('w')}><w:tblPr>{props}</w:tblPr><w:tblGrid>{grid}</w:tblGrid></w:tbl>")


def table_rows(rows: Iterable[str]) -> list[BaseOxmlElement]:
    """The ``w:tr`` elements of ``rows`` (from row_xml), parsed together."""
    holder = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>")
    return list(holder)
