"""Score a national set of answers (and an OIT checklist) into one row per agency-year.

Steps: count answers per value in one streaming pass (answers.count), check every distinct value
against the year's rules (answers.checked), turn counts into item scores (rules S1-S5), add the
checklist (S6), roll up (rollup.roll_up), then withhold small items (S9) and flag estimates (S8).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from prongsai.agency import infer_type
from prongsai.framework import load_frameworks
from prongsai.problems import Location, Problem, warning
from prongsai.scoring import answers as answer_counts
from prongsai.scoring.oit import oit_items
from prongsai.scoring.rollup import estimated_keys, roll_up
from prongsai.scoring.rules import PRIVACY_MIN_RESPONDENTS, answer_keys
from prongsai.scoring.source import ANSWER_COLUMNS, CHECKLIST_COLUMNS, open_table

Progress = Callable[[str], None]
GROUP = ["agency", "year"]


@dataclass(frozen=True)
class Scored:
    table: pl.DataFrame  # one row per agency-year, see docs/results-format.md "Wide form"
    warnings: list[Problem]


def survey_items(checked: pl.DataFrame) -> pl.DataFrame:
    """Rules S1-S4: value counts -> item scores (agency, year, item, score, n) from aggregates only."""
    years = checked.get_column("year").unique().to_list()
    parents = pl.DataFrame(
        [
            (year, key.key, key.item, key.siblings)
            for year in years
            for key in answer_keys(load_frameworks()[year]).values()
        ],
        schema={"year": pl.Int64, "key": pl.String, "item": pl.String, "size": pl.Int64},
        orient="row",
    )
    keys = (
        checked.group_by([*GROUP, "key"])
        .agg(((pl.col("value") * pl.col("n")).sum() / pl.col("n").sum()).alias("score"), pl.col("n").sum())
        .join(parents, on=["year", "key"])
    )
    return (
        keys.group_by([*GROUP, "item"])
        .agg(pl.col("score").mean(), pl.col("n").min(), pl.len().alias("count"), pl.col("size").first())
        .filter(pl.col("count") == pl.col("size"))
        .drop("count", "size")
    )


def _respondent_columns(respondents: pl.DataFrame) -> pl.DataFrame:
    """respondents_IIT, respondents_EIT (all parts together) and one column per EIT part."""
    totals = respondents.with_columns(pl.col("tool_code").str.slice(0, 3).alias("tool_code"))
    both = pl.concat([totals, respondents.filter(pl.col("tool_code").str.len_chars() > 3)])
    wide = (
        both.group_by([*GROUP, "tool_code"])
        .agg(pl.col("respondents").sum())
        .with_columns(pl.format("respondents_{}", "tool_code").alias("tool_code"))
        .pivot("tool_code", index=GROUP, values="respondents")
    )
    order = sorted(
        (c for c in wide.columns if c.startswith("respondents_")), key=lambda c: (len(c), c[-4:] != "_IIT", c)
    )
    return wide.select(*GROUP, *order)


def _sample_warnings(table: pl.DataFrame) -> tuple[pl.Series, list[Problem]]:
    """Rule S7: a warning per agency-year and tool below the year's known minimum sample."""
    notes: list[str | None] = []
    problems: list[Problem] = []
    for row in table.iter_rows(named=True):
        framework = load_frameworks()[row["year"]]
        found = []
        for minimum in framework.scoring.minimum_samples if framework.scoring else ():
            count = row.get(f"respondents_{minimum.tool}")
            if count is None or (minimum.agency_type and minimum.agency_type != row["agency_type"]):
                continue
            if count < minimum.minimum:
                found.append(f"{minimum.tool} {count}<{minimum.minimum}")
                problems.append(
                    warning(
                        "sample_below_minimum",
                        Location(field=f"{row['agency']} {row['year']}"),
                        tool=minimum.tool,
                        count=count,
                        minimum=minimum.minimum,
                        agency_type=row["agency_type"],
                    )
                )
        notes.append("; ".join(found) or None)
    return pl.Series("below_minimum", notes, dtype=pl.String), problems


def _flags(table: pl.DataFrame, item_n: pl.DataFrame) -> pl.DataFrame:
    """Rules S8-S9: withhold items answered by fewer than five people; list the estimated figures."""
    small = item_n.filter(pl.col("n") < PRIVACY_MIN_RESPONDENTS)
    listed = (
        small.sort(pl.col("item").str.head(1), pl.col("item").str.slice(1).cast(pl.Int64))
        .group_by(GROUP, maintain_order=True)
        .agg(pl.col("item").str.join(" ").alias("withheld"))
    )
    hidden = small.with_columns(pl.format("_hide_{}", "item").alias("key"), pl.lit(True).alias("hide"))
    table = table.join(listed, on=GROUP, how="left")
    if hidden.height:
        mask = hidden.pivot("key", index=GROUP, values="hide")
        table = table.join(mask, on=GROUP, how="left")
        codes = [c.removeprefix("_hide_") for c in mask.columns if c.startswith("_hide_")]
        table = table.with_columns(
            pl.when(pl.col(f"_hide_{code}")).then(None).otherwise(pl.col(code)).alias(code) for code in codes
        ).drop(f"_hide_{code}" for code in codes)
    parts = []
    for name in [c for c in table.columns if c in _score_keys(table)]:
        years = [
            y
            for y in table.get_column("year").unique().to_list()
            if estimated_keys(load_frameworks()[y]).get(name)
        ]
        parts.append(pl.when(pl.col(name).is_not_null() & pl.col("year").is_in(years)).then(pl.lit(name)))
    levels = []
    for year in table.get_column("year").unique().to_list():
        for key, flag in estimated_keys(load_frameworks()[year]).items():
            if flag and key.startswith("level:"):
                levels.append((year, key.removeprefix("level:")))
    level_flag = pl.lit(False)
    for year, name in levels:
        level_flag = level_flag | ((pl.col("year") == year) & (pl.col("level") == name))
    parts.append(pl.when(level_flag).then(pl.lit("level")))
    return table.with_columns(pl.concat_str(parts, separator=" ", ignore_nulls=True).alias("estimated"))


def _score_keys(table: pl.DataFrame) -> set[str]:
    keys = {"overall", "IIT", "EIT", "OIT", *(f"ind{n}" for n in range(1, 11))}
    return keys | {c for c in table.columns if c[:1] in ("i", "e", "o") and c[1:].isdigit()}


def score_files(answers: Path, checklist: Path | None, progress: Progress = lambda _: None) -> Scored:
    """Score an answers file (and a checklist); every problem of the input is raised at once."""
    opened = open_table(answers, ANSWER_COLUMNS)
    oit = oit_items(open_table(checklist, CHECKLIST_COLUMNS)) if checklist else None
    progress("count")
    counts = answer_counts.count(opened)
    progress("check")
    checked = answer_counts.checked(opened, counts)
    respondents = answer_counts.respondents(counts)
    progress("score")
    survey = survey_items(checked.with_columns(pl.col("agency").str.strip_chars()))
    items = survey.drop("n")
    if oit is not None:
        items = pl.concat([items, oit])
    table = roll_up(items)
    table = table.join(
        _respondent_columns(respondents.with_columns(pl.col("agency").str.strip_chars())),
        on=GROUP,
        how="left",
    )
    types = {name: infer_type(name) for name in table.get_column("agency").to_list()}
    table = table.with_columns(
        pl.col("agency").replace_strict(types, return_dtype=pl.String).alias("agency_type")
    )
    below, problems = _sample_warnings(table)
    table = _flags(table.with_columns(below), survey.select(*GROUP, "item", "n"))
    progress("write")
    return Scored(_ordered(table), problems)


def _ordered(table: pl.DataFrame) -> pl.DataFrame:
    """Columns in reading order; rows by year then agency."""
    frameworks = load_frameworks()
    items: list[str] = []
    for year in sorted(table.get_column("year").unique().to_list()):
        items += [i.code for i in frameworks[year].items if i.code in table.columns and i.code not in items]
    items.sort(key=lambda code: ("ieo".index(code[0]), int(code[1:])))
    respondents = [c for c in table.columns if c.startswith("respondents_")]
    head = ["agency", "agency_type", "year", "overall", "level", "IIT", "EIT", "OIT"]
    indicators = [f"ind{n}" for n in range(1, 11)]
    tail = [*respondents, "estimated", "withheld", "below_minimum"]
    return (
        table.select(*head, *indicators, *items, *tail)
        .rename({"year": "ita_year"})
        .sort("ita_year", "agency")
    )
