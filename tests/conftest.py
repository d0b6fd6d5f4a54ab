from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from prongsai.cli import cli, run
from prongsai.framework import Framework, load_frameworks, use_framework_folder

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"  # the project's shared folder (seeds, reference), beside the clone

Run = Callable[..., tuple[int, str]]

# matplotlib keeps its font cache here instead of the user's home directory
os.environ.setdefault("MPLCONFIGDIR", str(ROOT / ".cache" / "matplotlib"))


@pytest.fixture(autouse=True)
def bundled_frameworks_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with the bundled frameworks only (a test may choose a folder: --frameworks
    or PRONGSAI_FRAMEWORKS), and leaves no folder chosen behind it."""
    monkeypatch.delenv("PRONGSAI_FRAMEWORKS", raising=False)
    use_framework_folder(None)
    yield
    use_framework_folder(None)


@pytest.fixture
def prongsai(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run the command as a user would: exit code, and everything printed (stdout and stderr)."""

    def invoke(*args: str) -> tuple[int, str]:
        code = run(cli, list(args))
        out, err = capsys.readouterr()
        return code, out + err

    return invoke


@pytest.fixture(scope="session")
def frameworks() -> dict[int, Framework]:
    return dict(load_frameworks())


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
