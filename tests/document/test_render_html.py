"""The HTML renderer: content, structure, print CSS and self-containment of the page."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

import pytest

from prongsai.document.model import (
    Chart,
    Column,
    Document,
    Figure,
    Paragraph,
    Row,
    Run,
    Section,
    Series,
    Table,
    cell,
    paragraph,
    with_thai_digits,
)
from prongsai.document.render_html import css_string, keep_together, render_html
from prongsai.document.style import style
from tests.document.sample import sample_document

# --------------------------------------------------------------------------------------------------
# A small structural reader of the page (html.parser: no third-party parser needed)
# --------------------------------------------------------------------------------------------------

_TEXT_ELEMENTS = {"p", "h1", "h2", "h3", "figcaption", "caption", "title"}
_VOID = {"meta", "col", "br", "img", "link", "input"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parents: tuple[str, ...]
    text: str = ""
    children: list[Element] = field(default_factory=list)


class Page(HTMLParser):
    """Every element with its attributes and ancestors; the text of paragraph-like elements."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.stack: list[Element] = []
        self.style = ""
        self.feed(html)
        self.close()
        assert self.stack == [], [e.tag for e in self.stack]  # every element was closed

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, tuple(e.tag for e in self.stack))
        self.elements.append(element)
        if self.stack:
            self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        assert self.stack and self.stack[-1].tag == tag, (tag, [e.tag for e in self.stack])
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1].tag == "style":
            self.style += data
        for element in self.stack:
            if element.tag in _TEXT_ELEMENTS:
                element.text += data

    def all(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def texts(self) -> list[str]:
        return [e.text for e in self.elements if e.tag in _TEXT_ELEMENTS]


@pytest.fixture(scope="module")
def sample() -> Document:
    return sample_document(rows=5)


@pytest.fixture(scope="module")
def html(sample: Document) -> str:
    return render_html(sample)


@pytest.fixture(scope="module")
def page(html: str) -> Page:
    return Page(html)


def _descendants(element: Element, tag: str) -> list[Element]:
    found = []
    for child in element.children:
        if child.tag == tag:
            found.append(child)
        found += _descendants(child, tag)
    return found


# --------------------------------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------------------------------


def test_every_line_of_the_model_is_one_paragraph_like_element(sample: Document, page: Page) -> None:
    texts = page.texts()
    for line in re.split(r"[\t\n]", sample.text()):
        if line:  # as printed: 'พ.ศ.' bound to its year by a no-break space
            assert keep_together(line) in texts, line


def test_text_is_escaped() -> None:
    nasty = 'ก < ข & "ค" </style><script>alert(1)</script>'
    document = Document(
        layout="t",
        title=nasty,
        agency=nasty,
        ita_year=2568,
        plan_year=2569,
        date_text="",
        page_label='หน้า "</style>',
        sections=(
            Section(
                (paragraph(nasty), Table("t", (Column(1),), (Row((cell(nasty),)),), (Row((cell(nasty),)),)))
            ),
        ),
    )
    html = render_html(document, embed_fonts=False)
    assert "<script>" not in html
    assert html.count("</style>") == 1
    page = Page(html)
    assert page.all("title")[0].text == nasty
    assert page.texts().count(nasty) == 4  # title, paragraph, header cell, body cell
    assert page.all("meta")[2].attrs == {"name": "author", "content": nasty}
    assert 'content: "หน้า \\22 \\3c /style\\3e  " counter(page)' in page.style


def test_a_buddhist_era_year_stays_on_the_line_of_its_pho_so() -> None:
    said = "มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๙ ตามผลการประเมิน พ.ศ. 2568"
    document = Document(
        layout="t",
        title=said,
        agency="เทศบาลตำบลทดสอบ",
        ita_year=2568,
        plan_year=2569,
        date_text="",
        sections=(Section((paragraph(said), paragraph("ในปี พ.ศ. นี้"))),),
    )
    texts = Page(render_html(document, embed_fonts=False)).texts()
    assert "ประจำปีงบประมาณ พ.ศ.\u00a0๒๕๖๙ ตามผลการประเมิน พ.ศ.\u00a02568" in texts[0]
    assert "พ.ศ. นี้" in " ".join(texts)  # no year after it: an ordinary space


def test_css_string_escapes_what_could_end_the_string_or_the_style_element() -> None:
    assert css_string("หน้า") == '"หน้า"'
    assert css_string('a"b\\c</style>\n') == '"a\\22 b\\5c c\\3c /style\\3e \\a "'


def test_document_metadata(sample: Document, page: Page, html: str) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert page.all("html")[0].attrs["lang"] == "th"
    metas = {m.attrs.get("name"): m.attrs.get("content") for m in page.all("meta")}
    assert metas["author"] == sample.agency
    assert page.all("meta")[0].attrs == {"charset": "utf-8"}
    assert page.all("title")[0].text == keep_together(sample.title)


def test_paragraph_styles_become_elements_and_classes(page: Page) -> None:
    title = page.all("h1")
    assert len(title) == 1 and "title" in title[0].attrs["class"].split()
    assert [e.attrs["class"] for e in page.all("h2")] == ["heading1", "heading1"]
    assert [e.attrs["class"] for e in page.all("h3")] == ["heading2"]
    body = [p for p in page.all("p") if "body" in p.attrs.get("class", "").split()]
    assert len(body) == 2
    assert "indent" in body[0].attrs["class"].split() and "indent" not in body[1].attrs["class"].split()


def test_runs_keep_bold_and_underline() -> None:
    para = Paragraph((Run("ปกติ "), Run("หนา", bold=True), Run(" ขีดเส้น", underline=True)), align="center")
    document = replace(sample_document(), sections=(Section((para,)),))
    page = Page(render_html(document, embed_fonts=False))
    p = page.all("p")[0]
    assert p.text == "ปกติ หนา ขีดเส้น"
    assert p.attrs["class"].split() == ["body", "align-center"]
    assert [(c.tag, c.attrs) for c in p.children] == [("b", {}), ("u", {})]


# --------------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------------


def test_one_table_per_model_table_with_its_header_rows_in_thead(sample: Document, page: Page) -> None:
    tables = page.all("table")
    assert len(tables) == len(sample.tables())
    for element, table in zip(tables, sample.tables(), strict=True):
        assert element.attrs["data-key"] == table.key
        (thead,) = _descendants(element, "thead")
        (tbody,) = _descendants(element, "tbody")
        assert len(_descendants(thead, "tr")) == len(table.header)
        assert len(_descendants(tbody, "tr")) == len(table.rows)
        assert len(_descendants(thead, "th")) == sum(len(r.cells) for r in table.header)
        assert [r.attrs["class"] for r in _descendants(tbody, "tr")] == [r.kind for r in table.rows]


def test_spans_become_colspan_and_rowspan(page: Page) -> None:
    measures = next(t for t in page.all("table") if t.attrs["data-key"] == "measures")
    heads = _descendants(measures, "th")
    assert heads[0].attrs["rowspan"] == "2" and "colspan" not in heads[0].attrs
    assert heads[1].attrs["colspan"] == "3" and "rowspan" not in heads[1].attrs
    group = _descendants(_descendants(measures, "tbody")[0], "td")[0]
    assert group.attrs["colspan"] == "4"
    scores = next(t for t in page.all("table") if t.attrs["data-key"] == "indicator_scores")
    total = _descendants(_descendants(scores, "tr")[-1], "td")
    assert total[0].attrs["colspan"] == "2" and "bold" in total[0].attrs["class"].split()


def test_column_widths_are_percentages_of_the_relative_widths(sample: Document, page: Page) -> None:
    for element, table in zip(page.all("table"), sample.tables(), strict=True):
        cols = _descendants(element, "col")
        widths = [float(re.fullmatch(r"width: ([\d.]+)%", c.attrs["style"])[1]) for c in cols]  # type: ignore[index]
        total = sum(c.width for c in table.columns)
        assert widths == pytest.approx([100 * c.width / total for c in table.columns], abs=0.001)


def test_cells_take_the_column_alignment_unless_they_have_their_own(page: Page) -> None:
    scores = next(t for t in page.all("table") if t.attrs["data-key"] == "indicator_scores")
    first = _descendants(_descendants(scores, "tbody")[0], "tr")[0]
    assert [td.attrs["class"] for td in _descendants(first, "td")] == [
        "align-center",
        "align-left",
        "align-right",
        "align-center",
    ]


def test_each_line_of_a_cell_is_its_own_paragraph(page: Page) -> None:
    measures = next(t for t in page.all("table") if t.attrs["data-key"] == "measures")
    row = _descendants(_descendants(measures, "tbody")[0], "tr")[1]
    steps = _descendants(row, "td")[1]
    assert [p.text for p in _descendants(steps, "p")] == [
        "๑. จัดทำแบบสำรวจความพึงพอใจทั้งแบบกระดาษและออนไลน์",
        "๒. สรุปผลและแจ้งการปรับปรุงให้ประชาชนทราบทุกไตรมาส",
    ]


# --------------------------------------------------------------------------------------------------
# Sections, pages and print CSS
# --------------------------------------------------------------------------------------------------


def test_sections_carry_their_orientation(sample: Document, page: Page) -> None:
    assert [s.attrs["class"] for s in page.all("section")] == [s.orientation for s in sample.sections]
    assert "landscape" in [s.attrs["class"] for s in page.all("section")]


def test_print_css_has_a4_pages_a_landscape_named_page_and_section_breaks(page: Page) -> None:
    css = page.style
    m = style().margins
    assert re.search(rf"@page \{{\s*size: A4;\s*margin: {m.top}cm {m.right}cm {m.bottom}cm {m.left}cm;", css)
    lm = style().landscape_margins
    assert re.search(
        rf"@page landscape \{{\s*size: A4 landscape;\s*margin: {lm.top}cm {lm.right}cm {lm.bottom}cm {lm.left}cm;",
        css,
    )
    assert "section.landscape { page: landscape; }" in css
    assert "section + section { break-before: page; }" in css
    assert "tr { break-inside: avoid; }" in css
    assert ".page-break { break-after: page;" in css


def test_page_breaks_become_break_elements(sample: Document, page: Page) -> None:
    breaks = [d for d in page.all("div") if d.attrs.get("class") == "page-break"]
    assert len(breaks) == sum(1 for b in sample.blocks() if type(b).__name__ == "PageBreak") == 1


def test_sizes_come_from_the_style(page: Page) -> None:
    css = page.style
    body = style().rendered_pt("body")
    assert body == 11.0  # TH Sarabun New 16 pt drawn in Sarabun
    assert re.search(rf"body \{{[^}}]*font-size: {body}pt;[^}}]*line-height: {style().line_height};", css)
    assert re.search(
        rf"\.title \{{ font-size: {style().rendered_pt('title')}pt; font-weight: bold; text-align: center;",
        css,
    )
    assert re.search(rf"table \{{[^}}]*font-size: {style().rendered_pt('table')}pt;", css)
    assert re.search(r"\.body \{ text-align: justify;", css)


def test_thai_digits_change_the_text_only_not_the_structure(sample: Document, page: Page) -> None:
    thai = Page(render_html(with_thai_digits(sample)))

    def shape(p: Page) -> list[tuple[str, str]]:
        return [
            (e.tag, e.attrs.get("class", "")) for e in p.elements if e.tag != "svg" and "svg" not in e.parents
        ]

    assert shape(thai) == shape(page)  # e.g. the heading1 style stays "heading1", not "heading๑"


def test_page_numbers_use_a_margin_box_with_the_page_label(sample: Document, page: Page) -> None:
    assert re.search(r'@bottom-center \{\s*content: "หน้า " counter\(page\);', page.style)
    thai = Page(render_html(with_thai_digits(sample), embed_fonts=False))
    assert re.search(r'@bottom-center \{\s*content: "หน้า " counter\(page, thai\);', thai.style)
    bare = Page(render_html(replace(sample, page_label=""), embed_fonts=False))
    assert re.search(r"@bottom-center \{\s*content: counter\(page\);", bare.style)


# --------------------------------------------------------------------------------------------------
# Fonts, figures, self-containment
# --------------------------------------------------------------------------------------------------


def test_fonts_are_embedded_as_data_urls(page: Page) -> None:
    faces = re.findall(r"@font-face \{(.*?)\}", page.style, re.DOTALL)
    assert len(faces) == 4
    described = set()
    for face in faces:
        assert 'font-family: "Sarabun";' in face
        weight = re.search(r"font-weight: (\w+);", face)[1]  # type: ignore[index]
        italic = re.search(r"font-style: (\w+);", face)[1]  # type: ignore[index]
        data = re.search(r'url\("data:font/ttf;base64,([A-Za-z0-9+/=]+)"\)', face)[1]  # type: ignore[index]
        assert base64.b64decode(data)[:4] == b"\x00\x01\x00\x00"  # a TrueType font
        described.add((weight, italic))
    assert described == {("normal", "normal"), ("bold", "normal"), ("normal", "italic"), ("bold", "italic")}


def test_without_embedded_fonts_the_page_names_the_font_only(sample: Document, html: str) -> None:
    light = render_html(sample, embed_fonts=False)
    assert "@font-face" not in light and "data:font" not in light
    assert 'font-family: "Sarabun", "TH Sarabun New"' in light
    assert len(light) < len(html) / 5


def test_no_external_urls_anywhere(sample: Document, html: str) -> None:
    for text in (html, render_html(with_thai_digits(sample), embed_fonts=False)):
        assert "http://" not in text and "https://" not in text
        assert not re.search(r"""(src|href)=["'](?!#)""", text)  # only in-page references


def test_each_figure_is_an_inline_svg_with_its_caption(sample: Document, page: Page) -> None:
    figures = page.all("figure")
    assert len(figures) == len(sample.figures()) == 1
    for element, figure in zip(figures, sample.figures(), strict=True):
        assert element.attrs["style"] == f"width: {figure.width_cm}cm"
        (svg,) = [c for c in element.children if c.tag == "svg"]
        assert svg.attrs["aria-label"] == figure.chart.title
        assert "viewbox" in svg.attrs
        (caption,) = _descendants(element, "figcaption")
        assert caption.text == figure.caption
        assert _descendants(svg, "path")  # the chart is drawn, text as paths


def test_two_charts_on_one_page_do_not_share_element_ids(sample: Document) -> None:
    chart = Chart(
        "trend", "line", "แนวโน้ม", ("2566", "2567", "2568"), (Series("คะแนน", (80.0, 85.5, 90.5)),), "คะแนน"
    )
    figures = (*sample.sections[0].blocks, Figure(chart, "แผนภูมิที่ 2"), Figure(chart, "แผนภูมิที่ 3", 10.0))
    document = replace(sample, sections=(Section(figures),))
    page = Page(render_html(document, embed_fonts=False))
    assert len(page.all("svg")) == 3
    ids = [e.attrs["id"] for e in page.elements if "id" in e.attrs]
    assert ids and len(ids) == len(set(ids))
    known = set(ids)
    for e in page.elements:
        ref = e.attrs.get("href") or e.attrs.get("xlink:href")
        if ref:
            assert ref[1:] in known, ref
        for target in re.findall(r"url\(#([^)]+)\)", e.attrs.get("clip-path", "")):
            assert target in known


def test_signatures_are_blocks_of_lines(sample: Document, page: Page) -> None:
    (grid,) = [d for d in page.all("div") if d.attrs.get("class") == "signatures"]
    signers = [d for d in grid.children if d.attrs.get("class") == "signer"]
    assert [[p.text for p in s.children] for s in signers] == [
        list(s.lines)
        for b in sample.blocks()
        if type(b).__name__ == "Signatures"
        for s in b.signers  # type: ignore[union-attr]
    ]
    assert re.search(
        r"\.signatures \{[^}]*grid-template-columns: 1fr 1fr;[^}]*break-inside: avoid;", page.style
    )


def test_the_page_reads_on_screen_as_sheets(page: Page) -> None:
    assert "@media screen" in page.style
    assert re.search(r"section\.landscape \{\s*width: 29\.7cm;", page.style)
