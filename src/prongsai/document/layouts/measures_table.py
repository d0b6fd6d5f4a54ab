"""``measures-table`` (the family of seed 004): a short introduction, then one table issue by issue:
the ITA questions each measure answers, what the analysis found, the steps (with the output and
target, budget, follow-up and legal basis under them), timeframe and unit."""

from __future__ import annotations

from prongsai.document import frame
from prongsai.document.model import Block, Column, Row, Section, Table, cell, paragraph
from prongsai.document.parts import (
    Group,
    ReportInput,
    Shown,
    closing,
    group_findings,
    groups,
    item_line,
    item_score,
    measure_details,
    measure_owner,
    measure_steps,
    subheading,
)
from prongsai.document.texts import text

L = "measures-table"


def build(report: ReportInput) -> tuple[Section, ...]:
    unit = report.settings.unit or report.agency
    opening: list[Block] = [
        paragraph(text(f"{L}.title", agency=report.agency), "title", bold=True),
        *frame.principles(report, subheading),
        *frame.objectives(report, subheading),
    ]
    introduction: list[Block] = [
        paragraph(
            text(
                f"{L}.intro",
                agency=report.agency,
                ita_year=report.ita_year,
                plan_year=report.plan_year,
                unit=unit,
            ),
            indent=True,
        ),
    ]
    table = Table(
        "measures", _columns(), _header(), tuple(r for g in groups(report) for r in _rows(report, g))
    )
    # the only figures are the scores of the questions each measure answers
    # (and the frame, the overall score and the level: frame.shows)
    shows: frozenset[Shown] = frozenset({"items"} if report.by_issues else {"items", "placement"})
    ending = [
        *frame.monitoring(report, subheading),
        *closing(report, subheading(text(f"{L}.limitations_heading")), shows=shows | frame.shows(report)),
    ]
    return (
        frame.front(report, frame.FRAME_OF_LAYOUT[L]),
        Section(tuple(opening)),
        Section((*introduction, table), "landscape"),
        Section(tuple(ending)),
    )


def _columns() -> tuple[Column, ...]:
    return (Column(2.6), Column(4.2), Column(3.6), Column(6), Column(1.8), Column(2.4))


def _header() -> tuple[Row, ...]:
    return (
        Row(
            (
                cell(text(f"{L}.head_issue"), rowspan=2),
                cell(text(f"{L}.head_practice"), colspan=2),
                cell(text(f"{L}.head_steps"), rowspan=2),
                cell(text(f"{L}.head_time"), rowspan=2),
                cell(text(f"{L}.head_owner"), rowspan=2),
            )
        ),
        Row((cell(text(f"{L}.head_question")), cell(text(f"{L}.head_finding")))),
    )


def _rows(report: ReportInput, group: Group) -> list[Row]:
    """One row per measure: the questions it answers with their scores, the findings on them, its
    title and steps; then each question below the pass mark that no measure answers (its measure
    is one aimed at the whole indicator), with its finding, on a row of its own."""
    rows = []
    answered_anywhere = {c for m in report.plan.measures for c in m.answers}
    unanswered = [
        c
        for c in group.codes
        if (e := report.entries.get(c)) is not None and e.status == "below" and c not in answered_anywhere
    ]
    for n, measure in enumerate(group.measures):
        answered = [c for c in measure.answers if c in report.framework.items_by_code]
        questions = [_question(report, c) for c in answered]
        findings = group_findings(report, answered, limit=2) if answered else []
        rows.append(
            Row(
                (
                    cell(group.heading if n == 0 else "", bold=n == 0),
                    cell(*questions),
                    cell(*findings),
                    cell(measure.title, *measure_steps(measure), *measure_details(measure)),
                    cell(measure.timeframe),
                    cell(*measure_owner(measure)),
                )
            )
        )
    for code in unanswered:
        first = not rows
        rows.append(
            Row(
                (
                    cell(group.heading if first else "", bold=first),
                    cell(_question(report, code)),
                    cell(*group_findings(report, [code], limit=1)),
                    cell(),
                    cell(),
                    cell(),
                )
            )
        )
    return rows


def _question(report: ReportInput, code: str) -> str:
    entry = report.entries.get(code)
    line = item_line(report, code)
    return text("common.with_score", line=line, score=item_score(report, entry)) if entry else line
