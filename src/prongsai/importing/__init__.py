"""Reading published measures documents back (text, DOCX, PDF) into results, a plan and the list
of what was uncertain. See docs/import.md."""

from __future__ import annotations

from pathlib import Path

from prongsai.errors import InputError
from prongsai.importing.build import Imported, build
from prongsai.importing.model import Source
from prongsai.loader.limits import time_limit
from prongsai.loader.source import check_input, read_input
from prongsai.loader.text import decode
from prongsai.problems import Location, error

SUFFIXES = (".txt", ".docx", ".pdf")


def read_source(path: Path) -> Source:
    where = Location(file=path.name)
    check_input(path, where)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError([error("unsupported_format", where, suffix=suffix, supported=", ".join(SUFFIXES))])
    with time_limit(where):
        return _read(path, suffix, read_input(path, where), where)


def _read(path: Path, suffix: str, data: bytes, where: Location) -> Source:
    try:
        if suffix == ".docx":
            from prongsai.importing.source_docx import read_docx

            return read_docx(data, path.name)
        if suffix == ".pdf":
            from prongsai.importing.source_pdf import read_any_pdf

            return read_any_pdf(path, path.name)
        from prongsai.importing.source_text import read_text

        text, problems = decode(data, where)
        if text is None:
            raise InputError(problems)
        return read_text(text, path.name)
    except InputError:
        raise
    except (ValueError, KeyError, OSError) as exc:
        raise InputError([error("file_unreadable", where, detail=type(exc).__name__)]) from exc
    except Exception as exc:  # a damaged DOCX (zip) or PDF raises library-specific errors
        raise InputError([error("file_unreadable", where, detail=type(exc).__name__)]) from exc


def read_document(path: Path) -> Imported:
    """Read one published document; raises InputError (every problem, located) when it cannot."""
    return build(read_source(path))


__all__ = ["Imported", "read_document", "read_source"]
