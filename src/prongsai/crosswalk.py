"""The cross-year item map: which item of one ITA year is the same question as an item of another.

Codes were renumbered between years (2566 i1-i30 became 2567/2568 i1-i15; OIT o1-o43 became
o1-o28), so a trend can follow an item only through this map. A link exists only where the texts
show it is the same question; everything else stays unknown. See docs/frameworks.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from prongsai.errors import DataFileError
from prongsai.framework import ITEM_PREFIX_TOOL, Framework, bundled_frameworks, framework_set, when_reloaded
from prongsai.framework_schema import SAME_AS_RE


@dataclass(frozen=True)
class Member:
    year: int
    code: str
    certain: bool
    evidence: str


@dataclass(frozen=True)
class Concept:
    id: str
    tool: str
    summary_en: str
    members: tuple[Member, ...]

    def code_in(self, year: int) -> Member | None:
        return next((m for m in self.members if m.year == year), None)


@dataclass(frozen=True)
class Crosswalk:
    concepts: tuple[Concept, ...]
    by_item: Mapping[tuple[int, str], Concept]

    def concept_of(self, year: int, code: str) -> Concept | None:
        return self.by_item.get((year, code))

    def counterpart(self, year: int, code: str, other_year: int) -> Member | None:
        """The item of ``other_year`` that is the same question as ``code`` of ``year``, if known."""
        concept = self.concept_of(year, code)
        return concept.code_in(other_year) if concept else None


class _MemberSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    year: int
    code: str
    certain: bool
    evidence: str = Field(min_length=3)


class _ConceptSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    tool: Literal["IIT", "EIT", "OIT"]
    summary_en: str
    members: list[_MemberSpec] = Field(min_length=2)


class _CrosswalkSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: Literal[1]
    concepts: list[_ConceptSpec]
    not_linked: list[str] = []


def parse_crosswalk(text: str, origin: str, frameworks: Mapping[int, Framework]) -> Crosswalk:
    try:
        spec = _CrosswalkSpec.model_validate(yaml.safe_load(text))
    except (ValidationError, yaml.YAMLError) as exc:
        raise DataFileError(origin, [str(exc)]) from exc
    problems: list[str] = []
    by_item: dict[tuple[int, str], Concept] = {}
    concepts: list[Concept] = []
    ids: set[str] = set()
    for c in spec.concepts:
        if c.id in ids:
            problems.append(f"concept {c.id} is listed twice")
        ids.add(c.id)
        concept = Concept(
            c.id,
            c.tool,
            c.summary_en,
            tuple(Member(m.year, m.code, m.certain, m.evidence) for m in c.members),
        )
        if len({m.year for m in c.members}) != len(c.members):
            problems.append(f"concept {c.id}: one member per year")
        for m in c.members:
            framework = frameworks.get(m.year)
            if framework is None or m.code not in framework.items_by_code:
                problems.append(f"concept {c.id}: {m.year} has no item {m.code}")
            elif ITEM_PREFIX_TOOL[m.code[0]] != c.tool:
                problems.append(f"concept {c.id}: {m.code} is not a {c.tool} item")
            if (m.year, m.code) in by_item:
                problems.append(
                    f"{m.year} {m.code} is in two concepts ({by_item[(m.year, m.code)].id}, {c.id})"
                )
            by_item[(m.year, m.code)] = concept
        concepts.append(concept)
    if problems:
        raise DataFileError(origin, problems)
    return Crosswalk(tuple(concepts), by_item)


@cache
def bundled_crosswalk() -> Crosswalk:
    text = (resources.files("prongsai") / "frameworks" / "crosswalk.yaml").read_text(encoding="utf-8")
    return parse_crosswalk(text, "frameworks/crosswalk.yaml", bundled_frameworks())


def load_crosswalk() -> Crosswalk:
    """The bundled map, with the links a person's own framework files give (``same_as``)."""
    own = tuple(fw for fw in framework_set().frameworks.values() if any(item.same_as for item in fw.items))
    return _linked(own) if own else bundled_crosswalk()


@cache
def _linked(frameworks: tuple[Framework, ...]) -> Crosswalk:
    return with_same_as(bundled_crosswalk(), frameworks)


when_reloaded(_linked.cache_clear)


def with_same_as(base: Crosswalk, frameworks: Iterable[Framework]) -> Crosswalk:
    """``base`` with every ``same_as`` link: an item joins the concept of the item it names, or a
    new concept of the two. Links are marked uncertain: a person wrote them, no text compared them."""
    concepts = {c.id: c for c in base.concepts}
    by_item = dict(base.by_item)
    for framework in frameworks:
        for item in framework.items:
            match = SAME_AS_RE.match(item.same_as or "")
            if not match or (framework.ita_year, item.code) in by_item:
                continue
            year, code = int(match.group(1)), match.group(2)
            evidence = f"same_as {item.same_as} ({framework.origin})"
            member = Member(framework.ita_year, item.code, False, evidence)
            found = by_item.get((year, code))
            if found is None:
                other = Member(year, code, False, evidence)
                concept = Concept(f"own-{framework.ita_year}-{item.code}", item.tool, "", (other, member))
            elif found.code_in(framework.ita_year) is None:
                concept = replace(found, members=(*found.members, member))
            else:
                continue  # the concept already has an item of this year: one member per year
            concepts[concept.id] = concept
            for m in concept.members:
                by_item[(m.year, m.code)] = concept
    return Crosswalk(tuple(concepts.values()), by_item)
