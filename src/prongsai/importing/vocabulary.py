"""The Thai words the import readers recognise, from catalog/import.yaml (loaded and validated once).

House rule: Thai words live in data files, not code. Regular expressions are built from these lists.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from prongsai.errors import DataFileError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HeadingWord(_Strict):
    role: str | None
    pattern: str = Field(min_length=1)


class HeaderWords(_Strict):
    year_prefixes: tuple[str, ...] = Field(min_length=1)
    be_era: str
    plan_words: tuple[str, ...] = Field(min_length=1)
    ita_words: tuple[str, ...] = Field(min_length=1)
    district: str
    province: str


class SectionWords(_Strict):
    issue: str
    indicator: str


class TimeframeWords(_Strict):
    quarter: str
    quarter_suffix: str
    months: tuple[str, ...] = Field(min_length=12, max_length=12)


class ImportVocabulary(_Strict):
    schema_version: Literal[1]
    headings: tuple[HeadingWord, ...] = Field(min_length=1)
    header: HeaderWords
    sections: SectionWords
    timeframe: TimeframeWords


@cache
def vocabulary() -> ImportVocabulary:
    text = (resources.files("prongsai") / "catalog" / "import.yaml").read_text(encoding="utf-8")
    try:
        return ImportVocabulary.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        raise DataFileError(
            "catalog/import.yaml", [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        ) from exc
