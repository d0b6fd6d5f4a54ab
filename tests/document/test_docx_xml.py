"""The rows written as XML text are the rows python-docx would build, element for element."""

from __future__ import annotations

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import nsdecls
from docx.oxml.parser import parse_xml
from docx.shared import Twips
from docx.table import _Cell
from lxml import etree

from prongsai.document import docx_xml
from prongsai.document.render_docx import TABLE_TEXT_ID

TEXTS = (
    "คะแนน ๙๒.๕๒",
    " leading and trailing ",
    "tab\tinside",
    "two\nlines",
    "carriage\rreturn",
    "<markup> & \"quotes\" 'too'",
    "",
)


def xml(element: etree._Element) -> tuple[object, ...]:
    """Tag, attributes, text and children, recursively: namespace declarations left aside."""
    return (element.tag, dict(element.attrib), element.text, [xml(child) for child in element])


def python_docx_run(text: str, bold: bool) -> etree._Element:
    paragraph = docx.Document().add_paragraph()
    run = paragraph.add_run(text)
    rpr = run._r.get_or_add_rPr()
    for tag in (("b", "bCs") if bold else ()) + ("sz", "szCs"):
        element = parse_xml(
            f'<w:{tag} {nsdecls("w")} w:val="28"/>' if tag.startswith("sz") else f"<w:{tag} {nsdecls('w')}/>"
        )
        rpr.append(element)
    return run._r


def test_runs_match_python_docx_for_tabs_breaks_spaces_and_markup() -> None:
    for text in TEXTS:
        for bold in (False, True):
            ours = parse_xml(f"<w:p {nsdecls('w')}>{docx_xml.run_xml(text, '28', bold=bold)}</w:p>")[0]
            assert xml(ours) == xml(python_docx_run(text, bold)), text


def test_cells_match_python_docx_with_span_merge_fill_and_alignment() -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    tr = table._tbl.tr_lst[0]
    for tc in list(tr.tc_lst):
        tr.remove(tc)
    tc = tr.add_tc()
    tc.width = Twips(2400)
    tc.grid_span = 2
    tc.vMerge = "restart"
    tcpr = tc.get_or_add_tcPr()
    tcpr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="D9D9D9"/>'))
    tcpr.append(parse_xml(f'<w:vAlign {nsdecls("w")} w:val="center"/>'))
    paragraph = _Cell(tc, table).paragraphs[0]
    paragraph._p.get_or_add_pPr().style = TABLE_TEXT_ID
    paragraph.paragraph_format.keep_with_next = True
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph._p.append(python_docx_run("ประเด็น", bold=True))

    cell = docx_xml.CellXml(
        width=2400,
        span=2,
        merge="restart",
        fill="D9D9D9",
        centre_vertically=True,
        paragraphs=(
            docx_xml.paragraph_xml(
                TABLE_TEXT_ID, "center", [docx_xml.run_xml("ประเด็น", "28", bold=True)], keep_next=True
            ),
        ),
    )
    ours = parse_xml(f"<w:tr {nsdecls('w')}>{docx_xml.cell_xml(cell)}</w:tr>")[0]
    assert xml(ours) == xml(tc)


def test_an_empty_continuation_cell_still_holds_a_paragraph() -> None:
    ours = parse_xml(
        f"<w:tr {nsdecls('w')}>{docx_xml.cell_xml(docx_xml.CellXml(900, merge='continue'))}</w:tr>"
    )[0]
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert ours.find(f"{w}tcPr/{w}vMerge") is not None
    assert ours.find(f"{w}tcPr/{w}vMerge").get(f"{w}val") is None  # continue is the default value
    assert [child.tag for child in ours] == [f"{w}tcPr", f"{w}p"]


def test_rows_repeat_as_headers_and_never_split() -> None:
    header, body = (
        docx_xml.table_rows([docx_xml.row_xml([docx_xml.CellXml(1000)], header=h)])[0] for h in (True, False)
    )
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert [c.tag for c in header.find(f"{w}trPr")] == [f"{w}cantSplit", f"{w}tblHeader"]
    assert [c.tag for c in body.find(f"{w}trPr")] == [f"{w}cantSplit"]
