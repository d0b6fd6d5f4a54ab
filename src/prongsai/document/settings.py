"""Agency settings for documents: who signs (names and positions), the date, the preparing unit.

Read from a small YAML file (docs/document.md shows it)::

    prepared_by: {name: นางสาวสมศรี ใจดี, position: นิติกรชำนาญการ}
    endorsed_by: {name: นายสมชาย รักดี, position: ปลัดเทศบาลตำบลบึงไผ่}
    approved_by: {name: นายสมปอง มั่นคง, position: นายกเทศมนตรีตำบลบึงไผ่}
    unit: งานนิติการ สำนักปลัดเทศบาล
    date: 15 ธันวาคม 2568   # as Thai officials write it, or 2568-12-15; default: today
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prongsai.errors import InputError
from prongsai.onedocument import one_mapping
from prongsai.problems import Location, Problem, error, label, suggestion_params
from prongsai.textcheck import text_problems
from prongsai.thaidate import read_date

ROLES = ("prepared_by", "endorsed_by", "approved_by")


@dataclass(frozen=True)
class Person:
    name: str | None = None
    position: str | None = None


@dataclass(frozen=True)
class ReportSettings:
    signers: dict[str, Person] = field(default_factory=dict)
    unit: str | None = None
    date: dt.date = field(default_factory=dt.date.today)


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


def read_settings(path: Path) -> ReportSettings:
    """The settings file, validated; every problem reported at once with its line."""
    _, data, _ = one_mapping(
        path, empty=error("settings_empty", Location(file=path.name)), what="file_settings", field="settings"
    )
    problems: list[Problem] = []
    signers: dict[str, Person] = {}
    date, unit = dt.date.today(), None
    for key, entry in data.items():
        where = Location(file=path.name, line=entry.key_line, field=key)
        if key in ROLES:
            person, found = _person(entry.plain(), where)
            problems += found
            if person is not None:
                signers[key] = person
        elif key == "date":
            parsed, found = parse_date(entry.plain(), where)
            problems += found
            date = parsed or date
        elif key == "unit" and isinstance(entry.value, str):
            found = text_problems(entry.value, where, "name")
            problems += found
            unit = None if found else entry.value
        elif key == "unit":
            text = {f"expected_{lang}": label("a_text", lang) for lang in ("th", "en")}
            problems.append(error("wrong_type", where, field="unit", **text))
        else:
            problems.append(
                error("unknown_field", where, field=key, **suggestion_params(key, (*ROLES, "unit", "date")))
            )
    if problems:
        raise InputError(problems)
    return ReportSettings(signers, unit, date)
