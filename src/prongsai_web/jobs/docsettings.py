"""An agency's document settings (docs/web-documents.md): who signs its documents and the lines of
its letters, as the page's form gives them, checked exactly as the core checks a settings file
(``prongsai.document.settings.read_settings``), remembered per agency (audited when they change),
and turned into the core's ``ReportSettings`` for a job.

The data is the settings file's mapping without ``date``: ``{role: {name, position}}`` for each role
of ``SIGNERS`` that has either, and ``unit``, ``reference``, ``website`` when given. The document's
date belongs to each request (a measures document and a progress report are dated differently).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.http import QueryDict

from prongsai.document.settings import FRAME_ROLES, ROLES, Person, ReportSettings, read_settings
from prongsai.errors import InputError
from prongsai.problems import Location, Problem
from prongsai_web.access import Action, check
from prongsai_web.audit.services import record
from prongsai_web.directory.models import Agency
from prongsai_web.jobs.models import DocumentSettings
from prongsai_web.messages import text

SIGNERS = (*ROLES, *FRAME_ROLES)  # prepared_by, endorsed_by, approved_by, announced_by
LINES = ("unit", "reference", "website")
PARTS = ("name", "position")

Data = dict[str, Any]
Errors = dict[str, list[dict[str, str]]]  # form field -> its problems (th, en)


def field_name(role: str, part: str) -> str:
    """The form field of a signer's name or position: ``prepared_by_name``."""
    return f"{role}_{part}"


def from_form(post: QueryDict) -> Data:
    """The settings as the form gives them: blank fields left out, texts stripped."""
    data: Data = {}
    for role in SIGNERS:
        person = {part: post.get(field_name(role, part), "").strip() for part in PARTS}
        if any(person.values()):
            data[role] = {part: value for part, value in person.items() if value}
    for key in LINES:
        value = post.get(key, "").strip()
        if value:
            data[key] = value
    return data


def problems_of(data: Data) -> Errors:
    """Every problem of the settings at its form field, as the core finds them in a settings file
    holding the same mapping (names and positions one line of at most 200 characters, a website one
    web address...). Empty when they are fine."""
    if not data:
        return {}
    with tempfile.TemporaryDirectory(prefix="prongsai-settings-") as folder:
        path = Path(folder) / "settings.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        try:
            read_settings(path)
        except InputError as exc:
            return _at_fields(exc.problems)
    return {}


# The core's words that name a settings file's key, said as the page names the field instead
OWN_WORDS = {"settings_website_invalid": "doc_bad_website"}


def _at_fields(problems: list[Problem]) -> Errors:
    found: Errors = {}
    for problem in problems:
        where = (problem.location.field or "").replace(".", "_")
        found.setdefault(where, []).append(_words(problem))
    return found


def _words(problem: Problem) -> dict[str, str]:
    own = OWN_WORDS.get(problem.code)
    if own is None:
        return {"th": problem.message_th, "en": problem.message_en}
    th, en = text(own, **problem.params)
    return {"th": th, "en": en}


def saved(agency: Agency) -> Data:
    """The agency's remembered settings; empty when none were saved."""
    row = DocumentSettings.objects.filter(agency=agency).first()
    return dict(row.data) if row is not None else {}


def remember(actor: User | AnonymousUser, agency: Agency, data: Data) -> bool:
    """Keep ``data`` as the agency's settings, in the caller's transaction; True when they changed
    (then a ``document.settings_saved`` event names the keys that changed)."""
    check(actor, Action.EDIT, agency)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document settings are saved inside the request's transaction")
    row, _ = DocumentSettings.objects.select_for_update().get_or_create(agency=agency)
    if row.data == data:
        return False
    changed = sorted(k for k in {*row.data, *data} if row.data.get(k) != data.get(k))
    row.data = data
    row.updated_by = actor if isinstance(actor, User) else None
    row.save(update_fields=["data", "updated_by", "updated_at"])
    record(actor, "document.settings_saved", agency=agency, target=row, changed=changed)
    return True


def report_settings(data: Data, date: dt.date | None) -> ReportSettings:
    """The core's settings from the stored data and the document's date (None: the core chooses it,
    as when a settings file gives none)."""
    signers = {
        role: Person(value.get("name") or None, value.get("position") or None)
        for role, value in data.items()
        if role in SIGNERS and isinstance(value, dict)
    }
    return ReportSettings(
        signers,
        data.get("unit") or None,
        date or dt.date.today(),
        Location(field="date") if date is not None else None,
        website=data.get("website") or None,
        reference=data.get("reference") or None,
    )
