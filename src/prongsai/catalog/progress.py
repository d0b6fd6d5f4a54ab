"""The status words of carrying out the measures (catalog/progress.yaml): validated at first use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from prongsai.catalog import _validate
from prongsai.errors import DataFileError
from prongsai.progress import STATUSES, Status

ORIGIN = "catalog/progress.yaml"


@dataclass(frozen=True)
class StatusWords:
    key: Status
    th: str  # as a progress file and a report write it
    en: str
    also: tuple[str, ...]  # other spellings read as this status


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _WordsSpec(_Strict):
    th: str = Field(min_length=2)
    en: str = Field(min_length=2)
    also: list[str] = []


class _ProgressSpec(_Strict):
    schema_version: Literal[1]
    statuses: dict[str, _WordsSpec]


@cache
def status_words() -> Mapping[Status, StatusWords]:
    """The words of every status, in the order of :data:`prongsai.progress.STATUSES`."""
    spec: _ProgressSpec = _validate(_ProgressSpec, "progress.yaml")
    if set(spec.statuses) != set(STATUSES):
        raise DataFileError(ORIGIN, [f"statuses must be exactly {', '.join(STATUSES)}"])
    words = {
        key: StatusWords(key, w.th, w.en, tuple(w.also)) for key in STATUSES if (w := spec.statuses[key])
    }
    spellings = [s for w in words.values() for s in (w.th, w.key, *w.also)]
    if len(spellings) != len(set(spellings)):
        raise DataFileError(ORIGIN, ["a spelling names two statuses"])
    return {key: words[key] for key in STATUSES}


def status_named(text: str) -> Status | None:
    """The status a word names: its Thai word, its English key or another spelling listed (spaces
    and case ignored); None for anything else."""
    wanted = "".join(text.split()).lower()
    for words in status_words().values():
        names = (words.th, words.key, words.en, *words.also)
        if any("".join(n.split()).lower() == wanted for n in names):
            return words.key
    return None


def status_th(status: Status) -> str:
    return status_words()[status].th
