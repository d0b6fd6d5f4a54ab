"""Agency settings for documents: who signs (names and positions), the date, the preparing unit.

Read from a small YAML file (docs/document.md shows it)::

    prepared_by: {name: นางสาวสมศรี ใจดี, position: นิติกรชำนาญการ}
    endorsed_by: {name: นายสมชาย รักดี, position: ปลัดเทศบาลตำบลบึงไผ่}
    approved_by: {name: นายสมปอง มั่นคง, position: นายกเทศมนตรีตำบลบึงไผ่}
    unit: งานนิติการ สำนักปลัดเทศบาล
    date: 15 ธันวาคม 2568   # as Thai officials write it, or 2568-12-15; default: see below
    website: www.buengphai.go.th   # where the document is published (printed only when given)
    reference: บก ๗๓๖๐๑/๑๒๓        # the number of the cover บันทึกข้อความ (ที่ ...)
    announced_by: {name: ..., position: ...}   # who signs the ประกาศ, when not approved_by

The document's date, when neither the file nor ``--date`` gives one, is a day of the plan year's
planning season (thaicalendar.planning_season): today when today is inside it, else the nearest
sensible day (:meth:`ReportSettings.for_plan_year`). A date given outside the season is kept, with one
warning.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from prongsai.errors import InputError
from prongsai.onedocument import one_mapping
from prongsai.problems import Location, Problem, error, label, suggestion_params, warning
from prongsai.textcheck import text_problems
from prongsai.thaicalendar import planning_season
from prongsai.thaidate import read_date
from prongsai.timeframe import thai_date

ROLES = ("prepared_by", "endorsed_by", "approved_by")  # the signatures at the end, in this order
FRAME_ROLES = ("announced_by",)  # who signs the ประกาศ when it is not approved_by (document/frame.py)
TEXTS = ("unit", "reference")  # one-line texts
KEYS = (*ROLES, *FRAME_ROLES, *TEXTS, "date", "website")
# A web address as officials write one: an optional http(s) scheme, a host with a dot, a path
_WEBSITE = re.compile(r"(?:https?://)?[^\s/:@]+\.[^\s/:@]+(?::\d+)?(?:/\S*)?", re.IGNORECASE)


@dataclass(frozen=True)
class Person:
    name: str | None = None
    position: str | None = None


@dataclass(frozen=True)
class ReportSettings:
    """``date`` is the document's date; ``date_from`` says where it was given (``--date``, the
    settings file's line), None when nobody gave one: then :meth:`for_plan_year` chooses it."""

    signers: dict[str, Person] = field(default_factory=dict)
    unit: str | None = None
    date: dt.date = field(default_factory=dt.date.today)
    date_from: Location | None = None
    website: str | None = None  # where the document is published; printed only when given
    reference: str | None = None  # the number of the cover บันทึกข้อความ; dotted line when None

    def for_plan_year(
        self, plan_year: int, today: dt.date | None = None
    ) -> tuple[ReportSettings, list[Problem]]:
        """The settings with the date of the document for ``plan_year``, and the warning to show.

        A date nobody gave becomes today when today is inside the planning season, the season's
        first day before it, and after it the last day before the plan year starts (the measures
        start on 1 October: the document that sets them is dated before). A date given is kept,
        with a warning when it falls outside the season.
        """
        season = planning_season(plan_year)
        if self.date_from is None:
            return replace(self, date=season.nearest(today or _today())), []
        if self.date in season:
            return self, []
        return self, [
            warning(
                "document_date_outside_season",
                self.date_from,
                plan_year=plan_year,
                **_dates(date=self.date, start=season.start, end=season.end, before=season.before_plan_year),
            )
        ]

    def to_json(self) -> dict[str, Any]:
        """The settings as JSON values (for a job run elsewhere); :func:`settings_from_json` reads
        them back. A given date keeps where it was given, so the season warning is the same."""
        return {
            "signers": {role: {"name": p.name, "position": p.position} for role, p in self.signers.items()},
            "unit": self.unit,
            "date": self.date.isoformat(),
            "date_from": None if self.date_from is None else self.date_from.__dict__,
            "website": self.website,
            "reference": self.reference,
        }


def settings_from_json(data: dict[str, Any]) -> ReportSettings:
    """:meth:`ReportSettings.to_json` read back."""
    where = data.get("date_from")
    return ReportSettings(
        signers={role: Person(p.get("name"), p.get("position")) for role, p in data["signers"].items()},
        unit=data.get("unit"),
        date=dt.date.fromisoformat(data["date"]),
        date_from=None if where is None else Location(**where),
        website=data.get("website"),
        reference=data.get("reference"),
    )


def _today() -> dt.date:
    """Today's date (one place, so that tests can set the day the command runs on)."""
    return dt.date.today()


def _dates(**days: dt.date) -> dict[str, str]:
    """Each day as a Thai document writes it (``name_th``) and as an unambiguous ISO date (``name_en``)."""
    out = {}
    for name, day in days.items():
        out[f"{name}_th"], out[f"{name}_en"] = thai_date(day), day.isoformat()
    return out


def parse_date(value: object, where: Location) -> tuple[dt.date | None, list[Problem]]:
    """A date as Thai officials write it: '15 ธันวาคม 2568', '15 ธ.ค. 68', '15/12/2568', '2568-12-15',
    Thai digits, or a Common Era date that cannot be misread (see prongsai.thaidate)."""
    return read_date(value, where)


def _person(data: Any, where: Location) -> tuple[Person | None, list[Problem]]:
    person = {f"expected_{lang}": label("a_person", lang) for lang in ("th", "en")}
    wrong = error("wrong_type", where, field=where.field, **person)
    if not isinstance(data, dict) or set(data) - {"name", "position"}:
        return None, [wrong]
    name, position = data.get("name"), data.get("position")
    if any(v is not None and not isinstance(v, str) for v in (name, position)):
        return None, [wrong]
    found = text_problems(name, where.with_(field=f"{where.field}.name"), "name")
    found += text_problems(position, where.with_(field=f"{where.field}.position"), "name")
    return (None, found) if found else (Person(name or None, position or None), [])


def _website(value: object, where: Location) -> tuple[str | None, list[Problem]]:
    """A web address on one line: 'www.buengphai.go.th', 'https://buengphai.go.th/ita'."""
    if not isinstance(value, str):
        text = {f"expected_{lang}": label("a_text", lang) for lang in ("th", "en")}
        return None, [error("wrong_type", where, field=where.field, **text)]
    found = text_problems(value, where, "name")
    if found:
        return None, found
    address = value.strip()
    if not _WEBSITE.fullmatch(address):
        return None, [error("settings_website_invalid", where, field=where.field, value=address)]
    return address, []


def read_settings(path: Path) -> ReportSettings:
    """The settings file, validated; every problem reported at once with its line."""
    _, data, _ = one_mapping(
        path, empty=error("settings_empty", Location(file=path.name)), what="file_settings", field="settings"
    )
    problems: list[Problem] = []
    signers: dict[str, Person] = {}
    texts: dict[str, str | None] = dict.fromkeys(TEXTS)
    date, date_from, website = dt.date.today(), None, None
    for key, entry in data.items():
        where = Location(file=path.name, line=entry.key_line, field=key)
        if key in ROLES or key in FRAME_ROLES:
            person, found = _person(entry.plain(), where)
            problems += found
            if person is not None:
                signers[key] = person
        elif key == "date":
            parsed, found = parse_date(entry.plain(), where)
            problems += found
            date, date_from = parsed or date, where
        elif key == "website":
            website, found = _website(entry.plain(), where)
            problems += found
        elif key in TEXTS and isinstance(entry.value, str):
            found = text_problems(entry.value, where, "name")
            problems += found
            texts[key] = None if found else entry.value
        elif key in TEXTS:
            text = {f"expected_{lang}": label("a_text", lang) for lang in ("th", "en")}
            problems.append(error("wrong_type", where, field=key, **text))
        else:
            problems.append(error("unknown_field", where, field=key, **suggestion_params(key, KEYS)))
    if problems:
        raise InputError(problems)
    return ReportSettings(
        signers, texts["unit"], date, date_from, website=website, reference=texts["reference"]
    )
