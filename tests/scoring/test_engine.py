"""The vectorised scorer against independent computations: plain Python per answer, and results.resolve."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prongsai.agency import Agency
from prongsai.cli import cli, run
from prongsai.framework import load_frameworks
from prongsai.problems import Location
from prongsai.results import Given, GivenScores, ResultsInput, resolve
from prongsai.scoring.engine import score_files
from prongsai.scoring.rollup import roll_up
from prongsai.scoring.synth import write_synthetic
from tests.scoring.helpers import FOUR, HEADER, YES_NO, plain_item_scores, write_csv

FRAMEWORK = load_frameworks()[2568]
SURVEY = [i.code for i in FRAMEWORK.items if i.tool != "OIT"]
ALL_ITEMS = [i.code for i in FRAMEWORK.items]


@st.composite
def answer_sets(draw: st.DrawFn) -> list[list[object]]:
    rows: list[list[object]] = []
    for agency in range(draw(st.integers(1, 3))):
        items = draw(st.lists(st.sampled_from(SURVEY), min_size=1, max_size=6, unique=True))
        for person in range(draw(st.integers(1, 7))):
            for item in items:
                scale = YES_NO if FRAMEWORK.scoring.questions[item].scale == "yes_no" else FOUR  # type: ignore[union-attr]
                answer = draw(st.sampled_from([*scale, ""]))
                tool = "IIT" if item[0] == "i" else draw(st.sampled_from(["EIT1", "EIT2"]))
                rows.append([f"เทศบาลตำบลสุ่ม{agency}", 2568, tool, f"p{person}", item, answer])
    return rows


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=answer_sets())
def test_item_scores_equal_a_plain_computation(tmp_path: Path, rows: list[list[object]]) -> None:
    expected = plain_item_scores(FRAMEWORK, rows)
    if not expected:
        return
    table = score_files(write_csv(tmp_path / "a.csv", HEADER, rows), None).table
    for (agency, item), (score, answered) in expected.items():
        row = table.filter(pl.col("agency") == agency).row(0, named=True)
        if answered < 5:
            assert row[item] is None and item in row["withheld"].split()
        else:
            assert row[item] == pytest.approx(score)


@settings(max_examples=40, deadline=None)
@given(
    data=st.lists(
        st.dictionaries(st.sampled_from(ALL_ITEMS), st.floats(0, 100), min_size=20, max_size=len(ALL_ITEMS)),
        min_size=1,
        max_size=4,
    )
)
def test_rollup_equals_resolve(data: list[dict[str, float]]) -> None:
    items = pl.DataFrame(
        [(f"a{n}", 2568, code, value) for n, scores in enumerate(data) for code, value in scores.items()],
        schema={"agency": pl.String, "year": pl.Int64, "item": pl.String, "score": pl.Float64},
        orient="row",
    )
    table = roll_up(items)
    for n, scores in enumerate(data):
        source = ResultsInput(
            Agency(f"a{n}", None, None, None),
            2568,
            GivenScores(items={c: Given(v, Location()) for c, v in scores.items()}),
            Location(),
        )
        results = resolve(FRAMEWORK, source)
        row = table.filter(pl.col("agency") == f"a{n}").row(0, named=True)
        # the same floats, not merely close: the roll-up adds up in aggregate.combine's order
        for number, score in results.indicators.items():
            assert row[f"ind{number}"] == score.value
        for code, score in results.tools.items():
            assert row[code] == score.value
        assert row["overall"] == results.overall.value
        assert row["level"] == results.level.value


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth")
    assert run(cli, ["synth", "--agencies", "60", "--seed", "3", "-o", str(folder)]) == 0
    return folder


def test_synth_then_score_then_check(national: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = pl.read_parquet(national / "answers.parquet")
    assert isinstance(answers.schema["answer"], pl.Enum) and isinstance(answers.schema["agency"], pl.Enum)
    assert answers.get_column("agency").n_unique() == 60
    out = national / "scores.csv"
    assert (
        run(
            cli,
            ["score", str(national / "answers.parquet"), "--oit", str(national / "oit.csv"), "-o", str(out)],
        )
        == 0
    )
    captured = capsys.readouterr()
    assert "scoring" not in captured.err  # no progress bar when stderr is not a terminal
    scores = pl.read_csv(out)
    assert scores.height == 60 and 80 < scores.get_column("overall").mean() < 97  # type: ignore[operator]
    assert run(cli, ["check", "--json", str(out)]) == 0
    checked = json.loads(capsys.readouterr().out)
    assert len(checked) == 60
    first = checked[0]
    assert ("overall" in first["estimated"] and "i1" in first["estimated"]) or "i1" not in first["items"]
    assert first["overall"] == pytest.approx(scores.get_column("overall")[0], abs=0.006)


def test_scores_parquet_and_xlsx_are_readable(national: Path) -> None:
    from prongsai.ingest import read_results

    for suffix in (".parquet", ".xlsx"):
        out = national / f"scores{suffix}"
        assert run(cli, ["score", str(national / "answers.parquet"), "-o", str(out)]) == 0
        records, _ = read_results(out)
        assert len(records) == 60 and "IIT" in records[0].estimated


def test_same_seed_same_data(tmp_path: Path, national: Path) -> None:
    write_synthetic(FRAMEWORK, 60, 3, tmp_path)
    assert pl.read_parquet(tmp_path / "answers.parquet").equals(pl.read_parquet(national / "answers.parquet"))


@pytest.mark.parametrize(
    ("rows", "header", "code"),
    [
        ([["ทต.ก", 2568, "IIT", "r1", "i1", "ดีมาก"]], HEADER, "answer_unknown"),
        ([["ทต.ก", 2568, "IIT", "r1", "i99", "มาก"]], HEADER, "answer_item_unknown"),
        ([["ทต.ก", "", "IIT", "r1", "i1", "มาก"]], HEADER, "answers_empty_cell"),
        ([["ทต.ก", 2568, "IIT", "r1", "i1"]], HEADER[:-1], "answers_missing_columns"),
        ([["ทต.ก", 2568, "IIT", "r1", "i1", "มาก", "x"]], [*HEADER, "extra"], "answers_unknown_column"),
        ([["ทต.ก", 2567 - 543, "IIT", "r1", "i1", "มาก"]], HEADER, "year_in_ce"),
    ],
)
def test_bad_input_exit_2_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rows: list[list[object]], header: list[str], code: str
) -> None:
    good = [["ทต.ก", 2568, "IIT", f"r{n}", "i2", "มาก"] for n in range(3)]
    answers = write_csv(tmp_path / "answers.csv", header, [*good, *rows] if len(header) == 6 else rows)
    out = tmp_path / "scores.csv"
    assert run(cli, ["score", str(answers), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert not out.exists() and "Traceback" not in err
    from prongsai.problems import messages

    english = messages().problems[code]["en"].split("{")[0].strip()
    assert english[:15] in err
    if len(header) == 6:
        assert "row 5" in err or "แถว 5" in err
