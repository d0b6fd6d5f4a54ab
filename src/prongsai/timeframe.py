"""Timeframes as the seeds write them: 'ไตรมาส 1-2' or 'ตุลาคม 2568 – มีนาคม 2569'."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

from prongsai.thai import BE_OFFSET, month_year_be, quarter_months

TimeframeStyle = Literal["months", "quarters"]


@cache
def _calendar() -> Any:
    return yaml.safe_load((resources.files("prongsai") / "catalog" / "calendar.yaml").read_text("utf-8"))


def month_name(month: int) -> str:
    return str(_calendar()["months"][month - 1]["full"])


def timeframe_text(quarters: tuple[int, int], plan_year: int, style: TimeframeStyle) -> str:
    """Fiscal quarters (first, last) of the plan year as text; quarter 1 is October-December."""
    first, last = quarters
    calendar = _calendar()
    if style == "quarters":
        number = str(first) if first == last else f"{first}-{last}"
        return str(calendar["quarter"]).format(number=number)
    start_month = quarter_months(first)[0]
    end_month = quarter_months(last)[1]
    start = f"{month_name(start_month)} {month_year_be(plan_year, start_month)}"
    end = f"{month_name(end_month)} {month_year_be(plan_year, end_month)}"
    return str(calendar["range"]).format(start=start, end=end)


def thai_date(day: date) -> str:
    """A date as Thai documents print it: '21 พฤศจิกายน 2569' (Buddhist era)."""
    return f"{day.day} {month_name(day.month)} {day.year + BE_OFFSET}"
