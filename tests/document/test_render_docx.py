"""DOCX renderer: the file opens in python-docx and carries the Thai font rules and table layout."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, replace

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from prongsai.document.model import (
    Column,
    Document,
    Figure,
    Row,
    Section,
    Table,
    cell,
    paragraph,
    with_thai_digits,
)
from prongsai.document.render_docx import render_docx
from tests.document.sample import sample_document

FAMILY = "TH Sarabun New"
THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Rendered:
    model: Document
    data: bytes
    doc: DocxDocument

    def part(self, name: str) -> etree._Element:
        with zipfile.ZipFile(io.BytesIO(self.data)) as package:
            return etree.fromstring(package.read(name))

    def names(self) -> list[str]:
        with zipfile.ZipFile(io.BytesIO(self.data)) as package:
            return package.namelist()

    def data_tables(self) -> list[DocxTable]:
        return [t for t in self.doc.tables if _style_id(t) == "TableGrid"]


def _render(model: Document) -> Rendered:
    data = render_docx(model)
    return Rendered(model, data, docx.Document(io.BytesIO(data)))


@pytest.fixture(scope="module")
def arabic() -> Rendered:
    return _render(sample_document(rows=40))


@pytest.fixture(scope="module")
def thai() -> Rendered:
    return _render(with_thai_digits(sample_document()))


def _style_id(table: DocxTable) -> str | None:
    found = table._tbl.tblPr.find(qn("w:tblStyle"))
    return None if found is None else found.get(qn("w:val"))


def _cells(table: DocxTable, row: int) -> list[_Cell]:
    """The cells a row really has: no repeats for column spans, none for the lower part of a row span."""
    return [_Cell(tc, table) for tc in table.rows[row]._tr.tc_lst if tc.vMerge != "continue"]


def _docx_text(doc: DocxDocument) -> str:
    """The rendered document in the shape of ``Document.text()``: paragraphs, table rows joined by tabs,
    signature lines one by one; empty paragraphs left out."""
    out: list[str] = []
    for block in doc.iter_inner_content():
        if isinstance(block, DocxParagraph):
            out.append(block.text)
        elif _style_id(block) == "TableGrid":
            out += ["\t".join(c.text for c in _cells(block, r)) for r in range(len(block.rows))]
        else:
            out += [p.text for r in range(len(block.rows)) for c in _cells(block, r) for p in c.paragraphs]
    return "\n".join(line for line in out if line)


def _model_text(model: Document) -> str:
    return "\n".join(line for line in model.text().split("\n") if line)


def _trpr(table: DocxTable, row: int) -> BaseOxmlElement:
    trpr = table.rows[row]._tr.trPr
    assert trpr is not None
    return trpr


@pytest.mark.parametrize("which", ["arabic", "thai"])
def test_all_text_in_order(which: str, request: pytest.FixtureRequest) -> None:
    rendered: Rendered = request.getfixturevalue(which)
    assert _docx_text(rendered.doc) == _model_text(rendered.model)


def test_deterministic_bytes(arabic: Rendered) -> None:
    assert render_docx(arabic.model) == arabic.data


def test_sections_and_orientation(arabic: Rendered) -> None:
    sections = arabic.doc.sections
    assert [s.page_width > s.page_height for s in sections] == [False, True, False]
    assert [s.orientation for s in sections] == [0, 1, 0]  # WD_ORIENT.PORTRAIT, LANDSCAPE
    portrait, landscape = sections[0], sections[1]
    assert round(portrait.page_width.cm, 1) == 21.0 and round(portrait.page_height.cm, 1) == 29.7
    assert round(portrait.left_margin.cm, 2) == 3.0 and round(portrait.right_margin.cm, 2) == 2.0
    assert round(landscape.page_width.cm, 1) == 29.7 and round(landscape.left_margin.cm, 2) == 2.0
    assert sections[2].start_type == 2  # WD_SECTION.NEW_PAGE


def test_header_rows_repeat_and_rows_never_split(arabic: Rendered) -> None:
    tables = arabic.data_tables()
    models = arabic.model.tables()
    assert len(tables) == len(models) == 2
    for table, model in zip(tables, models, strict=True):
        assert len(table.rows) == len(model.header) + len(model.rows)
        for r in range(len(table.rows)):
            trpr = _trpr(table, r)
            assert trpr.find(qn("w:cantSplit")) is not None
            assert (trpr.find(qn("w:tblHeader")) is not None) == (r < len(model.header))
    assert len(tables[1].rows) == 2 + 1 + 40  # two header rows, a group row, forty measures


def test_column_widths_on_grid_and_cells(arabic: Rendered) -> None:
    text_widths = {"indicator_scores": Cm(16).twips, "measures": Cm(25.7).twips}
    for table, model in zip(arabic.data_tables(), arabic.model.tables(), strict=True):
        grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.gridCol_lst]
        assert abs(sum(grid) - text_widths[model.key]) <= 1
        total = sum(c.width for c in model.columns)
        for got, column in zip(grid, model.columns, strict=True):
            assert abs(got - sum(grid) * column.width / total) <= 1
        assert table.autofit is False
        for r, row in enumerate((*model.header, *model.rows)):
            if r < len(model.header):
                continue
            start = 0
            for tc, item in zip(table.rows[r]._tr.tc_lst, row.cells, strict=True):
                assert tc.width is not None and tc.width.twips == sum(grid[start : start + item.colspan])
                start += item.colspan


def test_merged_header_and_spanning_rows(arabic: Rendered) -> None:
    scores, measures = arabic.data_tables()
    first, second = measures.rows[0]._tr.tc_lst, measures.rows[1]._tr.tc_lst
    assert [tc.vMerge for tc in first] == ["restart", None]
    assert [tc.grid_span for tc in first] == [1, 3]
    assert [tc.vMerge for tc in second] == ["continue", None, None, None]
    assert measures.cell(0, 1)._tc is measures.cell(0, 3)._tc  # colspan: one cell over three columns
    assert measures.cell(1, 0).text == "มาตรการ"  # rowspan: the lower half shows the upper cell
    group = measures.rows[2]._tr.tc_lst
    assert len(group) == 1 and group[0].grid_span == 4
    assert group[0].tcPr.find(qn("w:shd")) is not None
    total = scores.rows[len(scores.rows) - 1]._tr.tc_lst
    assert [tc.grid_span for tc in total] == [2, 1, 1]


def test_header_cells_bold_shaded_centred(arabic: Rendered) -> None:
    for table in arabic.data_tables():
        for tc in table.rows[0]._tr.tc_lst:
            assert tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "D9D9D9"
        for c in _cells(table, 0):
            for p in c.paragraphs:
                assert p.alignment == 1  # centre
                assert all(r._r.rPr.find(qn("w:bCs")) is not None for r in p.runs)


def test_cells_one_paragraph_per_line_and_column_alignment(arabic: Rendered) -> None:
    scores, measures = arabic.data_tables()
    model = arabic.model.tables()[1]
    steps = model.rows[1].cells[1].lines
    assert len(steps) == 2
    paragraphs = _cells(measures, 3)[1].paragraphs
    assert [p.text for p in paragraphs] == list(steps)
    # score column is right-aligned, the number column centred, the name column left
    body = _cells(scores, 1)
    assert [c.paragraphs[0].alignment for c in body] == [1, 0, 2, 1]
    total = _cells(scores, len(scores.rows) - 1)
    assert all(r.bold for c in total for p in c.paragraphs for r in p.runs)
    assert not any(r.bold for c in body for p in c.paragraphs for r in p.runs)


def test_styles_carry_the_thai_font(arabic: Rendered) -> None:
    styles = arabic.part("word/styles.xml")
    raw = etree.tostring(styles).decode()
    assert f'w:cs="{FAMILY}"' in raw
    for fonts in styles.iter(f"{W}rFonts"):
        assert not [a for a in THEME_ATTRS if fonts.get(f"{W}{a}") is not None]
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults is not None
    rfonts = defaults.find(f"{W}rFonts")
    assert rfonts is not None
    assert [rfonts.get(f"{W}{a}") for a in ("ascii", "hAnsi", "eastAsia", "cs")] == [FAMILY] * 4
    lang = defaults.find(f"{W}lang")
    assert lang is not None and lang.get(f"{W}val") == "th-TH" and lang.get(f"{W}bidi") == "th-TH"
    size = defaults.find(f"{W}szCs")
    assert size is not None and size.get(f"{W}val") == "32"  # 16 pt
    assert "word/stylesWithEffects.xml" not in arabic.names()


@pytest.mark.parametrize(
    ("name", "half_points", "bold"),
    [("Normal", 32, False), ("Title", 40, True), ("Heading 1", 36, True), ("Heading 2", 32, True),
     ("Caption", 28, True), ("Note", 28, False), ("Table Grid", 28, False)],
)  # fmt: skip
def test_each_style_names_the_font_in_black(
    arabic: Rendered, name: str, half_points: int, bold: bool
) -> None:
    rpr = arabic.doc.styles[name].element.rPr
    assert rpr is not None
    assert rpr.find(qn("w:rFonts")).get(qn("w:cs")) == FAMILY
    assert (
        rpr.find(qn("w:sz")).get(qn("w:val")) == rpr.find(qn("w:szCs")).get(qn("w:val")) == str(half_points)
    )
    assert (rpr.find(qn("w:b")) is not None) == bold == (rpr.find(qn("w:bCs")) is not None)
    colour = rpr.find(qn("w:color"))
    if name.startswith(("Heading", "Title")):
        assert colour is not None and colour.get(qn("w:val")) == "000000"
        assert colour.get(qn("w:themeColor")) is None


def test_paragraph_styles_and_alignment(arabic: Rendered) -> None:
    paragraphs = {p.text: p for p in arabic.doc.paragraphs if p.text}
    title = paragraphs["มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"]
    assert title.style.name == "Title"
    assert title.style.paragraph_format.alignment == 1
    assert paragraphs["๑. ผลการประเมินในภาพรวม"].style.name == "Heading 1"
    assert paragraphs["ข้อจำกัด"].style.name == "Heading 2"
    body = next(p for t, p in paragraphs.items() if t.startswith("ผลการประเมินคุณธรรม"))
    assert body.style.name == "Normal" and body.style.paragraph_format.alignment == 3  # justify (both)
    indent = body.paragraph_format.first_line_indent
    assert indent is not None and abs(indent - Cm(1.25)) < Cm(0.01)
    assert paragraphs["แผนภูมิที่ 1 คะแนนรายตัวชี้วัด เทียบกับเกณฑ์ผ่าน 85 คะแนน"].style.name == "Caption"


def test_every_run_sizes_thai_and_bolds_thai(arabic: Rendered) -> None:
    body = arabic.part("word/document.xml")
    runs = [r for r in body.iter(f"{W}r") if r.find(f"{W}t") is not None]
    assert len(runs) > 200
    bold = 0
    for run in runs:
        rpr = run.find(f"{W}rPr")
        assert rpr is not None and rpr.find(f"{W}szCs") is not None
        assert rpr.find(f"{W}sz").get(f"{W}val") == rpr.find(f"{W}szCs").get(f"{W}val")
        if rpr.find(f"{W}b") is not None:
            bold += 1
            assert rpr.find(f"{W}bCs") is not None
    assert bold > 10


def test_figure_embedded_centred_with_caption(arabic: Rendered) -> None:
    shapes = arabic.doc.inline_shapes
    assert len(shapes) == len(arabic.model.figures()) == 1
    assert abs(shapes[0].width - Cm(15)) < Cm(0.01)
    assert any(n.startswith("word/media/") and n.endswith(".png") for n in arabic.names())
    holder = next(p for p in arabic.doc.paragraphs if p._p.xpath(".//pic:pic"))
    assert holder.alignment == 1 and holder.paragraph_format.keep_with_next


def test_figure_never_wider_than_the_text() -> None:
    chart = sample_document().figures()[0].chart
    model = replace(sample_document(), sections=(Section((Figure(chart, "กว้าง", width_cm=40),)),))
    shape = _render(model).doc.inline_shapes[0]
    assert abs(shape.width - Cm(16)) < Cm(0.01)


def test_adjacent_tables_kept_apart() -> None:
    table = Table("t", (Column(1),), (Row((cell("หัว"),)),), (Row((cell("1"),)),))
    model = replace(sample_document(), sections=(Section((table, table, paragraph("จบ"))),))
    body = _render(model).doc.element.body
    tags = [child.tag.split("}")[1] for child in body]
    assert tags[:3] == ["tbl", "p", "tbl"]


@pytest.mark.parametrize("which", ["arabic", "thai"])
def test_footer_page_number_in_every_section(which: str, request: pytest.FixtureRequest) -> None:
    rendered: Rendered = request.getfixturevalue(which)
    for section in rendered.doc.sections:
        footer = section.footer
        assert not footer.is_linked_to_previous
        p = footer.paragraphs[0]
        assert p.alignment == 1
        codes = [t.text for t in p._p.iter(qn("w:instrText"))]
        assert [c.strip() for c in codes] == ["PAGE"]
        kinds = [f.get(qn("w:fldCharType")) for f in p._p.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        assert p.text == ("หน้า ๑" if rendered.model.thai_digits else "หน้า 1")
        assert all(r._r.rPr.find(qn("w:szCs")).get(qn("w:val")) == "28" for r in p.runs)


def test_thai_page_number_format_on_every_section(arabic: Rendered, thai: Rendered) -> None:
    body = thai.part("word/document.xml")
    sect_prs = list(body.iter(f"{W}sectPr"))
    assert len(sect_prs) == 3
    for sect_pr in sect_prs:
        fmt = sect_pr.find(f"{W}pgNumType")
        assert fmt is not None and fmt.get(f"{W}fmt") == "thaiNumbers"
    assert not list(arabic.part("word/document.xml").iter(f"{W}pgNumType"))


def test_signatures_two_a_row_on_one_page(arabic: Rendered) -> None:
    table = arabic.doc.tables[-1]
    assert _style_id(table) is None  # no borders
    signers = next(b for b in arabic.model.blocks() if type(b).__name__ == "Signatures").signers
    rows = [_cells(table, r) for r in range(len(table.rows))]
    assert [len(r) for r in rows] == [2, 1]
    assert table.rows[1]._tr.tc_lst[0].grid_span == 2  # the third signer centred across the row
    for cells, group in zip(rows, (signers[:2], signers[2:]), strict=True):
        for c, signer in zip(cells, group, strict=True):
            assert [p.text for p in c.paragraphs] == list(signer.lines)
            assert all(p.alignment == 1 for p in c.paragraphs)
    for r in range(len(table.rows)):
        assert _trpr(table, r).find(qn("w:cantSplit")) is not None
    assert all(p.paragraph_format.keep_with_next for c in rows[0] for p in c.paragraphs)
    # the PageBreak before the signatures became a page break before them
    before = table._tbl.getprevious()
    assert before.tag == qn("w:p") and DocxParagraph(before, arabic.doc).paragraph_format.page_break_before


def test_core_properties(arabic: Rendered) -> None:
    props = arabic.doc.core_properties
    assert props.title == arabic.model.title
    assert props.author == arabic.model.agency
    assert props.language == "th-TH"
    assert props.comments == ""
