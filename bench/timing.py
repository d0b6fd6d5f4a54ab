"""Timing helpers shared by the benchmarks in this folder."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def seconds(work: Callable[[], object]) -> float:
    """Wall-clock seconds of one call."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def median_seconds(work: Callable[[], object], repeat: int = 7, *, warm_up: bool = False) -> float:
    """The median of ``repeat`` timed calls, after one untimed call when ``warm_up``."""
    if warm_up:
        work()
    return statistics.median(seconds(work) for _ in range(repeat))
