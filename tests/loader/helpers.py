"""Helpers for the tests of hostile input: the one problem a call raises, and the limit it names."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from prongsai.errors import InputError
from prongsai.problems import Problem


def one_problem(call: Callable[[], object]) -> Problem:
    """The single problem ``call`` raises, worded differently in Thai and English."""
    with pytest.raises(InputError) as info:
        call()
    (problem,) = info.value.problems
    assert problem.message_th != problem.message_en
    return problem


def limit_name(problem: Problem) -> str:
    """Which field of loader.limits.Limits a limit_exceeded problem names."""
    assert problem.code == "limit_exceeded"
    return problem.params["limit_name"]
