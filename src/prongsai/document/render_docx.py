"""The document model as a Word file (python-docx), laid out the way Thai official documents are.

Thai font rules (STACK.md §2; Word takes Thai text from the *complex-script* properties):

* Every ``w:rFonts`` we write names ``style().docx_family`` in ``w:ascii``, ``w:hAnsi``, ``w:eastAsia``
  **and** ``w:cs``; ``w:cs`` is the one Word uses for Thai.
* Sizes are written as ``w:sz`` **and** ``w:szCs``, bold as ``w:b`` **and** ``w:bCs``: Word sizes and
  bolds Thai runs from the ``Cs`` twins. python-docx's ``run.font.size``/``bold`` write only the first,
  so runs are formatted here directly.
* ``w:lang`` carries ``w:val="th-TH" w:bidi="th-TH"`` (the template says ``ar-SA``).
* The template's theme attributes (``w:asciiTheme``, ``w:hAnsiTheme``, ``w:eastAsiaTheme``,
  ``w:cstheme``) are removed from every ``w:rFonts`` in styles.xml: a theme attribute wins over the
  font name, so Word would otherwise show the theme font. The template's stylesWithEffects.xml, which
  repeats the theme fonts for Word 2010, is dropped.
* Body paragraphs are justified with ``style().docx_justify`` (``both``: LibreOffice leaves
  ``thaiDistribute`` ragged).

Tables set column widths twice, in ``w:gridCol`` (LibreOffice reads it) and in every ``w:tcW`` (Word
reads that), with fixed layout. Header rows repeat on every page (``w:tblHeader``) and no row splits
across a page (``w:cantSplit``). Paragraphs use named Word styles (Title, Subtitle, Heading 1/2,
Normal, Caption, Note, Table Text) so a clerk can restyle the whole document in Word.

Page numbers: see :func:`_page_number` for how Thai digits are obtained.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal, cast

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row, CT_Tc
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section as DocxSection
from docx.shared import Cm, Length, Pt, Twips
from docx.styles.style import ParagraphStyle as DocxParagraphStyle
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from prongsai.document import charts, docx_xml
from prongsai.document.model import (
    Align,
    Cell,
    Document,
    Figure,
    Orientation,
    PageBreak,
    Paragraph,
    ParagraphStyle,
    Row,
    RowKind,
    Signatures,
    Table,
)
from prongsai.document.style import Margins, SizeName, style

LANG = "th-TH"
FIRST_LINE_INDENT = Cm(1.25)
HEADER_FILL = "D9D9D9"
GROUP_FILL = "F2F2F2"
SIGNATURE_SPACE = Pt(28)  # room above "ลงชื่อ ...." to sign
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

# Child order of the OOXML elements we add to (ECMA-376 Part 1, CT_RPr / CT_SectPr / CT_TcPr / CT_TrPr)
_RPR = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
    "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
    "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip
_SECTPR = (
    "w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type", "w:pgSz", "w:pgMar",
    "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt", "w:vAlign",
    "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings",
    "w:sectPrChange",
)  # fmt: skip
_TCPR = (
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap",
    "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
)  # fmt: skip
_TBLPR = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
          "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
          "w:tblLayout", "w:tblCellMar", "w:tblLook")  # fmt: skip
_TRPR = ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter", "w:cantSplit",
         "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")  # fmt: skip

WORD_STYLES: dict[ParagraphStyle, str] = {
    "title": "Title",
    "subtitle": "Subtitle",
    "heading1": "Heading 1",
    "heading2": "Heading 2",
    "body": "Normal",
    "note": "Note",
    "caption": "Caption",
}
TABLE_TEXT = "Table Text"
TABLE_TEXT_ID = "TableText"  # its style id
TABLE_GRID_ID = "TableGrid"  # the style id of "Table Grid"


@dataclass(frozen=True)
class _StyleSpec:
    size: SizeName
    bold: bool = False
    align: Align | None = None  # None: inherit (Normal is justified)
    before: float = 0.0  # points
    after: float = 0.0
    keep_next: bool = False


STYLE_SPECS: dict[str, _StyleSpec] = {
    "Normal": _StyleSpec("body", align="justify", after=4),
    "Title": _StyleSpec("title", bold=True, align="center", after=4, keep_next=True),
    "Subtitle": _StyleSpec("subtitle", align="center", after=10, keep_next=True),
    "Heading 1": _StyleSpec("heading1", bold=True, align="left", before=12, after=4, keep_next=True),
    "Heading 2": _StyleSpec("heading2", bold=True, align="left", before=8, after=2, keep_next=True),
    "Caption": _StyleSpec("caption", bold=True, align="center", before=2, after=8),
    "Note": _StyleSpec("note", after=4),
    TABLE_TEXT: _StyleSpec("table", align="left"),
    "Footer": _StyleSpec("footer", align="center"),
}
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


# --------------------------------------------------------------------------------------------------
# XML helpers
# --------------------------------------------------------------------------------------------------


@cache
def _later(order: tuple[str, ...], tag: str) -> frozenset[str]:
    """Clark names of the elements that must follow ``tag`` in a parent with child order ``order``."""
    return frozenset(qn(t) for t in order[order.index(tag) + 1 :])


def _child(parent: BaseOxmlElement, tag: str, order: tuple[str, ...], **attrs: str) -> BaseOxmlElement:
    """The ``tag`` child of ``parent`` (created in schema order if missing), with ``attrs`` set."""
    found = parent.find(qn(tag))
    if found is not None:
        element = cast(BaseOxmlElement, found)
    else:
        element = cast(BaseOxmlElement, OxmlElement(tag))
        later = _later(order, tag)
        successor = next((i for i, existing in enumerate(parent) if existing.tag in later), None)
        if successor is None:
            parent.append(element)
        else:
            parent.insert(successor, element)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _half_points(points: float) -> str:
    return str(round(points * 2))


def _alignment(align: Align) -> WD_ALIGN_PARAGRAPH:
    if align == "justify":
        both = style().docx_justify == "both"
        return WD_ALIGN_PARAGRAPH.JUSTIFY if both else WD_ALIGN_PARAGRAPH.THAI_JUSTIFY
    return ALIGN[align]


def _font_props(rpr: BaseOxmlElement, size: float | None, *, bold: bool = False, black: bool = False) -> None:
    """The Thai font rules on one ``w:rPr``: family in all four slots, Cs twins, Thai language."""
    family = style().docx_family
    fonts = _child(rpr, "w:rFonts", _RPR, ascii=family, hAnsi=family, eastAsia=family, cs=family)
    for attr in THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    if bold:
        _child(rpr, "w:b", _RPR)
        _child(rpr, "w:bCs", _RPR)
    if black:
        colour = _child(rpr, "w:color", _RPR, val="000000")
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            colour.attrib.pop(qn(attr), None)
    if size is not None:
        _child(rpr, "w:sz", _RPR, val=_half_points(size))
        _child(rpr, "w:szCs", _RPR, val=_half_points(size))
    _child(rpr, "w:lang", _RPR, val=LANG, bidi=LANG)


def _format_run(rpr: BaseOxmlElement, size: float, *, bold: bool = False, underline: bool = False) -> None:
    """Direct run formatting: size (and bold) in both the plain and the complex-script property."""
    if bold:
        _child(rpr, "w:b", _RPR)
        _child(rpr, "w:bCs", _RPR)
    _child(rpr, "w:sz", _RPR, val=_half_points(size))
    _child(rpr, "w:szCs", _RPR, val=_half_points(size))
    if underline:
        _child(rpr, "w:u", _RPR, val="single")


def _add_run(
    paragraph: DocxParagraph, text: str, size: float, *, bold: bool = False, underline: bool = False
) -> None:
    run = paragraph.add_run(text)
    _format_run(run._r.get_or_add_rPr(), size, bold=bold, underline=underline)


# --------------------------------------------------------------------------------------------------
# Styles and document-wide settings
# --------------------------------------------------------------------------------------------------


def _strip_theme_fonts(doc: DocxDocument) -> None:
    for fonts in doc.styles.element.iter(qn("w:rFonts")):
        for attr in THEME_ATTRS:
            fonts.attrib.pop(qn(attr), None)
    part = doc.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            part.drop_rel(rid)


def _doc_defaults(doc: DocxDocument) -> None:
    root = doc.styles.element
    rpr = cast(BaseOxmlElement, root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}"))
    _font_props(rpr, style().docx_pt("body"))
    spacing = root.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:
        spacing.attrib.clear()
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")


def _paragraph_style(doc: DocxDocument, name: str) -> DocxParagraphStyle:
    names = {s.name for s in doc.styles}
    if name not in names:
        created = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        created.base_style = doc.styles["Normal"]
        created.quick_style = True
    return cast(DocxParagraphStyle, doc.styles[name])


def _apply_style(doc: DocxDocument, name: str, spec: _StyleSpec) -> None:
    word = _paragraph_style(doc, name)
    ppr = word.element.get_or_add_pPr()
    for tag in ("w:pBdr", "w:numPr", "w:contextualSpacing"):  # Title's rule, Subtitle's list numbering
        for found in ppr.findall(qn(tag)):
            ppr.remove(found)
    fmt = word.paragraph_format
    fmt.space_before, fmt.space_after = Pt(spec.before), Pt(spec.after)
    fmt.line_spacing = 1.0
    if spec.keep_next:
        fmt.keep_with_next = True
    if spec.align is not None:
        fmt.alignment = _alignment(spec.align)
    rpr = word.element.get_or_add_rPr()
    for tag in ("w:i", "w:iCs", "w:spacing", "w:kern"):
        for found in rpr.findall(qn(tag)):
            rpr.remove(found)
    _font_props(rpr, style().docx_pt(spec.size), bold=spec.bold, black=True)
    linked = word.element.find(qn("w:link"))
    if linked is not None:  # the "Heading 1 Char" twin Word uses when a style is applied to part of a line
        char = doc.styles.element.get_by_id(linked.get(qn("w:val"), ""))
        if char is not None:
            _font_props(char.get_or_add_rPr(), style().docx_pt(spec.size), bold=spec.bold, black=True)


def _table_grid(doc: DocxDocument) -> None:
    grid = doc.styles["Table Grid"]
    _font_props(grid.element.get_or_add_rPr(), style().docx_pt("table"))


def _settings(doc: DocxDocument) -> None:
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:  # theme fonts a clerk may still pick resolve to the Thai script font
        lang.set(qn("w:bidi"), LANG)


@cache
def _prepared_template() -> bytes:
    """python-docx's default template with the Thai styles and settings applied, made once per process
    (restyling takes longer than opening a package)."""
    doc = docx.Document()
    _doc_defaults(doc)
    for name, spec in STYLE_SPECS.items():
        _apply_style(doc, name, spec)
    _table_grid(doc)
    _strip_theme_fonts(doc)
    _settings(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def warm_up() -> None:
    """Prepare the styled template now (before a batch forks its workers), not in the first document."""
    _prepared_template()


CORE_PROPERTY_CHARS = 255  # what Word's file properties hold (python-docx refuses more)


def _property(text: str) -> str:
    """A file property: the document's own text, cut with an ellipsis where Word's limit requires."""
    if len(text) <= CORE_PROPERTY_CHARS:
        return text
    return text[: CORE_PROPERTY_CHARS - 1] + "…"


def _properties(doc: DocxDocument, document: Document) -> None:
    props = doc.core_properties
    props.title = _property(document.title)
    props.author = _property(document.agency)
    props.last_modified_by = _property(document.agency)
    props.language = LANG
    props.comments = ""
    props.revision = 1
    for tag in ("dcterms:created", "dcterms:modified"):  # the template's 2013 dates would be false
        for found in props._element.findall(qn(tag)):
            props._element.remove(found)


# --------------------------------------------------------------------------------------------------
# Sections, footers and page numbers
# --------------------------------------------------------------------------------------------------


def _margins(orientation: Orientation) -> Margins:
    return style().landscape_margins if orientation == "landscape" else style().margins


def text_width(orientation: Orientation) -> Length:
    """The width between the margins of a page of this orientation."""
    short, long = style().page_cm
    margins = _margins(orientation)
    page = long if orientation == "landscape" else short
    return Cm(page - margins.left - margins.right)


def _setup_page(section: DocxSection, orientation: Orientation, thai_digits: bool) -> None:
    short, long = style().page_cm
    landscape = orientation == "landscape"
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Cm(long), Cm(short)) if landscape else (Cm(short), Cm(long))
    margins = _margins(orientation)
    section.top_margin, section.bottom_margin = Cm(margins.top), Cm(margins.bottom)
    section.left_margin, section.right_margin = Cm(margins.left), Cm(margins.right)
    section.header_distance, section.footer_distance = Cm(1.25), Cm(1.0)
    section.gutter = Cm(0)
    if thai_digits:
        _child(section._sectPr, "w:pgNumType", _SECTPR, fmt="thaiNumbers")


def _field_char(paragraph: DocxParagraph, kind: str, size: float) -> None:
    run = paragraph.add_run()
    _format_run(run._r.get_or_add_rPr(), size)
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def _page_number(paragraph: DocxParagraph, thai_digits: bool) -> None:
    """A ``PAGE`` field, numbered in the section's page-number format.

    Thai digits come from ``w:pgNumType w:fmt="thaiNumbers"`` (ST_NumberFormat, ECMA-376 §17.18.59)
    on every section, not from a ``\\* ThaiArabic`` switch in the field code. A field without a
    format switch takes the section's format in Word (this is what Word's own "Format Page Numbers"
    writes), and LibreOffice maps the section format to its page style. LibreOffice's DOCX import
    reads ``\\* ThaiArabic`` as Thai *letters* (ก ข ค), so the switch would be wrong there; and a
    switch would override a clerk's later choice in Word's page-number dialog. The cached result is
    "1" in the document's digits, for readers that show cached field results without updating them.
    """
    size = style().docx_pt("footer")
    _field_char(paragraph, "begin", size)
    run = paragraph.add_run()
    _format_run(run._r.get_or_add_rPr(), size)
    code = OxmlElement("w:instrText")
    code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    code.text = " PAGE "
    run._r.append(code)
    _field_char(paragraph, "separate", size)
    _add_run(paragraph, "๑" if thai_digits else "1", size)
    _field_char(paragraph, "end", size)


def _footer(section: DocxSection, document: Document) -> None:
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = "Footer"
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if document.page_label:
        _add_run(paragraph, f"{document.page_label} ", style().docx_pt("footer"))
    _page_number(paragraph, document.thai_digits)


# --------------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Slot:
    """One ``w:tc``: a model cell, or (``cell is None``) the continuation of a row-spanning cell."""

    cell: Cell | None
    column: int
    span: int
    merge: Literal["restart", "continue"] | None = None


def _header_slots(header: Sequence[Row], width: int) -> list[list[_Slot]]:
    """Lay header rows out on the grid, adding a continuation slot under each row-spanning cell."""
    below: dict[tuple[int, int], int] = {}  # (row, column) -> colspan of the cell spanning into it
    out: list[list[_Slot]] = []
    for r, row in enumerate(header):
        cells, slots, column = iter(row.cells), [], 0
        while column < width:
            if (r, column) in below:
                slots.append(_Slot(None, column, below[(r, column)], "continue"))
                column += below[(r, column)]
                continue
            item = next(cells)
            for dr in range(1, item.rowspan):
                below[(r + dr, column)] = item.colspan
            slots.append(_Slot(item, column, item.colspan, "restart" if item.rowspan > 1 else None))
            column += item.colspan
        out.append(slots)
    return out


def _body_slots(row: Row) -> list[_Slot]:
    slots, column = [], 0
    for item in row.cells:
        slots.append(_Slot(item, column, item.colspan))
        column += item.colspan
    return slots


def _twips(widths: Sequence[float], total: Length) -> list[int]:
    """Relative widths as twips summing exactly to ``total``."""
    whole, scale = round(total.twips), sum(widths)
    edges = [round(whole * sum(widths[: i + 1]) / scale) for i in range(len(widths))]
    return [b - a for a, b in zip([0, *edges[:-1]], edges, strict=True)]


def _new_table(doc: DocxDocument, widths: Sequence[int], grid: bool) -> DocxTable:
    tbl = docx_xml.table_xml(widths, TABLE_GRID_ID if grid else None)
    doc.element.body._insert_tbl(tbl)
    return DocxTable(tbl, doc._body)


def _add_tr(table: DocxTable, *, header: bool) -> CT_Row:
    tr = table._tbl.add_tr()
    trpr = tr.get_or_add_trPr()
    _child(trpr, "w:cantSplit", _TRPR)  # a row never breaks across pages
    if header:
        _child(trpr, "w:tblHeader", _TRPR)  # repeated at the top of every page
    return tr


def _add_tc(tr: CT_Row, slot: _Slot, widths: Sequence[int]) -> CT_Tc:
    tc = tr.add_tc()
    tc.width = Twips(sum(widths[slot.column : slot.column + slot.span]))  # w:tcW, read by Word
    if slot.span > 1:
        tc.grid_span = slot.span
    return tc


def _jc(align: Align) -> str:
    """The ST_Jc value of an alignment (``w:jc``)."""
    if align == "justify":
        return "both" if style().docx_justify == "both" else "thaiDistribute"
    return align


def _cell_paragraphs(item: Cell, align: Align, bold: bool, keep_next: bool) -> tuple[str, ...]:
    """One paragraph per line of the model cell, in the Table Text style."""
    size = _half_points(style().docx_pt("table"))
    return tuple(
        docx_xml.paragraph_xml(
            TABLE_TEXT_ID,
            _jc(align),
            [docx_xml.run_xml(line, size, bold=bold)] if line else [],
            keep_next=keep_next,  # header and group rows stay with the row after them
        )
        for line in item.lines or ("",)
    )


def _row_xml(slots: Sequence[_Slot], widths: Sequence[int], model: Table, kind: RowKind | None) -> str:
    """One row as XML; ``kind`` None is a header row."""
    fill = HEADER_FILL if kind is None else GROUP_FILL if kind == "group" else None
    cells = []
    for slot in slots:
        paragraphs: tuple[str, ...] = ()
        if slot.cell is not None:
            align = slot.cell.align or ("center" if kind is None else model.columns[slot.column].align)
            bold = slot.cell.bold or kind != "body"
            paragraphs = _cell_paragraphs(slot.cell, align, bold, keep_next=kind in (None, "group"))
        width = sum(widths[slot.column : slot.column + slot.span])  # w:tcW, read by Word
        cells.append(docx_xml.CellXml(width, slot.span, slot.merge, fill, kind is None, paragraphs))
    return docx_xml.row_xml(cells, header=kind is None)


# --------------------------------------------------------------------------------------------------
# The writer
# --------------------------------------------------------------------------------------------------


class _Writer:
    """Adds model blocks to a python-docx document, one section at a time."""

    def __init__(self, document: Document) -> None:
        self.model = document
        self.doc = docx.Document(io.BytesIO(_prepared_template()))
        self.width: Length = text_width("portrait")
        self.page_break = False  # a PageBreak waits for the next paragraph
        self.after_table = False  # two tables in a row need a paragraph between them, or Word joins them
        self.style_ids: dict[str, str] = {}

    def section(self, index: int, orientation: Orientation) -> None:
        self.page_break = False  # a new section starts on a new page anyway
        section = self.doc.sections[0] if index == 0 else self.doc.add_section(WD_SECTION.NEW_PAGE)
        _setup_page(section, orientation, self.model.thai_digits)
        _footer(section, self.model)
        self.width = text_width(orientation)
        self.after_table = False

    def paragraph(self, style_name: str) -> DocxParagraph:
        # python-docx looks a style name up by scanning every style on each call; the id is cached
        if style_name not in self.style_ids:
            self.style_ids[style_name] = self.doc.styles[style_name].style_id
        paragraph = self.doc.add_paragraph()
        paragraph._p.get_or_add_pPr().style = self.style_ids[style_name]
        if self.page_break:
            paragraph.paragraph_format.page_break_before = True
            self.page_break = False
        self.after_table = False
        return paragraph

    def text(self, block: Paragraph, *, keep_next: bool = False) -> None:
        paragraph = self.paragraph(WORD_STYLES[block.style])
        if keep_next:
            paragraph.paragraph_format.keep_with_next = True
        if block.align is not None:
            paragraph.alignment = _alignment(block.align)
        if block.first_line_indent:
            paragraph.paragraph_format.first_line_indent = FIRST_LINE_INDENT
        size = style().docx_pt(block.style)
        for run in block.runs:
            _add_run(paragraph, run.text, size, bold=run.bold, underline=run.underline)

    def caption(self, text: str, *, above: bool) -> None:
        paragraph = self.paragraph("Caption")
        if above:
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.space_before, paragraph.paragraph_format.space_after = Pt(8), Pt(2)
        _add_run(paragraph, text, style().docx_pt("caption"), bold=True)

    def before_table(self) -> None:
        if self.page_break or self.after_table:
            spacer = self.paragraph("Normal")
            spacer.paragraph_format.space_after = Pt(0)
        self.after_table = True

    def table(self, block: Table) -> None:
        if block.caption:
            self.caption(block.caption, above=True)
        self.before_table()
        widths = _twips([c.width for c in block.columns], self.width)
        table = _new_table(self.doc, widths, grid=True)
        rows = [
            _row_xml(slots, widths, block, None) for slots in _header_slots(block.header, len(block.columns))
        ]
        rows += [_row_xml(_body_slots(row), widths, block, row.kind) for row in block.rows]
        table._tbl.extend(docx_xml.table_rows(rows))

    def figure(self, block: Figure) -> None:
        width_cm = min(block.width_cm, self.width.cm)
        png = charts.chart_png(block.chart, width_cm)
        paragraph = self.paragraph("Normal")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
        self.caption(block.caption, above=False)

    def signatures(self, block: Signatures) -> None:
        """Two signers a row, a lone last signer centred across the row; the block stays on one page."""
        self.before_table()
        widths = _twips([1.0, 1.0], self.width)
        table = _new_table(self.doc, widths, grid=False)
        signers = block.signers
        for start in range(0, len(signers), 2):
            pair = signers[start : start + 2]
            tr = _add_tr(table, header=False)
            last_row = start + 2 >= len(signers)
            for i, signer in enumerate(pair):
                slot = _Slot(None, i, 2 if len(pair) == 1 else 1)
                cell = _Cell(_add_tc(tr, slot, widths), table)
                _signature_cell(cell, signer.lines, keep_next=not last_row)

    def block(
        self, block: Paragraph | Table | Figure | Signatures | PageBreak, *, keep_next: bool = False
    ) -> None:
        if isinstance(block, Paragraph):
            self.text(block, keep_next=keep_next)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):
            self.figure(block)
        elif isinstance(block, Signatures):
            self.signatures(block)
        else:
            self.page_break = True


def _signature_cell(cell: _Cell, lines: Sequence[str], *, keep_next: bool) -> None:
    size = style().docx_pt("body")
    for i, line in enumerate(lines or ("",)):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = paragraph.paragraph_format
        fmt.space_before, fmt.space_after = (SIGNATURE_SPACE if i == 0 else Pt(0)), Pt(0)
        fmt.keep_with_next = keep_next or i < len(lines) - 1
        fmt.first_line_indent = Pt(0)
        _add_run(paragraph, line, size)


def _stable_zip(data: bytes) -> bytes:
    """The same package with fixed member timestamps, so equal documents give equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def render_docx(document: Document) -> bytes:
    """The document as the bytes of a .docx file."""
    writer = _Writer(document)
    _properties(writer.doc, document)
    for index, section in enumerate(document.sections):
        writer.section(index, section.orientation)
        kept = section.kept_with_next()
        for n, block in enumerate(section.blocks):
            writer.block(block, keep_next=n in kept)
    out = io.BytesIO()
    writer.doc.save(out)
    return _stable_zip(out.getvalue())
