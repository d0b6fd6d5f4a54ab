"""Each kind of agency in its own words (catalog/terms.yaml): every catalog text rendered for every
kind, the drafted plans and the built documents of seed 000 (a เทศบาลตำบล) and of an อบต. and a
ส่วนราชการ built from the same results hold only their kind's words, one term per thing."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from typing import Any

import pytest

from prongsai.agency import (
    PLACEHOLDER,
    Agency,
    Words,
    fill_words,
    foreign_marks,
    kinds,
    never_words,
    words_for,
)
from prongsai.app.agency_year import load_agency_year as load
from prongsai.catalog import agency_units, findings, narrative, plan_defaults
from prongsai.catalog.measures import role_names, templates
from prongsai.document.build import build_document
from prongsai.document.layouts import LAYOUTS
from prongsai.document.output import render_report
from prongsai.document.parts import ReportInput
from prongsai.document.settings import Person, ReportSettings
from prongsai.document.texts import _catalog, agency_words, text
from prongsai.planning import Plan, draft_plan
from tests.document.reports import DATE, example

# one agency type for each kind of agency
TYPES = {
    "municipality": "เทศบาลตำบล",
    "sao": "องค์การบริหารส่วนตำบล",
    "pao": "องค์การบริหารส่วนจังหวัด",
    "bangkok": "กรุงเทพมหานคร",
    "pattaya": "เมืองพัทยา",
    "government": "ส่วนราชการ",
    "other": "รัฐวิสาหกิจ",
}


def test_every_kind_has_a_type_here() -> None:
    assert set(TYPES) == set(kinds())
    assert all(words_for(t).kind == k for k, t in TYPES.items())


def _units(agency_type: str) -> dict[str, str]:
    return {**role_names(), **agency_units(agency_type, {})}


def _wrong_words(value: str, words: Words, name: str = "") -> list[str]:
    """Marks of other kinds and words never allowed that a text holds (the agency's name aside)."""
    plain = value.replace(name, "") if name else value
    found = [m for m in foreign_marks(words) if m in plain]
    return found + [w for w in never_words() if w in plain]


def _catalog_texts(agency_type: str) -> list[str]:
    """Every catalog text a plan or document of this type can print, placeholders filled."""
    words, units = words_for(agency_type), _units(agency_type)
    out = [fill_words(t, words, units) for t in (*plan_defaults()[0], *plan_defaults()[1])]
    for template in templates():
        if words.local or not template.local_only:
            out += [fill_words(t, words, units) for t in template.texts]
    out += list(agency_units(agency_type, {}).values())
    out += [
        fill_words(value, words, units)
        for name in ("document.yaml", "progress_report.yaml")
        for value in _leaves(_catalog(name))
    ]
    out += [fill_words(value, words, units, strict=False) for value in _leaves(dict(narrative()))]
    for year in (2566, 2567, 2568):
        for item in findings(year).values():
            out += [
                item.subject,
                *(t for f in item.by_status.values() for t in (f.finding, f.recommendation)),
            ]
    return out


def _leaves(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [leaf for value in node.values() for leaf in _leaves(value)]
    return []


@pytest.mark.parametrize("kind", list(TYPES))
def test_every_catalog_text_speaks_the_words_of_each_kind(kind: str) -> None:
    agency_type = TYPES[kind]
    words = words_for(agency_type)
    for value in _catalog_texts(agency_type):
        assert not PLACEHOLDER.search(value), value
        assert not _wrong_words(value, words), (kind, _wrong_words(value, words), value)


def test_the_words_of_each_kind() -> None:
    municipality, sao, pao, government = (
        words_for(TYPES[k]) for k in ("municipality", "sao", "pao", "government")
    )
    assert municipality.terms["executive"] == "นายกเทศมนตรี"
    assert municipality.terms["chief_officer"] == "ปลัดเทศบาล"
    assert municipality.terms["council"] == "สภาเทศบาล"
    assert municipality.terms["budget_act"].startswith("เทศบัญญัติงบประมาณรายจ่าย")
    assert sao.terms["executive"] == "นายกองค์การบริหารส่วนตำบล"
    assert sao.terms["chief_officer"] == "ปลัดองค์การบริหารส่วนตำบล"
    assert sao.terms["council"] == "สภาองค์การบริหารส่วนตำบล"
    assert sao.terms["budget_act"].startswith("ข้อบัญญัติ")
    assert pao.terms["executive"] == "นายกองค์การบริหารส่วนจังหวัด"
    assert pao.terms["budget_act"].startswith("ข้อบัญญัติองค์การบริหารส่วนจังหวัด")
    assert government.terms["executive"] == "หัวหน้าส่วนราชการ"
    assert "council" not in government.terms  # no council: its templates are local government's only
    every = fill_words("{term.all_units_owner}", municipality, _units("เทศบาลตำบล"))
    assert every == "ทุกส่วนราชการ โดยมีสำนักปลัดเทศบาลเป็นผู้ประสานงาน"


def test_a_type_given_by_abbreviation_or_only_in_the_name_still_finds_its_words() -> None:
    assert words_for("ทต.").kind == "municipality"
    assert words_for(None, "อบต.นาดี").kind == "sao"
    assert words_for(None, "องค์การบริหารส่วนจังหวัดสงขลา").kind == "pao"
    assert words_for(None, "บริษัท ก").kind == words_for(None).kind == "other"


def test_welfare_allowances_belong_to_social_welfare_not_health() -> None:
    units = agency_units("เทศบาลตำบล", {})
    assert units["social_welfare"] == "กองสวัสดิการสังคม"
    welfare = [t for t in templates() if any("เบี้ยยังชีพ" in x for x in t.texts)]
    assert welfare
    for template in welfare:
        roles = {template.owner, *template.co_owners}
        assert "social_welfare" in roles and "health" not in roles, template.id


def test_the_tools_are_called_as_the_framework_calls_them() -> None:
    assert "แบบตรวจ" in never_words()
    assert text("common.tools.OIT").startswith("แบบวัด")


# --------------------------------------------------------------------------------------------------
# Plans and documents of seed 000 as a เทศบาลตำบล, an อบต. and a ส่วนราชการ
# --------------------------------------------------------------------------------------------------

VARIANTS = {
    "เทศบาลตำบล": "เทศบาลตำบลบึงไผ่",
    "องค์การบริหารส่วนตำบล": "องค์การบริหารส่วนตำบลบึงไผ่",
    "ส่วนราชการ": "สำนักงานบึงไผ่",
}


@cache
def _variant(agency_type: str) -> ReportInput:
    loaded = load(example("000"), (), None)
    agency = Agency(VARIANTS[agency_type], agency_type)
    results = replace(loaded.results, agency=agency)
    limitations, suggestions = plan_defaults()
    plan = draft_plan(
        loaded.framework,
        loaded.analysis,
        agency,
        agency_units(agency_type, {}),
        limitations=limitations,
        suggestions=suggestions,
    )
    words = words_for(agency_type)
    settings = ReportSettings(  # the signers' positions in the kind's words too
        signers={
            "prepared_by": Person("นางสาวสมศรี ใจดี", "นิติกรชำนาญการ"),
            "endorsed_by": Person("นายสมชาย รักดี", words.terms["chief_officer"]),
            "approved_by": Person("นายสมปอง มั่นคง", words.terms["executive"]),
        },
        unit=agency_units(agency_type, {})["legal"],
        date=DATE,
    )
    return ReportInput(loaded.framework, results, loaded.analysis, plan, settings)


def _plan_texts(plan: Plan) -> list[str]:
    out = [*plan.limitations, *plan.suggestions]
    for m in plan.measures:
        out += [m.title, *m.steps, m.owner, *m.co_owners, m.follow_up, m.output]
    return out


@pytest.mark.parametrize("agency_type", list(VARIANTS))
def test_the_drafted_plan_uses_only_its_kinds_words(agency_type: str) -> None:
    report = _variant(agency_type)
    words = words_for(agency_type)
    for value in _plan_texts(report.plan):
        assert not PLACEHOLDER.search(value), value
        assert not _wrong_words(value, words, report.agency), (agency_type, value)
    if not words.local:
        local_only = {t.id for t in templates() if t.local_only}
        assert not local_only & {m.template for m in report.plan.measures}


def test_seed_000_speaks_as_a_municipality_and_its_sao_variant_as_an_sao() -> None:
    municipality = "\n".join(_plan_texts(_variant("เทศบาลตำบล").plan))
    assert "ทุกส่วนราชการ โดยมีสำนักปลัดเทศบาลเป็นผู้ประสานงาน" in municipality
    assert "นายกเทศมนตรี" in municipality and "องค์การบริหารส่วนตำบล" not in municipality
    sao = "\n".join(_plan_texts(_variant("องค์การบริหารส่วนตำบล").plan))
    assert "นายกองค์การบริหารส่วนตำบล" in sao
    assert "เทศบาล" not in sao and "เทศมนตรี" not in sao


# Texts other engineers own (question texts, findings, narrative) are checked too, through the
# documents: a wrong word there shows here.
@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("agency_type", list(VARIANTS))
def test_the_built_document_uses_only_its_kinds_words(agency_type: str, layout: str) -> None:
    report = _variant(agency_type)
    words = words_for(agency_type)
    document = build_document(report, layout)
    body = document.text()
    assert not PLACEHOLDER.search(body)
    wrong = _wrong_words(body, words, report.agency)
    assert not wrong, (agency_type, layout, wrong)


@pytest.mark.parametrize("agency_type", list(VARIANTS))
def test_the_measures_export_uses_only_its_kinds_words(agency_type: str) -> None:
    report = _variant(agency_type)
    rows = json.loads(render_report(report, "json", layout="summary"))
    body = json.dumps(rows, ensure_ascii=False)
    assert not _wrong_words(body, words_for(agency_type), report.agency)


def test_document_texts_fill_their_placeholders_with_the_agency_words() -> None:
    words = words_for("องค์การบริหารส่วนตำบล")
    with agency_words(words, _units("องค์การบริหารส่วนตำบล")):
        assert fill_words("{term.executive}", words, {}) == "นายกองค์การบริหารส่วนตำบล"
        assert text("common.measures_title")  # no text of document.yaml lacks a word for an อบต.
