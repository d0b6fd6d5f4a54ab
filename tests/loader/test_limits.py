"""Limits name themselves; the time limit stops Python code that runs too long, nested or not."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest

from prongsai.errors import InputError
from prongsai.loader.limits import LIMITS, Limits, check_time, over_limit, time_limit
from prongsai.problems import Location, messages

HERE = Location(file="r.yaml")


def test_every_limit_has_its_name_in_thai_and_english() -> None:
    labels = messages().labels
    for name in Limits.__dataclass_fields__:
        assert {"th", "en"} <= set(labels[f"limit_{name}"]), name
    (problem,) = over_limit("cells", HERE, LIMITS.cells, 17_179_869_184).problems
    assert "20,000,000" in problem.message_en and "17,179,869,184" in problem.message_en
    assert "ช่อง" in problem.message_th and problem.location == HERE


def test_a_loop_without_checks_is_interrupted_in_the_main_thread() -> None:
    start = time.perf_counter()
    with pytest.raises(InputError) as info, time_limit(HERE, 0.2):
        while True:
            pass
    assert time.perf_counter() - start < 1.5
    (problem,) = info.value.problems
    assert problem.code == "limit_exceeded" and problem.location == HERE and "seconds" in problem.message_en


def test_no_except_exception_swallows_the_interruption() -> None:
    with pytest.raises(InputError), time_limit(HERE, 0.2):
        while True:
            with contextlib.suppress(Exception):  # a library's broad handler must not hide the time limit
                time.sleep(0.01)


def test_nested_blocks_keep_the_earlier_deadline() -> None:
    inner = Location(file="inner.yaml")
    with pytest.raises(InputError) as info, time_limit(HERE, 0.2), time_limit(inner, 30):
        while True:
            check_time()
    assert info.value.problems[0].location == HERE


def test_other_threads_rely_on_the_readers_checks() -> None:
    outcome: list[str] = []

    def work() -> None:
        try:
            with time_limit(HERE, 0.1):
                for _ in range(1000):
                    time.sleep(0.01)
                    check_time()
        except InputError as exc:
            outcome.append(exc.problems[0].code)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(5)
    assert outcome == ["limit_exceeded"]


def test_a_block_that_finishes_in_time_leaves_no_timer_behind() -> None:
    with time_limit(HERE, 0.3):
        pass
    time.sleep(0.4)  # a timer left armed would raise here
