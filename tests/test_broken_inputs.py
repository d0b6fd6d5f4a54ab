"""Each deliberately broken file gets all its errors, located, in Thai and English; never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from prongsai.cli import EXIT_INPUT, cli, run
from prongsai.errors import InputError
from prongsai.ingest import read_results
from tests.conftest import DATA

BROKEN = DATA / "broken"
EXPECTED: dict[str, list[dict[str, Any]]] = yaml.safe_load(
    (BROKEN / "expected.yaml").read_text(encoding="utf-8")
)


def test_the_folder_holds_at_least_30_kinds_of_mistake() -> None:
    files = {p.name for p in BROKEN.iterdir() if p.name != "expected.yaml"}
    assert files == set(EXPECTED)
    assert len(files) >= 30
    assert len({e["code"] for errors in EXPECTED.values() for e in errors}) >= 25  # distinct messages


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_reports_every_error_with_its_location(name: str) -> None:
    with pytest.raises(InputError) as info:
        read_results(BROKEN / name)
    found = []
    for problem in info.value.problems:
        if problem.severity != "error":
            continue
        row: dict[str, Any] = {"code": problem.code}
        for key in ("line", "row", "column", "field"):
            value = getattr(problem.location, key)
            if value is not None:
                row[key] = value
        found.append(row)
        assert problem.location.file == name
        assert problem.message_th and problem.message_en and problem.message_th != problem.message_en
    assert found == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cli_exits_2_with_bilingual_messages_and_no_traceback(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(cli, ["check", str(BROKEN / name)])
    out, err = capsys.readouterr()
    assert code == EXIT_INPUT
    assert out == ""
    assert "Traceback" not in err
    assert "พบปัญหา" in err and "nothing was written" in err
    assert name in err


def test_a_missing_file_and_a_folder_are_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(cli, ["check", str(tmp_path / "nope.yaml")]) == EXIT_INPUT
    assert run(cli, ["check", str(tmp_path)]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "ไม่พบไฟล์" in err and "file not found" in err and "folder" in err


def test_console_script_exit_code_through_click_runner() -> None:
    result = CliRunner().invoke(cli, ["framework", "2571"])
    assert isinstance(result.exception, InputError)  # raised to main(), which maps it to exit 2
