"""Laws and regulations a measure may rest on (catalog/legal.yaml): validated at first use.

Each entry has its exact official Thai title and year, a short title, the public page it was
checked against, and whether the check confirmed the title in full. Titles use Arabic digits; a
document in Thai digits converts them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from prongsai.catalog import _validate
from prongsai.errors import DataFileError

ORIGIN = "catalog/legal.yaml"


@dataclass(frozen=True)
class Law:
    key: str
    title: str  # the exact official title with its year, as printed
    short: str
    year: int  # Buddhist era
    source: str  # the public page the title was checked against
    checked: str  # what that page shows
    confirmed: bool
    section: str = ""  # the section measures rest on ('มาตรา 128'), printed after the title
    note: str = ""

    @property
    def cited(self) -> str:
        """The title as a measure cites it: with its section when one is given."""
        return f"{self.title} {self.section}" if self.section else self.title


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _LawSpec(_Strict):
    title: str = Field(min_length=10)
    short: str = Field(min_length=5)
    year: int = Field(ge=2475, le=2600)
    source: str = Field(pattern=r"^https?://\S+$")
    checked: str = Field(min_length=10)
    confirmed: bool
    section: str = ""
    note: str = ""


class _LegalSpec(_Strict):
    schema_version: Literal[1]
    laws: dict[str, _LawSpec] = Field(min_length=1)


_KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_THAI_DIGIT = re.compile("[\u0e50-\u0e59]")


@cache
def laws() -> Mapping[str, Law]:
    """Every entry by key. An entry whose title does not end with its year, an unconfirmed entry
    without a note saying why, or Thai digits in a title, is refused."""
    spec: _LegalSpec = _validate(_LegalSpec, "legal.yaml")
    problems: list[str] = []
    found: dict[str, Law] = {}
    for key, law in spec.laws.items():
        where = f"law {key}"
        if not _KEY.match(key):
            problems.append(f"{where}: a key is lower-case words joined by '-'")
        if f"พ.ศ. {law.year}" not in law.title or f"พ.ศ. {law.year}" not in law.short:
            problems.append(f"{where}: title and short title name the year as 'พ.ศ. {law.year}'")
        if _THAI_DIGIT.search(law.title + law.short + law.section):
            problems.append(f"{where}: write digits as 0-9; a document converts them")
        if not law.confirmed and not law.note.strip():
            problems.append(f"{where}: an unconfirmed entry says why in 'note'")
        found[key] = Law(
            key=key,
            title=law.title.strip(),
            short=law.short.strip(),
            year=law.year,
            source=law.source,
            checked=" ".join(law.checked.split()),
            confirmed=law.confirmed,
            section=law.section.strip(),
            note=" ".join(law.note.split()),
        )
    if problems:
        raise DataFileError(ORIGIN, problems)
    return found


def cited_laws(keys: tuple[str, ...] | list[str]) -> list[str]:
    """The titles (with their sections) of the keys that are in the catalog, in the order given."""
    known = laws()
    return [known[k].cited for k in keys if k in known]
