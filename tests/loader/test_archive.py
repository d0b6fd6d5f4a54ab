"""Zip containers are judged from their central directory before anything is unpacked, and a member
is inflated under a hard cap whatever size it declares (loader.archive)."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import warnings
import zipfile
import zlib
from pathlib import Path

from prongsai.loader.archive import check_zip, open_zip, parse_part, read_member, verify_members
from prongsai.loader.limits import MIB, Limits
from prongsai.problems import Location
from tests.loader.helpers import limit_name, one_problem

ROOT = Path(__file__).resolve().parents[2]
LETTERHEAD = ROOT / "examples" / "templates" / "letterhead.docx"
HERE = Location(file="upload.xlsx")


def make_zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def patch_central(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    """Overwrite a field of every central-directory entry (offsets as in the zip specification)."""
    out = bytearray(data)
    start = 0
    while (start := out.find(b"PK\x01\x02", start)) != -1:
        struct.pack_into(fmt, out, start + offset, value)
        start += 4
    return bytes(out)


def test_a_real_docx_template_passes_and_every_member_unpacks_to_its_declared_size() -> None:
    data = LETTERHEAD.read_bytes()
    check_zip(data, Location(file=LETTERHEAD.name), kind="docx")
    verify_members(data, Location(file=LETTERHEAD.name), kind="docx")
    with open_zip(data, HERE, kind="docx") as archive:
        info = archive.getinfo("word/document.xml")
        assert read_member(data, info, HERE, kind="docx") == archive.read(info)


def test_empty_not_a_zip_truncated_and_old_office_files_are_named_for_what_they_are() -> None:
    assert one_problem(lambda: check_zip(b"", HERE, kind="xlsx")).code == "container_empty"
    problem = one_problem(lambda: check_zip(b"agency,ita_year\n", HERE, kind="xlsx"))
    assert problem.code == "container_damaged"
    assert "Excel" in problem.message_en and "Excel" in problem.message_th
    assert problem.location == HERE
    word = one_problem(lambda: check_zip(b"%PDF-1.7\n", Location(file="plan.docx"), kind="docx"))
    assert word.code == "container_damaged" and "Word" in word.message_en and "Word" in word.message_th
    whole = LETTERHEAD.read_bytes()
    for cut in (len(whole) // 2, len(whole) - 10):  # cut in the data, cut in the central directory
        assert one_problem(lambda c=cut: check_zip(whole[:c], HERE, kind="docx")).code == "container_damaged"
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # an .xls, or an .xlsx saved with a password
    assert one_problem(lambda: check_zip(ole, HERE, kind="xlsx")).code == "container_legacy_or_encrypted"


def test_a_zip_bomb_member_is_refused_from_its_declared_ratio_without_inflating_it() -> None:
    bomb = make_zip({"xl/workbook.xml": b"<workbook/>", "xl/media/zeros.bin": bytes(4 * MIB)})
    assert len(bomb) < 20_000  # 4 MiB of zeros: a ratio near 1000
    tracemalloc.start()
    started = time.perf_counter()
    problem = one_problem(lambda: check_zip(bomb, HERE, kind="xlsx"))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert limit_name(problem) == "compression_ratio"
    assert problem.location == HERE.with_(field="xl/media/zeros.bin")
    assert peak < MIB and time.perf_counter() - started < 1


def test_members_total_size_and_member_count_limits() -> None:
    members = {f"xl/worksheets/sheet{n}.xml": b"<worksheet/>" * 100 for n in range(6)}
    data = make_zip(members)
    check_zip(data, HERE, kind="xlsx")
    assert limit_name(one_problem(lambda: check_zip(data, HERE, Limits(archive_members=5), kind="xlsx"))) == (
        "archive_members"
    )
    total = one_problem(lambda: check_zip(data, HERE, Limits(archive_bytes=5_000), kind="xlsx"))
    assert limit_name(total) == "archive_bytes" and total.location == HERE


def test_encrypted_members_unsafe_names_and_duplicate_names_are_refused() -> None:
    plain = make_zip({"word/document.xml": b"<w:document/>"})
    encrypted = patch_central(plain, 8, "<H", 0x1)  # general purpose flag bit 0: encrypted
    problem = one_problem(lambda: check_zip(encrypted, HERE, kind="docx"))
    assert problem.code == "container_encrypted" and problem.params["member"] == "word/document.xml"
    for name in (
        "../../etc/cron.d/x",
        "/etc/passwd",
        "C:\\Windows\\x.xml",
        "word/../../x.xml",
        "a\\..\\..\\b",
    ):
        problem = one_problem(lambda n=name: check_zip(make_zip({n: b"x"}), HERE, kind="docx"))
        assert problem.code == "container_unsafe_name" and problem.params["member"] == name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is asked to write
        twice = _twice()
    assert one_problem(lambda: check_zip(twice, HERE, kind="docx")).code == "container_damaged"


def _twice() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", b"<first/>")
        archive.writestr("word/document.xml", b"<second/>")
    return buffer.getvalue()


def lying_member(real: bytes, declared: int) -> bytes:
    """A zip whose one member declares ``declared`` bytes (and their CRC) but inflates to ``real``."""
    data = make_zip({"xl/sharedStrings.xml": real})
    data = patch_central(data, 24, "<I", declared)  # uncompressed size
    return patch_central(data, 16, "<I", zlib.crc32(real[:declared]))


def test_a_member_that_unpacks_to_more_than_it_declares_is_stopped_at_the_first_piece() -> None:
    data = lying_member(bytes(16 * MIB), declared=1_000)  # passes every declared-size check
    check_zip(data, HERE, kind="xlsx")
    tracemalloc.start()
    started = time.perf_counter()
    problem = one_problem(lambda: verify_members(data, HERE, kind="xlsx"))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert problem.code == "container_damaged" and "declared" in problem.params["detail"]
    assert problem.location == HERE.with_(field="xl/sharedStrings.xml")
    assert peak < 4 * MIB and time.perf_counter() - started < 1
    # zipfile itself stops at the declared size: what python-docx reads is bounded by the declaration
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert len(archive.read("xl/sharedStrings.xml")) == 1_000


def test_read_member_caps_what_it_inflates_and_checks_the_checksum() -> None:
    names = "".join(f"<si><t>องค์การบริหารส่วนตำบลบ้านหนองที่ {n}</t></si>" for n in range(20_000))
    text = f"<sst>{names}</sst>".encode()
    data = make_zip({"xl/sharedStrings.xml": text})
    with open_zip(data, HERE, kind="xlsx") as archive:
        info = archive.getinfo("xl/sharedStrings.xml")
    assert read_member(data, info, HERE, kind="xlsx") == text
    problem = one_problem(
        lambda: read_member(data, info, HERE, Limits(file_bytes=MIB), kind="xlsx", limit="file_bytes")
    )
    assert limit_name(problem) == "file_bytes" and problem.location.field == "xl/sharedStrings.xml"
    corrupt = patch_central(data, 16, "<I", zlib.crc32(text) ^ 1)
    with open_zip(corrupt, HERE, kind="xlsx") as archive:
        info = archive.getinfo("xl/sharedStrings.xml")
    assert one_problem(lambda: read_member(corrupt, info, HERE, kind="xlsx")).code == "container_damaged"


def test_xml_parts_are_parsed_without_entities_and_a_doctype_is_refused() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'.encode()
            for n in range(1, 10)
        )
        + b"]><workbook>&lol9;</workbook>"
    )
    started = time.perf_counter()
    assert one_problem(lambda: parse_part(laughs, HERE, kind="xlsx")).code == "container_damaged"
    external = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    problem = one_problem(lambda: parse_part(external, HERE, kind="xlsx"))
    assert problem.code == "container_damaged" and "root:" not in problem.message_en
    assert time.perf_counter() - started < 1
    assert parse_part(b"<workbook><sheets/></workbook>", HERE, kind="xlsx").tag == "workbook"
