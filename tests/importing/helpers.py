"""Shared helpers of the import tests: the seeds, the answer key and text comparison."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from prongsai.thai import to_arabic_digits
from tests.conftest import SHARED

SEEDS = SHARED / "seeds"
KEY = SHARED / "reference" / "seed-ground-truth.yaml"


def seed_path(seed: str) -> Path:
    return next(SEEDS.glob(f"{seed}_*.txt"))


@cache
def answer_key() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(KEY.read_text(encoding="utf-8"))["seeds"]
    return {name[:3]: entry for name, entry in data.items()}


def squash(text: str | None) -> str:
    return re.sub(r"\s+", "", to_arabic_digits(text or ""))


def like(short: str, printed: str) -> bool:
    """The answer key shortens titles by dropping words: most of it must appear, in order."""
    a, b = squash(short), squash(printed)
    previous = [0] * (len(b) + 1)
    for x in a:  # longest common subsequence
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1] >= 0.8 * len(a)
