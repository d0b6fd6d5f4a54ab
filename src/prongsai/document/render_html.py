"""HTML renderer: a :class:`~prongsai.document.model.Document` as one self-contained HTML page.

The page serves two purposes: a preview in any browser (and later in the web app), and the input of
the PDF renderer (``render_pdf.py``), which prints it with Chromium. Print layout is plain CSS:
``@page`` rules with the margins of ``style.yaml``, a named ``landscape`` page for landscape
sections, and a ``@bottom-center`` page-margin box for the page number (Chromium 131 and later).
The Sarabun fonts are embedded as ``data:`` URLs, so the page needs no file or network access;
charts are inline SVG from ``charts.py`` (text as text, in the embedded Sarabun). The markup is in
``templates/report.html.j2`` and the CSS in ``templates/report.css``; this module only turns model
blocks into simple views.

Thai marks reach beyond the line box: at line-height 1.35 a tone mark stacked on an upper vowel
(ที่, ชี้) stands about 0.2 em above it, a tail or lower vowel (ฏู, กุ) about 0.3 em below. Chromium
paints each printed page from one long strip of pages laid end to end, clipped to the page, so the
ink above the first line of a page fell on the foot of the page before it, and the ink below the last
line on the head of the next one; the stray marks were in the PDF's text layer too. Every page's
content therefore starts and ends with room for that ink (:func:`ink_room`): the sections get that
padding on each page (``box-decoration-break: clone``) and the page margins shrink by as much, so
text stands where it stood and breaks where it broke.
"""

from __future__ import annotations

import base64
import itertools
import math
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from prongsai.document.charts import chart_svg
from prongsai.document.model import (
    Align,
    Cell,
    Document,
    Figure,
    PageBreak,
    Paragraph,
    Row,
    Section,
    Signatures,
    Table,
)
from prongsai.document.style import SizeName, font_files, style

# Paragraph styles that are headings get heading elements, so the PDF has an outline and tags.
_TAGS = {"title": "h1", "heading1": "h2", "heading2": "h3"}
_FACES = {  # font_files() key -> (CSS font-weight, CSS font-style)
    "regular": ("normal", "normal"),
    "bold": ("bold", "normal"),
    "italic": ("normal", "italic"),
    "bolditalic": ("bold", "italic"),
}


@dataclass(frozen=True)
class _CellView:
    lines: tuple[str, ...]
    colspan: int
    rowspan: int
    classes: str


@dataclass(frozen=True)
class _RowView:
    kind: str
    cells: tuple[_CellView, ...]


def render_html(document: Document, *, embed_fonts: bool = True, ink_room: bool = True) -> str:
    """The document as one HTML page (UTF-8, ``lang="th"``), ready to show or to print to PDF.

    With ``embed_fonts`` the four Sarabun files are included as base64 ``data:`` URLs (about
    650 kB of HTML), so the page looks the same anywhere; without, the page only names the font
    (Sarabun, then TH Sarabun New, Loma, Garuda) and uses what the reader's system has.
    ``ink_room=False`` leaves out the room for Thai marks at page breaks (see the module's
    docstring): only to show, in tests, what that room changes.
    """
    env = _environment()
    figures = itertools.count(1)
    css = env.get_template("report.css").render(_css_context(document, embed_fonts, ink_room))
    return env.get_template("report.html.j2").render(
        title=document.title,
        author=document.agency,
        metadata=document.metadata,
        css=Markup(css),
        sections=[_section_view(s, figures) for s in document.sections],
    )


# "พ.ศ." and the year that follows it are one unit a line must not split ("พ.ศ. / ๒๕๖๙")
_ERA_YEAR = re.compile(r"(พ\.ศ\.) (?=[0-9\u0e50-\u0e59])")


def keep_together(value: object) -> object:
    """Every printed text, with a no-break space between 'พ.ศ.' and its year."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value  # markup made here (SVG, CSS) is left as it is
    return _ERA_YEAR.sub("\\1\u00a0", value)


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("prongsai", "document/templates"),
        autoescape=True,
        finalize=keep_together,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


# --------------------------------------------------------------------------------------------------
# CSS
# --------------------------------------------------------------------------------------------------


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string, safe inside a ``<style>`` element."""
    out = []
    for ch in text:
        if ch in '"\\<>&' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return Markup('"' + "".join(out) + '"')


def page_number_content(document: Document) -> Markup:
    """The CSS ``content`` of the page-number box: the page label, then the page counter."""
    counter = "counter(page, thai)" if document.thai_digits else "counter(page)"
    if not document.page_label:
        return Markup(counter)
    return Markup(f"{css_string(document.page_label + ' ')} {counter}")


_SIZES: tuple[SizeName, ...] = (
    "title",
    "subtitle",
    "heading1",
    "heading2",
    "body",
    "note",
    "caption",
    "table",
    "footer",
)


def _css_context(document: Document, embed_fonts: bool, with_ink_room: bool = True) -> dict[str, Any]:
    st = style()
    width, height = st.page_cm
    return {
        "family": Markup(css_string(st.family)[1:-1]),
        "fonts": _font_faces() if embed_fonts else [],
        "sizes": {name: st.rendered_pt(name) for name in _SIZES},
        "line_height": st.line_height,
        "margins": st.margins,
        "landscape": st.landscape_margins,
        "page": {"width": width, "height": height},
        "page_number": page_number_content(document),
        "ink": ink_room() if with_ink_room else {"top": 0, "bottom": 0},
    }


@cache
def ink_room() -> dict[str, int]:
    """CSS pixels of room above the first and below the last line of every page for the ink of
    Thai marks that stands outside the line box, at the largest text size the document uses.

    How far glyphs may reach is what the font itself declares for clipping (OS/2 usWinAscent and
    usWinDescent: 1.286 and 0.567 em for Sarabun, against stacked marks measured at 1.277 and a
    lower vowel under ฏ at 0.559); the line box is what CSS gives a ``line-height`` of
    ``style.yaml`` around the font's ascent and descent (OS/2 typo metrics when the font says to
    use them, else hhea; 1.068 and 0.232 em). Whole pixels, plus one for Chromium rounding the
    font's ascent and descent to pixels: the page margins shrink by the same whole pixels, and only
    then do pages break exactly where they did without this room.
    """
    line_height = style().line_height
    largest_pt = max(style().rendered_pt(name) for name in _SIZES)
    above = below = 0.0
    for path in font_files().values():
        m = _vertical_metrics(path.read_bytes())
        half_leading = (line_height - m.ascent - m.descent) / 2
        above = max(above, m.win_ascent - (m.ascent + half_leading))
        below = max(below, m.win_descent - (m.descent + half_leading))
    px = largest_pt * 4 / 3  # one em of the largest text, in CSS pixels
    return {"top": math.ceil(max(above, 0.0) * px) + 1, "bottom": math.ceil(max(below, 0.0) * px) + 1}


@dataclass(frozen=True)
class _Metrics:
    """A font's vertical metrics in em: what CSS makes the line box of, and how far glyphs reach."""

    ascent: float
    descent: float
    win_ascent: float
    win_descent: float


def _vertical_metrics(font: bytes) -> _Metrics:
    """Read from the font's head, hhea and OS/2 tables (OpenType spec offsets). CSS uses the OS/2
    typo metrics when the font sets USE_TYPO_METRICS (fsSelection bit 7), else hhea."""
    count = struct.unpack_from(">H", font, 4)[0]
    tables = {}
    for i in range(count):
        tag, _, offset, _ = struct.unpack_from(">4sIII", font, 12 + 16 * i)
        tables[tag] = offset
    em = struct.unpack_from(">H", font, tables[b"head"] + 18)[0]
    hhea_ascent, hhea_descent = struct.unpack_from(">hh", font, tables[b"hhea"] + 4)
    os2 = tables[b"OS/2"]
    selection = struct.unpack_from(">H", font, os2 + 62)[0]
    typo_ascent, typo_descent = struct.unpack_from(">hh", font, os2 + 68)
    win_ascent, win_descent = struct.unpack_from(">HH", font, os2 + 74)
    ascent, descent = (typo_ascent, typo_descent) if selection & (1 << 7) else (hhea_ascent, hhea_descent)
    return _Metrics(ascent / em, -descent / em, win_ascent / em, win_descent / em)


@cache
def _font_faces() -> tuple[dict[str, str], ...]:
    faces = []
    for key, path in font_files().items():
        weight, font_style = _FACES[key]
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        faces.append({"weight": weight, "style": font_style, "url": f"data:font/ttf;base64,{data}"})
    return tuple(faces)


# --------------------------------------------------------------------------------------------------
# Block views: what the template needs, computed here so the template stays markup
# --------------------------------------------------------------------------------------------------


def _section_view(section: Section, figures: Iterator[int]) -> dict[str, Any]:
    """``figures`` numbers the figures of the document, so each SVG gets its own element ids."""
    kept = section.kept_with_next()
    blocks = [_block_view(b, figures) for b in section.blocks]
    for n in kept:  # a paragraph kept on the page of the signatures after it
        blocks[n]["classes"] += " keep-next"
    return {"orientation": section.orientation, "blocks": blocks}


def _block_view(
    block: Paragraph | Table | Figure | Signatures | PageBreak, figures: Iterator[int]
) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return _paragraph_view(block)
    if isinstance(block, Table):
        return _table_view(block)
    if isinstance(block, Figure):
        return _figure_view(block, next(figures))
    if isinstance(block, Signatures):
        return {"kind": "signatures", "signers": block.signers}
    return {"kind": "page_break"}


def _paragraph_view(p: Paragraph) -> dict[str, Any]:
    classes: list[str] = [p.style]
    if p.align is not None:
        classes.append(f"align-{p.align}")
    if p.first_line_indent:
        classes.append("indent")
    return {"kind": "paragraph", "tag": _TAGS.get(p.style, "p"), "classes": " ".join(classes), "runs": p.runs}


def _table_view(table: Table) -> dict[str, Any]:
    total = sum(c.width for c in table.columns) or 1.0
    widths = [f"{100 * c.width / total:.3f}".rstrip("0").rstrip(".") for c in table.columns]
    aligns = [c.align for c in table.columns]
    return {
        "kind": "table",
        "key": table.key,
        "caption": table.caption,
        "widths": widths,
        "header": [_row_view(row, None) for row in table.header],
        "rows": [_row_view(row, aligns) for row in table.rows],
    }


def _row_view(row: Row, aligns: list[Align] | None) -> _RowView:
    """Header rows (``aligns`` None) are centred by the CSS; body cells take their column's alignment."""
    cells = []
    column = 0
    for item in row.cells:
        align = item.align or (aligns[column] if aligns is not None else None)
        cells.append(_cell_view(item, align))
        column += item.colspan
    return _RowView(row.kind, tuple(cells))


def _cell_view(item: Cell, align: Align | None) -> _CellView:
    classes = []
    if align is not None:
        classes.append(f"align-{align}")
    if item.bold:
        classes.append("bold")
    return _CellView(item.lines or ("",), item.colspan, item.rowspan, " ".join(classes))


def _figure_view(figure: Figure, number: int) -> dict[str, Any]:
    svg = inline_svg(chart_svg(figure.chart, figure.width_cm), f"fig{number}-", figure.chart.title)
    return {
        "kind": "figure",
        "key": figure.chart.key,
        "svg": svg,
        "caption": figure.caption,
        "width_cm": figure.width_cm,
    }


_SVG_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_SVG_XMLNS = re.compile(r'\s+xmlns(?::[\w-]+)?="[^"]*"')
_SVG_ID_USES = re.compile(r'(\bid="|\bhref="#|url\(#)')


def inline_svg(svg: str, id_prefix: str, label: str) -> Markup:
    """matplotlib's SVG made fit to sit inside HTML: without the RDF metadata and namespace
    declarations (which carry the only URLs), ``xlink:href`` as plain ``href``, every element id
    prefixed so that two charts on one page cannot clash, and the chart's title as its label."""
    svg = _SVG_METADATA.sub("", svg)
    svg = _SVG_XMLNS.sub("", svg).replace("xlink:href=", "href=")
    svg = _SVG_ID_USES.sub(lambda m: m.group(1) + id_prefix, svg)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return Markup(svg)
