"""Carrying out the measures: what was done, when, and where each measure stands on a given day.

A progress file (docs/progress-format.md, read by progressfile.py) holds, for measures of a plan,
dated updates in the order they were written, never rewritten: the status, the percent done, what
was done, outputs, budget used, evidence, problems and suggestions. Everything else is derived here,
for a day (``as_of``), by pure functions: a measure's status and percent are those of its latest
update on or before that day; its due date is the last day of its last fiscal quarter (or the day a
postponement names); it is overdue when that day has passed and it is neither done nor cancelled.
Nothing derived is ever stored.
"""

from __future__ import annotations

import calendar as gregorian
import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from prongsai.planning import Measure, Plan
from prongsai.thai import BE_OFFSET, quarter_months

Status = Literal["not_started", "in_progress", "done", "postponed", "cancelled"]
STATUSES: tuple[Status, ...] = ("not_started", "in_progress", "done", "postponed", "cancelled")
NEEDS_REASON: tuple[Status, ...] = ("postponed", "cancelled")  # เลื่อน and ยกเลิก say why
CLOSED: tuple[Status, ...] = ("done", "cancelled")  # never overdue
Period = Literal[6, 12]
PERIODS: tuple[Period, ...] = (6, 12)


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: a file (path relative to the progress file) or a web address, with
    what it shows."""

    description: str
    path: str | None = None
    url: str | None = None

    @property
    def where(self) -> str:
        return self.url or self.path or ""


@dataclass(frozen=True)
class Update:
    """One dated report on a measure, as the person wrote it."""

    date: dt.date
    status: Status
    percent: int | None = None  # 0-100; None: not said
    done: str = ""  # what was done (ผลการดำเนินการ)
    outputs: str = ""  # outputs against the measure's output and target (ผลผลิต)
    budget_used: int | None = None  # whole baht
    evidence: tuple[Evidence, ...] = ()
    problems: str = ""  # ปัญหาอุปสรรค
    suggestions: str = ""  # ข้อเสนอแนะ
    reason: str = ""  # why postponed or cancelled
    note: str = ""  # e.g. why a measure done is open again
    until: dt.date | None = None  # a postponement's new due date
    line: int | None = None  # where it is written in the progress file


@dataclass(frozen=True)
class MeasureProgress:
    id: str  # the plan's measure id
    updates: tuple[Update, ...] = ()


@dataclass(frozen=True)
class Progress:
    agency: str
    ita_year: int
    plan_year: int
    measures: tuple[MeasureProgress, ...] = ()

    def of(self, measure_id: str) -> MeasureProgress:
        return next((m for m in self.measures if m.id == measure_id), MeasureProgress(measure_id))


# --------------------------------------------------------------------------------------------------
# Dates of the plan year
# --------------------------------------------------------------------------------------------------


def ce_year(fiscal_year_be: int, month: int) -> int:
    """The Common Era calendar year of ``month`` in Buddhist-era fiscal year ``fiscal_year_be``
    (October to December fall in the calendar year before)."""
    return fiscal_year_be - BE_OFFSET - (1 if month >= 10 else 0)


def plan_year_days(plan_year: int) -> tuple[dt.date, dt.date]:
    """The first and last day of fiscal year ``plan_year`` (B.E.): 1 October to 30 September."""
    return dt.date(ce_year(plan_year, 10), 10, 1), dt.date(ce_year(plan_year, 9), 9, 30)


def quarter_end(plan_year: int, quarter: int) -> dt.date:
    """The last day of fiscal quarter 1-4 of ``plan_year`` (quarter 1 ends on 31 December)."""
    month = quarter_months(quarter)[1]
    year = ce_year(plan_year, month)
    return dt.date(year, month, gregorian.monthrange(year, month)[1])


def quarter_start(plan_year: int, quarter: int) -> dt.date:
    """The first day of fiscal quarter 1-4 of ``plan_year`` (quarter 1 starts on 1 October)."""
    month = quarter_months(quarter)[0]
    return dt.date(ce_year(plan_year, month), month, 1)


def be_iso(day: dt.date) -> str:
    """A date as 'YYYY-MM-DD' with the Buddhist-era year: 2569-03-31."""
    return f"{day.year + BE_OFFSET:04d}-{day.month:02d}-{day.day:02d}"


# --------------------------------------------------------------------------------------------------
# Where a measure stands on a day
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureState:
    """A measure as of a day: derived, never stored."""

    measure: Measure
    status: Status
    percent: int
    due: dt.date
    overdue: bool
    updates: tuple[Update, ...]  # those on or before the day, oldest first

    @property
    def latest(self) -> Update | None:
        return self.updates[-1] if self.updates else None

    def latest_with(self, name: str) -> Any:
        """The latest non-empty value of an update field (what was done, problems...)."""
        for update in reversed(self.updates):
            value = getattr(update, name)
            if value not in ("", None, ()):
                return value
        return None

    @property
    def budget_used(self) -> int | None:
        value: int | None = self.latest_with("budget_used")
        return value

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """Every piece of evidence given so far, each once, in the order given."""
        seen: dict[tuple[str, str], Evidence] = {}
        for update in self.updates:
            for item in update.evidence:
                seen.setdefault((item.where, item.description), item)
        return tuple(seen.values())


def start_date(measure: Measure, plan_year: int) -> dt.date:
    """The first day of the measure's first quarter: before it, a measure not started is on time."""
    return quarter_start(plan_year, measure.quarters[0])


def due_date(measure: Measure, plan_year: int, updates: Sequence[Update] = ()) -> dt.date:
    """The last day of the measure's last quarter, or the day the latest postponement names."""
    moved = next((u.until for u in reversed(updates) if u.status == "postponed" and u.until), None)
    return moved or quarter_end(plan_year, measure.quarters[1])


def _percent(status: Status, updates: Sequence[Update]) -> int:
    if status == "done":
        return 100
    given = next((u.percent for u in reversed(updates) if u.percent is not None), None)
    return given if given is not None else 0


def state_of(measure: Measure, progress: MeasureProgress, plan_year: int, as_of: dt.date) -> MeasureState:
    """Where ``measure`` stands on ``as_of``: its latest update on or before that day (none: not
    started), its due date and whether it is overdue (the day after its due date, unless done or
    cancelled)."""
    updates = tuple(u for u in progress.updates if u.date <= as_of)
    status: Status = updates[-1].status if updates else "not_started"
    due = due_date(measure, plan_year, updates)
    return MeasureState(
        measure=measure,
        status=status,
        percent=_percent(status, updates),
        due=due,
        overdue=status not in CLOSED and as_of > due,
        updates=updates,
    )


def states(plan: Plan, progress: Progress, as_of: dt.date) -> tuple[MeasureState, ...]:
    """Every measure of the plan, in the plan's order, as of ``as_of``."""
    return tuple(state_of(m, progress.of(m.id), plan.plan_year, as_of) for m in plan.measures)


def totals(measure_states: Sequence[MeasureState]) -> dict[str, Any]:
    """Counts by status, overdue and on time, and the average percent done."""
    counts = Counter(s.status for s in measure_states)
    count = len(measure_states)
    average = round(sum(s.percent for s in measure_states) / count, 2) if count else None
    return {
        "measures": count,
        **{status: counts.get(status, 0) for status in STATUSES},
        "overdue": sum(1 for s in measure_states if s.overdue),
        "average_percent": average,
    }


def status_json(plan: Plan, progress: Progress, as_of: dt.date) -> dict[str, Any]:
    """The ``progress status --json`` object: dates as Buddhist-era 'YYYY-MM-DD'."""
    found = states(plan, progress, as_of)
    return {
        "as_of": be_iso(as_of),
        "measures": [
            {
                "id": s.measure.id,
                "title": s.measure.title,
                "status": s.status,
                "percent": s.percent,
                "due": be_iso(s.due),
                "overdue": s.overdue,
            }
            for s in found
        ],
        "totals": totals(found),
    }


def final_states(plan: Plan, progress: Progress) -> Mapping[str, MeasureState]:
    """Every measure as of the last day of the plan year (what became of it)."""
    end = plan_year_days(plan.plan_year)[1]
    return {s.measure.id: s for s in states(plan, progress, end)}
