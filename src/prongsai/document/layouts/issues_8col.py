"""``issues-8col`` (the family of seed 000): one wide table, issue by issue, with the ITA questions
and their scores, the analysis, and the measures with steps, timeframe and unit side by side.

An issue becomes one row per question so that no row outgrows a page; its measures fill the measure
columns from its first row down, and the issue's name heads its first row.
"""

from __future__ import annotations

from prongsai.document import frame
from prongsai.document.model import Block, Column, Row, Section, Table, cell, paragraph
from prongsai.document.parts import (
    EVERYTHING,
    Group,
    ReportInput,
    closing,
    groups,
    item_finding,
    item_line,
    item_score,
    location_line,
    measure_details,
    measure_owner,
    measure_steps,
    present,
    scored,
    subheading,
    summary_text,
)
from prongsai.document.texts import text
from prongsai.planning import Measure

L = "issues-8col"


def build(report: ReportInput) -> tuple[Section, ...]:
    opening = present(
        paragraph(text("common.measures_title"), "title", bold=True),
        paragraph(
            text("common.of_agency_plan_year", agency=report.agency, plan_year=report.plan_year),
            "title",
            bold=True,
        ),
        paragraph(loc, "subtitle") if (loc := location_line(report)) else None,
        frame.attached_line(report),
        *frame.principles(report, subheading),
        *frame.objectives(report, subheading),
        paragraph(
            text(f"{L}.intro", agency=report.agency, ita_year=report.ita_year, plan_year=report.plan_year),
            indent=True,
        ),
        paragraph(summary_text(report), indent=True),
    )
    table = Table("issues", _columns(), _header(), tuple(r for g in groups(report) for r in _rows(report, g)))
    # the summary paragraph names the overall, tool and indicator scores and the level
    shows = EVERYTHING - {"placement"} if report.by_issues else EVERYTHING
    ending: list[Block] = [
        *frame.monitoring(report, subheading),
        *closing(report, subheading(text("common.limitations_heading")), shows=shows),
    ]
    return (
        frame.front(report, frame.FRAME_OF_LAYOUT[L]),
        Section(tuple(opening)),
        Section((table,), "landscape"),
        Section(tuple(ending)),
    )


def _columns() -> tuple[Column, ...]:
    return (
        Column(2.4),
        Column(4.2),
        Column(1.3, "center"),
        Column(3.6),
        Column(3),
        Column(4.2),
        Column(1.8),
        Column(2.2),
    )


def _header() -> tuple[Row, ...]:
    return (
        Row(
            (
                cell(text(f"{L}.head_issue"), rowspan=2),
                cell(text(f"{L}.head_analysis"), colspan=3),
                cell(text(f"{L}.head_practice"), colspan=4),
            )
        ),
        Row(
            tuple(
                cell(text(f"{L}.{key}"))
                for key in (
                    "head_question",
                    "head_score",
                    "head_finding",
                    "head_measure",
                    "head_steps",
                    "head_time",
                    "head_owner",
                )
            )
        ),
    )


def _placed(codes: list[str], measures: tuple[Measure, ...]) -> list[tuple[str | None, Measure | None]]:
    """Each measure beside the first question it answers; a measure that answers none of the
    questions shown (one aimed at the whole indicator) on a row of its own after them."""
    left = list(measures)
    pairs: list[tuple[str | None, Measure | None]] = []
    for code in codes:
        measure = next((m for m in left if code in m.answers), None)
        if measure is not None:
            left.remove(measure)
        pairs.append((code, measure))
    return pairs + [(None, m) for m in left]


def _rows(report: ReportInput, group: Group) -> list[Row]:
    """One row per question (a finding printed once for a run of questions that share it), each
    measure beside the first question it answers, and never beside one it does not answer."""
    codes = scored(report, group.codes)
    rows = []
    previous: str | None = None
    for n, (code, measure) in enumerate(_placed(codes, group.measures)):
        finding = item_finding(report, code) if code else None
        shown = finding if finding != previous else None
        previous = finding
        practice = (
            (
                cell(measure.title),
                cell(*measure_steps(measure), *measure_details(measure)),
                cell(measure.timeframe),
                cell(*measure_owner(measure)),
            )
            if measure
            else (cell(), cell(), cell(), cell())
        )
        rows.append(
            Row(
                (
                    cell(group.heading if n == 0 else "", bold=n == 0),
                    cell(item_line(report, code)) if code else cell(),
                    cell(item_score(report, report.entries[code])) if code else cell(),
                    cell(shown) if shown else cell(),
                    *practice,
                )
            )
        )
    return rows
