"""Evidence files as uploaded: a clean name, and the kind of file judged by its content (its first
bytes, and for Word and Excel the parts inside the zip), never by the name or the browser's word.

Accepted: PDF, JPEG, PNG, Word (DOCX) and Excel (XLSX) without macros, each at most EVIDENCE_LIMIT
bytes. A file whose content is not what its name says is refused (docs/web-tracking.md).
"""

from __future__ import annotations

import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from prongsai.problems import Location
from prongsai_web.messages import text

DEFAULT_LIMIT = 10 * 1024 * 1024  # bytes per file, unless settings.EVIDENCE_LIMIT says otherwise
NAME_CHARS = 120  # the longest name kept (the extension included)
_UNSAFE = set('/\\:*?"<>|')


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # as people name it
    content_type: str
    extensions: tuple[str, ...]


KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind("pdf", "PDF", "application/pdf", (".pdf",)),
        Kind("jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg")),
        Kind("png", "PNG", "image/png", (".png",)),
        Kind(
            "docx",
            "Word (DOCX)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
        ),
        Kind(
            "xlsx",
            "Excel (XLSX)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
        ),
    )
}
BY_EXTENSION = {ext: kind for kind in KINDS.values() for ext in kind.extensions}
ACCEPTED = ", ".join(kind.label for kind in KINDS.values())
ACCEPT_ATTRIBUTE = ",".join(ext for kind in KINDS.values() for ext in kind.extensions)  # <input accept>
_MACROS = "vbaProject.bin"  # the part that holds macros in an Office file


def limit() -> int:
    value = getattr(settings, "EVIDENCE_LIMIT", DEFAULT_LIMIT)
    return int(value)


def clean_name(name: str | None) -> str:
    """The file's own name (no folder), printable, without characters a file system refuses, at
    most NAME_CHARS long with its extension kept; 'evidence' when nothing is left."""
    base = PurePosixPath(unicodedata.normalize("NFC", (name or "").replace("\\", "/"))).name
    kept = "".join("_" if c in _UNSAFE or not c.isprintable() else c for c in base).strip().lstrip(".")
    stem, dot, extension = kept.rpartition(".")
    if not dot:
        stem, extension = kept, ""
    extension = extension[:10].lower()
    room = NAME_CHARS - len(extension) - 1
    stem = stem[:room].strip() or "evidence"
    return f"{stem}.{extension}" if extension else stem


def stem_of(name: str) -> str:
    return name.rpartition(".")[0] or name


def sniff(upload: UploadedFile) -> str | None:
    """The kind of file the content is (a key of KINDS), 'macros' for an Office file with macros,
    or None for anything else."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        return _office(upload)
    return None


def _office(upload: UploadedFile) -> str | None:
    """A Word or Excel file by the parts its zip lists (nothing is unpacked)."""
    if upload.file is None:
        return None
    try:
        with zipfile.ZipFile(upload.file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if any(n.rsplit("/", 1)[-1] == _MACROS for n in names):
        return "macros"
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def digest(upload: UploadedFile) -> str:
    found = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        found.update(chunk)
    upload.seek(0)
    return found.hexdigest()


@dataclass(frozen=True)
class Checked:
    """An uploaded file that may be kept: its clean name and kind."""

    upload: UploadedFile
    name: str
    kind: Kind
    description: str
    row: str  # the form's row it came from ("file0")


def check_file(upload: UploadedFile, description: str, row: str) -> Checked | dict[str, Any]:
    """The file, or the problem that refuses it (Thai and English, at its row)."""
    name = clean_name(upload.name)
    where = Location(file=name)
    extension = PurePosixPath(name).suffix.lower()
    expected = BY_EXTENSION.get(extension)
    size = upload.size or 0
    if expected is None:
        return _problem(row, "tracking_evidence_type", where, name=name, accepted=ACCEPTED)
    if size == 0:
        return _problem(row, "tracking_evidence_empty", where, name=name)
    if size > limit():
        return _problem(
            row, "tracking_evidence_too_large", where, name=name, size=_mb(size), limit=_mb(limit())
        )
    found = sniff(upload)
    if found == "macros":
        return _problem(row, "tracking_evidence_macros", where, name=name)
    if found != expected.key:
        shown = KINDS[found].label if found in KINDS else ""
        code = "tracking_evidence_mismatch_kind" if shown else "tracking_evidence_mismatch"
        return _problem(row, code, where, name=name, expected=expected.label, found=shown, accepted=ACCEPTED)
    return Checked(upload, name, expected, description.strip() or stem_of(name), row)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


def _problem(row: str, code: str, where: Location, **params: Any) -> dict[str, Any]:
    th, en = text(code, **params)
    return {"row": row, "th": th, "en": en, "file": where.file}
