"""Measure templates (catalog/measures.yaml): validated against the frameworks at first use.

Texts hold placeholders for the words that differ by kind of agency ({term.NAME}) and for the
agency's units ({unit.ROLE}); every placeholder must be fillable for every kind of agency the
template applies to, digits are Arabic, and no text holds a word terms.yaml ``never`` allows."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from prongsai.agency import kinds, never_words, placeholders
from prongsai.catalog import _validate
from prongsai.catalog.legal import laws
from prongsai.errors import DataFileError
from prongsai.framework import bundled_frameworks

BudgetNeed = Literal["none", "regular"]


@dataclass(frozen=True)
class Template:
    id: str
    kind: str
    title: str
    purpose: str
    steps: tuple[str, ...]
    owner: str  # a role key (see units.yaml)
    co_owners: tuple[str, ...]
    quarters: tuple[int, int]
    follow_up: str
    output: str
    indicators: tuple[int, ...]
    issues: tuple[int, ...]
    items: Mapping[int, tuple[str, ...]]
    maintain: bool
    local_only: bool = False  # drafted for local government only
    specific: bool = False  # one kind of service: a general template answering the same item wins
    target: str = ""  # ค่าเป้าหมาย, only where the template's own action states one
    budget: BudgetNeed = "regular"  # 'none': the measure needs no budget of its own
    legal_basis: tuple[str, ...] = ()  # keys of catalog/legal.yaml the measure rests on

    @property
    def texts(self) -> tuple[str, ...]:
        """Every text of the template that a plan may print."""
        return (self.title, self.purpose, *self.steps, self.follow_up, self.output, self.target)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Answers(_Strict):
    indicators: list[int] = Field(min_length=1)
    issues: list[int] = []
    items: dict[int, list[str]] = {}


class _TemplateSpec(_Strict):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    kind: Literal["มาตรการ", "โครงการ", "กิจกรรม"]
    title: str = Field(min_length=10)
    purpose: str = ""
    steps: list[str] = Field(min_length=1)
    owner: str
    co_owners: list[str] = []
    quarters: tuple[int, int]
    follow_up: str
    output: str = ""
    target: str = ""
    budget: BudgetNeed = "regular"
    legal_basis: list[str] = []
    answers: _Answers
    maintain: bool = False
    local_only: bool = False
    specific: bool = False


class _MeasuresSpec(_Strict):
    schema_version: Literal[1]
    roles: dict[str, str]
    templates: list[_TemplateSpec] = Field(min_length=1)


@cache
def role_names() -> Mapping[str, str]:
    spec: _MeasuresSpec = _validate(_MeasuresSpec, "measures.yaml")
    return spec.roles


@cache
def templates() -> tuple[Template, ...]:
    spec: _MeasuresSpec = _validate(_MeasuresSpec, "measures.yaml")
    frameworks = bundled_frameworks()
    problems: list[str] = []
    seen: set[str] = set()
    result: list[Template] = []
    for t in spec.templates:
        where = f"template {t.id}"
        if t.id in seen:
            problems.append(f"{where}: id used twice")
        seen.add(t.id)
        for role in [t.owner, *t.co_owners]:
            if role not in spec.roles:
                problems.append(f"{where}: role '{role}' is not listed under roles")
        first, last = t.quarters
        if not 1 <= first <= last <= 4:
            problems.append(f"{where}: quarters must be 1-4, first not after last")
        if not all(1 <= n <= 10 for n in t.answers.indicators) or not all(
            1 <= n <= 7 for n in t.answers.issues
        ):
            problems.append(f"{where}: indicators are 1-10 and issues 1-7")
        problems += _text_problems(where, t, spec.roles)
        for key in t.legal_basis:
            law = laws().get(key)
            if law is None:
                problems.append(f"{where}: legal_basis '{key}' is not in catalog/legal.yaml")
            elif not law.confirmed:
                problems.append(f"{where}: legal_basis '{key}' is not confirmed ({law.note})")
        for year, codes in t.answers.items.items():
            framework = frameworks.get(year)
            unknown = [c for c in codes if framework is None or c not in framework.items_by_code]
            if unknown:
                problems.append(f"{where}: {unknown} are not items of {year}")
        result.append(
            Template(
                id=t.id,
                kind=t.kind,
                title=t.title.strip(),
                purpose=t.purpose.strip(),
                steps=tuple(s.strip() for s in t.steps),
                owner=t.owner,
                co_owners=tuple(t.co_owners),
                quarters=(first, last),
                follow_up=t.follow_up.strip(),
                output=t.output.strip(),
                indicators=tuple(t.answers.indicators),
                issues=tuple(t.answers.issues),
                items={year: tuple(codes) for year, codes in t.answers.items.items()},
                maintain=t.maintain,
                local_only=t.local_only,
                specific=t.specific,
                target=t.target.strip(),
                budget=t.budget,
                legal_basis=tuple(t.legal_basis),
            )
        )
    if problems:
        raise DataFileError("catalog/measures.yaml", problems)
    return tuple(result)


_THAI_DIGIT = re.compile("[\u0e50-\u0e59]")


def _text_problems(where: str, t: _TemplateSpec, roles: Mapping[str, str]) -> list[str]:
    """Placeholders that some kind of agency cannot fill, Thai digits, and words never allowed."""
    problems: list[str] = []
    applies = [w for w in kinds().values() if w.local or not t.local_only]
    for text in (t.title, t.purpose, *t.steps, t.follow_up, t.output, t.target):
        for space, name in placeholders(text):
            if space == "unit" and name not in roles:
                problems.append(f"{where}: {{unit.{name}}} is not a role")
            if space == "term":
                lacking = [w.kind for w in applies if name not in w.terms]
                if lacking:
                    problems.append(f"{where}: {{term.{name}}} has no word for {lacking}")
        if _THAI_DIGIT.search(text):
            problems.append(f"{where}: write digits as 0-9 ('{text}'); a document converts them")
        problems += [f"{where}: '{word}' (write its placeholder)" for word in never_words() if word in text]
    return problems
