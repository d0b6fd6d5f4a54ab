"""The analysis page's what-if: new scores typed for some items or indicators (a GET form, so the
page works without JavaScript and a projection can be bookmarked), projected by the core
(``prongsai.whatif.project``) into new indicator, tool and overall scores and a level."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from prongsai.framework import Framework
from prongsai.ingest.record import parse_score
from prongsai.problems import Location
from prongsai.results import Results
from prongsai.whatif import Projection, project
from prongsai_web.messages import from_problem

PREFIX = "set_"  # set_i1=90, set_ind4=88


@dataclass(frozen=True)
class Line:
    key: str  # "ind4", "IIT", "overall"
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class WhatIf:
    items: dict[str, float] = field(default_factory=dict)
    indicators: dict[int, float] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    level_before: str = ""
    level_after: str = ""
    estimated: bool = False

    @property
    def asked(self) -> bool:
        return bool(self.items or self.indicators or self.problems)


def form_keys(framework: Framework) -> list[str]:
    """The keys the form offers: every indicator, then every item placed in an indicator."""
    return [f"ind{i.number}" for i in framework.indicators] + [
        item.code for item in framework.items if item.indicator is not None
    ]


def parse_sets(
    framework: Framework, query: Mapping[str, str]
) -> tuple[dict[str, float], dict[int, float], list[dict[str, Any]]]:
    """The scores typed in the form (blank fields are not asked about), each 0-100 as every score
    is read; a bad one is a problem naming its field, in Thai and English."""
    items: dict[str, float] = {}
    indicators: dict[int, float] = {}
    problems: list[dict[str, Any]] = []
    for key in form_keys(framework):
        written = query.get(PREFIX + key, "").strip()
        if not written:
            continue
        value, found = parse_score(written, Location(field=key))
        problems += [from_problem(p) for p in found]
        if value is None:
            continue
        if key.startswith("ind"):
            indicators[int(key[3:])] = value
        else:
            items[key] = value
    return items, indicators, problems


def _lines(framework: Framework, results: Results, projection: Projection) -> list[Line]:
    lines = [
        Line(f"ind{i.number}", results.indicators[i.number].value, projection.indicators[i.number])
        for i in framework.indicators
    ]
    lines += [Line(code, score.value, projection.tools[code]) for code, score in results.tools.items()]
    lines.append(Line("overall", results.overall.value, projection.overall))
    return lines


def what_if(framework: Framework, results: Results, query: Mapping[str, str]) -> WhatIf:
    """The projection of what the form asks (nothing projected while any typed score is wrong)."""
    items, indicators, problems = parse_sets(framework, query)
    if problems or not (items or indicators):
        return WhatIf(items, indicators, problems)
    projection = project(framework, results, items, indicators)
    level = projection.level
    return WhatIf(
        items,
        indicators,
        [],
        _lines(framework, results, projection),
        results.level.value or "",
        level.name if level else "",
        projection.estimated or bool(level and level.estimated),
    )
