"""One test per aggregation and level rule (docs/scoring.md, rules A1-A3, L1-L4, P1)."""

from __future__ import annotations

import pytest

from prongsai import aggregate
from prongsai.aggregate import Derived
from prongsai.framework import Framework


def _exact(value: float) -> Derived:
    return Derived(value, False)


def test_rule_a1_indicator_is_the_mean_of_its_items(frameworks: dict[int, Framework]) -> None:
    # seed 001, ITA 2567: i10-i12 = 75.33, 97.33, 73.33 and indicator 4 is printed 82.00
    result = aggregate.indicator_from_items(frameworks[2567], 4, {"i10": 75.33, "i11": 97.33, "i12": 73.33})
    assert result is not None
    assert round(result.value, 2) == 82.00
    assert not result.estimated  # proven by arithmetic on seed 001


def test_rule_a1_needs_every_item_of_the_indicator(frameworks: dict[int, Framework]) -> None:
    assert aggregate.indicator_from_items(frameworks[2567], 4, {"i10": 75.33, "i11": 97.33}) is None


def test_rule_a1_is_an_estimate_where_the_mapping_is_inferred(frameworks: dict[int, Framework]) -> None:
    items = {f"e{n}": 90.0 for n in range(1, 6)}
    result = aggregate.indicator_from_items(frameworks[2566], 6, items)
    assert result is not None and result.value == 90.0 and result.estimated


def test_rule_a2_tool_is_the_mean_of_its_indicators(frameworks: dict[int, Framework]) -> None:
    # seed 002, ITA 2568: indicators 1-5 = 100, 100, 100, 98.99, 100 and IIT is printed 99.80
    indicators = {1: 100.0, 2: 100.0, 3: 100.0, 4: 98.99, 5: 100.0}
    result = aggregate.tool_from_indicators(
        frameworks[2568], "IIT", {n: _exact(v) for n, v in indicators.items()}
    )
    assert result is not None and round(result.value, 2) == 99.80 and not result.estimated


def test_rule_a2_passes_on_the_estimate_flag(frameworks: dict[int, Framework]) -> None:
    inds = {6: _exact(90.0), 7: Derived(80.0, True), 8: _exact(70.0)}
    result = aggregate.tool_from_indicators(frameworks[2568], "EIT", inds)
    assert result is not None and result.value == 80.0 and result.estimated


@pytest.mark.parametrize(
    ("year", "tools", "printed"),
    [
        (2565, {"IIT": 95.914, "EIT": 85.10667, "OIT": 89.115}, 89.95),  # seed 003
        (
            2567,
            {"IIT": 91.644, "EIT": 82.14, "OIT": 100.0},
            92.13,
        ),  # seed 001 (92.1352 within input rounding)
        (2568, {"IIT": 99.798, "EIT": 99.59333, "OIT": 99.125}, 99.47),  # seed 002
    ],
)
def test_rule_a3_overall_weights_the_tools_30_30_40(
    frameworks: dict[int, Framework], year: int, tools: dict[str, float], printed: float
) -> None:
    result = aggregate.overall_from_tools(frameworks[year], {k: _exact(v) for k, v in tools.items()})
    assert result is not None
    assert abs(result.value - printed) <= 0.006
    assert not result.estimated


def test_rule_a3_needs_all_three_tools(frameworks: dict[int, Framework]) -> None:
    assert aggregate.overall_from_tools(frameworks[2568], {"IIT": _exact(90), "EIT": _exact(90)}) is None


@pytest.mark.parametrize(
    ("overall", "level"),
    [
        (95.0, "AA"),
        (94.99, "A"),
        (89.95, "A"),
        (85.0, "A"),
        (84.99, "B"),
        (65.0, "C"),
        (55.0, "D"),
        (50.0, "E"),
        (49.99, "F"),
    ],
)
def test_rule_l1_letter_bands_up_to_2565(
    frameworks: dict[int, Framework], overall: float, level: str
) -> None:
    decision = aggregate.level_for(frameworks[2565], overall, {})
    assert decision is not None and decision.name == level and not decision.estimated


def test_rule_l2_a_tool_below_85_caps_the_2568_level(frameworks: dict[int, Framework]) -> None:
    # the NACC case (S7): total 94.64 but EIT below 85 gives ผ่าน, not ผ่านดี
    tools = {"IIT": 96.0, "EIT": 84.5, "OIT": 100.0}
    decision = aggregate.level_for(frameworks[2568], 94.64, tools)
    assert decision is not None and decision.name == "ผ่าน"
    lifted = aggregate.level_for(frameworks[2568], 94.64, {**tools, "EIT": 85.0})
    assert lifted is not None and lifted.name == "ผ่านดี"


def test_rule_l2_cannot_decide_a_tool_condition_without_the_tools(frameworks: dict[int, Framework]) -> None:
    assert aggregate.level_for(frameworks[2568], 90.0, {"IIT": 90.0}) is None
    below = aggregate.level_for(frameworks[2568], 60.0, {})  # no better level has a chance
    assert below is not None and below.name == "ต้องปรับปรุงโดยด่วน"


def test_rule_l3_a_level_resting_on_an_unconfirmed_rule_is_an_estimate(
    frameworks: dict[int, Framework],
) -> None:
    excellent = aggregate.level_for(frameworks[2568], 99.47, {"IIT": 99.8, "EIT": 99.59, "OIT": 99.13})
    assert excellent is not None and excellent.name == "ผ่านดีเยี่ยม" and excellent.estimated


def test_rule_l4_levels_compare_the_published_two_decimal_score(frameworks: dict[int, Framework]) -> None:
    decision = aggregate.level_for(frameworks[2565], 84.996, {})
    assert decision is not None and decision.name == "A"  # published as 85.00


@pytest.mark.parametrize(
    ("score", "status"),
    [(84.99, "below"), (84.996, "pass"), (85.0, "pass"), (99.99, "pass"), (100.0, "full")],
)
def test_rule_p1_status_against_the_pass_mark(
    frameworks: dict[int, Framework], score: float, status: str
) -> None:
    assert aggregate.status_of(frameworks[2568], score) == status
