"""The framework file format: a strict schema and the cross-checks a schema cannot express.

One definition (a year's YAML file, or the spreadsheet a person edits) is checked here whatever it
was written in. Every problem is a :class:`SpecProblem`: the path of the value in the definition
(``("items", 3, "indicator")``) and a located, bilingual :class:`~prongsai.problems.Problem` whose
location the reader fills in (a YAML line, a sheet/row/column). See docs/frameworks.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from prongsai.problems import Location, Problem, error, with_location

TOOL_CODES = ("IIT", "EIT", "OIT")
ITEM_PREFIX_TOOL = {"i": "IIT", "e": "EIT", "o": "OIT"}
ITEM_CODE_RE = re.compile(r"^([ieo])([1-9][0-9]?)$")
SOURCE_REF_RE = re.compile(r"^([A-Za-z0-9_-]+)(?::[0-9, -]+)?$")
SAME_AS_RE = re.compile(r"^(\d{4}):([ieo][1-9][0-9]?)$")

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class SpecProblem:
    """A problem of one definition: where in it (``path``) and what (``problem``, not yet located)."""

    path: Path
    problem: Problem

    def located(self, location: Location) -> Problem:
        return with_location(self.problem, location)

    def english(self) -> str:
        return f"{dotted(self.path)}: {self.problem.message_en}" if self.path else self.problem.message_en


def dotted(path: Path) -> str:
    """'items[4].indicator': list positions counted from 1, as a person counts rows."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


# --------------------------------------------------------------------------------------------------
# The schema
# --------------------------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleSpec(_Strict):
    confirmed: bool
    source: str
    note: str = ""


class ValueRuleSpec(RuleSpec):
    value: float = Field(ge=0, le=100)


class WeightsRuleSpec(RuleSpec):
    value: dict[Literal["IIT", "EIT", "OIT"], float]


class AggregationSpec(RuleSpec):
    method: Literal["mean", "weighted_mean"]


class LevelSpec(RuleSpec):
    name: str = Field(min_length=1)
    name_en: str = ""
    min_overall: float = Field(ge=0, le=100)
    min_each_tool: float | None = Field(default=None, ge=0, le=100)


class LevelsSpec(_Strict):
    source: str
    levels: list[LevelSpec] = Field(min_length=1)


class AggregationsSpec(_Strict):
    indicator_from_items: dict[Literal["IIT", "EIT", "OIT"], AggregationSpec]
    tool_from_indicators: AggregationSpec
    overall_from_tools: AggregationSpec


class RulesSpec(_Strict):
    pass_mark: ValueRuleSpec
    weights: WeightsRuleSpec
    aggregation: AggregationsSpec
    levels: LevelsSpec


class SourceSpec(_Strict):
    kind: Literal["seed", "web", "arithmetic", "inference"]
    title: str = Field(min_length=1)
    ref: str = ""


class PartSpec(_Strict):
    code: str = Field(min_length=1)
    name_th: str
    name_en: str = ""
    source: str


class ToolSpec(_Strict):
    code: Literal["IIT", "EIT", "OIT"]
    name_th: str = Field(min_length=1)
    name_en: str
    source: str
    parts: list[PartSpec] = []


class IndicatorSpec(RuleSpec):
    number: int = Field(ge=1, le=10)
    name_th: str = Field(min_length=1)
    tool: Literal["IIT", "EIT", "OIT"]


class SubIndicatorSpec(RuleSpec):
    code: str = Field(min_length=1)
    indicator: int = Field(ge=1, le=10)
    name_th: str | None = None


class ItemSpec(_Strict):
    code: str
    text_th: str | None = None
    indicator: int | None = Field(default=None, ge=1, le=10)
    indicator_confirmed: bool = False
    sub_indicator: str | None = None
    same_as: str | None = None  # 'YEAR:code', the same question in another year (extends the crosswalk)
    source: str
    note: str = ""


class AnswerSpec(_Strict):
    value: float = Field(ge=0, le=100)
    words: list[str] = []
    codes: list[str] = []


class ScaleSpec(RuleSpec):
    name: str
    answers: list[AnswerSpec] = Field(min_length=2)


class QuestionSpec(RuleSpec):
    item: str
    scale: str
    reverse: bool = False
    sub_items: list[str] = []


class MinimumSampleSpec(RuleSpec):
    tool: str
    agency_type: str | None = None
    minimum: int = Field(ge=1)


class OitScoringSpec(RuleSpec):
    pass_value: float = Field(ge=0, le=100)
    fail_value: float = Field(ge=0, le=100)


class ScoringSpec(_Strict):
    item_from_answers: RuleSpec
    item_from_sub_items: RuleSpec
    reverse: RuleSpec
    oit: OitScoringSpec
    scales: list[ScaleSpec] = Field(min_length=1)
    questions: list[QuestionSpec] = []
    minimum_sample: list[MinimumSampleSpec] = []


class FrameworkSpec(_Strict):
    schema_version: Literal[1]
    ita_year: int = Field(ge=2500, le=2700)
    status: Literal["official", "provisional"] = "official"
    name_th: str = Field(min_length=1)
    notes: list[str] = []
    sources: dict[str, SourceSpec]
    rules: RulesSpec
    tools: list[ToolSpec] = Field(min_length=3, max_length=3)
    indicators: list[IndicatorSpec] = Field(min_length=10, max_length=10)
    sub_indicators: list[SubIndicatorSpec] = []
    items: list[ItemSpec] = []
    scoring: ScoringSpec | None = None


def definition_of(spec: FrameworkSpec) -> dict[str, Any]:
    """The definition as plain data, every field present: equal definitions are equal frameworks."""
    return spec.model_dump(mode="python")


# --------------------------------------------------------------------------------------------------
# Checking one definition
# --------------------------------------------------------------------------------------------------


def check_definition(raw: object) -> tuple[FrameworkSpec | None, list[SpecProblem]]:
    """The validated definition, or None and every problem found (schema first, then cross-checks)."""
    try:
        spec = FrameworkSpec.model_validate(raw)
    except ValidationError as exc:
        return None, [_schema_problem(detail) for detail in exc.errors()]
    problems = cross_check(spec)
    return (None if problems else spec), problems


_EXPECTED = {
    "int": ("จำนวนเต็ม", "a whole number"),
    "float": ("ตัวเลข", "a number"),
    "bool": ("true หรือ false", "true or false"),
    "string": ("ข้อความ", "text"),
    "dict": ("ชุดข้อมูลแบบมีชื่อกำกับ (mapping)", "a mapping"),
    "list": ("รายการ (list)", "a list"),
    "model": ("ชุดข้อมูลแบบมีชื่อกำกับ (mapping)", "a mapping"),
}


def _schema_problem(detail: ErrorDetails) -> SpecProblem:
    path: Path = tuple(detail["loc"])
    field = dotted(path) or "(ทั้งไฟล์)"
    kind = detail["type"]
    context = detail.get("ctx") or {}
    here = Location()
    if kind == "missing":
        problem = error("framework_field_missing", here, field=field)
    elif kind == "extra_forbidden":
        problem = error("framework_field_unknown", here, field=field)
    elif kind == "literal_error":
        problem = error("framework_field_choice", here, field=field, expected=context.get("expected", ""))
    elif kind in ("greater_than_equal", "less_than_equal"):
        low, high = _bounds(path)
        problem = error("framework_field_range", here, field=field, low=low, high=high)
    elif kind in ("too_short", "too_long"):
        problem = error("framework_field_count", here, field=field, detail=detail["msg"])
    elif (base := kind.split("_")[0]) in _EXPECTED and kind.endswith(("_type", "_parsing")):
        expected_th, expected_en = _EXPECTED[base]
        problem = error(
            "framework_field_type", here, field=field, expected_th=expected_th, expected_en=expected_en
        )
    else:
        problem = error("framework_field_value", here, field=field, detail=detail["msg"])
    return SpecProblem(path, problem)


def _bounds(path: Path) -> tuple[str, str]:
    last = next((p for p in reversed(path) if isinstance(p, str)), "")
    if last in ("number", "indicator"):
        return "1", "10"
    if last == "ita_year":
        return "2500", "2700"
    if last == "minimum":
        return "1", "-"
    return "0", "100"


def cross_check(spec: FrameworkSpec) -> list[SpecProblem]:
    """Checks a schema cannot express: sums, order, and references between parts of the file."""
    found: list[SpecProblem] = []
    used_sources: set[str] = set()
    here = Location()

    def add(path: Path, problem: Problem) -> None:
        found.append(SpecProblem(path, problem))

    def check_source(path: Path, ref: str) -> None:
        for part in (p.strip() for p in ref.split(";")):
            match = SOURCE_REF_RE.match(part)
            if not match:
                add(path, error("framework_source_form", here, ref=part))
                continue
            used_sources.add(match.group(1))
            if match.group(1) not in spec.sources:
                add(path, error("framework_source_unknown", here, key=match.group(1)))

    rules = spec.rules
    _check_weights(spec, add)
    _check_levels(spec, add)
    tools = [tool.code for tool in spec.tools]
    if sorted(tools) != sorted(TOOL_CODES):
        add(("tools",), error("framework_tools", here, found=", ".join(tools)))
    numbers = [ind.number for ind in spec.indicators]
    if sorted(numbers) != list(range(1, 11)):
        add(("indicators",), error("framework_indicators", here, found=", ".join(map(str, numbers))))
    indicator_tool = {ind.number: ind.tool for ind in spec.indicators}
    sub_codes: dict[str, int] = {}
    for index, sub in enumerate(spec.sub_indicators):
        path: Path = ("sub_indicators", index)
        check_source((*path, "source"), sub.source)
        if sub.code in sub_codes:
            add((*path, "code"), error("framework_listed_twice", here, code=sub.code))
        sub_codes[sub.code] = sub.indicator
        if indicator_tool.get(sub.indicator) != "OIT":
            add((*path, "indicator"), error("framework_sub_indicator_tool", here, code=sub.code))
    _check_items(spec, indicator_tool, sub_codes, add, check_source)
    for index, tool_spec in enumerate(spec.tools):
        check_source(("tools", index, "source"), tool_spec.source)
        for part_index, part in enumerate(tool_spec.parts):
            check_source(("tools", index, "parts", part_index, "source"), part.source)
    for index, ind in enumerate(spec.indicators):
        check_source(("indicators", index, "source"), ind.source)
    aggregation = rules.aggregation
    for path, rule in (
        (("rules", "pass_mark"), rules.pass_mark),
        (("rules", "weights"), rules.weights),
        (("rules", "aggregation", "tool_from_indicators"), aggregation.tool_from_indicators),
        (("rules", "aggregation", "overall_from_tools"), aggregation.overall_from_tools),
        *(
            (("rules", "aggregation", "indicator_from_items", t), r)
            for t, r in aggregation.indicator_from_items.items()
        ),
        *((("rules", "levels", "levels", i), lv) for i, lv in enumerate(rules.levels.levels)),
    ):
        check_source((*path, "source"), rule.source)
    check_source(("rules", "levels", "source"), rules.levels.source)
    if set(aggregation.indicator_from_items) != set(TOOL_CODES):
        add(("rules", "aggregation", "indicator_from_items"), error("framework_tools_named", here))
    if spec.scoring is not None:
        _check_scoring(spec, spec.scoring, add, check_source)
    for unused in sorted(set(spec.sources) - used_sources):
        add(("sources", unused), error("framework_source_unused", here, key=unused))
    return found


_Add = Any  # Callable[[Path, Problem], None]; kept loose so the helpers below read simply


def _check_weights(spec: FrameworkSpec, add: _Add) -> None:
    weights = spec.rules.weights.value
    path = ("rules", "weights", "value")
    if set(weights) != set(TOOL_CODES):
        add(path, error("framework_tools_named", Location()))
    elif abs(sum(weights.values()) - 1.0) > 1e-9:
        add(path, error("framework_weights_sum", Location(), total=f"{sum(weights.values()):g}"))


def _check_levels(spec: FrameworkSpec, add: _Add) -> None:
    levels = spec.rules.levels.levels
    seen: set[str] = set()
    for index, level in enumerate(levels):
        if level.name in seen:
            add(
                ("rules", "levels", "levels", index, "name"),
                error("framework_listed_twice", Location(), code=level.name),
            )
        seen.add(level.name)
    for index in range(1, len(levels)):
        better, worse = levels[index - 1], levels[index]
        if worse.min_overall > better.min_overall:
            add(
                ("rules", "levels", "levels", index, "min_overall"),
                error("framework_levels_order", Location(), better=better.name, worse=worse.name),
            )
    last = levels[-1]
    if last.min_overall != 0 or last.min_each_tool is not None:
        add(
            ("rules", "levels", "levels", len(levels) - 1),
            error("framework_levels_last", Location(), name=last.name),
        )


def _check_items(
    spec: FrameworkSpec,
    indicator_tool: Mapping[int, str],
    sub_codes: Mapping[str, int],
    add: _Add,
    check_source: Any,
) -> None:
    here = Location()
    seen: set[str] = set()
    for index, item in enumerate(spec.items):
        path: Path = ("items", index)
        match = ITEM_CODE_RE.match(item.code)
        if not match:
            add((*path, "code"), error("framework_item_code", here, code=item.code))
            continue
        if item.code in seen:
            add((*path, "code"), error("framework_listed_twice", here, code=item.code))
        seen.add(item.code)
        check_source((*path, "source"), item.source)
        tool = ITEM_PREFIX_TOOL[match.group(1)]
        if item.indicator is not None and indicator_tool.get(item.indicator) != tool:
            add(
                (*path, "indicator"),
                error(
                    "framework_item_indicator_tool", here, code=item.code, indicator=item.indicator, tool=tool
                ),
            )
        if item.indicator is None and item.indicator_confirmed:
            add(
                (*path, "indicator_confirmed"),
                error("framework_item_unplaced_confirmed", here, code=item.code),
            )
        if item.sub_indicator is not None:
            if item.sub_indicator not in sub_codes:
                add(
                    (*path, "sub_indicator"),
                    error("framework_sub_indicator_unknown", here, code=item.code, sub=item.sub_indicator),
                )
            elif item.indicator is not None and sub_codes[item.sub_indicator] != item.indicator:
                add(
                    (*path, "sub_indicator"),
                    error(
                        "framework_sub_indicator_mismatch",
                        here,
                        code=item.code,
                        sub=item.sub_indicator,
                        indicator=item.indicator,
                    ),
                )
        if item.same_as is not None:
            same = SAME_AS_RE.match(item.same_as)
            if not same:
                add((*path, "same_as"), error("framework_same_as_form", here, value=item.same_as))
            elif int(same.group(1)) == spec.ita_year:
                add((*path, "same_as"), error("framework_same_as_year", here, value=item.same_as))
            elif ITEM_PREFIX_TOOL[same.group(2)[0]] != tool:
                add((*path, "same_as"), error("framework_same_as_tool", here, value=item.same_as, tool=tool))


def _check_scoring(spec: FrameworkSpec, scoring: ScoringSpec, add: _Add, check_source: Any) -> None:
    """Every survey item has one question on a known scale; codes and words are unambiguous."""
    here = Location()
    base: Path = ("scoring",)
    for name, rule in (
        ("item_from_answers", scoring.item_from_answers),
        ("item_from_sub_items", scoring.item_from_sub_items),
        ("reverse", scoring.reverse),
        ("oit", scoring.oit),
    ):
        check_source((*base, name, "source"), rule.source)
    scales = {scale.name for scale in scoring.scales}
    for index, scale in enumerate(scoring.scales):
        check_source((*base, "scales", index, "source"), scale.source)
        spellings = [w.casefold() for a in scale.answers for w in a.words] + [
            c.casefold() for a in scale.answers for c in a.codes
        ]
        if len(set(spellings)) != len(spellings):
            add((*base, "scales", index), error("framework_scale_duplicate", here, scale=scale.name))
    survey = {it.code for it in spec.items if it.code[:1] in ("i", "e")}
    seen: set[str] = set()
    parts = {p.code for t in spec.tools for p in t.parts} | {"IIT", "EIT"}
    for index, question in enumerate(scoring.questions):
        path: Path = (*base, "questions", index)
        check_source((*path, "source"), question.source)
        if question.item not in survey:
            add((*path, "item"), error("framework_question_item", here, item=question.item))
        if question.item in seen:
            add((*path, "item"), error("framework_listed_twice", here, code=question.item))
        seen.add(question.item)
        if question.scale not in scales:
            add(
                (*path, "scale"),
                error("framework_scale_unknown", here, item=question.item, scale=question.scale),
            )
        for sub in question.sub_items:
            if not sub.startswith(question.item + "."):
                add((*path, "sub_items"), error("framework_sub_item_form", here, item=question.item, sub=sub))
    if scoring.questions and seen != survey:
        add(
            (*base, "questions"),
            error("framework_questions_missing", here, items=", ".join(sorted(survey - seen))),
        )
    for index, minimum in enumerate(scoring.minimum_sample):
        check_source((*base, "minimum_sample", index, "source"), minimum.source)
        if minimum.tool not in parts:
            add(
                (*base, "minimum_sample", index, "tool"),
                error("framework_minimum_tool", here, tool=minimum.tool),
            )


def english(problems: Iterable[SpecProblem]) -> list[str]:
    return [p.english() for p in problems]


def same_as_unknown(
    items: Sequence[tuple[str, str | None]], has_item: Callable[[int, str], bool]
) -> list[tuple[int, Problem]]:
    """For each item (code, same_as) whose ``same_as`` names an item ``has_item`` does not know: its
    position and the problem (not yet located)."""
    found: list[tuple[int, Problem]] = []
    for index, (code, same_as) in enumerate(items):
        match = SAME_AS_RE.match(same_as or "")
        if match and not has_item(int(match.group(1)), match.group(2)):
            problem = error(
                "frameworks_same_as_unknown", Location(), code=code, year=match.group(1), other=match.group(2)
            )
            found.append((index, problem))
    return found
