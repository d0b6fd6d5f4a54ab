"""Drafting a measures plan from the analysis, and re-drafting it without losing people's edits.

Pure functions over frozen objects. Templates, unit names and default texts come from the catalog
(catalog/measures.yaml, units.yaml, plan_defaults.yaml). See docs/plan-format.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, is_dataclass, replace
from typing import Literal

from prongsai.agency import Agency, Words, fill_words, words_of
from prongsai.analysis import Analysis, Entry
from prongsai.catalog import issue_grouping
from prongsai.catalog.measures import Template, role_names, templates
from prongsai.crosswalk import Crosswalk, load_crosswalk
from prongsai.errors import InputError
from prongsai.framework import Framework
from prongsai.plancheck import field_where, plan_text_problems, plan_year_problems
from prongsai.problems import Location
from prongsai.timeframe import TimeframeStyle, timeframe_text

Priority = Literal["weak", "improve", "maintain"]
EDITABLE = (
    "kind",
    "title",
    "steps",
    "owner",
    "co_owners",
    "quarters",
    "timeframe",
    "follow_up",
    "output",
    "target",
    "budget",
    "legal_basis",
)
# fields added after plan files were first written: a plan whose 'drafted' block does not record
# them counts them as edited only when they hold something
LATER_FIELDS = ("target", "budget", "legal_basis")


@dataclass(frozen=True)
class Budget:
    """งบประมาณ of a measure: an amount in baht and where it comes from, or none at all. Nothing
    stated (the draft of a measure that needs the agency's ordinary budget) prints the catalog's
    wording for the ordinary budget (docs/plan-format.md)."""

    amount: int | None = None  # whole baht
    source: str = ""  # e.g. เทศบัญญัติงบประมาณรายจ่ายประจำปี พ.ศ. 2569
    none: bool = False  # ไม่ใช้งบประมาณ

    @property
    def stated(self) -> bool:
        return self.none or self.amount is not None or bool(self.source)


@dataclass(frozen=True)
class Measure:
    id: str
    template: str | None  # None for a measure a person added
    issue: int | None
    indicator: int | None
    answers: tuple[str, ...]
    priority: Priority
    kind: str
    title: str
    steps: tuple[str, ...]
    owner: str
    co_owners: tuple[str, ...]
    quarters: tuple[int, int]
    timeframe: str
    follow_up: str
    output: str
    target: str = ""  # ค่าเป้าหมาย, from the template only where it states one
    budget: Budget = Budget()
    legal_basis: tuple[str, ...] = ()  # keys of catalog/legal.yaml
    drafted: Mapping[str, str] = field(default_factory=dict)  # fingerprint of each field as drafted

    @property
    def by_person(self) -> bool:
        return self.template is None or not self.drafted

    def edited_fields(self) -> list[str]:
        if self.by_person:
            return []
        return [name for name in EDITABLE if self._edited(name)]

    def _edited(self, name: str) -> bool:
        value = getattr(self, name)
        if name in LATER_FIELDS and name not in self.drafted:
            return bool(value != _EMPTY[name])
        return fingerprint(value) != self.drafted.get(name)


_EMPTY: Mapping[str, object] = {"target": "", "budget": Budget(), "legal_basis": ()}


Suggestion = Literal["continue", "strengthen", "keep", "review"]
SUGGESTIONS: tuple[Suggestion, ...] = ("continue", "strengthen", "keep", "review")


@dataclass(frozen=True)
class PastItem:
    """An item (or indicator, ``indN``) a measure of last year's plan answered: its code in last
    year's ITA, its code this year (None where the cross-year map does not know it), and its score
    in both years (None: no score)."""

    code_then: str
    code: str | None
    before: float | None
    after: float | None


@dataclass(frozen=True)
class PastMeasure:
    """What became of one measure of last year's plan (carryforward.py), and what prongsai suggests
    doing with it in this plan (docs/plan-format.md); people may change the suggestion."""

    id: str
    title: str
    status: str  # a key of progress.STATUSES as of the last day of last year's plan year
    percent: int
    items: tuple[PastItem, ...]
    suggestion: Suggestion


@dataclass(frozen=True)
class Past:
    """Last year's plan as carried out: its plan year and ITA year, and each of its measures."""

    plan_year: int
    ita_year: int
    measures: tuple[PastMeasure, ...]


@dataclass(frozen=True)
class Plan:
    agency: Agency
    ita_year: int
    plan_year: int
    grouping: Literal["issues", "indicators"]
    timeframe_style: TimeframeStyle
    measures: tuple[Measure, ...]
    limitations: tuple[str, ...]
    suggestions: tuple[str, ...]
    drafted_ids: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    drafted_texts: Mapping[str, str] = field(default_factory=dict)
    past: Past | None = None  # last year's measures, when the plan was drafted with them


@dataclass(frozen=True)
class PlanChange:
    kind: Literal["added", "updated", "kept_edit", "removed", "kept_unneeded", "skipped_removed"]
    measure: str
    fields: tuple[str, ...] = ()


def _plain(value: object) -> object:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return list(value) if isinstance(value, Iterable) else str(value)


def fingerprint(value: object) -> str:
    """A short, stable digest of a field's value, to tell later whether a person changed it."""
    data = json.dumps(value, ensure_ascii=False, sort_keys=True, default=_plain)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:10]


# --------------------------------------------------------------------------------------------------
# Choosing templates
# --------------------------------------------------------------------------------------------------


def answers_in(template: Template, year: int, crosswalk: Crosswalk) -> frozenset[str]:
    """Items of ``year`` a template answers: those it names for that year, plus the same questions
    named for other years, followed through the cross-year item map."""
    codes = set(template.items.get(year, ()))
    for other_year, other_codes in template.items.items():
        if other_year == year:
            continue
        for code in other_codes:
            member = crosswalk.counterpart(other_year, code, year)
            if member is not None:
                codes.add(member.code)
    return frozenset(codes)


def choose_templates(
    framework: Framework, analysis: Analysis, pool: Sequence[Template], crosswalk: Crosswalk
) -> list[tuple[Template, Priority, tuple[str, ...]]]:
    """Templates for the weak items first (most valuable first), then the rest.

    Every item below the pass mark gets a measure that answers it (by the template's item list,
    followed across years through the cross-year map). An item no template answers (a year whose
    questions are not held, e.g. 2567) gets a measure of its indicator, listed as answering the
    indicator (``indN``), never the item: a measure is said to answer only what its template
    answers, and its ``answers`` name every weak item it answers. An indicator below the pass mark
    without item scores gets one by indicator; then each indicator still without a measure gets an
    improvement measure (passed but not full), a keep-the-standard one (full), or, with no score at
    all, an improvement measure. Among candidates a general template beats a specific one (one kind
    of service), then the one answering most open targets wins, then the narrowest, then one whose
    main indicator is the target's.
    """
    year = framework.ita_year
    answers = {t.id: answers_in(t, year, crosswalk) for t in pool}
    chosen: dict[str, Template] = {}
    picks: list[tuple[Template, Priority, list[str]]] = []

    def candidates(
        number: int | None, wanted: set[str], maintain: bool, *, answering: bool = False
    ) -> Template | None:
        best: tuple[tuple[int, int, int, int, int, int], Template] | None = None
        for order, template in enumerate(pool):
            if template.id in chosen or template.maintain != maintain:
                continue
            hits = len(wanted & answers[template.id])
            in_indicator = number is not None and number in template.indicators
            if not hits and (answering or not in_indicator):
                continue
            main = number is not None and template.indicators[0] == number
            narrow = -len(answers[template.id]) if hits else 0  # a narrow template fits a named item best
            score = (int(hits > 0), int(not template.specific), hits, narrow, int(main), -order)
            if best is None or score > best[0]:
                best = (score, template)
        return best[1] if best else None

    measured: set[int] = set()  # indicators that already have a measure aimed at them

    def pick(template: Template, priority: Priority, targets: Iterable[str], indicator: int | None) -> None:
        chosen[template.id] = template
        picks.append((template, priority, list(dict.fromkeys(targets))))
        if indicator is not None:
            measured.add(indicator)

    def answering(code: str) -> list[str] | None:
        """The targets of the measure already chosen that answers ``code``."""
        return next((targets for t, _, targets in picks if code in answers[t.id]), None)

    weak = [e for e in analysis.by_gain() if e.status == "below"]
    weak_keys = [e.key for e in weak]
    for entry in weak:
        targets = answering(entry.key)
        if targets is not None:
            if entry.key not in targets:
                targets.append(entry.key)
            continue
        template = candidates(entry.indicator, {entry.key}, maintain=False, answering=True)
        number = entry.indicator
        if template is None and number is not None:  # no template answers the item: its indicator
            marker = f"ind{number}"
            if any(marker in tg for _, _, tg in picks):
                continue
            existing = next((tg for t, p, tg in picks if p == "weak" and number in t.indicators), None)
            if existing is not None:  # the indicator's measure already chosen answers it too
                existing.append(marker)
                continue
            siblings = {e.key for e in weak if e.indicator == number}
            template = candidates(number, siblings, maintain=False)
            if template is not None:
                hit = [k for k in weak_keys if k in answers[template.id] and answering(k) is None]
                pick(template, "weak", [marker, *hit], number)
            continue
        if template is not None:
            hit = [k for k in weak_keys if k in answers[template.id] and answering(k) is None]
            pick(template, "weak", hit, number)

    for entry in analysis.weak_indicators:
        number = entry.indicator
        assert number is not None
        if number not in measured:
            template = candidates(number, set(), maintain=False)
            if template is not None:
                pick(template, "weak", [entry.key], number)

    for entry in sorted(analysis.indicators, key=lambda e: e.rank):
        number = entry.indicator
        assert number is not None
        if number in measured:
            continue
        if entry.status == "full":
            template = candidates(number, set(), maintain=True) or candidates(number, set(), maintain=False)
            if template is not None:
                pick(template, "maintain", [entry.key], number)
            continue
        open_items = {e.key for e in analysis.items if e.indicator == number and e.status == "pass"}
        template = candidates(number, open_items, maintain=False)
        if template is not None:
            hit = sorted(open_items & answers[template.id])
            pick(template, "improve", hit or [entry.key], number)

    for indicator in framework.indicators:  # no score at all (seed 004 prints none): improve anyway
        if indicator.number not in measured:
            template = candidates(indicator.number, set(), maintain=False)
            if template is not None:
                pick(template, "improve", [f"ind{indicator.number}"], indicator.number)
    return [(t, p, tuple(targets)) for t, p, targets in picks]


# --------------------------------------------------------------------------------------------------
# Drafting
# --------------------------------------------------------------------------------------------------


def _issue_of(framework: Framework, template: Template, targets: Sequence[str]) -> int | None:
    grouping = issue_grouping()
    for code in targets:
        issues = grouping.issues_of(framework.ita_year, code)
        if issues:
            return issues[0]
    return template.issues[0] if template.issues else None


def _indicator_of(framework: Framework, template: Template, targets: Sequence[str]) -> int | None:
    for code in targets:
        if code.startswith("ind"):
            return int(code[3:])
        if code in framework.items_by_code and (number := framework.item(code).indicator) is not None:
            return number
    return template.indicators[0] if template.indicators else None


def _unit(units: Mapping[str, str], role: str) -> str:
    """The agency's unit for a role, else the catalog's generic name of the role."""
    return units.get(role) or role_names().get(role, role)


def _owners(template: Template, units: Mapping[str, str], words: Words) -> tuple[str, tuple[str, ...]]:
    """The owner and co-owners as printed: a measure every division carries out is owned by all of
    them with the clerk's office coordinating, which then is not named again as a co-owner."""
    if template.owner != "all_units":
        return _unit(units, template.owner), tuple(_unit(units, role) for role in template.co_owners)
    roles = {role: _unit(units, role) for role in ("all_units", "clerk_office")}
    owner = fill_words("{term.all_units_owner}", words, roles)
    return owner, tuple(_unit(units, role) for role in template.co_owners if role != "clerk_office")


def draft_measure(
    framework: Framework,
    template: Template,
    priority: Priority,
    targets: Sequence[str],
    units: Mapping[str, str],
    plan_year: int,
    style: TimeframeStyle,
    words: Words | None = None,
) -> Measure:
    """A measure from a template, its texts in the words of the agency's kind (neutral words when
    ``words`` is not given) and its units'."""
    words = words if words is not None else words_of(Agency(""))
    named = {role: _unit(units, role) for role in role_names()}

    def fill(text: str) -> str:
        return fill_words(text, words, named)

    owner, co_owners = _owners(template, units, words)
    measure = Measure(
        id=template.id,
        template=template.id,
        issue=_issue_of(framework, template, targets),
        indicator=_indicator_of(framework, template, targets),
        answers=tuple(targets),
        priority=priority,
        kind=template.kind,
        title=fill(template.title),
        steps=tuple(fill(step) for step in template.steps),
        owner=owner,
        co_owners=co_owners,
        quarters=template.quarters,
        timeframe=timeframe_text(template.quarters, plan_year, style),
        follow_up=fill(template.follow_up),
        output=fill(template.output),
        target=fill(template.target),
        budget=Budget(none=True) if template.budget == "none" else Budget(),
        legal_basis=template.legal_basis,
    )
    return replace(measure, drafted={name: fingerprint(getattr(measure, name)) for name in EDITABLE})


def draft_plan(
    framework: Framework,
    analysis: Analysis,
    agency: Agency,
    units: Mapping[str, str],
    *,
    plan_year: int | None = None,
    grouping: Literal["issues", "indicators"] = "issues",
    style: TimeframeStyle = "months",
    limitations: Sequence[str] = (),
    suggestions: Sequence[str] = (),
    pool: Sequence[Template] | None = None,
) -> Plan:
    """A fresh plan from the catalogs, in the words of the agency's kind (catalog/terms.yaml): its
    placeholders are filled here, and templates of local government only are left out for other
    agencies. A plan year that does not fit the ITA year, or a text that the plan file would refuse
    (an agency name from the results, a unit name), is refused here, so that every plan the program
    writes reads back."""
    year = plan_year if plan_year is not None else framework.ita_year + 1
    problems = plan_year_problems(year, framework.ita_year, Location(field="plan_year"))
    if problems:
        raise InputError(problems)
    words = words_of(agency)
    usable = [t for t in (pool if pool is not None else templates()) if words.local or not t.local_only]
    picks = choose_templates(framework, analysis, usable, load_crosswalk())
    measures = tuple(
        draft_measure(framework, t, p, targets, units, year, style, words) for t, p, targets in picks
    )
    named = {role: _unit(units, role) for role in role_names()}
    limitations = [fill_words(text, words, named) for text in limitations]
    suggestions = [fill_words(text, words, named) for text in suggestions]
    plan = Plan(
        agency=agency,
        ita_year=framework.ita_year,
        plan_year=year,
        grouping=grouping,
        timeframe_style=style,
        measures=measures,
        limitations=tuple(limitations),
        suggestions=tuple(suggestions),
        drafted_ids=tuple(m.id for m in measures),
        drafted_texts={
            "limitations": fingerprint(list(limitations)),
            "suggestions": fingerprint(list(suggestions)),
        },
    )
    problems = plan_text_problems(plan, field_where)
    if problems:
        raise InputError(problems)
    return plan


def uncovered_weak_items(plan: Plan, analysis: Analysis) -> list[Entry]:
    """Items below the pass mark that no measure answers, neither by the item nor by its indicator
    (the measure an item gets when no template answers it)."""
    answered = {code for m in plan.measures for code in m.answers}
    return [e for e in analysis.weak_items if e.key not in answered and f"ind{e.indicator}" not in answered]


# --------------------------------------------------------------------------------------------------
# Re-drafting: keep every edit a person made
# --------------------------------------------------------------------------------------------------


_TOGETHER = ("quarters", "timeframe")  # the text says what the quarters say: kept or renewed as one


def _merge_measure(old: Measure, new: Measure) -> tuple[Measure, list[str], list[str]]:
    """New draft values for fields the person left alone, the person's values for fields they edited.
    Quarters and timeframe go together: an edit of either keeps both, so that a new draft's quarters
    never sit under the person's timeframe text (the plan file refuses a contradiction)."""
    edited = old.edited_fields()
    kept = set(edited) | (set(_TOGETHER) if set(_TOGETHER) & set(edited) else set())
    values = {name: getattr(old if name in kept else new, name) for name in EDITABLE}
    refreshed = [n for n in EDITABLE if n not in kept and fingerprint(getattr(old, n)) != new.drafted[n]]
    merged = replace(new, **values, drafted=dict(new.drafted))
    return merged, edited, refreshed


def redraft(old: Plan, new: Plan) -> tuple[Plan, list[PlanChange]]:
    """Combine a fresh draft with an edited plan: edits, removals and additions by people survive,
    and so does the record of last year's measures unless the fresh draft brings a new one."""
    changes: list[PlanChange] = []
    fresh = {m.id: m for m in new.measures}
    removed_by_person = set(old.removed) | (set(old.drafted_ids) - {m.id for m in old.measures})
    result: list[Measure] = []
    for measure in old.measures:
        if measure.by_person:
            result.append(measure)
            continue
        if measure.id in fresh:
            merged, edited, refreshed = _merge_measure(measure, fresh[measure.id])
            result.append(merged)
            if edited:
                changes.append(PlanChange("kept_edit", measure.id, tuple(edited)))
            if refreshed:
                changes.append(PlanChange("updated", measure.id, tuple(refreshed)))
        elif measure.edited_fields():
            result.append(measure)
            changes.append(PlanChange("kept_unneeded", measure.id, tuple(measure.edited_fields())))
        else:
            changes.append(PlanChange("removed", measure.id))
    present = {m.id for m in result}
    for measure in new.measures:
        if measure.id in present:
            continue
        if measure.id in removed_by_person:
            changes.append(PlanChange("skipped_removed", measure.id))
            continue
        result.append(measure)
        changes.append(PlanChange("added", measure.id))

    def texts(name: Literal["limitations", "suggestions"]) -> tuple[str, ...]:
        mine = getattr(old, name)
        edited = fingerprint(list(mine)) != old.drafted_texts.get(name)
        return tuple(mine) if edited else tuple(getattr(new, name))

    plan = replace(
        new,
        measures=tuple(result),
        limitations=texts("limitations"),
        suggestions=texts("suggestions"),
        drafted_ids=tuple(m.id for m in new.measures),
        removed=tuple(sorted(removed_by_person)),
        grouping=old.grouping,
        timeframe_style=old.timeframe_style,
        past=new.past if new.past is not None else old.past,
    )
    return plan, changes
