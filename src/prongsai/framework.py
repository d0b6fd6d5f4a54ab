"""The official structure of each ITA year, loaded from data and validated into frozen objects.

One YAML file per ITA year lives in ``prongsai/frameworks/ita-<year>.yaml``.  The files are read
with a strict pydantic schema (``extra="forbid"``) and then turned into frozen dataclasses that the
rest of the code uses.  Every rule carries ``confirmed`` and a ``source`` so that outputs resting on
an unconfirmed rule can say they are estimates.  See docs/frameworks.md for the file format.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from prongsai.errors import DataFileError

SCHEMA_VERSION = 1
TOOL_CODES = ("IIT", "EIT", "OIT")
ITEM_PREFIX_TOOL = {"i": "IIT", "e": "EIT", "o": "OIT"}
ITEM_CODE_RE = re.compile(r"^([ieo])([1-9][0-9]?)$")
SOURCE_REF_RE = re.compile(r"^([A-Za-z0-9_-]+)(?::[0-9, -]+)?$")


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


# --------------------------------------------------------------------------------------------------
# The file schema (strict; only used at load time)
# --------------------------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _RuleSpec(_Strict):
    confirmed: bool
    source: str
    note: str = ""


class _ValueRule(_RuleSpec):
    value: float = Field(ge=0, le=100)


class _WeightsRule(_RuleSpec):
    value: dict[Literal["IIT", "EIT", "OIT"], float]

    @model_validator(mode="after")
    def _sum_to_one(self) -> _WeightsRule:
        if set(self.value) != set(TOOL_CODES):
            raise ValueError("weights must name IIT, EIT and OIT")
        if abs(sum(self.value.values()) - 1.0) > 1e-9:
            raise ValueError(f"weights must add up to 1, they add up to {sum(self.value.values())}")
        return self


class _AggregationSpec(_RuleSpec):
    method: Literal["mean", "weighted_mean"]


class _LevelSpec(_RuleSpec):
    name: str
    name_en: str = ""
    min_overall: float = Field(ge=0, le=100)
    min_each_tool: float | None = Field(default=None, ge=0, le=100)


class _LevelsSpec(_Strict):
    source: str
    levels: list[_LevelSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> _LevelsSpec:
        names = [level.name for level in self.levels]
        if len(set(names)) != len(names):
            raise ValueError("level names must be unique")
        if self.levels[-1].min_overall != 0 or self.levels[-1].min_each_tool is not None:
            raise ValueError("the last level must accept every score (min_overall 0, no tool condition)")
        return self


class _AggregationsSpec(_Strict):
    indicator_from_items: dict[Literal["IIT", "EIT", "OIT"], _AggregationSpec]
    tool_from_indicators: _AggregationSpec
    overall_from_tools: _AggregationSpec


class _RulesSpec(_Strict):
    pass_mark: _ValueRule
    weights: _WeightsRule
    aggregation: _AggregationsSpec
    levels: _LevelsSpec


class _SourceSpec(_Strict):
    kind: Literal["seed", "web", "arithmetic", "inference"]
    title: str
    ref: str = ""


class _PartSpec(_Strict):
    code: str
    name_th: str
    name_en: str = ""
    source: str


class _ToolSpec(_Strict):
    code: Literal["IIT", "EIT", "OIT"]
    name_th: str
    name_en: str
    source: str
    parts: list[_PartSpec] = []


class _IndicatorSpec(_RuleSpec):
    number: int = Field(ge=1, le=10)
    name_th: str
    tool: Literal["IIT", "EIT", "OIT"]


class _SubIndicatorSpec(_RuleSpec):
    code: str
    indicator: int = Field(ge=1, le=10)
    name_th: str | None = None


class _ItemSpec(_Strict):
    code: str
    text_th: str | None = None
    indicator: int | None = Field(default=None, ge=1, le=10)
    indicator_confirmed: bool = False
    sub_indicator: str | None = None
    source: str
    note: str = ""


class _AnswerSpec(_Strict):
    value: float = Field(ge=0, le=100)
    words: list[str] = []
    codes: list[str] = []


class _ScaleSpec(_RuleSpec):
    name: str
    answers: list[_AnswerSpec] = Field(min_length=2)


class _QuestionSpec(_RuleSpec):
    item: str
    scale: str
    reverse: bool = False
    sub_items: list[str] = []


class _MinimumSampleSpec(_RuleSpec):
    tool: str
    agency_type: str | None = None
    minimum: int = Field(ge=1)


class _OitScoringSpec(_RuleSpec):
    pass_value: float = Field(ge=0, le=100)
    fail_value: float = Field(ge=0, le=100)


class _ScoringSpec(_Strict):
    item_from_answers: _RuleSpec
    item_from_sub_items: _RuleSpec
    reverse: _RuleSpec
    oit: _OitScoringSpec
    scales: list[_ScaleSpec] = Field(min_length=1)
    questions: list[_QuestionSpec] = []
    minimum_sample: list[_MinimumSampleSpec] = []


class _FrameworkSpec(_Strict):
    schema_version: Literal[1]
    ita_year: int = Field(ge=2500, le=2700)
    name_th: str
    notes: list[str] = []
    sources: dict[str, _SourceSpec]
    rules: _RulesSpec
    tools: list[_ToolSpec] = Field(min_length=3, max_length=3)
    indicators: list[_IndicatorSpec] = Field(min_length=10, max_length=10)
    sub_indicators: list[_SubIndicatorSpec] = []
    items: list[_ItemSpec] = []
    scoring: _ScoringSpec | None = None


# --------------------------------------------------------------------------------------------------
# Loading and cross-checks
# --------------------------------------------------------------------------------------------------


def _rule(spec: _RuleSpec) -> Rule:
    return Rule(confirmed=spec.confirmed, source=spec.source, note=spec.note)


def _cross_check(spec: _FrameworkSpec) -> list[str]:
    """Checks a schema cannot express: references between parts of the file."""
    problems: list[str] = []
    known_sources = set(spec.sources)
    used_sources: set[str] = set()

    def check_source(where: str, ref: str) -> None:
        for part in (p.strip() for p in ref.split(";")):
            match = SOURCE_REF_RE.match(part)
            if match:
                used_sources.add(match.group(1))
            if not match:
                problems.append(f"{where}: source '{part}' is not of the form KEY or KEY:LINES")
            elif match.group(1) not in known_sources:
                problems.append(f"{where}: source '{match.group(1)}' is not listed under sources")

    tools = [tool.code for tool in spec.tools]
    if sorted(tools) != sorted(TOOL_CODES):
        problems.append(f"tools must be IIT, EIT and OIT once each, found {tools}")
    numbers = [ind.number for ind in spec.indicators]
    if sorted(numbers) != list(range(1, 11)):
        problems.append(f"indicators must be numbered 1-10 once each, found {numbers}")
    indicator_tool = {ind.number: ind.tool for ind in spec.indicators}
    sub_codes = {}
    for sub in spec.sub_indicators:
        check_source(f"sub-indicator {sub.code}", sub.source)
        if sub.code in sub_codes:
            problems.append(f"sub-indicator {sub.code} is listed twice")
        sub_codes[sub.code] = sub.indicator
        if indicator_tool.get(sub.indicator) != "OIT":
            problems.append(f"sub-indicator {sub.code} must belong to an OIT indicator")
    seen_items: set[str] = set()
    for item in spec.items:
        where = f"item {item.code}"
        match = ITEM_CODE_RE.match(item.code)
        if not match:
            problems.append(f"{where}: code must be i/e/o followed by a number")
            continue
        if item.code in seen_items:
            problems.append(f"{where}: listed twice")
        seen_items.add(item.code)
        check_source(where, item.source)
        tool = ITEM_PREFIX_TOOL[match.group(1)]
        if item.indicator is not None and indicator_tool.get(item.indicator) != tool:
            problems.append(f"{where}: indicator {item.indicator} does not belong to {tool}")
        if item.indicator is None and item.indicator_confirmed:
            problems.append(f"{where}: an unknown indicator cannot be confirmed")
        if item.sub_indicator is not None:
            if item.sub_indicator not in sub_codes:
                problems.append(f"{where}: sub-indicator {item.sub_indicator} is not defined")
            elif item.indicator is not None and sub_codes[item.sub_indicator] != item.indicator:
                problems.append(f"{where}: sub-indicator {item.sub_indicator} is not under {item.indicator}")
    for tool_spec in spec.tools:
        check_source(f"tool {tool_spec.code}", tool_spec.source)
        for part in tool_spec.parts:
            check_source(f"tool part {part.code}", part.source)
    for ind in spec.indicators:
        check_source(f"indicator {ind.number}", ind.source)
    rules = spec.rules
    for name, rule in (
        ("pass_mark", rules.pass_mark),
        ("weights", rules.weights),
        ("tool_from_indicators", rules.aggregation.tool_from_indicators),
        ("overall_from_tools", rules.aggregation.overall_from_tools),
        *((f"indicator_from_items.{t}", r) for t, r in rules.aggregation.indicator_from_items.items()),
        *((f"level {lv.name}", lv) for lv in rules.levels.levels),
    ):
        check_source(f"rule {name}", rule.source)
    check_source("levels", rules.levels.source)
    if set(rules.aggregation.indicator_from_items) != set(TOOL_CODES):
        problems.append("aggregation.indicator_from_items must name IIT, EIT and OIT")
    if spec.scoring is not None:
        problems += _cross_check_scoring(spec, spec.scoring, check_source)
    for unused in sorted(known_sources - used_sources):
        problems.append(f"source '{unused}' is listed but nothing refers to it")
    return problems


def _cross_check_scoring(
    spec: _FrameworkSpec, scoring: _ScoringSpec, check_source: Callable[[str, str], None]
) -> list[str]:
    """Every survey item has one question on a known scale; codes and words are unambiguous."""
    problems: list[str] = []
    for name, rule in (
        ("item_from_answers", scoring.item_from_answers),
        ("item_from_sub_items", scoring.item_from_sub_items),
        ("reverse", scoring.reverse),
        ("oit", scoring.oit),
    ):
        check_source(f"scoring.{name}", rule.source)
    scales = {scale.name for scale in scoring.scales}
    for scale in scoring.scales:
        check_source(f"scale {scale.name}", scale.source)
        spellings = [w.casefold() for a in scale.answers for w in a.words] + [
            c.casefold() for a in scale.answers for c in a.codes
        ]
        if len(set(spellings)) != len(spellings):
            problems.append(f"scale {scale.name}: a word or code is listed twice")
    survey = {it.code for it in spec.items if it.code[0] in "ie"}
    seen: set[str] = set()
    parts = {p.code for t in spec.tools for p in t.parts} | {"IIT", "EIT"}
    for question in scoring.questions:
        where = f"scoring question {question.item}"
        check_source(where, question.source)
        if question.item not in survey:
            problems.append(f"{where}: not an IIT or EIT item of this year")
        if question.item in seen:
            problems.append(f"{where}: listed twice")
        seen.add(question.item)
        if question.scale not in scales:
            problems.append(f"{where}: scale {question.scale} is not defined")
        for sub in question.sub_items:
            if not sub.startswith(question.item + "."):
                problems.append(f"{where}: sub-item {sub} must be written {question.item}.N")
    if scoring.questions and seen != survey:
        problems.append(f"scoring questions missing for {sorted(survey - seen)}")
    for minimum in scoring.minimum_sample:
        check_source(f"minimum sample {minimum.tool}", minimum.source)
        if minimum.tool not in parts:
            problems.append(f"minimum sample: {minimum.tool} is not IIT, EIT or an EIT part of this year")
    return problems


def _scoring(spec: _ScoringSpec | None) -> Scoring | None:
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


def build_framework(spec: _FrameworkSpec) -> Framework:
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
    )


def parse_framework(text: str, origin: str) -> Framework:
    """Parse and validate one framework file; raise DataFileError listing every problem found."""
    try:
        raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: 10x faster
    except yaml.YAMLError as exc:
        raise DataFileError(origin, [f"not valid YAML: {exc}"]) from exc
    try:
        spec = _FrameworkSpec.model_validate(raw)
    except ValidationError as exc:
        raise DataFileError(
            origin, [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        ) from exc
    problems = _cross_check(spec)
    if problems:
        raise DataFileError(origin, problems)
    return build_framework(spec)


@cache
def load_frameworks() -> Mapping[int, Framework]:
    """Every bundled framework, keyed by ITA year (Buddhist era)."""
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


def framework_for(year: int) -> Framework | None:
    return load_frameworks().get(year)
