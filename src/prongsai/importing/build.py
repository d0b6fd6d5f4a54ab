"""From a read document to a ResultsInput, a Plan and the list of what was uncertain."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from prongsai.agency import Agency
from prongsai.catalog import issue_grouping
from prongsai.errors import InputError
from prongsai.framework import Framework, load_frameworks
from prongsai.importing.families import detect_family
from prongsai.importing.header import read_heading
from prongsai.importing.model import Para, ReadMeasure, Row, Source, Uncertain
from prongsai.importing.normalise import squash
from prongsai.importing.observe import Seen
from prongsai.importing.scores import indicator_by_name
from prongsai.importing.settle import (
    Notes,
    settle_indicators,
    settle_items,
    settle_overall,
    settle_tools,
    settle_years,
)
from prongsai.importing.vocabulary import vocabulary
from prongsai.importing.walk import walk
from prongsai.plancheck import issue_numbers
from prongsai.planning import Measure, Plan
from prongsai.problems import Location, error, messages
from prongsai.results import Given, GivenLevel, GivenScores, ResultsInput
from prongsai.thai import to_arabic_digits
from prongsai.timeframe import TimeframeStyle, timeframe_quarters


@dataclass(frozen=True)
class Printed:
    """The scores as printed (Arabic digits), for the results file."""

    overall: str | None
    level: str | None
    tools: dict[str, str]
    indicators: dict[int, str]
    items: dict[str, str]


@dataclass(frozen=True)
class Imported:
    source: Source
    family: str | None
    framework: Framework
    results: ResultsInput
    printed: Printed
    plan: Plan
    measures: tuple[ReadMeasure, ...]
    uncertain: tuple[Uncertain, ...]


def _given(seen: Seen, name: str) -> Given:
    return Given(float(seen.value), Location(file=name, line=seen.line))


def _resolve_sections(sections: list[tuple[str, int, str, int]], notes: Notes) -> dict[tuple[int, int], int]:
    """Section headings whose printed number disagrees with their name: (printed, line) -> number."""
    issues = {squash(i.name_th): i.number for i in issue_grouping().issues}
    fixed: dict[tuple[int, int], int] = {}
    for _kind, number, name, line in sections:
        by_name = indicator_by_name(name) or issues.get(squash(name))
        if by_name is not None and by_name != number:
            fixed[(number, line)] = by_name
            notes.warning(
                "import_issue_renumbered", line, f"{number} {name}", name=name, printed=number, number=by_name
            )
    return fixed


def build(source: Source) -> Imported:
    notes = Notes(source.name)
    notes.found.extend(source.notes)
    walked = walk(source)
    found = walked.found
    paragraphs = [b for b in source.blocks if isinstance(b, Para)]
    cells = [c.text for b in source.blocks if isinstance(b, Row) for c in b.cells]
    heading = read_heading(paragraphs, cells)
    where = Location(file=source.name)
    if heading.name is None:
        raise InputError([error("import_no_agency", where)])
    if not found.headers and not found.items and not found.indicators:
        raise InputError([error("import_nothing_read", where)])
    frameworks = load_frameworks()
    ita_year, plan_year = settle_years(heading, found, frameworks, notes)
    if ita_year is None or plan_year is None:
        raise InputError([error("import_no_year", where)])
    framework = frameworks[ita_year]
    family = detect_family(found, walked.sections)
    if family is None:
        notes.warning("import_family_unknown", None, "")
    if heading.name_variants:
        notes.warning(
            "import_agency_variants",
            None,
            ", ".join(heading.name_variants),
            variants=", ".join(heading.name_variants),
            name=heading.name,
        )
    district = heading.district
    words = vocabulary().header
    if district and district.endswith(words.abbreviation) and heading.province:
        expanded = district.rstrip(words.abbreviation) + heading.province
        notes.warning(
            "import_district_abbreviated",
            None,
            f"{words.district}{district}",
            printed=district,
            district=expanded,
        )
        district = expanded
    items = settle_items(found, framework, notes)
    indicators = settle_indicators(found, notes)
    tools, parts = settle_tools(found, framework, notes)
    overall, level = settle_overall(found, framework, notes)
    agency = Agency(heading.name, heading.type, district, heading.province)
    name = source.name
    scores = GivenScores(
        overall=_given(overall, name) if overall else None,
        level=GivenLevel(level.value, Location(file=name, line=level.line)) if level else None,
        tools={c: _given(s, name) for c, s in tools.items()},
        parts={c: _given(s, name) for c, s in parts.items()},
        indicators={n: _given(s, name) for n, s in sorted(indicators.items()) if 1 <= n <= 10},
        items={c: _given(s, name) for c, s in items.items()},
    )
    results = ResultsInput(agency, ita_year, scores, where)
    printed = Printed(
        overall.value if overall else None,
        level.value if level else None,
        {c: s.value for c, s in {**tools, **parts}.items()},
        {n: s.value for n, s in sorted(indicators.items()) if 1 <= n <= 10},
        {c: s.value for c, s in items.items()},
    )
    renumbered = _resolve_sections(walked.sections, notes)
    measures = tuple(_placed(m, walked.sections, renumbered) for m in walked.measures)
    for measure in measures:
        labels = messages().labels
        missing = (
            [(labels["import_timeframe"]["th"], labels["import_timeframe"]["en"])]
            if not measure.timeframe
            else []
        )
        missing += [(labels["import_owner"]["th"], labels["import_owner"]["en"])] if not measure.owner else []
        if missing:
            notes.warning(
                "import_measure_incomplete",
                measure.line,
                measure.title[:80],
                title=measure.title[:40],
                missing_th=" ".join(m[0] for m in missing),
                missing_en=" or ".join(m[1] for m in missing),
            )
    by_indicator = sum(m.by_indicator for m in measures) * 2 > len(measures)
    plan = _plan(agency, ita_year, plan_year, measures, by_indicator)
    return Imported(source, family, framework, results, printed, plan, measures, tuple(notes.found))


def _placed(
    measure: ReadMeasure, sections: list[tuple[str, int, str, int]], renumbered: dict[tuple[int, int], int]
) -> ReadMeasure:
    """A measure under a renumbered section heading takes the number its heading's name gives."""
    if measure.issue is None:
        return measure
    heading = [s for s in sections if s[3] < measure.line]
    if heading and heading[-1][1] == measure.issue:
        number = renumbered.get((heading[-1][1], heading[-1][3]))
        if number is not None:
            return dataclasses.replace(measure, issue=number)
    return measure


_TIME = vocabulary().timeframe
_QUARTERS = re.compile(
    rf"{re.escape(_TIME.quarter)}(?:{re.escape(_TIME.quarter_suffix)})?\s*([1-4])(?:\s*[-–]\s*([1-4]))?"
)
_MONTHS = _TIME.months


def quarters_of(timeframe: str) -> tuple[int, int]:
    """'ไตรมาส ๑-๔' -> (1, 4); 'ตุลาคม 2567 – มีนาคม 2568' -> (1, 2); otherwise the whole year. Used
    where timeframe.timeframe_quarters (the plan file's own strict reading) finds no timeframe: a
    published document's timeframe often has words around it."""
    text = to_arabic_digits(timeframe)
    match = _QUARTERS.search(text)
    if match:
        first = int(match.group(1))
        return first, int(match.group(2) or first)
    found = [(text.find(m), i) for i, m in enumerate(_MONTHS) if m in text]
    if found:
        months = [i for _, i in sorted(found)]
        return months[0] // 3 + 1, months[-1] // 3 + 1
    return 1, 4


def _plan(
    agency: Agency, ita_year: int, plan_year: int, measures: tuple[ReadMeasure, ...], by_indicator: bool
) -> Plan:
    planned = []
    issues = issue_numbers(ita_year)
    for index, m in enumerate(measures, start=1):
        number = m.issue if m.issue is not None and 1 <= m.issue <= 10 else None
        if not m.by_indicator and number not in issues:
            number = None  # a heading numbered past the year's issues ("ประเด็นที่ ๘") names no issue
        first, last = timeframe_quarters(m.timeframe) or quarters_of(m.timeframe)
        planned.append(
            Measure(
                id=f"imported-{index}",
                template=None,
                issue=None if m.by_indicator else number,
                indicator=number if m.by_indicator else None,
                answers=(),
                priority="improve",
                kind=messages().labels["import_measure_kind"]["th"],
                title=m.title,
                steps=m.steps,
                owner=m.owner,
                co_owners=m.co_owners,
                quarters=(first, max(first, last)),
                timeframe=m.timeframe,
                follow_up=m.follow_up,
                output="",
            )
        )
    style: TimeframeStyle = "quarters" if any(_TIME.quarter in m.timeframe for m in measures) else "months"
    return Plan(
        agency=agency,
        ita_year=ita_year,
        plan_year=plan_year,
        grouping="indicators" if by_indicator else "issues",
        timeframe_style=style,
        measures=tuple(planned),
        limitations=(),
        suggestions=(),
    )
