"""Use cases of the measures plan: a fresh draft, a plan that must match its results, and last
year's plan with its progress file carried into this year's (application layer: no printing)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from prongsai.app.agency_year import Loaded
from prongsai.carryforward import carry_forward, earlier_of, previous_problems
from prongsai.catalog import agency_units, plan_defaults
from prongsai.crosswalk import load_crosswalk
from prongsai.errors import InputError
from prongsai.planfile import read_plan
from prongsai.planning import Past, Plan, draft_plan
from prongsai.problems import Location, Problem, error
from prongsai.progressfile import read_progress
from prongsai.results import Results
from prongsai.timeframe import TimeframeStyle
from prongsai.unitsfile import read_units_file


def drafted_plan(
    loaded: Loaded, units_file: Path | None, plan_year: int | None, style: TimeframeStyle = "months"
) -> Plan:
    """A fresh draft from the catalogs, with the agency's own unit names when given."""
    limitations, suggestions = plan_defaults()
    return draft_plan(
        loaded.framework,
        loaded.analysis,
        loaded.results.agency,
        agency_units(loaded.results.agency.type, read_units_file(units_file)),
        plan_year=plan_year,
        style=style,
        limitations=limitations,
        suggestions=suggestions,
    )


def check_plan_matches(plan: Plan, results: Results, plan_file: Path) -> None:
    """A plan written for another agency or ITA year is a user mistake, reported as such."""
    if plan.agency.name != results.agency.name or plan.ita_year != results.ita_year:
        raise InputError(
            [
                error(
                    "plan_other_agency",
                    Location(file=plan_file.name),
                    plan_agency=plan.agency.name,
                    plan_year=plan.ita_year,
                    agency=results.agency.name,
                    year=results.ita_year,
                )
            ]
        )


@dataclass(frozen=True)
class LastYear:
    """Last year's plan and what became of its measures, and what the person should be told."""

    plan: Plan
    past: Past
    notes: tuple[Problem, ...] = ()


def load_last_year(loaded: Loaded, previous_file: Path | None, progress_file: Path | None) -> LastYear | None:
    """Last year's measures as carried out (--previous PLAN --progress PROGRESS, both or neither),
    against this year's results: the plan of the same agency and an earlier ITA year, the progress
    file of that plan (progressfile.read_progress says so when it is another plan's)."""
    if previous_file is None and progress_file is None:
        return None
    if previous_file is None or progress_file is None:
        given = "--previous" if previous_file is not None else "--progress"
        raise InputError([error("previous_needs_progress", Location(option=given), given=given)])
    previous = read_plan(previous_file)
    problems = previous_problems(previous, loaded.results, Location(file=previous_file.name))
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    progress, warnings = read_progress(progress_file, previous)
    earlier = earlier_of(previous.ita_year, loaded.earlier)
    past = carry_forward(previous, progress, loaded.results, earlier, loaded.framework, load_crosswalk())
    return LastYear(previous, past, (*problems, *warnings))


def plan_from_text(text: str, name: str = "plan.yaml") -> Plan:
    """A plan file's text (as a store of plans keeps it) read as the file would be, every problem
    located under ``name`` (raises InputError)."""
    with tempfile.TemporaryDirectory(prefix="prongsai-plan-") as folder:
        path = Path(folder) / Path(name).name
        path.write_text(text, encoding="utf-8")
        return read_plan(path)
