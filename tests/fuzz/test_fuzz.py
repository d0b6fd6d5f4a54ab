"""Hostile and broken input for every command (issue 11): the properties of docs/fuzzing.md.

Every case is a forked ``prongsai`` run; failures say which property broke and what the command
printed. Nothing here is skipped or expected to fail: the suite states the true state."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.fuzz.cases import all_cases
from tests.fuzz.harness import Case, Result, run_case
from tests.fuzz.properties import explore_agency_names, explore_number_forms
from tests.fuzz.tally import record

pytestmark = [pytest.mark.slow, pytest.mark.fuzz]

try:  # a broken generator fails one test here instead of stopping the whole session's collection
    CASES, GENERATION_ERROR = all_cases(), None
except Exception as exc:
    CASES, GENERATION_ERROR = [], exc


def test_every_case_can_be_generated() -> None:
    assert GENERATION_ERROR is None, f"the fuzz cases could not be generated: {GENERATION_ERROR!r}"


def _run(case: Case, root: Path) -> Result:
    start = time.monotonic()
    try:
        result = run_case(case, root)
    except Exception as exc:  # a base input could not be made: the case fails, and says why
        record(
            case.cls, case.name, False, f"{case.id}: could not run: {exc}"[:2000], time.monotonic() - start
        )
        raise
    record(case.cls, case.name, result.passed, result.explain(), result.outcome.seconds)
    return result


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, fuzz_root: Path) -> None:
    result = _run(case, fuzz_root)
    assert result.passed, result.explain()


def _record_all(results: list[Result]) -> list[Result]:
    for result in results:
        record(result.case.cls, result.case.name, result.passed, result.explain(), result.outcome.seconds)
    return [r for r in results if not r.passed]


def test_number_forms(fuzz_root: Path) -> None:
    """A score 0-100 written in any text form (Thai digits, leading zeros, exponent, %, sign) in
    YAML, JSON or CSV reads as exactly its value, or is refused with the line or row named."""
    failed = _record_all(explore_number_forms(fuzz_root))
    assert not failed, "\n\n".join(r.explain() for r in failed[:10])


def test_agency_names(fuzz_root: Path) -> None:
    """Any agency name (controls, formula starts, emoji, 20,000 characters) reaches CSV, XLSX,
    DOCX and the plan file without a traceback and never as a formula."""
    failed = _record_all(explore_agency_names(fuzz_root))
    assert not failed, "\n\n".join(r.explain() for r in failed[:10])
