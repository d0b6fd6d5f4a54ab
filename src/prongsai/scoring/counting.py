"""The one pass over individual answers: answers counted per value, distinct respondents per tool.

Both counts are made in one streaming query over the file. When the key columns pack into one
integer (:mod:`prongsai.scoring.keys`: dictionary-encoded Parquet) the group-by hashes that single
number per row, and respondents are counted as distinct (agency, year, tool, respondent) keys;
otherwise the same counts are made by grouping on the columns themselves. Either way the result
is the same two small tables, holding no respondent and no single answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import polars as pl

from prongsai.loader.source import library_errors
from prongsai.scoring.keys import Packing, packing
from prongsai.scoring.source import Opened

KEYS = ("agency", "ita_year", "tool", "item", "answer")
GROUP = ("agency", "ita_year", "tool")
Finish = Callable[[pl.DataFrame], pl.DataFrame]


@dataclass(frozen=True)
class Counts:
    """Aggregates only: answers counted per value, and distinct respondents per agency-year-tool."""

    answers: pl.DataFrame  # agency, ita_year, tool, item, answer (as written, of the file's types), n
    respondents: pl.DataFrame  # agency, ita_year, tool (as text), respondents
    missing_respondents: int  # answers without a respondent id (an error)


def _as_text(done: pl.DataFrame, names: tuple[str, ...]) -> pl.DataFrame:
    return done.with_columns(pl.col(name).cast(pl.String) for name in names)


def _answers(frame: pl.LazyFrame, schema: Mapping[str, pl.DataType]) -> tuple[pl.LazyFrame, Finish]:
    """Answers per agency, year, tool, item and answer as written (text is made later, of distinct values)."""
    packed = packing(schema, KEYS)
    if packed is None:
        return frame.group_by(KEYS).agg(pl.len().alias("n")), lambda done: done
    query = frame.select(packed.expr().alias("_key")).group_by("_key").agg(pl.len().alias("n"))
    return query, lambda done: pl.DataFrame([*packed.unpack(done.get_column("_key")), done.get_column("n")])


def _respondents(frame: pl.LazyFrame, schema: Mapping[str, pl.DataType]) -> tuple[pl.LazyFrame, Finish]:
    """Distinct respondents per agency, year and tool as written.

    Packed, a missing agency, year, tool or respondent shares a code with a real one: such rows
    are an error found from the answer counts and the missing-respondent count, so these counts
    are never used then, and the key fits in 64 bits (the national set needs exactly 64).
    """
    packed = packing(schema, [*GROUP, "respondent"], nulls=False)
    if packed is None:
        query = (
            frame.group_by([*GROUP, "respondent"])
            .agg(pl.len())
            .group_by(GROUP)
            .agg(pl.len().alias("respondents"))
        )
        return query, lambda done: _as_text(done, GROUP)
    person = packed.codes[-1].bits
    group = Packing(packed.codes[:-1])
    query = frame.select(packed.expr().alias("_key")).unique()

    def finish(done: pl.DataFrame) -> pl.DataFrame:
        base = pl.lit(1 << person, dtype=pl.UInt64)
        per_group = done.group_by((pl.col("_key") // base).alias("_group")).agg(pl.len().alias("respondents"))
        columns = group.unpack(per_group.get_column("_group"))
        return _as_text(pl.DataFrame([*columns, per_group.get_column("respondents")]), GROUP)

    return query, finish


def count(opened: Opened) -> Counts:
    frame = opened.frame
    with library_errors(opened.location):  # a malformed file fails, or panics, while it streams
        schema = frame.collect_schema()
        answers, finish_answers = _answers(frame, schema)
        respondents, finish_respondents = _respondents(frame, schema)
        missing = frame.select(pl.col("respondent").null_count())
        done = pl.collect_all([answers, respondents, missing], engine="streaming")
    return Counts(finish_answers(done[0]), finish_respondents(done[1]), int(done[2].item()))
