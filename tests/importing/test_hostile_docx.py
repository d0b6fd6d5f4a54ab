"""`prongsai import` of a hostile or broken DOCX: located problems, bounded time and memory, and a
table cell's impossible gridSpan read as the grid allows with a note (importing.source_docx)."""

from __future__ import annotations

import io
import re
import time
import tracemalloc
import zipfile
from collections.abc import Callable

import docx
import pytest
from docx.oxml.parser import parse_xml
from lxml import etree  # type: ignore[import-untyped]

from prongsai.importing.model import Para, Row
from prongsai.importing.source_docx import read_docx
from prongsai.loader.limits import MIB, Limits
from prongsai.problems import messages
from tests.loader.helpers import limit_name, one_problem

DOCUMENT = "word/document.xml"
LAUGHS = (
    b'<!DOCTYPE w:document [<!ENTITY a "hahahahaha">'
    + b"".join(f'<!ENTITY {chr(98 + n)} "{f"&{chr(97 + n)};" * 10}">'.encode() for n in range(9))
    + b"]>"
)


def measures_docx() -> bytes:
    """A small measures document as an agency writes it: a heading and a three-column table."""
    document = docx.Document()
    document.add_paragraph("มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. 2569")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [
            ("ประเด็นที่ต้องพัฒนา", "มาตรการ", "ผู้รับผิดชอบ"),
            ("การเปิดเผยข้อมูล", "เผยแพร่ข้อมูลบนเว็บไซต์หน่วยงาน", "สำนักปลัด"),
            ("การป้องกันการทุจริต", "จัดทำแผนป้องกันการทุจริต", "กองคลัง"),
        ]
    ):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_paragraph("ลงชื่อ นายกเทศมนตรี")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, change: Callable[[bytes], bytes], member: str = DOCUMENT) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == member else content)
    return out.getvalue()


def span_second_row_first_cell(value: str, data: bytes | None = None) -> bytes:
    """The first cell of the table's second row says it spans ``value`` grid columns."""

    def change(xml: bytes) -> bytes:
        rows = [m.start() for m in re.finditer(rb"<w:tr[ >]", xml)]
        cell = xml.index(b"<w:tc>", rows[1])
        properties = xml.index(b"<w:tcPr>", cell) + len(b"<w:tcPr>")
        return xml[:properties] + f'<w:gridSpan w:val="{value}"/>'.encode() + xml[properties:]

    return rewrite(data or measures_docx(), change)


def with_doctype(xml: bytes, doctype: bytes, reference: bytes) -> bytes:
    """The document with a DOCTYPE before its root and an entity reference in its last paragraph."""
    return xml.replace(b"<w:document", doctype + b"<w:document", 1).replace("ลงชื่อ".encode(), reference)


def test_a_plain_measures_document_is_read_with_no_notes() -> None:
    source = read_docx(measures_docx(), "measures.docx")
    assert source.notes == ()
    assert source.blocks[0] == Para("มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. 2569", 1)
    rows = [b for b in source.blocks if isinstance(b, Row)]
    assert [c.text for c in rows[1].cells] == ["การเปิดเผยข้อมูล", "เผยแพร่ข้อมูลบนเว็บไซต์หน่วยงาน", "สำนักปลัด"]


def test_a_huge_grid_span_is_clamped_to_the_grid_with_a_located_note() -> None:
    data = span_second_row_first_cell("999999999")
    messages()  # the message table is loaded once per process: not part of reading
    tracemalloc.start()
    started = time.perf_counter()
    source = read_docx(data, "measures.docx")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert time.perf_counter() - started < 1 and peak < 8 * MIB
    rows = [b for b in source.blocks if isinstance(b, Row)]
    # the cell fills the whole three-column grid; the row's other two cells follow it, as Word shows them
    assert [c.text for c in rows[1].cells] == ["การเปิดเผยข้อมูล"] * 3 + ["เผยแพร่ข้อมูลบนเว็บไซต์หน่วยงาน", "สำนักปลัด"]
    (note,) = source.notes
    problem = note.problem
    assert problem.code == "docx_grid_span" and problem.severity == "warning"
    assert dict(problem.params) == {"table": "1", "row": "2", "value": "999999999", "used": "3", "grid": "3"}
    assert problem.location.file == "measures.docx" and problem.location.line == rows[1].line
    assert note.span == "การเปิดเผยข้อมูล"
    assert "ตารางที่ 1 แถวที่ 2" in problem.message_th


@pytest.mark.parametrize("value", ["0", "-3", "สอง", "1e9", "", "99999999999999999999"])
def test_a_grid_span_that_is_not_a_positive_whole_number_is_read_as_one_column(value: str) -> None:
    source = read_docx(span_second_row_first_cell(value), "measures.docx")
    rows = [b for b in source.blocks if isinstance(b, Row)]
    assert len(rows[1].cells) == 3
    (note,) = source.notes
    assert note.problem.params["used"] == "1" and note.problem.params["value"] == value[:20]


def test_a_grid_span_within_the_grid_is_a_merged_cell_without_a_note() -> None:
    source = read_docx(span_second_row_first_cell("2"), "measures.docx")
    rows = [b for b in source.blocks if isinstance(b, Row)]
    assert [c.text for c in rows[1].cells][:2] == ["การเปิดเผยข้อมูล"] * 2
    assert source.notes == ()


def test_a_table_without_a_grid_allows_word_s_63_columns() -> None:
    data = rewrite(
        span_second_row_first_cell("100"), lambda xml: re.sub(rb"<w:tblGrid>.*?</w:tblGrid>", b"", xml)
    )
    source = read_docx(data, "measures.docx")
    rows = [b for b in source.blocks if isinstance(b, Row)]
    assert len(rows[1].cells) == 63 + 2
    assert source.notes[0].problem.params["grid"] == "63"


def test_entity_expansion_and_external_entities_are_refused_quickly() -> None:
    laughs = rewrite(measures_docx(), lambda xml: with_doctype(xml, LAUGHS, b"&j;"))
    started = time.perf_counter()
    problem = one_problem(lambda: read_docx(laughs, "laughs.docx"))
    assert problem.code == "container_damaged" and problem.location.field == DOCUMENT
    external = b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    xxe = rewrite(measures_docx(), lambda xml: with_doctype(xml, external, b"&x;"))
    problem = one_problem(lambda: read_docx(xxe, "xxe.docx"))
    assert problem.code == "container_damaged" and "root:" not in problem.message_en
    assert time.perf_counter() - started < 1


def test_python_docx_itself_neither_expands_entities_nor_reads_external_files() -> None:
    """python-docx (used for templates) parses with resolve_entities=False: an external entity
    stays a reference, so /etc/passwd is never read; libxml2 (2.11+) refuses a billion laughs
    outright as an amplification attack, an XMLSyntaxError its callers must report."""
    started = time.perf_counter()
    with pytest.raises(etree.XMLSyntaxError, match="amplification"):
        parse_xml(LAUGHS + b"<r>&j;</r>")
    assert time.perf_counter() - started < 1
    root = parse_xml(b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>')
    assert "root:" not in "".join(root.itertext())
    external = b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    data = rewrite(measures_docx(), lambda xml: with_doctype(xml, external, b"&x;"))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "root:" not in text


def test_broken_containers_and_limits_are_located_problems() -> None:
    good = measures_docx()
    assert one_problem(lambda: read_docx(b"", "empty.docx")).code == "container_empty"
    problem = one_problem(lambda: read_docx("มาตรการ\n".encode(), "plan.docx"))
    assert problem.code == "container_damaged" and "Word" in problem.message_th
    assert one_problem(lambda: read_docx(good[: len(good) // 3], "cut.docx")).code == "container_damaged"
    bomb = rewrite(good, lambda xml: xml + b" " * (4 * MIB))
    assert limit_name(one_problem(lambda: read_docx(bomb, "bomb.docx"))) == "compression_ratio"
    problem = one_problem(lambda: read_docx(good, "measures.docx", Limits(file_bytes=1_000)))
    assert limit_name(problem) == "file_bytes" and problem.location.field == DOCUMENT
    assert limit_name(one_problem(lambda: read_docx(good, "measures.docx", Limits(rows=2)))) == "rows"
    unclosed = rewrite(good, lambda xml: xml.replace(b"</w:body>", b""))
    assert one_problem(lambda: read_docx(unclosed, "measures.docx")).code == "container_damaged"


def test_a_row_of_twenty_thousand_cells_stops_at_the_column_limit() -> None:
    cells = b"<w:tc><w:p/></w:tc>" * 20_000
    data = rewrite(
        measures_docx(),
        lambda xml: re.sub(rb"(<w:tr(?:\s[^>]*)?>)", lambda m: m.group(1) + cells, xml, count=1),
    )
    problem = one_problem(lambda: read_docx(data, "measures.docx"))
    assert limit_name(problem) == "columns"
