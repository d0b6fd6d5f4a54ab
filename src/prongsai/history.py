"""Which earlier results count as an agency's history, and why the others do not.

``--history`` files used to add nothing, silently, when they named the agency differently
("ทต.โคกม่วง" for "เทศบาลตำบลโคกม่วง") or held another agency. Agencies are matched by their
normalised identity (prongsai.agency: the type written in full, no spaces, district and province
without their prefixes); district and province must agree where both files give them. Every
agency-year of every history file is either used or skipped with its reason, and the command says
which, so that nobody wonders why a trend is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from prongsai.agency import normalised_name, place_conflicts
from prongsai.problems import Location, Problem, label, warning
from prongsai.results import Results


@dataclass(frozen=True)
class HistoryFile:
    path: Path
    records: Sequence[Results]


def earlier_years(results: Results, files: Sequence[HistoryFile]) -> tuple[list[Results], list[Problem]]:
    """The history of ``results`` (one record per earlier year, oldest first) and a note for every
    history file: the years used, and each agency-year left out with the reason."""
    chosen: dict[int, tuple[Results, Path]] = {}
    notes: list[Problem] = []
    name = normalised_name(results.agency.name)
    for file in files:
        where = Location(file=file.path.name)
        used: list[int] = []
        for record in file.records:
            skipped = _reason_to_skip(results, record, name, where)
            if skipped is None and record.ita_year in chosen:
                other = chosen[record.ita_year][1].name
                skipped = warning(
                    "history_year_twice", where, agency=record.agency.name, year=record.ita_year, other=other
                )
            if skipped is not None:
                notes.append(skipped)
                continue
            chosen[record.ita_year] = (record, file.path)
            used.append(record.ita_year)
        if used:
            years = ", ".join(str(y) for y in sorted(used))
            notes.append(warning("history_used", where, years=years, agency=results.agency.name))
    return [chosen[year][0] for year in sorted(chosen)], notes


def _reason_to_skip(results: Results, record: Results, name: str, where: Location) -> Problem | None:
    agency, year = record.agency.name, record.ita_year
    if normalised_name(record.agency.name) != name:
        return warning("history_other_agency", where, agency=agency, year=year, wanted=results.agency.name)
    conflicts = place_conflicts(results.agency, record.agency)
    if conflicts:
        what_th = " และ".join(label(f"history_{kind}", "th") for kind in conflicts)
        what_en = " and ".join(label(f"history_{kind}", "en") for kind in conflicts)
        return warning(
            "history_other_place", where, agency=agency, year=year, what_th=what_th, what_en=what_en
        )
    if record.ita_year >= results.ita_year:
        return warning("history_not_earlier", where, agency=agency, year=year, current=results.ita_year)
    return None
