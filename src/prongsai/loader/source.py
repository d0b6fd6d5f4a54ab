"""Opening a user's file: it must exist, be a regular file, be readable and fit the size limit.

Every command reads its input files through :func:`read_input`, so that a missing file, a folder
given where a file is expected, a device or a pipe, a file that cannot be read and a file that is
too large each get their own located message, and so that no reader ever pulls more than the limit
into memory (the size is checked on the open file, and the read stops one byte past the limit).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from prongsai.errors import InputError
from prongsai.loader.limits import LIMITS, Limits, over_limit
from prongsai.problems import Location, error


def where(path: Path) -> Location:
    return Location(file=path.name or str(path))


def check_input(path: Path, location: Location | None = None) -> os.stat_result:
    """The file's status if it can be read as an input; otherwise the located reason why not."""
    location = location or where(path)
    try:
        status = path.stat()
    except FileNotFoundError:
        raise InputError([error("file_not_found", location, path=path)]) from None
    except NotADirectoryError:  # a part of the path is a file
        raise InputError([error("file_path_through_file", location, path=path)]) from None
    except OSError as exc:
        raise _os_problem(exc, path, location) from None
    if stat.S_ISDIR(status.st_mode):
        raise InputError([error("file_is_folder", location, path=path)])
    if not stat.S_ISREG(status.st_mode):
        raise InputError([error("file_not_regular", location, path=path)])
    return status


def read_input(path: Path, location: Location | None = None, limits: Limits = LIMITS) -> bytes:
    """The whole file, once it passed :func:`check_input` and the ``file_bytes`` limit."""
    location = location or where(path)
    status = check_input(path, location)
    if status.st_size > limits.file_bytes:
        raise over_limit("file_bytes", location, limits.file_bytes, status.st_size)
    try:
        with path.open("rb") as stream:
            data = stream.read(limits.file_bytes + 1)
    except OSError as exc:
        raise _os_problem(exc, path, location) from None
    if len(data) > limits.file_bytes:  # grew while we looked, or a special file that lies about its size
        raise over_limit("file_bytes", location, limits.file_bytes)
    return data


def rust_panic(exc: BaseException) -> bool:
    """A panic in a Rust library (Polars, calamine): pyo3 raises it as a BaseException."""
    return type(exc).__name__ == "PanicException"


def library_failure(exc: BaseException) -> bool:
    """An exception a library raises on a bad file: any Exception, or a Rust panic; not
    KeyboardInterrupt, SystemExit or the time limit."""
    return isinstance(exc, Exception) or rust_panic(exc)


@contextmanager
def library_errors(location: Location) -> Iterator[None]:
    """A library's failure on a user's file (any exception, or a Rust panic, which pyo3 raises as a
    BaseException that no ``except Exception`` sees) as the located "cannot read the file". Wrap
    only the library's own call, so that prongsai's own mistakes stay internal errors."""
    try:
        yield
    except InputError:
        raise
    except BaseException as exc:
        if not library_failure(exc):
            raise  # KeyboardInterrupt, SystemExit, the time limit
        text = " ".join(str(exc).split())[:200]
        detail = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
        raise InputError([error("file_unreadable", location, detail=detail)]) from None


def _os_problem(exc: OSError, path: Path, location: Location) -> InputError:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputError([error("file_no_permission", location, path=path)])
    if exc.errno == errno.EISDIR:
        return InputError([error("file_is_folder", location, path=path)])
    return InputError([error("file_unreadable", location, detail=exc.strerror or type(exc).__name__)])
