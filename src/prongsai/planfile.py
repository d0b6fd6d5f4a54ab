"""The plan file: YAML that people edit. Read with every problem located (its shape here, its meaning
in plancheck.py); written atomically.

See docs/plan-format.md for the format and a full example.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, ValidationError

from prongsai.agency import Agency
from prongsai.errors import InputError
from prongsai.onedocument import one_mapping
from prongsai.plancheck import plan_problems
from prongsai.planning import (
    EDITABLE,
    SUGGESTIONS,
    Budget,
    Measure,
    Past,
    PastItem,
    PastMeasure,
    Plan,
)
from prongsai.problems import Location, Problem, error, suggestion_params
from prongsai.progress import STATUSES
from prongsai.thai import to_arabic_digits
from prongsai.yamlspec import KeyPath, SchemaWords, dotted, line_of, schema_problem

HEADER = """\
# มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน: แผนที่แก้ไขได้ (prongsai plan file)
# แก้ไขข้อความ ผู้รับผิดชอบ ระยะเวลา หรือลบ/เพิ่มมาตรการได้ตามต้องการ เมื่อจัดทำร่างใหม่ด้วย
# prongsai plan --update ไฟล์นี้ โปรแกรมจะคงทุกส่วนที่แก้ไขไว้ ส่วน 'drafted' ใช้ตรวจว่าส่วนใดถูกแก้ไข อย่าลบ
# Edit freely; re-drafting with --update keeps every edit. Keep the 'drafted' blocks: they record
# what the machine drafted, so that edits can be told apart. Format: docs/plan-format.md.
"""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _whole_number(value: object) -> object:
    """A whole number as people type it, also in Thai digits ('๒๕๖๙'); anything else goes on to the
    strict check, which refuses True, 2569.5 and '2,569' rather than reading them as some number."""
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9๐-๙]+\s*", value):
        return int(to_arabic_digits(value.strip()))
    return value


def _baht(value: object) -> object:
    """An amount of baht as people type it: 20000, '20,000' or '๒๐,๐๐๐'; anything else (20000.5,
    true) goes on to the strict check."""
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9๐-๙][0-9๐-๙,]*\s*", value):
        return int(to_arabic_digits(value.strip()).replace(",", ""))
    return value


Whole = Annotated[int, BeforeValidator(_whole_number), Strict()]
Baht = Annotated[int, BeforeValidator(_baht), Strict()]
Score = Annotated[float, Strict()]
PriorityName = Literal["weak", "improve", "maintain"]
StatusName = Literal["not_started", "in_progress", "done", "postponed", "cancelled"]
SuggestionName = Literal["continue", "strengthen", "keep", "review"]
GroupingName = Literal["issues", "indicators"]
StyleName = Literal["months", "quarters"]
_CHOICES: dict[str, tuple[object, ...]] = {
    "schema_version": (1,),
    "priority": get_args(PriorityName),
    "grouping": get_args(GroupingName),
    "timeframe_style": get_args(StyleName),
    "status": get_args(StatusName),
    "suggestion": get_args(SuggestionName),
}
assert get_args(StatusName) == STATUSES and get_args(SuggestionName) == SUGGESTIONS


class _AgencySpec(_Strict):
    name: str
    type: str | None = None
    district: str | None = None
    province: str | None = None


class _BudgetSpec(_Strict):
    amount: Baht | None = None
    source: str = ""
    none: Annotated[bool, Strict()] = False


class _MeasureSpec(_Strict):
    id: str | None = None
    template: str | None = None
    issue: Whole | None = None
    indicator: Whole | None = None
    answers: list[str] = []
    priority: PriorityName = "improve"
    kind: str = "มาตรการ"
    title: str = Field(min_length=1)
    steps: list[str] = []
    owner: str = ""
    co_owners: list[str] = []
    quarters: tuple[Whole, Whole] = (1, 4)
    timeframe: str = ""
    follow_up: str = ""
    output: str = ""
    target: str = ""
    budget: _BudgetSpec = _BudgetSpec()
    legal_basis: list[str] = []
    drafted: dict[str, str] = {}


class _PastItemSpec(_Strict):
    code_then: str = Field(min_length=1)
    code: str | None = None
    before: Score | None = None
    after: Score | None = None


class _PastMeasureSpec(_Strict):
    id: str = Field(min_length=1)
    title: str = ""
    status: StatusName
    percent: Whole
    items: list[_PastItemSpec] = []
    suggestion: SuggestionName


class _PastSpec(_Strict):
    plan_year: Whole
    ita_year: Whole
    measures: list[_PastMeasureSpec] = []


class _PlanSpec(_Strict):
    schema_version: Literal[1]
    agency: _AgencySpec
    ita_year: Whole
    plan_year: Whole
    grouping: GroupingName = "issues"
    timeframe_style: StyleName = "months"
    measures: list[_MeasureSpec] = []
    limitations: list[str] = []
    suggestions: list[str] = []
    drafted_ids: list[str] = []
    removed: list[str] = []
    drafted_texts: dict[str, str] = {}
    past: _PastSpec | None = None


def _fields_at(path: tuple[str | int, ...]) -> list[str]:
    """The keys allowed where ``path`` points (for close-match suggestions of an unknown key)."""
    if not path:
        return list(_PlanSpec.model_fields)
    if path == ("agency",):
        return list(_AgencySpec.model_fields)
    if len(path) == 2 and path[0] == "measures":
        return list(_MeasureSpec.model_fields)
    if len(path) == 3 and path[0] == "measures" and path[2] == "budget":
        return list(_BudgetSpec.model_fields)
    if path == ("past",):
        return list(_PastSpec.model_fields)
    if len(path) == 3 and path[:2] == ("past", "measures"):
        return list(_PastMeasureSpec.model_fields)
    if len(path) == 5 and path[:2] == ("past", "measures") and path[3] == "items":
        return list(_PastItemSpec.model_fields)
    return []


_WORDS = SchemaWords(
    not_allowed="plan_value_not_allowed", invalid="plan_invalid", fields_at=_fields_at, choices=_CHOICES
)


def _fingerprint_keys(spec: _PlanSpec, where: Callable[[tuple[str | int, ...]], Location]) -> list[Problem]:
    """The 'drafted' blocks name the fields whose drafted values they record, and nothing else."""
    found: list[Problem] = []
    allowed: list[tuple[tuple[str | int, ...], dict[str, str], tuple[str, ...]]] = [
        (("drafted_texts",), spec.drafted_texts, ("limitations", "suggestions"))
    ]
    allowed += [(("measures", i, "drafted"), m.drafted, EDITABLE) for i, m in enumerate(spec.measures)]
    for path, block, names in allowed:
        for key in block:
            if key not in names:
                here = where((*path, key))
                found.append(error("unknown_field", here, field=here.field, **suggestion_params(key, names)))
    return found


def read_plan(path: Path) -> Plan:
    """A plan file, validated; raises InputError listing every problem with its line."""
    tree, _, location = one_mapping(
        path, empty=error("plan_empty", Location(file=path.name)), what="file_plan", field="plan"
    )
    try:
        spec = _PlanSpec.model_validate(tree.plain())
    except ValidationError as exc:
        raise InputError([schema_problem(e, tree, location, _WORDS) for e in exc.errors()]) from exc

    def where(at: tuple[str | int, ...]) -> Location:
        return location.with_(line=line_of(tree, at), field=dotted(at))

    found = _fingerprint_keys(spec, where)
    measures = []
    seen: set[str] = set()
    for index, m in enumerate(spec.measures):
        measure_id = m.id or f"own-{index + 1}"
        if measure_id in seen:
            line = line_of(tree, ("measures", index, "id"))
            found.append(error("plan_duplicate_measure", location.with_(line=line), id=measure_id))
        seen.add(measure_id)
        measures.append(
            Measure(
                id=measure_id,
                template=m.template,
                issue=m.issue,
                indicator=m.indicator,
                answers=tuple(m.answers),
                priority=m.priority,
                kind=m.kind,
                title=m.title,
                steps=tuple(m.steps),
                owner=m.owner,
                co_owners=tuple(m.co_owners),
                quarters=m.quarters,
                timeframe=m.timeframe,
                follow_up=m.follow_up,
                output=m.output,
                target=m.target,
                budget=Budget(m.budget.amount, m.budget.source, m.budget.none),
                legal_basis=tuple(m.legal_basis),
                drafted=dict(m.drafted),
            )
        )
    agency = spec.agency
    plan = Plan(
        agency=Agency(agency.name, agency.type, agency.district, agency.province),
        ita_year=spec.ita_year,
        plan_year=spec.plan_year,
        grouping=spec.grouping,
        timeframe_style=spec.timeframe_style,
        measures=tuple(measures),
        limitations=tuple(spec.limitations),
        suggestions=tuple(spec.suggestions),
        drafted_ids=tuple(spec.drafted_ids),
        removed=tuple(spec.removed),
        drafted_texts=dict(spec.drafted_texts),
        past=_past(spec.past, spec.ita_year, where, found) if spec.past is not None else None,
    )
    found += plan_problems(plan, where)
    if found:
        raise InputError(sorted(found, key=lambda p: p.location.line or 0))
    return plan


def _past(spec: _PastSpec, ita_year: int, where: Callable[[KeyPath], Location], found: list[Problem]) -> Past:
    """The record of last year's measures; its problems (an ITA year not before the plan's, a
    percent or a score outside 0-100, a measure twice) are added to ``found``."""
    if spec.ita_year >= ita_year:
        found.append(
            error("past_not_earlier", where(("past", "ita_year")), value=spec.ita_year, ita_year=ita_year)
        )
    seen: set[str] = set()
    measures = []
    for index, m in enumerate(spec.measures):
        at: KeyPath = ("past", "measures", index)
        if m.id in seen:
            found.append(error("plan_duplicate_measure", where((*at, "id")), id=m.id))
        seen.add(m.id)
        values: list[tuple[KeyPath, float | None]] = [((*at, "percent"), m.percent)]
        for n, item in enumerate(m.items):
            values += [((*at, "items", n, name), getattr(item, name)) for name in ("before", "after")]
        for path, value in values:
            if value is not None and not 0 <= value <= 100:
                here = where(path)
                found.append(error("past_out_of_range", here, field=here.field, value=f"{value:g}"))
        items = tuple(PastItem(i.code_then, i.code, i.before, i.after) for i in m.items)
        measures.append(PastMeasure(m.id, m.title, m.status, m.percent, items, m.suggestion))
    return Past(spec.plan_year, spec.ita_year, tuple(measures))


def plan_to_data(plan: Plan) -> dict[str, Any]:
    def measure(m: Measure) -> dict[str, Any]:
        data: dict[str, Any] = {"id": m.id}
        if m.template:
            data["template"] = m.template
        data.update(issue=m.issue, indicator=m.indicator, answers=list(m.answers), priority=m.priority)
        for name in EDITABLE:
            value = getattr(m, name)
            data[name] = list(value) if isinstance(value, tuple) else value
        data["budget"] = _budget_data(m.budget)
        if m.drafted:
            data["drafted"] = dict(m.drafted)
        return data

    data = {
        "schema_version": 1,
        "agency": plan.agency.to_json(),
        "ita_year": plan.ita_year,
        "plan_year": plan.plan_year,
        "grouping": plan.grouping,
        "timeframe_style": plan.timeframe_style,
        "measures": [measure(m) for m in plan.measures],
        "limitations": list(plan.limitations),
        "suggestions": list(plan.suggestions),
        "drafted_ids": list(plan.drafted_ids),
        "removed": list(plan.removed),
        "drafted_texts": dict(plan.drafted_texts),
    }
    if plan.past is not None:
        data["past"] = _past_data(plan.past)
    return data


class _Row(dict[str, Any]):
    """A mapping written on one line ({code_then: e6, code: e4, before: 73.5, after: 80.15})."""


def _past_data(past: Past) -> dict[str, Any]:
    def score(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    return {
        "plan_year": past.plan_year,
        "ita_year": past.ita_year,
        "measures": [
            {
                "id": m.id,
                "title": m.title,
                "status": m.status,
                "percent": m.percent,
                "items": [
                    _Row(code_then=i.code_then, code=i.code, before=score(i.before), after=score(i.after))
                    for i in m.items
                ],
                "suggestion": m.suggestion,
            }
            for m in past.measures
        ],
    }


def _budget_data(budget: Budget) -> dict[str, Any]:
    """Only what is stated: {} (not stated), {none: true}, or the amount and source given."""
    if budget.none:
        return {"none": True}
    data: dict[str, Any] = {}
    if budget.amount is not None:
        data["amount"] = budget.amount
    if budget.source:
        data["source"] = budget.source
    return data


class _Dumper(yaml.SafeDumper):
    pass


def _short_lists_inline(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    inline = len(data) <= 6 and all(
        isinstance(v, int | float) or (isinstance(v, str) and len(v) <= 12) for v in data
    )
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=inline)


_Dumper.add_representer(list, _short_lists_inline)
_Dumper.add_representer(
    _Row, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)
)


def plan_to_yaml(plan: Plan) -> str:
    return HEADER + yaml.dump(
        plan_to_data(plan), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100
    )
