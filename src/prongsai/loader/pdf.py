"""PDF files opened and their streams decoded under the ``stream_bytes``, ``pdf_bytes`` and
``pages`` limits.

A PDF stream is compressed, and FlateDecode inflates about 1000 to 1: a 240 KB stream can stand
for 240 MB, and pikepdf's ``read_bytes()`` builds the whole result before anyone can look at its
size. Every stream the importers read therefore goes through :class:`PdfStreams`, which decodes
FlateDecode itself with ``zlib.decompressobj`` and ``max_length`` (stopping one piece past the
cap), lets pikepdf decode another filter only when that filter's largest possible expansion of
the data keeps the result under the cap, refuses any filter it cannot bound, and keeps a running
total for the document. qpdf decodes two kinds of stream on its own while it resolves objects
(cross-reference and object streams), so :func:`open_pdf` inflates those from the raw file under
the same cap before qpdf sees them. pikepdf's exceptions on damaged files become located problems.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pikepdf

from prongsai.errors import InputError
from prongsai.loader.inflate import ZLIB, inflate_pieces
from prongsai.loader.limits import LIMITS, Limits, check_time, over_limit
from prongsai.loader.source import check_input
from prongsai.problems import Location, error

FLATE = frozenset({"/FlateDecode", "/Fl"})
# The most a filter can expand its input: ASCIIHex halves it, ASCII85's 'z' makes 4 bytes of one,
# RunLength 128 of 2, LZW at most ~2,560 (a 12-bit code stands for at most 3,838 bytes).
BOUNDED = {
    "/ASCIIHexDecode": 1,
    "/AHx": 1,
    "/ASCII85Decode": 4,
    "/A85": 4,
    "/RunLengthDecode": 64,
    "/RL": 64,
    "/LZWDecode": 2_560,
    "/LZW": 2_560,
}
FLATE_MAX_RATIO = 1_032  # deflate's own limit
PDF_ERRORS = (pikepdf.PdfError, pikepdf.DataDecodingError, pikepdf.DeletedObjectError)


def damaged(location: Location, detail: str) -> InputError:
    return InputError([error("pdf_damaged", location, detail=detail)])


@contextmanager
def pdf_errors(location: Location) -> Iterator[None]:
    """pikepdf's exceptions (and the value errors of odd objects) as the located 'damaged' problem."""
    try:
        yield
    except pikepdf.PasswordError:
        raise InputError([error("pdf_encrypted", location)]) from None
    except (*PDF_ERRORS, ValueError, TypeError, KeyError, IndexError, RecursionError) as exc:
        text = " ".join(str(exc).split())[:200]
        raise damaged(location, f"{type(exc).__name__}: {text}" if text else type(exc).__name__) from None


def open_pdf(source: bytes | Path, location: Location, limits: Limits = LIMITS) -> pikepdf.Pdf:
    """The document opened with pikepdf once its size, its self-decoded streams and its page count
    are within the limits (a file path lets qpdf read the file itself, about twice as fast)."""
    if isinstance(source, Path):
        size = check_input(source, location).st_size
        if size > limits.file_bytes:
            raise over_limit("file_bytes", location, limits.file_bytes, size)
        data = source.read_bytes()
    else:
        data = source
        if len(data) > limits.file_bytes:
            raise over_limit("file_bytes", location, limits.file_bytes, len(data))
    if not data.strip():
        raise InputError([error("pdf_empty", location)])
    check_self_decoded(data, location, limits)
    with pdf_errors(location):
        pdf = pikepdf.open(source if isinstance(source, Path) else io.BytesIO(source))
        try:
            pages = len(pdf.pages)
        except BaseException:
            pdf.close()
            raise
    if pages > limits.pages:
        pdf.close()
        raise over_limit("pages", location, limits.pages, pages)
    return pdf


# A stream dictionary qpdf decodes by itself: an object stream or a cross-reference stream.
_SELF_DECODED = re.compile(rb"/Type\s*/(?:ObjStm|XRef)\b")
_STREAM = re.compile(rb"stream\r?\n")
_FILTER_NAMES = re.compile(
    rb"/(?:FlateDecode|Fl|ASCIIHexDecode|AHx|ASCII85Decode|A85|LZWDecode|LZW|RunLengthDecode|RL"
    rb"|DCTDecode|JPXDecode|JBIG2Decode|CCITTFaxDecode|Crypt)\b"
)
DICTIONARY_BYTES = 64 * 1024


def check_self_decoded(data: bytes, location: Location, limits: Limits = LIMITS) -> None:
    """Inflate, under the ``stream_bytes`` cap and keeping nothing, each object or cross-reference
    stream found in the raw file: qpdf inflates them whole when it resolves objects, before any
    reader could bound them. Only FlateDecode is used for them in practice; any other filter (or a
    chain) is refused. A stream that cannot be inflated from the raw file (an encrypted document)
    is left to qpdf."""
    for match in _SELF_DECODED.finditer(data):
        check_time()
        start = data.rfind(b"obj", 0, match.start())
        found = _STREAM.search(data, match.end())
        if start == -1 or found is None:
            continue
        if found.start() - start > DICTIONARY_BYTES:  # no real dictionary is this long: a disguise
            raise damaged(location, "object stream dictionary")
        filters = _FILTER_NAMES.findall(data[start : found.start()])
        if not filters:
            continue
        if len(filters) > 1 or filters[0] not in (b"/FlateDecode", b"/Fl"):
            names = " ".join(f.decode() for f in filters)
            raise InputError([error("pdf_stream_filter", location, filters=names)])
        try:
            _drain(data, found.end(), location, limits)
        except zlib.error:
            continue


def _drain(data: bytes, start: int, location: Location, limits: Limits) -> None:
    produced = 0
    for piece in inflate_pieces(data, wbits=ZLIB, start=start):
        produced += len(piece)
        if produced > limits.stream_bytes:
            raise over_limit("stream_bytes", location, limits.stream_bytes)


class PdfStreams:
    """Decodes the streams of one document: each under ``stream_bytes``, all under ``pdf_bytes``."""

    def __init__(self, location: Location, limits: Limits = LIMITS) -> None:
        self.location = location
        self.limits = limits
        self.used = 0
        self._scratch: pikepdf.Pdf | None = None

    def read(self, stream: Any) -> bytes:
        """A stream's data, decoded through its filters in order, never past the caps."""
        with pdf_errors(self.location):
            if not isinstance(stream, pikepdf.Stream):
                raise damaged(self.location, f"not a stream: {type(stream).__name__}")
            filters = _names(stream.get("/Filter"))
            parameters = _parameters(stream.get("/DecodeParms"), len(filters))
            data = bytes(stream.read_raw_bytes())
            for name, parameter in zip(filters, parameters, strict=True):
                data = self._decode_step(data, name, parameter)
        self._count(len(data))
        return data

    def _cap(self) -> tuple[str, int]:
        """The tighter of the two caps still open: this stream's, or what the document has left."""
        left = self.limits.pdf_bytes - self.used
        if left < self.limits.stream_bytes:
            return "pdf_bytes", max(left, 0)
        return "stream_bytes", self.limits.stream_bytes

    def _count(self, size: int) -> None:
        self.used += size
        if self.used > self.limits.pdf_bytes:
            raise over_limit("pdf_bytes", self.location, self.limits.pdf_bytes)

    def _decode_step(self, data: bytes, name: str, parameter: Any) -> bytes:
        check_time()
        limit, cap = self._cap()
        if name in FLATE:
            inflated = self._inflate(data, limit, cap)
            if not _predictor(parameter):
                return inflated
            # a PNG or TIFF predictor never lengthens the data: pikepdf may now undo it safely
            return self._by_pikepdf(data, name, parameter)
        ratio = BOUNDED.get(name)
        if ratio is None or len(data) * ratio > cap:
            raise InputError([error("pdf_stream_filter", self.location, filters=name)])
        return self._by_pikepdf(data, name, parameter)

    def _inflate(self, data: bytes, limit: str, cap: int) -> bytes:
        pieces: list[bytes] = []
        produced = 0
        try:
            for piece in inflate_pieces(data, wbits=ZLIB):
                produced += len(piece)
                if produced > cap:
                    raise over_limit(limit, self.location, getattr(self.limits, limit))
                pieces.append(piece)
        except zlib.error as exc:
            raise damaged(self.location, f"FlateDecode: {exc}") from None
        return b"".join(pieces)

    def _by_pikepdf(self, data: bytes, name: str, parameter: Any) -> bytes:
        if self._scratch is None:
            self._scratch = pikepdf.new()
        stream = pikepdf.Stream(self._scratch, data)
        stream.Filter = pikepdf.Name(name)
        if isinstance(parameter, pikepdf.Dictionary):
            stream.DecodeParms = pikepdf.Dictionary({key: value for key, value in parameter.items()})
        return bytes(stream.read_bytes())

    def close(self) -> None:
        if self._scratch is not None:
            self._scratch.close()
            self._scratch = None


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, pikepdf.Array):
        return [str(item) for item in value]
    return [str(value)]


def _parameters(value: Any, count: int) -> list[Any]:
    if isinstance(value, pikepdf.Array):
        items = list(value)
        return (items + [None] * count)[:count]
    return [value] + [None] * (count - 1) if count else []


def _predictor(parameter: Any) -> bool:
    if not isinstance(parameter, pikepdf.Dictionary):
        return False
    predictor = parameter.get("/Predictor")
    return isinstance(predictor, int) and predictor > 1
