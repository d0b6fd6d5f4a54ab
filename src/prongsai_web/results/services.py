"""Writes of results: an upload read by the core (every format it reads), refused whole with every
problem located, or saved per agency-year (a new upload replaces that year's, audited)."""

from __future__ import annotations

import tempfile
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
from prongsai.results import ResultsInput, resolve
from prongsai_web.access import Action, check
from prongsai_web.audit import services as audit
from prongsai_web.directory.models import Agency
from prongsai_web.messages import from_problem, web_problem
from prongsai_web.results.models import ResultSet


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


def read_upload(upload: UploadedFile | None, agency: Agency) -> Read:
    """The agency-years of an uploaded file, read by the core from a temporary copy."""
    if upload is None:
        raise UploadRefused([web_problem("no_file")])
    name = _safe_name(upload.name)
    if upload.size is not None and upload.size > settings.UPLOAD_LIMIT:
        where = Location(file=name)
        raise UploadRefused([web_problem("too_large", where, size=upload.size, limit=settings.UPLOAD_LIMIT)])
    with tempfile.TemporaryDirectory(prefix="prongsai-upload-") as folder:
        path = Path(folder) / name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            records, warnings = read_results(path)
        except InputError as exc:
            raise UploadRefused([from_problem(p) for p in exc.problems]) from None
    wrong = [r for r in records if not _same_agency(r, agency)]
    if wrong:
        found = wrong[0]
        where = found.location
        raise UploadRefused(
            [
                web_problem(
                    "other_agency", where, found=found.agency.name, year=found.ita_year, agency=agency.name
                )
            ]
        )
    return Read(records, [from_problem(p) for p in warnings], name)


def _same_agency(record: ResultsInput, agency: Agency) -> bool:
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


@transaction.atomic
def save_results(actor: User | AnonymousUser | None, agency: Agency, read: Read) -> list[ResultSet]:
    check(actor, Action.EDIT, agency)
    frameworks = load_frameworks()
    saved = []
    for record in read.records:
        results = resolve(frameworks[record.ita_year], record)
        fields = {
            "canonical": canonical_yaml(record),
            "estimated": sorted(record.estimated),
            "warnings": read.warnings,
            "overall": results.overall.value,
            "level": results.level.value or "",
            "source_name": read.name,
            "uploaded_by": actor if isinstance(actor, User) else None,
        }
        row, made = ResultSet.objects.update_or_create(
            agency=agency, ita_year=record.ita_year, defaults=fields
        )
        record_action = "results.uploaded" if made else "results.replaced"
        detail = {"ita_year": record.ita_year, "overall": row.overall, "level": row.level, "file": read.name}
        audit.record(actor, record_action, agency=agency, target=row, **detail)
        saved.append(row)
    return saved
