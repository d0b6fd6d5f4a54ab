"""Reading published measures documents back (text, DOCX, PDF) into results, a plan and the list
of what was uncertain. See docs/import.md."""

from __future__ import annotations

from pathlib import Path

from prongsai.errors import InputError
from prongsai.importing.build import Imported, build
from prongsai.importing.model import Source
from prongsai.problems import Location, error

SUFFIXES = (".txt", ".docx", ".pdf")


def read_source(path: Path) -> Source:
    where = Location(file=path.name)
    if not path.is_file():
        raise InputError([error("file_not_found", where, path=path)])
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError([error("unsupported_format", where, suffix=suffix, supported=", ".join(SUFFIXES))])
    data = path.read_bytes()
    try:
        if suffix == ".docx":
            from prongsai.importing.source_docx import read_docx

            return read_docx(data, path.name)
        if suffix == ".pdf":
            from prongsai.importing.source_pdf import read_any_pdf

            return read_any_pdf(path, path.name)
        from prongsai.importing.source_text import read_text

        return read_text(data.decode("utf-8-sig"), path.name)
    except (ValueError, KeyError, OSError) as exc:
        raise InputError([error("file_unreadable", where, detail=type(exc).__name__)]) from exc
    except Exception as exc:  # a damaged DOCX (zip) or PDF raises library-specific errors
        raise InputError([error("file_unreadable", where, detail=type(exc).__name__)]) from exc


def read_document(path: Path) -> Imported:
    """Read one published document; raises InputError (every problem, located) when it cannot."""
    return build(read_source(path))


__all__ = ["Imported", "read_document", "read_source"]
