"""The properties every fuzz case must satisfy (docs/fuzzing.md), as one function:
:func:`violations` returns each property an outcome breaks, said in a few words.

(a) exit status 0 or 2, no Python traceback, no library warning printed;
(b) no hang past the timeout, no memory blow-up, no process left running;
(c) exit 2: every error is located and worded in Thai and English, and nothing was written;
(d) every input file is byte for byte what it was, whatever the exit status;
(e) an oracle: a value read means the one thing its text means, or it is refused naming the place;
and what a case adds: must refuse or accept, must name a line, its own checks, a process budget.
"""

from __future__ import annotations

import dataclasses
import json
import re
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from tests.fuzz.model import THAI, Case, Oracle, Outcome, short


@dataclass(frozen=True)
class ErrorLine:
    th: str
    en: str | None


def error_lines(stderr: str) -> list[ErrorLine]:
    """Each ``[ข้อผิดพลาด / error] <Thai>`` line of prongsai's output with the English line under it."""
    head = _error_head()
    lines = stderr.splitlines()
    found = []
    for i, line in enumerate(lines):
        if line.startswith(head):
            following = lines[i + 1] if i + 1 < len(lines) else ""
            english = following.strip() if following.startswith((" ", "\t")) and following.strip() else None
            found.append(ErrorLine(line[len(head) :].strip(), english))
    return found


def _error_head() -> str:
    from prongsai.problems import label

    return f"[{label('error', 'th')} / {label('error', 'en')}]"


def _location_words(lang: Literal["th", "en"]) -> list[str]:
    from prongsai.problems import Location, messages

    labels = messages().labels
    return [labels[f.name][lang] for f in dataclasses.fields(Location) if f.name in labels]


def _located(text: str, lang: Literal["th", "en"], names: set[str]) -> bool:
    """The line names a place: a location prefix (``file x, line 3: ...``), an input's name or an
    option."""
    prefix = text.partition(": ")[0] if ": " in text else ""
    if any(prefix.startswith(word + " ") or f", {word} " in prefix for word in _location_words(lang)):
        return True
    return any(name in text for name in names) or bool(re.search(r"(?<![\w-])--?[a-z]", text))


def _message_part(text: str) -> str:
    return text.partition(": ")[2] if ": " in text else text


def names_of(case: Case) -> set[str]:
    """The file names a located message may use: inputs and every path-like argument."""
    names = {Path(n).name for n in case.files} | {Path(n).name for n in case.replaceable}
    names |= {Path(a).name for a in case.args if not a.startswith("-") and Path(a).name}
    return {n for n in names if len(n) > 1}


def violations(case: Case, o: Outcome) -> list[str]:
    """Every property of docs/fuzzing.md that this outcome breaks, each said in a few words."""
    found: list[str] = []
    # (b) no hang, no memory blow-up, nothing left running
    if o.timed_out:
        found.append(f"hang: killed after {case.timeout:.0f} s")
    if o.memory:
        found.append("memory blow-up (MemoryError, failed allocation or crash)")
    if case.within is not None and not o.timed_out and o.seconds > case.within:
        found.append(
            f"took {o.seconds:.1f} s: a size or count limit should stop it within {case.within:.0f} s"
        )
    if o.left_running:
        found.append(f"{o.left_running} process(es) left running after the command ended")
    # (a) exit status and tracebacks
    if o.signal is not None and not o.timed_out:
        found.append(f"ended by signal {signal.Signals(o.signal).name}")
    elif o.status not in (0, 2, None):
        found.append(f"exit status {o.status} (only 0 or 2 are allowed)")
    if "Traceback (most recent call last)" in o.stderr + o.stdout:
        found.append("Python traceback: " + _last_exception(o.stderr + o.stdout))
    found += _leaked_warnings(o.stderr)
    # (c) a refusal is located, bilingual, and leaves nothing
    if o.status == 2:
        found += _refusal(case, o)
    # (d) inputs untouched
    protected = {k for k in (*o.changed, *o.removed) if not any(_under(k, r) for r in case.replaceable)}
    if protected:
        found.append("input changed or removed: " + ", ".join(sorted(protected)[:5]))
    if o.temporary:
        found.append("temporary files left in TMPDIR: " + ", ".join(o.temporary[:3]))
    # expectations and the oracle
    if case.expect == "refuse" and o.status == 0:
        found.append("accepted (exit 0) but must be refused")
    if case.expect == "accept" and o.status == 2:
        first = error_lines(o.stderr)
        found.append("refused but is valid: " + (first[0].en or first[0].th if first else o.stderr[:120]))
    if case.oracle is not None and o.status == 0:
        found += _oracle(case.oracle, o.stdout)
    for text in case.forbid:
        if text in o.stderr or text in o.stdout:
            found.append(f"output says {text!r}")
    if case.max_processes is not None and o.processes > case.max_processes:
        found.append(f"{o.processes} processes at once (at most {case.max_processes} expected)")
    if not o.timed_out:
        for check in case.checks:
            found += check(o)
    return found


def _under(key: str, root: str) -> bool:
    return key == root or key.startswith(root.rstrip("/") + "/")


def _last_exception(text: str) -> str:
    lines = [line for line in text.splitlines() if line and not line.startswith((" ", "Traceback", "["))]
    tail = [line for line in lines if re.match(r"^[\w.]*(Error|Exception|Exit|Interrupt|Up)\b", line)]
    return short((tail or lines or ["?"])[-1], 150)


def _leaked_warnings(stderr: str) -> list[str]:
    """A library's own English warning printed to the person (openpyxl, polars, ...)."""
    leaked = [line for line in stderr.splitlines() if re.search(r"\b\w*Warning: ", line)]
    return [f"library warning printed: {short(leaked[0].strip(), 120)}"] if leaked else []


def _refusal(case: Case, o: Outcome) -> list[str]:
    found = []
    lines = error_lines(o.stderr)
    names = names_of(case)
    if not lines:
        first = next((line for line in o.stderr.splitlines() if line.strip()), "(nothing)")
        found.append(f"exit 2 without a Thai/English error line: {short(first, 120)}")
    for line in lines:
        if line.en is None:
            found.append(f"error without its English line: {short(line.th, 100)}")
            continue
        if not THAI.search(_message_part(line.th)):
            found.append(f"error not worded in Thai: {short(line.th, 100)}")
        if not (_located(line.th, "th", names) and _located(line.en, "en", names)):
            found.append(f"error does not say where: {short(line.en, 100)}")
    if case.where and lines and not any(w in (line.en or "") for line in lines for w in case.where):
        found.append(f"refusal does not name {' or '.join(case.where)}: {short(lines[0].en or '', 100)}")
    written = [k for k in (*o.created, *o.changed)]
    if "--batch" in case.args:  # a batch keeps the documents it made; a failed one leaves nothing
        written = [k for k in written if _unfinished(o.work / k)]
    if written:
        found.append("exit 2 but files were written: " + ", ".join(written[:4]))
    return found


def _unfinished(path: Path) -> bool:
    """A temporary or empty file (a batch's finished documents are neither)."""
    return path.name.startswith(".") or (path.is_file() and path.stat().st_size == 0)


def _oracle(oracle: Oracle, stdout: str) -> list[str]:
    try:
        value: Any = json.loads(stdout)
    except ValueError:
        return ["exit 0 but the output of check --json is not JSON"]
    if isinstance(value, list):
        if len(value) != 1:
            return [f"exit 0 with {len(value)} agency-years where the file holds one"]
        value = value[0]
    for key in oracle.path:
        value = value.get(key) if isinstance(value, dict) else None
    if not oracle.means:
        return [f"accepted and read as {value!r}: has no one meaning, must be refused"]
    if not isinstance(value, int | float) or all(round(value, 2) != round(m, 2) for m in oracle.means):
        means = " or ".join(f"{m:g}" for m in oracle.means)
        return [f"{'.'.join(oracle.path)} read as {value!r}, means {means}"]
    return []
