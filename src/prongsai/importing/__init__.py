"""Reading published documents back (text, DOCX, PDF): a measures document into results, a plan and
the list of what was uncertain; a progress report into its measures' progress. See docs/import.md."""

from __future__ import annotations

from pathlib import Path

from prongsai.errors import InputError
from prongsai.importing.build import Imported, build
from prongsai.importing.columns import header_roles
from prongsai.importing.model import Row, Source
from prongsai.importing.progress import ProgressReport, columns_of, is_progress_report, read_progress_report
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


def read_published(path: Path) -> Imported | ProgressReport:
    """Read a measures document or a progress report, whichever it is (told by its title and table
    headings); raises InputError (every problem, located) when it cannot, saying so first when the
    document is neither."""
    source = read_source(path)
    if is_progress_report(source):
        return read_progress_report(source)
    try:
        return build(source)
    except InputError as exc:
        if _recognised(source):
            raise
        problems = [error("import_not_recognised", Location(file=path.name)), *exc.problems]
        raise InputError(problems) from exc


def _recognised(source: Source) -> bool:
    """Whether any row is the heading row of a score, measures or progress table."""
    rows = (b for b in source.blocks if isinstance(b, Row))
    return any(header_roles(row) is not None or columns_of(row) is not None for row in rows)


__all__ = ["Imported", "ProgressReport", "read_document", "read_published", "read_source"]
