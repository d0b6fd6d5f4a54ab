"""Exceptions. Each failure kind has one class; the CLI turns them into exit codes in one place."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prongsai.problems import Problem


class ProngsaiError(Exception):
    """Base class of every error prongsai raises on purpose."""


class DataFileError(ProngsaiError):
    """A bundled data file (framework, catalog) is invalid: a defect of the package, not of user input."""

    def __init__(self, origin: str, problems: Sequence[str]) -> None:
        self.origin = origin
        self.problems = list(problems)
        super().__init__(f"{origin}: " + "; ".join(self.problems))


class InputError(ProngsaiError):
    """User input has problems. ``problems`` holds every one found, each with its location."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(p.message_en for p in self.problems))
