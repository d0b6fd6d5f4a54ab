"""Score a national set of answers (and an OIT checklist) into one row per agency-year.

Steps: count answers per value and respondents per tool in one streaming pass (counting.count;
meanwhile this thread reads the checklist and the rule and message tables), check every distinct
value against the year's rules (answers.checked), turn counts into item scores (rules S1-S5), add
the checklist (S6), roll up (rollup.roll_up), then withhold small items (S9) and flag estimates
(S8). The roll-up adds in a fixed order, so with whole-number answer values (every year so far)
the result is the same to the last bit on every run.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from prongsai.agency import agency_types, infer_type
from prongsai.errors import InputError
from prongsai.framework import load_frameworks
from prongsai.loader.limits import LIMITS
from prongsai.loader.text import max_length_problem, value_problem
from prongsai.problems import Location, Problem, messages, warning
from prongsai.scoring import answers as answer_counts
from prongsai.scoring.counting import count
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
    """Rules S1-S4: value counts -> item scores (agency, year, item, score, n) from aggregates only.

    Added up first per agency as written (in the file's own type), then per name without its outer
    spaces: names are made text once per agency and key, not once per count.
    """
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
        .agg((pl.col("value") * pl.col("n")).sum().alias("total"), pl.col("n").sum())
        .with_columns(pl.col("agency").cast(pl.String).str.strip_chars())
        .group_by([*GROUP, "key"])
        .agg(pl.col("total").sum(), pl.col("n").sum())
        .with_columns((pl.col("total") / pl.col("n")).alias("score"))
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
    """Rule S7: a warning per agency-year and tool below the year's minimum sample (by year, agency)."""
    frameworks = load_frameworks()
    notes: list[pl.Expr] = []
    below: list[pl.DataFrame] = []
    for year in sorted(table.get_column("year").unique().to_list()):
        scoring = frameworks[year].scoring
        for minimum in scoring.minimum_samples if scoring else ():
            column = f"respondents_{minimum.tool}"
            if column not in table.columns:
                continue
            condition = (pl.col("year") == year) & (pl.col(column) < minimum.minimum)
            if minimum.agency_type:
                condition = condition & (pl.col("agency_type") == minimum.agency_type)
            text = pl.format(f"{minimum.tool} {{}}<{minimum.minimum}", pl.col(column))
            notes.append(pl.when(condition).then(text))
            below.append(
                table.filter(condition).select(
                    pl.lit(len(notes)).alias("_order"),
                    "agency",
                    "year",
                    "agency_type",
                    pl.lit(minimum.tool).alias("tool"),
                    pl.col(column).cast(pl.Int64).alias("count"),
                    pl.lit(minimum.minimum).alias("minimum"),
                )
            )
    if not notes:
        return pl.Series("below_minimum", [None] * table.height, dtype=pl.String), []
    joined = pl.concat_str(notes, separator="; ", ignore_nulls=True)
    note = table.select(pl.when(joined != "").then(joined).alias("below_minimum"))
    problems = [
        warning(
            "sample_below_minimum",
            Location(field=f"{row['agency']} {row['year']}"),
            tool=row["tool"],
            count=row["count"],
            minimum=row["minimum"],
            agency_type=row["agency_type"],
        )
        for row in pl.concat(below).sort("year", "agency", "_order").iter_rows(named=True)
    ]
    return note.to_series(), problems


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
    years = table.get_column("year").unique().sort().to_list()
    flags = {year: estimated_keys(load_frameworks()[year]) for year in years}
    parts = []
    for name in _score_columns(table):
        flagged = [year for year in years if flags[year].get(name)]
        parts.append(pl.when(pl.col(name).is_not_null() & pl.col("year").is_in(flagged)).then(pl.lit(name)))
    level_flag = pl.lit(False)
    for year in years:
        for key, flag in flags[year].items():
            if flag and key.startswith("level:"):
                level_flag = level_flag | (
                    (pl.col("year") == year) & (pl.col("level") == key.removeprefix("level:"))
                )
    parts.append(pl.when(level_flag).then(pl.lit("level")))
    return table.with_columns(pl.concat_str(parts, separator=" ", ignore_nulls=True).alias("estimated"))


def _score_columns(table: pl.DataFrame) -> list[str]:
    """The score columns present, in reading order: overall, tools, indicators, items."""
    items = sorted(
        (c for c in table.columns if c[:1] in ("i", "e", "o") and c[1:].isdigit()),
        key=lambda code: ("ieo".index(code[0]), int(code[1:])),
    )
    head = ["overall", "IIT", "EIT", "OIT", *(f"ind{n}" for n in range(1, 11))]
    return [c for c in head if c in table.columns] + items


def _read_tables() -> None:
    """The rules, messages and agency types the later steps use, read while the answers are counted."""
    load_frameworks()
    messages()
    agency_types()


def score_files(answers: Path, checklist: Path | None, progress: Progress = lambda _: None) -> Scored:
    """Score an answers file (and a checklist); every problem of the input is raised at once."""
    opened = open_table(answers, ANSWER_COLUMNS)
    progress("count")
    with ThreadPoolExecutor(1) as pool:  # Polars counts in native threads while Python reads the rest
        counting = pool.submit(count, opened)
        oit = oit_items(open_table(checklist, CHECKLIST_COLUMNS)) if checklist else None
        _read_tables()
        counts = counting.result()
    progress("check")
    checked = answer_counts.checked(opened, counts)
    respondents = answer_counts.respondents(counts)
    progress("score")
    survey = survey_items(checked)
    items = survey.drop("n")
    if oit is not None:
        items = pl.concat([items, oit])
    table = roll_up(items)
    table = table.join(
        _respondent_columns(respondents.with_columns(pl.col("agency").str.strip_chars())),
        on=GROUP,
        how="left",
    )
    names = table.get_column("agency").unique().to_list()
    _check_names(names, opened.location.with_(column="agency"))
    types = {name: infer_type(name) for name in table.get_column("agency").to_list()}
    table = table.with_columns(
        pl.col("agency").replace_strict(types, return_dtype=pl.String).alias("agency_type")
    )
    below, problems = _sample_warnings(table)
    table = _flags(table.with_columns(below), survey.select(*GROUP, "item", "n"))
    progress("write")
    return Scored(_ordered(table), problems)


def _check_names(names: list[str], where: Location) -> None:
    """Agency names go into SCORES and every document: as long and as clean as a results file's
    (ingest.record), checked once per agency after counting."""
    found = (
        max_length_problem(name, where, LIMITS.name_chars, "field_agency_name") or value_problem(name, where)
        for name in sorted(names)
    )
    problems = [problem for problem in found if problem is not None]
    if problems:
        raise InputError(problems)


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
