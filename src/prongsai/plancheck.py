"""What a plan must mean, beyond its shape: years, quarters, issues, indicators and item codes of
its ITA year, timeframes that agree with their quarters, and texts a document can hold.

Pure functions from a Plan to a list of problems, located by a ``where`` function that turns a path
inside the plan (``("measures", 3, "quarters")``) into a Location: planfile.py gives the plan file's
line, draft_plan the field alone. See docs/plan-format.md ("What the program checks").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from prongsai.catalog import issue_grouping
from prongsai.catalog.legal import laws
from prongsai.framework import Framework, load_frameworks
from prongsai.problems import Location, Problem, error, suggestion_params
from prongsai.textcheck import TextKind, text_problems
from prongsai.thai import BE_OFFSET
from prongsai.timeframe import timeframe_quarters

if TYPE_CHECKING:  # planning.py calls these checks on its drafts
    from prongsai.planning import Measure, Plan

PlanPath = tuple[str | int, ...]
Where = Callable[[PlanPath], Location]

PLAN_YEARS_AFTER = 2  # measures drawn from ITA year N are carried out in fiscal year N to N + 2


def field_where(path: PlanPath) -> Location:
    """A location that names the field only (for plans that do not come from a file)."""
    return Location(field=".".join(str(p) for p in path))


def plan_problems(plan: Plan, where: Where) -> list[Problem]:
    """Every problem of a plan's meaning, all at once."""
    found = _year_problems(plan, where)
    framework = load_frameworks().get(plan.ita_year)
    for index, measure in enumerate(plan.measures):
        found += measure_problems(measure, framework, _inside(where, ("measures", index)))
    return found + plan_text_problems(plan, where)


def _inside(where: Where, prefix: PlanPath) -> Where:
    return lambda path: where((*prefix, *path))


def plan_year_problems(plan_year: int, ita_year: int, where: Location) -> list[Problem]:
    """The plan year must be a Buddhist-era fiscal year from the ITA year to two years after it."""
    first, last = ita_year, ita_year + PLAN_YEARS_AFTER
    if first <= plan_year <= last:
        return []
    if first <= plan_year + BE_OFFSET <= last:
        return [error("plan_year_in_ce", where, value=plan_year, be=plan_year + BE_OFFSET)]
    return [
        error("plan_year_out_of_range", where, value=plan_year, ita_year=ita_year, first=first, last=last)
    ]


def _year_problems(plan: Plan, where: Where) -> list[Problem]:
    frameworks = load_frameworks()
    if plan.ita_year in frameworks:
        return plan_year_problems(plan.plan_year, plan.ita_year, where(("plan_year",)))
    here = where(("ita_year",))
    if plan.ita_year + BE_OFFSET in frameworks:
        return [error("year_in_ce", here, value=plan.ita_year, be=plan.ita_year + BE_OFFSET)]
    years = ", ".join(str(y) for y in sorted(frameworks))
    return [error("year_no_framework", here, year=plan.ita_year, years=years)]


def measure_problems(measure: Measure, framework: Framework | None, where: Where) -> list[Problem]:
    """Quarters and their timeframe; budget and legal basis; issue, indicator and answers of the
    ITA year (when it is known)."""
    found: list[Problem] = _budget_problems(measure, where) + _legal_problems(measure, where)
    first, last = measure.quarters
    if not 1 <= first <= last <= 4:
        found.append(error("plan_quarters_invalid", where(("quarters",)), first=first, last=last))
    else:
        read = timeframe_quarters(measure.timeframe)
        if read is not None and read != measure.quarters:
            found.append(
                error(
                    "plan_timeframe_contradicts",
                    where(("timeframe",)),
                    timeframe=measure.timeframe,
                    read=_span(read),
                    quarters=_span(measure.quarters),
                )
            )
    if framework is None:
        return found
    year = framework.ita_year
    issues = issue_numbers(year)
    if measure.issue is not None and measure.issue not in issues:
        found.append(
            error(
                "plan_issue_unknown", where(("issue",)), value=measure.issue, year=year, known=_range(issues)
            )
        )
    indicators = [i.number for i in framework.indicators]
    if measure.indicator is not None and measure.indicator not in indicators:
        found.append(
            error(
                "plan_indicator_unknown",
                where(("indicator",)),
                value=measure.indicator,
                year=year,
                known=_range(indicators),
            )
        )
    codes = [*framework.items_by_code, *(f"ind{n}" for n in indicators)]
    for index, code in enumerate(measure.answers):
        if code not in codes:
            found.append(
                error(
                    "plan_answer_unknown",
                    where(("answers", index)),
                    code=code,
                    year=year,
                    **suggestion_params(code.lower(), codes),
                )
            )
    return found


def _budget_problems(measure: Measure, where: Where) -> list[Problem]:
    """An amount is whole baht above 0; 'none' excludes an amount and a source."""
    budget = measure.budget
    found: list[Problem] = []
    if budget.amount is not None and budget.amount <= 0:
        found.append(error("plan_budget_amount_invalid", where(("budget", "amount")), value=budget.amount))
    if budget.none and (budget.amount is not None or budget.source):
        found.append(error("plan_budget_none_and_amount", where(("budget", "none"))))
    return found


def _legal_problems(measure: Measure, where: Where) -> list[Problem]:
    """Every legal basis is a key of catalog/legal.yaml."""
    known = list(laws())
    return [
        error(
            "plan_legal_unknown",
            where(("legal_basis", index)),
            key=key,
            known=", ".join(known),
            **suggestion_params(key.lower(), known),
        )
        for index, key in enumerate(measure.legal_basis)
        if key not in known
    ]


def issue_numbers(year: int) -> list[int]:
    """The issues (ประเด็น) the year groups its items into; every catalog issue for a year without a
    grouping (its measures still name the issue of their template)."""
    grouping = issue_grouping()
    members = grouping.members.get(year)
    return sorted(members) if members else [issue.number for issue in grouping.issues]


def _range(numbers: list[int]) -> str:
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{numbers[0]}-{numbers[-1]}"
    return ", ".join(map(str, numbers))


def _span(quarters: tuple[int, int]) -> str:
    first, last = quarters
    return str(first) if first == last else f"{first}-{last}"


# --------------------------------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------------------------------

_Text = tuple[PlanPath, str | None, TextKind, bool]


def _texts(plan: Plan) -> Iterator[_Text]:
    """Every text of a plan: (path, value, kind, required). Names are one line; texts may wrap."""
    agency = plan.agency
    yield ("agency", "name"), agency.name, "name", True
    for key in ("type", "district", "province"):
        yield ("agency", key), getattr(agency, key), "name", False
    for i, m in enumerate(plan.measures):
        yield ("measures", i, "id"), m.id, "name", True
        yield ("measures", i, "template"), m.template, "name", False
        yield ("measures", i, "kind"), m.kind, "name", False
        yield ("measures", i, "title"), m.title, "text", True
        yield from ((("measures", i, "steps", j), step, "text", True) for j, step in enumerate(m.steps))
        yield ("measures", i, "owner"), m.owner, "name", False
        yield from ((("measures", i, "co_owners", j), o, "name", True) for j, o in enumerate(m.co_owners))
        for key in ("timeframe", "follow_up", "output", "target"):
            yield ("measures", i, key), getattr(m, key), "text", False
        yield ("measures", i, "budget", "source"), m.budget.source, "text", False
    for key in ("limitations", "suggestions"):
        yield from (((key, j), text, "text", True) for j, text in enumerate(getattr(plan, key)))
    for key in ("drafted_ids", "removed"):
        yield from (((key, j), text, "name", True) for j, text in enumerate(getattr(plan, key)))


def plan_text_problems(plan: Plan, where: Where) -> list[Problem]:
    """Blank required texts, texts over their length limit, control characters, broken names."""
    found: list[Problem] = []
    for path, value, kind, required in _texts(plan):
        found += text_problems(value, where(path), kind, required=required)
    return found
