"""Dates as Thai officials write them, read with one meaning or refused with the reason.

Accepted: '15 ธันวาคม 2568', '15 ธ.ค. 2568', '15 ธ.ค. 68', 'วันที่ ๑๕ ธันวาคม พ.ศ. ๒๕๖๘',
'15/12/2568', '15.12.2568', '2568-12-15', and Common Era dates that cannot be misread:
'2025-12-15', '15 December 2025', '25/12/2025'. Month names and the words around a date come
from catalog/calendar.yaml. A date that does not exist ('31 ก.พ. 2568') is refused naming the
month's length; a form that could mean two dates is refused with both readings, never guessed:
'05/12/2025' (a Common Era date may be written month first) and '15/12/68' (a two-digit year
without a month name may be of either era). With a Thai month name, a two-digit year is the
Buddhist-era year as Thai documents abbreviate it ('ธ.ค. 68' is 2568).
"""

from __future__ import annotations

import calendar as gregorian
import datetime as dt
import re
import unicodedata
from typing import Literal

from prongsai.problems import Location, Problem, error, label, suggestion_params
from prongsai.thai import BE_OFFSET, to_arabic_digits
from prongsai.thaicalendar import calendar, fold_month
from prongsai.timeframe import thai_date

BE_YEARS = range(2500, 2700)  # a document date's plausible Buddhist-era years
CE_YEARS = range(BE_YEARS.start - BE_OFFSET, BE_YEARS.stop - BE_OFFSET)  # the same span, 1957-2156

Era = Literal["be", "ce"]
Reading = tuple[dt.date | None, list[Problem]]

_YEAR_FIRST = re.compile(r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d+)")
_NAMED = re.compile(r"(\d{1,2})\s*(\D+?)\s*(\d+)")


def read_date(value: object, where: Location) -> Reading:
    """A date from a settings file or an option: the date, or the problems that say why not."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):  # a YAML loader that makes dates reads 2568-12-15 as year 2568
        return _settle(str(value), value.year, value.month, value.day, None, where)
    if not isinstance(value, str):
        return None, [error("date_unreadable", where, value=value)]
    text = " ".join(to_arabic_digits(unicodedata.normalize("NFC", value)).split())
    if found := _YEAR_FIRST.fullmatch(text):
        year, month, day = int(found.group(1)), int(found.group(3)), int(found.group(4))
        return _settle(value, year, month, day, None, where)
    if found := _DAY_FIRST.fullmatch(text):
        return _day_first(value, int(found.group(1)), int(found.group(3)), found.group(4), where)
    if found := _NAMED.fullmatch(_without_day_word(text)):
        return _named(value, int(found.group(1)), found.group(2), found.group(3), where)
    return None, [error("date_unreadable", where, value=value)]


def _without_day_word(text: str) -> str:
    for word in calendar().day_words:
        if text.startswith(word):
            return text[len(word) :].lstrip()
    return text


def _day_first(value: str, day: int, month: int, year_text: str, where: Location) -> Reading:
    """'15/12/2568': Thai order is day first. A Common Era year may be written month first too, so
    both readings are tried and two different real dates are refused as ambiguous."""
    if len(year_text) == 2:
        return None, [error("date_year_two_digits", where, value=value)]
    year = int(year_text)
    if year in CE_YEARS and day != month and day <= 12 and month <= 12:
        first, second = dt.date(year, month, day), dt.date(year, day, month)
        return None, [
            error(
                "date_order_ambiguous",
                where,
                value=value,
                first_th=thai_date(first),
                second_th=thai_date(second),
                first_en=_english(first),
                second_en=_english(second),
                iso=first.isoformat(),
            )
        ]
    return _settle(value, year, month, day, None, where)


def _named(value: str, day: int, middle: str, year_text: str, where: Location) -> Reading:
    """'15 ธ.ค. พ.ศ. 2568': a day, a month's name, perhaps an era, a year."""
    words = calendar()
    era: Era | None = None
    middle = middle.strip()
    for name, markers in (("be", words.era_be), ("ce", words.era_ce)):
        marker = next((m for m in markers if middle.endswith(m)), None)
        if marker is not None:
            era = "be" if name == "be" else "ce"
            middle = middle[: -len(marker)].strip()
            break
    month = words.month_named(middle)
    if month is None:
        return None, [
            error(
                "date_month_unknown",
                where,
                value=value,
                month=middle,
                **suggestion_params(middle, words.spellings()),
            )
        ]
    year = int(year_text)
    if len(year_text) == 2:
        if era == "ce" or fold_month(middle) == fold_month(month.en):  # only Thai abbreviates so
            return None, [error("date_year_two_digits", where, value=value)]
        year, era = BE_YEARS.start + year, "be"  # 'ธ.ค. 68': the Buddhist era's usual abbreviation
    return _settle(value, year, month.number, day, era, where)


def _settle(value: str, year: int, month: int, day: int, era: Era | None, where: Location) -> Reading:
    """The year's era, then the month, then the day: each refused with its own reason."""
    ce_year: int | None = None
    if era != "ce" and year in BE_YEARS:
        ce_year = year - BE_OFFSET
    elif era != "be" and year in CE_YEARS:
        ce_year = year
    elif era is not None:
        years = BE_YEARS if era == "be" else CE_YEARS
        return None, [
            error(
                "date_era_mismatch",
                where,
                value=value,
                year=year,
                era_th=label(f"era_{era}", "th"),
                era_en=label(f"era_{era}", "en"),
                first=years.start,
                last=years.stop - 1,
            )
        ]
    else:
        return None, [
            error(
                "date_year_out_of_range",
                where,
                value=value,
                year=year,
                be_first=BE_YEARS.start,
                be_last=BE_YEARS.stop - 1,
                ce_first=CE_YEARS.start,
                ce_last=CE_YEARS.stop - 1,
            )
        ]
    if not 1 <= month <= 12:
        return None, [error("date_month_number", where, value=value, month=month)]
    days = gregorian.monthrange(ce_year, month)[1]
    if not 1 <= day <= days:
        names = calendar().month(month)
        return None, [
            error(
                "date_impossible",
                where,
                value=value,
                month_th=names.full,
                month_en=names.en,
                year_th=ce_year + BE_OFFSET,
                year_en=ce_year,
                days=days,
            )
        ]
    return dt.date(ce_year, month, day), []


def _english(day: dt.date) -> str:
    return f"{day.day} {calendar().month(day.month).en} {day.year}"
