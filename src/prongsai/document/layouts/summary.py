"""``summary`` (the family of seed 003): the score, indicator scores per tool with what each needs
to fix, then the measures with steps, owner, timeframe and follow-up.

What the results do not hold is said once, in the paragraph on the score; an indicator without a
score carries no judgement; every item below the pass mark is named with what it is about and what
to do about it."""

from __future__ import annotations

from prongsai.document import frame
from prongsai.document.model import Block, Column, Row, Section, Table, cell, paragraph
from prongsai.document.parts import (
    FigureNumbers,
    ReportInput,
    SectionNumbers,
    Shown,
    closing,
    indicators_figure,
    item_recommendation,
    item_score,
    level_name,
    location_line,
    measure_details,
    measure_follow_up,
    measure_owner,
    measure_steps,
    present,
    score_text,
    subheading,
)
from prongsai.document.texts import text
from prongsai.narrative import (
    has_scores,
    indicator_advice,
    indicator_members,
    item_noun,
    item_subject,
    join_list,
    missing_scores,
)

L = "summary"
OPEN_PASS_LIMIT = 2  # items passed but not full named per indicator when none is below the mark


def build(report: ReportInput) -> tuple[Section, ...]:
    numbers, sections = FigureNumbers(), SectionNumbers()
    scored = has_scores(report.results, report.analysis)
    table, nothing_to_fix = _indicator_table(report) if scored else (None, False)
    blocks: list[Block] = present(
        paragraph(text(f"{L}.title", plan_year=report.plan_year), "title", bold=True),
        paragraph(report.agency, "subtitle"),
        paragraph(loc, "subtitle") if (loc := location_line(report)) else None,
        frame.attached_line(report),
        *frame.principles(report, sections.heading),
        *frame.objectives(report, sections.heading),
        sections.heading(text(f"{L}.s1", agency=report.agency, ita_year=report.ita_year)),
        paragraph(_score_paragraph(report, scored), indent=True),
        indicators_figure(report, numbers),
        paragraph(text(f"{L}.by_indicator"), indent=True) if table else None,
        table,
        paragraph(text(f"{L}.keep_standard"), indent=True) if nothing_to_fix else None,
        sections.heading(text(f"{L}.s2", plan_year=report.plan_year)),
        paragraph(text(f"{L}.s2_intro", agency=report.agency), indent=True),
        _measures_table(report),
        *frame.monitoring(report, sections.heading),
    )
    # the layout prints the overall score, the level, indicator scores and the items below the mark
    # under their indicators; no tool score
    shows: set[Shown] = {"overall", "level", "indicators", "items", "placement"}
    ending = closing(report, subheading(text("common.limitations_heading")), shows=shows)
    return (frame.front(report, frame.FRAME_OF_LAYOUT[L]), Section(tuple(blocks)), Section(tuple(ending)))


def _score_paragraph(report: ReportInput, scored: bool) -> str:
    if not scored:
        return text(f"{L}.no_scores", ita_year=report.ita_year, agency=report.agency)
    missing = missing_scores(report.framework, report.results, report.analysis)
    if report.results.overall.value is None:
        return text(f"{L}.score_no_overall", ita_year=report.ita_year, agency=report.agency, missing=missing)
    level = level_name(report)
    level_part = ""
    if level:
        name = f" {level}" if level.isascii() else level  # "ระดับ A" but "ระดับผ่านดีเยี่ยม"
        level_part = text(f"{L}.level", level=name)
    return text(
        f"{L}.score",
        ita_year=report.ita_year,
        agency=report.agency,
        overall=score_text(report.results.overall),
        level=level_part,
        missing=text(f"{L}.score_missing", missing=missing) if missing else "",
    )


def _fixes(report: ReportInput, number: int) -> tuple[list[str], bool]:
    """What an indicator needs fixed, and whether there is nothing to fix (all full)."""
    framework, analysis = report.framework, report.analysis
    members = indicator_members(framework, analysis, number)
    if members.described_in is not None:
        return [text(f"{L}.see_indicator", number=members.described_in)], False
    entries = list(members.entries)
    lines: list[str] = []
    if entries:
        noun = item_noun(framework, [e.key for e in entries])
        if members.shared_with:
            shown = join_list([str(n) for n in sorted((number, *members.shared_with))], numbers=True)
            lines.append(text(f"{L}.pool", noun=noun, numbers=shown, count=len(entries)))
        below = sorted((e for e in entries if e.status == "below"), key=lambda e: e.score)
        open_items = (
            below
            or sorted((e for e in entries if e.status == "pass"), key=lambda e: e.score)[:OPEN_PASS_LIMIT]
        )
        if not open_items:
            key = "all_full" if len(entries) > 1 else "one_full"
            return [*lines, text(f"{L}.{key}", noun=noun, count=len(entries))], True
        texts = report.texts
        advised: set[str] = set()
        for e in open_items:
            lines.append(
                text(
                    f"{L}.item_{e.status}",
                    code=e.key,
                    subject=item_subject(framework, e.key, texts),
                    score=item_score(report, e),
                )
            )
            advice = item_recommendation(report, e.key)
            if advice is None and e.indicator is not None:
                advice = indicator_advice(framework, e.indicator, e.status)
            if advice and advice not in advised:
                advised.add(advice)
                lines.append(advice)
        return lines, False
    entry = next((e for e in analysis.indicators if e.indicator == number), None)
    if entry is None:
        return [text("common.no_score")], False
    if entry.status == "full":
        return [text(f"{L}.indicator_full")], True
    return [indicator_advice(framework, number, entry.status)], False


def _indicator_table(report: ReportInput) -> tuple[Table | None, bool]:
    """The indicators per tool with what each needs fixed, and whether some indicator has nothing
    to fix (the keep-the-standard sentence is then printed once, under the table)."""
    rows = []
    nothing_to_fix = False
    for tool in report.framework.tools:
        rows.append(Row((cell(text(f"common.tools.{tool.code}"), colspan=2, bold=True),), "group"))
        for ind in report.framework.indicators_of(tool.code):
            score = report.results.indicators.get(ind.number)
            if score is None or score.value is None:
                line = text("common.indicator_line", number=ind.number, name=ind.name_th)
            else:
                line = text(
                    "common.indicator_with_score",
                    number=ind.number,
                    name=ind.name_th,
                    score=score_text(score),
                )
            fixes, full = _fixes(report, ind.number)
            nothing_to_fix = nothing_to_fix or full
            rows.append(Row((cell(line), cell(*fixes))))
    header = Row((cell(text(f"{L}.head_indicator")), cell(text(f"{L}.head_fix"))))
    return Table("indicators", (Column(3), Column(6)), (header,), tuple(rows)), nothing_to_fix


def _measures_table(report: ReportInput) -> Table:
    rows = tuple(
        Row(
            (
                cell(text("common.numbered_line", number=n, text=m.title)),
                cell(*measure_steps(m), *measure_details(m, follow_up=False)),
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
