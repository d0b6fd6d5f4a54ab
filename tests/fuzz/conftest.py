"""The per-class summary of the fuzz cases, printed at the end of a pytest run that ran any."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fuzz.cases import CLASSES
from tests.fuzz.harness import warm_up
from tests.fuzz.tally import TALLY, table


@pytest.fixture(scope="session")
def fuzz_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where cases run (each in its own folder, removed after it), with prongsai loaded to fork."""
    warm_up()
    return tmp_path_factory.mktemp("fuzz")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not TALLY:
        return
    terminalreporter.section("fuzz cases per class (docs/fuzzing.md)")
    terminalreporter.write_line(table(list(CLASSES)))
