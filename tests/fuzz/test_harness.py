"""The harness catches what it is there to catch: a hang, a memory blow-up, a process left behind,
too many processes, a traceback, an English-only or unlocated refusal, output left by a refusal,
a changed input and a silently changed number. Each check is shown failing on a made-up outcome
or a child that misbehaves on purpose, so that a green fuzz run means something."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path

import pytest

from tests.fuzz.harness import Case, Oracle, Outcome, error_lines, execute, run_case, violations

ERROR = (
    "[ข้อผิดพลาด / error] ไฟล์ r.yaml, บรรทัด 20, หัวข้อ scores.items.i1: คะแนน '0x50' ไม่ใช่ตัวเลข\n"
    "    file r.yaml, line 20, key scores.items.i1: score '0x50' is not a number\n"
    "พบปัญหา 1 รายการ ไม่ได้บันทึกผลใด ๆ\n1 problem(s) found; nothing was written\n"
)


def _outcome(tmp_path: Path, **changes: object) -> Outcome:
    base = Outcome(
        status=2,
        signal=None,
        stdout="",
        stderr=ERROR,
        seconds=0.1,
        timed_out=False,
        memory=False,
        created=(),
        changed=(),
        removed=(),
        temporary=(),
        processes=1,
        left_running=0,
        work=tmp_path,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


CASE = Case("t", "t", ("check", "r.yaml"), {"r.yaml": "x"})


def test_a_located_bilingual_refusal_that_writes_nothing_passes(tmp_path: Path) -> None:
    assert violations(CASE, _outcome(tmp_path)) == []
    assert (
        error_lines(ERROR)[0].en == "file r.yaml, line 20, key scores.items.i1: score '0x50' is not a number"
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"status": 70}, "exit status 70"),
        ({"status": 1}, "exit status 1"),
        ({"status": None, "signal": 9}, "ended by signal SIGKILL"),
        (
            {"stderr": "Traceback (most recent call last):\n  x\nValueError: boom\n"},
            "Python traceback: ValueError: boom",
        ),
        ({"timed_out": True, "status": None, "signal": 9}, "hang"),
        ({"memory": True}, "memory blow-up"),
        ({"left_running": 2}, "2 process(es) left running"),
        (
            {"stderr": "Usage: prongsai check\nError: Missing argument 'FILE'.\n"},
            "without a Thai/English error line",
        ),
        ({"stderr": ERROR.replace("    file r.yaml", "file r.yaml")}, "without its English line"),
        (
            {"stderr": "[ข้อผิดพลาด / error] ไฟล์ r.yaml: score is not a number\n    file r.yaml: score\n"},
            "not worded in Thai",
        ),
        ({"stderr": "[ข้อผิดพลาด / error] คะแนนไม่ใช่ตัวเลข\n    score is not a number\n"}, "does not say where"),
        ({"created": ("p.yaml",)}, "exit 2 but files were written: p.yaml"),
        ({"status": 0, "changed": ("r.yaml",)}, "input changed or removed: r.yaml"),
        ({"status": 0, "removed": ("r.yaml",)}, "input changed or removed: r.yaml"),
        ({"temporary": ("tmpabc",)}, "temporary files left"),
        (
            {"stderr": ERROR + "/x/openpyxl/reader.py:3: UserWarning: no default style\n"},
            "library warning printed",
        ),
    ],
)
def test_each_broken_property_is_reported(tmp_path: Path, changes: dict[str, object], expected: str) -> None:
    found = violations(CASE, _outcome(tmp_path, **changes))
    assert any(expected in v for v in found), found


def test_expectations_oracle_and_limits(tmp_path: Path) -> None:
    accepted = _outcome(tmp_path, status=0, stderr="", stdout='{"items": {"i1": 56.0}}')
    refuse = dataclasses.replace(CASE, expect="refuse")
    assert violations(refuse, accepted) == ["accepted (exit 0) but must be refused"]
    octal = dataclasses.replace(CASE, oracle=Oracle(("items", "i1"), (70,)))
    assert violations(octal, accepted) == ["items.i1 read as 56.0, means 70"]
    meaningless = dataclasses.replace(CASE, oracle=Oracle(("items", "i1"), ()))
    assert "must be refused" in violations(meaningless, accepted)[0]
    assert violations(dataclasses.replace(CASE, where=("line 20",)), _outcome(tmp_path)) == []
    assert (
        "does not name line 9"
        in violations(dataclasses.replace(CASE, where=("line 9",)), _outcome(tmp_path))[0]
    )
    valid = dataclasses.replace(CASE, expect="accept")
    assert "refused but is valid: file r.yaml, line 20" in violations(valid, _outcome(tmp_path))[0]
    crowded = dataclasses.replace(CASE, max_processes=4)
    assert "41 processes at once" in violations(crowded, _outcome(tmp_path, processes=41))[0]
    slow = dataclasses.replace(CASE, within=5.0)
    assert "took 9.0 s" in violations(slow, _outcome(tmp_path, seconds=9.0))[0]
    # a batch keeps its finished documents when one of them fails, never a temporary file
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.docx").write_bytes(b"PK")
    (tmp_path / "out" / ".b.docx.x1").write_bytes(b"P")
    batch = dataclasses.replace(CASE, args=("report", "--batch", "s.csv", "-o", "out"))
    found = violations(batch, _outcome(tmp_path, created=("out", "out/a.docx", "out/.b.docx.x1")))
    assert found == ["exit 2 but files were written: out/.b.docx.x1"]


def _hang() -> None:
    while True:
        time.sleep(1)


def _eat_memory() -> None:
    hoard = []
    while True:
        hoard.append(bytearray(256 << 20))


def _leave_a_child() -> None:
    if os.fork() == 0:
        time.sleep(60)
        os._exit(0)


def _many_children() -> None:
    children = [os.fork() for _ in range(6)]
    if 0 in children:
        time.sleep(0.3)
        os._exit(0)
    for _ in children:
        os.wait()


def _write_and_fail() -> None:
    Path("half.docx").write_bytes(b"PK\x03\x04")
    Path("r.yaml").write_text("changed")
    raise SystemExit(2)


def _run(tmp_path: Path, entry: object, **options: object) -> dict[str, object]:
    work, tmp = tmp_path / "work", tmp_path / "tmp"
    work.mkdir(exist_ok=True)
    tmp.mkdir(exist_ok=True)
    return execute(("check",), work, tmp, entry=entry, **options)  # type: ignore[arg-type]


@pytest.mark.slow  # a second or so each: real processes, real limits
def test_a_hang_is_killed_at_the_timeout(tmp_path: Path) -> None:
    run = _run(tmp_path, _hang, timeout=1.0)
    assert run["timed_out"] and run["signal"] == 9 and 1.0 <= float(run["seconds"]) < 5  # type: ignore[arg-type]


@pytest.mark.slow  # a second or so each: real processes, real limits
def test_memory_is_limited_and_a_blow_up_seen(tmp_path: Path) -> None:
    run = _run(tmp_path, _eat_memory, memory=512 << 20, timeout=20.0)
    assert run["memory"] and run["status"] == 99 and "MemoryError" in str(run["stderr"])


@pytest.mark.slow  # a second or so each: real processes, real limits
def test_processes_left_behind_are_counted_and_stopped(tmp_path: Path) -> None:
    run = _run(tmp_path, _leave_a_child)
    assert run["status"] == 0 and run["left_running"] == 1


@pytest.mark.slow  # a second or so each: real processes, real limits
def test_processes_at_once_are_counted(tmp_path: Path) -> None:
    run = _run(tmp_path, _many_children, count=10)
    assert int(run["processes"]) >= 6  # type: ignore[call-overload]


def test_run_case_sees_outputs_and_changed_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tests.fuzz.harness as harness

    original = harness.execute

    def with_entry(*args: object, **kwargs: object) -> dict[str, object]:
        return original(*args, entry=_write_and_fail, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(harness, "execute", with_entry)
    result = run_case(Case("t", "writes", ("check", "r.yaml"), {"r.yaml": "agency: x\n"}), tmp_path)
    assert result.outcome.created == ("half.docx",) and result.outcome.changed == ("r.yaml",)
    assert "input changed or removed: r.yaml" in result.violations
    assert any(v.startswith("exit 2 but files were written: half.docx") for v in result.violations)
    assert not list(tmp_path.iterdir())  # the case's folder is gone


def test_cases_fork_from_the_zygote_even_after_this_process_started_polars(tmp_path: Path) -> None:
    """A child forked from a process whose Polars pool runs hangs when it needs the pool; cases fork
    from the zygote instead, so a Parquet case works after the test process has used Polars."""
    import io

    import polars as pl

    from tests.fuzz import zygote

    assert not zygote.inside()
    frame = pl.DataFrame({"agency": ["เทศบาลตำบลโคกม่วง"], "ita_year": [2567], "overall": [92.13]})
    frame.group_by("agency").agg(pl.col("overall").mean())  # starts the pool here
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    case = Case("controls", "parquet-after-polars", ("check", "s.parquet"), {"s.parquet": buffer.getvalue()})
    result = run_case(case, tmp_path)
    assert not result.outcome.timed_out and result.outcome.status == 0, result.explain()
