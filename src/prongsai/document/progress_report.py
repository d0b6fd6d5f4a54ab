"""The progress report: what became of a plan's measures at 6 or 12 months (docs/progress-report.md).

:func:`build_progress_report` is a pure function of the plan, its progress (progress.py), the
settings, the round and the day it reports as of; it returns a :class:`~prongsai.document.model.Document`
that the existing renderers lay out (DOCX, HTML, PDF) and :mod:`prongsai.document.progress_export`
writes as a workbook. The document:

- a cover **บันทึกข้อความ** to the executive: the measures announced for the plan year, how many,
  what the round found, and the ask (to acknowledge it and publish it on the agency's website),
  signed by the preparer;
- the **report**: its title, named after the OIT item of the next assessment that it answers
  (:func:`oit_item`), with the round's period; a sentence naming that item; a summary table with a
  totals row and a chart of measures by status; each measure's result; problems and suggestions
  gathered from the updates; what follows; the signatures (ผู้รายงาน, ผู้ตรวจสอบ, the executive's
  ทราบ);
- after the signatures, outside what is signed, one note when the item named is not confirmed for
  the year (the year's framework is not held, or holds no such item, or is provisional).

Every wording is in ``catalog/progress_report.yaml`` (this module's :func:`say`), the memo's labels
and the signature lines in ``catalog/document.yaml``; words of the agency's kind come through
``{term.…}`` placeholders, and every digit is written in one style at the end (build.with_digits).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from prongsai.agency import Words, fill_words
from prongsai.catalog.progress import status_th
from prongsai.crosswalk import load_crosswalk
from prongsai.document.build import agency_words_and_units, with_digits
from prongsai.document.frame import Round, report_rounds
from prongsai.document.model import (
    Block,
    Chart,
    Column,
    Document,
    Figure,
    Paragraph,
    Row,
    Run,
    Section,
    Series,
    Signatures,
    Signer,
    Table,
    _map_text,
    cell,
    paragraph,
)
from prongsai.document.parts import measure_budget
from prongsai.document.settings import Person, ReportSettings
from prongsai.document.texts import TextCatalog, agency_words, current_words, text
from prongsai.framework import load_frameworks
from prongsai.planning import Measure, Plan
from prongsai.progress import (
    PERIODS,
    Evidence,
    MeasureState,
    Period,
    Progress,
    Status,
    start_date,
    states,
    totals,
)
from prongsai.thai import format_score
from prongsai.timeframe import thai_date

LAYOUT = "progress-report"
SUMMARY_TABLE = "progress-summary"
# The order a report counts the states in: what is done first
REPORT_ORDER: tuple[Status, ...] = ("done", "in_progress", "not_started", "postponed", "cancelled")
ROLES = ("prepared_by", "endorsed_by", "approved_by")  # ผู้รายงาน, ผู้ตรวจสอบ, the executive


# --------------------------------------------------------------------------------------------------
# Wording
# --------------------------------------------------------------------------------------------------


TEXTS = TextCatalog("progress_report.yaml")
raw_text = TEXTS.raw
say = TEXTS.text


# --------------------------------------------------------------------------------------------------
# The round, the OIT item, the title
# --------------------------------------------------------------------------------------------------


def round_of(plan_year: int, period: Period) -> Round:
    """The 6- or 12-month round of the plan year (frame.report_rounds: names and dates in the catalog)."""
    return report_rounds(plan_year)[PERIODS.index(period)]


@dataclass(frozen=True)
class OitItem:
    """The OIT item a progress report answers: of ITA year ``ita_year`` (the plan year's next), or,
    when that year's framework is not held or holds no such item, of ``item_year``."""

    code: str  # as the framework writes it: 'o28'
    name: str | None  # without the year its published name ends with
    ita_year: int
    item_year: int
    provisional: bool  # the framework of item_year is provisional
    unconfirmed: str | None = None  # why the item is not that of ita_year: 'not_held', 'no_member'

    @property
    def shown_code(self) -> str:
        """As the documents print it: O28."""
        return self.code.upper()


def oit_item(plan_year: int) -> OitItem | None:
    """The item the report of ``plan_year`` answers: the progress report of plan year P is published
    in fiscal year P and assessed by the OIT of ITA year P+1 (crosswalk concept ``title.item_concept``).
    Without a member of that year held, the member of the latest year before it, else the earliest
    after it; None when the concept has no member in any framework held."""
    ita_year = plan_year + 1
    frameworks = load_frameworks()
    concept = next((c for c in load_crosswalk().concepts if c.id == raw_text("title.item_concept")), None)
    members = [m for m in concept.members if m.year in frameworks] if concept else []
    if not members:
        return None
    exact = next((m for m in members if m.year == ita_year), None)
    earlier = [m for m in members if m.year < ita_year]
    chosen = exact or (max(earlier, key=lambda m: m.year) if earlier else min(members, key=lambda m: m.year))
    framework = frameworks[chosen.year]
    item = framework.items_by_code.get(chosen.code)
    name = re.sub(raw_text("title.item_year"), "", item.text_th).strip() if item and item.text_th else None
    unconfirmed = None if exact else ("no_member" if ita_year in frameworks else "not_held")
    return OitItem(chosen.code, name or None, ita_year, chosen.year, framework.provisional, unconfirmed)


def report_title(item: OitItem | None) -> str:
    """The item's name when it is a report's title, 'รายงานผล' + the name of the work it names
    otherwise, the catalog's title without an item."""
    if item is None or item.name is None:
        return say("title.default")
    if item.name.startswith(raw_text("title.report_prefix")):
        return item.name
    return say("title.from_work", name=item.name)


def item_notes(item: OitItem | None) -> list[str]:
    """What the closing note says of the item named: why it is not that year's, and a provisional
    framework."""
    if item is None:
        return []
    params = {"code": item.shown_code, "ita_year": item.ita_year, "item_year": item.item_year}
    sentences = [say(f"note.{item.unconfirmed}", **params)] if item.unconfirmed else []
    if item.provisional:
        sentences.append(say("note.provisional", **params))
    return sentences


# --------------------------------------------------------------------------------------------------
# The report's inputs
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressReportInput:
    plan: Plan
    progress: Progress
    settings: ReportSettings
    period: Period
    as_of: dt.date  # updates dated after it are left out

    @property
    def round(self) -> Round:
        return round_of(self.plan.plan_year, self.period)

    @property
    def date(self) -> dt.date:
        """The document's date: the settings' or --date when given, else the round's due date."""
        return self.settings.date if self.settings.date_from is not None else self.round.due

    @property
    def agency(self) -> str:
        return self.plan.agency.name

    def states(self) -> tuple[MeasureState, ...]:
        return states(self.plan, self.progress, self.as_of)


def report_input(
    plan: Plan,
    progress: Progress,
    settings: ReportSettings,
    period: Period,
    as_of: dt.date | None = None,
) -> ProgressReportInput:
    """The inputs, ``as_of`` defaulting to the round's last day (31 March, 30 September)."""
    return ProgressReportInput(
        plan, progress, settings, period, as_of or round_of(plan.plan_year, period).end
    )


def words(plan: Plan) -> tuple[Words, dict[str, str]]:
    """The words of the plan's agency and its units."""
    return agency_words_and_units(plan.agency)


def default_thai_digits(plan: Plan) -> bool:
    """Thai digits for local government, as the published documents write them; Arabic for others."""
    return words(plan)[0].thai_digits


# --------------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------------


def _join(parts: Sequence[str]) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return raw_text("counts.join").join(parts[:-1]) + raw_text("counts.last") + parts[-1]


def counts_sentence(found: Sequence[MeasureState]) -> str:
    """'ดำเนินการแล้วเสร็จ 5 มาตรการ อยู่ระหว่างดำเนินการ 7 มาตรการ และยังไม่ได้ดำเนินการ 3 มาตรการ'."""
    counted = totals(found)
    return _join([say(f"counts.{s}", count=counted[s]) for s in REPORT_ORDER if counted[s]])


def _numbers(numbers: Sequence[int]) -> str:
    return raw_text("report.numbers_join").join(str(n) for n in numbers)


def _unit(report: ProgressReportInput) -> str:
    return report.settings.unit or current_words()[1]["legal"]


def _addressee(report: ProgressReportInput) -> str:
    approver = report.settings.signers.get("approved_by")
    if approver and approver.position:
        return approver.position
    return current_words()[0].terms.get("executive", "")


def _labelled(label: str, value: str) -> Paragraph:
    return Paragraph((Run(label, bold=True), Run(value)), "body", "left")


def _person_lines(person: Person | None) -> tuple[str, ...]:
    return (
        text("signatures.name_line", name=person.name)
        if person and person.name
        else text("signatures.blank_name"),
        person.position if person and person.position else text("signatures.blank_position"),
    )


def _overdue(found: Sequence[MeasureState]) -> list[int]:
    return [n for n, s in enumerate(found, 1) if s.overdue]


# --------------------------------------------------------------------------------------------------
# The cover บันทึกข้อความ
# --------------------------------------------------------------------------------------------------


def memo_paragraphs(report: ProgressReportInput, found: Sequence[MeasureState]) -> list[str]:
    rnd = report.round
    late = _overdue(found)
    address = report.settings.website
    request = (
        say("memo.request_website", agency=report.agency, website=address)
        if address
        else say("memo.request", agency=report.agency)
    )
    return [
        say("memo.background", agency=report.agency, plan_year=report.plan.plan_year, count=len(found)),
        say(
            "memo.facts",
            unit=_unit(report),
            round=rnd.name,
            start=thai_date(rnd.start),
            end=thai_date(rnd.end),
            as_of=thai_date(report.as_of),
            counts=counts_sentence(found),
            overdue=say("memo.overdue", count=len(late)) if late else "",
        ),
        request,
    ]


def memo(report: ProgressReportInput, found: Sequence[MeasureState]) -> Section:
    reference = report.settings.reference
    blocks: list[Block] = [
        paragraph(text("frame.memo.heading"), "title", bold=True),
        _labelled(
            text("frame.memo.office_label"),
            text("frame.memo.office", unit=_unit(report), agency=report.agency),
        ),
        _labelled(
            text("frame.memo.number_label"), f" {reference}" if reference else text("frame.memo.number_blank")
        ),
        _labelled(text("frame.memo.date_label"), f" {thai_date(report.date)}"),
        _labelled(
            text("frame.memo.subject_label"),
            say("memo.subject", plan_year=report.plan.plan_year, round=report.round.name),
        ),
        _labelled(text("frame.memo.to_label"), f" {_addressee(report)}"),
        *(paragraph(p, indent=True) for p in memo_paragraphs(report, found)),
        Signatures(
            (
                Signer(
                    say("signatures.roles.prepared_by"),
                    (
                        text("signatures.sign_line", role=say("signatures.roles.prepared_by")),
                        *_person_lines(report.settings.signers.get("prepared_by")),
                    ),
                ),
            )
        ),
    ]
    return Section(tuple(blocks))


# --------------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------------


def period_line(report: ProgressReportInput) -> str:
    rnd = report.round
    return say(
        "title.period",
        plan_year=report.plan.plan_year,
        round=rnd.name,
        start=thai_date(rnd.start),
        end=thai_date(rnd.end),
    )


def item_sentence(report: ProgressReportInput, item: OitItem | None) -> str:
    common = {"plan_year": report.plan.plan_year, "agency": report.agency, "round": report.round.name}
    if item is None or item.name is None:
        return say("report.answers_no_item", **common)
    return say("report.answers_item", **common, code=item.shown_code, item=item.name, ita_year=item.ita_year)


def summary_table(report: ProgressReportInput, found: Sequence[MeasureState]) -> Table:
    """ลำดับ, มาตรการ, ผู้รับผิดชอบ, กำหนดแล้วเสร็จ, สถานะ (เกินกำหนด under it), ร้อยละ; a totals row."""
    keys = ("number", "title", "owner", "due", "status", "percent")
    header = Row(tuple(cell(say(f"report.columns.{k}"), bold=True, align="center") for k in keys))
    rows = []
    for n, state in enumerate(found, 1):
        status = [status_th(state.status)] + ([say("report.overdue_mark")] if state.overdue else [])
        rows.append(
            Row(
                (
                    cell(str(n)),
                    cell(state.measure.title),
                    cell(state.measure.owner),
                    cell(thai_date(state.due)),
                    cell(*status),
                    cell(str(state.percent)),
                )
            )
        )
    counted = totals(found)
    status_lines = [
        say("report.total_status", status=status_th(s), count=counted[s]) for s in REPORT_ORDER if counted[s]
    ]
    if counted["overdue"]:
        status_lines.append(say("report.total_overdue", count=counted["overdue"]))
    average = counted["average_percent"]
    total = Row(
        (
            cell(say("report.total_row", count=len(found)), bold=True, align="center", colspan=3),
            cell(*status_lines, bold=True, align="left", colspan=2),
            cell(format_score(average) if average is not None else text("common.no_score"), bold=True),
        ),
        kind="total",
    )
    columns = (
        Column(0.8, "center"),
        Column(3.4),
        Column(2.1),
        Column(1.45, "center"),
        Column(1.6),
        Column(0.95, "center"),
    )
    return Table(
        SUMMARY_TABLE,
        columns,
        (header,),
        (*rows, total),
        caption=say("report.table_caption", as_of=thai_date(report.as_of)),
    )


def status_figure(report: ProgressReportInput, found: Sequence[MeasureState]) -> Figure:
    """Horizontal bars, one per status, counting the measures in it."""
    counted = totals(found)
    chart = Chart(
        key="statuses",
        kind="hbar",
        title=say("report.chart_title"),
        categories=tuple(status_th(s) for s in REPORT_ORDER),
        series=(Series(say("report.chart_series"), tuple(float(counted[s]) for s in REPORT_ORDER)),),
        value_label=say("report.chart_value_label"),
        scale="count",
    )
    return Figure(chart, say("report.figure_caption", as_of=thai_date(report.as_of)), width_cm=14.0)


def _budget_line(measure: Measure, used: int | None) -> str:
    planned = measure.budget.amount
    if used is not None and planned:
        share = format_score(used * 100 / planned)
        return say("report.budget_used_of", used=f"{used:,}", planned=f"{planned:,}", share=share)
    if used is not None:
        return say("report.budget_used", used=f"{used:,}")
    return say("report.budget_planned", text=measure_budget(measure))


def _evidence_line(number: int, item: Evidence) -> str:
    shown = (
        say("report.evidence_where", text=item.description, where=item.where)
        if item.where
        else item.description
    )
    return say("report.evidence_line", number=number, text=shown)


def owners(measure: Measure) -> str:
    """'งานประชาสัมพันธ์ สำนักปลัดเทศบาล ร่วมกับกองคลัง และกองการศึกษา'."""
    if not measure.co_owners:
        return measure.owner
    return say("report.owner_with", owner=measure.owner, others=_join(measure.co_owners))


def measure_lines(state: MeasureState, plan_year: int, as_of: dt.date) -> list[str]:
    """A measure's result: owner, timeframe and due date, status, what was done (or that its
    timeframe has not begun), outputs against the plan's, budget, why postponed or cancelled,
    evidence."""
    m = state.measure
    status = status_th(state.status)
    lines = [
        say("report.owner", text=owners(m)),
        say("report.timeframe", timeframe=m.timeframe, due=thai_date(state.due)),
        say(
            "report.status_overdue" if state.overdue else "report.status",
            status=status,
            percent=state.percent,
        ),
    ]
    done = state.latest_with("done")
    if done:
        lines.append(say("report.done", text=done))
    elif not state.updates:
        start = start_date(m, plan_year)
        later = start > as_of
        lines.append(say("report.done_not_yet" if later else "report.done_none", start=thai_date(start)))
    if m.output:
        lines.append(say("report.planned_output", text=m.output))
    if m.target:
        lines.append(say("report.target", text=m.target))
    outputs = state.latest_with("outputs")
    if outputs:
        lines.append(say("report.outputs", text=outputs))
    lines.append(_budget_line(m, state.budget_used))
    latest = state.latest
    if latest is not None and state.status in ("postponed", "cancelled") and latest.reason:
        lines.append(say(f"report.reason_{state.status}", text=latest.reason))
    if latest is not None and state.status == "postponed" and latest.until:
        lines.append(say("report.until", date=thai_date(latest.until)))
    if latest is not None and latest.note:
        lines.append(say("report.note", text=latest.note))
    evidence = state.evidence
    if evidence:
        lines.append(say("report.evidence_heading"))
        lines += [_evidence_line(n, e) for n, e in enumerate(evidence, 1)]
    return lines


def gathered(found: Sequence[MeasureState], name: str) -> list[tuple[str, list[int]]]:
    """Each distinct text of an update field (problems, suggestions) with the numbers of the measures
    that reported it, in the order first reported."""
    out: dict[str, list[int]] = {}
    for n, state in enumerate(found, 1):
        for update in state.updates:
            value = " ".join(str(getattr(update, name)).split())
            if value and n not in out.setdefault(value, []):
                out[value].append(n)
    return list(out.items())


def _gathered_blocks(found: Sequence[MeasureState], name: str) -> list[Block]:
    items = gathered(found, name)
    if not items:
        return [paragraph(say(f"report.{name}_none"), indent=True)]
    return [
        paragraph(
            text(
                "common.numbered_line",
                number=n,
                text=say("report.of_measures", text=value, numbers=_numbers(numbers)),
            ),
            indent=True,
        )
        for n, (value, numbers) in enumerate(items, 1)
    ]


def next_paragraphs(report: ProgressReportInput) -> list[str]:
    """What follows the round: the 12-month report (after 6 months), next year's measures (after
    12), and the website."""
    if report.period == 6:
        later = round_of(report.plan.plan_year, 12)
        found = [
            say(
                "report.next_six",
                round=later.name,
                start=thai_date(later.start),
                end=thai_date(later.end),
                due=thai_date(later.due),
            )
        ]
    else:
        found = [say("report.next_twelve", next_year=report.plan.plan_year + 1)]
    if report.settings.website:
        found.append(say("report.website", agency=report.agency, website=report.settings.website))
    return found


def report_signatures(report: ProgressReportInput) -> Signatures:
    """ผู้รายงาน and ผู้ตรวจสอบ, then the executive's ทราบ: names and positions from the settings,
    dotted lines where they leave them out; the executive dates it when signing."""
    signers = []
    for role in ROLES:
        label = say(f"signatures.roles.{role}")
        lines = [
            text("signatures.sign_line", role=label),
            *_person_lines(report.settings.signers.get(role)),
        ]
        if role == "approved_by":
            lines = [say("signatures.acknowledged"), *lines, say("signatures.date_blank")]
        signers.append(Signer(label, tuple(lines)))
    return Signatures(tuple(signers))


def report_section(
    report: ProgressReportInput, found: Sequence[MeasureState], item: OitItem | None
) -> Section:
    blocks: list[Block] = [
        paragraph(report_title(item), "title", bold=True),
        paragraph(period_line(report), "subtitle", bold=True),
        paragraph(say("title.of_agency", agency=report.agency), "subtitle"),
        paragraph(item_sentence(report, item), indent=True),
        paragraph(say("report.summary_heading"), "heading1", bold=True),
        paragraph(
            say(
                "report.summary",
                as_of=thai_date(report.as_of),
                count=len(found),
                counts=counts_sentence(found),
                average=format_score(totals(found)["average_percent"] or 0.0),
            ),
            indent=True,
        ),
    ]
    late = _overdue(found)
    if late:
        blocks.append(paragraph(say("report.overdue", count=len(late), numbers=_numbers(late)), indent=True))
    blocks += [summary_table(report, found), status_figure(report, found)]
    blocks.append(paragraph(say("report.measures_heading"), "heading1", bold=True))
    for n, state in enumerate(found, 1):
        blocks.append(
            paragraph(
                say("report.measure_heading", number=n, title=state.measure.title), "heading2", bold=True
            )
        )
        # left-aligned: a web address does not stretch the Thai before it across the line
        blocks += [
            paragraph(line, indent=True, align="left")
            for line in measure_lines(state, report.plan.plan_year, report.as_of)
        ]
    blocks.append(paragraph(say("report.problems_heading"), "heading1", bold=True))
    blocks += _gathered_blocks(found, "problems")
    blocks.append(paragraph(say("report.suggestions_heading"), "heading1", bold=True))
    blocks += _gathered_blocks(found, "suggestions")
    blocks.append(paragraph(say("report.next_heading"), "heading1", bold=True))
    blocks += [paragraph(p, indent=True) for p in next_paragraphs(report)]
    blocks.append(report_signatures(report))
    notes = item_notes(item)
    if notes:
        blocks.append(Paragraph((Run(text("common.note", text=" ".join(notes))),), "note"))
    return Section(tuple(blocks))


def build_progress_report(
    plan: Plan,
    progress: Progress,
    settings: ReportSettings,
    period: Period,
    as_of: dt.date | None = None,
    *,
    thai_digits: bool | None = None,
) -> Document:
    """The whole report in the agency's words; every digit Thai when ``thai_digits``, Arabic when
    False, the agency's kind's default when None (Thai for local government)."""
    report = report_input(plan, progress, settings, period, as_of)
    agency_words_, units = words(plan)
    thai = default_thai_digits(plan) if thai_digits is None else thai_digits
    with agency_words(agency_words_, units):
        found = report.states()
        item = oit_item(plan.plan_year)
        document = Document(
            layout=LAYOUT,
            title=f"{report_title(item)} {period_line(report)}",
            agency=report.agency,
            ita_year=plan.ita_year,
            plan_year=plan.plan_year,
            date_text=thai_date(report.date),
            sections=(memo(report, found), report_section(report, found, item)),
            estimated=bool(item_notes(item)),
            page_label=text("common.page_label"),
        )
    filled = _map_text(document, lambda value: fill_words(value, agency_words_, units, strict=False))
    return with_digits(filled, thai)
