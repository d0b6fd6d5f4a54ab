"""Counts per agency, year, tool, item and answer, checked against the year's rules.

The counts come from the one pass over individual answers (:mod:`prongsai.scoring.counting`);
everything here works on them, and they hold no respondent and no single answer. Every bad value
is reported once with its first row and how many rows have it (the file is read again for that,
on the error path only).
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
from prongsai.scoring.counting import Counts
from prongsai.scoring.rules import answer_keys, fold, item_key, scored_years, tool_of
from prongsai.scoring.source import Opened

COMBO = ["ita_year", "tool", "item", "answer"]


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
    for raw in counts.answers.get_column("ita_year").unique().cast(pl.String).to_list():
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
    if counts.missing_respondents:
        bad.append(
            _Bad("respondent", None, error("answers_empty_cell", Location(), column="respondent", count="0"))
        )
    return bad


def _code(
    framework: Framework,
    raw_tool: str,
    raw_item: str,
    raw_answer: str | None,
    seen: set[tuple[str, int, str]],
) -> tuple[tuple[int, str, float | None] | None, _Bad | None]:
    """One distinct (tool, item, answer) of a year -> (year, key, value), or why not (once per bad value)."""
    tool = tool_of(framework, raw_tool)
    if tool is None:
        if ("tool", framework.ita_year, raw_tool) in seen:
            return None, None
        seen.add(("tool", framework.ita_year, raw_tool))
        known = ", ".join(["IIT", "EIT", *(p.code for t in framework.tools for p in t.parts)])
        problem = error("answer_tool_unknown", Location(), value=raw_tool, known=known, count="0")
        return None, _Bad("tool", raw_tool, problem)
    code = item_key(raw_item)
    key = answer_keys(framework).get(code) if code else None
    if key is None:
        if ("item", framework.ita_year, raw_item) in seen:
            return None, None
        seen.add(("item", framework.ita_year, raw_item))
        problem = error("answer_item_unknown", Location(), value=raw_item, year=framework.ita_year, count="0")
        return None, _Bad("item", raw_item, problem)
    if key.tool != tool[:3]:
        problem = error(
            "answer_tool_mismatch", Location(), item=key.key, tool=tool, expected=key.tool, count="0"
        )
        return None, _Bad("item", raw_item, problem)
    value = None if raw_answer is None else key.values.get(fold(raw_answer))
    if raw_answer is not None and value is None:
        allowed = " / ".join(key.shown)
        problem = error(
            "answer_unknown", Location(), value=raw_answer, item=key.key, allowed=allowed, count="0"
        )
        return None, _Bad("answer", raw_answer, problem, item=raw_item)
    return (framework.ita_year, key.key, value), None


def _codes(counts: Counts, years: Mapping[str, int]) -> tuple[pl.DataFrame, list[_Bad]]:
    """Each distinct (year, tool, item, answer) with its year, key and value, or why not.

    The map keeps the columns' own types, so that the counts join it as they are; only the few
    distinct values are made text to be read by the rules. Blank answers are left out (rule S3).
    """
    frameworks = load_frameworks()
    bad: list[_Bad] = []
    seen: set[tuple[str, int, str]] = set()
    found: dict[str, list[object]] = {"year": [], "key": [], "value": []}
    distinct = counts.answers.select(COMBO).unique()
    for raw_year, raw_tool, raw_item, raw_answer in distinct.select(
        pl.col(c).cast(pl.String) for c in COMBO
    ).iter_rows():
        coded = None
        if raw_year in years and raw_tool is not None and raw_item is not None:
            coded, problem = _code(frameworks[years[raw_year]], raw_tool, raw_item, raw_answer, seen)
            bad += [problem] if problem else []
        for cells, cell in zip(found.values(), coded or (None, None, None), strict=True):
            cells.append(cell)
    mapping = distinct.with_columns(
        pl.Series("year", found["year"], dtype=pl.Int64),
        pl.Series("key", found["key"], dtype=pl.String),
        pl.Series("value", found["value"], dtype=pl.Float64),
    )
    return mapping.filter(pl.col("value").is_not_null()), bad


def checked(opened: Opened, counts: Counts) -> pl.DataFrame:
    """Counts with year, key and value: agency (as written), year, tool, key, value, n. Raises if bad."""
    years, bad = _years(counts)
    bad += _empty_cells(counts)
    mapping, found = _codes(counts, years)
    bad += found
    if bad:
        raise InputError(_locate(opened, bad))
    return counts.answers.join(mapping, on=COMBO, how="inner").select(
        "agency", "year", "tool", "key", "value", "n"
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
