"""Carrying out a plan's measures: the plan's progress file as the pages read it, an update appended
to it from a form (with its evidence files and links), and a whole progress file uploaded.

The progress file is kept as its YAML text (``Progress.text``) and read by the core
(``prongsai.app.progress``), so every rule of docs/progress-format.md is the core's. A write checks
the permission, is refused whole with every problem at its field (Thai and English) when the file
with the change does not read, keeps every earlier update as it was written (append-only), is one
transaction with its audit event, and is refused when the progress changed since the page was
opened (``version``).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from prongsai.app.plans import plan_from_text
from prongsai.app.progress import (
    EVIDENCE_MISSING,
    PROGRESS_NAME,
    Added,
    Rewrite,
    UpdateRefused,
    progress_from_text,
    progress_from_upload,
    rewrites,
    update_entry,
)
from prongsai.app.progress import add_update as append_update
from prongsai.errors import InputError
from prongsai.planning import Measure
from prongsai.planning import Plan as CorePlan
from prongsai.problems import Location, Problem
from prongsai.progress import Progress as CoreProgress
from prongsai.progress import be_iso
from prongsai.progressfile import progress_template
from prongsai.timeframe import thai_date
from prongsai_web.access import Action, check
from prongsai_web.audit.services import record
from prongsai_web.directory.models import Agency
from prongsai_web.messages import from_problem, text, web_problem
from prongsai_web.plans.models import Plan
from prongsai_web.tracking.evidence import Checked, check_file, clean_name, digest
from prongsai_web.tracking.models import Evidence, Progress, ProgressVersion

FILE_ROWS = 3  # evidence files one update may bring
LINK_ROWS = 3  # evidence links one update may bring
FORM_FIELDS = (
    "date",
    "status",
    "percent",
    "done",
    "outputs",
    "budget_used",
    "problems",
    "suggestions",
    "reason",
    "until",
    "note",
)
Shown = dict[str, Any]  # a problem as pages show it: th, en (and severity, location)
# problems the core places at another key than the one the form asks for
_FORM_KEY = {"progress_reason_missing": "reason"}


class StaleProgress(Exception):
    """Someone saved the progress after the version the page was opened at."""

    def __init__(self, current: int) -> None:
        super().__init__(f"the progress is at version {current}")
        self.current = current


class Refused(Exception):
    """Nothing was saved: ``fields`` holds the problems of a form field (its name: date, status,
    file0, link1 ...), ``problems`` the rest, each in Thai and English."""

    def __init__(
        self, problems: Sequence[Shown] = (), fields: Mapping[str, list[Shown]] | None = None
    ) -> None:
        self.problems = list(problems)
        self.fields = dict(fields or {})
        super().__init__(f"{len(self.problems)} problems, {len(self.fields)} fields")


@dataclass(frozen=True)
class FileGiven:
    upload: UploadedFile
    description: str
    row: str  # file0, file1 ...


@dataclass(frozen=True)
class LinkGiven:
    url: str
    description: str
    row: str  # link0, link1 ...


@dataclass(frozen=True)
class Saved:
    version: int
    message: tuple[str, str]  # what to tell the person (Thai, English)
    warnings: list[Shown] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# Reading: the plan and its progress as the pages show them
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tracked:
    """A plan's progress: ``progress`` None when the file held no longer reads against the plan
    (``problems`` says why)."""

    plan_row: Plan
    plan: CorePlan
    row: Progress | None
    progress: CoreProgress | None
    problems: list[Shown]
    evidence: dict[str, Evidence]  # the files held, by the path the progress file names them

    @property
    def version(self) -> int:
        return self.row.version if self.row is not None else 0

    @property
    def text(self) -> str:
        """The progress file: the one held, or the empty one ``progress init`` writes."""
        return self.row.text if self.row is not None else progress_template(self.plan)

    def measure(self, measure_id: str) -> Measure:
        found = next((m for m in self.plan.measures if m.id == measure_id), None)
        if found is None:
            raise Http404("no such measure in the plan")
        return found


def empty_progress(plan: CorePlan) -> CoreProgress:
    return CoreProgress(plan.agency.name, plan.ita_year, plan.plan_year, ())


def tracked(agency: Agency, ita_year: int) -> Tracked | None:
    """The plan of the agency-year with its progress; None when there is no plan yet."""
    plan_row = Plan.objects.filter(agency=agency, ita_year=ita_year).first()
    if plan_row is None:
        return None
    plan = plan_from_text(plan_row.text)
    row = Progress.objects.filter(plan=plan_row).first()
    held = _held(row)
    if row is None:
        return Tracked(plan_row, plan, None, empty_progress(plan), [], held)
    try:
        progress, _ = progress_from_text(row.text, plan, held=held)
    except InputError as exc:
        lead = web_problem("tracking_stored_unreadable")
        return Tracked(plan_row, plan, row, None, [lead, *_shown(exc.problems)], held)
    return Tracked(plan_row, plan, row, progress, [], held)


def _plan_of(agency: Agency, ita_year: int) -> tuple[Plan, CorePlan]:
    plan_row = Plan.objects.filter(agency=agency, ita_year=ita_year).first()
    if plan_row is None:
        raise Http404("no plan for this year")
    return plan_row, plan_from_text(plan_row.text)


def _shown(problems: Sequence[Problem]) -> list[Shown]:
    """Core problems as pages show them; an evidence file the file names but the store does not
    hold said in the web's words (the core's names a temporary folder)."""
    shown = []
    for problem in problems:
        if problem.code == EVIDENCE_MISSING:
            item = web_problem(
                "tracking_evidence_not_held", problem.location, path=problem.params.get("path", "")
            )
            shown.append(item | {"severity": problem.severity})
        else:
            shown.append(from_problem(problem))
    return shown


# --------------------------------------------------------------------------------------------------
# An update from the form
# --------------------------------------------------------------------------------------------------


def add_update(
    actor: User | AnonymousUser,
    agency: Agency,
    ita_year: int,
    measure_id: str,
    version: int,
    fields: Mapping[str, str],
    files: Sequence[FileGiven] = (),
    links: Sequence[LinkGiven] = (),
) -> Saved:
    """Append one update to the measure's updates, with its evidence files (checked by content)
    and links. Refused (nothing saved) with every problem at its field; StaleProgress when the
    progress is no longer at ``version``; Http404 for a plan or measure that does not exist."""
    check(actor, Action.EDIT, agency)
    plan_row, plan = _plan_of(agency, ita_year)
    if all(m.id != measure_id for m in plan.measures):
        raise Http404("no such measure in the plan")
    filled = [link for link in links if link.url.strip() or link.description.strip()][:LINK_ROWS]
    checked, refused = _checked_files(files[:FILE_ROWS])
    with _stored_files() as stored, transaction.atomic():
        row = _locked(plan_row, version)
        held = _held(row)
        current = row.text if row is not None else progress_template(plan)
        added, paths = _appended(current, plan, measure_id, fields, checked, filled, held, refused)
        row = _save(actor, plan_row, row, added.text, "update")
        kept = [_keep(actor, row, measure_id, c, p, stored) for c, p in zip(checked, paths, strict=True)]
        latest = added.progress.of(measure_id).updates[-1]
        record(
            actor,
            "progress.updated",
            agency=agency,
            target=row,
            change="update",
            ita_year=ita_year,
            plan_year=plan.plan_year,
            version=row.version,
            measure=measure_id,
            status=latest.status,
            date=be_iso(latest.date),
            evidence_files=[e.pk for e in kept],
            evidence_links=len(filled),
        )
    warnings = [{"th": w.message_th, "en": w.message_en, "severity": "warning"} for w in added.warnings]
    return Saved(row.version, text("tracking_saved", measure=measure_id, version=row.version), warnings)


def _checked_files(files: Sequence[FileGiven]) -> tuple[list[Checked], dict[str, list[Shown]]]:
    """The files that may be kept, and the problems of the others by their form row."""
    checked: list[Checked] = []
    refused: dict[str, list[Shown]] = {}
    for given in files:
        found = check_file(given.upload, given.description, given.row)
        if isinstance(found, Checked):
            checked.append(found)
        else:
            refused.setdefault(given.row, []).append(found)
    return checked, refused


def _held(row: Progress | None) -> dict[str, Evidence]:
    return {e.path: e for e in Evidence.objects.filter(progress=row)} if row is not None else {}


def _appended(
    current: str,
    plan: CorePlan,
    measure_id: str,
    fields: Mapping[str, str],
    checked: Sequence[Checked],
    links: Sequence[LinkGiven],
    held: Mapping[str, Evidence],
    refused: Mapping[str, list[Shown]],
) -> tuple[Added, list[str]]:
    """The progress file with the update (its files named under new paths), read back by the core;
    Refused with every problem at its form field, the files already refused among them."""
    try:
        old, _ = progress_from_text(current, plan, held=held)
    except InputError as exc:
        raise Refused([web_problem("tracking_stored_unreadable"), *_shown(exc.problems)], refused) from None
    paths = _new_paths([c.name for c in checked], _named_paths(old) | set(held))
    items = [{"file": p, "description": c.description} for p, c in zip(paths, checked, strict=True)]
    items += [{"url": link.url, "description": link.description} for link in links]
    rows = [c.row for c in checked] + [link.row for link in links]
    try:
        added = append_update(
            current, plan, measure_id, update_entry(fields, items), held=set(held) | set(paths), old=old
        )
    except UpdateRefused as exc:
        raise Refused(*_placed(exc.problems, exc.at, rows, refused)) from None
    if refused:
        raise Refused([], refused)
    return added, paths


def _locked(plan_row: Plan, version: int) -> Progress | None:
    """The progress row, locked until the transaction ends; StaleProgress when it is not at
    ``version`` (0: none yet)."""
    row = Progress.objects.select_for_update().filter(plan=plan_row).first()
    current = row.version if row is not None else 0
    if current != version:
        raise StaleProgress(current)
    return row


def _named_paths(progress: CoreProgress) -> set[str]:
    """Every evidence file the progress file names (a new file never takes one of their names)."""
    return {e.path for m in progress.measures for u in m.updates for e in u.evidence if e.path}


def _new_paths(names: Sequence[str], taken: set[str]) -> list[str]:
    """'evidence/NAME' for each new file, numbered when the name is taken ('NAME-2.pdf')."""
    paths = []
    used = set(taken)
    for name in names:
        stem, dot, extension = name.rpartition(".")
        if not dot:
            stem, extension = name, ""
        suffix = f".{extension}" if extension else ""
        path = f"evidence/{name}"
        number = 2
        while path in used:
            path = f"evidence/{stem}-{number}{suffix}"
            number += 1
        used.add(path)
        paths.append(path)
    return paths


def _placed(
    problems: Sequence[Problem], at: str, rows: Sequence[str], refused: Mapping[str, list[Shown]]
) -> tuple[list[Shown], dict[str, list[Shown]]]:
    """The problems of the file with the new update: those of the update at the form field they
    concern (evidence item N at the form row it came from), the rest listed above the form."""
    fields: dict[str, list[Shown]] = {k: list(v) for k, v in refused.items()}
    general: list[Shown] = []
    for problem in problems:
        where = problem.location.field or ""
        shown = {"th": problem.message_th, "en": problem.message_en, "severity": problem.severity}
        if where.startswith(at + "."):
            parts = where[len(at) + 1 :].split(".")
            key = _FORM_KEY.get(problem.code, parts[0])
            if key == "evidence" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(rows):
                key = rows[int(parts[1])]
            fields.setdefault(key, []).append(shown)
        elif where == at or not where:
            if problem.severity == "error":
                general.append(shown)  # the update as a whole, or a value the reader refused by line
        elif problem.severity == "error":
            general.append(from_problem(problem))
    return general, fields


def _save(
    actor: User | AnonymousUser, plan_row: Plan, row: Progress | None, content: str, change: str
) -> Progress:
    """The progress with its new text as the next version (kept as a ProgressVersion too)."""
    who = actor if isinstance(actor, User) else None
    if row is None:
        try:
            with transaction.atomic():
                row = Progress.objects.create(plan=plan_row, text=content, version=1, updated_by=who)
        except IntegrityError:  # made by someone else at the same moment: theirs stands
            raise StaleProgress(Progress.objects.get(plan=plan_row).version) from None
    else:
        changed = Progress.objects.filter(pk=row.pk, version=row.version).update(
            text=content, version=row.version + 1, updated_by=who, updated_at=timezone.now()
        )
        if not changed:
            raise StaleProgress(Progress.objects.get(pk=row.pk).version)
        row.refresh_from_db()
    ProgressVersion.objects.create(
        progress=row, version=row.version, text=content, change=change, saved_by=who
    )
    return row


@contextmanager
def _stored_files() -> Iterator[list[str]]:
    """The names of the files stored inside the block, deleted again when it fails."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


def _keep(
    actor: User | AnonymousUser,
    row: Progress,
    measure_id: str,
    checked: Checked,
    path: str,
    stored: list[str],
) -> Evidence:
    """The uploaded file stored under a made-up name, and its row."""
    evidence = Evidence(
        progress=row,
        measure_id=measure_id,
        path=path,
        name=checked.name,
        description=checked.description[:500],
        content_type=checked.kind.content_type,
        size=checked.upload.size or 0,
        sha256=digest(checked.upload),
        uploaded_by=actor if isinstance(actor, User) else None,
    )
    checked.upload.seek(0)
    evidence.file.save(f"{secrets.token_hex(16)}{checked.kind.extensions[0]}", checked.upload, save=False)
    stored.append(evidence.file.name)
    evidence.save()
    return evidence


# --------------------------------------------------------------------------------------------------
# A whole progress file, filled offline
# --------------------------------------------------------------------------------------------------


def upload_progress(
    actor: User | AnonymousUser, agency: Agency, ita_year: int, version: int, upload: UploadedFile | None
) -> Saved:
    """Replace the progress file with one filled offline, when it reads against the plan and keeps
    every update already recorded as it was (only new ones added). Refused whole otherwise, every
    problem located in the file uploaded; StaleProgress when the progress is no longer at
    ``version``."""
    check(actor, Action.EDIT, agency)
    plan_row, plan = _plan_of(agency, ita_year)
    if upload is None:
        raise Refused([web_problem("tracking_no_file")])
    name = clean_name(upload.name) if upload.name else PROGRESS_NAME
    size = upload.size or 0
    if size > settings.UPLOAD_LIMIT:
        problem = web_problem(
            "tracking_file_too_large",
            Location(file=name),
            name=name,
            size=_mb(size),
            limit=_mb(settings.UPLOAD_LIMIT),
        )
        raise Refused([problem])
    data = b"".join(upload.chunks())
    with transaction.atomic():
        row = _locked(plan_row, version)
        held = _held(row)
        try:
            content, new, notes = progress_from_upload(data, name, plan, held=held)
        except InputError as exc:
            raise Refused(_shown(exc.problems)) from None
        old = _readable(row, plan, held)
        found = rewrites(old, new) if old is not None else []
        if found:
            raise Refused([_rewrite_problem(r, name) for r in found])
        warnings = _shown(notes)
        if row is not None and content == row.text:
            return Saved(row.version, text("tracking_unchanged"), warnings)
        row = _save(actor, plan_row, row, content, "upload")
        added = _count(new) - (_count(old) if old is not None else 0)
        record(
            actor,
            "progress.updated",
            agency=agency,
            target=row,
            change="upload",
            ita_year=ita_year,
            plan_year=plan.plan_year,
            version=row.version,
            file=name,
            updates_added=added,
            replaced_unreadable=old is None and version > 0,
        )
    return Saved(row.version, text("tracking_uploaded", added=added, version=row.version), warnings)


def _readable(row: Progress | None, plan: CorePlan, held: Mapping[str, Evidence]) -> CoreProgress | None:
    """The progress held, or None when there is none or it no longer reads against the plan (an
    upload is then the way to mend it)."""
    if row is None:
        return empty_progress(plan)
    try:
        progress, _ = progress_from_text(row.text, plan, held=held)
    except InputError:
        return None
    return progress


def _count(progress: CoreProgress) -> int:
    return sum(len(m.updates) for m in progress.measures)


def _rewrite_problem(found: Rewrite, name: str) -> Shown:
    recorded = found.recorded
    where = Location(file=name, line=found.found.line if found.found is not None else None)
    code = "tracking_rewritten" if found.found is not None else "tracking_left_out"
    return web_problem(
        code, where, measure=found.measure_id, date_th=thai_date(recorded.date), date_en=be_iso(recorded.date)
    )


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"
