"""The agency's years side by side (overall, tools, indicators), from the stored figures: the trend
table and chart of the analysis page. Pure functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from prongsai_web.results.figures import indicator_scores

TOOLS = ("IIT", "EIT", "OIT")


@dataclass(frozen=True)
class YearFigures:
    ita_year: int
    overall: float | None
    level: str
    tools: Mapping[str, float | None]
    indicators: Mapping[str, float | None]  # as stored: JSON keys are text


@dataclass(frozen=True)
class TrendRow:
    key: str  # "overall", "IIT", "ind4"
    values: tuple[float | None, ...]  # one per year, oldest first
    change: float | None  # the last year minus the most recent earlier year with a figure


def _change(values: Sequence[float | None]) -> float | None:
    if not values or values[-1] is None:
        return None
    previous = next((v for v in reversed(values[:-1]) if v is not None), None)
    return None if previous is None else values[-1] - previous


def _row(key: str, values: Sequence[float | None]) -> TrendRow:
    return TrendRow(key, tuple(values), _change(values))


def trend_rows(years: Sequence[YearFigures]) -> list[TrendRow]:
    """Overall, the three tools, then every indicator any year holds, each with its change."""
    rows = [_row("overall", [y.overall for y in years])]
    rows += [_row(code, [y.tools.get(code) for y in years]) for code in TOOLS]
    numbers = sorted({n for y in years for n, v in indicator_scores(y.indicators).items() if v is not None})
    for number in numbers:
        rows.append(_row(f"ind{number}", [indicator_scores(y.indicators).get(number) for y in years]))
    return rows
