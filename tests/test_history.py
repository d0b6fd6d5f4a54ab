"""--history: the same agency under another spelling is used; anything else is skipped with the reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prongsai.cli import cli, run
from tests.conftest import EXAMPLES

CURRENT = EXAMPLES / "seed-001-khok-muang-2567.yaml"


def history_file(tmp_path: Path, name: str, agency: str, year: int, district: str | None = None) -> Path:
    place = f", district: {district}" if district else ""
    path = tmp_path / name
    path.write_text(
        f"agency: {{name: {agency}{place}}}\nita_year: {year}\nscores: {{overall: 85.5, indicators: {{1: 80}}}}\n",
        encoding="utf-8",
    )
    return path


def analyse(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, object], str]:
    assert run(cli, ["analyze", str(CURRENT), "--json", *args]) == 0
    out, err = capsys.readouterr()
    return json.loads(out), err


def test_a_short_name_of_the_same_agency_is_used_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    short = history_file(tmp_path, "2566.yaml", "ทต.โคกม่วง", 2566, "อ.คลองหอยโข่ง")
    data, err = analyse(["--history", str(short)], capsys)
    assert data["trend"], "the earlier year should give a trend"
    assert "2566.yaml" in err and "ITA 2566" in err and "ปี ITA 2566" in err


def test_other_agencies_places_and_years_are_skipped_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = history_file(tmp_path, "other.yaml", "เทศบาลตำบลนาทวี", 2566)
    elsewhere = history_file(tmp_path, "elsewhere.yaml", "เทศบาลตำบลโคกม่วง", 2566, "เมืองสงขลา")
    later = history_file(tmp_path, "later.yaml", "เทศบาลตำบลโคกม่วง", 2568)
    data, err = analyse(
        ["--history", str(other), "--history", str(elsewhere), "--history", str(later)], capsys
    )
    assert data["trend"] == []
    assert "other.yaml" in err and "another agency" in err and "คนละหน่วยงาน" in err
    assert "elsewhere.yaml" in err and "district differs" in err
    assert "later.yaml" in err and "not earlier than 2567" in err


def test_the_same_year_from_two_files_is_taken_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = history_file(tmp_path, "a.yaml", "เทศบาลตำบลโคกม่วง", 2566)
    second = history_file(tmp_path, "b.yaml", "ทต. โคกม่วง", 2566)
    _, err = analyse(["--history", str(first), "--history", str(second)], capsys)
    assert "already taken from a.yaml" in err


def test_agency_option_matches_a_short_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(cli, ["analyze", str(CURRENT), "--agency", "ทต.โคกม่วง", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["agency"]["name"] == "เทศบาลตำบลโคกม่วง"
