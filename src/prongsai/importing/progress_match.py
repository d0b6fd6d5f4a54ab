"""Matching the measures of a published progress report (importing/progress.py) to a plan's: by
title, normalised Thai (no spaces, Arabic digits, no leading number or bullet, OCR-split sara am
joined). A close title pairs too and is listed as uncertain; without a plan, ids are made from the
titles. See docs/import.md ("Progress reports").
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from prongsai.errors import InputError
from prongsai.importing.model import Uncertain
from prongsai.importing.normalise import clean, squash, strip_marker
from prongsai.importing.progress import ProgressReport
from prongsai.importing.settle import Notes
from prongsai.planning import Plan
from prongsai.problems import Location, error

_CLOSE = 0.8  # the similarity of two normalised titles that makes them a close match


# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Matched:
    """Which plan measure each of the report's measures is (by index), and what was not certain."""

    ids: dict[int, str]
    uncertain: tuple[Uncertain, ...]


def _key(title: str) -> str:
    return squash(clean(strip_marker(title)))


def similarity(printed: str, planned: str) -> float:
    """How alike two titles are once normalised (1.0: the same); a title printed short or with a
    word more still counts as close when one holds the other."""
    a, b = _key(printed), _key(planned)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    if (a in b or b in a) and min(len(a), len(b)) >= 0.5 * max(len(a), len(b)):
        ratio = max(ratio, _CLOSE)
    return ratio


def match_plan(report: ProgressReport, plan: Plan) -> Matched:
    """Each measure of the report paired with the plan's measure of the same title (normalised Thai);
    close titles pair too and are listed as uncertain; each plan measure is used once."""
    notes = Notes(report.source.name)
    pairs = sorted(
        (
            (similarity(m.title, p.title), i, p.id)
            for i, m in enumerate(report.measures)
            for p in plan.measures
        ),
        key=lambda t: (-t[0], t[1]),
    )
    ids: dict[int, str] = {}
    used: set[str] = set()
    for score, index, plan_id in pairs:
        if score < _CLOSE or index in ids or plan_id in used:
            continue
        ids[index] = plan_id
        used.add(plan_id)
    titles = {m.id: m.title for m in plan.measures}
    for index, measure in enumerate(report.measures):
        chosen = ids.get(index)
        if chosen is None:
            notes.warning(
                "import_progress_not_in_plan", measure.line, measure.title[:80], title=measure.title[:50]
            )
        elif _key(measure.title) != _key(titles[chosen]):
            notes.warning(
                "import_progress_close_match",
                measure.line,
                measure.title[:80],
                title=measure.title[:50],
                plan_title=titles[chosen][:50],
                id=chosen,
            )
    for planned in plan.measures:
        if planned.id not in used:
            notes.warning("import_progress_not_reported", None, "", id=planned.id, title=planned.title[:50])
    if " ".join(report.agency.name.split()) != " ".join(plan.agency.name.split()):
        notes.warning(
            "import_progress_agency_differs",
            None,
            report.agency.name,
            name=report.agency.name,
            plan=plan.agency.name,
        )
    return Matched(ids, tuple(notes.found))


def check_plan(report: ProgressReport, plan: Plan, option: str) -> None:
    """A report of another plan year than the plan's is the wrong plan."""
    if report.plan_year != plan.plan_year:
        where = Location(file=report.source.name, option=option)
        raise InputError(
            [error("import_progress_plan_year", where, year=report.plan_year, plan_year=plan.plan_year)]
        )


def title_ids(report: ProgressReport) -> dict[int, str]:
    """Ids made from the titles when there is no plan: the title's first words, spaces as '-', up to
    40 characters; a repeated id gets -2, -3..."""
    ids: dict[int, str] = {}
    seen: set[str] = set()
    for index, measure in enumerate(report.measures):
        base = "-".join(strip_marker(measure.title).split())[:40].strip("-") or f"measure-{index + 1}"
        candidate, count = base, 1
        while candidate in seen:
            count += 1
            candidate = f"{base}-{count}"
        seen.add(candidate)
        ids[index] = candidate
    return ids


def with_uncertain(report: ProgressReport, more: Sequence[Uncertain]) -> ProgressReport:
    return dataclasses.replace(report, uncertain=(*report.uncertain, *more))


def identified(report: ProgressReport, plan: Plan | None) -> tuple[ProgressReport, dict[int, str]]:
    """The report with what matching it to the plan left uncertain, and each measure's id: the
    plan's (a measure not in the plan has none) or, without a plan, one made from its title."""
    if plan is None:
        return report, title_ids(report)
    matched = match_plan(report, plan)
    return with_uncertain(report, matched.uncertain), matched.ids
