"""Run one ``prongsai`` command on hostile files in a forked child and judge what it did.

Each :class:`Case` is a command line and the files it reads. :func:`run_case` writes the files
into a fresh folder, forks, and the child runs the command exactly as the console script does
(``prongsai.cli.main`` with ``sys.argv``) with its working folder there, stdout and stderr in
files, stdin empty, TMPDIR in a folder of its own and an address-space limit. The parent waits
with a timeout and kills the child's whole process group when it runs out, so a hang or a
memory blow-up in one case can neither stop the suite nor hide. Forking from a process that has
already imported prongsai makes a case cost what the command costs, not an interpreter start.

What the command did (exit status, output, seconds, files created, changed and removed, leftover
temporary files and processes) is an :class:`Outcome`; judge.py says which properties it breaks.
Base inputs that prongsai itself must make (a plan, a document) come from :func:`produce`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import resource
import select
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from tests.fuzz import zygote
from tests.fuzz.judge import ErrorLine, error_lines, violations
from tests.fuzz.model import (
    CHILD_SECONDS,
    EXIT_ESCAPED,
    MEMORY,
    THAI,
    TIMEOUT,
    Case,
    Check,
    Expect,
    FileData,
    Oracle,
    Outcome,
    Result,
)

# --------------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------------


def run_case(case: Case, root: Path) -> Result:
    """Run ``case`` in a fresh folder under ``root``; the folder is removed afterwards (set
    PRONGSAI_FUZZ_KEEP=1 to keep it for a look)."""
    sandbox = Path(tempfile.mkdtemp(prefix="case-", dir=root))
    work, tmp = sandbox / "work", sandbox / "tmp"
    work.mkdir()
    tmp.mkdir()
    try:
        materialise(case, work)
        before = snapshot(work)
        args = tuple(a.replace("{work}", str(work)) for a in case.args)
        run = execute(args, work, tmp, timeout=case.timeout, memory=case.memory, count=case.max_processes)
        after = snapshot(work)
        outcome = Outcome(
            **run,
            created=tuple(sorted(set(after) - set(before))),
            changed=tuple(sorted(k for k in set(after) & set(before) if after[k] != before[k])),
            removed=tuple(sorted(set(before) - set(after))),
            temporary=tuple(sorted(snapshot(tmp))),
            work=work,
        )
        return Result(case, outcome, tuple(violations(case, outcome)))
    finally:
        if not os.environ.get("PRONGSAI_FUZZ_KEEP"):
            _remove(sandbox)


def materialise(case: Case, work: Path) -> None:
    for name, data in case.files.items():
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        content = data() if callable(data) else data
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    if case.setup is not None:
        case.setup(work)


def _remove(folder: Path) -> None:
    for path, dirs, _ in os.walk(folder):
        for name in dirs:  # a case may have left a folder without write permission
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(path, name), 0o755)
    shutil.rmtree(folder, ignore_errors=True)


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: a file by the SHA-256 of its bytes, a link by its target."""
    found: dict[str, str] = {}
    for path, dirs, files in os.walk(folder):
        for name in dirs + files:
            full = os.path.join(path, name)
            key = os.path.relpath(full, folder)
            if os.path.islink(full):
                found[key] = "link:" + os.readlink(full)
            elif os.path.isdir(full):
                found[key] = "folder"
            else:
                found[key] = _digest(full)
    return found


def _digest(path: str) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        return f"unreadable:{exc.errno}"
    return digest.hexdigest()


def execute(
    args: tuple[str, ...],
    work: Path,
    tmp: Path,
    *,
    timeout: float = TIMEOUT,
    memory: int | None = MEMORY,
    count: int | None = None,
    entry: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Fork, run ``prongsai ARGS`` in ``work`` in the child, wait at most ``timeout`` seconds.
    ``entry`` replaces prongsai's ``main`` (the harness's own tests give it a hang or a leak).

    Cases fork from the zygote (tests/fuzz/zygote.py), a process that has never started a thread
    pool; the test process may have (Polars, pyarrow), and a child forked from it would hang the
    first time it needs one. ``entry`` cases fork from here: they use no pool."""
    if entry is None and not zygote.inside():
        result: dict[str, Any] = zygote.ask(("execute", args, work, tmp, timeout, memory, count))
        return result
    out_path, err_path = work.parent / "stdout", work.parent / "stderr"
    sys.stdout.flush()
    sys.stderr.flush()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller
        try:
            _child(args, work, tmp, out_path, err_path, memory, entry)
        finally:
            os._exit(EXIT_ESCAPED)
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)
    timed_out, most = _wait(pid, timeout, count is not None)
    _, status = os.waitpid(pid, 0)
    seconds = time.monotonic() - start
    left = _stop_group(pid)
    stdout, stderr = _read(out_path), _read(err_path)
    sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    memory_hit = (
        "MemoryError" in stderr
        or "memory allocation of" in stderr  # Rust's allocation failure (calamine, polars)
        or "std::bad_alloc" in stderr
        or (sig in (signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS) and not timed_out)
    )
    return {
        "status": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": sig,
        "stdout": stdout,
        "stderr": stderr,
        "seconds": seconds,
        "timed_out": timed_out,
        "memory": memory_hit,
        "processes": most,
        "left_running": left,
    }


def _child(
    args: tuple[str, ...],
    work: Path,
    tmp: Path,
    out: Path,
    err: Path,
    memory: int | None,
    entry: Callable[[], None] | None,
) -> None:
    os.setpgid(0, 0)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    for fd, path in ((1, out), (2, err)):
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(handle, fd)
        os.close(handle)
    # the streams a terminal would give the console script; main() reconfigures them to UTF-8 too
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stdout = sys.__stdout__ = open(1, "w", encoding="utf-8", closefd=False)  # type: ignore[misc]  # noqa: SIM115
    sys.stderr = sys.__stderr__ = open(2, "w", encoding="utf-8", closefd=False)  # type: ignore[misc]  # noqa: SIM115
    code = EXIT_ESCAPED
    try:
        os.chdir(work)
        os.environ["TMPDIR"] = str(tmp)
        tempfile.tempdir = None
        if memory is not None:
            limit = _mapped() + memory
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        _lower_time_limit()
        from prongsai.cli import main

        sys.argv = ["prongsai", *args]
        try:
            (entry or main)()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        # what got past main(): shown whatever it holds (a lone surrogate must not hide it)
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
        traceback.print_exc()
        code = EXIT_ESCAPED
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def _lower_time_limit() -> None:
    """prongsai's per-file time limit, lowered in this child only (see CHILD_SECONDS)."""
    try:
        from prongsai.loader import limits
    except ImportError:
        return
    if limits.LIMITS.seconds > CHILD_SECONDS:
        object.__setattr__(limits.LIMITS, "seconds", CHILD_SECONDS)  # frozen: shared by every reader


def _mapped() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _wait(pid: int, timeout: float, count: bool) -> tuple[bool, int]:
    """(timed out, most processes seen at once); kills the group when the time is up."""
    deadline = time.monotonic() + timeout
    most = 1
    handle = os.pidfd_open(pid)
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _kill_group(pid)
                return True, most
            ready, _, _ = select.select([handle], [], [], min(remaining, 0.02) if count else remaining)
            if count:
                most = max(most, len(group(pid)))
            if ready:
                return False, most
    finally:
        os.close(handle)


def group(pgid: int) -> set[int]:
    """Live processes of one process group (zombies excluded)."""
    members = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stream:
                fields = stream.read().rpartition(")")[2].split()
        except OSError:
            continue
        if fields and fields[0] != "Z" and int(fields[2]) == pgid:
            members.add(int(entry))
    return members


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _stop_group(pgid: int) -> int:
    """Processes the command left running (given a second to end on their own), then killed."""
    deadline = time.monotonic() + 1.0
    left = group(pgid)
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = group(pgid)
    if left:
        _kill_group(pgid)
    return len(left)


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return ""


# --------------------------------------------------------------------------------------------------
# Base files made by prongsai itself
# --------------------------------------------------------------------------------------------------


def produce(args: tuple[str, ...], files: Mapping[str, FileData], output: str, timeout: float = 120) -> bytes:
    """Run a command that must succeed and return the bytes of the file it wrote (a plan, a
    document): base inputs that cases then break. A failure here is a broken product, said plainly."""
    root = Path(tempfile.mkdtemp(prefix="prongsai-fuzz-base-"))
    try:
        case = Case("base", output, args, files, timeout=timeout, memory=None)
        work, tmp = root / "work", root / "tmp"
        work.mkdir()
        tmp.mkdir()
        materialise(case, work)
        run = execute(args, work, tmp, timeout=timeout, memory=None)
        target = work / output
        if run["status"] != 0 or not target.is_file():
            raise RuntimeError(
                f"prongsai {' '.join(args)} did not write {output} (exit {run['status']}): "
                + run["stderr"][-2000:]
            )
        return target.read_bytes()
    finally:
        _remove(root)


def in_child(make: Callable[[Path], None], timeout: float = 120) -> bytes:
    """Bytes of a file ``make(path)`` writes, made in a child forked from the zygote: polars and
    pyarrow start thread pools, and a process that forks the cases must not have started them.
    ``make`` travels by pickle: a module-level function (or a partial of one)."""
    if not zygote.inside():
        made: bytes = zygote.ask(("in_child", make, timeout))
        return made
    root = Path(tempfile.mkdtemp(prefix="prongsai-fuzz-make-"))
    target = root / "made"
    try:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                make(target)
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        timed_out, _ = _wait(pid, timeout, False)
        _, status = os.waitpid(pid, 0)
        if timed_out or status != 0 or not target.exists():
            raise RuntimeError(f"could not make a base file with {make.__name__}")
        return target.read_bytes()
    finally:
        _remove(root)


def warm_up() -> None:
    """Run the common commands once in this process before forking, so that every child starts
    with the frameworks, catalogs, fonts and renderers loaded (a cold ``plan`` costs 0.3 s, a warm
    one 0.06 s). Best effort: a command that fails here fails again, visibly, in its cases. No
    command that uses polars or pyarrow runs here: their thread pools must not exist at fork.
    Outside the zygote this starts the zygote, which warms itself up."""
    if not zygote.inside():
        zygote.ask(("ping",))
        return
    from prongsai.cli import cli, run

    root = Path(__file__).resolve().parents[2]
    folder = Path(tempfile.mkdtemp(prefix="prongsai-fuzz-warm-"))
    results = str(folder / "r.yaml")
    shutil.copy(root / "examples" / "seed-001-khok-muang-2567.yaml", results)
    plan, document = str(folder / "p.yaml"), str(folder / "d.docx")
    commands = [
        ["check", results],
        ["analyze", results],
        ["plan", results, "-o", plan],
        ["report", results, "--plan", plan, "-o", document],
        ["report", results, "-o", str(folder / "d.html")],
        ["report", results, "-o", str(folder / "m.json")],
        ["report", results, "-o", str(folder / "m.xlsx")],
        [
            "report",
            results,
            "--template",
            str(root / "examples" / "templates" / "letterhead.docx"),
            "-o",
            str(folder / "t.docx"),
        ],
        ["import", document],
    ]
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            for args in commands:
                with contextlib.suppress(Exception):
                    run(cli, args)
    finally:
        _remove(folder)


@contextlib.contextmanager
def fuzz_root() -> Iterator[Path]:
    """A scratch folder for cases when run outside pytest (python -m tests.fuzz.report)."""
    root = Path(tempfile.mkdtemp(prefix="prongsai-fuzz-"))
    try:
        yield root
    finally:
        _remove(root)


__all__ = [
    "THAI",
    "Case",
    "Check",
    "ErrorLine",
    "Expect",
    "FileData",
    "Oracle",
    "Outcome",
    "Result",
    "error_lines",
    "execute",
    "fuzz_root",
    "in_child",
    "produce",
    "run_case",
    "snapshot",
    "violations",
    "warm_up",
]
