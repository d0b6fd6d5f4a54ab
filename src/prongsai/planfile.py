"""The plan file: YAML that people edit. Read with every problem located; written atomically.

See docs/plan-format.md for the format and a full example.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from prongsai.agency import Agency
from prongsai.errors import InputError
from prongsai.ingest.located import Located, read_yaml_file
from prongsai.planning import EDITABLE, Measure, Plan
from prongsai.problems import Location, Problem, error

HEADER = """\
# มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน: แผนที่แก้ไขได้ (prongsai plan file)
# แก้ไขข้อความ ผู้รับผิดชอบ ระยะเวลา หรือลบ/เพิ่มมาตรการได้ตามต้องการ เมื่อจัดทำร่างใหม่ด้วย
# prongsai plan --update ไฟล์นี้ โปรแกรมจะคงทุกส่วนที่แก้ไขไว้ ส่วน 'drafted' ใช้ตรวจว่าส่วนใดถูกแก้ไข อย่าลบ
# Edit freely; re-drafting with --update keeps every edit. Keep the 'drafted' blocks: they record
# what the machine drafted, so that edits can be told apart. Format: docs/plan-format.md.
"""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _AgencySpec(_Strict):
    name: str = Field(min_length=1)
    type: str | None = None
    district: str | None = None
    province: str | None = None


class _MeasureSpec(_Strict):
    id: str | None = None
    template: str | None = None
    issue: int | None = Field(default=None, ge=1, le=10)
    indicator: int | None = Field(default=None, ge=1, le=10)
    answers: list[str] = []
    priority: Literal["weak", "improve", "maintain"] = "improve"
    kind: str = "มาตรการ"
    title: str = Field(min_length=1)
    steps: list[str] = []
    owner: str = ""
    co_owners: list[str] = []
    quarters: tuple[int, int] = (1, 4)
    timeframe: str = ""
    follow_up: str = ""
    output: str = ""
    drafted: dict[str, str] = {}


class _PlanSpec(_Strict):
    schema_version: Literal[1]
    agency: _AgencySpec
    ita_year: int
    plan_year: int
    grouping: Literal["issues", "indicators"] = "issues"
    timeframe_style: Literal["months", "quarters"] = "months"
    measures: list[_MeasureSpec] = []
    limitations: list[str] = []
    suggestions: list[str] = []
    drafted_ids: list[str] = []
    removed: list[str] = []
    drafted_texts: dict[str, str] = {}


def _line_of(tree: Located, path: tuple[str | int, ...]) -> int:
    node = tree
    line = tree.line
    for part in path:
        value = node.value
        if isinstance(value, dict) and str(part) in value:
            node = value[str(part)]
            line = node.key_line or node.line
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            node = value[part]
            line = node.line
        else:
            break
    return line


def read_plan(path: Path) -> Plan:
    """A plan file, validated; raises InputError listing every problem with its line."""
    location = Location(file=path.name)
    documents = read_yaml_file(path)
    if len(documents) != 1:
        raise InputError([error("plan_invalid", location, detail="one YAML document expected")])
    tree = documents[0]
    try:
        spec = _PlanSpec.model_validate(tree.plain())
    except ValidationError as exc:
        found: list[Problem] = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e["loc"])
            found.append(
                error(
                    "plan_invalid",
                    location.with_(line=_line_of(tree, tuple(e["loc"])), field=where),
                    detail=e["msg"],
                )
            )
        raise InputError(found) from exc
    measures = []
    seen: set[str] = set()
    duplicate: list[Problem] = []
    for index, m in enumerate(spec.measures):
        measure_id = m.id or f"own-{index + 1}"
        if measure_id in seen:
            line = _line_of(tree, ("measures", index, "id"))
            duplicate.append(error("plan_duplicate_measure", location.with_(line=line), id=measure_id))
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
                drafted=dict(m.drafted),
            )
        )
    if duplicate:
        raise InputError(duplicate)
    agency = spec.agency
    return Plan(
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
    )


def plan_to_data(plan: Plan) -> dict[str, Any]:
    def measure(m: Measure) -> dict[str, Any]:
        data: dict[str, Any] = {"id": m.id}
        if m.template:
            data["template"] = m.template
        data.update(issue=m.issue, indicator=m.indicator, answers=list(m.answers), priority=m.priority)
        for name in EDITABLE:
            value = getattr(m, name)
            data[name] = list(value) if isinstance(value, tuple) else value
        if m.drafted:
            data["drafted"] = dict(m.drafted)
        return data

    return {
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


class _Dumper(yaml.SafeDumper):
    pass


def _short_lists_inline(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    inline = len(data) <= 6 and all(
        isinstance(v, int | float) or (isinstance(v, str) and len(v) <= 12) for v in data
    )
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=inline)


_Dumper.add_representer(list, _short_lists_inline)


def plan_to_yaml(plan: Plan) -> str:
    return HEADER + yaml.dump(
        plan_to_data(plan), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100
    )
