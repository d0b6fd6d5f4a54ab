"""``issues-two-part`` (the family of seed 001): a short report with the overall score, a chart and
the indicator table; part 1 analyses the questions issue by issue (tool, question, score, finding);
part 2 turns each issue into measures, steps, timeframe and responsible units."""

from __future__ import annotations

from itertools import count

from prongsai.document import frame
from prongsai.document.model import Block, Column, Row, Section, Table, cell, paragraph
from prongsai.document.parts import (
    FigureNumbers,
    Group,
    ReportInput,
    Shown,
    closing,
    groups,
    indicators_figure,
    item_finding,
    item_line,
    item_score,
    level_name,
    location_line,
    measure_details,
    measure_owner,
    measure_steps,
    present,
    score_text,
    scored,
    subheading,
)
from prongsai.document.texts import text

L = "issues-two-part"


def build(report: ReportInput) -> tuple[Section, ...]:
    numbers = FigureNumbers()
    loc = location_line(report)
    opening = present(
        paragraph(text("common.measures_title"), "title", bold=True),
        paragraph(text(f"{L}.title_line2"), "subtitle", bold=True),
        paragraph(text(f"{L}.title_line3", ita_year=report.ita_year), "subtitle", bold=True),
        paragraph(report.agency, "subtitle"),
        paragraph(loc, "subtitle") if loc else None,
        frame.attached_line(report),
        *frame.principles(report, subheading),
        *frame.objectives(report, subheading),
        paragraph(
            text(f"{L}.report_heading", ita_year=report.ita_year), "heading1", bold=True, align="center"
        ),
        paragraph(_overall_sentence(report), indent=True),
        indicators_figure(report, numbers),
        _indicator_table(report) if _has_indicator_scores(report) else None,
    )
    part1: list[Block] = []
    for group in groups(report):
        table = _analysis_table(report, group)
        if table is not None:
            part1 += [paragraph(group.heading, "heading2", bold=True), table]
    parts = count(1)
    if part1:  # no item scored: no part 1, and the measures are the first part
        heading = text(f"{L}.part1", number=next(parts), ita_year=report.ita_year)
        part1.insert(0, paragraph(heading, "heading1", bold=True))
    part2: list[Block] = [
        paragraph(text(f"{L}.part2", number=next(parts), plan_year=report.plan_year), "heading1", bold=True),
        _measures_table(report),
    ]
    shows: set[Shown] = {"overall", "level", "indicators", "items"}
    if not report.by_issues:
        shows.add("placement")
    ending = [
        *frame.monitoring(report, subheading),
        *closing(report, subheading(text("common.limitations_heading")), shows=shows | frame.shows(report)),
    ]
    return tuple(
        section
        for section in (
            frame.front(report, frame.FRAME_OF_LAYOUT[L]),
            Section(tuple(opening)),
            Section(tuple(part1)) if part1 else None,
            Section(tuple(part2), "landscape"),
            Section(tuple(ending)),
        )
        if section is not None
    )


def _has_indicator_scores(report: ReportInput) -> bool:
    return any(s.value is not None for s in report.results.indicators.values())


def _overall_sentence(report: ReportInput) -> str:
    """The overall score and level; what the results do not state is said once, not printed as '-'."""
    if report.results.overall.value is None:
        key = "no_overall" if _has_indicator_scores(report) else "no_scores"
        return text(f"{L}.{key}", agency=report.agency)
    level = level_name(report)
    level_part = text(f"{L}.level", level=level) if level else ""
    return text(
        f"{L}.overall", agency=report.agency, overall=score_text(report.results.overall), level=level_part
    )


def _indicator_table(report: ReportInput) -> Table:
    rows = []
    for tool in report.framework.tools:
        for n, ind in enumerate(report.framework.indicators_of(tool.code)):
            rows.append(
                Row(
                    (
                        cell(tool.code if n == 0 else "", bold=True),
                        cell(str(ind.number)),
                        cell(ind.name_th),
                        cell(score_text(report.results.indicators.get(ind.number))),
                    )
                )
            )
    header = Row(
        tuple(cell(text(f"{L}.{k}")) for k in ("head_tool", "head_number", "head_indicator", "head_score"))
    )
    columns = (Column(1.2, "center"), Column(1, "center"), Column(5), Column(1.5, "center"))
    return Table("indicators", columns, (header,), tuple(rows))


def _analysis_table(report: ReportInput, group: Group) -> Table | None:
    codes = scored(report, group.codes)
    if not codes:
        return None
    rows = []
    previous_tool: str | None = None
    previous_finding: str | None = None
    for n, code in enumerate(codes, 1):
        tool = report.framework.item(code).tool
        finding = item_finding(report, code)
        rows.append(
            Row(
                (
                    cell(str(n)),
                    cell(tool if tool != previous_tool else ""),
                    cell(item_line(report, code)),
                    cell(item_score(report, report.entries[code])),
                    cell(finding) if finding and finding != previous_finding else cell(),
                )
            )
        )
        previous_tool, previous_finding = tool, finding
    header = Row(
        tuple(
            cell(text(f"{L}.{k}"))
            for k in ("head_number", "head_tool_long", "head_question", "head_score", "head_finding")
        )
    )
    columns = (
        Column(0.8, "center"),
        Column(1.3, "center"),
        Column(4),
        Column(1.3, "center"),
        Column(5),
    )
    return Table(f"analysis-{group.key}", columns, (header,), tuple(rows))


def _measures_table(report: ReportInput) -> Table:
    rows = []
    for group in groups(report):
        for n, measure in enumerate(group.measures):
            rows.append(
                Row(
                    (
                        cell(group.heading if n == 0 else "", bold=n == 0),
                        cell(measure.title),
                        cell(*measure_steps(measure), *measure_details(measure)),
                        cell(measure.timeframe),
                        cell(*measure_owner(measure)),
                    )
                )
            )
    header = Row(
        tuple(
            cell(text(f"{L}.{k}"))
            for k in ("head_topic", "head_measure", "head_steps", "head_time", "head_owner")
        )
    )
    columns = (Column(3), Column(4), Column(6.5), Column(2.3), Column(2.6))
    return Table("measures", columns, (header,), tuple(rows))
