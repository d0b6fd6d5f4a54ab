"""The frame around the measures: what an agency publishes besides the analysis and the table.

- The **ประกาศ** that puts the measures in force (:func:`announcement`): "ประกาศ{agency} เรื่อง
  มาตรการ...", a preamble citing the ITA and the agency's intent, "ประกาศ ณ วันที่ ...", and the
  announcing official's name and position (``announced_by`` in the settings, else ``approved_by``;
  dotted lines when the settings leave them out).
- The cover **บันทึกข้อความ** that asks the executive to approve them (:func:`memo`): ส่วนราชการ,
  ที่, วันที่, เรื่อง, เรียน, the body and the preparing official's signature.
- **หลักการและเหตุผล** (:func:`principles`): the ITA, this year's result, the results of the
  earlier years held with their trend (:func:`history_sentence`), and what last year's measures
  achieved where the plan records it (:func:`past_measures`, the plan's ``past`` block).
- **วัตถุประสงค์** (:func:`objectives`).
- **การติดตามและรายงานผล** (:func:`monitoring`): reports to the executive at 6 and 12 months
  (:func:`report_rounds`, dated in the plan year) and the website the document is published on
  (``website`` in the settings; no sentence without it).

Each layout places the frame its family calls for (:data:`FRAME_OF_LAYOUT`, docs/document.md). All
wording is in the ``frame`` section of ``catalog/document.yaml``; words of the agency's kind come
through ``{term.…}`` placeholders. A sentence is printed only when what it states is known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal, cast

from prongsai.aggregate import level_for
from prongsai.carryforward import continued, indicator_number
from prongsai.catalog.progress import status_th
from prongsai.document.model import (
    Block,
    Column,
    Paragraph,
    Row,
    Run,
    Section,
    Signatures,
    Signer,
    Table,
    cell,
    paragraph,
)
from prongsai.document.parts import ReportInput, Shown, level_name, score_text
from prongsai.document.settings import Person
from prongsai.document.texts import current_words, text
from prongsai.framework import load_frameworks
from prongsai.narrative import join_list, past_sentences
from prongsai.planning import PastItem
from prongsai.progress import Status
from prongsai.thai import BE_OFFSET, format_score
from prongsai.timeframe import month_name, thai_date

FrameKind = Literal["announcement", "memo"]
Heading = Callable[[str], Paragraph]

# The frame each layout's family calls for: the documents that are the measures themselves are put
# in force by a ประกาศ; the reports that analyse the results and propose the measures (seed 002's
# ข้อเสนอแนะ "เห็นควรให้ทุกส่วนราชการปฏิบัติ...") or that a unit drew up (seed 004: "งานนิติการ
# สำนักปลัดเทศบาล จึงได้...") go to the executive under a บันทึกข้อความ for approval.
FRAME_OF_LAYOUT: dict[str, FrameKind] = {
    "full-report": "memo",
    "issues-8col": "announcement",
    "issues-two-part": "announcement",
    "summary": "announcement",
    "measures-table": "memo",
}
OBJECTIVES = ("improve", "integrity", "openness", "prevention", "follow_up")
ROUNDS = ("six_months", "twelve_months")
F = "frame"


# --------------------------------------------------------------------------------------------------
# Dates of the plan year
# --------------------------------------------------------------------------------------------------


def plan_year_start(plan_year: int) -> dt.date:
    """1 October of the year before: fiscal year P (Buddhist era) runs 1 Oct P-1 to 30 Sep P."""
    return dt.date(plan_year - BE_OFFSET - 1, 10, 1)


def _in_plan_year(plan_year: int, month_day: str) -> dt.date:
    """'04-30' as a day of the plan year (October to December fall in the year before)."""
    month, day = (int(part) for part in month_day.split("-"))
    year = plan_year - BE_OFFSET - (1 if month >= 10 else 0)
    return dt.date(year, month, day)


@dataclass(frozen=True)
class Round:
    """One report to the executive: its name, the period it covers and the day it is due."""

    key: str
    name: str
    start: dt.date
    end: dt.date
    due: dt.date


def report_rounds(plan_year: int) -> list[Round]:
    """The plan's reports at 6 and 12 months, each covering the plan year from its first day."""
    start = plan_year_start(plan_year)
    return [
        Round(
            key,
            text(f"{F}.monitoring.rounds.{key}.name"),
            start,
            _in_plan_year(plan_year, text(f"{F}.monitoring.rounds.{key}.end")),
            _in_plan_year(plan_year, text(f"{F}.monitoring.rounds.{key}.due")),
        )
        for key in ROUNDS
    ]


# --------------------------------------------------------------------------------------------------
# The ประกาศ and the บันทึกข้อความ
# --------------------------------------------------------------------------------------------------


def front(report: ReportInput, kind: FrameKind) -> Section:
    """The first pages: the ประกาศ or the cover บันทึกข้อความ."""
    return announcement(report) if kind == "announcement" else memo(report)


def _person_lines(person: Person | None) -> tuple[str, ...]:
    """'(name)' and the position, or dotted lines to fill in by hand."""
    name = person.name if person else None
    position = person.position if person else None
    return (
        text("signatures.name_line", name=name) if name else text("signatures.blank_name"),
        position or text("signatures.blank_position"),
    )


def announcer(report: ReportInput) -> Person | None:
    """Who signs the ประกาศ: ``announced_by`` when the settings name one, else ``approved_by``."""
    signers = report.settings.signers
    return signers.get("announced_by") or signers.get("approved_by")


def given_line(report: ReportInput) -> str:
    """'ประกาศ ณ วันที่ 15 เดือน ธันวาคม พ.ศ. 2568' (the document's date)."""
    day = report.settings.date
    return text(
        f"{F}.announcement.given", day=day.day, month=month_name(day.month), year=day.year + BE_OFFSET
    )


def announcement_paragraphs(report: ReportInput) -> list[str]:
    """The body of the ประกาศ, from the ITA to the day it takes effect: the plan year's first day
    when the document is dated before it, else from now on."""
    start = plan_year_start(report.plan_year)
    in_force = (
        text(f"{F}.announcement.from_start", start=thai_date(start))
        if report.settings.date < start
        else text(f"{F}.announcement.from_now")
    )
    return [
        text(f"{F}.announcement.background", ita_year=report.ita_year),
        text(f"{F}.announcement.intent", agency=report.agency, plan_year=report.plan_year),
        text(f"{F}.announcement.close"),
        in_force,
    ]


def announcement(report: ReportInput) -> Section:
    """ประกาศ{agency} เรื่อง มาตรการ... : centred heading, indented paragraphs, the date and the
    announcing official's signature."""
    blocks: list[Block] = [
        paragraph(text(f"{F}.announcement.heading", agency=report.agency), "title", bold=True),
        paragraph(text(f"{F}.announcement.subject", plan_year=report.plan_year), "subtitle", bold=True),
        paragraph(text(f"{F}.announcement.rule"), "subtitle", align="center"),
        *(paragraph(p, indent=True) for p in announcement_paragraphs(report)),
        paragraph(given_line(report), align="center"),
        Signatures((Signer(text(f"{F}.announcement.role"), _person_lines(announcer(report))),)),
    ]
    return Section(tuple(blocks))


def attached_line(report: ReportInput) -> Paragraph:
    """'แนบท้ายประกาศ{agency} ลงวันที่ ...' under the title of the measures the ประกาศ puts in force."""
    return paragraph(
        text(f"{F}.announcement.attached", agency=report.agency, date=thai_date(report.settings.date)),
        "subtitle",
    )


def memo_unit(report: ReportInput) -> str:
    """The preparing unit: the settings' ``unit``, else the agency's legal unit (units.yaml)."""
    return report.settings.unit or current_words()[1]["legal"]


def memo_addressee(report: ReportInput) -> str:
    """The approving official's position as the settings give it, else the executive's title."""
    approver = report.settings.signers.get("approved_by")
    if approver and approver.position:
        return approver.position
    words = current_words()[0]
    return words.terms.get("executive", "")


def _overall_words(report: ReportInput, prefix: str) -> str:
    """' ได้ 92.13 คะแนน อยู่ในระดับ A' (keys ``prefix`` and ``prefix_no_level``), '' without an
    overall score."""
    overall = report.results.overall
    if overall.value is None:
        return ""
    level = level_name(report)
    if level:
        name = f" {level}" if level.isascii() else level  # "ระดับ A" but "ระดับผ่านดีเยี่ยม"
        return text(prefix, overall=score_text(overall), level=name)
    return text(f"{prefix}_no_level", overall=score_text(overall))


def memo_paragraphs(report: ReportInput) -> list[str]:
    return [
        text(
            f"{F}.memo.background",
            ita_year=report.ita_year,
            agency=report.agency,
            result=_overall_words(report, f"{F}.memo.result"),
        ),
        text(f"{F}.memo.work", unit=memo_unit(report), plan_year=report.plan_year),
        text(f"{F}.memo.request"),
    ]


def _labelled(label: str, value: str) -> Paragraph:
    return Paragraph((Run(label, bold=True), Run(value)), "body", "left")


def memo(report: ReportInput) -> Section:
    """บันทึกข้อความ: ส่วนราชการ, ที่, วันที่, เรื่อง, เรียน, the body and the preparing official's
    signature (the measures attached carry the endorsement and the approval)."""
    reference = report.settings.reference
    blocks: list[Block] = [
        paragraph(text(f"{F}.memo.heading"), "title", bold=True),
        _labelled(
            text(f"{F}.memo.office_label"),
            text(f"{F}.memo.office", unit=memo_unit(report), agency=report.agency),
        ),
        _labelled(
            text(f"{F}.memo.number_label"), f" {reference}" if reference else text(f"{F}.memo.number_blank")
        ),
        _labelled(text(f"{F}.memo.date_label"), f" {thai_date(report.settings.date)}"),
        _labelled(text(f"{F}.memo.subject_label"), text(f"{F}.memo.subject", plan_year=report.plan_year)),
        _labelled(text(f"{F}.memo.to_label"), f" {memo_addressee(report)}"),
        *(paragraph(p, indent=True) for p in memo_paragraphs(report)),
        Signatures(
            (
                Signer(
                    text("signatures.roles.prepared_by"),
                    _person_lines(report.settings.signers.get("prepared_by")),
                ),
            )
        ),
    ]
    return Section(tuple(blocks))


# --------------------------------------------------------------------------------------------------
# หลักการและเหตุผล, วัตถุประสงค์
# --------------------------------------------------------------------------------------------------


def _join(parts: list[str]) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return " ".join(parts[:-1]) + text("common.join_and") + parts[-1]


def principles_paragraphs(report: ReportInput) -> list[str]:
    """The ITA and its tools, this year's result and the measures it led to, then the results of
    the earlier years held and what last year's measures achieved, each only when known."""
    tools = _join([text(f"common.tools.{t.code}") for t in report.framework.tools])
    paragraphs = [
        text(f"{F}.principles.ita", tools=tools),
        text(
            f"{F}.principles.result",
            agency=report.agency,
            ita_year=report.ita_year,
            plan_year=report.plan_year,
            score=_overall_words(report, f"{F}.principles.score"),
        ),
    ]
    history = history_sentence(report)
    if history:
        paragraphs.append(history)
    paragraphs += past_measures(report)
    return paragraphs


def principles(report: ReportInput, heading: Heading) -> list[Block]:
    blocks: list[Block] = [
        heading(text(f"{F}.principles.heading")),
        *(paragraph(p, indent=True) for p in principles_paragraphs(report)),
    ]
    table = past_table(report)
    if table is not None:
        blocks += [paragraph(text(f"{F}.principles.past.table.intro"), indent=True), table]
    return blocks


def objective_lines(report: ReportInput) -> list[str]:
    return [
        text(f"{F}.objectives.items.{key}", ita_year=report.ita_year, agency=report.agency)
        for key in OBJECTIVES
    ]


def objectives(report: ReportInput, heading: Heading) -> list[Block]:
    return [
        heading(text(f"{F}.objectives.heading")),
        *(
            paragraph(text("common.numbered_line", number=n, text=line), indent=True)
            for n, line in enumerate(objective_lines(report), 1)
        ),
    ]


# --------------------------------------------------------------------------------------------------
# Earlier years
# --------------------------------------------------------------------------------------------------


def _earlier_level(year: int, overall: float, tools: dict[str, float]) -> str | None:
    """The level of an earlier year from its score, only where that year's cut-offs are confirmed
    (an estimated level is not stated: no note could say so for a year the document does not
    analyse)."""
    framework = load_frameworks().get(year)
    if framework is None:
        return None
    decision = level_for(framework, overall, tools)
    return decision.name if decision is not None and not decision.estimated else None


def history_sentence(report: ReportInput) -> str | None:
    """Each year's overall score and level, oldest first and this year last, with the trend when
    three years or more are held; None when no earlier year with an overall score is held or this
    year has no overall score (the document never says that something is missing here)."""
    changes = {c.key: c for c in report.analysis.trend}
    overall = changes.get("overall")
    if overall is None or report.results.overall.value is None:
        return None
    years = [(y, v) for y, v in overall.history if v is not None]
    if len(years) < 2 or years[-1][0] != report.ita_year:
        return None
    shown: list[tuple[int, str, str | None]] = []
    for year, value in years:
        if year == report.ita_year:
            shown.append((year, score_text(report.results.overall), level_name(report)))
            continue
        tools = {
            code: v
            for code in ("IIT", "EIT", "OIT")
            if (c := changes.get(code)) is not None
            for y, v in c.history
            if y == year and v is not None
        }
        shown.append((year, format_score(value), _earlier_level(year, value, tools)))
    # levels for every year or for none: this year's is stated in the paragraph before
    with_levels = all(level for _, _, level in shown)
    described = [
        text(
            f"{F}.principles.history_year",
            year=year,
            overall=score,
            level=text(f"{F}.principles.history_level", level=f" {level}" if level.isascii() else level)
            if with_levels and level
            else "",
        )
        for year, score, level in shown
    ]
    first, last = years[0], years[-1]
    return text(
        f"{F}.principles.history",
        agency=report.agency,
        first=first[0],
        last=last[0],
        years=_join(described),
        trend=_trend(years),
    )


def _trend(years: list[tuple[int, float]]) -> str:
    """Over three years or more: up every year, down every year, or the last against the first."""
    if len(years) < 3:
        return ""
    values = [round(v, 2) for _, v in years]
    steps = [b - a for a, b in pairwise(values)]
    if all(s > 0 for s in steps):
        return text(f"{F}.principles.trend_up")
    if all(s < 0 for s in steps):
        return text(f"{F}.principles.trend_down")
    delta = values[-1] - values[0]
    (first, _), (last, _) = years[0], years[-1]
    if delta == 0:
        return text(f"{F}.principles.trend_same", first=first, last=last)
    key = "trend_higher" if delta > 0 else "trend_lower"
    return text(f"{F}.principles.{key}", first=first, last=last, delta=format_score(abs(delta)))


def past_measures(report: ReportInput) -> list[str]:
    """What last year's measures achieved, as paragraphs of หลักการและเหตุผล, from the plan's record
    of them (its ``past`` block, written by ``prongsai plan --previous --progress``): how many were
    done, in progress, postponed, cancelled, how the items they answered moved between the two
    assessments against the pass mark, and which of them this plan holds again (the measures it
    holds, not prongsai's suggestions: the plan is what is signed). No record: no sentence,
    never one saying that nothing is known."""
    past = report.plan.past
    if past is None or not past.measures:
        return []

    def say(key: str, /, **params: object) -> str:
        return text(f"{F}.principles.past.{key}", **params)

    done, scores = past_sentences(report.framework, past, report.agency, report.ita_year, say, rows=False)
    again = continued(past, report.plan)
    if again:
        titles = [say("title", title=m.title) for m in again]
        scores.append(
            say(
                "continued",
                plan_year=report.plan_year,
                agency=report.agency,
                count=len(again),
                measures=join_list(titles),
            )
        )
    return [" ".join(part for part in sentences if part) for sentences in (done, scores) if sentences]


def _past_item_name(item: PastItem, before_year: int) -> str:
    """'ตัวชี้วัดที่ 8', 'ข้อ e1', 'ข้อ e4 (ปี 2566 ข้อ e6)', or 'ข้อ o37 (ปี 2566)' for an item the
    cross-year map does not follow to this year."""

    def say(key: str, /, **params: object) -> str:
        return text(f"{F}.principles.past.table.{key}", **params)

    number = indicator_number(item.code_then)
    if number is not None:
        return say("indicator", number=number)
    if item.code is None:
        return say("no_counterpart", code_then=item.code_then, year=before_year)
    if item.code != item.code_then:
        return say("renumbered", code=item.code, code_then=item.code_then, year=before_year)
    return say("item", code=item.code)


def past_table(report: ReportInput) -> Table | None:
    """Each of last year's measures: its result at the end of its plan year, and each item it
    answered that has a score in either year, with both scores ('-' where there is none)."""
    past = report.plan.past
    if past is None or not past.measures:
        return None

    def say(key: str, /, **params: object) -> str:
        return text(f"{F}.principles.past.table.{key}", **params)

    def score(value: float | None) -> str:
        return text("common.no_score") if value is None else format_score(value)

    rows = []
    for number, measure in enumerate(past.measures, 1):
        result = [status_th(cast(Status, measure.status))]
        if measure.status in ("in_progress", "postponed", "cancelled") and measure.percent:
            result.append(say("percent", percent=measure.percent))
        items = [i for i in measure.items if i.before is not None or i.after is not None]
        rows.append(
            Row(
                (
                    cell(str(number)),
                    cell(measure.title),
                    cell(*result),
                    cell(*[_past_item_name(i, past.ita_year) for i in items] or [say("none")]),
                    cell(*[score(i.before) for i in items] or [""]),
                    cell(*[score(i.after) for i in items] or [""]),
                )
            )
        )
    keys = ("number", "measure", "result", "items", "before", "after")
    years = {"before": past.ita_year, "after": report.ita_year}
    header = Row(tuple(cell(say(f"columns.{k}", year=years.get(k)), bold=True, align="center") for k in keys))
    columns = (
        Column(0.85, "center"),
        Column(3.1),
        Column(1.75),
        Column(2.75),
        Column(1.15, "center"),
        Column(1.15, "center"),
    )
    return Table(
        "past_measures", columns, (header,), tuple(rows), caption=say("caption", plan_year=past.plan_year)
    )


def shows(report: ReportInput) -> frozenset[Shown]:
    """The figures the frame states (for the closing note): the overall score and the level."""
    if report.results.overall.value is None:
        return frozenset()
    return frozenset({"overall", "level"})


# --------------------------------------------------------------------------------------------------
# การติดตามและรายงานผล
# --------------------------------------------------------------------------------------------------


def website(report: ReportInput) -> str | None:
    """The address as given, with 'https://' before one that holds digits but neither 'www.' nor
    a scheme, so that the document's digit style leaves it as written."""
    address = report.settings.website
    if not address:
        return None
    if any(c.isdigit() for c in address) and "://" not in address and not address.startswith("www."):
        return f"https://{address}"
    return address


def monitoring_paragraphs(report: ReportInput) -> tuple[str, list[str], list[str]]:
    """The introduction, the reports (one line each) and what follows them (next year's measures,
    the website where the document is published)."""
    rounds = [
        text(
            f"{F}.monitoring.round",
            name=r.name,
            start=thai_date(r.start),
            end=thai_date(r.end),
            due=thai_date(r.due),
        )
        for r in report_rounds(report.plan_year)
    ]
    after = [text(f"{F}.monitoring.next_year", next_year=report.plan_year + 1)]
    address = website(report)
    if address:
        after.append(text(f"{F}.monitoring.website", agency=report.agency, website=address))
    return text(f"{F}.monitoring.intro", agency=report.agency), rounds, after


def monitoring(report: ReportInput, heading: Heading) -> list[Block]:
    intro, rounds, after = monitoring_paragraphs(report)
    return [
        heading(text(f"{F}.monitoring.heading")),
        paragraph(intro, indent=True),
        *(
            paragraph(text("common.numbered_line", number=n, text=line), indent=True)
            for n, line in enumerate(rounds, 1)
        ),
        *(paragraph(p, indent=True) for p in after),
    ]
