"""The agency's own unit names (`--units`): a misspelt role or an empty name is refused at its line,
never ignored (issue 11); files that hold nothing say so; Windows-Thai files are read."""

from __future__ import annotations

from pathlib import Path

import pytest

from prongsai.analysis import analyse
from prongsai.catalog import agency_units
from prongsai.errors import InputError
from prongsai.framework import Framework
from prongsai.ingest import read_results
from prongsai.planning import draft_plan
from prongsai.problems import Problem
from prongsai.results import resolve
from prongsai.unitsfile import known_roles, read_units_file
from tests.conftest import EXAMPLES, write

UNITS = """\
# หน่วยงานของเทศบาลเมืองบึงกาฬ
finance: กองคลัง (งานพัสดุ)
legal: งานนิติการ สำนักปลัดเทศบาล
public_relations: ฝ่ายประชาสัมพันธ์ สำนักปลัดเทศบาล
"""


def _problems(tmp_path: Path, text: str) -> list[Problem]:
    with pytest.raises(InputError) as info:
        read_units_file(write(tmp_path, "units.yaml", text))
    return info.value.problems


def test_no_file_no_units() -> None:
    assert read_units_file(None) == {}


def test_the_agency_names_its_units(tmp_path: Path) -> None:
    units = read_units_file(write(tmp_path, "units.yaml", UNITS))
    assert units == {
        "finance": "กองคลัง (งานพัสดุ)",
        "legal": "งานนิติการ สำนักปลัดเทศบาล",
        "public_relations": "ฝ่ายประชาสัมพันธ์ สำนักปลัดเทศบาล",
    }


def test_the_roles_are_the_catalogs() -> None:
    roles = known_roles()
    assert {"finance", "legal", "internal_audit", "all_units"} <= set(roles)
    assert set(roles) == set(agency_units("เทศบาลเมือง", {}))


def test_a_misspelt_role_is_refused_with_the_close_spelling(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, UNITS.replace("finance:", "finanse:"))
    assert problem.code == "units_role_unknown" and problem.location.line == 2
    assert "did you mean 'finance'" in problem.message_en and "หมายถึง 'finance' หรือไม่" in problem.message_th
    assert "internal_audit" in problem.message_en  # the roles are listed


@pytest.mark.parametrize("name", ['""', "", "'   '", "null"])
def test_an_empty_unit_name_is_refused(tmp_path: Path, name: str) -> None:
    (problem,) = _problems(tmp_path, UNITS.replace("กองคลัง (งานพัสดุ)", name))
    assert problem.code == "text_blank" and problem.location.line == 2 and problem.location.field == "finance"


def test_a_unit_name_that_is_not_text(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, UNITS.replace("กองคลัง (งานพัสดุ)", "[กองคลัง, กองช่าง]"))
    assert problem.code == "wrong_type" and "a unit's name (text)" in problem.message_en


def test_a_unit_name_is_one_line_of_limited_length(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path, UNITS.replace("กองคลัง (งานพัสดุ)", '"กองคลัง\\nงานพัสดุ"'))
    assert problem.code == "text_line_break"
    (problem,) = _problems(tmp_path, UNITS.replace("กองคลัง (งานพัสดุ)", "ก" * 201))
    assert problem.code == "text_longer_than_field" and "200" in problem.message_en


def test_every_problem_at_once(tmp_path: Path) -> None:
    text = UNITS.replace("finance:", "finanse:").replace("งานนิติการ สำนักปลัดเทศบาล", "''") + "audit: x\n"
    found = [(p.code, p.location.line) for p in _problems(tmp_path, text)]
    assert found == [("units_role_unknown", 2), ("text_blank", 3), ("units_role_unknown", 5)]


@pytest.mark.parametrize("text", ["", "---\n", "null\n", "[]\n", "{}\n", "# ยังไม่ได้กรอก\n"])
def test_a_units_file_that_holds_nothing(tmp_path: Path, text: str) -> None:
    (problem,) = _problems(tmp_path, text)
    assert problem.code == "units_empty" and problem.location.file == "units.yaml"
    assert "--units" in problem.message_th and "--units" in problem.message_en


def test_a_list_or_two_documents_are_refused(tmp_path: Path) -> None:
    assert [p.code for p in _problems(tmp_path, "- กองคลัง\n")] == ["not_a_mapping"]
    (problem,) = _problems(tmp_path, UNITS + "---\nfinance: กองคลัง\n")
    assert problem.code == "input_several_documents" and problem.location.line == 6


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_units_file(tmp_path / "units.yaml")
    assert [p.code for p in info.value.problems] == ["file_not_found"]


def test_a_units_file_saved_as_windows_thai(tmp_path: Path) -> None:
    path = tmp_path / "units.yaml"
    path.write_bytes(UNITS.encode("cp874"))
    assert read_units_file(path)["finance"] == "กองคลัง (งานพัสดุ)"


def test_the_units_reach_the_draft(frameworks: dict[int, Framework], tmp_path: Path) -> None:
    (record,), _ = read_results(EXAMPLES / "seed-002-bueng-kan-2568.yaml")
    framework = frameworks[2568]
    results = resolve(framework, record)
    units = agency_units(results.agency.type, read_units_file(write(tmp_path, "units.yaml", UNITS)))
    plan = draft_plan(framework, analyse(framework, results), results.agency, units)
    owners = {m.owner for m in plan.measures} | {o for m in plan.measures for o in m.co_owners}
    assert "กองคลัง (งานพัสดุ)" in owners and "กองคลัง" not in owners
