"""Bulk upload of a SCORES file (many agencies, many years) by an overseer or an admin, in two steps.

1. ``preview_upload``: the file is read by the core (refused whole on any error, and always when it
   holds raw answers), each agency-year is matched to an agency (normalised name, and no conflicting
   district or province: ``prongsai.agency``) and classed as new, replaced, unmatched, ambiguous or
   out of scope; the rows as read are kept server-side in a ``BulkPreview`` under a random token,
   bound to the user, for ``PREVIEW_MINUTES``. Nothing else is written.
2. ``confirm_preview``: the same user, the permission checked again for every agency, saves every
   matched row in one transaction (audited per row), or nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from prongsai.agency import normalised_name, place_conflicts
from prongsai.app.results import read_canonical
from prongsai.framework import load_frameworks
from prongsai.results import ResultsInput, resolve
from prongsai_web.access import Action, agencies, agency_filter, check
from prongsai_web.directory.models import Agency
from prongsai_web.messages import web_problem
from prongsai_web.results.models import BulkPreview, ResultSet
from prongsai_web.results.services import Read, Stored, UploadRefused, read_file, store

PREVIEW_MINUTES = 30
NEW, REPLACED, UNMATCHED, AMBIGUOUS, OUT_OF_SCOPE = (
    "new",
    "replaced",
    "unmatched",
    "ambiguous",
    "out_of_scope",
)
STATUSES = (NEW, REPLACED, UNMATCHED, AMBIGUOUS, OUT_OF_SCOPE)
SAVED_STATUSES = frozenset({NEW, REPLACED})


class PreviewGone(Exception):
    """The preview expired (or was used) after it was shown to its own user."""


@dataclass(frozen=True)
class PreviewRow:
    """One agency-year of the file as the preview shows it, and what confirming would do with it."""

    name: str  # as the file writes it
    district: str
    province: str
    ita_year: int
    overall: float | None
    level: str
    estimated: list[str]
    status: str  # NEW, REPLACED, UNMATCHED, AMBIGUOUS, OUT_OF_SCOPE
    agency_id: int | None  # the matched agency (None when unmatched or ambiguous)
    agency_name: str  # the matched agency's name as the directory writes it
    previous: float | None  # the overall it replaces
    canonical: str

    @property
    def saved(self) -> bool:
        return self.status in SAVED_STATUSES

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PreviewRow:
        return cls(**data)


def may_bulk_upload(user: User | AnonymousUser) -> bool:
    """Whether ``user`` holds the bulk upload right over any scope."""
    return agency_filter(user, Action.BULK_UPLOAD) is not None


def _directory() -> dict[str, list[Agency]]:
    """Every agency by its normalised name."""
    found: dict[str, list[Agency]] = defaultdict(list)
    for agency in Agency.objects.only("id", "name", "type", "district", "province"):
        found[normalised_name(agency.name)].append(agency)
    return found


def matches(record: ResultsInput, directory: Mapping[str, list[Agency]]) -> list[Agency]:
    """The agencies a record may be: same normalised name, no district or province that differs."""
    named = directory.get(normalised_name(record.agency.name), [])
    return [a for a in named if not place_conflicts(a.core(), record.agency)]


def _status(found: list[Agency], in_scope: set[int], held: set[tuple[int, int]], year: int) -> str:
    if not found:
        return UNMATCHED
    if len(found) > 1:
        return AMBIGUOUS
    if found[0].pk not in in_scope:
        return OUT_OF_SCOPE
    return REPLACED if (found[0].pk, year) in held else NEW


def classify(user: User | AnonymousUser, records: Iterable[ResultsInput]) -> list[PreviewRow]:
    """Each record matched and classed (a bounded number of queries, whatever the number of rows)."""
    records = list(records)
    directory = _directory()
    in_scope = set(agencies(user, Action.BULK_UPLOAD).values_list("pk", flat=True))
    found = {id(r): matches(r, directory) for r in records}
    ids = {a.pk for agencies_found in found.values() for a in agencies_found}
    previous = {
        (agency_id, year): overall
        for agency_id, year, overall in ResultSet.objects.filter(agency_id__in=ids).values_list(
            "agency_id", "ita_year", "overall"
        )
    }
    held = set(previous)
    frameworks = load_frameworks()
    rows = []
    for record in records:
        candidates = found[id(record)]
        status = _status(candidates, in_scope, held, record.ita_year)
        agency = candidates[0] if len(candidates) == 1 else None
        results = resolve(frameworks[record.ita_year], record)
        stored = Stored.of(record)
        rows.append(
            PreviewRow(
                name=record.agency.name,
                district=record.agency.district or "",
                province=record.agency.province or "",
                ita_year=record.ita_year,
                overall=results.overall.value,
                level=results.level.value or "",
                estimated=stored.estimated,
                status=status,
                agency_id=agency.pk if agency is not None and status != OUT_OF_SCOPE else None,
                agency_name=agency.name if agency is not None and status != OUT_OF_SCOPE else "",
                previous=previous.get((agency.pk, record.ita_year))
                if status == REPLACED and agency
                else None,
                canonical=stored.canonical,
            )
        )
    return rows


def _expired_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=PREVIEW_MINUTES)


def preview_upload(user: User | AnonymousUser, upload: UploadedFile | None) -> BulkPreview:
    """Read and match a SCORES file and keep it for confirmation; UploadRefused on any problem."""
    if not isinstance(user, User) or not may_bulk_upload(user):
        raise PermissionDenied(Action.BULK_UPLOAD.value)
    read: Read = read_file(upload)
    rows = classify(user, read.records)
    BulkPreview.objects.filter(created_at__lt=_expired_before()).delete()
    return BulkPreview.objects.create(
        token=secrets.token_urlsafe(32),
        user=user,
        source_name=read.name,
        warnings=read.warnings,
        rows=[row.to_json() for row in rows],
    )


def preview_for(user: User | AnonymousUser, token: str) -> BulkPreview:
    """The user's own preview: Http404 for anyone else's or an unknown token, PreviewGone when it
    expired."""
    if not isinstance(user, User):
        raise Http404("no such preview")
    try:
        preview = BulkPreview.objects.get(token=token, user=user)
    except BulkPreview.DoesNotExist:
        raise Http404("no such preview") from None
    if preview.created_at < _expired_before():
        preview.delete()
        raise PreviewGone(token)
    return preview


def preview_rows(preview: BulkPreview) -> list[PreviewRow]:
    return [PreviewRow.from_json(row) for row in preview.rows]


@transaction.atomic
def confirm_preview(user: User | AnonymousUser, token: str) -> list[ResultSet]:
    """Save every matched row of the user's preview in one transaction, each audited; the permission
    is checked again for every agency (PermissionDenied or Http404 saves nothing)."""
    preview = preview_for(user, token)
    if BulkPreview.objects.select_for_update().filter(pk=preview.pk).first() is None:
        raise PreviewGone(token)  # confirmed meanwhile (in another tab): one confirmation only
    rows = [row for row in preview_rows(preview) if row.saved]
    chosen = Agency.objects.in_bulk([row.agency_id for row in rows])
    saved = []
    for row in rows:
        agency = chosen.get(row.agency_id or 0)
        if agency is None:
            raise UploadRefused([web_problem("bulk_agency_gone", name=row.agency_name)])
        check(user, Action.BULK_UPLOAD, agency)
        results = read_canonical(row.canonical, frozenset(row.estimated), f"{row.ita_year}.yaml")
        stored = Stored(row.ita_year, row.canonical, row.estimated)
        saved.append(store(user, agency, stored, results, preview.warnings, preview.source_name, bulk=True))
    preview.delete()
    return saved
