"""Answers -> counts per agency, year, tool, item and answer; checked against the year's rules.

The only pass over individual answers is one streaming group-by (plus a count of distinct
respondents). Everything after works on the counts, which hold no respondent and no single answer.
Every bad value is reported once with its first row and how many rows have it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from prongsai.errors import InputError
from prongsai.framework import Framework, load_frameworks
from prongsai.ingest.record import parse_year
from prongsai.problems import Location, Problem, error
from prongsai.scoring.rules import answer_keys, fold, item_key, scored_years, tool_of
from prongsai.scoring.source import Opened

KEYS = ("agency", "ita_year", "tool", "item", "answer")


@dataclass(frozen=True)
class Counts:
    """Aggregates only: answers counted per value, and distinct respondents per agency-year-tool."""

    answers: pl.DataFrame  # agency, ita_year, tool, item, answer (as written, text), n
    respondents: pl.DataFrame  # agency, ita_year, tool, respondents, no_respondent


def count(opened: Opened) -> Counts:
    frame = opened.frame
    answers = frame.group_by(KEYS).agg(pl.len().alias("n"))
    respondents = frame.group_by(["agency", "ita_year", "tool"]).agg(
        pl.col("respondent").n_unique().alias("respondents"),
        pl.col("respondent").null_count().alias("no_respondent"),
    )
    try:
        done = pl.collect_all([answers, respondents], engine="streaming")
    except pl.exceptions.PolarsError as exc:
        raise InputError(
            [error("file_unreadable", opened.location, detail=str(exc).splitlines()[0])]
        ) from exc
    text = [pl.col(c).cast(pl.String) for c in KEYS]
    return Counts(
        done[0].with_columns(text),
        done[1].with_columns(pl.col(c).cast(pl.String) for c in ("agency", "ita_year", "tool")),
    )


@dataclass(frozen=True)
class _Bad:
    column: str
    raw: str | None
    problem: Problem  # location filled in by _locate
    item: str | None = None  # for a bad answer: only rows of this item (as written)


def _locate(opened: Opened, bad: list[_Bad]) -> list[Problem]:
    """Give each problem the first row where its value occurs and how many rows have it (error path only)."""
    problems: list[Problem] = []
    indexed = opened.frame.with_row_index("_row")
    for item in bad:
        value = pl.col(item.column).cast(pl.String)
        condition = value.is_null() if item.raw is None else value == item.raw
        if item.item is not None:
            condition = condition & (pl.col("item").cast(pl.String) == item.item)
        found = (
            indexed.filter(condition)
            .select(pl.col("_row").min().alias("first"), pl.len().alias("rows"))
            .collect(engine="streaming")
        )
        first, rows = found.row(0)
        location = opened.location.with_(
            row=None if first is None else first + opened.header_rows, column=item.column
        )
        params = {**item.problem.params, "count": str(rows)}
        problems.append(dataclasses.replace(item.problem, location=location, params=params))
    return problems


def _years(counts: Counts) -> tuple[dict[str, int], list[_Bad]]:
    bad: list[_Bad] = []
    years: dict[str, int] = {}
    frameworks = load_frameworks()
    for raw in counts.answers.get_column("ita_year").unique().to_list():
        if raw is None:
            bad.append(
                _Bad("ita_year", None, error("answers_empty_cell", Location(), column="ita_year", count="0"))
            )
            continue
        year, problems = parse_year(raw, Location())
        bad += [_Bad("ita_year", raw, p) for p in problems]
        if year is None:
            continue
        if frameworks[year].scoring is None:
            shown = ", ".join(str(y) for y in scored_years())
            bad.append(
                _Bad("ita_year", raw, error("year_no_scoring_rules", Location(), year=year, years=shown))
            )
            continue
        years[raw] = year
    return years, bad


def _empty_cells(counts: Counts) -> list[_Bad]:
    bad = []
    for column in ("agency", "tool", "item"):
        if counts.answers.get_column(column).null_count():
            bad.append(_Bad(column, None, error("answers_empty_cell", Location(), column=column, count="0")))
    if counts.respondents.get_column("no_respondent").sum():
        bad.append(
            _Bad("respondent", None, error("answers_empty_cell", Location(), column="respondent", count="0"))
        )
    return bad


def _codes(counts: Counts, years: Mapping[str, int]) -> tuple[pl.DataFrame, list[_Bad]]:
    """Map each distinct (year, tool, item, answer) to its tool, key and value, or say why not."""
    frameworks = load_frameworks()
    bad: list[_Bad] = []
    rows: dict[str, list[object]] = {
        k: [] for k in ("ita_year", "tool", "item", "answer", "year", "key", "value")
    }
    distinct = counts.answers.select("ita_year", "tool", "item", "answer").unique()
    seen_tools: set[tuple[int, str]] = set()
    seen_items: set[tuple[int, str]] = set()
    for raw_year, raw_tool, raw_item, raw_answer in distinct.iter_rows():
        if raw_year not in years or raw_tool is None or raw_item is None:
            continue
        framework: Framework = frameworks[years[raw_year]]
        tool = tool_of(framework, raw_tool)
        if tool is None:
            if (framework.ita_year, raw_tool) not in seen_tools:
                seen_tools.add((framework.ita_year, raw_tool))
                known = ", ".join(["IIT", "EIT", *(p.code for t in framework.tools for p in t.parts)])
                problem = error("answer_tool_unknown", Location(), value=raw_tool, known=known, count="0")
                bad.append(_Bad("tool", raw_tool, problem))
            continue
        code = item_key(raw_item)
        key = answer_keys(framework).get(code) if code else None
        if key is None:
            if (framework.ita_year, raw_item) not in seen_items:
                seen_items.add((framework.ita_year, raw_item))
                problem = error(
                    "answer_item_unknown", Location(), value=raw_item, year=framework.ita_year, count="0"
                )
                bad.append(_Bad("item", raw_item, problem))
            continue
        if key.tool != tool[:3]:
            problem = error(
                "answer_tool_mismatch", Location(), item=key.key, tool=tool, expected=key.tool, count="0"
            )
            bad.append(_Bad("item", raw_item, problem))
            continue
        value = None if raw_answer is None else key.values.get(fold(raw_answer))
        if raw_answer is not None and value is None:
            problem = error(
                "answer_unknown",
                Location(),
                value=raw_answer,
                item=key.key,
                allowed=" / ".join(key.shown),
                count="0",
            )
            bad.append(_Bad("answer", raw_answer, problem, item=raw_item))
            continue
        for name, cell in zip(
            rows, (raw_year, raw_tool, raw_item, raw_answer, framework.ita_year, key.key, value), strict=True
        ):
            rows[name].append(cell)
    schema = {
        "ita_year": pl.String,
        "tool": pl.String,
        "item": pl.String,
        "answer": pl.String,
        "year": pl.Int64,
        "key": pl.String,
        "value": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema), bad


def checked(opened: Opened, counts: Counts) -> pl.DataFrame:
    """Counts with year, key and value attached: agency, year, tool, key, value, n. Raises on bad input."""
    years, bad = _years(counts)
    bad += _empty_cells(counts)
    mapping, found = _codes(counts, years)
    bad += found
    if bad:
        raise InputError(_locate(opened, bad))
    return (
        counts.answers.join(mapping, on=["ita_year", "tool", "item", "answer"], how="inner", nulls_equal=True)
        .filter(pl.col("value").is_not_null())
        .select("agency", "year", "tool", "key", "value", "n")
    )


def respondents(counts: Counts) -> pl.DataFrame:
    """Distinct respondents per agency, year and tool as written (IIT, EIT or an EIT part)."""
    frameworks = load_frameworks()
    years, _ = _years(counts)
    tools = {
        (raw_year, raw_tool): tool_of(frameworks[year], raw_tool)
        for raw_year, year in years.items()
        for raw_tool in counts.respondents.get_column("tool").unique().to_list()
        if raw_tool is not None
    }
    table = pl.DataFrame(
        {
            "ita_year": [k[0] for k in tools],
            "tool": [k[1] for k in tools],
            "year": [years[k[0]] for k in tools],
            "tool_code": list(tools.values()),
        },
        schema={"ita_year": pl.String, "tool": pl.String, "year": pl.Int64, "tool_code": pl.String},
    )
    return (
        counts.respondents.join(table, on=["ita_year", "tool"])
        .group_by("agency", "year", "tool_code")
        .agg(pl.col("respondents").sum())
    )
