"""The prongsai command on the bundled examples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from prongsai.cli import cli, run
from tests.conftest import EXAMPLES, write


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = run(cli, args)
    out, err = capsys.readouterr()
    return code, out, err


def test_frameworks_lists_every_year(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["frameworks"], capsys)
    assert code == 0
    for year in range(2563, 2570):
        assert str(year) in out
    code, out, _ = _run(["frameworks", "--json"], capsys)
    assert [entry["ita_year"] for entry in json.loads(out)] == list(range(2563, 2570))


def test_framework_shows_one_year(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["framework", "2568"], capsys)
    assert code == 0
    assert "ตัวชี้วัด 9 การเปิดเผยข้อมูล" in out and "o27 มาตรการส่งเสริมคุณธรรม" in out
    assert "ผ่านดี: 85" in out
    code, out, _ = _run(["framework", "๒๕๖๖", "--json"], capsys)
    data = json.loads(out)
    assert data["ita_year"] == 2566 and len(data["items"]) == 88


def test_framework_for_a_year_without_data_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["framework", "2030"], capsys)
    assert code == 2 and out == ""
    assert "2573" in err and "Traceback" not in err


def test_check_json_single_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["check", "--json", str(EXAMPLES / "seed-002-bueng-kan-2568.yaml")], capsys)
    data = json.loads(out)
    assert code == 0 and data["overall"] == 99.47 and data["level"] == "ผ่านดีเยี่ยม"
    assert data["tools"] == {"IIT": 99.8, "EIT": 99.59, "OIT": 99.13}
    assert data["computed"] == ["EIT"]
    assert data["errors"] == [] and any("98.25" in w["message_en"] for w in data["warnings"])
    csv = "agency,ita_year,code,score\nทต.ก,2568,overall,90\nทต.ข,2568,overall,80\n"
    code, out, _ = _run(["check", "--json", str(write(tmp_path, "two.csv", csv))], capsys)
    assert [d["overall"] for d in json.loads(out)] == [90.0, 80.0]


def test_check_readable_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["check", str(EXAMPLES / "seed-001-khok-muang-2567.yaml")], capsys)
    assert code == 0
    assert "เทศบาลตำบลโคกม่วง" in out and "92.13" in out
    assert "i10 75.33" in out and "e9 30.49" in out  # below the pass mark


def test_installed_console_script_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "prongsai", "check", str(EXAMPLES / "seed-003-bang-chakreng-2565.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "89.95" in result.stdout


def test_check_json_reports_errors_as_json_with_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.test_broken_inputs import BROKEN

    code, out, err = _run(["check", "--json", str(BROKEN / "38-many-mistakes-at-once.yaml")], capsys)
    data = json.loads(out)
    assert code == 2
    assert [e["code"] for e in data["errors"]] == [
        "score_out_of_range",
        "indicator_unknown",
        "score_not_a_number",
        "code_unknown_for_year",
    ]
    assert all(e["message_th"] and e["message_en"] and e["line"] for e in data["errors"])
    assert data["overall"] is None and "พบปัญหา" in err


def test_analyze_json_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["analyze", "--json", str(EXAMPLES / "seed-001-khok-muang-2567.yaml")], capsys)
    data = json.loads(out)
    assert code == 0 and data["weak"] == ["e9", "i12", "i10", "i1"]
    assert {"items", "indicators", "weak", "trend", "narrative"} <= set(data)
    assert data["narrative"]["ind8"].startswith("ตัวชี้วัดที่ 8")
    code, out, _ = _run(
        ["analyze", "--group", "issues", "--thai-digits", str(EXAMPLES / "seed-001-khok-muang-2567.yaml")],
        capsys,
    )
    assert code == 0 and "ประเด็นที่ ๔" in out and "ข้อที่ควรดำเนินการก่อน" in out


def test_analyze_with_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    history = write(
        tmp_path,
        "h.csv",
        "agency,ita_year,code,score\nเทศบาลตำบลโคกม่วง,2566,overall,88.5\nเทศบาลอื่น,2566,overall,70\n",
    )
    code, out, _ = _run(
        ["analyze", "--json", "--history", str(history), str(EXAMPLES / "seed-001-khok-muang-2567.yaml")],
        capsys,
    )
    trend = {t["key"]: t for t in json.loads(out)["trend"]}
    assert code == 0 and trend["overall"]["change"] == 3.63
    assert "เพิ่มขึ้น 3.63 คะแนน" in json.loads(out)["narrative"]["summary"]


def test_whatif_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "whatif",
        "--json",
        str(EXAMPLES / "seed-001-khok-muang-2567.yaml"),
        "--set",
        "e9=85",
        "--set",
        "ind4=๙๐",
    ]
    code, out, _ = _run(args, capsys)
    data = json.loads(out)
    assert code == 0
    assert data["indicators"]["4"] == {"before": 82.0, "after": 90.0}
    assert data["indicators"]["8"]["after"] == round(72.94 + (85 - 30.49) / 3, 2)
    assert data["level"] == {"before": "ผ่าน", "after": "ผ่านดี"} and data["estimated"] is True


@pytest.mark.parametrize("bad", ["e9", "x1=90", "e9=120", "i99=50", "ind12=50"])
def test_whatif_rejects_bad_settings(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["whatif", str(EXAMPLES / "seed-001-khok-muang-2567.yaml"), "--set", bad], capsys)
    assert code == 2 and out == "" and "Traceback" not in err and bad in err


def test_a_file_with_several_agencies_needs_agency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path, "two.csv", "agency,ita_year,code,score\nทต.ก,2568,overall,90\nทต.ข,2568,overall,80\n"
    )
    code, _, err = _run(["analyze", str(path)], capsys)
    assert code == 2 and "--agency" in err
    code, out, _ = _run(["analyze", "--json", "--agency", "ทต.ข", str(path)], capsys)
    assert code == 0 and json.loads(out)["agency"]["name"] == "ทต.ข"


def test_every_command_takes_h_for_help_even_on_its_own(capsys: pytest.CaptureFixture[str]) -> None:
    """click keeps the help option a command makes first: run alone first, a command must still
    offer -h, and the generated reference must not change (it once flickered with test order)."""
    from tests.test_docs import cli_reference

    before = cli_reference()
    for name, command in cli.commands.items():
        command.main(["-h"], prog_name=name, standalone_mode=False)
        assert "-h, --help" in capsys.readouterr().out, name
    assert cli_reference() == before
