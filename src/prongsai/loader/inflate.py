"""Inflating deflate data from strangers a piece at a time, so that the caller can stop at its cap.

One loop for zip members (raw deflate) and PDF streams (zlib): never more than ``OUT_PIECE`` of
output in memory at once, however much the input claims or expands to (a few hundred kilobytes of
zeros inflate to gigabytes).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

IN_PIECE = 64 * 1024  # compressed bytes handed to zlib at a time
OUT_PIECE = 1 << 20  # the most output one piece holds
RAW_DEFLATE = -zlib.MAX_WBITS  # zip members: deflate without a header
ZLIB = zlib.MAX_WBITS  # PDF FlateDecode: deflate with the zlib header


def inflate_pieces(
    raw: bytes | memoryview, *, wbits: int, start: int = 0, complete: bool = False
) -> Iterator[bytes]:
    """What ``raw[start:]`` inflates to, in pieces of at most ``OUT_PIECE`` bytes; stops at the end of
    the compressed data. Raises zlib.error on damaged data, and, with ``complete``, when the data
    ends before the compressed stream does."""
    inflater = zlib.decompressobj(wbits)
    view = memoryview(raw)
    for begin in range(start, len(view), IN_PIECE):
        pending: bytes | memoryview = view[begin : begin + IN_PIECE]
        while pending and not inflater.eof:
            piece = inflater.decompress(pending, OUT_PIECE)
            pending = inflater.unconsumed_tail
            if piece:
                yield piece
        if inflater.eof:
            break
    while not inflater.eof:  # output still held back by max_length
        piece = inflater.decompress(b"", OUT_PIECE)
        if not piece:
            break
        yield piece
    if complete and not inflater.eof:
        raise zlib.error("truncated compressed data")
