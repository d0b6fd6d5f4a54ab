"""A signature block never stands alone on a page: the paragraph before it stays with it, in the
DOCX (keep with next) and in the HTML/PDF (break-after: avoid)."""

from __future__ import annotations

import io

import docx

from prongsai.document.model import Document, Section, Signatures, Signer, paragraph
from prongsai.document.render_docx import render_docx
from prongsai.document.render_html import render_html

CLOSING = "จึงเรียนมาเพื่อโปรดทราบ"


def _document() -> Document:
    blocks = (
        paragraph("ผลการดำเนินการรอบ 12 เดือน", indent=True),
        paragraph(CLOSING, indent=True),
        Signatures((Signer("ผู้รายงาน", ("ลงชื่อ ........ ผู้รายงาน", "(........)")),)),
        paragraph("หมายเหตุ หลังลายมือชื่อ", "note"),
    )
    return Document(
        "progress-report", "รายงาน", "เทศบาลตำบลบึงไผ่", 2566, 2567, "30 กันยายน 2567", (Section(blocks),)
    )


def test_only_the_paragraph_before_the_signatures_is_kept_with_them() -> None:
    assert _document().sections[0].kept_with_next() == frozenset({1})


def test_docx_keeps_it_with_next() -> None:
    paragraphs = docx.Document(io.BytesIO(render_docx(_document()))).paragraphs
    kept = {p.text: p.paragraph_format.keep_with_next for p in paragraphs if p.text}
    assert kept[CLOSING] is True
    assert not kept["ผลการดำเนินการรอบ 12 เดือน"]


def test_html_marks_it() -> None:
    page = render_html(_document())
    assert f'keep-next">{CLOSING}<' in page
    assert page.count("keep-next") == 2  # the paragraph, and the rule in the style sheet
    assert ".keep-next { break-after: avoid; }" in page
