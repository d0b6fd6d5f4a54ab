"""What each measure yields, costs and rests on (issue 13): the plan's target, budget and legal
basis, drafted from the templates, checked with their lines, kept through re-drafting, printed in
every layout, and the catalog of laws they cite."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from prongsai.agency import fill_words, words_for
from prongsai.catalog.legal import laws
from prongsai.catalog.measures import role_names, templates
from prongsai.document import measures_export
from prongsai.document.build import build_document
from prongsai.document.layouts import LAYOUTS
from prongsai.document.parts import measure_budget
from prongsai.errors import InputError
from prongsai.planfile import plan_to_yaml, read_plan
from prongsai.planning import Budget, Plan, redraft
from prongsai.problems import Problem
from tests.conftest import write
from tests.document.reports import SEEDS, seed_report

BY_ID = {t.id: t for t in templates()}

PLAN = """\
schema_version: 1
agency: {name: เทศบาลเมืองบึงกาฬ, type: เทศบาลเมือง}
ita_year: 2568
plan_year: 2569
measures:
  - id: own-1
    title: อบรมคุณธรรมจริยธรรมสำหรับบุคลากร
    steps: [จัดทำโครงการ, จัดอบรม]
    owner: สำนักปลัดเทศบาล
    output: บุคลากรผ่านการอบรม
    target: บุคลากรเข้าร่วมการอบรมไม่น้อยกว่าร้อยละ 80
    budget: {amount: "20,000", source: เทศบัญญัติงบประมาณรายจ่ายประจำปี พ.ศ. 2569}
    legal_basis: [ethics-standards-act]
"""


def _problems(tmp_path: Path, text: str) -> list[Problem]:
    with pytest.raises(InputError) as info:
        read_plan(write(tmp_path, "plan.yaml", text))
    return info.value.problems


# --------------------------------------------------------------------------------------------------
# Drafting
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_drafted_measures_carry_the_templates_target_budget_and_legal_basis(seed: str) -> None:
    plan = seed_report(seed).plan
    words = words_for(plan.agency.type, plan.agency.name)
    for m in plan.measures:
        template = BY_ID[m.template or ""]
        units = {**role_names()}
        expected_target = fill_words(template.target, words, units) if template.target else ""
        # a template without a target gives none: no number is invented
        assert (m.target == "") == (expected_target == ""), m.id
        assert m.budget == (Budget(none=True) if template.budget == "none" else Budget()), m.id
        assert m.budget.amount is None  # the draft never states an amount
        assert m.legal_basis == template.legal_basis, m.id
        assert "target" in m.drafted and "budget" in m.drafted and "legal_basis" in m.drafted


def test_a_drafted_plan_writes_and_reads_the_new_fields(tmp_path: Path) -> None:
    plan = seed_report("002").plan
    text = plan_to_yaml(plan)
    assert "budget:\n    none: true\n" in text and "budget: {}" in text and "legal_basis:" in text
    assert read_plan(write(tmp_path, "plan.yaml", text)) == plan


def test_the_hand_written_fields_read(tmp_path: Path) -> None:
    plan = read_plan(write(tmp_path, "plan.yaml", PLAN))
    (m,) = plan.measures
    assert m.budget == Budget(20000, "เทศบัญญัติงบประมาณรายจ่ายประจำปี พ.ศ. 2569")
    assert m.target.startswith("บุคลากรเข้าร่วม") and m.legal_basis == ("ethics-standards-act",)
    thai = PLAN.replace('"20,000"', '"๒๐,๐๐๐"')
    assert read_plan(write(tmp_path, "thai.yaml", thai)).measures[0].budget.amount == 20000


# --------------------------------------------------------------------------------------------------
# Validation: clear Thai and English errors at their lines
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "code", "line"),
    [
        ('amount: "20,000", source', "amount: 0, source", "plan_budget_amount_invalid", 12),
        ('amount: "20,000", source', "amount: -5, source", "plan_budget_amount_invalid", 12),
        ('amount: "20,000", source', "amount: 1500.5, source", "wrong_type", 12),
        ('amount: "20,000", source', "none: true, amount: 100, source", "plan_budget_none_and_amount", 12),
        ('amount: "20,000", source', "none: yes please, source", "wrong_type", 12),
        ('amount: "20,000", source', "amout: 100, source", "unknown_field", 12),
        (
            "legal_basis: [ethics-standards-act]",
            "legal_basis: [ethics-standard-act]",
            "plan_legal_unknown",
            13,
        ),
        ("legal_basis: [ethics-standards-act]", "legal_basis: ethics-standards-act", "wrong_type", 13),
        ("target: บุคลากรเข้าร่วมการอบรมไม่น้อยกว่าร้อยละ 80", "target: [80]", "wrong_type", 11),
    ],
)
def test_a_broken_field_is_refused_at_its_line(
    tmp_path: Path, old: str, new: str, code: str, line: int
) -> None:
    assert old in PLAN
    problems = _problems(tmp_path, PLAN.replace(old, new))
    assert [(p.code, p.location.line) for p in problems] == [(code, line)]
    problem = problems[0]
    assert problem.message_th and problem.message_en


def test_an_unknown_law_gets_the_close_key_in_both_languages(tmp_path: Path) -> None:
    text = PLAN.replace("[ethics-standards-act]", "[ethics-standard-act]")
    (problem,) = _problems(tmp_path, text)
    assert "ethics-standards-act" in problem.message_th and "ethics-standards-act" in problem.message_en


# --------------------------------------------------------------------------------------------------
# Re-drafting keeps every edit
# --------------------------------------------------------------------------------------------------


def _edit(plan: Plan) -> Plan:
    first, second, third, *rest = plan.measures
    first = replace(first, budget=Budget(15000, "เทศบัญญัติงบประมาณรายจ่ายประจำปี พ.ศ. 2567"))
    second = replace(second, target="ดำเนินการแล้วเสร็จภายในไตรมาสที่ 2")
    third = replace(third, legal_basis=("official-information-act",), budget=Budget(none=True))
    return replace(plan, measures=(first, second, third, *rest))


def test_redraft_keeps_an_edited_budget_target_and_legal_basis(tmp_path: Path) -> None:
    draft = seed_report("000").plan
    edited = _edit(draft)
    old = read_plan(write(tmp_path, "plan.yaml", plan_to_yaml(edited)))
    assert old == edited
    merged, changes = redraft(old, draft)
    assert merged.measures[:3] == edited.measures[:3]
    kept = {c.measure: set(c.fields) for c in changes if c.kind == "kept_edit"}
    first, second, third = (m.id for m in draft.measures[:3])
    assert kept[first] == {"budget"} and kept[second] == {"target"}
    assert kept[third] >= {"legal_basis"}
    again, _ = redraft(merged, draft)  # still recognised as edits
    assert again.measures[:3] == edited.measures[:3]


def test_a_plan_written_before_the_fields_existed_takes_them_from_the_new_draft(tmp_path: Path) -> None:
    draft = seed_report("003").plan
    data = plan_to_yaml(draft)
    for key in ("target", "budget", "legal_basis"):  # what an older prongsai wrote
        data = re.sub(rf"(?m)^  {key}:(?: .*)?\n(?:  - .*\n|    none: true\n)*", "", data)
        data = re.sub(rf"(?m)^    {key}: \w+\n", "", data)
    old = read_plan(write(tmp_path, "old.yaml", data))
    assert all(m.budget == Budget() and not m.drafted.get("budget") for m in old.measures)
    assert all(not m.edited_fields() for m in old.measures)
    merged, changes = redraft(old, draft)
    assert merged.measures == draft.measures
    assert not [c for c in changes if c.kind == "kept_edit"]


# --------------------------------------------------------------------------------------------------
# Printed in every layout
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("seed", SEEDS)
def test_every_layout_prints_each_measures_output_target_budget_and_follow_up(seed: str, layout: str) -> None:
    report = seed_report(seed)
    # one measure of each kind of budget, and a law, whatever the draft holds
    first, second, *rest = report.plan.measures
    first = replace(first, budget=Budget(20000, "เทศบัญญัติงบประมาณรายจ่ายประจำปี พ.ศ. 2569"))
    second = replace(second, legal_basis=("procurement-act", "procurement-regulation"))
    report = replace(report, plan=replace(report.plan, measures=(first, second, *rest)))
    official = build_document(report, layout).official_text()
    for m in report.plan.measures:
        if m.output:
            assert m.output in official, (layout, m.id)
        if m.target:
            assert m.target in official, (layout, m.id)
        assert measure_budget(m) in official, (layout, m.id)
        assert m.follow_up in official, (layout, m.id)
        for key in m.legal_basis:
            assert laws()[key].cited in official, (layout, m.id)
    assert "20,000 บาท (เทศบัญญัติงบประมาณรายจ่ายประจำปี พ.ศ. 2569)" in official
    assert "ไม่ใช้งบประมาณ" in official
    assert "ดำเนินการตามพระราชบัญญัติการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. 2560 และระเบียบ" in official


def test_budget_wording() -> None:
    base = seed_report("000").plan.measures[0]
    assert measure_budget(replace(base, budget=Budget(none=True))) == "ไม่ใช้งบประมาณ"
    assert measure_budget(replace(base, budget=Budget())) == "ใช้งบประมาณปกติของหน่วยงาน"
    assert measure_budget(replace(base, budget=Budget(1500000))) == "1,500,000 บาท"
    source = Budget(source="เงินอุดหนุนทั่วไป")
    assert measure_budget(replace(base, budget=source)) == "เงินอุดหนุนทั่วไป"


def test_the_measures_export_has_the_fields() -> None:
    rows = measures_export.measure_rows(seed_report("002"))
    assert {"output", "target", "budget", "legal_basis"} <= set(rows[0])
    assert all(row["budget"] for row in rows)
    assert any(row["legal_basis"] for row in rows)
    data = json.loads(measures_export.to_json(rows))
    assert data[0]["budget"] == rows[0]["budget"]
    assert "งบประมาณ".encode() in measures_export.to_csv(rows)


# --------------------------------------------------------------------------------------------------
# The catalog of laws
# --------------------------------------------------------------------------------------------------


def test_every_law_has_a_source_and_its_year_in_its_title() -> None:
    for key, law in laws().items():
        assert law.source.startswith(("https://", "http://")), key
        assert law.checked, key
        assert f"พ.ศ. {law.year}" in law.title, key
        assert law.confirmed or law.note, key


def test_every_key_a_template_uses_exists_and_is_confirmed() -> None:
    used = {key for t in templates() for key in t.legal_basis}
    assert used, "templates rest on laws"
    assert used <= set(laws())
    assert all(laws()[key].confirmed for key in used)
    # the laws issue 13 names are all in the catalog
    titles = " ".join(law.title for law in laws().values())
    for name in (
        "ข้อมูลข่าวสารของราชการ พ.ศ. 2540",
        "การอำนวยความสะดวกในการพิจารณาอนุญาต",
        "มาตรฐานทางจริยธรรม พ.ศ. 2562",
    ):
        assert name in titles
    assert "ระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. 2560" in titles
