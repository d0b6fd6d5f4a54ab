"""The zygote: a fresh, single-threaded Python that forks the fuzz cases.

A child forked from a process whose Polars or pyarrow thread pool is running inherits the pool's
locks but not its threads, and hangs the first time it needs them. The test process may well have
started one (the scoring tests do), so cases are forked from here instead: a process started with
``python -m tests.fuzz.zygote`` that loads prongsai, warms up (harness.warm_up, no pools) and then
serves requests from its parent, one at a time, over its standard input and output: a request or
a reply is an 8-byte length and a pickle (the parent is the test process itself, so pickle is
safe here). Anything prongsai prints in the zygote goes to its standard error.
"""

from __future__ import annotations

import atexit
import os
import pickle
import struct
import subprocess
import sys
import traceback
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[2]
_HEADER = struct.Struct(">Q")
_MARK = "PRONGSAI_FUZZ_ZYGOTE"  # set in the zygote's environment: a zygote never starts another
_state: dict[str, Any] = {"process": None}


def inside() -> bool:
    """True in the zygote itself and the children it forks (where the harness forks directly)."""
    return os.environ.get(_MARK) == "1"


def ask(request: tuple[Any, ...]) -> Any:
    """Send one request to the zygote (started on first use) and return its answer."""
    process = _process()
    assert process.stdin is not None and process.stdout is not None
    _send(process.stdin, request)
    kind, value = _receive(process.stdout)
    if kind == "error":
        raise RuntimeError(f"in the fuzz zygote: {value}")
    return value


def _process() -> subprocess.Popen[bytes]:
    process: subprocess.Popen[bytes] | None = _state["process"]
    if process is None or process.poll() is not None:
        env = {
            **os.environ,
            _MARK: "1",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.fuzz.zygote"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            env=env,
        )
        _state["process"] = process
        atexit.register(_stop, process)
    return process


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.stdin is not None:
        process.stdin.close()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


def _send(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise RuntimeError("the fuzz zygote ended unexpectedly (see its standard error above)")
    (size,) = _HEADER.unpack(header)
    return pickle.loads(stream.read(size))


def _serve() -> None:
    from tests.fuzz import harness

    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # what prongsai prints here must not reach the replies
    sys.stdout = sys.stderr
    if not inside():
        raise RuntimeError(f"the zygote runs with {_MARK}=1 in its environment (see _process)")
    harness.warm_up()
    requests = sys.stdin.buffer
    while True:
        try:
            request = _receive(requests)
        except RuntimeError:
            return  # the parent closed the pipe: done
        try:
            reply: tuple[str, Any] = ("ok", _answer(harness, request))
        except BaseException:
            reply = ("error", traceback.format_exc())
        _send(replies, reply)


def _answer(harness: Any, request: tuple[Any, ...]) -> Any:
    kind, *rest = request
    if kind == "ping":
        return None
    if kind == "execute":
        args, work, tmp, timeout, memory, count = rest
        return harness.execute(args, work, tmp, timeout=timeout, memory=memory, count=count)
    if kind == "in_child":
        make, timeout = rest
        return harness.in_child(make, timeout)
    raise ValueError(f"unknown request {kind!r}")


if __name__ == "__main__":
    _serve()
