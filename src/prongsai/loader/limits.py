"""What one untrusted input may cost: bytes, nesting, expansion, cells and seconds.

Each limit has a name; going over one is an input error that names the limit, its value and what
was found (``limit_exceeded``), never a hang, a traceback or exhausted memory. The defaults are
generous for real files (the largest real results file, all ~8,300 agencies in one sheet, is far
below every one of them) and are the same for the command line and the web application.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import FrameType

from prongsai.errors import InputError
from prongsai.problems import Location, error, label

MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 64 * MIB  # one input file read whole (results, plan, settings, document, template)
    value_chars: int = 32_767  # one text value (YAML/JSON scalar, CSV or XLSX cell): Excel's own cell limit
    name_chars: int = 200  # a name (agency, district, unit, person, position): the longest real is under 80
    text_chars: int = 4_000  # a free text of a plan (a measure, a step): the seeds' longest title has 439
    depth: int = 64  # nesting of YAML/JSON collections
    nodes: int = 5_000_000  # values in one YAML/JSON file, counting every repetition an alias makes
    alias_nodes: int = 100_000  # values that YAML aliases repeat (a "billion laughs" file needs billions)
    rows: int = 1_048_576  # rows of one table: Excel's own limit
    columns: int = 16_384  # columns of one table: Excel's own limit
    cells: int = 20_000_000  # cells of one sheet, as its cell references span them
    archive_members: int = 10_000  # files inside a zip container (XLSX, DOCX)
    archive_bytes: int = 512 * MIB  # what a zip container unpacks to, in all
    compression_ratio: int = 200  # unpacked / packed size of one zip member (members over 1 MiB)
    stream_bytes: int = 64 * MIB  # one decoded PDF stream
    pdf_bytes: int = 256 * MIB  # every decoded PDF stream of one document, in all
    pages: int = 2_000  # pages of one PDF document
    seconds: float = 60.0  # reading one file


LIMITS = Limits()

_BYTE_LIMITS = {"file_bytes", "archive_bytes", "stream_bytes", "pdf_bytes"}


def shown(name: str, value: float) -> str:
    """A limit or a found amount as people read it: bytes in MB, seconds with one decimal."""
    if name in _BYTE_LIMITS:
        return f"{value / MIB:,.1f} MB"
    if name == "seconds":
        return f"{value:.1f}"
    return f"{int(value):,}"


def over_limit(name: str, location: Location, limit: float, found: float | None = None) -> InputError:
    """The error for an input that went over the limit ``name`` (a field of :class:`Limits`)."""
    if name not in Limits.__dataclass_fields__:
        raise KeyError(f"no limit named {name!r}")
    found_th = label("limit_found", "th", found=shown(name, found)) if found is not None else ""
    found_en = label("limit_found", "en", found=shown(name, found)) if found is not None else ""
    return InputError(
        [
            error(
                "limit_exceeded",
                location,
                limit_name=name,  # for programs (and tests); people read what_th / what_en
                what_th=label(f"limit_{name}", "th"),
                what_en=label(f"limit_{name}", "en"),
                limit=shown(name, limit),
                found_th=found_th,
                found_en=found_en,
            )
        ]
    )


# --------------------------------------------------------------------------------------------------
# Time
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Deadline:
    at: float
    seconds: float
    location: Location


_DEADLINE: ContextVar[_Deadline | None] = ContextVar("prongsai_deadline", default=None)


class _TimeUp(BaseException):
    """Raised by the timer signal; a BaseException so that no ``except Exception`` swallows it."""


def _on_timer(signum: int, frame: FrameType | None) -> None:
    raise _TimeUp


@contextmanager
def time_limit(location: Location, seconds: float | None = None) -> Iterator[None]:
    """Reading inside the block may take at most ``seconds`` (default ``LIMITS.seconds``).

    Readers call :func:`check_time` in their loops. In the main thread a timer signal also
    interrupts Python code that runs too long between checks (a template loop, a library's parser);
    code inside one C call is bounded by the size limits instead. Blocks nest: the earliest
    deadline wins."""
    limit = LIMITS.seconds if seconds is None else seconds
    outer = _DEADLINE.get()
    deadline = _Deadline(time.monotonic() + limit, limit, location)
    if outer is not None and outer.at <= deadline.at:
        deadline = outer
    token = _DEADLINE.set(deadline)
    armed = outer is None and _can_arm()
    previous = None
    if armed:
        previous = signal.signal(signal.SIGALRM, _on_timer)
        signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    except _TimeUp:
        raise over_limit("seconds", deadline.location, deadline.seconds) from None
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _DEADLINE.reset(token)


def _can_arm() -> bool:
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )


def check_time() -> None:
    """Raise the ``seconds`` limit error if the innermost :func:`time_limit` block has run out."""
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline.at:
        raise over_limit("seconds", deadline.location, deadline.seconds)
