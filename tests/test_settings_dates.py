"""Dates as Thai officials write them, in the settings file and in `report --date` (issue 11): read
with one meaning, or refused with the reason; and settings files that hold nothing say so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from prongsai.cli import cli, run
from prongsai.document.settings import parse_date, read_settings
from prongsai.errors import InputError
from prongsai.problems import Location, Problem
from tests.conftest import EXAMPLES, write

HERE = Location(field="date")
DEC_15 = dt.date(2025, 12, 15)  # 15 ธันวาคม 2568


def _refused(value: object) -> Problem:
    parsed, (problem,) = parse_date(value, HERE)
    assert parsed is None
    return problem


@pytest.mark.parametrize(
    "written",
    [
        "15 ธ.ค. 2568",
        "15 ธันวาคม 2568",
        "๑๕ ธ.ค. ๒๕๖๘",
        "15/12/2568",
        "๑๕/๑๒/๒๕๖๘",
        "15.12.2568",
        "15-12-2568",
        "2568-12-15",
        "วันที่ 15 ธันวาคม พ.ศ. 2568",
        "ลงวันที่ ๑๕ ธันวาคม ๒๕๖๘",
        "15 ธ.ค. 68",  # the Buddhist era's usual two-digit abbreviation, with a Thai month name
        "15ธ.ค.2568",
        "15 ธค 2568",
        "15 ธันวา 2568",
        "  15   ธันวาคม   2568 ",
        "2025-12-15",  # Common Era forms that cannot be misread
        "15 ธ.ค. ค.ศ. 2025",
        "15 December 2025",
        "15/12/2025",
    ],
)
def test_the_ways_thai_officials_write_a_date(written: str) -> None:
    assert parse_date(written, HERE) == (DEC_15, [])


def test_a_leap_day_exists_in_a_leap_year_only() -> None:
    assert parse_date("29 ก.พ. 2567", HERE) == (dt.date(2024, 2, 29), [])
    problem = _refused("29 ก.พ. 2568")
    assert problem.code == "date_impossible" and problem.params["days"] == "28"


def test_an_impossible_date_names_the_month_length() -> None:
    problem = _refused("31 ก.พ. 2568")
    assert problem.code == "date_impossible"
    assert "กุมภาพันธ์ พ.ศ. 2568 มีเพียง 28 วัน" in problem.message_th
    assert "February 2025 has only 28 days" in problem.message_en
    assert _refused("31 เม.ย. 2568").params["days"] == "30"
    assert _refused("2568-13-01").code == "date_month_number"


def test_a_common_era_date_that_may_be_month_first_is_refused_with_both_readings() -> None:
    problem = _refused("05/12/2025")
    assert problem.code == "date_order_ambiguous"
    assert "5 December 2025" in problem.message_en and "12 May 2025" in problem.message_en
    assert "5 ธันวาคม 2568" in problem.message_th and "12 พฤษภาคม 2568" in problem.message_th
    assert parse_date("05/12/2568", HERE) == (dt.date(2025, 12, 5), [])  # B.E.: always day first
    assert parse_date("25/12/2025", HERE) == (dt.date(2025, 12, 25), [])  # 25 cannot be a month


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("15/12/68", "date_year_two_digits"),
        ("15 December 25", "date_year_two_digits"),
        ("15 ธ.ค. ค.ศ. 25", "date_year_two_digits"),
        ("15 ธ.ค. พ.ศ. 2025", "date_era_mismatch"),
        ("15 ธ.ค. ค.ศ. 2568", "date_era_mismatch"),
        ("15 ธ.ค. 3000", "date_year_out_of_range"),
        ("15/12/0", "date_year_out_of_range"),
        ("15 ธันวาคน 2568", "date_month_unknown"),
        ("พรุ่งนี้", "date_unreadable"),
        ("", "date_unreadable"),
        (2568, "date_unreadable"),
        (None, "date_unreadable"),
    ],
)
def test_dates_refused_with_the_reason(written: object, code: str) -> None:
    problem = _refused(written)
    assert problem.code == code and problem.location == HERE
    assert "{" not in problem.message_th and "{" not in problem.message_en


def test_a_misspelt_month_gets_the_close_spelling() -> None:
    assert "หมายถึง 'ธันวาคม' หรือไม่" in _refused("15 ธันวาคน 2568").message_th


def test_a_date_object_is_read_as_buddhist_era_and_checked() -> None:
    """A YAML loader that makes dates reads 2568-12-15 as a date of year 2568."""
    assert parse_date(dt.date(2568, 12, 15), HERE) == (DEC_15, [])
    assert _refused(dt.date(2568, 2, 29)).code == "date_impossible"  # 2568 is leap; 2025 is not


# --------------------------------------------------------------------------------------------------
# The settings file
# --------------------------------------------------------------------------------------------------

SETTINGS = """\
prepared_by: {name: นางสาวสมศรี ใจดี, position: นิติกรชำนาญการ}
approved_by: {name: นายสมปอง มั่นคง, position: นายกเทศมนตรีเมืองบึงกาฬ}
unit: งานนิติการ สำนักปลัดเทศบาล
date: 15 ธ.ค. 2568
"""


def test_settings_with_a_thai_date(tmp_path: Path) -> None:
    settings = read_settings(write(tmp_path, "settings.yaml", SETTINGS))
    assert settings.date == DEC_15 and settings.unit == "งานนิติการ สำนักปลัดเทศบาล"
    assert settings.signers["approved_by"].position == "นายกเทศมนตรีเมืองบึงกาฬ"


def test_settings_saved_as_windows_thai_are_read(tmp_path: Path) -> None:
    """Thai Notepad and Excel save Windows-874; the loader decodes it (no UnicodeDecodeError)."""
    path = tmp_path / "settings.yaml"
    path.write_bytes(SETTINGS.encode("cp874"))
    settings = read_settings(path)
    assert settings.signers["prepared_by"].name == "นางสาวสมศรี ใจดี" and settings.date == DEC_15


def test_every_settings_problem_at_once_at_its_line(tmp_path: Path) -> None:
    text = (
        SETTINGS.replace("15 ธ.ค. 2568", "31 ก.พ. 2568")
        .replace("นิติกรชำนาญการ", '"นิติกร\\nชำนาญการ"')
        .replace("unit:", "unti:")
    )
    with pytest.raises(InputError) as info:
        read_settings(write(tmp_path, "settings.yaml", text))
    found = [(p.code, p.location.line) for p in info.value.problems]
    assert found == [("text_line_break", 1), ("unknown_field", 3), ("date_impossible", 4)]


def test_a_name_over_the_limit(tmp_path: Path) -> None:
    text = SETTINGS.replace("นายสมปอง มั่นคง", "นายสมปอง มั่นคง" + "ง" * 300)
    with pytest.raises(InputError) as info:
        read_settings(write(tmp_path, "settings.yaml", text))
    (problem,) = info.value.problems
    assert problem.code == "text_longer_than_field" and problem.location.field == "approved_by.name"
    assert "200" in problem.message_en


@pytest.mark.parametrize("text", ["", "---\n", "null\n", "[]\n", "{}\n", "# ยังไม่ได้กรอก\n"])
def test_a_settings_file_that_holds_nothing(tmp_path: Path, text: str) -> None:
    with pytest.raises(InputError) as info:
        read_settings(write(tmp_path, "settings.yaml", text))
    (problem,) = info.value.problems
    assert problem.code == "settings_empty" and problem.location.file == "settings.yaml"


def test_a_settings_file_of_two_documents_or_a_list(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_settings(write(tmp_path, "settings.yaml", SETTINGS + "---\n" + SETTINGS))
    assert [(p.code, p.location.line) for p in info.value.problems] == [("input_several_documents", 6)]
    with pytest.raises(InputError) as info:
        read_settings(write(tmp_path, "settings.yaml", "- 15 ธ.ค. 2568\n"))
    assert [p.code for p in info.value.problems] == ["not_a_mapping"]


# --------------------------------------------------------------------------------------------------
# report --date
# --------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_report_date_option_in_thai(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    args = ["report", str(EXAMPLES / "seed-002-bueng-kan-2568.yaml"), "--date", "๑๕ ธ.ค. ๒๕๖๘"]
    assert run(cli, [*args, "-o", str(out)]) == 0
    assert "๑๕ ธันวาคม ๒๕๖๘" in out.read_text(encoding="utf-8")  # a เทศบาล's document: Thai digits
    arabic = tmp_path / "arabic.html"
    assert run(cli, [*args, "--digits", "arabic", "-o", str(arabic)]) == 0
    assert "15 ธันวาคม 2568" in arabic.read_text(encoding="utf-8")


def test_report_refuses_an_impossible_date_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "measures.json"
    args = ["report", str(EXAMPLES / "seed-002-bueng-kan-2568.yaml"), "--date", "31 ก.พ. 2568"]
    assert run(cli, [*args, "--format", "json", "-o", str(out)]) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert "--date" in err and "February 2025 has only 28 days" in err
