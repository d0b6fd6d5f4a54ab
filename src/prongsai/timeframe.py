"""Timeframes as the seeds write them: 'ไตรมาส 1-2' or 'ตุลาคม 2568 – มีนาคม 2569', and read back.

Writing and reading use the same calendar words (catalog/calendar.yaml), so that a timeframe the
program writes always reads back as the quarters it was written from.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Literal

from prongsai.thai import BE_OFFSET, month_year_be, quarter_months, to_arabic_digits
from prongsai.thaicalendar import calendar

TimeframeStyle = Literal["months", "quarters"]


def month_name(month: int) -> str:
    return calendar().month(month).full


def timeframe_text(quarters: tuple[int, int], plan_year: int, style: TimeframeStyle) -> str:
    """Fiscal quarters (first, last) of the plan year as text; quarter 1 is October-December."""
    first, last = quarters
    words = calendar()
    if style == "quarters":
        number = str(first) if first == last else f"{first}-{last}"
        return words.quarter.format(number=number)
    start_month = quarter_months(first)[0]
    end_month = quarter_months(last)[1]
    start = f"{month_name(start_month)} {month_year_be(plan_year, start_month)}"
    end = f"{month_name(end_month)} {month_year_be(plan_year, end_month)}"
    return words.range.format(start=start, end=end)


def thai_date(day: date) -> str:
    """A date as Thai documents print it: '21 พฤศจิกายน 2569' (Buddhist era)."""
    return f"{day.day} {month_name(day.month)} {day.year + BE_OFFSET}"


def _either(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in words)


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A quarter range ('ไตรมาสที่ 1 - 2') and a month range ('1 ตุลาคม พ.ศ. 2568 ถึง มีนาคม 2569'),
    each the whole text. Months are read by their full names only: the forms prongsai writes and
    `prongsai import` reads (importing/build.py), so that both give the same quarters."""
    words = calendar()
    quarter, dash = _either(words.quarter_words), _either(words.range_words)
    quarters = re.compile(rf"(?:{quarter})\s*(\d)(?:\s*(?:{dash})\s*(?:{quarter})?\s*(\d))?")
    month = _either(tuple(sorted((m.full for m in words.months), key=len, reverse=True)))
    era = _either(words.era_be)
    point = rf"(?:\d{{1,2}}\s*)?({month})(?:\s*(?:{era})?\s*\d{{2,4}})?"
    months = re.compile(rf"{point}(?:\s*(?:{dash})\s*{point})?")
    return quarters, months


def timeframe_quarters(text: str) -> tuple[int, int] | None:
    """The fiscal quarters (first, last) a timeframe names when it is written in a form the program
    reads: 'ไตรมาส 2', 'ไตรมาสที่ 1-4', 'ธันวาคม 2567', 'ตุลาคม 2568 – มีนาคม 2569' (day numbers,
    'พ.ศ.' and Thai digits allowed); None for any other text, which is free to say what it likes.
    A range written backwards ('มีนาคม – ตุลาคม') gives first > last."""
    plain = " ".join(to_arabic_digits(text).split())
    quarters, months = _patterns()
    found = quarters.fullmatch(plain)
    if found:
        first = int(found.group(1))
        return first, int(found.group(2) or first)
    found = months.fullmatch(plain)
    if found:
        start = calendar().month_named(found.group(1))
        end = calendar().month_named(found.group(2) or found.group(1))
        if start is not None and end is not None:
            return start.fiscal_quarter, end.fiscal_quarter
    return None
