"""Drafting the measures plan and re-drafting it without losing people's edits."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from prongsai.analysis import analyse
from prongsai.catalog import default_units
from prongsai.cli import cli, run
from prongsai.crosswalk import load_crosswalk
from prongsai.errors import InputError
from prongsai.framework import Framework
from prongsai.ingest import read_results
from prongsai.planfile import plan_to_yaml, read_plan
from prongsai.planning import Measure, Plan, draft_plan, redraft, uncovered_weak_items
from prongsai.results import resolve
from prongsai.timeframe import timeframe_text
from tests.conftest import EXAMPLES, write

EXAMPLE_FILES = sorted(EXAMPLES.glob("seed-*-25[0-9][0-9].yaml"))


def _plan(path: Path, frameworks: dict[int, Framework], **options: object) -> tuple[Plan, object]:
    (record,), _ = read_results(path)
    framework = frameworks[record.ita_year]
    results = resolve(framework, record)
    analysis = analyse(framework, results, [], load_crosswalk())
    plan = draft_plan(framework, analysis, results.agency, default_units(results.agency.type), **options)  # type: ignore[arg-type]
    return plan, analysis


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_weak_item_of_every_seed_has_a_measure(path: Path, frameworks: dict[int, Framework]) -> None:
    plan, analysis = _plan(path, frameworks)
    assert uncovered_weak_items(plan, analysis) == []  # type: ignore[arg-type]
    ids = [m.id for m in plan.measures]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_indicator_gets_a_measure_weak_ones_first(path: Path, frameworks: dict[int, Framework]) -> None:
    plan, _ = _plan(path, frameworks)
    assert {m.indicator for m in plan.measures} == set(range(1, 11))
    order = {"weak": 0, "improve": 1, "maintain": 2}
    priorities = [order[m.priority] for m in plan.measures]
    assert priorities == sorted(priorities)


def test_seed_001_plan_years_units_and_timeframes(frameworks: dict[int, Framework]) -> None:
    plan, _ = _plan(EXAMPLES / "seed-001-khok-muang-2567.yaml", frameworks)
    assert plan.plan_year == 2568
    first = plan.measures[0]
    # the largest gain (e9) comes first; no 2567 question text is held, so no template is known to
    # answer e9 itself: its measure answers the indicator
    assert first.priority == "weak" and first.answers == ("ind8",) and first.indicator == 8
    units = default_units("เทศบาลตำบล")
    every_unit = f"{units['all_units']} โดยมี{units['clerk_office']}เป็นผู้ประสานงาน"
    owners = {m.owner for m in plan.measures}
    assert owners <= {*units.values(), every_unit}
    assert all(m.timeframe.endswith(("2567", "2568")) for m in plan.measures)
    assert plan.limitations == () and plan.suggestions == ()  # defaults are supplied by the command


def test_timeframes_as_the_seeds_write_them() -> None:
    assert timeframe_text((1, 4), 2569, "months") == "ตุลาคม 2568 – กันยายน 2569"
    assert timeframe_text((2, 3), 2566, "months") == "มกราคม 2566 – มิถุนายน 2566"
    assert timeframe_text((1, 1), 2566, "quarters") == "ไตรมาส 1"
    assert timeframe_text((1, 4), 2566, "quarters") == "ไตรมาส 1-4"


def test_agency_units_override_the_defaults(frameworks: dict[int, Framework]) -> None:
    (record,), _ = read_results(EXAMPLES / "seed-002-bueng-kan-2568.yaml")
    framework = frameworks[2568]
    results = resolve(framework, record)
    units = {**default_units("เทศบาลเมือง"), "finance": "กองคลัง (งานพัสดุ)"}
    plan = draft_plan(
        framework, analyse(framework, results), results.agency, units, plan_year=2570, style="quarters"
    )
    assert plan.plan_year == 2570
    assert any(m.owner == "กองคลัง (งานพัสดุ)" for m in plan.measures)
    assert all(m.timeframe.startswith("ไตรมาส") for m in plan.measures)


def _edited(plan: Plan) -> Plan:
    """What a clerk does: rewrites a title and an owner, deletes a measure, adds one of their own."""
    first, _deleted, *rest = plan.measures
    mine = Measure(
        id="own-1",
        template=None,
        issue=7,
        indicator=10,
        answers=(),
        priority="improve",
        kind="กิจกรรม",
        title="จัดกิจกรรมวันต่อต้านคอร์รัปชันสากลร่วมกับชุมชน",
        steps=("ประสานชุมชน", "จัดกิจกรรม"),
        owner="งานนิติการ",
        co_owners=(),
        quarters=(1, 1),
        timeframe="ธันวาคม 2567",
        follow_up="รายงานผลต่อนายก",
        output="",
    )
    first = replace(first, title="ปรับปรุงระบบบริการออนไลน์ของเทศบาลตำบลโคกม่วง", owner="กองคลัง")
    return replace(plan, measures=(first, *rest, mine), limitations=("บุคลากรไม่เพียงพอ",))


def test_redraft_keeps_every_edit(frameworks: dict[int, Framework], tmp_path: Path) -> None:
    draft, _ = _plan(EXAMPLES / "seed-001-khok-muang-2567.yaml", frameworks, limitations=["ค่าเริ่มต้น"])
    edited = _edited(draft)
    removed_id = draft.measures[1].id
    # the edited plan goes through the file, as it would in real use
    path = write(tmp_path, "plan.yaml", plan_to_yaml(edited))
    old = read_plan(path)
    assert old == edited
    new_draft, _ = _plan(EXAMPLES / "seed-001-khok-muang-2567.yaml", frameworks, limitations=["ค่าเริ่มต้นใหม่"])
    merged, changes = redraft(old, new_draft)
    first = merged.measures[0]
    assert first.title == "ปรับปรุงระบบบริการออนไลน์ของเทศบาลตำบลโคกม่วง" and first.owner == "กองคลัง"
    assert first.steps == new_draft.measures[0].steps
    assert removed_id not in {m.id for m in merged.measures}
    assert "own-1" in {m.id for m in merged.measures}
    assert merged.limitations == ("บุคลากรไม่เพียงพอ",)
    kinds = {(c.kind, c.measure) for c in changes}
    assert ("kept_edit", first.id) in kinds and ("skipped_removed", removed_id) in kinds
    # and once more: the edits are still recognised as edits
    again, _ = redraft(merged, new_draft)
    assert again.measures[0].title == first.title and again.removed == (removed_id,)


def test_redraft_after_new_results_adds_and_drops(frameworks: dict[int, Framework], tmp_path: Path) -> None:
    before, _ = _plan(EXAMPLES / "seed-001-khok-muang-2567.yaml", frameworks)
    text = (EXAMPLES / "seed-001-khok-muang-2567.yaml").read_text(encoding="utf-8")
    for old, new in [
        ("e9: 30.49", "e9: 99.00"),
        ("8: 72.94", "8: 91.37"),
        ("4: 82.00", "4: 100.00"),
        ("i10: 75.33", "i10: 100.00"),
        ("i11: 97.33", "i11: 100.00"),
        ("i12: 73.33", "i12: 100.00"),
    ]:
        assert old in text
        text = text.replace(old, new)
    after, analysis = _plan(write(tmp_path, "improved.yaml", text), frameworks)
    merged, changes = redraft(before, after)
    assert {m.id for m in merged.measures} == {m.id for m in after.measures}
    assert not any("e9" in m.answers and m.priority == "weak" for m in merged.measures)
    kinds = {c.kind for c in changes}
    assert {"removed", "added"} <= kinds  # the asset measures go, a keep-the-standard one comes
    assert uncovered_weak_items(merged, analysis) == []  # type: ignore[arg-type]


def test_plan_file_errors_are_located(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "plan.yaml",
        "schema_version: 1\nagency: {name: ทต.ก}\nita_year: 2568\nplan_year: 2569\nmeasures:\n  - title: ''\n    quarters: [1, 9, 3]\n",
    )
    with pytest.raises(InputError) as info:
        read_plan(path)
    assert {p.code for p in info.value.problems} == {"plan_invalid"}
    assert all(p.location.line and p.location.line >= 6 for p in info.value.problems)


def test_plan_command_writes_and_updates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.yaml"
    assert run(cli, ["plan", str(EXAMPLES / "seed-002-bueng-kan-2568.yaml"), "-o", str(out)]) == 0
    plan = read_plan(out)
    assert plan.plan_year == 2569 and plan.limitations
    text = out.read_text(encoding="utf-8").replace(plan.measures[0].title, "มาตรการที่ผู้ใช้เขียนเอง")
    out.write_text(text, encoding="utf-8")
    assert (
        run(
            cli,
            ["plan", str(EXAMPLES / "seed-002-bueng-kan-2568.yaml"), "--update", str(out), "-o", str(out)],
        )
        == 0
    )
    assert read_plan(out).measures[0].title == "มาตรการที่ผู้ใช้เขียนเอง"
    assert "คงส่วนที่แก้ไขไว้" in capsys.readouterr().out


def test_plan_command_refuses_a_plan_of_another_agency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.yaml"
    assert run(cli, ["plan", str(EXAMPLES / "seed-002-bueng-kan-2568.yaml"), "-o", str(other)]) == 0
    target = tmp_path / "new.yaml"
    code = run(
        cli,
        ["plan", str(EXAMPLES / "seed-001-khok-muang-2567.yaml"), "--update", str(other), "-o", str(target)],
    )
    assert code == 2 and not target.exists()
    assert "เทศบาลเมืองบึงกาฬ" in capsys.readouterr().err


def test_plan_command_wants_a_yaml_output(tmp_path: Path) -> None:
    target = tmp_path / "plan.docx"
    assert run(cli, ["plan", str(EXAMPLES / "seed-002-bueng-kan-2568.yaml"), "-o", str(target)]) == 2
    assert not target.exists()
