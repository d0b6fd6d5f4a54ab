"""Thai calendar words from catalog/calendar.yaml, validated once: month names and the words around
dates and timeframes. Dates (thaidate.py) and timeframes (timeframe.py) read and write with these, so
that no Thai word of the calendar lives in code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from prongsai.catalog import _validate
from prongsai.errors import DataFileError


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


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


@cache
def calendar() -> Calendar:
    spec: _CalendarSpec = _validate(_CalendarSpec, "calendar.yaml")
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
