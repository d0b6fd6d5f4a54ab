"""Cases run and passed, per class: the table printed at the end of a run (pytest's terminal
summary, or ``python -m tests.fuzz.report``) and quoted in the closing note of issue 11."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    passed: bool
    explanation: str
    seconds: float


TALLY: dict[str, dict[str, Entry]] = {}


def record(cls: str, name: str, passed: bool, explanation: str = "", seconds: float = 0.0) -> None:
    TALLY.setdefault(cls, {})[name] = Entry(passed, explanation, seconds)


def table(order: list[str] | None = None) -> str:
    """One line per class: cases, passed, failed, seconds; then the total."""
    classes = [c for c in (order or []) if c in TALLY] + sorted(set(TALLY) - set(order or []))
    width = max([len(c) for c in classes] + [len("class")])
    lines = [f"{'class':<{width}}  cases  passed  failed  seconds"]
    total = [0, 0, 0, 0.0]
    for cls in classes:
        entries = TALLY[cls].values()
        run = len(entries)
        passed = sum(e.passed for e in entries)
        seconds = sum(e.seconds for e in entries)
        lines.append(f"{cls:<{width}}  {run:5d}  {passed:6d}  {run - passed:6d}  {seconds:7.1f}")
        total = [total[0] + run, total[1] + passed, total[2] + run - passed, total[3] + seconds]
    lines.append(f"{'total':<{width}}  {total[0]:5d}  {total[1]:6d}  {total[2]:6d}  {total[3]:7.1f}")
    return "\n".join(lines)


def failures() -> list[str]:
    return [e.explanation for cls in sorted(TALLY) for e in TALLY[cls].values() if not e.passed]
