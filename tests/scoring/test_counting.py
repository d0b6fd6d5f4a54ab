"""The answers pass: packed keys give exactly the counts of a plain group-by, whatever the column types."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from prongsai.cli import cli, run
from prongsai.problems import Location
from prongsai.scoring.counting import GROUP, KEYS, count
from prongsai.scoring.engine import score_files
from prongsai.scoring.keys import code_of, packing
from prongsai.scoring.source import Opened

AGENCIES = ["เทศบาลตำบลก", "อบต.ข", "เทศบาลเมืองค"]
ANSWERS = ["มาก", "มากที่สุด", "น้อย", "4", "ไม่มี"]
INTEGERS = [pl.Int8(), pl.Int16(), pl.Int32(), pl.UInt8(), pl.UInt16(), pl.UInt32()]


def _plain(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The counts the obvious way: group-by on the columns as text, n_unique for respondents."""
    text = frame.with_columns(pl.col(c).cast(pl.String) for c in KEYS)
    answers = text.group_by(KEYS).agg(pl.len().alias("n"))
    respondents = text.group_by(GROUP).agg(pl.col("respondent").n_unique().alias("respondents"))
    return answers.sort(KEYS, nulls_last=True), respondents.sort(GROUP, nulls_last=True)


def _counted(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    counts = count(Opened(frame.lazy(), Location(file="t"), 1))
    assert counts.missing_respondents == frame.get_column("respondent").null_count()
    assert counts.answers.select(KEYS).schema == frame.select(KEYS).schema  # the file's own types
    answers = counts.answers.select(*(pl.col(c).cast(pl.String) for c in KEYS), "n").sort(
        KEYS, nulls_last=True
    )
    respondents = counts.respondents.select(*GROUP, "respondents").sort(GROUP, nulls_last=True)
    return answers, respondents


rows = st.lists(
    st.tuples(
        st.sampled_from([*AGENCIES, None]),
        st.sampled_from([2567, 2568, None]),
        st.sampled_from(["IIT", "EIT1", "EIT2", None]),
        st.one_of(st.none(), st.integers(0, 5)),
        st.sampled_from(["i1", "i2", "e1", None]),
        st.sampled_from([*ANSWERS, None]),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=40, deadline=None)
@given(
    data=rows,
    enum=st.booleans(),
    year=st.sampled_from([pl.Int16, pl.Int32, pl.UInt16, pl.String]),
    person=st.sampled_from([pl.UInt8, pl.UInt32, pl.Int32, pl.Int64, pl.String]),
    complete=st.booleans(),
)
def test_counts_equal_a_plain_group_by(
    data: list[tuple[object, ...]], enum: bool, year: pl.DataType, person: pl.DataType, complete: bool
) -> None:
    frame = pl.DataFrame(
        data,
        schema={
            "agency": pl.String,
            "ita_year": pl.Int64,
            "tool": pl.String,
            "respondent": pl.Int64,
            "item": pl.String,
            "answer": pl.String,
        },
        orient="row",
    ).with_columns(pl.col("ita_year").cast(year), pl.col("respondent").cast(person))
    if enum:  # as Polars reads dictionary-encoded Parquet: the packed pass
        frame = frame.with_columns(
            pl.col("agency").cast(pl.Enum(AGENCIES)),
            pl.col("tool").cast(pl.Enum(["IIT", "EIT", "EIT1", "EIT2"])),
            pl.col("item").cast(pl.Enum(["e1", "i1", "i2", "i3"])),
            pl.col("answer").cast(pl.Enum(ANSWERS)),
        )
    if complete:  # respondents are used only when no agency, year, tool or respondent is missing
        frame = frame.drop_nulls([*GROUP, "respondent"])
    expected_answers, expected_respondents = _plain(frame)
    answers, respondents = _counted(frame)
    assert_frame_equal(answers, expected_answers, check_dtypes=False)
    if frame.select(*GROUP, "respondent").null_count().sum_horizontal().item() == 0:
        assert_frame_equal(respondents, expected_respondents, check_dtypes=False)


@pytest.mark.parametrize("dtype", INTEGERS)
def test_integer_codes_keep_extremes_and_nulls(dtype: pl.DataType) -> None:
    low, high = pl.select(dtype.min().alias("low"), dtype.max().alias("high")).row(0)  # type: ignore[attr-defined]
    series = pl.Series("x", [low, None, low + 1, high], dtype=dtype)
    code = code_of("x", dtype)
    assert code is not None
    codes = series.to_frame().select(code.expr).to_series()
    assert codes.max() is not None and codes.max() < (1 << code.bits)  # type: ignore[operator]
    assert codes.n_unique() == 4 and codes[1] == code.null
    assert code.values(codes).to_list() == [low, None, low + 1, high]


def test_packing_is_refused_when_it_cannot_fit() -> None:
    schema = {"a": pl.UInt32(), "b": pl.Int32(), "c": pl.String()}
    assert packing(schema, ["a", "b"]) is None  # 33 + 33 bits (each with a code for null) exceed 64
    wide = packing(schema, ["a", "b"], limit=128)
    assert wide is not None and wide.bits == 66
    assert packing(schema, ["a", "c"]) is None  # text has no code known in advance


def test_parquet_and_csv_of_the_same_answers_score_the_same(tmp_path: Path) -> None:
    assert run(cli, ["synth", "--agencies", "40", "--seed", "7", "-o", str(tmp_path)]) == 0
    answers = pl.read_parquet(tmp_path / "answers.parquet")
    assert isinstance(answers.schema["agency"], pl.Enum)
    answers.write_csv(tmp_path / "answers.csv")
    packed = score_files(tmp_path / "answers.parquet", tmp_path / "oit.csv")
    plain = score_files(tmp_path / "answers.csv", tmp_path / "oit.csv")
    assert packed.table.height == 40
    assert_frame_equal(packed.table, plain.table, check_exact=True)  # to the last bit, every run
    assert packed.warnings == plain.warnings
