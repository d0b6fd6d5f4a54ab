"""Last year's measures in this year's plan and analysis (the carry-forward).

The loop: the results of ITA year Y give the plan of year Y+1; the progress file records how it was
carried out; the results of ITA year Y+1 then show what it achieved, and the next plan says what
becomes of each measure. Pure functions: :func:`carry_forward` makes one record per measure of last
year's plan (its final status and percent, and each item it answered, before and after, followed
to this year's code through the cross-year map), :func:`suggest` says what prongsai suggests doing
with it, and :func:`summarise` counts what the Thai sentences state (narrative.py and the
document's หลักการและเหตุผล). The suggestion is prongsai's, not a rule of the NACC
(docs/plan-format.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from prongsai.agency import normalised_name, place_conflicts
from prongsai.crosswalk import Crosswalk
from prongsai.framework import Framework
from prongsai.plancheck import issue_numbers
from prongsai.planning import SUGGESTIONS, Measure, Past, PastItem, PastMeasure, Plan, Suggestion
from prongsai.problems import Location, Problem, error, warning
from prongsai.progress import STATUSES, Progress, final_states
from prongsai.results import Results
from prongsai.timeframe import timeframe_text

Direction = Literal["up", "down", "same", "after_only", "unknown"]
DIRECTIONS: tuple[Direction, ...] = ("up", "down", "same", "after_only", "unknown")
UNFINISHED = ("not_started", "in_progress", "postponed")


def indicator_number(code: str) -> int | None:
    """4 for 'ind4'; None for an item code."""
    return int(code[3:]) if code.startswith("ind") and code[3:].isdigit() else None


def _score(results: Results | None, code: str | None) -> float | None:
    if results is None or code is None:
        return None
    number = indicator_number(code)
    if number is None:
        return results.items.get(code)
    score = results.indicators.get(number)
    return score.value if score is not None else None


def followed(
    code_then: str, year_then: int, results: Results, earlier: Results | None, crosswalk: Crosswalk
) -> PastItem:
    """An item of last year's ITA followed to this year: indicators by number, items through the
    cross-year map (no link known: no code and no score this year)."""
    if indicator_number(code_then) is not None:
        code: str | None = code_then
    else:
        member = crosswalk.counterpart(year_then, code_then, results.ita_year)
        code = member.code if member is not None else None
    return PastItem(code_then, code, _score(earlier, code_then), _score(results, code))


def _items(
    measure: Measure, year_then: int, results: Results, earlier: Results | None, crosswalk: Crosswalk
) -> tuple[PastItem, ...]:
    """The items a measure answered, each followed; when none of them has a score this year (their
    questions were renumbered and the map does not link them), the measure's indicator stands in."""
    items = [followed(code, year_then, results, earlier, crosswalk) for code in measure.answers]
    marker = f"ind{measure.indicator}"
    if (
        measure.indicator is not None
        and marker not in measure.answers
        and all(i.after is None for i in items)
    ):
        stand_in = followed(marker, year_then, results, earlier, crosswalk)
        if stand_in.after is not None:
            items.append(stand_in)
    return tuple(items)


def suggest(status: str, items: Sequence[PastItem], pass_mark: float) -> Suggestion:
    """prongsai's suggestion (not an NACC rule): review a cancelled measure; continue one not
    finished; of a measure done, strengthen it when an item it answered is still below the pass
    mark this year, keep it as routine work (or drop it) when every item with a score passes, and
    review it when no item has a score this year."""
    if status == "cancelled":
        return "review"
    if status in UNFINISHED:
        return "continue"
    scored = [i.after for i in items if i.after is not None]
    if not scored:
        return "review"
    return "strengthen" if any(round(s, 2) < pass_mark for s in scored) else "keep"


def carry_forward(
    previous: Plan,
    progress: Progress,
    results: Results,
    earlier: Results | None,
    framework: Framework,
    crosswalk: Crosswalk,
) -> Past:
    """One record per measure of ``previous`` (last year's plan), in its order: its status and
    percent on the last day of its plan year, the items it answered with their scores in
    ``earlier`` (the results of the previous plan's ITA year, when held) and in ``results`` (this
    year's, whose ``framework`` gives the pass mark), and the suggestion."""
    final = final_states(previous, progress)
    measures = []
    for measure in previous.measures:
        state = final[measure.id]
        items = _items(measure, previous.ita_year, results, earlier, crosswalk)
        measures.append(
            PastMeasure(
                id=measure.id,
                title=measure.title,
                status=state.status,
                percent=state.percent,
                items=items,
                suggestion=suggest(state.status, items, framework.pass_mark),
            )
        )
    return Past(previous.plan_year, previous.ita_year, tuple(measures))


def _answers_now(measure: Measure, year_then: int, year: int, crosswalk: Crosswalk) -> tuple[str, ...]:
    """A measure's ``answers`` in this year's codes: indicators by number, items through the
    cross-year map (an item without a counterpart is left out); its indicator when none is left."""
    codes: list[str] = []
    for code in measure.answers:
        if indicator_number(code) is not None:
            codes.append(code)
        elif (member := crosswalk.counterpart(year_then, code, year)) is not None:
            codes.append(member.code)
    if not codes and measure.indicator is not None:
        codes.append(f"ind{measure.indicator}")
    return tuple(dict.fromkeys(codes))


def carried_measure(measure: Measure, previous: Plan, plan: Plan, crosswalk: Crosswalk) -> Measure:
    """Last year's unfinished measure as a measure of this plan: its texts, units, quarters and
    budget as last year's plan had them (people's edits included), its timeframe written for this
    plan year, its items in this year's codes. It counts as a measure people keep (no drafted
    fingerprints): re-drafting never removes or rewrites it."""
    issue = measure.issue if measure.issue in issue_numbers(plan.ita_year) else None
    return replace(
        measure,
        issue=issue,
        answers=_answers_now(measure, previous.ita_year, plan.ita_year, crosswalk),
        timeframe=timeframe_text(measure.quarters, plan.plan_year, plan.timeframe_style),
        drafted={},
    )


def carry_unfinished(plan: Plan, previous: Plan, past: Past, crosswalk: Crosswalk) -> Plan:
    """``plan`` with every measure of last year's plan that was not finished (suggestion
    ``continue``) and that the plan does not already hold, added at its end, and ``past`` recorded.
    The measures added are listed among the drafted ones, so that a person who deletes one keeps it
    deleted when the plan is re-drafted."""
    present = {m.id for m in plan.measures}
    unfinished = {m.id for m in past.measures if m.suggestion == "continue"}
    carried = tuple(
        carried_measure(m, previous, plan, crosswalk)
        for m in previous.measures
        if m.id in unfinished and m.id not in present
    )
    return replace(
        plan,
        measures=plan.measures + carried,
        drafted_ids=plan.drafted_ids + tuple(m.id for m in carried),
        past=past,
    )


def continued(past: Past, plan: Plan) -> list[PastMeasure]:
    """Last year's measures this plan holds again (the same measure id), in last year's order."""
    present = {m.id for m in plan.measures}
    return [m for m in past.measures if m.id in present]


def earlier_of(past_ita_year: int, history: Sequence[Results]) -> Results | None:
    """The results of last year's plan's ITA year among the earlier years held."""
    return next((r for r in history if r.ita_year == past_ita_year), None)


def previous_problems(previous: Plan, results: Results, where: Location) -> list[Problem]:
    """Last year's plan against this year's results: the same agency and an earlier ITA year
    (errors), and normally the plan year these results assess (a warning that explains)."""
    agency = results.agency
    if normalised_name(previous.agency.name) != normalised_name(agency.name) or place_conflicts(
        previous.agency, agency
    ):
        return [
            error(
                "previous_plan_other_agency",
                where,
                plan_agency=previous.agency.name,
                agency=agency.name,
            )
        ]
    if previous.ita_year >= results.ita_year:
        return [error("previous_plan_not_earlier", where, plan_year=previous.ita_year, year=results.ita_year)]
    if previous.plan_year != results.ita_year:
        return [
            warning(
                "previous_plan_other_year",
                where,
                plan_year=previous.plan_year,
                ita_year=previous.ita_year,
                year=results.ita_year,
            )
        ]
    return []


# --------------------------------------------------------------------------------------------------
# What the sentences state
# --------------------------------------------------------------------------------------------------


def direction(item: PastItem) -> Direction:
    """Rose, fell or stayed (both scores held, compared at two decimals), only this year's score
    held, or no score this year."""
    if item.after is None:
        return "unknown"
    if item.before is None:
        return "after_only"
    before, after = round(item.before, 2), round(item.after, 2)
    return "up" if after > before else "down" if after < before else "same"


@dataclass(frozen=True)
class PastSummary:
    """The counts the Thai sentences state: measures by status and by suggestion (each adds up to
    ``measures``), and the distinct items answered by direction (adding up to ``len(items)``)."""

    measures: int
    by_status: dict[str, int]
    by_suggestion: dict[str, int]
    items: tuple[PastItem, ...]  # each (code_then, code) once, in the order first answered
    by_direction: dict[str, int]


def summarise(past: Past) -> PastSummary:
    statuses = Counter(m.status for m in past.measures)
    suggestions = Counter(m.suggestion for m in past.measures)
    distinct: dict[tuple[str, str | None], PastItem] = {}
    for measure in past.measures:
        for item in measure.items:
            distinct.setdefault((item.code_then, item.code), item)
    items = tuple(distinct.values())
    directions = Counter(direction(i) for i in items)
    return PastSummary(
        measures=len(past.measures),
        by_status={s: statuses.get(s, 0) for s in STATUSES},
        by_suggestion={s: suggestions.get(s, 0) for s in SUGGESTIONS},
        items=items,
        by_direction={d: directions.get(d, 0) for d in DIRECTIONS},
    )


def past_json(past: Past) -> list[dict[str, object]]:
    """The ``past_measures`` list of ``analyze --json``: one object per measure, as in the plan
    file's ``past`` block."""
    return [
        {
            "id": m.id,
            "title": m.title,
            "status": m.status,
            "percent": m.percent,
            "items": [
                {
                    "code_then": i.code_then,
                    "code": i.code,
                    "before": _round(i.before),
                    "after": _round(i.after),
                }
                for i in m.items
            ],
            "suggestion": m.suggestion,
        }
        for m in past.measures
    ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
