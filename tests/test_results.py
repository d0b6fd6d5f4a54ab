"""Given figures stay authoritative; missing levels are computed; differences are warnings."""

from __future__ import annotations

from pathlib import Path

from prongsai.framework import Framework
from prongsai.ingest import read_results
from prongsai.results import Results, resolve
from tests.conftest import EXAMPLES, write


def _load(path: Path, frameworks: dict[int, Framework]) -> Results:
    records, _ = read_results(path)
    assert len(records) == 1
    return resolve(frameworks[records[0].ita_year], records[0])


def test_rule_m2_seed_002_indicator_9_mismatch_is_a_warning_naming_both_numbers(
    frameworks: dict[int, Framework],
) -> None:
    results = _load(EXAMPLES / "seed-002-bueng-kan-2568.yaml", frameworks)
    assert results.indicators[9].value == 98.25  # the official figure is kept
    assert round(results.indicators[9].computed or 0, 2) == 97.50
    warning = next(w for w in results.warnings if w.location.field == "scores.indicators.9")
    assert "98.25" in warning.message_en and "97.50" in warning.message_en
    assert "98.25" in warning.message_th and "97.50" in warning.message_th
    assert warning.location.line is not None


def test_rule_m1_difference_within_0_01_is_not_a_warning(frameworks: dict[int, Framework]) -> None:
    # seed 001: 30/30/40 of the printed indicators gives 92.1352 against a printed 92.13
    results = _load(EXAMPLES / "seed-001-khok-muang-2567.yaml", frameworks)
    assert results.overall.given == 92.13
    assert abs((results.overall.computed or 0) - 92.1352) < 1e-4
    assert not any(w.code == "score_mismatch" and "overall" in w.message_en for w in results.warnings)


def test_rule_m3_missing_levels_are_computed_and_listed(
    tmp_path: Path, frameworks: dict[int, Framework]
) -> None:
    items = "\n".join(f"    i{n}: {90 + n % 3}" for n in range(1, 16))
    path = write(tmp_path, "r.yaml", f"agency: เทศบาลตำบลทดลอง\nita_year: 2568\nscores:\n  items:\n{items}\n")
    results = _load(path, frameworks)
    assert results.indicators[1].is_computed
    assert results.tools["IIT"].value is not None and results.tools["EIT"].value is None
    assert results.overall.value is None
    assert results.computed_keys() == ["ind1", "ind2", "ind3", "ind4", "ind5", "IIT"]
    assert results.estimated_keys() == []  # IIT rules are confirmed for 2568
    assert results.agency.type == "เทศบาลตำบล"  # inferred from the name


def test_given_level_that_disagrees_with_the_rules_is_kept_with_a_warning(
    tmp_path: Path, frameworks: dict[int, Framework]
) -> None:
    path = write(
        tmp_path,
        "r.yaml",
        "agency: {name: ทต.ทดลอง}\nita_year: 2565\nscores:\n  overall: 80\n  level: A\n",
    )
    results = _load(path, frameworks)
    assert results.level.value == "A" and results.level.computed == "B"
    assert [w.code for w in results.warnings] == ["level_mismatch"]
    assert results.agency.type == "เทศบาลตำบล"


def test_json_output_has_the_documented_keys(frameworks: dict[int, Framework]) -> None:
    data = _load(EXAMPLES / "seed-001-khok-muang-2567.yaml", frameworks).to_json()
    for key in (
        "agency",
        "ita_year",
        "overall",
        "level",
        "tools",
        "indicators",
        "items",
        "computed",
        "warnings",
        "errors",
    ):
        assert key in data
    assert data["tools"] == {"IIT": 91.64, "EIT": 82.14, "OIT": 100.0}
    assert data["indicators"]["4"] == 82.0
    assert data["items"]["e9"] == 30.49
    assert data["computed"] == ["IIT", "EIT", "OIT", "level"]
    assert data["level"] == "ผ่าน"
