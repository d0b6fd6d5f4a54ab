"""Analysis of the seeds: exactly the items the seeds' own numbers put below 85, gains, what-if, trend."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from prongsai.analysis import Analysis, analyse
from prongsai.crosswalk import load_crosswalk
from prongsai.framework import Framework
from prongsai.ingest import read_results
from prongsai.results import Results, resolve
from prongsai.whatif import project
from tests.conftest import EXAMPLES, write

GROUND_TRUTH = Path(__file__).resolve().parents[2] / "shared" / "reference" / "seed-ground-truth.yaml"
SEEDS = {
    "000_478fade56872d9be.txt": "seed-000-bueng-phai-2566.yaml",
    "001_83959ac233a4e600.txt": "seed-001-khok-muang-2567.yaml",
    "002_b59007ccb8578a4f.txt": "seed-002-bueng-kan-2568.yaml",
    "003_d4390eab4bc73e4c.txt": "seed-003-bang-chakreng-2565.yaml",
    "004_803e91d9ccdb16cf.txt": "seed-004-mueang-chi-2566.yaml",
}


def _load(
    path: Path, frameworks: dict[int, Framework], history: list[Results] | None = None
) -> tuple[Framework, Results, Analysis]:
    (record,), _ = read_results(path)
    framework = frameworks[record.ita_year]
    results = resolve(framework, record)
    return framework, results, analyse(framework, results, history or [], load_crosswalk())


def _truth() -> dict[str, dict[str, object]]:
    if GROUND_TRUTH.is_file():
        return yaml.safe_load(GROUND_TRUTH.read_text(encoding="utf-8"))["seeds"]  # type: ignore[no-any-return]
    pytest.skip("shared/reference is not beside the repository")


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_flags_exactly_the_items_the_seed_puts_below_85(seed: str, frameworks: dict[int, Framework]) -> None:
    truth = _truth()[seed]
    printed = {code: float(v) for code, v in (truth["question_scores"] or {}).items() if v is not None}  # type: ignore[attr-defined]
    expected = {code for code, v in printed.items() if v < 85}
    _, _, analysis = _load(EXAMPLES / SEEDS[seed], frameworks)
    assert {e.key for e in analysis.weak_items} == expected
    weakest_first = [e.score for e in analysis.weak_items]
    assert weakest_first == sorted(weakest_first)


@pytest.mark.parametrize(
    ("seed", "weakest"),
    [("001_83959ac233a4e600.txt", 8), ("002_b59007ccb8578a4f.txt", 9), ("003_d4390eab4bc73e4c.txt", 7)],
)
def test_weakest_indicator_is_the_seeds_weakest(
    seed: str, weakest: int, frameworks: dict[int, Framework]
) -> None:
    truth = _truth()[seed]
    rows = truth["indicator_scores"]
    printed = {
        r["name_th"]: float(r.get("score") or r.get("score_summary_table"))  # type: ignore[arg-type]
        for r in rows  # type: ignore[attr-defined]
    }
    framework, _, analysis = _load(EXAMPLES / SEEDS[seed], frameworks)
    assert analysis.weakest_indicator is not None
    name = framework.indicator(analysis.weakest_indicator.indicator or 0).name_th
    assert name == min(printed, key=lambda k: printed[k])
    assert analysis.weakest_indicator.indicator == weakest


def test_rule_g1_gain_follows_the_year_rules(frameworks: dict[int, Framework]) -> None:
    # seed 001: e9 = 30.49 of indicator 8 (three items); EIT = mean of 6-8; overall weighs EIT 0.3
    _, _, analysis = _load(EXAMPLES / SEEDS["001_83959ac233a4e600.txt"], frameworks)
    e9 = next(e for e in analysis.items if e.key == "e9")
    assert e9.status == "below" and e9.gap_to_pass == pytest.approx(54.51)
    assert e9.gain_to_pass == pytest.approx((85 - 30.49) / 3 / 3 * 0.3, abs=1e-9)
    assert e9.gain_to_full == pytest.approx((100 - 30.49) / 3 / 3 * 0.3, abs=1e-9)
    assert analysis.by_gain()[0].key == "e9"
    ind8 = next(e for e in analysis.indicators if e.indicator == 8)
    assert ind8.gain_to_pass == pytest.approx((85 - 72.94) / 3 * 0.3, abs=1e-9)
    assert next(e for e in analysis.items if e.key == "o1").gain_to_pass == 0


def test_items_without_a_known_indicator_have_no_gain(
    tmp_path: Path, frameworks: dict[int, Framework]
) -> None:
    text = "agency: ทต.ทดลอง\nita_year: 2567\nscores:\n  overall: 90\n  tools: {IIT: 90, EIT: 90, OIT: 90}\n  indicators: {9: 90, 10: 90}\n  items: {o20: 0}\n"
    _, _, analysis = _load(write(tmp_path, "r.yaml", text), frameworks)
    (entry,) = analysis.items
    assert entry.status == "below" and entry.gain_to_pass is None  # o4-o35 of 2567 are not placed


def test_rule_w1_whatif_moves_official_figures_by_the_rule(frameworks: dict[int, Framework]) -> None:
    framework, results, _ = _load(EXAMPLES / SEEDS["002_b59007ccb8578a4f.txt"], frameworks)
    projection = project(framework, results, {"o16": 100.0})
    assert projection.indicators[9] == pytest.approx(
        min(100.0, 98.25 + 50 / 20)
    )  # the official 98.25 is the base
    assert projection.tools["OIT"] == pytest.approx(100.0)
    assert projection.indicators[1] == results.indicators[1].value
    unchanged = project(framework, results, {})
    assert unchanged.overall == results.overall.value


def test_whatif_level_respects_the_2568_tool_cap(tmp_path: Path, frameworks: dict[int, Framework]) -> None:
    text = (
        "agency: ทต.ทดลอง\nita_year: 2568\nscores:\n  overall: 94.64\n  tools: {IIT: 96.0, EIT: 86.0, OIT: 99.0}\n"
        "  indicators: {1: 96, 2: 96, 3: 96, 4: 96, 5: 96, 6: 86, 7: 86, 8: 86, 9: 99, 10: 99}\n"
    )
    framework, results, _ = _load(write(tmp_path, "r.yaml", text), frameworks)
    assert results.level.value == "ผ่านดี"
    projection = project(framework, results, indicators={6: 80.0})
    assert projection.tools["EIT"] == pytest.approx(84.0)
    assert projection.level is not None and projection.level.name == "ผ่าน"


def test_rule_w2_whatif_agrees_with_the_core_aggregation(
    tmp_path: Path, frameworks: dict[int, Framework]
) -> None:
    framework = frameworks[2568]
    scores = {item.code: 80.0 + (n * 7) % 20 for n, item in enumerate(framework.items)}
    items = "\n".join(f"    {code}: {value}" for code, value in scores.items())
    _, results, _ = _load(
        write(tmp_path, "a.yaml", f"agency: ทต.ก\nita_year: 2568\nscores:\n  items:\n{items}\n"), frameworks
    )
    changed = {**scores, "i4": 99.0, "e7": 40.0, "o3": 0.0}
    items2 = "\n".join(f"    {code}: {value}" for code, value in changed.items())
    _, direct, _ = _load(
        write(tmp_path, "b.yaml", f"agency: ทต.ก\nita_year: 2568\nscores:\n  items:\n{items2}\n"), frameworks
    )
    projection = project(framework, results, {"i4": 99.0, "e7": 40.0, "o3": 0.0})
    assert projection.overall == pytest.approx(direct.overall.value)
    assert projection.tools == pytest.approx({k: v.value for k, v in direct.tools.items()})
    assert projection.level is not None and projection.level.name == direct.level.value


def test_trend_follows_items_across_renumbering(tmp_path: Path, frameworks: dict[int, Framework]) -> None:
    earlier = (
        "agency: {name: เทศบาลตำบลโคกม่วง}\nita_year: 2566\nscores:\n  overall: 88.50\n"
        "  indicators: {8: 70.00}\n  items: {i1: 80.00, o36: 100}\n"
    )
    (record,), _ = read_results(write(tmp_path, "h.yaml", earlier))
    history = [resolve(frameworks[2566], record)]
    _, _, analysis = _load(EXAMPLES / SEEDS["001_83959ac233a4e600.txt"], frameworks, history)
    changes = {c.key: c for c in analysis.trend}
    assert changes["overall"].change == pytest.approx(92.13 - 88.50)
    assert changes["ind8"].change == pytest.approx(72.94 - 70.00)
    assert changes["i1"].history == ((2566, 80.0), (2567, 84.67))  # 2566 i1 is the same question
    assert "o25" not in changes  # no 2567 OIT item is linked


def test_json_has_the_documented_shape(frameworks: dict[int, Framework]) -> None:
    _, _, analysis = _load(EXAMPLES / SEEDS["001_83959ac233a4e600.txt"], frameworks)
    data = analysis.to_json()
    item = next(i for i in data["items"] if i["code"] == "i10")
    assert item == {
        "code": "i10",
        "indicator": 4,
        "score": 75.33,
        "status": "below",
        "gap_to_85": 9.67,
        "gap_to_100": 24.67,
        "gain_to_85": 0.19,
        "gain_to_100": 0.49,
        "rank": 3,
    }
    assert data["weak"] == ["e9", "i12", "i10", "i1"]
    assert next(i for i in data["indicators"] if i["number"] == 8)["status"] == "below"
