"""Thai calendar words from catalog/calendar.yaml, validated once: month names and the words around
dates and timeframes. Dates (thaidate.py) and timeframes (timeframe.py) read and write with these, so
that no Thai word of the calendar lives in code. The same file holds the planning season: when the
measures document of a plan year is dated (:func:`planning_season`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from prongsai.catalog import _validate
from prongsai.errors import DataFileError
from prongsai.thai import BE_OFFSET


@dataclass(frozen=True)
class Month:
    number: int  # 1 = January
    full: str
    short: str
    en: str
    also: tuple[str, ...]

    @property
    def fiscal_quarter(self) -> int:
        """1 for October-December ... 4 for July-September."""
        return (self.number - 10) % 12 // 3 + 1


@dataclass(frozen=True)
class Calendar:
    months: tuple[Month, ...]
    quarter: str
    range: str
    quarter_words: tuple[str, ...]
    range_words: tuple[str, ...]
    day_words: tuple[str, ...]
    era_be: tuple[str, ...]
    era_ce: tuple[str, ...]
    by_name: Mapping[str, Month]  # every spelling, folded (see fold_month)

    def month(self, number: int) -> Month:
        return self.months[number - 1]

    def month_named(self, word: str) -> Month | None:
        """The month a written name means: full, abbreviated (with or without its dots), another
        common spelling, or the English name."""
        return self.by_name.get(fold_month(word))

    def spellings(self) -> list[str]:
        """Every month name as written in the catalog (for close-match suggestions)."""
        return [name for m in self.months for name in (m.full, m.short, *m.also)]


FISCAL_YEAR_START = (10, 1)  # fiscal year N (B.E.) runs 1 October N-1 to 30 September N


def fiscal_year_start(year_be: int) -> dt.date:
    """1 October of the year before: the first day of Thai fiscal year ``year_be`` (Buddhist era)."""
    month, day = FISCAL_YEAR_START
    return dt.date(year_be - BE_OFFSET - 1, month, day)


@dataclass(frozen=True)
class Season:
    """When the measures document of ``plan_year`` is dated: from ``start`` to ``end``, both included.

    ``before_plan_year`` is the last day before the plan year starts (30 September), the date given
    to a document made after its season (docs/document.md). ``start_confirmed`` is True when the
    announcement of the ITA results it starts with is held for that year; the season as a whole is
    not an NACC rule (``confirmed: false`` in calendar.yaml).
    """

    plan_year: int
    start: dt.date
    end: dt.date
    start_confirmed: bool

    @property
    def before_plan_year(self) -> dt.date:
        return fiscal_year_start(self.plan_year) - dt.timedelta(days=1)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def nearest(self, day: dt.date) -> dt.date:
        """``day`` inside the season; its start before it; after it, the last day before the plan year."""
        if day < self.start:
            return self.start
        if day > self.end:
            return self.before_plan_year
        return day


def planning_season(plan_year: int) -> Season:
    """The planning season of the measures document for fiscal year ``plan_year`` (Buddhist era):
    from the announcement of the results of ITA year ``plan_year - 1`` to the end of the first quarter
    of the plan year (catalog/calendar.yaml ``planning_season``)."""
    spec = _calendar_spec().planning_season
    announced = spec.starts.announced.get(plan_year - 1)
    if announced is not None:
        start = announced.date
    else:
        other = spec.starts.otherwise
        start = dt.date(plan_year - 1 - BE_OFFSET, other.month, other.day)
    begins = fiscal_year_start(plan_year)
    end = dt.date(begins.year, spec.ends.month, spec.ends.day)
    if end < begins:  # a day of January-September: in the plan year's second calendar year
        end = end.replace(year=begins.year + 1)
    return Season(plan_year, start, end, announced is not None)


def fold_month(word: str) -> str:
    """'ธ. ค.' and 'ธค' both fold to 'ธค'; 'December' to 'december'."""
    return "".join(word.split()).replace(".", "").casefold()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _MonthSpec(_Strict):
    full: str = Field(min_length=2)
    short: str = Field(min_length=2)
    en: str = Field(min_length=3)
    also: list[str] = []


class _Announced(_Strict):
    date: dt.date
    source: str = Field(min_length=1)


class _DayOfYear(_Strict):
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)


class _SeasonStart(_Strict):
    rule: str
    confirmed: bool
    announced: dict[int, _Announced]
    otherwise: _DayOfYear


class _SeasonEnd(_DayOfYear):
    rule: str
    confirmed: bool
    source: str = Field(min_length=1)


class _SeasonSpec(_Strict):
    confirmed: bool
    starts: _SeasonStart
    ends: _SeasonEnd


class _CalendarSpec(_Strict):
    schema_version: int = Field(ge=1, le=1)
    months: list[_MonthSpec] = Field(min_length=12, max_length=12)
    quarter: str = Field(pattern=r"\{number\}")
    range: str = Field(pattern=r"\{start\}.*\{end\}")
    quarter_words: list[str] = Field(min_length=1)
    range_words: list[str] = Field(min_length=1)
    day_words: list[str] = []
    era_be: list[str] = Field(min_length=1)
    era_ce: list[str] = Field(min_length=1)
    planning_season: _SeasonSpec


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


@cache
def _calendar_spec() -> _CalendarSpec:
    spec: _CalendarSpec = _validate(_CalendarSpec, "calendar.yaml")
    problems = []
    for ita_year, announced in spec.planning_season.starts.announced.items():
        if announced.date.year + BE_OFFSET != ita_year:  # announced within the ITA year's own calendar year
            problems.append(f"planning_season: ITA {ita_year} announced on {announced.date}, in another year")
    season = spec.planning_season
    for name, day in (("starts.otherwise", season.starts.otherwise), ("ends", season.ends)):
        try:
            dt.date(2001, day.month, day.day)  # a day of every year: not 29 February
        except ValueError:
            problems.append(f"planning_season.{name}: {day.month}-{day.day} is not a day of every year")
    if problems:
        raise DataFileError("catalog/calendar.yaml", problems)
    return spec


@cache
def calendar() -> Calendar:
    spec = _calendar_spec()
    months = tuple(
        Month(number, m.full, m.short, m.en, tuple(m.also)) for number, m in enumerate(spec.months, start=1)
    )
    by_name: dict[str, Month] = {}
    problems = []
    for month in months:
        for name in {fold_month(n) for n in (month.full, month.short, month.en, *month.also)}:
            if name in by_name:
                problems.append(f"month name '{name}' names both {by_name[name].number} and {month.number}")
            by_name[name] = month
    if problems:
        raise DataFileError("catalog/calendar.yaml", problems)
    return Calendar(
        months=months,
        quarter=spec.quarter,
        range=spec.range,
        quarter_words=_longest_first(spec.quarter_words),
        range_words=_longest_first(spec.range_words),
        day_words=_longest_first(spec.day_words),
        era_be=_longest_first(spec.era_be),
        era_ce=_longest_first(spec.era_ce),
        by_name=by_name,
    )
