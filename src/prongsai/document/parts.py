"""Pieces every layout shares: the report's inputs, scores as printed, groups of items with their
measures, findings, charts, limitations, signatures and the closing note.

Pure functions of :class:`ReportInput`; all wording comes from ``catalog/document.yaml`` (through
:func:`prongsai.document.texts.text`) and the other catalogs.

The rule on what prongsai is unsure of (docs/rubric.md): the official text, everything up to the
signatures, states every figure plainly, given or computed, with no mark and no qualifier; one
closing note after the signatures (:func:`closing_note`) says which figures the document shows were
computed, on which rules no official document confirms, and what a provisional framework leaves
open. ``prongsai report`` tells the clerk the same on standard error (:func:`figure_notes`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import count
from typing import Literal

from prongsai.analysis import Analysis, Entry
from prongsai.catalog import Finding, ItemText, issue_grouping, item_texts
from prongsai.catalog.legal import cited_laws
from prongsai.document.model import (
    Block,
    Chart,
    Document,
    Figure,
    Paragraph,
    Run,
    Series,
    Signatures,
    Signer,
    paragraph,
)
from prongsai.document.settings import ROLES, ReportSettings
from prongsai.document.texts import text
from prongsai.framework import UNCONFIRMED_PARTS, Framework
from prongsai.framework_notes import parts_text
from prongsai.narrative import indicator_paragraph, summary_paragraph
from prongsai.planning import Measure, Plan
from prongsai.problems import label
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

    @cached_property
    def stated_results(self) -> Results:
        """The results as the official text states them: every figure plainly, none flagged as an
        estimate (the closing note says which are), for the narrative that the layouts reuse."""
        results = self.results
        return replace(
            results,
            indicators={n: replace(s, estimated=False) for n, s in results.indicators.items()},
            tools={code: replace(s, estimated=False) for code, s in results.tools.items()},
            overall=replace(results.overall, estimated=False),
            level=replace(results.level, estimated=False),
        )


# --------------------------------------------------------------------------------------------------
# Scores and items as printed
# --------------------------------------------------------------------------------------------------


def score_text(score: Score | None) -> str:
    """'92.13', given or computed alike: the closing note says which figures were computed."""
    if score is None or score.value is None:
        return text("common.no_score")
    return format_score(score.value)


def item_score(report: ReportInput, entry: Entry | None) -> str:
    """An item's score as printed, whether given or computed from raw answers (see the closing note)."""
    if entry is None:
        return text("common.no_score")
    return format_score(entry.score)


def item_subject(report: ReportInput, code: str) -> str | None:
    """What an item is about: the year's question wording, or where the year's wording is not
    held the subject the findings catalog gives the item; None when neither is known."""
    wording = report.framework.item(code).text_th
    if wording:
        return wording
    found = report.texts.get(code)
    return found.subject if found else None


def item_line(report: ReportInput, code: str) -> str:
    """'i1 เจ้าหน้าที่ของหน่วยงาน...' (:func:`item_subject`), or 'ข้อ o12' when nothing is known."""
    subject = item_subject(report, code)
    if subject:
        return text("common.item_line", code=code, text=subject)
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


def level_name(report: ReportInput) -> str | None:
    """The level the official text states: the agency's own result, or the one derived from its
    score (the closing note then says so)."""
    return report.results.level.value


def summary_text(report: ReportInput) -> str:
    """The narrative's summary paragraph with every figure stated plainly."""
    return summary_paragraph(report.framework, report.stated_results, report.analysis, report.plan_year).text


def indicator_text(report: ReportInput, number: int) -> str:
    """The narrative's paragraph on one indicator with every figure stated plainly."""
    return indicator_paragraph(report.framework, report.stated_results, report.analysis, number).text


# --------------------------------------------------------------------------------------------------
# The closing note: what the figures shown rest on, after the signatures
# --------------------------------------------------------------------------------------------------

Shown = Literal["items", "indicators", "tools", "overall", "level", "placement"]
# What a layout may show: item scores, indicator, tool and overall scores, the level, and items
# listed under their indicators ("placement": where the placement of items under indicators shows).
EVERYTHING: frozenset[Shown] = frozenset(("items", "indicators", "tools", "overall", "level", "placement"))


def provisional_note(report: ReportInput) -> str:
    """The note on a provisional year's framework, standing alone ('' for other years)."""
    sentence = _provisional_sentence(report)
    return text("common.note", text=sentence) if sentence else ""


def _provisional_sentence(report: ReportInput) -> str:
    framework = report.framework
    if not framework.provisional:
        return ""
    return text("common.note_provisional", year=framework.ita_year, parts=parts_text(framework, "th"))


def _estimated(score: Score) -> bool:
    return score.is_computed and score.estimated


def _unconfirmed_behind(report: ReportInput, shows: Collection[Shown]) -> list[str]:
    """The unconfirmed parts of the year (framework part names, in the framework's order) that the
    estimated scores shown rest on, through every score they were computed from."""
    framework, results = report.framework, report.results
    found: set[str] = set()
    tools: list[str] = []
    if "tools" in shows:
        tools += [code for code, s in results.tools.items() if _estimated(s)]
    if "overall" in shows and _estimated(results.overall):
        tools += [t.code for t in framework.tools if _estimated(results.tools[t.code])]
        found |= {"aggregation"} if not framework.overall_from_tools.rule.confirmed else set()
        found |= {"weights"} if not framework.weights_rule.confirmed else set()
    if tools and not framework.tool_from_indicators.rule.confirmed:
        found.add("aggregation")
    numbers = {i.number for code in tools for i in framework.indicators_of(code)}
    if "indicators" in shows:
        numbers |= set(results.indicators)
    for number in numbers:
        if not _estimated(results.indicators[number]):
            continue
        members = framework.items_of(number)
        if not framework.indicator_from_items[framework.indicator(number).tool].rule.confirmed:
            found.add("aggregation")
        if not all(item.indicator_confirmed for item in members):
            found.add("item_indicators")
    return [part for part in UNCONFIRMED_PARTS if part in found]


def _join(words: Sequence[str], joiner: str = "and") -> str:
    """'ก ข และค' but 'IIT และ OIT', or with another joining word from the catalog: Thai writes
    the joining word against a Thai word and leaves a space before a code or a number."""
    if len(words) <= 1:
        return "".join(words)
    last = words[-1]
    space = " " if last[:1].isascii() else ""
    return " ".join(words[:-1]) + text(f"common.join_{joiner}") + space + last


def _ranges(numbers: Iterable[int]) -> list[str]:
    """1 2 3 5 8 9 10 -> '1–3' '5' '8–10' (a run of two stays two numbers)."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    out: list[str] = []
    for run in runs:
        if len(run) >= 3:
            out.append(text("common.number_range", first=run[0], last=run[-1]))
        else:
            out += [str(n) for n in run]
    return out


def _figures(report: ReportInput, shows: Collection[Shown], *, estimated: bool) -> str:
    """'คะแนนตัวชี้วัดที่ 1–5 และ 8–10 รวมทั้งคะแนนเครื่องมือ IIT และ OIT': the scores shown that the
    results did not state and prongsai computed, by confirmed rules or (``estimated``) not."""
    results, framework = report.results, report.framework

    def picked(score: Score | None) -> bool:
        return score is not None and score.is_computed and score.estimated == estimated

    kinds: list[str] = []
    if "indicators" in shows:
        numbers = [i.number for i in framework.indicators if picked(results.indicators.get(i.number))]
        if numbers and len(numbers) == len(framework.indicators):
            kinds.append(text("common.figure_every_indicator"))
        elif numbers:
            kinds.append(text("common.figure_indicators", numbers=_join(_ranges(numbers))))
    if "tools" in shows:
        codes = [t.code for t in framework.tools if picked(results.tools.get(t.code))]
        if codes:
            kinds.append(text("common.figure_tools", codes=_join(codes)))
    if "overall" in shows and picked(results.overall):
        kinds.append(text("common.figure_overall"))
    return _join(kinds, "as_well_as")


def figure_notes(report: ReportInput, shows: Collection[Shown] = EVERYTHING) -> list[str]:
    """The sentences on figures of the closing note: the figures shown that the results did not
    state, how they were obtained and on which unconfirmed rules; [] when every figure shown is
    the agency's own. ``prongsai report`` prints them for the clerk too."""
    results = report.results
    out: list[str] = []
    computed = _figures(report, shows, estimated=False)
    if computed:
        out.append(text("common.note_computed", figures=computed))
    estimated = _figures(report, shows, estimated=True)
    if estimated:
        words = [label(f"framework_part_{part}", "th") for part in _unconfirmed_behind(report, shows)]
        if words:
            out.append(text("common.note_estimated", figures=estimated, rules=_join(words)))
        else:  # computed by confirmed rules from item scores that are themselves estimates
            out.append(text("common.note_estimated_inputs", figures=estimated))
    if "items" in shows and any(code in results.estimated_items for code in report.entries):
        out.append(text("common.note_item_scores"))
    level = results.level
    if "level" in shows and level.given is None and level.computed is not None:
        key = "note_level"
        if level.estimated:  # cut-offs not all confirmed, or an estimated overall score behind it
            cut_offs = any(not lv.rule.confirmed for lv in report.framework.levels)
            key = "note_level_estimated" if cut_offs else "note_level_from_estimates"
        out.append(text(f"common.{key}"))
    return out


def _framework_sentences(report: ReportInput, shows: Collection[Shown]) -> list[str]:
    """What the closing note says of the framework: a provisional year, and items placed under
    indicators by their content (where the layout lists items by indicator)."""
    framework = report.framework
    sentences = [_provisional_sentence(report)]
    placed = not framework.provisional and "item_indicators" in framework.unconfirmed_parts()
    if "placement" in shows and placed:
        sentences.append(text("common.note_grouping", year=framework.ita_year))
    return [s for s in sentences if s]


def closing_note_paragraph(report: ReportInput, shows: Collection[Shown] = EVERYTHING) -> Paragraph | None:
    """The one note after the signatures (None when there is nothing to say): what the framework
    leaves open, then the figures shown that prongsai computed (:func:`figure_notes`). One run
    per sentence, so that :func:`noted_figures` can read them back."""
    sentences = [*_framework_sentences(report, shows), *figure_notes(report, shows)]
    if not sentences:
        return None
    runs = [Run(text("common.note", text=""))]
    for n, sentence in enumerate(sentences):
        runs += [Run(" "), Run(sentence)] if n else [Run(sentence)]
    return Paragraph(tuple(runs), "note")


def closing_note(report: ReportInput, shows: Collection[Shown] = EVERYTHING) -> str:
    """The text of :func:`closing_note_paragraph` ('' when there is none)."""
    note = closing_note_paragraph(report, shows)
    return note.text if note else ""


def noted_figures(report: ReportInput, document: Document) -> list[str]:
    """The sentences on figures of the closing note of ``document`` (built from ``report`` with
    Arabic digits): what ``prongsai report`` repeats for the clerk, the framework's sentences
    being said by the framework warnings already."""
    said = set(_framework_sentences(report, EVERYTHING))
    after = list(document.blocks())[len(document.official_blocks()) :]
    runs = [r.text for b in after if isinstance(b, Paragraph) and b.style == "note" for r in b.runs[1:]]
    return [t for t in runs if t.strip() and t not in said]


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
    return [indicator_text(report, number)]


# --------------------------------------------------------------------------------------------------
# Measures as printed
# --------------------------------------------------------------------------------------------------


def measure_steps(measure: Measure) -> tuple[str, ...]:
    return tuple(text("common.step_line", number=n, text=s) for n, s in enumerate(measure.steps, 1))


def measure_owner(measure: Measure) -> tuple[str, ...]:
    return (measure.owner, *measure.co_owners)


def measure_follow_up(measure: Measure) -> str:
    return measure.follow_up or text("common.follow_up_default")


def measure_budget(measure: Measure) -> str:
    """'ไม่ใช้งบประมาณ', '20,000 บาท (เทศบัญญัติ...)', the source alone, or, with nothing stated,
    the catalog's wording for the agency's ordinary budget."""
    budget = measure.budget
    if budget.none:
        return text("common.budget_none")
    if budget.amount is not None:
        amount = f"{budget.amount:,}"
        if budget.source:
            return text("common.budget_amount_source", amount=amount, source=budget.source)
        return text("common.budget_amount", amount=amount)
    return budget.source or text("common.budget_regular")


def measure_legal_basis(measure: Measure) -> str | None:
    """'ดำเนินการตามพระราชบัญญัติ... พ.ศ. 2540 และ...' (catalog/legal.yaml), None without one."""
    cited = cited_laws(measure.legal_basis)
    return text("common.legal_basis", laws=_join(cited)) if cited else None


def measure_details(measure: Measure, *, follow_up: bool = True) -> tuple[str, ...]:
    """The lines printed under a measure's steps: its output and target, its budget, its
    follow-up (unless the layout gives it a column) and the laws it rests on."""
    lines = []
    if measure.output:
        lines.append(text("common.output_line", text=measure.output))
    if measure.target:
        lines.append(text("common.target_line", text=measure.target))
    lines.append(text("common.budget_line", text=measure_budget(measure)))
    if follow_up:
        lines.append(text("common.follow_up_line", text=measure_follow_up(measure)))
    legal = measure_legal_basis(measure)
    return (*lines, legal) if legal else tuple(lines)


def numbered(lines: Sequence[str]) -> list[Paragraph]:
    return [paragraph(text("common.numbered_line", number=n, text=line)) for n, line in enumerate(lines, 1)]


def closing(
    report: ReportInput,
    limitations_heading: Paragraph | None,
    suggestions_heading: Paragraph | None = None,
    *,
    shows: Collection[Shown] = EVERYTHING,
) -> list[Block]:
    """Limitations and suggestions (those given a heading) and the signatures: the end of the
    official text; after it, outside what is signed, the closing note on what the figures the
    layout ``shows`` rest on (:func:`closing_note`)."""
    blocks: list[Block] = []
    if limitations_heading is not None and report.plan.limitations:
        blocks += [limitations_heading, *numbered(report.plan.limitations)]
    if suggestions_heading is not None and report.plan.suggestions:
        blocks += [suggestions_heading, *numbered(report.plan.suggestions)]
    blocks.append(signatures(report))
    note = closing_note_paragraph(report, shows)
    if note is not None:
        blocks.append(note)
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
