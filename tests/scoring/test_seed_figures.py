"""The seeds' printed figures come out of raw answers where the inputs allow it.

For seed 002 (ITA 2568, the one seed whose printed item scores a 0/33/67/100 scale can produce),
answers are built here that give each printed item score, and the OIT checklist gives each printed
OIT item; `score` must then print every item and every indicator the seed's item tables show, and its
IIT tool score. The seed's own inconsistencies (answer key: indicator_score_conflicts) are what the
inputs do not allow: its summary prints indicator 9 as 98.25 and indicators 6-8 below 100 while its
item tables give 97.50 and 100.00; the item tables are what answers can reproduce.
"""

from __future__ import annotations

from itertools import product
from pathlib import Path
from typing import Any

import pytest
import yaml

from prongsai.framework import Framework, load_frameworks
from prongsai.scoring.engine import score_files
from tests.scoring.helpers import FOUR, HEADER, YES_NO, write_csv

KEY = Path(__file__).resolve().parents[3] / "shared" / "reference" / "seed-ground-truth.yaml"
SEED = "002_b59007ccb8578a4f.txt"
AGENCY = "เทศบาลเมืองบึงกาฬ"
MOST_PEOPLE = 60


def _answer_key() -> dict[str, Any]:
    if not KEY.exists():
        pytest.skip("shared/reference is not beside the repository")
    seeds: dict[str, Any] = yaml.safe_load(KEY.read_text(encoding="utf-8"))["seeds"]
    return seeds[SEED]


def _counts(score: float, values: list[float], people: int) -> list[int] | None:
    """How many of ``people`` give each value so that their mean prints as ``score``, if any can."""
    for split in product(range(people + 1), repeat=len(values) - 1):
        rest = people - sum(split)
        if rest < 0:
            continue
        counts = [*split, rest]
        if f"{sum(c * v for c, v in zip(counts, values, strict=True)) / people:.2f}" == f"{score:.2f}":
            return counts
    return None


def _scale(framework: Framework, code: str) -> dict[float, str]:
    """Value -> answer word for one item, reverse-worded items answered the other way round."""
    assert framework.scoring is not None
    question = framework.scoring.questions[code]
    words = YES_NO if question.scale == "yes_no" else FOUR
    return {(100 - v if question.reverse else v): word for word, v in words.items()}


def _answers(framework: Framework, items: dict[str, float], tool: str) -> list[list[object]]:
    """One group of respondents who all answer every item of the tool, as few as give every printed
    score (at least 5, or the scorer withholds the item), each answering as the counts say."""
    plans: dict[str, list[tuple[str, int]]] = {}
    for people in range(5, MOST_PEOPLE + 1):
        plans = {}
        for code, score in items.items():
            scale = _scale(framework, code)
            values = sorted(scale, reverse=True)
            counts = _counts(score, values, people)
            if counts is None:
                break
            plans[code] = [(scale[v], c) for v, c in zip(values, counts, strict=True)]
        if len(plans) == len(items):
            break
    assert len(plans) == len(items), "no group of respondents gives every printed score"
    rows: list[list[object]] = []
    for code, plan in plans.items():
        words = [word for word, count in plan for _ in range(count)]
        rows += [[AGENCY, 2568, tool, f"{tool}-{n}", code, word] for n, word in enumerate(words)]
    return rows


def _verdict(score: float) -> list[object]:
    if score == 100:
        return ["มี", "https://example.go.th", "pass"]
    if score == 0:
        return ["มี", "https://example.go.th", "fail"]
    return ["มี", "https://example.go.th", f"{score:g}"]


def test_seed_002_items_indicators_and_iit_come_out_of_answers(tmp_path: Path) -> None:
    key = _answer_key()
    framework = load_frameworks()[2568]
    printed = {code.lower(): float(value) for code, value in key["question_scores"].items()}
    iit = {c: v for c, v in printed.items() if c[0] == "i"}
    eit = {c: v for c, v in printed.items() if c[0] == "e"}
    oit = {c: v for c, v in printed.items() if c[0] == "o"}
    rows = _answers(framework, iit, "IIT") + _answers(framework, eit, "EIT")
    answers = write_csv(tmp_path / "answers.csv", HEADER, rows)
    checklist = write_csv(
        tmp_path / "oit.csv",
        ["agency", "ita_year", "item", "has", "url", "assessor_verdict"],
        [[AGENCY, 2568, code, *_verdict(score)] for code, score in oit.items()],
    )
    row = score_files(answers, checklist).table.row(0, named=True)

    for code, score in printed.items():
        assert f"{row[code]:.2f}" == f"{score:.2f}", code
    for indicator in key["indicator_scores"]:
        table = indicator.get("average_in_item_table") or indicator["score_summary_table"]
        number = indicator["no"]
        assert f"{row[f'ind{number}']:.2f}" == table, number
    iit_printed = next(t["score"] for t in key["tool_scores"]["as_printed"] if "(IIT)" in t["label"])
    assert f"{row['IIT']:.2f}" == iit_printed  # 99.80, the mean of indicators 1-5
    assert row["i10"] == pytest.approx(3200 / 33)  # 32 answers of มากที่สุด and one of น้อยที่สุด
