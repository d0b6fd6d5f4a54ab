"""The five bundled seed examples load and reproduce the seeds' printed totals and levels."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from prongsai.framework import Framework
from prongsai.ingest import read_results
from prongsai.results import GivenScores, resolve
from tests.conftest import EXAMPLES

PRINTED = {
    "seed-003-bang-chakreng-2565.yaml": (89.95, "A"),
    "seed-001-khok-muang-2567.yaml": (92.13, None),
    "seed-002-bueng-kan-2568.yaml": (99.47, "ผ่านดีเยี่ยม"),
}


def test_all_five_examples_load(frameworks: dict[int, Framework]) -> None:
    files = sorted(EXAMPLES.glob("seed-*-25[0-9][0-9].yaml"))
    assert len(files) == 5
    for path in files:
        records, problems = read_results(path)
        assert len(records) == 1
        assert not [p for p in problems if p.severity == "error"]


@pytest.mark.parametrize("name", sorted(PRINTED))
def test_computed_overall_reproduces_the_printed_total(frameworks: dict[int, Framework], name: str) -> None:
    (record,), _ = read_results(EXAMPLES / name)
    without_total = dataclasses.replace(
        record, scores=dataclasses.replace(record.scores, overall=None, level=None)
    )
    results = resolve(frameworks[record.ita_year], without_total)
    printed, level = PRINTED[name]
    assert results.overall.is_computed
    assert abs((results.overall.value or 0) - printed) <= 0.006
    if level is not None:
        assert results.level.computed == level


def test_seed_003_ranks_are_read_as_official_indicator_numbers(frameworks: dict[int, Framework]) -> None:
    (record,), _ = read_results(EXAMPLES / "seed-003-bang-chakreng-2565.yaml")
    results = resolve(frameworks[2565], record)
    assert results.indicators[4].value == 92.53  # การใช้ทรัพย์สินของราชการ
    assert results.indicators[7].value == 75.44  # ประสิทธิภาพการสื่อสาร
    assert results.level.value == "A" and not results.warnings


def test_seed_000_has_no_totals_and_leaves_conflicting_scores_out(frameworks: dict[int, Framework]) -> None:
    (record,), _ = read_results(EXAMPLES / "seed-000-bueng-phai-2566.yaml")
    results = resolve(frameworks[2566], record)
    assert "e2" not in results.items and "e10" not in results.items
    assert len(results.items) == 86
    assert results.overall.value is None
    assert results.indicators[1].is_computed and results.indicators[1].estimated


def test_seed_004_prints_no_scores_and_says_so(frameworks: dict[int, Framework]) -> None:
    (record,), problems = read_results(EXAMPLES / "seed-004-mueang-chi-2566.yaml")
    assert record.scores == GivenScores()
    assert [p.code for p in problems] == ["no_scores"]


def test_examples_are_in_the_readme_command() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "examples/" in readme
