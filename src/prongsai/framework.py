"""The official structure of each ITA year, loaded from data and validated into frozen objects.

One YAML file per ITA year lives in ``prongsai/frameworks/ita-<year>.yaml``; a folder of such files
named by ``--frameworks`` or ``PRONGSAI_FRAMEWORKS`` is used beside them and wins for the same year
(:mod:`prongsai.framework_folder`). Files are checked by :mod:`prongsai.framework_schema` and turned
into frozen dataclasses that the rest of the code uses. Every rule carries ``confirmed`` and a
``source`` so that outputs resting on an unconfirmed rule can say so. See docs/frameworks.md.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml

from prongsai.errors import DataFileError
from prongsai.framework_schema import (
    ITEM_CODE_RE,
    ITEM_PREFIX_TOOL,
    TOOL_CODES,
    FrameworkSpec,
    RuleSpec,
    ScoringSpec,
    check_definition,
    definition_of,
)

if TYPE_CHECKING:
    from prongsai.problems import Problem

SCHEMA_VERSION = 1
UNCONFIRMED_PARTS = (
    "items",
    "item_indicators",
    "indicators",
    "pass_mark",
    "weights",
    "aggregation",
    "levels",
    "scoring",
)
FRAMEWORKS_ENV = "PRONGSAI_FRAMEWORKS"
__all__ = ["ITEM_CODE_RE", "ITEM_PREFIX_TOOL", "TOOL_CODES", "Framework", "load_frameworks"]


# --------------------------------------------------------------------------------------------------
# Frozen objects used by the rest of the code
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A rule and where it comes from. ``confirmed`` is False when no source we hold states it."""

    confirmed: bool
    source: str
    note: str = ""


@dataclass(frozen=True)
class Aggregation:
    method: Literal["mean", "weighted_mean"]
    rule: Rule


@dataclass(frozen=True)
class Level:
    """One result level. A level applies when every condition holds; levels are tried best first."""

    name: str
    min_overall: float
    min_each_tool: float | None
    rule: Rule
    name_en: str = ""


@dataclass(frozen=True)
class ToolPart:
    code: str
    name_th: str
    name_en: str
    source: str


@dataclass(frozen=True)
class Tool:
    code: str
    name_th: str
    name_en: str
    weight: float
    parts: tuple[ToolPart, ...]
    source: str


@dataclass(frozen=True)
class Indicator:
    number: int
    name_th: str
    tool: str
    rule: Rule


@dataclass(frozen=True)
class SubIndicator:
    code: str
    indicator: int
    name_th: str | None
    rule: Rule


@dataclass(frozen=True)
class Item:
    code: str
    tool: str
    text_th: str | None
    indicator: int | None
    indicator_confirmed: bool
    sub_indicator: str | None
    source: str
    note: str = ""
    same_as: str | None = None  # 'YEAR:code' of the same question in another year

    @property
    def number(self) -> int:
        return int(self.code[1:])


@dataclass(frozen=True)
class Source:
    key: str
    kind: Literal["seed", "web", "arithmetic", "inference"]
    title: str
    ref: str


@dataclass(frozen=True)
class Answer:
    """One answer of a scale: the value it scores, as written on the form (words) or as a code."""

    value: float
    words: tuple[str, ...]
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Scale:
    name: str
    answers: tuple[Answer, ...]
    rule: Rule


@dataclass(frozen=True)
class Question:
    """How the answers to one survey item are scored (rules S2-S4 in docs/scoring.md)."""

    item: str
    scale: str
    reverse: bool
    sub_items: tuple[str, ...]
    rule: Rule


@dataclass(frozen=True)
class MinimumSample:
    """The fewest respondents a tool (or EIT part) needs, for one kind of agency or for all."""

    tool: str
    agency_type: str | None
    minimum: int
    rule: Rule


@dataclass(frozen=True)
class Scoring:
    """The year's rules for scoring raw answers and the OIT checklist (docs/scoring.md, S1-S9)."""

    item_from_answers: Rule
    item_from_sub_items: Rule
    reverse: Rule
    oit_pass: float
    oit_fail: float
    oit_rule: Rule
    scales: Mapping[str, Scale]
    questions: Mapping[str, Question]
    minimum_samples: tuple[MinimumSample, ...]


@dataclass(frozen=True, eq=False)
class Framework:
    """The structure and rules of one ITA year. Compared by identity: each year is loaded once."""

    ita_year: int
    name_th: str
    pass_mark: float
    pass_mark_rule: Rule
    weights_rule: Rule
    indicator_from_items: Mapping[str, Aggregation]
    tool_from_indicators: Aggregation
    overall_from_tools: Aggregation
    levels: tuple[Level, ...]
    levels_source: str
    tools: tuple[Tool, ...]
    indicators: tuple[Indicator, ...]
    sub_indicators: tuple[SubIndicator, ...]
    items: tuple[Item, ...]
    sources: Mapping[str, Source]
    notes: tuple[str, ...]
    items_by_code: Mapping[str, Item]
    scoring: Scoring | None = None
    status: Literal["official", "provisional"] = (
        "official"  # provisional: no NACC manual for the year is held
    )
    origin: str = ""  # where it was read from: 'frameworks/ita-2568.yaml' or a user file's path
    definition: Mapping[str, Any] = field(default_factory=dict, repr=False)  # the checked file, as data

    def tool(self, code: str) -> Tool:
        for tool in self.tools:
            if tool.code == code:
                return tool
        raise KeyError(code)

    def indicator(self, number: int) -> Indicator:
        for indicator in self.indicators:
            if indicator.number == number:
                return indicator
        raise KeyError(number)

    def item(self, code: str) -> Item:
        return self.items_by_code[code]

    def indicators_of(self, tool_code: str) -> tuple[Indicator, ...]:
        return tuple(ind for ind in self.indicators if ind.tool == tool_code)

    def items_of(self, indicator_number: int) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.indicator == indicator_number)

    def level_names(self) -> tuple[str, ...]:
        return tuple(level.name for level in self.levels)

    @property
    def part_codes(self) -> tuple[str, ...]:
        return tuple(part.code for tool in self.tools for part in tool.parts)

    @property
    def provisional(self) -> bool:
        return self.status == "provisional"

    def unconfirmed_parts(self) -> tuple[str, ...]:
        """The parts of the year no source we hold confirms, in the order a reader meets them
        (``items``, ``item_indicators``, ``indicators``, ``pass_mark``, ``weights``, ``aggregation``,
        ``levels``, ``scoring``); see :data:`UNCONFIRMED_PARTS`."""
        aggregations = (
            *self.indicator_from_items.values(),
            self.tool_from_indicators,
            self.overall_from_tools,
        )
        scoring = self.scoring
        found = {
            "items": any(not self._item_sourced(item) for item in self.items),
            "item_indicators": any(i.indicator is not None and not i.indicator_confirmed for i in self.items),
            "indicators": any(not ind.rule.confirmed for ind in self.indicators),
            "pass_mark": not self.pass_mark_rule.confirmed,
            "weights": not self.weights_rule.confirmed,
            "aggregation": any(not agg.rule.confirmed for agg in aggregations),
            "levels": any(not level.rule.confirmed for level in self.levels),
            "scoring": scoring is not None
            and not all(r.confirmed for r in (scoring.item_from_answers, scoring.reverse, scoring.oit_rule)),
        }
        return tuple(part for part in UNCONFIRMED_PARTS if found[part])

    def _item_sourced(self, item: Item) -> bool:
        """An item's wording is held when one of its sources is a published document (a seed)."""
        keys = (part.split(":")[0].strip() for part in item.source.split(";"))
        return any(self.sources[key].kind == "seed" for key in keys if key in self.sources)


# Loading and cross-checks
# --------------------------------------------------------------------------------------------------


def _rule(spec: RuleSpec) -> Rule:
    return Rule(confirmed=spec.confirmed, source=spec.source, note=spec.note)


def _scoring(spec: ScoringSpec | None) -> Scoring | None:
    if spec is None:
        return None
    return Scoring(
        item_from_answers=_rule(spec.item_from_answers),
        item_from_sub_items=_rule(spec.item_from_sub_items),
        reverse=_rule(spec.reverse),
        oit_pass=spec.oit.pass_value,
        oit_fail=spec.oit.fail_value,
        oit_rule=_rule(spec.oit),
        scales={
            s.name: Scale(
                s.name,
                tuple(Answer(a.value, tuple(a.words), tuple(a.codes)) for a in s.answers),
                _rule(s),
            )
            for s in spec.scales
        },
        questions={
            q.item: Question(q.item, q.scale, q.reverse, tuple(q.sub_items), _rule(q)) for q in spec.questions
        },
        minimum_samples=tuple(
            MinimumSample(m.tool, m.agency_type, m.minimum, _rule(m)) for m in spec.minimum_sample
        ),
    )


def build_framework(spec: FrameworkSpec, origin: str = "") -> Framework:
    rules = spec.rules
    weights = rules.weights.value
    items = tuple(
        Item(
            code=it.code,
            tool=ITEM_PREFIX_TOOL[it.code[0]],
            text_th=it.text_th,
            indicator=it.indicator,
            indicator_confirmed=it.indicator_confirmed,
            sub_indicator=it.sub_indicator,
            source=it.source,
            note=it.note,
            same_as=it.same_as,
        )
        for it in sorted(spec.items, key=lambda it: ("ieo".index(it.code[0]), int(it.code[1:])))
    )
    return Framework(
        ita_year=spec.ita_year,
        name_th=spec.name_th,
        pass_mark=rules.pass_mark.value,
        pass_mark_rule=_rule(rules.pass_mark),
        weights_rule=_rule(rules.weights),
        indicator_from_items={
            tool: Aggregation(agg.method, _rule(agg))
            for tool, agg in sorted(rules.aggregation.indicator_from_items.items())
        },
        tool_from_indicators=Aggregation(
            rules.aggregation.tool_from_indicators.method, _rule(rules.aggregation.tool_from_indicators)
        ),
        overall_from_tools=Aggregation(
            rules.aggregation.overall_from_tools.method, _rule(rules.aggregation.overall_from_tools)
        ),
        levels=tuple(
            Level(lv.name, lv.min_overall, lv.min_each_tool, _rule(lv), lv.name_en)
            for lv in rules.levels.levels
        ),
        levels_source=rules.levels.source,
        tools=tuple(
            Tool(
                code=t.code,
                name_th=t.name_th,
                name_en=t.name_en,
                weight=weights[t.code],
                parts=tuple(ToolPart(p.code, p.name_th, p.name_en, p.source) for p in t.parts),
                source=t.source,
            )
            for t in sorted(spec.tools, key=lambda t: TOOL_CODES.index(t.code))
        ),
        indicators=tuple(
            Indicator(ind.number, ind.name_th, ind.tool, _rule(ind))
            for ind in sorted(spec.indicators, key=lambda i: i.number)
        ),
        sub_indicators=tuple(
            SubIndicator(s.code, s.indicator, s.name_th, _rule(s)) for s in spec.sub_indicators
        ),
        items=items,
        items_by_code={item.code: item for item in items},
        sources={key: Source(key, s.kind, s.title, s.ref) for key, s in spec.sources.items()},
        notes=tuple(spec.notes),
        scoring=_scoring(spec.scoring),
        status=spec.status,
        origin=origin,
        definition=definition_of(spec),
    )


def parse_framework(text: str, origin: str) -> Framework:
    """Parse and check one bundled framework file; DataFileError listing every problem found."""
    try:
        raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: 10x faster
    except yaml.YAMLError as exc:
        raise DataFileError(origin, [f"not valid YAML: {exc}"]) from exc
    spec, problems = check_definition(raw)
    if spec is None:
        raise DataFileError(origin, [p.english() for p in problems])
    return build_framework(spec, origin)


@cache
def bundled_frameworks() -> Mapping[int, Framework]:
    """The frameworks shipped with prongsai, keyed by ITA year (Buddhist era).

    Bundled catalogs are checked against these, never against a user's folder."""
    frameworks: dict[int, Framework] = {}
    folder = resources.files("prongsai") / "frameworks"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        match = re.fullmatch(r"ita-(\d{4})\.yaml", entry.name)
        if not match:
            continue
        framework = parse_framework(entry.read_text(encoding="utf-8"), f"frameworks/{entry.name}")
        if framework.ita_year != int(match.group(1)):
            raise DataFileError(
                f"frameworks/{entry.name}",
                [f"file name says {match.group(1)}, content says {framework.ita_year}"],
            )
        frameworks[framework.ita_year] = framework
    return frameworks


# --------------------------------------------------------------------------------------------------
# The frameworks in use: bundled, and a person's own folder over them
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkSet:
    """The frameworks in use and what a person should be told once about them (overrides)."""

    frameworks: Mapping[int, Framework]
    notes: tuple[Problem, ...] = ()
    folder: Path | None = None


_chosen: dict[str, Path | None] = {}


def use_framework_folder(folder: Path | None) -> None:
    """Use the frameworks in ``folder`` beside the bundled ones (``--frameworks``); None: the default
    (``PRONGSAI_FRAMEWORKS`` when set, else bundled only)."""
    if folder is None:
        _chosen.pop("folder", None)
    else:
        _chosen["folder"] = folder


def framework_folder() -> Path | None:
    if "folder" in _chosen:
        return _chosen["folder"]
    value = os.environ.get(FRAMEWORKS_ENV, "").strip()
    return Path(value) if value else None


@cache
def _framework_set(folder: Path | None) -> FrameworkSet:
    if folder is None:
        return FrameworkSet(bundled_frameworks())
    from prongsai.framework_folder import read_framework_folder  # reads user files: the hardened loader

    return read_framework_folder(folder, bundled_frameworks())


def framework_set() -> FrameworkSet:
    """Bundled frameworks with the chosen folder over them; InputError when a file there is wrong."""
    return _framework_set(framework_folder())


def load_frameworks() -> Mapping[int, Framework]:
    """Every framework in use, keyed by ITA year (Buddhist era)."""
    return framework_set().frameworks


_reload_hooks: list[Callable[[], None]] = []


def when_reloaded(clear: Callable[[], None]) -> None:
    """Run ``clear`` (a cache's ``cache_clear``) whenever the frameworks are read again."""
    _reload_hooks.append(clear)


def reload_frameworks() -> None:
    """Forget frameworks read from folders (a file there changed, or another folder is chosen)."""
    _framework_set.cache_clear()
    for clear in _reload_hooks:
        clear()


def framework_for(year: int) -> Framework | None:
    return load_frameworks().get(year)
