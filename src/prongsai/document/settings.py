"""Agency settings for documents: who signs (names and positions), the date, the preparing unit.

Read from a small YAML file (docs/document.md shows it)::

    prepared_by: {name: นางสาวสมศรี ใจดี, position: นิติกรชำนาญการ}
    endorsed_by: {name: นายสมชาย รักดี, position: ปลัดเทศบาลตำบลบึงไผ่}
    approved_by: {name: นายสมปอง มั่นคง, position: นายกเทศมนตรีตำบลบึงไผ่}
    unit: งานนิติการ สำนักปลัดเทศบาล
    date: 2568-12-15        # Buddhist era or Christian era; default: today
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prongsai.errors import InputError
from prongsai.ingest.located import read_yaml_file
from prongsai.problems import Location, Problem, error, suggestion_params
from prongsai.thai import BE_OFFSET, to_arabic_digits

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
    """'2568-12-15' (Buddhist era, as clerks write it) or '2025-12-15'; Thai digits allowed."""
    if isinstance(value, dt.date):  # YAML reads 2568-12-15 as a date in year 2568
        if value.year > 2400:
            return value.replace(year=value.year - BE_OFFSET), []
        return value, []
    text = to_arabic_digits(str(value)).strip()
    try:
        year, month, day = (int(part) for part in text.split("-"))
        if year > 2400:
            year -= BE_OFFSET
        return dt.date(year, month, day), []
    except ValueError:
        return None, [error("date_unreadable", where, value=value)]


_PERSON_TH = "ชุดข้อมูลที่มี name (ชื่อ) และ position (ตำแหน่ง)"
_PERSON_EN = "a mapping with name and position"


def _person(data: Any, where: Location) -> tuple[Person | None, list[Problem]]:
    wrong = error("wrong_type", where, field=where.field, expected_th=_PERSON_TH, expected_en=_PERSON_EN)
    if not isinstance(data, dict) or set(data) - {"name", "position"}:
        return None, [wrong]
    name, position = data.get("name"), data.get("position")
    if any(v is not None and not isinstance(v, str) for v in (name, position)):
        return None, [wrong]
    return Person(name or None, position or None), []


def read_settings(path: Path) -> ReportSettings:
    """The settings file, validated; every problem reported at once with its line."""
    location = Location(file=path.name)
    documents = read_yaml_file(path)
    if len(documents) != 1 or not isinstance(documents[0].value, dict):
        raise InputError([error("not_a_mapping", location, field="settings")])
    data = documents[0].value
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
            unit = entry.value
        elif key == "unit":
            problems.append(
                error("wrong_type", where, field="unit", expected_th="ข้อความ", expected_en="a text")
            )
        else:
            problems.append(
                error("unknown_field", where, field=key, **suggestion_params(key, (*ROLES, "unit", "date")))
            )
    if problems:
        raise InputError(problems)
    return ReportSettings(signers, unit, date)
