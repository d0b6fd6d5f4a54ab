"""Where an agency's measures stand, for the agency's home and the dashboard (docs/web-tracking.md).

The callers pass agencies already reached through ``access`` (nothing here checks permissions).

On time: of the plan's measures whose due date (the core's: the last day of the last quarter, or the
day the latest postponement names, from the updates up to the day) is before ``as_of`` and that are
not cancelled on ``as_of``, the share that were done on their due date. A measure due on ``as_of``
itself still has the day; a plan with no such measure has no share (None).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db.models import Q

from prongsai.app.plans import plan_from_text
from prongsai.app.progress import progress_from_text
from prongsai.catalog.progress import status_words
from prongsai.errors import InputError
from prongsai.planning import Plan as CorePlan
from prongsai.progress import CLOSED, STATUSES, MeasureState, plan_year_days, state_of, states, totals
from prongsai.progress import Progress as CoreProgress
from prongsai.thai import BE_OFFSET
from prongsai_web.directory.models import Agency
from prongsai_web.plans.models import Plan
from prongsai_web.tracking.services import empty_progress, tracked

DUE_SOON_DAYS = 30


def fiscal_year(day: dt.date) -> int:
    """The Buddhist-era fiscal year ``day`` falls in (1 October starts the next one)."""
    return day.year + BE_OFFSET + (1 if day.month >= 10 else 0)


def _brief(state: MeasureState, as_of: dt.date) -> dict[str, Any]:
    return {
        "id": state.measure.id,
        "title": state.measure.title,
        "status": state.status,
        "status_th": status_words()[state.status].th,
        "percent": state.percent,
        "due": state.due,
        "days": (state.due - as_of).days,
    }


def on_time(plan: CorePlan, progress: CoreProgress, as_of: dt.date) -> float | None:
    """The share (0 to 1) of the measures due before ``as_of`` (cancelled ones left out) that were
    done on their due date; None when no measure is due yet."""
    due = done = 0
    for measure in plan.measures:
        updates = progress.of(measure.id)
        now = state_of(measure, updates, plan.plan_year, as_of)
        if now.status == "cancelled" or now.due >= as_of:
            continue
        due += 1
        if state_of(measure, updates, plan.plan_year, now.due).status == "done":
            done += 1
    return round(done / due, 4) if due else None


def tracking_summary(
    agency: Agency, ita_year: int, as_of: dt.date, within_days: int = DUE_SOON_DAYS
) -> dict[str, Any] | None:
    """The plan of the agency-year as of ``as_of``: measures per status, those overdue, those due
    within ``within_days`` (not done, cancelled or overdue), the average percent and the on-time
    share; None when there is no plan. ``readable`` False (with ``problems``) when the progress file
    held no longer reads against the plan."""
    found = tracked(agency, ita_year)
    if found is None:
        return None
    first, last = plan_year_days(found.plan.plan_year)
    summary: dict[str, Any] = {
        "agency_id": agency.pk,
        "ita_year": ita_year,
        "plan_year": found.plan.plan_year,
        "year_start": first,
        "year_end": last,
        "as_of": as_of,
        "version": found.version,
        "within_days": within_days,
        "readable": found.progress is not None,
        "problems": found.problems,
    }
    if found.progress is None:
        return summary
    measure_states = states(found.plan, found.progress, as_of)
    counted = totals(measure_states)
    words = status_words()
    soon = as_of + dt.timedelta(days=within_days)
    return summary | {
        "measures": counted["measures"],
        "counts": {status: counted[status] for status in STATUSES},
        "statuses": [{"key": s, "th": words[s].th, "count": counted[s]} for s in STATUSES],
        "average_percent": counted["average_percent"],
        "overdue": [_brief(s, as_of) for s in measure_states if s.overdue],
        "due_soon": [
            _brief(s, as_of)
            for s in measure_states
            if not s.overdue and s.status not in CLOSED and as_of <= s.due <= soon
        ],
        "on_time": on_time(found.plan, found.progress, as_of),
    }


def on_time_share(
    agency_ids: list[int], as_of: dt.date, ita_year: int | None = None
) -> dict[int, float | None]:
    """The on-time share (0 to 1, see the module) of each agency's plan, in one query whatever the
    number of agencies: the plan of ``ita_year`` when given, else the plan being carried out on
    ``as_of`` (the one whose fiscal year holds it: of the ITA year before that fiscal year, or of
    that year). None for an agency without such a plan or whose progress file no longer reads."""
    found: dict[int, float | None] = dict.fromkeys(agency_ids)
    year = fiscal_year(as_of)
    years = Q(ita_year=ita_year) if ita_year is not None else Q(ita_year__in=(year - 1, year))
    rows = (
        Plan.objects.filter(years, agency_id__in=agency_ids)
        .select_related("progress")
        .only("id", "agency_id", "ita_year", "version", "text", "progress__version", "progress__text")
        .order_by("agency_id", "ita_year")
    )
    for row in rows:
        share = _cached_share(row, as_of)
        if share is None:
            continue
        plan_year, value = share
        if ita_year is not None or plan_year == year:
            found[row.agency_id] = value  # by ita_year: a later plan of the same fiscal year wins
    return found


def _cached_share(row: Plan, as_of: dt.date) -> tuple[int, float | None] | None:
    """(plan year, share) of one plan row, cached by the versions of the plan and its progress."""
    progress = getattr(row, "progress", None)
    key = f"tracking:on-time:{row.pk}:{row.version}:{progress.version if progress else 0}:{as_of.isoformat()}"
    cached: tuple[int, float | None] | None = cache.get(key)
    if cached is not None:
        return cached
    try:
        plan = plan_from_text(row.text)
        read = progress_from_text(progress.text, plan)[0] if progress is not None else empty_progress(plan)
    except InputError:
        return None
    value = (plan.plan_year, on_time(plan, read, as_of))
    cache.set(key, value, 60 * 60)
    return value
