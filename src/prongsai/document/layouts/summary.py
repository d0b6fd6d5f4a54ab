"""``summary`` (the family of seed 003): the score, indicator scores per tool with what each needs
to fix, then the measures with steps, owner, timeframe and follow-up."""

from __future__ import annotations

from prongsai.document.model import Block, Column, Row, Section, Table, cell, paragraph
from prongsai.document.parts import (
    FigureNumbers,
    ReportInput,
    SectionNumbers,
    closing,
    indicator_advice,
    indicators_figure,
    item_score,
    level_text,
    location_line,
    measure_follow_up,
    measure_owner,
    measure_steps,
    present,
    score_text,
    subheading,
)
from prongsai.document.texts import text

L = "summary"


def build(report: ReportInput) -> tuple[Section, ...]:
    numbers, sections = FigureNumbers(), SectionNumbers()
    level, estimated = level_text(report)
    level_part = text(f"{L}.level_estimated" if estimated else f"{L}.level", level=level) if level else ""
    blocks: list[Block] = present(
        paragraph(text(f"{L}.title", plan_year=report.plan_year), "title", bold=True),
        paragraph(report.agency, "subtitle"),
        paragraph(loc, "subtitle") if (loc := location_line(report)) else None,
        sections.heading(text(f"{L}.s1", agency=report.agency, ita_year=report.ita_year)),
        paragraph(
            text(
                f"{L}.score",
                ita_year=report.ita_year,
                agency=report.agency,
                overall=score_text(report.results.overall),
                level=level_part,
            ),
            indent=True,
        ),
        indicators_figure(report, numbers),
        paragraph(text(f"{L}.by_indicator"), indent=True),
        _indicator_table(report),
        sections.heading(text(f"{L}.s2", plan_year=report.plan_year)),
        paragraph(text(f"{L}.s2_intro", agency=report.agency), indent=True),
        _measures_table(report),
    )
    ending = closing(report, subheading(text("common.limitations_heading")))
    return (Section(tuple(blocks)), Section(tuple(ending)))


def _indicator_table(report: ReportInput) -> Table:
    rows = []
    for tool in report.framework.tools:
        rows.append(Row((cell(text(f"common.tools.{tool.code}"), colspan=2, bold=True),), "group"))
        for ind in report.framework.indicators_of(tool.code):
            score = score_text(report.results.indicators.get(ind.number))
            line = text("common.indicator_with_score", number=ind.number, name=ind.name_th, score=score)
            weak = [
                text("common.weak_item", code=i.code, score=item_score(report, report.entries[i.code]))
                for i in report.framework.items_of(ind.number)
                if i.code in report.entries and report.entries[i.code].status == "below"
            ]
            rows.append(Row((cell(line), cell(*weak, *indicator_advice(report, ind.number)))))
    header = Row((cell(text(f"{L}.head_indicator")), cell(text(f"{L}.head_fix"))))
    return Table("indicators", (Column(3), Column(6)), (header,), tuple(rows))


def _measures_table(report: ReportInput) -> Table:
    rows = tuple(
        Row(
            (
                cell(text("common.numbered_line", number=n, text=m.title)),
                cell(*measure_steps(m)),
                cell(*measure_owner(m)),
                cell(m.timeframe),
                cell(measure_follow_up(m)),
            )
        )
        for n, m in enumerate(report.plan.measures, 1)
    )
    header = Row(
        tuple(
            cell(text(f"{L}.{k}"))
            for k in ("head_measure", "head_steps", "head_owner", "head_time", "head_follow_up")
        )
    )
    columns = (Column(3), Column(5), Column(2), Column(2), Column(2.6))
    return Table("measures", columns, (header,), rows)
