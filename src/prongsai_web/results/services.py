"""Writes of results: an upload read by the core (every format it reads), refused whole with every
problem located, or saved per agency-year (a new upload replaces that year's, audited), with the
figures the pages read computed once here (results/figures.py).

Raw answers (one row per respondent, the input of ``prongsai score``) are never stored: such a file
is refused with the reason, whoever uploads it."""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from prongsai.agency import normalised_name, place_conflicts
from prongsai.app.results import canonical_yaml
from prongsai.errors import InputError
from prongsai.framework import load_frameworks
from prongsai.ingest import read_results
from prongsai.problems import Location
from prongsai.results import Results, ResultsInput, resolve
from prongsai_web.access import Action, check
from prongsai_web.audit import services as audit
from prongsai_web.directory.models import Agency
from prongsai_web.messages import from_problem, web_problem
from prongsai_web.results.figures import figures_of
from prongsai_web.results.models import ResultSet

ANSWER_MARKS = frozenset({"respondent", "answer"})  # columns only a raw answers file has


class UploadRefused(Exception):
    """Nothing was saved; ``problems`` says why, each in Thai and English with where."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass(frozen=True)
class Read:
    records: list[ResultsInput]
    warnings: list[dict[str, Any]]
    name: str


def _safe_name(name: str | None) -> str:
    base = Path(name or "results").name.strip() or "results"
    return "".join(c if c.isprintable() and c not in "/\\" else "_" for c in base)[-120:]


@contextmanager
def _copied(upload: UploadedFile, name: str) -> Iterator[Path]:
    """The upload as a temporary file named as it was uploaded (the core reads by suffix)."""
    with tempfile.TemporaryDirectory(prefix="prongsai-upload-") as folder:
        path = Path(folder) / name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        yield path


def _fold(text: object) -> str:
    return "_".join(unicodedata.normalize("NFC", str(text or "")).replace("\ufeff", "").lower().split())


def _first_rows(path: Path, location: Location) -> list[tuple[Location, Sequence[object]]]:
    """The header row of a CSV, or the first non-blank row of each sheet of a workbook."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        from prongsai.loader.csvtable import read_csv_rows

        rows, _ = read_csv_rows(data, location)
        return [(location.with_(row=1), rows[0])] if rows else []
    if suffix == ".xlsx":
        from prongsai.loader.xlsx import read_sheets

        found: list[tuple[Location, Sequence[object]]] = []
        for sheet in read_sheets(data, location):
            number, row = next(
                ((n, r) for n, r in enumerate(sheet.rows, start=1) if any(v is not None for v in r)), (0, [])
            )
            found.append((location.with_(sheet=sheet.name, row=number), row))
        return found
    return []


def raw_answers_at(path: Path, location: Location) -> Location | None:
    """Where a file shows itself to be raw answers (respondent and answer columns), if it does."""
    from prongsai.scoring.source import ALIASES

    try:
        heads = _first_rows(path, location)
    except InputError:
        return None  # unreadable: the reader's own problems say why
    for where, row in heads:
        names = {ALIASES.get(_fold(cell), _fold(cell)) for cell in row}
        if names >= ANSWER_MARKS:
            return where
    return None


def read_file(upload: UploadedFile | None) -> Read:
    """Every agency-year of an uploaded file, read by the core from a temporary copy; refused whole
    (UploadRefused) when it is too large, has any error, or holds raw answers."""
    if upload is None:
        raise UploadRefused([web_problem("no_file")])
    name = _safe_name(upload.name)
    if upload.size is not None and upload.size > settings.UPLOAD_LIMIT:
        where = Location(file=name)
        raise UploadRefused([web_problem("too_large", where, size=upload.size, limit=settings.UPLOAD_LIMIT)])
    with _copied(upload, name) as path:
        try:
            records, warnings = read_results(path)
        except InputError as exc:
            answers = raw_answers_at(path, Location(file=name))
            if answers is not None:
                raise UploadRefused([web_problem("raw_answers_refused", answers)]) from None
            raise UploadRefused([from_problem(p) for p in exc.problems]) from None
    return Read(records, [from_problem(p) for p in warnings], name)


def read_upload(upload: UploadedFile | None, agency: Agency) -> Read:
    """The agency-years of an uploaded file, every one of them ``agency``'s."""
    read = read_file(upload)
    wrong = [r for r in read.records if not same_agency(r, agency)]
    if wrong:
        found = wrong[0]
        raise UploadRefused(
            [
                web_problem(
                    "other_agency",
                    found.location,
                    found=found.agency.name,
                    year=found.ita_year,
                    agency=agency.name,
                )
            ]
        )
    return read


def same_agency(record: ResultsInput, agency: Agency) -> bool:
    return normalised_name(record.agency.name) == normalised_name(agency.name) and not place_conflicts(
        agency.core(), record.agency
    )


def upload_results(
    actor: User | AnonymousUser, agency: Agency, upload: UploadedFile | None
) -> list[ResultSet]:
    """Read and save an upload: the permission first, then the file (outside the transaction), then
    every agency-year it holds in one transaction."""
    check(actor, Action.EDIT, agency)
    return save_results(actor, agency, read_upload(upload, agency))


@dataclass(frozen=True)
class Stored:
    """One agency-year as it is kept: the canonical text and the keys marked as estimated."""

    ita_year: int
    canonical: str
    estimated: list[str]

    @classmethod
    def of(cls, record: ResultsInput) -> Stored:
        return cls(record.ita_year, canonical_yaml(record), sorted(record.estimated))


@transaction.atomic
def save_results(actor: User | AnonymousUser | None, agency: Agency, read: Read) -> list[ResultSet]:
    check(actor, Action.EDIT, agency)
    frameworks = load_frameworks()
    saved = []
    for record in read.records:
        results = resolve(frameworks[record.ita_year], record)
        saved.append(store(actor, agency, Stored.of(record), results, read.warnings, read.name))
    return saved


def store(
    actor: User | AnonymousUser | None,
    agency: Agency,
    stored: Stored,
    results: Results,
    warnings: list[dict[str, Any]],
    source_name: str,
    **detail: Any,
) -> ResultSet:
    """Write one agency-year (new or replacing that year's) with its figures, and audit it. The
    caller checks the permission and holds the transaction."""
    fields = {
        "canonical": stored.canonical,
        "estimated": stored.estimated,
        "warnings": warnings,
        "overall": results.overall.value,
        "level": results.level.value or "",
        "source_name": source_name,
        "uploaded_by": actor if isinstance(actor, User) else None,
        **figures_of(load_frameworks()[stored.ita_year], results),
    }
    row, made = ResultSet.objects.update_or_create(agency=agency, ita_year=stored.ita_year, defaults=fields)
    action = "results.uploaded" if made else "results.replaced"
    said = {"ita_year": stored.ita_year, "overall": row.overall, "level": row.level, "file": source_name}
    audit.record(actor, action, agency=agency, target=row, **said, **detail)
    return row
