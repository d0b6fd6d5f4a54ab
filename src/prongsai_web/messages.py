"""The web application's own problems, in Thai and English, shaped like the core's (``th``, ``en``,
``location``) so that pages and the API show them as they show the core's.

The words are data: every ``texts/*.yaml`` holds one area's keys, each a Thai and an English text
with ``{placeholders}``; a key defined in two files is an error when the texts are first read.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from prongsai.problems import Location, Problem

TEXTS_DIR = Path(__file__).resolve().parent / "texts"


@cache
def texts() -> dict[str, tuple[str, str]]:
    """Every key of ``texts/*.yaml`` with its Thai and English text."""
    found: dict[str, tuple[str, str]] = {}
    where: dict[str, str] = {}
    for path in sorted(TEXTS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, pair in data.items():
            if key in found:
                raise ValueError(f"text {key!r} is defined in both {where[key]} and {path.name}")
            if not isinstance(pair, dict) or set(pair) != {"th", "en"}:
                raise ValueError(f"text {key!r} in {path.name} needs exactly th and en")
            found[key] = (str(pair["th"]), str(pair["en"]))
            where[key] = path.name
    return found


def text(key: str, **params: Any) -> tuple[str, str]:
    """The Thai and English text of ``key`` with ``params`` filled in."""
    th, en = texts()[key]
    return th.format(**params), en.format(**params)


def located(where: Location) -> dict[str, Any]:
    return {k: v for k, v in where.__dict__.items() if v is not None}


def from_problem(problem: Problem) -> dict[str, Any]:
    """A core problem as pages and the API show it."""
    return {
        "th": problem.describe("th"),
        "en": problem.describe("en"),
        "severity": problem.severity,
        "location": located(problem.location),
    }


def web_problem(code: str, where: Location | None = None, **params: Any) -> dict[str, Any]:
    th, en = text(code, **params)
    place = where or Location()
    prefix = {lang: place.describe(lang) for lang in ("th", "en")}
    return {
        "th": (f"{prefix['th']}: " if prefix["th"] else "") + th,
        "en": (f"{prefix['en']}: " if prefix["en"] else "") + en,
        "severity": "error",
        "location": located(place),
    }
