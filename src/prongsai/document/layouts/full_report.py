"""``full-report`` (the family of seed 002): overview with charts, per tool, per indicator with a
pass column, the analysis of each indicator, recommendations per tool, measures per indicator (or
issue), limitations and suggestions. The most complete layout, and the default."""

from __future__ import annotations

from prongsai.document import frame
from prongsai.document.model import Block, Column, Row, Section, Table, cell, paragraph
from prongsai.document.parts import (
    FigureNumbers,
    Group,
    ReportInput,
    SectionNumbers,
    closing,
    group_findings,
    groups,
    indicator_advice,
    indicator_text,
    indicators_figure,
    item_score,
    item_subject,
    location_line,
    measure_details,
    measure_owner,
    measure_steps,
    present,
    score_status,
    score_text,
    status_word,
    summary_text,
    tools_figure,
    trend_figure,
)
from prongsai.document.texts import text

L = "full-report"


def build(report: ReportInput) -> tuple[Section, ...]:
    figures, sections = FigureNumbers(), SectionNumbers()
    opening: list[Block] = present(
        paragraph(
            text(f"{L}.title", ita_year=report.ita_year, plan_year=report.plan_year), "title", bold=True
        ),
        paragraph(report.agency, "subtitle", bold=True),
        paragraph(loc, "subtitle") if (loc := location_line(report)) else None,
        *frame.principles(report, sections.heading),
        *frame.objectives(report, sections.heading),
        paragraph(
            text(f"{L}.analysis_heading", agency=report.agency, ita_year=report.ita_year),
            "heading1",
            bold=True,
        ),
        sections.heading(text(f"{L}.s1")),
        tools_figure(report, figures),
        trend_figure(report, figures),
        paragraph(summary_text(report), indent=True),
    )
    overview = (*opening, *_tools_part(report, sections), *_indicators_part(report, sections, figures))
    analysis = _analysis_part(report, sections)
    measures = _measures_part(report, sections)
    monitoring = frame.monitoring(report, sections.heading)
    limitations = (
        sections.heading(text(f"{L}.s6", plan_year=report.plan_year)) if report.plan.limitations else None
    )
    suggestions = sections.heading(text(f"{L}.s7")) if report.plan.suggestions else None
    ending = [*monitoring, *closing(report, limitations, suggestions)]
    return tuple(
        section
        for section in (
            frame.front(report, frame.FRAME_OF_LAYOUT[L]),
            Section(overview),
            Section(tuple(analysis)) if analysis else None,
            Section(tuple(measures), "landscape"),
            Section(tuple(ending)),
        )
        if section is not None
    )


def _tools_part(report: ReportInput, sections: SectionNumbers) -> list[Block]:
    rows = [
        Row(
            (
                cell(text(f"common.tools.{t.code}")),
                cell(score_text(s)),
                cell(status_word(score_status(report, s.value if s else None))),
            )
        )
        for t in report.framework.tools
        for s in [report.results.tools.get(t.code)]
    ]
    rows.append(
        Row(
            (
                cell(text("common.overall_row"), bold=True),
                cell(score_text(report.results.overall), bold=True),
                cell(status_word(score_status(report, report.results.overall.value)), bold=True),
            ),
            "total",
        )
    )
    table = Table(
        "tools",
        (Column(6), Column(1.6, "center"), Column(1.6, "center")),
        (Row((cell(text(f"{L}.head_tool")), cell(text(f"{L}.head_score")), cell(text(f"{L}.head_result")))),),
        tuple(rows),
    )
    scored = [
        (t, v)
        for t in report.framework.tools
        if (s := report.results.tools.get(t.code)) and (v := s.value) is not None
    ]
    described = [
        text(
            f"{L}.tool_score", name=f"{t.name_th} ({t.code})", score=score_text(report.results.tools[t.code])
        )
        for t, _ in scored
    ]
    if not scored:
        return []
    blocks: list[Block] = [sections.heading(text(f"{L}.s2")), table]
    if scored:
        weakest = min(scored, key=lambda pair: pair[1])
        if weakest[1] < report.framework.pass_mark:
            sentence = text(
                f"{L}.tools_paragraph",
                tools=" ".join(described),
                weakest=f"{weakest[0].name_th} ({weakest[0].code})",
            )
        elif len(scored) == len(report.framework.tools):
            sentence = text(f"{L}.tools_all_pass", tools=" ".join(described))
        else:  # a tool without a score is neither passed nor failed
            sentence = text(f"{L}.tools_scored_pass", tools=" ".join(described), count=len(scored))
        blocks.append(paragraph(sentence, indent=True))
    return blocks


def _indicators_part(report: ReportInput, sections: SectionNumbers, numbers: FigureNumbers) -> list[Block]:
    framework, results = report.framework, report.results
    rows = tuple(
        Row(
            (
                cell(str(ind.number)),
                cell(ind.name_th),
                cell(score_text(s)),
                cell(status_word(score_status(report, s.value if s else None))),
            )
        )
        for ind in framework.indicators
        for s in [results.indicators.get(ind.number)]
    )
    table = Table(
        "indicators",
        (Column(1.2, "center"), Column(5), Column(1.5, "center"), Column(1.6, "center")),
        (
            Row(
                (
                    cell(text(f"{L}.head_number")),
                    cell(text(f"{L}.head_indicator")),
                    cell(text(f"{L}.head_score")),
                    cell(text(f"{L}.head_result")),
                )
            ),
        ),
        rows,
    )
    if all(s is None or s.value is None for s in results.indicators.values()):
        return []
    return present(sections.heading(text(f"{L}.s3")), indicators_figure(report, numbers), table)


def _indicator_table(report: ReportInput, number: int) -> Table | None:
    codes = [i.code for i in report.framework.items_of(number) if i.code in report.entries]
    if not codes:
        return None
    mark = f"{report.framework.pass_mark:.2f}"
    rows = [
        Row(
            (
                cell(code),
                cell(item_subject(report, code) or text("common.item_code_only", code=code)),
                cell(item_score(report, report.entries[code])),
                cell(status_word(report.entries[code].status)),
            )
        )
        for code in codes
    ]
    indicator = report.results.indicators.get(number)
    rows.append(
        Row(
            (
                cell(text("common.average_row"), colspan=2, bold=True, align="right"),
                cell(score_text(indicator), bold=True),
                cell(status_word(score_status(report, indicator.value if indicator else None)), bold=True),
            ),
            "total",
        )
    )
    return Table(
        f"indicator{number}",
        (Column(0.9, "center"), Column(6), Column(1.3, "center"), Column(1.7, "center")),
        (
            Row(
                (
                    cell(text(f"{L}.head_code")),
                    cell(text(f"{L}.head_question")),
                    cell(text(f"{L}.head_score")),
                    cell(text(f"{L}.head_pass", mark=mark)),
                )
            ),
        ),
        tuple(rows),
    )


def _analysis_part(report: ReportInput, sections: SectionNumbers) -> list[Block]:
    """Each indicator with a score or item scores: its items, then its narrative; then the
    conclusions per tool. Nothing when the results hold no indicator or item score."""
    framework = report.framework
    shown = [
        ind
        for ind in framework.indicators
        if _has_score(report, ind.number)
        or any(i.code in report.entries for i in framework.items_of(ind.number))
    ]
    if not shown:
        return []
    blocks: list[Block] = [
        sections.heading(text(f"{L}.s4", ita_year=report.ita_year)),
        paragraph(text(f"{L}.s4_intro", count=len(framework.indicators)), indent=True),
    ]
    for ind in shown:
        blocks += present(
            paragraph(
                text("common.indicator_heading", number=ind.number, name=ind.name_th), "heading2", bold=True
            ),
            _indicator_table(report, ind.number),
            paragraph(text(f"{L}.analysis_label"), bold=True),
            paragraph(indicator_text(report, ind.number), indent=True),
        )
    blocks.append(paragraph(text(f"{L}.conclusions", ita_year=report.ita_year), "heading1", bold=True))
    for tool in framework.tools:
        score = report.results.tools.get(tool.code)
        name = f"{tool.name_th} ({tool.code})"
        if score is None or score.value is None:
            continue
        status = score_status(report, score.value)
        blocks.append(
            paragraph(
                text(
                    f"{L}.tool_recommendation",
                    name=name,
                    score=score_text(score),
                    status=status_word(status, long=True),
                ),
                bold=True,
            )
        )
        advice = [
            a
            for ind in framework.indicators_of(tool.code)
            for a in indicator_advice(report, ind.number, limit=1)
        ]
        unique = list(dict.fromkeys(advice))
        key = "tool_advice_full" if status == "full" else "tool_advice"
        blocks.append(paragraph(text(f"{L}.{key}", advice=" ".join(unique)), indent=True))
    return blocks


def _measure_rows(report: ReportInput, group: Group) -> tuple[Row, ...]:
    """Beside each measure the findings on the items it answers; beside the first measure aimed at
    the whole indicator, the indicator's findings."""
    overall = " ".join(group_findings(report, group.codes, limit=2)) if group.codes else ""
    rows = []
    for measure in group.measures:
        answered = [c for c in measure.answers if c in report.framework.items_by_code]
        analysis = " ".join(group_findings(report, answered, limit=2)) if answered else overall
        overall = overall if answered else ""
        rows.append(
            Row(
                (
                    cell(measure.title),
                    cell(analysis),
                    cell(*measure_steps(measure), *measure_details(measure)),
                    cell(measure.timeframe),
                    cell(*measure_owner(measure)),
                )
            )
        )
    return tuple(rows)


def _has_score(report: ReportInput, number: int) -> bool:
    score = report.results.indicators.get(number)
    return score is not None and score.value is not None


def _measures_part(report: ReportInput, sections: SectionNumbers) -> list[Block]:
    blocks: list[Block] = [sections.heading(text(f"{L}.s5", plan_year=report.plan_year))]
    header = Row(
        tuple(
            cell(text(f"{L}.{key}"))
            for key in ("head_measure", "head_analysis", "head_steps", "head_time", "head_owner")
        )
    )
    columns = (Column(3.2), Column(4), Column(6), Column(2.2), Column(2.4))
    for group in groups(report, by_issues=False):
        if not group.measures:
            continue
        rows = _measure_rows(report, group)
        blocks += [
            paragraph(group.heading, "heading2", bold=True),
            Table(f"measures-{group.key}", columns, (header,), rows),
        ]
    return blocks
