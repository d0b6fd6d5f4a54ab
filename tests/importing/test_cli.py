"""The ``import`` command: files written, JSON printed, bad input rejected with exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prongsai.cli import cli, run
from prongsai.planfile import read_plan
from tests.importing.helpers import seed_path


def test_writes_results_plan_and_uncertain_that_other_commands_accept(tmp_path: Path) -> None:
    assert run(cli, ["import", str(seed_path("001")), "-o", str(tmp_path)]) == 0
    assert run(cli, ["check", str(tmp_path / "results.yaml")]) == 0
    plan = read_plan(tmp_path / "plan.yaml")
    assert plan.plan_year == 2568 and len(plan.measures) == 13
    assert "uncertain" in (tmp_path / "uncertain.yaml").read_text(encoding="utf-8")
    report = tmp_path / "again.docx"
    args = [
        "report",
        str(tmp_path / "results.yaml"),
        "--plan",
        str(tmp_path / "plan.yaml"),
        "-o",
        str(report),
    ]
    assert run(cli, args) == 0
    assert report.stat().st_size > 10_000


def test_json_has_the_check_keys_and_the_plan(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(cli, ["import", str(seed_path("000")), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in (
        "agency",
        "ita_year",
        "overall",
        "level",
        "tools",
        "indicators",
        "items",
        "warnings",
        "errors",
    ):
        assert key in data
    assert data["plan_year"] == 2566 and data["ita_year"] == 2566
    assert data["items"]["i8"] == 78.97
    assert {"title", "steps", "timeframe", "owner", "issue"} <= set(data["measures"][0])
    assert any(u["code"] == "import_year_inferred" for u in data["uncertain"])
    assert all(u["message_th"] and u["message_en"] for u in data["uncertain"])


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("missing.txt", None, "file_not_found"),
        ("notes.odt", "x", "unsupported_format"),
        ("broken.docx", "not a zip", "container_damaged"),
        ("empty.txt", "สวัสดี\n", "import_no_agency"),
        ("plain.txt", "เทศบาลตำบลนาดี\nไม่มีตาราง\n", "import_nothing_read"),
    ],
)
def test_bad_documents_exit_2_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str | None, code: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    assert run(cli, ["import", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert not out.exists()
    from prongsai.problems import messages

    assert messages().problems[code]["en"].split("{")[0].strip()[:15] in err
