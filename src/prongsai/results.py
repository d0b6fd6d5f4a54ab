"""One agency's results for one ITA year: given (official) figures plus what can be computed from them.

Given figures stay authoritative. Higher levels that are missing are computed from lower ones with
the rules in :mod:`prongsai.aggregate`; where a given figure differs from the computed one by more
than 0.01 the difference is reported as a warning naming both numbers, never silently fixed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from prongsai import aggregate
from prongsai.agency import Agency
from prongsai.aggregate import Derived
from prongsai.framework import Framework
from prongsai.problems import Location, Problem, label, warning

MISMATCH_TOLERANCE = 0.01


@dataclass(frozen=True)
class Given:
    """An official figure as read from the input, with where it was read."""

    value: float
    location: Location


@dataclass(frozen=True)
class GivenLevel:
    value: str
    location: Location


@dataclass(frozen=True)
class GivenScores:
    overall: Given | None = None
    level: GivenLevel | None = None
    tools: Mapping[str, Given] = field(default_factory=dict)
    parts: Mapping[str, Given] = field(default_factory=dict)
    indicators: Mapping[int, Given] = field(default_factory=dict)
    items: Mapping[str, Given] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.overall or self.level or self.tools or self.parts or self.indicators or self.items)


@dataclass(frozen=True)
class ResultsInput:
    """What an input file says about one agency-year, before anything is computed."""

    agency: Agency
    ita_year: int
    scores: GivenScores
    location: Location
    warnings: tuple[Problem, ...] = ()
    # Keys (i1, ind6, EIT, overall, level) whose given figure prongsai itself computed from raw answers
    # with an unconfirmed rule (the 'estimated' column of SCORES): they stay estimates from here on.
    estimated: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Score:
    """A score at some level: the given figure, the computed one, and the one to use."""

    given: float | None
    computed: float | None
    estimated: bool = False

    @property
    def value(self) -> float | None:
        return self.given if self.given is not None else self.computed

    @property
    def is_computed(self) -> bool:
        return self.given is None and self.computed is not None

    def derived(self) -> Derived | None:
        """The value to feed to the next level up, carrying the estimate flag when it was computed."""
        if self.given is not None:
            return Derived(self.given, False)
        if self.computed is not None:
            return Derived(self.computed, self.estimated)
        return None


@dataclass(frozen=True)
class LevelResult:
    given: str | None
    computed: str | None
    estimated: bool = False

    @property
    def value(self) -> str | None:
        return self.given if self.given is not None else self.computed


@dataclass(frozen=True)
class Results:
    agency: Agency
    ita_year: int
    items: Mapping[str, float]
    indicators: Mapping[int, Score]
    tools: Mapping[str, Score]
    parts: Mapping[str, float]
    overall: Score
    level: LevelResult
    warnings: tuple[Problem, ...]
    estimated_items: frozenset[str] = frozenset()  # item scores computed from answers by unconfirmed rules

    def _computed(self) -> list[tuple[str, bool]]:
        """Keys computed rather than given, each with whether it rests on an unconfirmed rule."""
        items = [(code, True) for code in self.items if code in self.estimated_items]
        scores = [(f"ind{n}", s) for n, s in sorted(self.indicators.items())]
        scores += [*self.tools.items(), ("overall", self.overall)]
        keys = [*items, *((key, s.estimated) for key, s in scores if s.is_computed)]
        if self.level.given is None and self.level.computed is not None:
            keys.append(("level", self.level.estimated))
        return keys

    def computed_keys(self) -> list[str]:
        return [key for key, _ in self._computed()]

    def estimated_keys(self) -> list[str]:
        return [key for key, estimated in self._computed() if estimated]

    def to_json(self) -> dict[str, Any]:
        def num(value: float | None) -> float | None:
            return None if value is None else round(value, 2)

        return {
            "agency": self.agency.to_json(),
            "ita_year": self.ita_year,
            "overall": num(self.overall.value),
            "level": self.level.value,
            "tools": {code: num(score.value) for code, score in self.tools.items()},
            "tool_parts": {code: num(value) for code, value in self.parts.items()},
            "indicators": {str(n): num(score.value) for n, score in sorted(self.indicators.items())},
            "items": {code: num(value) for code, value in self.items.items()},
            "computed": self.computed_keys(),
            "estimated": self.estimated_keys(),
            "warnings": [p.to_json() for p in self.warnings],
            "errors": [],
        }


def _mismatch(what_th: str, what_en: str, given: Given, computed: Derived) -> Problem | None:
    difference = abs(given.value - computed.value)
    if round(difference, 6) <= MISMATCH_TOLERANCE:
        return None
    return warning(
        "score_mismatch",
        given.location,
        what_th=what_th,
        what_en=what_en,
        given=f"{given.value:.2f}",
        computed=f"{computed.value:.2f}",
        difference=f"{difference:.2f}",
        estimated_th=label("estimated", "th") if computed.estimated else "",
        estimated_en=label("estimated", "en") if computed.estimated else "",
    )


def resolve(framework: Framework, source: ResultsInput) -> Results:
    """Fill in every level that can be computed and report where given and computed figures differ."""
    given = source.scores
    warnings: list[Problem] = list(source.warnings)
    items = {code: g.value for code, g in given.items.items()}

    indicators: dict[int, Score] = {}
    for indicator in framework.indicators:
        computed = aggregate.indicator_from_items(framework, indicator.number, items)
        official = given.indicators.get(indicator.number)
        if official is not None and computed is not None:
            problem = _mismatch(
                label("indicator", "th", number=indicator.number),
                label("indicator", "en", number=indicator.number),
                official,
                computed,
            )
            if problem:
                warnings.append(problem)
        below = any(item.code in source.estimated for item in framework.items_of(indicator.number))
        indicators[indicator.number] = _score(
            f"ind{indicator.number}", official, computed, source.estimated, below and computed is not None
        )

    derived_indicators = {n: d for n, s in indicators.items() if (d := s.derived()) is not None}
    tools: dict[str, Score] = {}
    for tool in framework.tools:
        computed = aggregate.tool_from_indicators(framework, tool.code, derived_indicators)
        official = given.tools.get(tool.code)
        if official is not None and computed is not None:
            problem = _mismatch(
                label("tool", "th", code=tool.code), label("tool", "en", code=tool.code), official, computed
            )
            if problem:
                warnings.append(problem)
        tools[tool.code] = _score(tool.code, official, computed, source.estimated)

    derived_tools = {code: d for code, s in tools.items() if (d := s.derived()) is not None}
    computed_overall = aggregate.overall_from_tools(framework, derived_tools)
    if given.overall is not None and computed_overall is not None:
        problem = _mismatch(label("overall", "th"), label("overall", "en"), given.overall, computed_overall)
        if problem:
            warnings.append(problem)
    overall = _score("overall", given.overall, computed_overall, source.estimated)

    decision = None
    if overall.value is not None:
        tool_values = {code: s.value for code, s in tools.items() if s.value is not None}
        decision = aggregate.level_for(framework, overall.value, tool_values)
        estimated_inputs = overall.is_computed and overall.estimated
        if decision is not None and estimated_inputs:
            decision = aggregate.LevelDecision(decision.name, True)
    given_level = given.level.value if given.level else None
    if given.level is not None and decision is not None and decision.name != given.level.value:
        warnings.append(
            warning(
                "level_mismatch",
                given.level.location,
                given=given.level.value,
                computed=decision.name,
                estimated_th=label("estimated", "th") if decision.estimated else "",
                estimated_en=label("estimated", "en") if decision.estimated else "",
            )
        )
    level = LevelResult(
        given_level, decision.name if decision else None, decision.estimated if decision else False
    )
    if given_level is not None and "level" in source.estimated:
        level = LevelResult(None, given_level, True)

    return Results(
        agency=source.agency,
        ita_year=source.ita_year,
        items=dict(sorted(items.items(), key=lambda kv: ("ieo".index(kv[0][0]), int(kv[0][1:])))),
        indicators=indicators,
        tools=tools,
        parts={code: g.value for code, g in given.parts.items()},
        overall=overall,
        level=level,
        warnings=tuple(warnings),
        estimated_items=frozenset(code for code in items if code in source.estimated),
    )


def _score(
    key: str, official: Given | None, computed: Derived | None, estimated: frozenset[str], below: bool = False
) -> Score:
    """A Score; a given figure listed as estimated counts as computed (by the scorer) and estimated."""
    if official is not None and key in estimated:
        return Score(None, official.value, True)
    return Score(
        official.value if official else None,
        computed.value if computed else None,
        (computed.estimated or below) if computed else False,
    )
