"""The document's date (issue 13, item 8): chosen inside the plan year's planning season when nobody
gives one, and a date given outside that season warned of once, in Thai and English.

The season of plan year P runs from the announcement of the results of ITA year P-1 to 31 December,
the end of P's first quarter (catalog/calendar.yaml, confirmed: false). Fiscal year P runs from
1 October P-1 to 30 September P (Buddhist era).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from prongsai.cli import cli, run
from prongsai.document import settings as settings_module
from prongsai.document.settings import ReportSettings, read_settings
from prongsai.problems import Location
from prongsai.thai import to_thai_digits
from prongsai.thaicalendar import fiscal_year_start, planning_season
from tests.document.reports import example

D = dt.date
AT_DATE = Location(option="--date")


# --------------------------------------------------------------------------------------------------
# The season, from what the sources held show
# --------------------------------------------------------------------------------------------------


def test_the_2569_season_runs_from_the_2568_results_to_the_end_of_december_2568() -> None:
    season = planning_season(2569)
    assert season.start == D(2025, 8, 15)  # ITA 2568 results announced 15 สิงหาคม 2568
    assert season.start_confirmed
    assert season.end == D(2025, 12, 31)  # 31 ธันวาคม 2568, the end of the plan year's first quarter
    assert season.before_plan_year == D(2025, 9, 30)  # 30 กันยายน 2568
    assert fiscal_year_start(2569) == D(2025, 10, 1)


def test_the_announcements_held_start_their_seasons() -> None:
    assert planning_season(2567).start == D(2023, 8, 10)  # ITA 2566
    assert planning_season(2568).start == D(2024, 7, 30)  # ITA 2567
    assert all(planning_season(y).start_confirmed for y in (2567, 2568, 2569))


def test_a_year_whose_announcement_is_not_held_starts_on_30_july() -> None:
    """ITA 2569 (plan 2570, examples/example-2569.yaml) and 2565 (plan 2566, seed 003): the earliest
    announcement held, 30 July, stands in, unconfirmed."""
    for plan_year, start in ((2570, D(2026, 7, 30)), (2566, D(2022, 7, 30))):
        season = planning_season(plan_year)
        assert (season.start, season.start_confirmed) == (start, False)
        assert season.end == D(start.year, 12, 31)


def test_the_seeds_dates_fall_inside_their_seasons() -> None:
    # seed 003: the meeting that set the 2566 measures, 9 ธันวาคม 2565
    assert D(2022, 12, 9) in planning_season(2566)
    # seeds 001 and 002: measures run from 1 October of the plan year, inside its season
    assert fiscal_year_start(2568) in planning_season(2568)
    assert fiscal_year_start(2569) in planning_season(2569)


# --------------------------------------------------------------------------------------------------
# The default date
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "chosen"),
    [
        (D(2025, 1, 10), D(2025, 8, 15)),  # long before the results: the season's first day
        (D(2025, 8, 14), D(2025, 8, 15)),  # the day before the results
        (D(2025, 8, 15), D(2025, 8, 15)),  # the day of the results
        (D(2025, 9, 30), D(2025, 9, 30)),  # the last day before the plan year
        (D(2025, 10, 1), D(2025, 10, 1)),  # the plan year's first day
        (D(2025, 12, 31), D(2025, 12, 31)),  # the season's last day
        (D(2026, 1, 1), D(2025, 9, 30)),  # the day after: back to the day before the plan year
        (D(2026, 12, 2), D(2025, 9, 30)),  # the case: a 2569 document made in ธันวาคม 2569
    ],
)
def test_the_default_date_of_the_2569_document(today: dt.date, chosen: dt.date) -> None:
    settings, notes = ReportSettings().for_plan_year(2569, today=today)
    assert settings.date == chosen and chosen in planning_season(2569)
    assert notes == []


def test_the_default_date_of_the_2570_document_made_in_december_2569_is_today() -> None:
    settings, notes = ReportSettings().for_plan_year(2570, today=D(2026, 12, 2))
    assert settings.date == D(2026, 12, 2) and notes == []
    settings, _ = ReportSettings().for_plan_year(2570, today=D(2026, 7, 29))
    assert settings.date == D(2026, 7, 30)


def test_a_plan_year_with_its_settings_keeps_the_signers() -> None:
    given = ReportSettings(unit="งานนิติการ สำนักปลัดเทศบาล")
    settings, _ = given.for_plan_year(2569, today=D(2026, 3, 1))
    assert settings.unit == given.unit and settings.date == D(2025, 9, 30)


# --------------------------------------------------------------------------------------------------
# A date given
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [D(2025, 8, 15), D(2025, 9, 30), D(2025, 10, 1), D(2025, 12, 31)])
def test_a_date_given_inside_the_season_is_kept_without_a_word(day: dt.date) -> None:
    settings, notes = ReportSettings(date=day, date_from=AT_DATE).for_plan_year(2569, today=D(2027, 5, 5))
    assert settings.date == day and notes == []


@pytest.mark.parametrize("day", [D(2025, 8, 14), D(2026, 1, 1), D(2026, 12, 2)])
def test_a_date_given_outside_the_season_is_kept_with_one_warning(day: dt.date) -> None:
    settings, notes = ReportSettings(date=day, date_from=AT_DATE).for_plan_year(2569)
    assert settings.date == day
    [note] = notes
    assert note.code == "document_date_outside_season" and note.severity == "warning"
    assert note.location == AT_DATE
    thai, english = note.describe("th"), note.describe("en")
    assert "--date" in thai and "--date" in english
    assert "15 สิงหาคม 2568 ถึง 31 ธันวาคม 2568" in thai and "30 กันยายน 2568" in thai
    assert "2025-08-15 to 2025-12-31" in english and day.isoformat() in english
    assert "2569" in thai and "2569" in english
    assert not re.search(r"[\u0e00-\u0e7f]", english)


def test_the_settings_file_says_where_its_date_is(tmp_path: Path) -> None:
    path = tmp_path / "agency.yaml"
    path.write_text("unit: งานนิติการ\ndate: 15 ธันวาคม 2568\n", encoding="utf-8")
    settings = read_settings(path)
    assert settings.date == D(2025, 12, 15)
    assert settings.date_from == Location(file="agency.yaml", line=2, field="date")
    path.write_text("unit: งานนิติการ\n", encoding="utf-8")
    assert read_settings(path).date_from is None


# --------------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------------


def _report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(cli, ["report", str(example("002")), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _dated(html: Path, day: str) -> bool:
    text = html.read_text(encoding="utf-8")
    return f"วันที่ {day}" in text or f"วันที่ {to_thai_digits(day)}" in text


@pytest.fixture
def december_2569(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command runs on 2 ธันวาคม 2569, after the season of seed 002's plan year 2569."""
    monkeypatch.setattr(settings_module, "_today", lambda: D(2026, 12, 2))


@pytest.mark.slow
def test_the_command_dates_a_late_document_the_day_before_its_plan_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], december_2569: None
) -> None:
    out = tmp_path / "o.html"
    code, _, err = _report(capsys, "-o", str(out))
    assert code == 0, err
    assert _dated(out, "30 กันยายน 2568") and not _dated(out, "2 ธันวาคม 2569")
    assert "document_date" not in err and "planning season" not in err


@pytest.mark.slow
def test_the_command_warns_once_of_a_date_given_outside_the_season(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], december_2569: None
) -> None:
    out = tmp_path / "o.html"
    code, stdout, err = _report(capsys, "--date", "2 ธ.ค. 2569", "-o", str(out))
    assert code == 0, err
    assert _dated(out, "2 ธันวาคม 2569")
    assert err.count("นอกช่วงจัดทำมาตรการ") == 1 and err.count("outside the planning season") == 1
    assert "planning season" not in stdout  # warnings go to standard error


@pytest.mark.slow
def test_the_command_names_the_settings_line_of_a_date_outside_the_season(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], december_2569: None
) -> None:
    settings = tmp_path / "agency.yaml"
    settings.write_text("unit: งานนิติการ\ndate: 2569-01-05\n", encoding="utf-8")
    out = tmp_path / "o.html"
    code, _, err = _report(capsys, "--settings", str(settings), "-o", str(out))
    assert code == 0, err
    [english] = [line for line in err.splitlines() if "outside the planning season" in line]
    assert "agency.yaml" in english and "2026-01-05" in english and "line 2" in english


@pytest.mark.slow
def test_the_command_says_nothing_of_a_date_inside_the_season_or_a_table_without_a_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], december_2569: None
) -> None:
    code, _, err = _report(capsys, "--date", "1 ต.ค. 2568", "-o", str(tmp_path / "o.html"))
    assert code == 0 and "planning season" not in err
    assert _dated(tmp_path / "o.html", "1 ตุลาคม 2568")
    code, _, err = _report(capsys, "--date", "2 ธ.ค. 2569", "-o", str(tmp_path / "o.csv"))
    assert code == 0 and "planning season" not in err
