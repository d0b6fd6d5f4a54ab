"""Use case: one agency-year to work on, from a results file and earlier years' files.

The application layer (docs/architecture.md): plain functions over the core that both the command
line and the web application call. Nothing here prints, prompts or knows of click or Django; what the
person should be told comes back as notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from prongsai.agency import normalised_name, place_conflicts
from prongsai.analysis import Analysis, analyse
from prongsai.crosswalk import load_crosswalk
from prongsai.errors import InputError
from prongsai.framework import Framework, load_frameworks
from prongsai.framework_notes import framework_notes
from prongsai.history import HistoryFile, earlier_years
from prongsai.ingest import read_results
from prongsai.problems import Location, Problem, error, warning
from prongsai.results import Results, resolve


@dataclass(frozen=True)
class Loaded:
    """One agency-year ready to work on, and what the person should be told about how it was read
    (the years used as history and those left out, a provisional framework): ``notes``, which each
    interface shows its own way."""

    framework: Framework
    results: Results
    analysis: Analysis
    earlier: tuple[Results, ...] = ()  # the same agency's earlier years used as history, oldest first
    notes: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Picked:
    """The agency-year to work on, the same agency's earlier years in the same file, and the note
    that says so when the file held several years."""

    results: Results
    earlier: list[Results]
    note: Problem | None = None


def pick(
    records: list[Results],
    agency: str | None,
    location: Location,
    history: bool = False,
    year: int | None = None,
) -> Picked:
    """One agency-year: the only one, the one --agency (and --year) names, or the latest year when
    every agency-year is of one agency (the earlier ones are then its history)."""
    choices = ", ".join(f"{r.agency.name} {r.ita_year}" for r in records)
    if agency is not None:
        records = [r for r in records if normalised_name(r.agency.name) == normalised_name(agency)]
        if not records:
            raise InputError([error("agency_not_in_file", location, agency=agency, choices=choices)])
    if year is not None:
        if not any(r.ita_year == year for r in records):
            raise InputError([error("year_not_in_file", location, year=year, choices=choices)])
        records = [r for r in records if r.ita_year <= year]  # later years are not this year's history
    if len(records) == 1:
        return Picked(records[0], [])
    latest = max(records, key=lambda r: r.ita_year)
    if not _one_agency(records, latest):
        raise InputError([error("several_agency_years", location, count=len(records), choices=choices)])
    earlier = sorted((r for r in records if r is not latest), key=lambda r: r.ita_year)
    years = ", ".join(str(r.ita_year) for r in [*earlier, latest])
    said = {"agency": latest.agency.name, "count": len(records), "years": years, "year": latest.ita_year}
    if history:
        earlier_years = ", ".join(str(r.ita_year) for r in earlier)
        note = warning("years_latest_with_history", location, earlier=earlier_years, **said)
    else:
        note = warning("years_latest_used", location, **said)
    return Picked(latest, earlier, note)


def _one_agency(records: list[Results], latest: Results) -> bool:
    """Every agency-year is of ``latest``'s agency, each year once (names compared normalised,
    district and province where both give them)."""
    name = normalised_name(latest.agency.name)
    years = [r.ita_year for r in records]
    return len(set(years)) == len(years) and all(
        normalised_name(r.agency.name) == name and not place_conflicts(latest.agency, r.agency)
        for r in records
    )


def read_resolved(path: Path, sheet: str | None = None) -> list[Results]:
    records, _ = read_results(path, sheet)
    frameworks = load_frameworks()
    return [resolve(frameworks[r.ita_year], r) for r in records]


def load_agency_year(
    path: Path,
    history: tuple[Path, ...],
    agency: str | None,
    sheet: str | None = None,
    year: int | None = None,
) -> Loaded:
    """One agency-year with its analysis; earlier years of the same agency from the file itself
    (when it holds several years of one agency, the latest is analysed) and from --history files."""
    picked = pick(read_resolved(path, sheet), agency, Location(file=path.name), history=True, year=year)
    results = picked.results
    files = [HistoryFile(other, read_resolved(other)) for other in history]
    earlier, notes = earlier_years(results, [HistoryFile(path, picked.earlier), *files])
    if picked.note is not None:
        # the file's own earlier years are said once, by the note, not again as a history file
        notes = [picked.note, *notes[1:]]
    framework = load_frameworks()[results.ita_year]
    analysis = analyse(framework, results, earlier, load_crosswalk())
    return Loaded(framework, results, analysis, tuple(earlier), (*notes, *framework_notes([framework])))


def agency_year_of(results: Results, earlier: Sequence[Results] = ()) -> Loaded:
    """One agency-year with its analysis when its history is already known to be the same agency's
    earlier years (as a store of results per agency holds them), oldest first."""
    framework = load_frameworks()[results.ita_year]
    history = sorted((r for r in earlier if r.ita_year < results.ita_year), key=lambda r: r.ita_year)
    analysis = analyse(framework, results, history, load_crosswalk())
    return Loaded(framework, results, analysis, tuple(history), tuple(framework_notes([framework])))
