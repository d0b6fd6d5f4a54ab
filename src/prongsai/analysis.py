"""Analysis of one agency-year: status, gaps, points to gain, and trend. Pure functions.

Everything here is computed from (framework, results, earlier years' results) with the rules of
``prongsai.aggregate`` via ``prongsai.whatif``; nothing is read or written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from prongsai.aggregate import status_of
from prongsai.crosswalk import Crosswalk
from prongsai.framework import Framework
from prongsai.results import Results
from prongsai.whatif import project


@dataclass(frozen=True)
class Entry:
    """One item or indicator as the analysis sees it."""

    key: str  # "i1" or "ind4"
    indicator: int | None
    score: float
    status: str  # below | pass | full
    gap_to_pass: float
    gap_to_full: float
    gain_to_pass: float | None  # overall points if this reached the pass mark; None if not computable
    gain_to_full: float | None
    rank: int = 0  # 1 = weakest


@dataclass(frozen=True)
class Change:
    key: str
    history: tuple[tuple[int, float | None], ...]  # (ITA year, score) oldest first, this year last
    change: float | None  # this year minus the most recent earlier year with a score


@dataclass(frozen=True)
class Analysis:
    ita_year: int
    pass_mark: float
    items: tuple[Entry, ...]
    indicators: tuple[Entry, ...]
    trend: tuple[Change, ...]

    @property
    def weak_items(self) -> tuple[Entry, ...]:
        return tuple(sorted((e for e in self.items if e.status == "below"), key=lambda e: e.rank))

    @property
    def weak_indicators(self) -> tuple[Entry, ...]:
        return tuple(sorted((e for e in self.indicators if e.status == "below"), key=lambda e: e.rank))

    @property
    def weakest_indicator(self) -> Entry | None:
        return min(self.indicators, key=lambda e: e.rank) if self.indicators else None

    def to_json(self) -> dict[str, Any]:
        def entry(e: Entry, number: bool) -> dict[str, Any]:
            data: dict[str, Any] = (
                {"number": e.indicator} if number else {"code": e.key, "indicator": e.indicator}
            )
            data.update(
                score=_round(e.score),
                status=e.status,
                gap_to_85=_round(e.gap_to_pass),
                gap_to_100=_round(e.gap_to_full),
                gain_to_85=_round(e.gain_to_pass),
                gain_to_100=_round(e.gain_to_full),
                rank=e.rank,
            )
            return data

        return {
            "ita_year": self.ita_year,
            "pass_mark": self.pass_mark,
            "items": [entry(e, False) for e in self.items],
            "indicators": [entry(e, True) for e in self.indicators],
            "weak": [e.key for e in self.weak_items],
            "weak_indicators": [e.indicator for e in self.weak_indicators],
            "work_first": [e.key for e in self.by_gain() if e.status != "full"],
            "trend": [
                {
                    "key": c.key,
                    "history": [{"ita_year": y, "score": _round(v)} for y, v in c.history],
                    "change": _round(c.change),
                }
                for c in self.trend
            ],
        }

    def by_gain(self) -> tuple[Entry, ...]:
        """Items to work on first: the largest overall gain from reaching the pass mark, then to full."""
        return tuple(
            sorted(
                self.items,
                key=lambda e: (-(e.gain_to_pass or 0.0), -(e.gain_to_full or 0.0), e.rank),
            )
        )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _gain(
    framework: Framework, results: Results, base: float | None, **change: Mapping[object, float]
) -> float | None:
    if base is None:
        return None
    projected = project(framework, results, **change)  # type: ignore[arg-type]
    if projected.overall is None:
        return None
    return projected.overall - base


def _ranked(entries: list[Entry]) -> tuple[Entry, ...]:
    order = sorted(entries, key=lambda e: (e.score, e.key))
    rank = {e.key: i + 1 for i, e in enumerate(order)}
    return tuple(Entry(**{**e.__dict__, "rank": rank[e.key]}) for e in entries)


def analyse(
    framework: Framework,
    results: Results,
    history: Sequence[Results] = (),
    crosswalk: Crosswalk | None = None,
) -> Analysis:
    mark = framework.pass_mark
    overall = results.overall.value
    item_entries: list[Entry] = []
    for code, score in results.items.items():
        placed_in = framework.item(code).indicator
        placed = placed_in is not None and results.indicators[placed_in].value is not None
        item_entries.append(
            Entry(
                key=code,
                indicator=placed_in,
                score=score,
                status=status_of(framework, score),
                gap_to_pass=max(0.0, mark - score),
                gap_to_full=max(0.0, 100.0 - score),
                gain_to_pass=_gain(framework, results, overall, items={code: max(score, mark)})
                if placed
                else None,
                gain_to_full=_gain(framework, results, overall, items={code: 100.0}) if placed else None,
            )
        )
    indicator_entries: list[Entry] = []
    for number in (ind.number for ind in framework.indicators):
        value = results.indicators[number].value
        if value is None:
            continue
        indicator_entries.append(
            Entry(
                key=f"ind{number}",
                indicator=number,
                score=value,
                status=status_of(framework, value),
                gap_to_pass=max(0.0, mark - value),
                gap_to_full=max(0.0, 100.0 - value),
                gain_to_pass=_gain(framework, results, overall, indicators={number: max(value, mark)}),
                gain_to_full=_gain(framework, results, overall, indicators={number: 100.0}),
            )
        )
    return Analysis(
        ita_year=results.ita_year,
        pass_mark=mark,
        items=_ranked(item_entries),
        indicators=_ranked(indicator_entries),
        trend=trend(results, history, crosswalk),
    )


def trend(
    results: Results, history: Sequence[Results], crosswalk: Crosswalk | None = None
) -> tuple[Change, ...]:
    """Year-by-year scores of the overall, tools, indicators, and items the cross-year map links."""
    earlier = sorted((h for h in history if h.ita_year < results.ita_year), key=lambda h: h.ita_year)
    if not earlier:
        return ()
    series = [*earlier, results]

    def change(key: str, values: list[tuple[int, float | None]]) -> Change:
        current = values[-1][1]
        previous = next((v for _, v in reversed(values[:-1]) if v is not None), None)
        delta = None if current is None or previous is None else current - previous
        return Change(key, tuple(values), delta)

    changes = [change("overall", [(r.ita_year, r.overall.value) for r in series])]
    for tool in ("IIT", "EIT", "OIT"):
        changes.append(
            change(tool, [(r.ita_year, r.tools[tool].value if tool in r.tools else None) for r in series])
        )
    for number in range(1, 11):
        values = [(r.ita_year, s.value if (s := r.indicators.get(number)) else None) for r in series]
        changes.append(change(f"ind{number}", values))
    if crosswalk is not None:
        for code in results.items:
            concept = crosswalk.concept_of(results.ita_year, code)
            if concept is None:
                continue
            values = []
            for r in series:
                member = concept.code_in(r.ita_year)
                values.append((r.ita_year, r.items.get(member.code) if member else None))
            if any(v is not None for _, v in values[:-1]):
                changes.append(change(code, values))
    return tuple(changes)
