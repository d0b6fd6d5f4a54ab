"""The aggregation rules: item -> indicator -> tool -> overall -> level, as each year's data defines them.

Pure functions over plain mappings of scores. This is the only copy of these rules: the results
model, the analysis (gains, what-if) and the scoring of raw answers all call it. Each function says
whether its answer rests on a rule no source confirms (``estimated``). See docs/scoring.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from prongsai.framework import Aggregation, Framework


@dataclass(frozen=True)
class Derived:
    """A computed score and whether it rests on an unconfirmed rule or mapping."""

    value: float
    estimated: bool


@dataclass(frozen=True)
class LevelDecision:
    name: str
    estimated: bool


def combine(method: Aggregation, values: Sequence[float], weights: Sequence[float] | None = None) -> float:
    """Rule A1/A3: a plain mean, or a weighted mean whose weights add up to one."""
    if not values:
        raise ValueError("nothing to combine")
    if method.method == "mean":
        return sum(values) / len(values)
    if weights is None or len(weights) != len(values):
        raise ValueError("a weighted mean needs one weight per value")
    return sum(v * w for v, w in zip(values, weights, strict=True)) / sum(weights)


def indicator_from_items(framework: Framework, number: int, items: Mapping[str, float]) -> Derived | None:
    """Rule A1: an indicator is the mean of all its items; None unless every item is known."""
    members = framework.items_of(number)
    if not members or any(item.code not in items for item in members):
        return None
    tool = framework.indicator(number).tool
    rule = framework.indicator_from_items[tool]
    value = combine(rule, [items[item.code] for item in members])
    estimated = not rule.rule.confirmed or not all(item.indicator_confirmed for item in members)
    return Derived(value, estimated)


def tool_from_indicators(
    framework: Framework, tool: str, indicators: Mapping[int, Derived]
) -> Derived | None:
    """Rule A2: a tool is the mean of its indicators; None unless every indicator is known."""
    members = framework.indicators_of(tool)
    if any(ind.number not in indicators for ind in members):
        return None
    rule = framework.tool_from_indicators
    parts = [indicators[ind.number] for ind in members]
    value = combine(rule, [p.value for p in parts])
    return Derived(value, not rule.rule.confirmed or any(p.estimated for p in parts))


def overall_from_tools(framework: Framework, tools: Mapping[str, Derived]) -> Derived | None:
    """Rule A3: the overall score is the tools weighted by the year's weights (30/30/40)."""
    if any(tool.code not in tools for tool in framework.tools):
        return None
    rule = framework.overall_from_tools
    parts = [tools[tool.code] for tool in framework.tools]
    value = combine(rule, [p.value for p in parts], [tool.weight for tool in framework.tools])
    estimated = (
        not rule.rule.confirmed or not framework.weights_rule.confirmed or any(p.estimated for p in parts)
    )
    return Derived(value, estimated)


def level_for(framework: Framework, overall: float, tools: Mapping[str, float]) -> LevelDecision | None:
    """Rule L1-L3: the first level, best first, whose conditions all hold.

    Scores are compared as published, rounded to two decimals. A level with a tool condition
    cannot be decided while a tool score is missing (None is returned). The decision is an
    estimate when the chosen level, or any better level it was preferred to, is unconfirmed.
    """
    published_overall = round(overall, 2)
    published_tools = {code: round(value, 2) for code, value in tools.items()}
    for index, level in enumerate(framework.levels):
        if published_overall < level.min_overall:
            continue
        if level.min_each_tool is not None:
            if any(tool.code not in published_tools for tool in framework.tools):
                return None
            if any(published_tools[tool.code] < level.min_each_tool for tool in framework.tools):
                continue
        estimated = any(not lv.rule.confirmed for lv in framework.levels[: index + 1])
        return LevelDecision(level.name, estimated)
    return None


def status_of(framework: Framework, score: float) -> str:
    """Below the pass mark, passed but not full, or full (rule P1)."""
    published = round(score, 2)
    if published < framework.pass_mark:
        return "below"
    return "full" if published >= 100 else "pass"
