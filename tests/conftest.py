from __future__ import annotations

import os
from pathlib import Path

import pytest

from prongsai.framework import Framework, load_frameworks

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"

# matplotlib keeps its font cache here instead of the user's home directory
os.environ.setdefault("MPLCONFIGDIR", str(ROOT / ".cache" / "matplotlib"))


@pytest.fixture(scope="session")
def frameworks() -> dict[int, Framework]:
    return dict(load_frameworks())


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
