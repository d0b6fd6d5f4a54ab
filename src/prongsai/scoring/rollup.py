"""Item scores -> indicators, tools, overall and level for every agency-year at once (rules A1-A3, L1-L4).

The same rules as :mod:`prongsai.aggregate`, vectorised: every parameter (which items make an
indicator, the weights, the levels) is read from the framework objects, and the level is decided
by :func:`prongsai.aggregate.level_for` itself. tests/scoring/test_rollup.py shows the results equal
:func:`prongsai.results.resolve` on random data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

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


def _tables(years: Iterable[int]) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Members of each indicator and tool, with how many there must be, and the tool weights."""
    item_rows: list[tuple[int, str, int, int]] = []
    indicator_rows: list[tuple[int, int, str, int]] = []
    weight_rows: list[tuple[int, str, float]] = []
    for year in years:
        framework = load_frameworks()[year]
        _check_methods(framework)
        for indicator in framework.indicators:
            members = framework.items_of(indicator.number)
            item_rows += [(year, item.code, indicator.number, len(members)) for item in members]
            tool_size = len(framework.indicators_of(indicator.tool))
            indicator_rows.append((year, indicator.number, indicator.tool, tool_size))
        weight_rows += [(year, tool.code, tool.weight) for tool in framework.tools]
    items = pl.DataFrame(
        item_rows,
        schema={"year": pl.Int64, "item": pl.String, "indicator": pl.Int64, "size": pl.Int64},
        orient="row",
    )
    indicators = pl.DataFrame(
        indicator_rows,
        schema={"year": pl.Int64, "indicator": pl.Int64, "tool": pl.String, "size": pl.Int64},
        orient="row",
    )
    weights = pl.DataFrame(
        weight_rows, schema={"year": pl.Int64, "tool": pl.String, "weight": pl.Float64}, orient="row"
    )
    return items, indicators, weights


def roll_up(items: pl.DataFrame) -> pl.DataFrame:
    """items (agency, year, item, score) -> one row per agency-year: overall, level, tools, indicators.

    An indicator is the mean of its items when every one is known (A1); a tool the mean of its
    indicators when all are known (A2); the overall score the weighted mean of the three tools (A3).
    """
    years = sorted(items.get_column("year").unique().to_list())
    members, indicator_table, weights = _tables(years)
    indicators = (
        items.join(members, on=["year", "item"])
        .group_by([*GROUP, "indicator"])
        .agg(pl.col("score").mean(), pl.len().alias("count"), pl.col("size").first())
        .filter(pl.col("count") == pl.col("size"))
        .drop("count", "size")
    )
    tools = (
        indicators.join(indicator_table, on=["year", "indicator"])
        .group_by([*GROUP, "tool"])
        .agg(pl.col("score").mean(), pl.len().alias("count"), pl.col("size").first())
        .filter(pl.col("count") == pl.col("size"))
        .drop("count", "size")
    )
    overall = (
        tools.join(weights, on=["year", "tool"])
        .group_by(GROUP)
        .agg(
            ((pl.col("score") * pl.col("weight")).sum() / pl.col("weight").sum()).alias("overall"),
            pl.len().alias("count"),
        )
        .filter(pl.col("count") == len(TOOL_CODES))
        .drop("count")
    )
    wide_indicators = indicators.with_columns(pl.format("ind{}", "indicator").alias("key")).pivot(
        "key", index=GROUP, values="score"
    )
    wide_tools = tools.pivot("tool", index=GROUP, values="score")
    wide_items = items.pivot("item", index=GROUP, values="score")
    table = (
        items.select(GROUP)
        .unique()
        .join(overall, on=GROUP, how="left")
        .join(wide_tools, on=GROUP, how="left")
        .join(wide_indicators, on=GROUP, how="left")
        .join(wide_items, on=GROUP, how="left")
    )
    for name in (*TOOL_CODES, *(f"ind{n}" for n in range(1, 11))):
        if name not in table.columns:
            table = table.with_columns(pl.lit(None, dtype=pl.Float64).alias(name))
    return table.with_columns(_levels(table))


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
