"""PDF streams are decoded under the stream and document caps, pages are counted, and damaged or
hostile files are located problems (loader.pdf and the PDF import readers)."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zlib
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from prongsai.importing.pdflines import Font
from prongsai.importing.source_pdf import _to_unicode, read_any_pdf, read_pdf
from prongsai.loader.limits import MIB, Limits
from prongsai.loader.pdf import PdfStreams, check_self_decoded, open_pdf
from prongsai.problems import Location, messages
from tests.loader.helpers import limit_name, one_problem

HERE = Location(file="measures.pdf")
# A page of an agency's measures document as a PDF content stream: Thai text in a Type0 font.
CONTENT = b"\n".join(
    [
        b"BT",
        b"/F1 16 Tf",
        b"72 760 Td",
        b"<0E210E320E170E230E380E01> Tj",
        b"0 -24 Td",
        b"(ITA 2568) Tj",
        b"ET",
    ]
    * 40
)


def zeros_flate(mib: int) -> bytes:
    """A zlib stream of ``mib`` MiB of zeros, built from one compressed MiB repeated (each piece
    ends in a full flush, so the pieces are byte-aligned and independent): 300 MiB in 0.02 s."""
    compressor = zlib.compressobj(9)
    first = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    adler = (((mib * MIB) % 65521) << 16) | 1  # adler32 of n zero bytes
    return first[:2] + first[2:] * mib + b"\x03\x00" + struct.pack(">I", adler)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = zeros_flate(300)
    assert len(data) < 400_000
    return data


def one_page_pdf(raw: bytes, filters: list[str] | None = None, parameters: Any = None) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    stream = pikepdf.Stream(pdf, raw)
    if filters:
        stream.Filter = (
            pikepdf.Array([pikepdf.Name(f) for f in filters])
            if len(filters) > 1
            else pikepdf.Name(filters[0])
        )
    if parameters is not None:
        stream.DecodeParms = parameters
    pdf.pages[0].Contents = pdf.make_indirect(stream)
    return pdf


def saved(pdf: pikepdf.Pdf) -> bytes:
    buffer = io.BytesIO()
    pdf.save(buffer, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return buffer.getvalue()


def test_a_flate_bomb_stops_at_the_stream_cap_in_bounded_memory(bomb: bytes) -> None:
    pdf = one_page_pdf(bomb, ["/FlateDecode"])
    messages()
    tracemalloc.start()
    started = time.perf_counter()
    problem = one_problem(lambda: PdfStreams(HERE).read(pdf.pages[0].Contents))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert limit_name(problem) == "stream_bytes" and problem.location == HERE
    assert peak < 64 * MIB + 8 * MIB  # never more than the cap and one piece, not 300 MB
    assert time.perf_counter() - started < 2


def test_importing_a_flate_bomb_pdf_is_a_located_limit_error_tagged_or_not(bomb: bytes) -> None:
    data = saved(one_page_pdf(bomb, ["/FlateDecode"]))
    started = time.perf_counter()
    problem = one_problem(lambda: read_any_pdf(data, "bomb.pdf", Limits(stream_bytes=8 * MIB)))
    assert limit_name(problem) == "stream_bytes" and problem.location.file == "bomb.pdf"
    assert time.perf_counter() - started < 2


def test_decoded_streams_equal_what_pikepdf_decodes() -> None:
    flate = one_page_pdf(zlib.compress(CONTENT), ["/FlateDecode"])
    assert PdfStreams(HERE).read(flate.pages[0].Contents) == CONTENT
    hex_then_flate = one_page_pdf(
        zlib.compress(CONTENT).hex().encode() + b">", ["/ASCIIHexDecode", "/FlateDecode"]
    )
    assert PdfStreams(HERE).read(hex_then_flate.pages[0].Contents) == CONTENT
    rows = b"".join(
        b"\x00" + CONTENT[i : i + 40].ljust(40, b" ") for i in range(0, len(CONTENT), 40)
    )  # PNG "None" rows
    parameters = pikepdf.Dictionary(Predictor=10, Columns=40)
    predicted = one_page_pdf(zlib.compress(rows), ["/FlateDecode"], parameters)
    stream = predicted.pages[0].Contents
    assert PdfStreams(HERE).read(stream) == bytes(stream.read_bytes())
    plain = one_page_pdf(CONTENT)
    assert PdfStreams(HERE).read(plain.pages[0].Contents) == CONTENT


def test_filters_that_cannot_be_bounded_or_decoded_are_refused() -> None:
    image = one_page_pdf(b"\xff\xd8\xff\xe0" + bytes(100), ["/DCTDecode"])
    problem = one_problem(lambda: PdfStreams(HERE).read(image.pages[0].Contents))
    assert problem.code == "pdf_stream_filter" and problem.params["filters"] == "/DCTDecode"
    lzw = one_page_pdf(b"\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01", ["/LZWDecode"])  # 9 bytes may stand for 23 KB
    problem = one_problem(lambda: PdfStreams(HERE, Limits(stream_bytes=10_000)).read(lzw.pages[0].Contents))
    assert problem.code == "pdf_stream_filter" and problem.params["filters"] == "/LZWDecode"
    assert PdfStreams(HERE).read(lzw.pages[0].Contents) == bytes(lzw.pages[0].Contents.read_bytes())


def test_the_document_total_is_counted_across_streams() -> None:
    pdf = one_page_pdf(zlib.compress(CONTENT), ["/FlateDecode"])
    streams = PdfStreams(HERE, Limits(pdf_bytes=len(CONTENT) * 2 + 10))
    streams.read(pdf.pages[0].Contents)
    streams.read(pdf.pages[0].Contents)
    assert limit_name(one_problem(lambda: streams.read(pdf.pages[0].Contents))) == "pdf_bytes"


def test_page_count_limit_and_damaged_empty_or_locked_files(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    for _ in range(2_001):
        pdf.add_blank_page()
    many = saved(pdf)
    problem = one_problem(lambda: open_pdf(many, HERE))
    assert limit_name(problem) == "pages" and problem.params["found_en"] == " (found 2,001)"
    with open_pdf(many, HERE, Limits(pages=2_001)) as opened:
        assert len(opened.pages) == 2_001
    assert one_problem(lambda: read_any_pdf(b"", "empty.pdf")).code == "pdf_empty"
    problem = one_problem(lambda: read_any_pdf(b"%PDF-1.7\nthis is not a pdf\n", "broken.pdf"))
    assert problem.code == "pdf_damaged" and problem.location.file == "broken.pdf"
    locked = tmp_path / "locked.pdf"
    one_page_pdf(CONTENT).save(locked, encryption=pikepdf.Encryption(user="ita2568", owner="ita2568"))
    assert one_problem(lambda: read_any_pdf(locked, "locked.pdf")).code == "pdf_encrypted"


def test_an_object_stream_bomb_is_refused_before_qpdf_inflates_it(bomb: bytes) -> None:
    raw = (
        b"%PDF-1.7\n5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(bomb)).encode()
        + b" >>\nstream\n"
        + bomb
        + b"\nendstream\nendobj\n"
    )
    started = time.perf_counter()
    problem = one_problem(lambda: check_self_decoded(raw, HERE, Limits(stream_bytes=16 * MIB)))
    assert limit_name(problem) == "stream_bytes" and time.perf_counter() - started < 1
    chained = raw.replace(b"/Filter /FlateDecode", b"/Filter [/FlateDecode /FlateDecode]")
    assert one_problem(lambda: check_self_decoded(chained, HERE)).code == "pdf_stream_filter"
    # a real file written with object streams passes, and reads
    pdf = one_page_pdf(zlib.compress(CONTENT), ["/FlateDecode"])
    buffer = io.BytesIO()
    pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert b"/ObjStm" in buffer.getvalue()
    check_self_decoded(buffer.getvalue(), HERE)
    with open_pdf(buffer.getvalue(), HERE) as opened:
        assert PdfStreams(HERE).read(opened.pages[0].Contents) == CONTENT


def tagged_table(cell: dict[str, Any]) -> bytes:
    """A tagged PDF whose structure tree is one table of two rows; the first cell has attributes."""
    pdf = one_page_pdf(CONTENT)
    page = pdf.pages[0].obj

    def element(tag: str, kids: list[Any], attributes: dict[str, Any] | None = None) -> Any:
        entry = pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name(tag), Pg=page, K=pikepdf.Array(kids)
        )
        if attributes:
            entry.A = pikepdf.Dictionary(O=pikepdf.Name.Table, **attributes)
        return pdf.make_indirect(entry)

    first = element("/TR", [element("/TD", [], cell), element("/TD", [])])
    second = element("/TR", [element("/TD", []), element("/TD", [])])
    table = element("/Table", [first, second])
    pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=table))
    return saved(pdf)


def test_a_huge_col_span_is_read_as_html_allows_with_a_note_and_a_huge_row_span_is_cut() -> None:
    started = time.perf_counter()
    source = read_pdf(tagged_table({"ColSpan": 1_000_000_000, "RowSpan": 2_000_000_000}), "measures.pdf")
    assert time.perf_counter() - started < 1
    assert source is not None
    first, second = source.blocks
    # the spanning cell fills 1,000 columns of both rows; the second row's cells come after it
    assert len(first.cells) == len(second.cells) == 1_002  # type: ignore[union-attr]
    (note,) = source.notes
    assert note.problem.code == "pdf_cell_span" and note.problem.location.file == "measures.pdf"
    assert dict(note.problem.params) == {
        "table": "1",
        "row": "1",
        "attribute": "ColSpan",
        "value": "1000000000",
        "used": "1000",
    }
    source = read_pdf(tagged_table({"ColSpan": pikepdf.Name.Two}), "measures.pdf")
    assert source is not None and source.notes[0].problem.params["used"] == "1"


def test_a_structure_tree_that_loops_or_shares_an_element_is_damaged_not_a_hang() -> None:
    pdf = one_page_pdf(CONTENT)
    loop = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.P))
    loop.K = loop
    pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=loop))
    problem = one_problem(lambda: read_pdf(saved(pdf), "loop.pdf"))
    assert problem.code == "pdf_damaged" and problem.location.file == "loop.pdf"
    pdf = one_page_pdf(CONTENT)  # 40 levels, each naming the next twice: 2**40 paths through 40 elements
    node = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.P))
    for _ in range(40):
        node = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.StructElem, S=pikepdf.Name.Div, K=pikepdf.Array([node, node])
            )
        )
    pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=node))
    started = time.perf_counter()
    assert one_problem(lambda: read_pdf(saved(pdf), "graph.pdf")).code == "pdf_damaged"
    assert time.perf_counter() - started < 1
    pdf = one_page_pdf(CONTENT)  # a chain 100 elements deep: over the depth limit, not a RecursionError
    node = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.P))
    for _ in range(100):
        node = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Div, K=node))
    pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=node))
    problem = one_problem(lambda: read_pdf(saved(pdf), "deep.pdf"))
    assert limit_name(problem) == "depth" and problem.location.file == "deep.pdf"


def test_font_maps_with_ranges_to_four_billion_stop_at_the_last_two_byte_code() -> None:
    pdf = pikepdf.new()
    cmap = b"begincmap\n1 beginbfrange\n<0000> <FFFFFFFF> <0E01>\nendbfrange\nendcmap"
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.Type0,
        ToUnicode=pdf.make_indirect(pikepdf.Stream(pdf, cmap)),
        DescendantFonts=pikepdf.Array([pikepdf.Dictionary(W=pikepdf.Array([0, 4_294_967_295, 500]))]),
    )
    started = time.perf_counter()
    mapping = _to_unicode(font, PdfStreams(HERE))
    widths = Font(font, mapping).widths
    assert time.perf_counter() - started < 1
    assert len(mapping) == 0x10000 and mapping[0] == "\u0e01" and mapping[0xFFFF] == chr(0x0E01 + 0xFFFF)
    assert len(widths) == 0x10000
    odd = pikepdf.Dictionary(
        ToUnicode=pdf.make_indirect(pikepdf.Stream(pdf, b"1 beginbfchar\n<01> <0E3>\nendbfchar"))
    )
    assert _to_unicode(odd, PdfStreams(HERE)) == {1: "\u0e30"}  # an odd last digit is followed by 0
