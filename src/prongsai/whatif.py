"""What-if projections: new indicator, tool, overall scores and level if some scores change.

Official figures stay the base. A change moves each level above it by exactly what the year's
aggregation rule (``prongsai.aggregate``, the only copy of the rules) says the change is worth:
``new = official + (rule(after) - rule(before))``. For the linear rules ITA uses this is exact
even where an official figure differs from the plain computation (seed 002's indicator 9), and
it needs only the changed item's indicator to be known, not every other item.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from prongsai import aggregate
from prongsai.aggregate import Derived, LevelDecision
from prongsai.framework import Framework
from prongsai.results import Results

_FILL = 0.0  # stands in for unknown items on both sides of a difference; cancels out for linear rules


@dataclass(frozen=True)
class Projection:
    indicators: Mapping[int, float | None]
    tools: Mapping[str, float | None]
    overall: float | None
    level: LevelDecision | None
    estimated: bool


def _clamp(value: float) -> float:
    return min(100.0, max(0.0, value))


def _indicator_delta(
    framework: Framework, number: int, before: Mapping[str, float], after: Mapping[str, float]
) -> float:
    members = [item.code for item in framework.items_of(number)]
    old = {code: before.get(code, _FILL) for code in members}
    new = {code: after.get(code, old[code]) for code in members}
    a = aggregate.indicator_from_items(framework, number, old)
    b = aggregate.indicator_from_items(framework, number, new)
    assert a is not None and b is not None  # every member is filled in
    return b.value - a.value


def project(
    framework: Framework,
    results: Results,
    items: Mapping[str, float] | None = None,
    indicators: Mapping[int, float] | None = None,
) -> Projection:
    """Scores after setting some items and/or indicators; None where the base is unknown."""
    items = dict(items or {})
    set_indicators = dict(indicators or {})
    estimated = False

    new_indicators: dict[int, float | None] = {}
    for indicator in framework.indicators:
        number = indicator.number
        base = results.indicators[number].value
        if number in set_indicators:
            new_indicators[number] = set_indicators[number]
            continue
        changed = [code for code in items if framework.item(code).indicator == number]
        if not changed or base is None:
            new_indicators[number] = base
            continue
        delta = _indicator_delta(framework, number, results.items, {c: items[c] for c in changed})
        rule_confirmed = framework.indicator_from_items[indicator.tool].rule.confirmed
        estimated |= not rule_confirmed or not all(framework.item(c).indicator_confirmed for c in changed)
        new_indicators[number] = _clamp(base + delta)

    new_tools: dict[str, float | None] = {}
    for tool in framework.tools:
        base = results.tools[tool.code].value
        members = framework.indicators_of(tool.code)
        before = {i.number: results.indicators[i.number].value for i in members}
        after = {i.number: new_indicators[i.number] for i in members}
        if before == after:
            new_tools[tool.code] = base
            continue
        if base is None or any(v is None for v in [*before.values(), *after.values()]):
            new_tools[tool.code] = None
            continue
        old = aggregate.tool_from_indicators(
            framework, tool.code, {n: Derived(v or 0.0, False) for n, v in before.items()}
        )
        new = aggregate.tool_from_indicators(
            framework, tool.code, {n: Derived(v or 0.0, False) for n, v in after.items()}
        )
        assert old is not None and new is not None
        estimated |= new.estimated
        new_tools[tool.code] = _clamp(base + new.value - old.value)

    overall = results.overall.value
    before_tools = {code: results.tools[code].value for code in new_tools}
    if overall is not None and before_tools != new_tools:
        if any(v is None for v in [*before_tools.values(), *new_tools.values()]):
            overall = None
        else:
            old_o = aggregate.overall_from_tools(
                framework, {c: Derived(v or 0.0, False) for c, v in before_tools.items()}
            )
            new_o = aggregate.overall_from_tools(
                framework, {c: Derived(v or 0.0, False) for c, v in new_tools.items()}
            )
            assert old_o is not None and new_o is not None
            estimated |= new_o.estimated
            overall = _clamp(overall + new_o.value - old_o.value)

    level = None
    if overall is not None:
        level = aggregate.level_for(framework, overall, {c: v for c, v in new_tools.items() if v is not None})
    return Projection(new_indicators, new_tools, overall, level, estimated)
