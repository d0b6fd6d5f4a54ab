"""Item scores -> indicators, tools, overall and level for every agency-year at once (rules A1-A3, L1-L4).

The same rules as :mod:`prongsai.aggregate`, vectorised: every parameter (which items make an
indicator, the weights, the levels) is read from the framework objects, and the level is decided
by :func:`prongsai.aggregate.level_for` itself. tests/scoring/test_engine.py shows the results equal
:func:`prongsai.results.resolve` on random data.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from functools import cache, reduce

import polars as pl

from prongsai import aggregate
from prongsai.aggregate import Derived
from prongsai.errors import DataFileError
from prongsai.framework import TOOL_CODES, Framework, load_frameworks
from prongsai.scoring.rules import item_estimated

GROUP = ["agency", "year"]


def _check_methods(framework: Framework) -> None:
    methods = [agg.method for agg in framework.indicator_from_items.values()]
    methods.append(framework.tool_from_indicators.method)
    if any(method != "mean" for method in methods) or framework.overall_from_tools.method != "weighted_mean":
        raise DataFileError(
            f"frameworks/ita-{framework.ita_year}.yaml",
            ["the vectorised roll-up supports mean (items, indicators) and weighted_mean (tools) only"],
        )


def _all_known(columns: Sequence[pl.Expr]) -> pl.Expr:
    return pl.all_horizontal([column.is_not_null() for column in columns])


def _mean(columns: Sequence[pl.Expr]) -> pl.Expr:
    """aggregate.combine's mean: the same float, bit for bit (see _sum)."""
    count = pl.sum_horizontal([column.is_not_null() for column in columns]).cast(pl.Float64)
    return pl.when(_all_known(columns)).then(_sum(columns) / count)


def _sum(columns: Sequence[pl.Expr]) -> pl.Expr:
    """Added left to right as Python's sum() does (sum_horizontal may add in another order), to be
    divided by a column, not a constant (Polars divides by a constant as a product with its inverse)."""
    return reduce(operator.add, columns)


def _per_year(by_year: Mapping[int, pl.Expr], name: str) -> pl.Expr:
    """Each row by its own year's rule."""
    expr = pl.lit(None, dtype=pl.Float64)
    for year, value in by_year.items():
        expr = pl.when(pl.col("year") == year).then(value).otherwise(expr)
    return expr.alias(name)


def _indicators(framework: Framework, columns: Sequence[str]) -> dict[str, pl.Expr]:
    """Rule A1: each indicator the mean of its items, when every one is known."""
    found: dict[str, pl.Expr] = {}
    for indicator in framework.indicators:
        members = [item.code for item in framework.items_of(indicator.number)]
        known = bool(members) and all(code in columns for code in members)
        found[f"ind{indicator.number}"] = (
            _mean([pl.col(code) for code in members]) if known else pl.lit(None, dtype=pl.Float64)
        )
    return found


def _tools(framework: Framework) -> dict[str, pl.Expr]:
    """Rule A2: each tool the mean of its indicators, when all are known."""
    return {
        tool.code: _mean([pl.col(f"ind{ind.number}") for ind in framework.indicators_of(tool.code)])
        for tool in framework.tools
    }


def _overall(framework: Framework) -> pl.Expr:
    """Rule A3: the tools weighted by the year's weights, when all three are known."""
    tools = [pl.col(tool.code) for tool in framework.tools]
    weights = [tool.weight for tool in framework.tools]
    weighted = _sum([column * weight for column, weight in zip(tools, weights, strict=True)])
    return pl.when(_all_known(tools)).then(weighted / pl.col("_weights"))


def roll_up(items: pl.DataFrame) -> pl.DataFrame:
    """items (agency, year, item, score) -> one row per agency-year: overall, level, tools, indicators.

    An indicator is the mean of its items when every one is known (A1); a tool the mean of its
    indicators when all are known (A2); the overall score the weighted mean of the three tools (A3).
    Worked across the wide table (one row per agency-year), in the order of aggregate.combine.
    """
    frameworks = {year: load_frameworks()[year] for year in items.get_column("year").unique().sort()}
    for framework in frameworks.values():
        _check_methods(framework)
    table = items.pivot("item", index=GROUP, values="score")
    stages: list[Mapping[str, Mapping[int, pl.Expr]]] = [
        _by_name({year: _indicators(fw, table.columns) for year, fw in frameworks.items()}),
        _by_name({year: _tools(fw) for year, fw in frameworks.items()}),
        {"overall": {year: _overall(fw) for year, fw in frameworks.items()}},
    ]
    weights = {year: sum(tool.weight for tool in fw.tools) for year, fw in frameworks.items()}
    table = table.with_columns(
        pl.col("year").replace_strict(weights, return_dtype=pl.Float64).alias("_weights")
    )
    for stage in stages:
        table = table.with_columns(_per_year(by_year, name) for name, by_year in stage.items())
    table = table.drop("_weights")
    for name in (*TOOL_CODES, *(f"ind{n}" for n in range(1, 11))):
        if name not in table.columns:
            table = table.with_columns(pl.lit(None, dtype=pl.Float64).alias(name))
    return table.with_columns(_levels(table))


def _by_name(by_year: Mapping[int, Mapping[str, pl.Expr]]) -> dict[str, dict[int, pl.Expr]]:
    names: dict[str, dict[int, pl.Expr]] = {}
    for year, exprs in by_year.items():
        for name, expr in exprs.items():
            names.setdefault(name, {})[year] = expr
    return names


def _levels(table: pl.DataFrame) -> pl.Series:
    """Rule L1-L4 by aggregate.level_for itself: one call per agency-year is fast enough (8,300 rows)."""
    frameworks = load_frameworks()
    names: list[str | None] = []
    columns = [table.get_column(c).to_list() for c in ("year", "overall", *TOOL_CODES)]
    for year, overall, *tools in zip(*columns, strict=True):
        if overall is None:
            names.append(None)
            continue
        known = {code: value for code, value in zip(TOOL_CODES, tools, strict=True) if value is not None}
        decision = aggregate.level_for(frameworks[year], overall, known)
        names.append(decision.name if decision else None)
    return pl.Series("level", names, dtype=pl.String)


@cache
def estimated_keys(framework: Framework) -> Mapping[str, bool]:
    """Rule S8: which computed figures of this year rest on an unconfirmed rule, item by item upward.

    Found with the aggregate functions themselves, on every item present; a figure that is
    computed at all had every item below it present, so its flag is the same as here.
    """
    flags: dict[str, bool] = {item.code: item_estimated(framework, item.code) for item in framework.items}
    items = {code: 0.0 for code in flags}
    indicators: dict[int, Derived] = {}
    for indicator in framework.indicators:
        derived = aggregate.indicator_from_items(framework, indicator.number, items)
        if derived is None:
            continue
        below = any(flags[item.code] for item in framework.items_of(indicator.number))
        indicators[indicator.number] = Derived(derived.value, derived.estimated or below)
        flags[f"ind{indicator.number}"] = derived.estimated or below
    tools: dict[str, Derived] = {}
    for tool in framework.tools:
        derived = aggregate.tool_from_indicators(framework, tool.code, indicators)
        if derived is not None:
            tools[tool.code] = derived
            flags[tool.code] = derived.estimated
    overall = aggregate.overall_from_tools(framework, tools)
    if overall is not None:
        flags["overall"] = overall.estimated
    for level in framework.levels:  # a score that lands exactly on each level, decided by level_for
        marks = {tool.code: level.min_each_tool or 0.0 for tool in framework.tools}
        decision = aggregate.level_for(framework, level.min_overall, marks)
        unconfirmed = decision is None or decision.name != level.name or decision.estimated
        flags[f"level:{level.name}"] = unconfirmed or bool(overall and overall.estimated)
    return flags
