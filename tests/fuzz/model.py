"""What a fuzz case is and what running it gave: :class:`Case`, :class:`Oracle`, :class:`Outcome`,
:class:`Result`. The harness (harness.py) runs cases; the judge (judge.py) says what they broke."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

GIB = 1 << 30
TIMEOUT = float(os.environ.get("PRONGSAI_FUZZ_TIMEOUT", "30"))  # seconds before a case counts as a hang
MEMORY = 2 * GIB  # address space a case may add to what the forked process already maps
# The child lowers prongsai's own time limit (60 s) to this many seconds, so that a reader that
# stops on its time limit does so well inside the timeout: the limit mechanism is what is tested.
CHILD_SECONDS = float(os.environ.get("PRONGSAI_FUZZ_SECONDS", "10"))
EXIT_ESCAPED = 99  # the child's own status when an exception got past prongsai.cli.main

FileData = bytes | str | Callable[[], bytes]
Expect = Literal["any", "accept", "refuse"]
THAI = re.compile(r"[\u0e01-\u0e5b]")


@dataclass(frozen=True)
class Oracle:
    """What a value in the file means: ``check --json`` must read it as one of ``means`` (rounded
    to two decimals, as check prints scores), or refuse the file; ``means=()`` means the text has no
    one meaning as a score and must be refused."""

    path: tuple[str, ...]
    means: tuple[float, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What one run of a command did."""

    status: int | None  # exit status; None when a signal ended the child
    signal: int | None
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool
    memory: bool  # MemoryError, a failed allocation, or killed the way an allocation failure kills
    created: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    temporary: tuple[str, ...]  # files left in the child's TMPDIR
    processes: int  # most processes of the child's group seen at once (counted when asked)
    left_running: int  # processes of the group still alive after the command ended
    work: Path  # the folder the command ran in (exists while checks run)


Check = Callable[[Outcome], list[str]]


@dataclass(frozen=True)
class Case:
    """One hostile input: its class (a row of the summary), a name, a command line and files.

    ``args`` are what follows ``prongsai`` on the command line; paths in them are relative to the
    folder the files are written in. Files are bytes, text (written as UTF-8) or a function that
    makes the bytes when the case runs. ``setup`` makes what plain files cannot (folders, links,
    sparse files). Every file that exists before the run is an input and must be untouched,
    except those named in ``replaceable`` (e.g. the outputs a resumed batch may redo)."""

    cls: str
    name: str
    args: tuple[str, ...]
    files: Mapping[str, FileData] = field(default_factory=dict)
    setup: Callable[[Path], None] | None = None
    replaceable: tuple[str, ...] = ()
    expect: Expect = "any"
    oracle: Oracle | None = None
    where: tuple[str, ...] = ()  # a refusal must name one of these (English wording, e.g. "line 9")
    forbid: tuple[str, ...] = ()  # text that must not appear in the output (e.g. "EOCD")
    checks: tuple[Check, ...] = ()
    max_processes: int | None = None
    timeout: float = TIMEOUT
    memory: int | None = MEMORY  # None: no address-space limit (Chromium reserves far more)
    within: float | None = None  # a size or count limit must stop it within this many seconds

    @property
    def id(self) -> str:
        return f"{self.cls}/{self.name}"


@dataclass(frozen=True)
class Result:
    case: Case
    outcome: Outcome
    violations: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.violations

    def explain(self, lines: int = 6) -> str:
        """The violations and the first lines of what the command printed, for a failure message."""
        o = self.outcome
        shown = [f"{self.case.id}: prongsai {' '.join(short(a) for a in self.case.args)}"]
        shown += [f"  - {v}" for v in self.violations]
        status = f"signal {o.signal}" if o.signal is not None else f"exit {o.status}"
        shown.append(f"  {status} after {o.seconds:.1f} s")
        for name, text in (("stderr", o.stderr), ("stdout", o.stdout)):
            head = [line for line in text.splitlines() if line.strip()][:lines]
            shown += [f"  {name}| {short(line, 160)}" for line in head]
        return "\n".join(shown)


def short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
