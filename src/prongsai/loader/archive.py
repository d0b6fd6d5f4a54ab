"""Zip containers (XLSX, DOCX, DOCX templates) inspected before anything unpacks them.

An Office file is a zip archive, and a zip archive says how large its members are before one byte
is inflated: a zip bomb (a small file that unpacks to gigabytes), an archive of millions of members,
a member named ``../../etc/passwd`` or an encrypted member can all be seen in the central directory.
:func:`check_zip` looks there and nowhere else, so that refusing a hostile container costs the time
of reading its table of contents. :func:`read_member` then inflates one member with a hard cap on
the bytes actually produced, because a declared size is only a claim.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from prongsai.errors import InputError
from prongsai.loader.inflate import OUT_PIECE, RAW_DEFLATE, inflate_pieces
from prongsai.loader.limits import LIMITS, MIB, Limits, over_limit
from prongsai.problems import Location, error, label

# Members this small cannot be a bomb whatever their ratio: a page of text deflates 100:1.
RATIO_FLOOR = 1 * MIB
# The magic number of an OLE compound file: an old .xls/.doc, or an Office file saved with a password.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CENTRAL_ENTRY = b"PK\x01\x02"
# What zipfile and the readers above it may raise on a damaged archive.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    struct.error,
    NotImplementedError,
    RuntimeError,
    UnicodeDecodeError,
    KeyError,
)


def kind_params(kind: str) -> dict[str, str]:
    """The ``kind_th``/``kind_en`` parameters that name the container (``"xlsx"`` or ``"docx"``)."""
    return {"kind_th": label(f"container_{kind}", "th"), "kind_en": label(f"container_{kind}", "en")}


def damaged(location: Location, kind: str, detail: str) -> InputError:
    """'This is not an Excel/Word file or it is damaged', with what the reader said."""
    return InputError([error("container_damaged", location, detail=detail, **kind_params(kind))])


def open_zip(data: bytes, location: Location, limits: Limits = LIMITS, *, kind: str) -> zipfile.ZipFile:
    """The container opened for reading, once :func:`check_zip` found nothing wrong with it."""
    if not data:
        raise InputError([error("container_empty", location, **kind_params(kind))])
    if data.startswith(OLE_MAGIC):
        raise InputError([error("container_legacy_or_encrypted", location, **kind_params(kind))])
    # zipfile builds an object per central-directory entry and checks each entry's signature, so
    # the count of signatures bounds the members it could build: refuse before building them.
    signatures = data.count(CENTRAL_ENTRY)
    if signatures > limits.archive_members:
        raise over_limit("archive_members", location, limits.archive_members, signatures)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:
        raise damaged(location, kind, _detail(exc)) from None
    try:
        _check_members(archive.infolist(), location, limits, kind)
    except BaseException:
        archive.close()
        raise
    return archive


def check_zip(data: bytes, location: Location, limits: Limits = LIMITS, *, kind: str) -> None:
    """Refuse a container that is not a zip, is damaged, or is hostile, without unpacking it.

    Checked: empty, not a zip or truncated (``container_empty``, ``container_damaged``), an old or
    password-protected Office file (``container_legacy_or_encrypted``), the number of members
    (``archive_members``), the declared unpacked size in all (``archive_bytes``), the ratio of each
    member over 1 MiB (``compression_ratio``), encrypted members and member names that climb out of
    the container or are absolute (``container_encrypted``, ``container_unsafe_name``), and the
    same name twice. Declared sizes are what zipfile-based readers (python-docx, docxtpl) obey: a
    member that unpacks to more fails their CRC check; see :func:`verify_members` for others."""
    open_zip(data, location, limits, kind=kind).close()


def _check_members(members: list[zipfile.ZipInfo], location: Location, limits: Limits, kind: str) -> None:
    if not members:
        raise damaged(location, kind, "no members")
    if len(members) > limits.archive_members:
        raise over_limit("archive_members", location, limits.archive_members, len(members))
    total = 0
    seen: set[str] = set()
    for info in members:
        where = location.with_(field=info.filename)
        if info.filename in seen:  # two readers may pick different copies: the file has no one meaning
            raise damaged(location, kind, f"{info.filename} appears twice")
        seen.add(info.filename)
        if unsafe_name(info.filename):
            raise InputError(
                [error("container_unsafe_name", location, member=info.filename, **kind_params(kind))]
            )
        if info.flag_bits & 0x1:
            raise InputError(
                [error("container_encrypted", location, member=info.filename, **kind_params(kind))]
            )
        if info.file_size > RATIO_FLOOR:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.compression_ratio:
                raise over_limit("compression_ratio", where, limits.compression_ratio, ratio)
        total += info.file_size
        if total > limits.archive_bytes:
            raise over_limit("archive_bytes", location, limits.archive_bytes, total)


def unsafe_name(name: str) -> bool:
    """A member name that is absolute or climbs out of the archive (``..``), in either slash style."""
    path = name.replace("\\", "/")
    if path.startswith("/") or (len(path) > 1 and path[1] == ":") or "\x00" in path:
        return True
    return ".." in path.split("/")


def read_member(
    data: bytes,
    info: zipfile.ZipInfo,
    location: Location,
    limits: Limits = LIMITS,
    *,
    kind: str,
    limit: str = "archive_bytes",
) -> bytes:
    """One member, inflated whole under the cap of the limit named ``limit`` (a field of Limits)."""
    return b"".join(member_chunks(data, info, location, limits, kind=kind, limit=limit))


def verify_members(data: bytes, location: Location, limits: Limits = LIMITS, *, kind: str) -> None:
    """Inflate every member (keeping nothing) to prove each unpacks to exactly its declared size.

    Readers outside Python (calamine's Rust zip reader) may inflate past a size a member declares;
    once every member is shown to unpack to its declared size and CRC, the declared sizes that
    :func:`check_zip` bounded are the sizes any reader will meet."""
    with open_zip(data, location, limits, kind=kind) as archive:
        for info in archive.infolist():
            for _ in member_chunks(data, info, location, limits, kind=kind):
                pass


def member_chunks(
    data: bytes,
    info: zipfile.ZipInfo,
    location: Location,
    limits: Limits = LIMITS,
    *,
    kind: str,
    limit: str = "archive_bytes",
) -> Iterator[bytes]:
    """A member's content in pieces of at most 1 MiB, inflated from its raw bytes with zlib.

    The declared size is not trusted: the inflater is fed 64 KiB at a time with ``max_length``, so
    no more than one piece is ever produced past what was counted; a member that unpacks to more
    or less than it declares, or fails its CRC, is damaged; past the cap it is the ``limit`` error."""
    cap = int(getattr(limits, limit))
    where = location.with_(field=info.filename)
    raw = _raw_bytes(data, info, where, kind)
    if info.compress_type == zipfile.ZIP_STORED:
        pieces: Iterator[bytes] = (bytes(raw[i : i + OUT_PIECE]) for i in range(0, len(raw), OUT_PIECE))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        pieces = _inflate(raw, where, kind)
    else:
        raise damaged(where, kind, f"compression method {info.compress_type}")
    total = 0
    crc = 0
    for piece in pieces:
        total += len(piece)
        if total > cap:
            raise over_limit(limit, where, cap)
        if total > info.file_size:
            raise damaged(where, kind, f"{info.filename} unpacks to more than its declared size")
        crc = zlib.crc32(piece, crc)
        yield piece
    if total != info.file_size or crc != info.CRC:
        raise damaged(where, kind, f"{info.filename} does not match its declared size and checksum")


LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then name and extra field lengths


def _raw_bytes(data: bytes, info: zipfile.ZipInfo, where: Location, kind: str) -> memoryview:
    """The member's stored (compressed) bytes, found through its local header as zipfile does."""
    start = info.header_offset
    header = data[start : start + LOCAL_HEADER.size]
    if len(header) < LOCAL_HEADER.size:
        raise damaged(where, kind, f"{info.filename}: truncated")
    signature, name_length, extra_length = LOCAL_HEADER.unpack(header)
    if signature != b"PK\x03\x04":
        raise damaged(where, kind, f"{info.filename}: bad local header")
    begin = start + LOCAL_HEADER.size + name_length + extra_length
    if begin + info.compress_size > len(data):
        raise damaged(where, kind, f"{info.filename}: truncated")
    return memoryview(data)[begin : begin + info.compress_size]


def _inflate(raw: memoryview, where: Location, kind: str) -> Iterator[bytes]:
    try:
        yield from inflate_pieces(raw, wbits=RAW_DEFLATE, complete=True)
    except zlib.error as exc:
        raise damaged(where, kind, _detail(exc)) from None


def xml_parser() -> Any:
    """An lxml parser for untrusted Office XML: no entity substitution, no DTD loading, no network,
    and lxml's default guards (nesting depth, text node size) left on (``huge_tree=False``)."""
    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


def parse_part(xml: bytes, location: Location, *, kind: str) -> Any:
    """A small XML part (workbook, relationships, styles) parsed safely; a DOCTYPE is refused,
    since Office never writes one and entities are the usual way to make XML hostile."""
    try:
        root = etree.fromstring(xml, xml_parser())
    except etree.XMLSyntaxError as exc:
        raise damaged(location, kind, _detail(exc)) from None
    if root.getroottree().docinfo.doctype:
        raise damaged(location, kind, "DOCTYPE")
    return root


def local_name(tag: object) -> str:
    """The name of a tag without its namespace: '{...main}sheet' -> 'sheet' (comments: '')."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _detail(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
