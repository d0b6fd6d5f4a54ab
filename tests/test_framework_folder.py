"""A person's own frameworks folder (--frameworks / PRONGSAI_FRAMEWORKS): used beside the bundled
years, winning for the same year (said once), refused whole with every problem at its line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from prongsai.catalog import item_texts
from prongsai.crosswalk import load_crosswalk
from prongsai.errors import InputError
from prongsai.framework import bundled_frameworks, framework_set, load_frameworks, use_framework_folder
from prongsai.framework_notes import framework_notes
from tests.conftest import Run


def _definition(year: int) -> dict[str, Any]:
    return dict(bundled_frameworks()[year].definition)


def _write(folder: Path, name: str, definition: dict[str, Any]) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _year_2570(**changes: Any) -> dict[str, Any]:
    """2569 carried into a made-up 2570 whose OIT items continue 2569's (same_as)."""
    definition = _definition(2569) | {"ita_year": 2570, "name_th": "ITA 2570 (ทดสอบ)", **changes}
    definition["items"] = [
        {**item, "same_as": f"2569:{item['code']}"} if item["code"].startswith("o") else item
        for item in definition["items"]
    ]
    return definition


def test_a_year_in_the_folder_is_used_beside_the_bundled_ones(tmp_path: Path) -> None:
    _write(tmp_path, "ita-2570.yaml", _year_2570())
    use_framework_folder(tmp_path)
    frameworks = load_frameworks()
    assert set(bundled_frameworks()) < set(frameworks)
    assert frameworks[2570].origin == str(tmp_path / "ita-2570.yaml")
    assert frameworks[2568] is bundled_frameworks()[2568]
    assert framework_set().notes == ()  # nothing replaced, nothing to say


def test_same_as_links_follow_an_item_through_the_years_and_bring_its_findings(tmp_path: Path) -> None:
    _write(tmp_path, "ita-2570.yaml", _year_2570())
    use_framework_folder(tmp_path)
    crosswalk = load_crosswalk()
    # 2570 o25 is 2569 o25, which the bundled map links to 2568 o27 (the measures document)
    member = crosswalk.counterpart(2570, "o25", 2568)
    assert member is not None and member.code == "o27"
    own = crosswalk.counterpart(2568, "o27", 2570)
    assert own is not None and own.code == "o25" and not own.certain  # a person's link, not a text compared
    texts = item_texts(2570)
    assert texts["o25"].subject == item_texts(2568)["o27"].subject
    assert texts["o25"].by_status["below"].evidence == ("o25",)  # 2568's evidence o27, followed to 2570


def test_the_bundled_map_is_not_changed_by_a_folder(tmp_path: Path) -> None:
    before = load_crosswalk()
    _write(tmp_path, "ita-2570.yaml", _year_2570())
    use_framework_folder(tmp_path)
    assert load_crosswalk() is not before
    use_framework_folder(None)
    assert load_crosswalk() is before


def test_a_year_the_folder_replaces_is_said_once(tmp_path: Path, prongsai: Run) -> None:
    definition = _definition(2568) | {"name_th": "ITA 2568 ฉบับแก้ไขของจังหวัด"}
    _write(tmp_path, "ita-2568.yaml", definition)
    code, printed = prongsai("--frameworks", str(tmp_path), "check", "examples/seed-002-bueng-kan-2568.yaml")
    assert code == 0, printed
    assert printed.count("ใช้กรอบการประเมินปี 2568 จากไฟล์นี้แทนกรอบที่มากับโปรแกรม") == 1
    assert printed.count("the 2568 framework in this file is used instead") == 1


def test_the_environment_variable_names_the_folder(
    tmp_path: Path, prongsai: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, "ita-2570.yaml", _year_2570())
    monkeypatch.setenv("PRONGSAI_FRAMEWORKS", str(tmp_path))
    code, printed = prongsai("frameworks")
    assert code == 0, printed
    assert "2570" in printed and "ฉบับเบื้องต้น *" in printed  # * marks a year read from the folder


def test_a_wrong_file_is_refused_with_its_line_in_thai_and_english(tmp_path: Path, prongsai: Run) -> None:
    definition = _year_2570()
    items = definition["items"]
    e1 = next(i for i, item in enumerate(items) if item["code"] == "e1")
    items[e1] = {**items[e1], "indicator": 2}  # an EIT item under an IIT indicator
    path = _write(tmp_path, "ita-2570.yaml", definition)
    line = next(
        n
        for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if text.strip() == "indicator: 2" and n > _line_of(path, "code: e1")
    )
    with pytest.raises(InputError) as info:
        use_framework_folder(tmp_path)
        load_frameworks()
    (problem,) = info.value.problems
    assert problem.code == "framework_item_indicator_tool"
    assert problem.location.line == line and problem.location.file == str(path)
    assert "ข้อ e1 เป็นข้อของแบบวัด EIT" in problem.message_th
    assert "item e1 belongs to EIT" in problem.message_en
    use_framework_folder(None)
    code, printed = prongsai("--frameworks", str(tmp_path), "frameworks")
    assert code == 2 and f"บรรทัด {line}" in printed and f"line {line}" in printed
    assert "Traceback" not in printed


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_every_problem_of_a_folder_is_reported_at_once(tmp_path: Path) -> None:
    broken = _year_2570()
    weights = {**broken["rules"]["weights"], "value": {"IIT": 0.3, "EIT": 0.3, "OIT": 0.5}}
    broken["rules"] = {**broken["rules"], "weights": weights}
    broken["items"] = [*broken["items"], {"code": "o99", "source": "nowhere"}]
    _write(tmp_path, "ita-2570.yaml", broken)
    _write(tmp_path, "ita-2571.yaml", _year_2570())  # says 2570 inside
    _write(tmp_path, "notes.yaml", {"a": 1})  # not a framework file: skipped with a note
    with pytest.raises(InputError) as info:
        use_framework_folder(tmp_path)
        load_frameworks()
    codes = sorted(p.code for p in info.value.problems)
    assert codes == ["framework_source_unknown", "framework_weights_sum", "frameworks_file_year"]


def test_same_as_must_name_an_item_that_exists(tmp_path: Path) -> None:
    definition = _year_2570()
    definition["items"][0] = {**definition["items"][0], "same_as": "2569:i99"}
    _write(tmp_path, "ita-2570.yaml", definition)
    with pytest.raises(InputError) as info:
        use_framework_folder(tmp_path)
        load_frameworks()
    assert [p.code for p in info.value.problems] == ["frameworks_same_as_unknown"]


def test_a_missing_folder_is_a_clear_error(tmp_path: Path, prongsai: Run) -> None:
    code, printed = prongsai("--frameworks", str(tmp_path / "nowhere"), "frameworks")
    assert code == 2
    assert "ไม่พบโฟลเดอร์กรอบการประเมินที่ระบุ" in printed and "does not exist" in printed


def test_a_provisional_year_is_said_once_naming_what_is_not_confirmed() -> None:
    frameworks = load_frameworks()
    notes = framework_notes([frameworks[2569], frameworks[2569], frameworks[2568]])
    (note,) = notes
    assert note.code == "framework_provisional" and note.location.file is None
    assert "เกณฑ์ระดับผลการประเมิน" in note.message_th and "the pass mark" in note.message_en
    assert framework_notes([frameworks[2568]]) == []
