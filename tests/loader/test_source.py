"""Opening a user's file: every way it can fail has its own located message (loader.source)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from prongsai.errors import InputError
from prongsai.loader.limits import LIMITS, Limits
from prongsai.loader.source import read_input


def code_of(path: Path, limits: Limits = LIMITS) -> str:
    with pytest.raises(InputError) as info:
        read_input(path, limits=limits)
    (problem,) = info.value.problems
    assert problem.location.file == (path.name or str(path))
    assert problem.message_th != problem.message_en
    return problem.code


def test_missing_folder_device_pipe_and_a_path_through_a_file(tmp_path: Path) -> None:
    assert code_of(tmp_path / "nope.yaml") == "file_not_found"
    assert code_of(tmp_path) == "file_is_folder"
    assert code_of(Path("/dev/zero")) == "file_not_regular"
    os.mkfifo(tmp_path / "pipe.csv")
    assert code_of(tmp_path / "pipe.csv") == "file_not_regular"
    (tmp_path / "file").write_text("x")
    assert code_of(tmp_path / "file" / "r.yaml") == "file_path_through_file"


def test_a_file_over_the_size_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as stream:
        stream.truncate(10 * 1024 * 1024)  # sparse: costs no disk
    assert code_of(path, Limits(file_bytes=1024 * 1024)) == "limit_exceeded"


def test_no_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("a: 1")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    assert code_of(path) == "file_no_permission"
