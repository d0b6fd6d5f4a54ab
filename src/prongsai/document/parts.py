"""Pieces every layout shares: the report's inputs, scores as printed, groups of items with their
measures, findings, charts, limitations and signatures.

Pure functions of :class:`ReportInput`; all wording comes from ``catalog/document.yaml`` (through
:func:`prongsai.document.texts.text`) and the other catalogs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import count

from prongsai.analysis import Analysis, Entry
from prongsai.catalog import Finding, ItemText, issue_grouping, item_texts
from prongsai.document.model import (
    Block,
    Chart,
    Figure,
    Paragraph,
    Series,
    Signatures,
    Signer,
    paragraph,
)
from prongsai.document.settings import ROLES, ReportSettings
from prongsai.document.texts import text
from prongsai.framework import Framework
from prongsai.framework_notes import parts_text
from prongsai.narrative import indicator_paragraph
from prongsai.planning import Measure, Plan
from prongsai.results import Results, Score
from prongsai.thai import format_score
from prongsai.timeframe import thai_date


@dataclass(frozen=True)
class Group:
    """An issue (ประเด็น) or an indicator, with the items it lists and the measures that answer it."""

    key: str  # "issue3", "ind8" or "extra"
    number: int | None
    name: str
    heading: str
    codes: tuple[str, ...]
    measures: tuple[Measure, ...]


@dataclass(frozen=True)
class ReportInput:
    framework: Framework
    results: Results
    analysis: Analysis
    plan: Plan
    settings: ReportSettings = field(default_factory=ReportSettings)

    @property
    def agency(self) -> str:
        return self.results.agency.name

    @property
    def ita_year(self) -> int:
        return self.results.ita_year

    @property
    def plan_year(self) -> int:
        return self.plan.plan_year

    @cached_property
    def entries(self) -> dict[str, Entry]:
        return {e.key: e for e in self.analysis.items}

    @cached_property
    def texts(self) -> dict[str, ItemText]:
        return dict(item_texts(self.ita_year))

    @property
    def by_issues(self) -> bool:
        """Issue layouts group by the seven issues when the plan does and the year has them."""
        return self.plan.grouping == "issues" and self.ita_year in issue_grouping().members

    @property
    def estimated(self) -> bool:
        """Some printed figure was computed with a rule the NACC has not confirmed."""
        scores = [self.results.overall, *self.results.tools.values(), *self.results.indicators.values()]
        level = self.results.level
        if any(code in self.results.estimated_items for code in self.entries):
            return True  # an item score printed was computed from raw answers
        return any(s.is_computed and s.estimated for s in scores) or (level.given is None and level.estimated)

    @property
    def computed(self) -> bool:
        scores = [self.results.overall, *self.results.tools.values(), *self.results.indicators.values()]
        return any(s.is_computed and not s.estimated for s in scores)


# --------------------------------------------------------------------------------------------------
# Scores and items as printed
# --------------------------------------------------------------------------------------------------


def score_text(score: Score | None) -> str:
    """'92.13', with * when computed by an unconfirmed rule and † when computed by a confirmed one."""
    if score is None or score.value is None:
        return text("common.no_score")
    mark = ""
    if score.is_computed:
        mark = text("common.estimate_star") if score.estimated else text("common.computed_mark")
    return format_score(score.value) + mark


def item_score(report: ReportInput, entry: Entry | None) -> str:
    """An item's score, with * when it was computed from raw answers by an unconfirmed rule."""
    if entry is None:
        return text("common.no_score")
    mark = text("common.estimate_star") if entry.key in report.results.estimated_items else ""
    return format_score(entry.score) + mark


def item_line(report: ReportInput, code: str) -> str:
    """'i1 เจ้าหน้าที่ของหน่วยงาน...' or 'ข้อ o12' when the year's wording is not held."""
    wording = report.framework.item(code).text_th
    if wording:
        return text("common.item_line", code=code, text=wording)
    return text("common.item_code_only", code=code)


def status_word(status: str | None, *, long: bool = False) -> str:
    if status is None:
        return text("common.no_score")
    return text(f"common.{'status_long' if long else 'status'}.{status}")


def score_status(report: ReportInput, value: float | None) -> str | None:
    if value is None:
        return None
    if value < report.framework.pass_mark:
        return "below"
    return "full" if value >= 100 else "pass"


def level_text(report: ReportInput) -> tuple[str | None, bool]:
    """The level to print and whether it is an estimate."""
    level = report.results.level
    return level.value, level.given is None and level.estimated


def provisional_note(report: ReportInput) -> str:
    """The one note a document on a provisional year carries ('' for other years)."""
    framework = report.framework
    if not framework.provisional:
        return ""
    return text("common.provisional_note", year=framework.ita_year, parts=parts_text(framework, "th"))


def notes(report: ReportInput) -> list[Paragraph]:
    """Footnotes explaining * (estimate) and † (computed) when the document uses them, and how
    items were placed under indicators when no document of the year says so."""
    out = []
    framework = report.framework
    if not framework.provisional and any(
        item.indicator is not None and not item.indicator_confirmed for item in framework.items
    ):
        out.append(paragraph(text("common.grouping_note", year=framework.ita_year), "note"))
    if report.estimated:
        out.append(paragraph(text("common.estimate_note"), "note"))
    if report.computed:
        out.append(paragraph(text("common.computed_note"), "note"))
    return out


# --------------------------------------------------------------------------------------------------
# Groups: issues or indicators, with their items and measures
# --------------------------------------------------------------------------------------------------


def groups(report: ReportInput, *, by_issues: bool | None = None) -> list[Group]:
    """Issues (when the plan groups by issue and the year has the grouping) or indicators, each with
    the items of this year listed under it and the plan's measures for it; measures that fit no
    group come last under 'มาตรการเพิ่มเติม'."""
    framework, plan = report.framework, report.plan
    use_issues = report.by_issues if by_issues is None else by_issues
    out: list[Group] = []
    placed: set[str] = set()
    if use_issues:
        members = issue_grouping().members.get(report.ita_year, {})
        for issue in issue_grouping().issues:
            codes = tuple(c for c in members.get(issue.number, ()) if c in framework.items_by_code)
            measures = tuple(m for m in plan.measures if m.issue == issue.number)
            heading = text("common.issue_heading", number=issue.number, name=issue.name_th)
            out.append(Group(f"issue{issue.number}", issue.number, issue.name_th, heading, codes, measures))
    else:
        for ind in framework.indicators:
            codes = tuple(i.code for i in framework.items_of(ind.number))
            measures = tuple(m for m in plan.measures if m.indicator == ind.number)
            heading = text("common.indicator_heading", number=ind.number, name=ind.name_th)
            out.append(Group(f"ind{ind.number}", ind.number, ind.name_th, heading, codes, measures))
    for group in out:
        placed.update(m.id for m in group.measures)
    extra = tuple(m for m in plan.measures if m.id not in placed)
    if extra:
        name = text("common.extra_group")
        out.append(Group("extra", None, name, name, (), extra))
    return out


def scored(report: ReportInput, codes: Iterable[str]) -> list[str]:
    """The codes that have a score, in the order given."""
    return [c for c in codes if c in report.entries]


def _finding(report: ReportInput, code: str) -> Finding | None:
    """The catalog's finding for an item at the status it scored; None without score or text."""
    entry = report.entries.get(code)
    item_text = report.texts.get(code)
    return None if entry is None or item_text is None else item_text.by_status[entry.status]


def item_finding(report: ReportInput, code: str) -> str | None:
    found = _finding(report, code)
    return found.finding if found else None


def item_recommendation(report: ReportInput, code: str) -> str | None:
    found = _finding(report, code)
    return found.recommendation if found else None


def _unique(values: Iterable[str | None]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return list(seen)


def group_findings(report: ReportInput, codes: Sequence[str], limit: int = 3) -> list[str]:
    """Findings of the items that are not full, weakest first; the keep-the-standard line when all
    are full; nothing when none of the items has a score."""
    open_items = sorted(
        (report.entries[c] for c in scored(report, codes) if report.entries[c].status != "full"),
        key=lambda e: e.score,
    )
    if not scored(report, codes):
        return []
    found = _unique(item_finding(report, e.key) for e in open_items)[:limit]
    return found or [text("common.maintain_finding")]


def indicator_advice(report: ReportInput, number: int, limit: int = 2) -> list[str]:
    """What to fix in an indicator: recommendations of its open items, weakest first; without item
    texts (a year whose findings are not held) the indicator's narrative paragraph."""
    codes = [i.code for i in report.framework.items_of(number)]
    open_items = sorted(
        (report.entries[c] for c in scored(report, codes) if report.entries[c].status != "full"),
        key=lambda e: e.score,
    )
    advice = _unique(item_recommendation(report, e.key) for e in open_items)[:limit]
    if advice:
        return advice
    indicator = report.results.indicators.get(number)
    if report.texts or indicator is None or indicator.value is None:
        return [text("common.indicator_maintain")]
    return [indicator_paragraph(report.framework, report.results, report.analysis, number).text]


# --------------------------------------------------------------------------------------------------
# Measures as printed
# --------------------------------------------------------------------------------------------------


def measure_steps(measure: Measure) -> tuple[str, ...]:
    return tuple(text("common.step_line", number=n, text=s) for n, s in enumerate(measure.steps, 1))


def measure_owner(measure: Measure) -> tuple[str, ...]:
    return (measure.owner, *measure.co_owners)


def measure_follow_up(measure: Measure) -> str:
    return measure.follow_up or text("common.follow_up_default")


def numbered(lines: Sequence[str]) -> list[Paragraph]:
    return [paragraph(text("common.numbered_line", number=n, text=line)) for n, line in enumerate(lines, 1)]


def closing(
    report: ReportInput, limitations_heading: Paragraph | None, suggestions_heading: Paragraph | None = None
) -> list[Block]:
    """Limitations and suggestions (those given a heading), notes on estimates, the signatures, and
    after them the note on a provisional year's framework."""
    blocks: list[Block] = []
    if limitations_heading is not None and report.plan.limitations:
        blocks += [limitations_heading, *numbered(report.plan.limitations)]
    if suggestions_heading is not None and report.plan.suggestions:
        blocks += [suggestions_heading, *numbered(report.plan.suggestions)]
    blocks += notes(report)
    blocks.append(signatures(report))
    if report.framework.provisional:  # about the framework, not the agency: outside what is signed
        blocks.append(paragraph(provisional_note(report), "note"))
    return blocks


def subheading(title: str) -> Paragraph:
    return paragraph(title, "heading2", bold=True)


def signatures(report: ReportInput) -> Signatures:
    """ผู้จัดทำ, ผู้เห็นชอบ, ผู้อนุมัติ with names and positions from the settings, dotted lines
    where the settings leave them out; the approver's block carries the document date."""
    signers = []
    for role in ROLES:
        person = report.settings.signers.get(role)
        label = text(f"signatures.roles.{role}")
        lines = [
            text("signatures.sign_line", role=label),
            text("signatures.name_line", name=person.name)
            if person and person.name
            else text("signatures.blank_name"),
            person.position if person and person.position else text("signatures.blank_position"),
        ]
        if role == "approved_by":
            lines.append(text("signatures.date_line", date=thai_date(report.settings.date)))
        signers.append(Signer(label, tuple(lines)))
    return Signatures(tuple(signers))


# --------------------------------------------------------------------------------------------------
# Charts: the same data for every format
# --------------------------------------------------------------------------------------------------


class FigureNumbers:
    """Numbers figures in the order a layout places them."""

    def __init__(self) -> None:
        self._next = count(1)

    def next(self) -> int:
        return next(self._next)


class SectionNumbers:
    """Numbers headings '1. ...', '2. ...' in the order a layout places them, so that a part left
    out (no scores to show) leaves no gap."""

    def __init__(self) -> None:
        self._next = count(1)

    def heading(self, title: str) -> Paragraph:
        return paragraph(
            text("common.section_number", number=next(self._next), title=title), "heading1", bold=True
        )


def indicators_figure(report: ReportInput, numbers: FigureNumbers) -> Figure | None:
    framework, results = report.framework, report.results
    values = tuple(s.value if (s := results.indicators.get(i.number)) else None for i in framework.indicators)
    if all(v is None for v in values):
        return None
    mark = f"{framework.pass_mark:g}"
    chart = Chart(
        key="indicators",
        kind="hbar",
        title=text("charts.indicators_title", year=report.ita_year),
        categories=tuple(
            text("common.indicator_line", number=i.number, name=i.name_th) for i in framework.indicators
        ),
        series=(Series(text("charts.series"), values),),
        value_label=text("charts.score_axis"),
        threshold=framework.pass_mark,
        threshold_label=text("charts.pass_line", mark=mark),
    )
    return Figure(chart, text("charts.indicators_caption", number=numbers.next(), mark=mark))


def tools_figure(report: ReportInput, numbers: FigureNumbers) -> Figure | None:
    framework, results = report.framework, report.results
    names = [t.code for t in framework.tools]
    values = [s.value if (s := results.tools.get(t.code)) else None for t in framework.tools]
    if all(v is None for v in values):
        return None
    chart = Chart(
        key="tools",
        kind="bar",
        title=text("charts.tools_title", year=report.ita_year),
        categories=(*names, text("charts.overall_category")),
        series=(Series(text("charts.series"), (*values, results.overall.value)),),
        value_label=text("charts.score_axis"),
        threshold=framework.pass_mark,
        threshold_label=text("charts.pass_line", mark=f"{framework.pass_mark:g}"),
    )
    return Figure(chart, text("charts.tools_caption", number=numbers.next()), width_cm=13.0)


def trend_figure(report: ReportInput, numbers: FigureNumbers) -> Figure | None:
    """Overall and tool scores over the years the history covers; None without history."""
    changes = {c.key: c for c in report.analysis.trend}
    overall = changes.get("overall")
    if overall is None or len(overall.history) < 2:
        return None
    years = [y for y, _ in overall.history]
    series = [Series(text("charts.overall_series"), tuple(v for _, v in overall.history))]
    for tool in report.framework.tools:
        change = changes.get(tool.code)
        if change is not None and any(v is not None for _, v in change.history):
            series.append(Series(tool.code, tuple(v for _, v in change.history)))
    chart = Chart(
        key="trend",
        kind="line",
        title=text("charts.trend_title", first=years[0], last=years[-1]),
        categories=tuple(text("charts.year_category", year=y) for y in years),
        series=tuple(series),
        value_label=text("charts.score_axis"),
        threshold=report.framework.pass_mark,
        threshold_label=text("charts.pass_line", mark=f"{report.framework.pass_mark:g}"),
    )
    return Figure(chart, text("charts.trend_caption", number=numbers.next()), width_cm=14.0)


def present(*blocks: Block | None) -> list[Block]:
    return [b for b in blocks if b is not None]


def location_line(report: ReportInput) -> str | None:
    agency = report.results.agency
    parts = []
    if agency.district:
        parts.append(text("common.district", name=agency.district))
    if agency.province:
        parts.append(text("common.province", name=agency.province))
    return " ".join(parts) or None
