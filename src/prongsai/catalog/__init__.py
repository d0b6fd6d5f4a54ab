"""Thai text data: findings per item, measure templates, issues, units, narrative patterns.

Each file is validated when first used (strict schema, cross-checked against the frameworks) and
turned into frozen objects. Code holds no Thai prose; it lives in these files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from prongsai.errors import DataFileError
from prongsai.framework import bundled_frameworks, framework_folder, load_frameworks, when_reloaded

Status = Literal["below", "pass", "full"]
STATUSES: tuple[Status, ...] = ("below", "pass", "full")


def _read(name: str) -> Any:
    text = (resources.files("prongsai") / "catalog" / name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _validate(model: type[BaseModel], name: str) -> Any:
    try:
        return model.model_validate(_read(name))
    except ValidationError as exc:
        raise DataFileError(
            f"catalog/{name}", [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        ) from exc


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------------------------------
# Findings and recommendations per item and status
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    finding: str
    recommendation: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class ItemText:
    subject: str
    by_status: Mapping[str, Finding]
    generic: bool


class _FindingSpec(_Strict):
    finding: str = Field(min_length=10)
    recommendation: str = Field(min_length=10)
    evidence: list[str] = []


class _ItemTextSpec(_Strict):
    subject: str = Field(min_length=3)
    below: _FindingSpec
    # 'pass' is a Python keyword, hence the alias
    pass_: _FindingSpec = Field(alias="pass")
    full: _FindingSpec
    generic: bool = False
    subject_source: str | None = None


class _FindingsSpec(_Strict):
    schema_version: Literal[1]
    ita_year: int
    items: dict[str, _ItemTextSpec]


@cache
def findings(year: int) -> Mapping[str, ItemText]:
    """Findings for every item of an ITA year (empty when the year has no findings file)."""
    name = f"findings-{year}.yaml"
    if not (resources.files("prongsai") / "catalog" / name).is_file():
        return {}
    spec: _FindingsSpec = _validate(_FindingsSpec, name)
    framework = bundled_frameworks()[year]
    problems = []
    if spec.ita_year != year:
        problems.append(f"says ita_year {spec.ita_year}")
    missing = [code for code in framework.items_by_code if code not in spec.items]
    if missing:
        problems.append(f"no findings for {', '.join(missing)}")
    result: dict[str, ItemText] = {}
    for code, item in spec.items.items():
        if code not in framework.items_by_code:
            problems.append(f"{code} is not an item of {year}")
        by_status: dict[str, Finding] = {}
        for status, entry in (("below", item.below), ("pass", item.pass_), ("full", item.full)):
            bad = [e for e in entry.evidence if e not in framework.items_by_code or not e.startswith("o")]
            if bad:
                problems.append(f"{code}.{status}: evidence {bad} are not OIT items of {year}")
            by_status[status] = Finding(
                entry.finding.strip(), entry.recommendation.strip(), tuple(entry.evidence)
            )
        result[code] = ItemText(item.subject.strip(), by_status, item.generic)
    if problems:
        raise DataFileError(f"catalog/{name}", problems)
    return result


def item_texts(year: int) -> Mapping[str, ItemText]:
    """Findings for every item of a year that has them: the year's own, else those of the same
    question in the nearest year that has findings (through the cross-year map), with the OIT items
    cited as evidence followed to this year (those without a counterpart are left out)."""
    return _item_texts(year, framework_folder())


@cache
def _item_texts(year: int, folder: object) -> Mapping[str, ItemText]:
    from prongsai.crosswalk import load_crosswalk

    framework = load_frameworks().get(year)
    if framework is None:
        return {}
    own = findings(year) if year in bundled_frameworks() else {}
    if framework is bundled_frameworks().get(year) and len(own) == len(framework.items):
        return own
    crosswalk = load_crosswalk()
    result: dict[str, ItemText] = {}
    for code in framework.items_by_code:
        if code in own:
            result[code] = own[code]
            continue
        concept = crosswalk.concept_of(year, code)
        members = sorted(concept.members, key=lambda m: (abs(m.year - year), -m.year)) if concept else []
        for member in members:
            other = findings(member.year).get(member.code) if member.year != year else None
            if other is not None:
                result[code] = _followed(other, member.year, year, crosswalk)
                break
    return result


def _followed(text: ItemText, from_year: int, to_year: int, crosswalk: Any) -> ItemText:
    def follow(codes: tuple[str, ...]) -> tuple[str, ...]:
        found = (crosswalk.counterpart(from_year, code, to_year) for code in codes)
        return tuple(member.code for member in found if member is not None)

    return ItemText(
        text.subject,
        {
            status: Finding(finding.finding, finding.recommendation, follow(finding.evidence))
            for status, finding in text.by_status.items()
        },
        text.generic,
    )


when_reloaded(_item_texts.cache_clear)


# --------------------------------------------------------------------------------------------------
# The seven issues
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    number: int
    name_th: str


@dataclass(frozen=True)
class IssueGrouping:
    issues: tuple[Issue, ...]
    members: Mapping[int, Mapping[int, tuple[str, ...]]]  # year -> issue number -> item codes
    confirmed: Mapping[int, bool]

    def issues_of(self, year: int, code: str) -> tuple[int, ...]:
        return tuple(n for n, codes in self.members.get(year, {}).items() if code in codes)


class _IssueSpec(_Strict):
    number: int
    name_th: str


class _YearIssuesSpec(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)
    confirmed: bool
    source: str
    issues: dict[int, list[str]]


class _IssuesSpec(_Strict):
    schema_version: Literal[1]
    issues: list[_IssueSpec] = Field(min_length=7, max_length=7)
    members: dict[int, _YearIssuesSpec]


@cache
def issue_grouping() -> IssueGrouping:
    spec: _IssuesSpec = _validate(_IssuesSpec, "issues.yaml")
    frameworks = bundled_frameworks()
    problems = []
    for year, entry in spec.members.items():
        codes = {c for cs in entry.issues.values() for c in cs}
        unknown = sorted(codes - set(frameworks[year].items_by_code))
        if unknown:
            problems.append(f"{year}: {unknown} are not items of that year")
        unplaced = sorted(set(frameworks[year].items_by_code) - codes)
        if unplaced:
            problems.append(f"{year}: {unplaced} are under no issue")
    if problems:
        raise DataFileError("catalog/issues.yaml", problems)
    return IssueGrouping(
        issues=tuple(Issue(i.number, i.name_th) for i in spec.issues),
        members={y: {n: tuple(cs) for n, cs in e.issues.items()} for y, e in spec.members.items()},
        confirmed={y: e.confirmed for y, e in spec.members.items()},
    )


# --------------------------------------------------------------------------------------------------
# Narrative patterns, units
# --------------------------------------------------------------------------------------------------


@cache
def narrative() -> Mapping[str, Any]:
    raw = _read("narrative.yaml")
    if raw.get("schema_version") != 1:
        raise DataFileError("catalog/narrative.yaml", ["schema_version must be 1"])
    return raw  # type: ignore[no-any-return]


def pattern(path: str) -> str:
    """A sentence pattern by dotted path, e.g. 'indicator.opening'."""
    node: Any = narrative()
    for part in path.split("."):
        node = node[part]
    if not isinstance(node, str):
        raise KeyError(path)
    return node


class _UnitsSpec(_Strict):
    schema_version: Literal[1]
    types: dict[str, dict[str, str]]
    default: dict[str, str]


@cache
def default_units(agency_type: str | None) -> Mapping[str, str]:
    """Unit names per role for an agency type (the generic set when the type is not listed)."""
    spec: _UnitsSpec = _validate(_UnitsSpec, "units.yaml")
    return spec.types.get(agency_type or "", spec.default)


def agency_units(agency_type: str | None, overrides: Mapping[str, str]) -> dict[str, str]:
    """The catalog's unit names for the agency type, with the agency's own names (``--units``) over them."""
    return {**default_units(agency_type), **overrides}


class _PlanDefaultsSpec(_Strict):
    schema_version: Literal[1]
    limitations: list[str]
    suggestions: list[str]


@cache
def plan_defaults() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Default limitations (ข้อจำกัด) and suggestions (ข้อเสนอแนะ) of a new plan."""
    spec: _PlanDefaultsSpec = _validate(_PlanDefaultsSpec, "plan_defaults.yaml")
    return tuple(spec.limitations), tuple(spec.suggestions)
