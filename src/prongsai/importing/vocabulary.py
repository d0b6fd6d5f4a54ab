"""The Thai words the import readers recognise, from catalog/import.yaml (loaded and validated once).

House rule: Thai words live in data files, not code. Regular expressions are built from these lists:
literal words are escaped with re.escape; the few entries that are regular expressions themselves
(table headings, the pieces before a year) must compile, and the year pieces may not capture.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from prongsai.errors import DataFileError

ORIGIN = "catalog/import.yaml"


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"pattern {pattern!r} does not compile: {exc}") from exc
    return pattern


def _no_groups(pattern: str) -> str:
    if re.compile(pattern).groups:
        raise ValueError(f"pattern {pattern!r} has a capturing group; use (?:...)")
    return pattern


def _trimmed(word: str) -> str:
    if word != word.strip():
        raise ValueError(f"word {word!r} has spaces at its ends")
    return word


Word = Annotated[str, Field(min_length=1), AfterValidator(_trimmed)]  # matched literally
Words = Annotated[tuple[Word, ...], Field(min_length=1)]
Pattern = Annotated[str, Field(min_length=1), AfterValidator(_compiles)]
Piece = Annotated[Pattern, AfterValidator(_no_groups)]  # spliced into a larger pattern

Role = Literal[
    "indicator_list",
    "indicator_no",
    "indicator_name",
    "issue",
    "seq",
    "tool",
    "question",
    "code",
    "score",
    "verdict",
    "analysis",
    "measure",
    "steps",
    "timeframe",
    "owner",
    "follow_up",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HeadingWord(_Strict):
    role: Role | None
    pattern: Pattern


class HeaderWords(_Strict):
    year_prefixes: Annotated[tuple[Piece, ...], Field(min_length=1)]
    be_era: Piece
    plan_words: Words
    ita_words: Words
    district: Word
    province: Word
    abbreviation: Word
    name_after: Words


class SectionWords(_Strict):
    issue: Word
    indicator: Word


class TimeframeWords(_Strict):
    quarter: Word
    quarter_suffix: Word
    months: Annotated[tuple[Word, ...], Field(min_length=12, max_length=12)]


class ScoreWords(_Strict):
    unit: Word
    unit_not_before: Words
    code_prefixes: Words
    figure_words: Words
    overall_words: Words
    overall_not_with: Words
    overall_row: Word
    average_row: Word
    level_words: Words
    level_computed_before: Words
    level_estimated_after: Words
    part: Word
    tool_garbled: dict[Literal["IIT", "EIT", "OIT"], Word]


ProgressRole = Literal[
    "seq", "status", "percent", "done", "measure", "owner", "outputs", "problems", "suggestions", "note"
]
LabelRole = Literal["status", "done", "owner", "outputs", "problems", "suggestions"]


class ProgressHeading(_Strict):
    role: ProgressRole | None
    pattern: Pattern


class ProgressWords(_Strict):
    """The words of a published progress report (importing/progress.py)."""

    titles: Words
    headings: Annotated[tuple[ProgressHeading, ...], Field(min_length=1)]
    round: Word
    months: Word
    total_rows: Words
    ticks: Words
    nothing_done: Words
    measure_heading: Word
    percent_word: Word
    labels: dict[LabelRole, Words]


class ImportVocabulary(_Strict):
    schema_version: Literal[1]
    headings: tuple[HeadingWord, ...] = Field(min_length=1)
    header: HeaderWords
    sections: SectionWords
    timeframe: TimeframeWords
    scores: ScoreWords
    progress: ProgressWords


def alternatives(words: tuple[str, ...]) -> str:
    """Literal words as one regex alternation, in the order listed (the first that matches wins)."""
    return "|".join(re.escape(w) for w in words)


def parse_vocabulary(text: str, origin: str = ORIGIN) -> ImportVocabulary:
    """Parse and validate the vocabulary; raise DataFileError naming every bad key."""
    try:
        raw: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataFileError(origin, [f"not valid YAML: {exc}"]) from exc
    try:
        return ImportVocabulary.model_validate(raw)
    except ValidationError as exc:
        raise DataFileError(
            origin, [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        ) from exc


@cache
def vocabulary() -> ImportVocabulary:
    text = (resources.files("prongsai") / "catalog" / "import.yaml").read_text(encoding="utf-8")
    return parse_vocabulary(text)
