"""Use case: one agency-year's results kept as text (the canonical results file, docs/results-format.md)
and read back, so that a store of results (the web application's database) holds exactly what the
core reads, whatever format the person uploaded."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import yaml

from prongsai.errors import InputError
from prongsai.framework import load_frameworks
from prongsai.ingest.canonical import read_yaml
from prongsai.problems import Location, error
from prongsai.results import Results, ResultsInput, resolve

_ITEM_ORDER = {"i": 0, "e": 1, "o": 2}


def _item_order(code: str) -> tuple[int, int, str]:
    number = code[1:]
    return (_ITEM_ORDER.get(code[0], 3), int(number) if number.isdigit() else 0, code)


def canonical_data(record: ResultsInput) -> dict[str, Any]:
    """The figures the input gave (never the computed ones) as the canonical file's mapping."""
    given = record.scores
    scores: dict[str, Any] = {}
    if given.overall is not None:
        scores["overall"] = given.overall.value
    if given.level is not None:
        scores["level"] = given.level.value
    tools = {code: g.value for code, g in given.tools.items()} | {
        code: g.value for code, g in given.parts.items()
    }
    if tools:
        scores["tools"] = tools
    if given.indicators:
        scores["indicators"] = {n: given.indicators[n].value for n in sorted(given.indicators)}
    if given.items:
        codes = sorted(given.items, key=_item_order)
        scores["items"] = {code: given.items[code].value for code in codes}
    return {
        "agency": {k: v for k, v in record.agency.to_json().items() if v is not None},
        "ita_year": record.ita_year,
        "scores": scores,
    }


def canonical_yaml(record: ResultsInput) -> str:
    return yaml.safe_dump(canonical_data(record), allow_unicode=True, sort_keys=False, width=100)


def read_canonical(text: str, estimated: frozenset[str] = frozenset(), name: str = "results.yaml") -> Results:
    """The one agency-year a canonical text holds, resolved against its year's framework; the keys
    a SCORES file marked as estimated stay estimated."""
    location = Location(file=name)
    records, problems = read_yaml(text, location)
    if any(p.severity == "error" for p in problems) or len(records) != 1:
        raise InputError([*problems, error("no_agency_years", location)])
    record = replace(records[0], estimated=estimated) if estimated else records[0]
    return resolve(load_frameworks()[record.ita_year], record)
