"""The PDF renderer, on real Chromium output: pages, orientation, fonts, text layer, page numbers.

Chromium is required (the setup script installs it); nothing here is skipped.

The text layer is read with tests/document/pdftext.py, built on pypdf's parser. Chromium writes the
characters of Thai clusters whose glyphs are not one-to-one (ปั้น, น้ำ, ผู้) as ``/ActualText``
marked content (PDF 32000-1 §14.9.4), which pypdf's and pdfminer.six's own ``extract_text`` ignore:
they return NUL characters for those glyphs. poppler's pdftotext honours ``/ActualText`` but adds
spaces inside some clusters (ปั้ น) by its layout heuristics. The extractor does what the standard
says and nothing more: ActualText where present, else each glyph through the font's ToUnicode map.
"""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from prongsai.document.model import Document, with_thai_digits
from prongsai.document.render_pdf import PdfEngineMissing, PdfRenderer, render_pdf, set_pdf_info
from tests.document.pdftext import bold_text, compact, page_text
from tests.document.sample import sample_document


@dataclass(frozen=True)
class Rendered:
    document: Document
    pdf: bytes
    path: Path
    reader: PdfReader
    pages: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    folder = tmp_path_factory.mktemp("pdf")
    arabic = sample_document(rows=40)
    out = {}
    with PdfRenderer() as renderer:
        for name, document in (("arabic", arabic), ("thai", with_thai_digits(arabic))):
            pdf = renderer.render(document)
            path = folder / f"{name}.pdf"
            path.write_bytes(pdf)
            reader = PdfReader(path)
            pages = [page_text(reader, i) for i in range(len(reader.pages))]
            out[name] = Rendered(document, pdf, path, reader, pages)
    return out


@pytest.fixture(params=["arabic", "thai"])
def each(request: pytest.FixtureRequest, rendered: dict[str, Rendered]) -> Rendered:
    return rendered[request.param]


def _orientations(reader: PdfReader) -> list[str]:
    return ["landscape" if p.mediabox.width > p.mediabox.height else "portrait" for p in reader.pages]


# --------------------------------------------------------------------------------------------------
# Pages and fonts
# --------------------------------------------------------------------------------------------------


def test_a_pdf_of_several_pages_with_landscape_pages_for_the_landscape_section(each: Rendered) -> None:
    assert each.pdf.startswith(b"%PDF-")
    assert each.pdf.rstrip().endswith(b"%%EOF")
    kinds = _orientations(each.reader)
    assert len(kinds) > 3
    # portrait overview, the landscape measures table over several pages, portrait closing
    assert kinds[0] == "portrait" and kinds[-1] == "portrait"
    landscape = [i for i, k in enumerate(kinds) if k == "landscape"]
    assert len(landscape) >= 2
    assert landscape == list(range(landscape[0], landscape[-1] + 1))


def test_pages_are_a4(each: Rendered) -> None:
    for page in each.reader.pages:
        short, long = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert short == pytest.approx(21.0 / 2.54 * 72, abs=1.5)
        assert long == pytest.approx(29.7 / 2.54 * 72, abs=1.5)


def test_only_the_vendored_sarabun_is_used_and_it_is_embedded(each: Rendered) -> None:
    result = subprocess.run(["pdffonts", str(each.path)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in result.stdout.splitlines()[2:] if line.strip()]
    names = {row[0].split("+")[-1] for row in rows}
    assert {"Sarabun-Regular", "Sarabun-Bold"} <= names
    assert names <= {"Sarabun-Regular", "Sarabun-Bold", "Sarabun-Italic", "Sarabun-BoldItalic"}, names
    for row in rows:
        emb = row[-5]  # columns: name type [type] encoding emb sub uni object ID
        assert emb == "yes", row


def test_document_information_has_the_title_and_the_agency_as_author(each: Rendered) -> None:
    info = each.reader.metadata
    assert info is not None
    assert info.title == each.document.title
    assert info.author == each.document.agency
    assert info.get("/Producer", "").startswith("Skia/PDF")


def test_the_pdf_is_tagged_with_thai_as_its_language(each: Rendered) -> None:
    root: Any = each.reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]) == "th"


# --------------------------------------------------------------------------------------------------
# Text layer
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word", ["สำนักงาน", "น้ำ", "ทั่ว", "ปั้น", "ผู้ใหญ่", "ฝั่ง", "ฟื้นฟู", "ต่ำ", "คำสั่ง", "กตัญญู", "ฤๅษี"]
)
def test_thai_words_come_out_of_the_text_layer_intact(each: Rendered, word: str) -> None:
    assert word in each.text


def test_the_agency_title_and_measures_are_in_the_text_layer(each: Rendered) -> None:
    text = each.text
    assert each.document.agency in text
    assert "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" in text
    # a table cell may wrap: compare without white space
    assert compact("เพิ่มช่องทางรับฟังความคิดเห็นของผู้รับบริการ") in compact(text)


def test_every_line_of_the_model_is_in_the_text_layer(each: Rendered) -> None:
    flat = compact(each.text)
    for line in re.split(r"[\t\n]", each.document.text()):
        assert compact(line) in flat, line


def test_digits_follow_the_document(rendered: dict[str, Rendered]) -> None:
    assert "90.52" in rendered["arabic"].text and "๙๐.๕๒" not in rendered["arabic"].text
    assert "๙๐.๕๒" in rendered["thai"].text and "90.52" not in rendered["thai"].text
    assert "๐๑๒๓๔๕๖๗๘๙" in rendered["thai"].text


def test_every_page_carries_its_number(rendered: dict[str, Rendered]) -> None:
    for name, digits in (("arabic", "0123456789"), ("thai", "๐๑๒๓๔๕๖๗๘๙")):
        for number, text in enumerate(rendered[name].pages, 1):
            # the label and the counter are two text objects, hence two lines of the extract
            found = re.findall(rf"หน้า\s+([{digits}]+)(?:\s|$)", text)
            assert found == [str(number).translate(str.maketrans("0123456789", digits))], (name, number)


def test_the_table_header_repeats_on_every_landscape_page(each: Rendered) -> None:
    kinds = _orientations(each.reader)
    for text, kind in zip(each.pages, kinds, strict=True):
        if kind == "landscape":
            assert "ขั้นตอน/วิธีการปฏิบัติ" in text
            assert "ผู้รับผิดชอบ" in text


def test_headers_groups_totals_and_bold_cells_print_in_bold(each: Rendered) -> None:
    first = bold_text(each.reader, 0).splitlines()
    assert "ตัวชี้วัดที่" in first and "ผลการประเมิน" in first  # table header
    assert "คะแนนเฉลี่ย" in first  # bold cell of the total row
    assert "ผ่าน" in first  # the total row is bold throughout
    assert "การปฏิบัติหน้าที่" not in first and "การปฏิบัติหน้าที่" in each.pages[0]  # body rows are not
    second = bold_text(each.reader, 1).splitlines()
    assert {"มาตรการ", "การนำไปสู่การปฏิบัติ", "ขั้นตอน/วิธีการปฏิบัติ", "ผู้รับผิดชอบ"} <= set(second)
    assert "ประเด็นที่ 1 การปรับปรุงการทำงาน" in "".join(second).translate(
        str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
    )
    assert "สำนักปลัดเทศบาล" not in second


def test_signatures_stay_together_after_the_page_break(each: Rendered) -> None:
    last = each.pages[-1]
    for line in ("(นางสาวสมศรี ใจดี)", "(นายสมชาย รักดี)", "(นายสมปอง มั่นคง)", "นายกเทศมนตรีตำบลน้ำทั่ว"):
        assert line in last
    assert "ข้อจำกัด" not in last  # the page break before the signatures was kept


# --------------------------------------------------------------------------------------------------
# The renderer
# --------------------------------------------------------------------------------------------------


def test_render_pdf_one_shot_gives_the_same_pages(rendered: dict[str, Rendered]) -> None:
    pdf = render_pdf(sample_document(rows=40))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == len(rendered["arabic"].reader.pages)
    assert page_text(reader, 0) == rendered["arabic"].pages[0]


def test_a_renderer_renders_many_documents_and_closes_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    renderer = PdfRenderer()
    with renderer:
        counts = [
            len(PdfReader(io.BytesIO(renderer.render(sample_document(rows=n)))).pages) for n in (2, 40, 2)
        ]
    assert counts[0] == counts[2] < counts[1]
    assert not renderer.started
    renderer.close()  # twice is harmless
    assert list(home.iterdir()) == []  # Chromium wrote into its own temporary HOME, not ours


def test_a_renderer_whose_chromium_died_starts_a_new_one() -> None:
    with PdfRenderer() as renderer:
        renderer.render(sample_document())
        renderer._browser.close()  # type: ignore[union-attr]  # as if Chromium had crashed
        with pytest.raises(Exception, match="closed"):
            renderer.render(sample_document())
        assert not renderer.started
        assert renderer.render(sample_document()).startswith(b"%PDF-")


def test_a_missing_chromium_is_a_clear_error_in_thai_and_english(tmp_path: Path) -> None:
    with pytest.raises(PdfEngineMissing) as caught:
        PdfRenderer(executable_path=tmp_path / "no-chromium").start()
    message = str(caught.value)
    assert "Chromium" in message and "apt-get install chromium" in message
    assert "ต้องใช้โปรแกรม Chromium" in caught.value.message_th
    assert "PDF output needs Chromium" in caught.value.message_en


def test_a_chromium_that_does_not_start_is_the_same_error(tmp_path: Path) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    renderer = PdfRenderer(executable_path=fake)
    with pytest.raises(PdfEngineMissing, match="did not start"):
        renderer.start()
    assert not renderer.started


# --------------------------------------------------------------------------------------------------
# Document information dictionary
# --------------------------------------------------------------------------------------------------


def test_set_pdf_info_appends_an_update_that_readers_follow(rendered: dict[str, Rendered]) -> None:
    original = rendered["arabic"].pdf
    updated = set_pdf_info(original, {"Title": "ชื่อใหม่ (ทดสอบ) <>", "Subject": "ITA"})
    assert updated.startswith(original)
    info = PdfReader(io.BytesIO(updated)).metadata
    assert info is not None
    assert info.title == "ชื่อใหม่ (ทดสอบ) <>"
    assert info.subject == "ITA"
    assert info.get("/Producer", "").startswith("Skia/PDF")
    result = subprocess.run(["pdfinfo", "-"], input=updated, capture_output=True, check=True)
    assert "ชื่อใหม่ (ทดสอบ) <>" in result.stdout.decode("utf-8")


def test_set_pdf_info_leaves_other_files_alone() -> None:
    odd = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\nstartxref\n9\n%%EOF\n"
    assert set_pdf_info(odd, {"Title": "x"}) == odd


def test_page_text_reads_actualtext_not_glyphs(rendered: dict[str, Rendered]) -> None:
    # the shaping line of the sample comes back exactly, with its spaces and nothing else
    line = "ปั้น ปี่ ผู้ใหญ่ ฝั่ง ฟื้นฟู น้ำค้าง ต่ำ คำสั่ง กตัญญู ปฏิบัติ ฎีกา ฐานข้อมูล ฤๅษี ๐๑๒๓๔๕๖๗๘๙"
    assert line in rendered["arabic"].text.splitlines()
    assert "\ufffd" not in rendered["arabic"].text and "\x00" not in rendered["arabic"].text
