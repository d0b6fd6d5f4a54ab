"""Thai narrative built deterministically from the numbers, the findings catalog and sentence patterns.

No Thai wording lives here: sentences come from catalog/narrative.yaml and catalog/findings-*.yaml.

Rules the sentences keep (docs/analysis.md): a judgement (pass, below, full) only where a score says
so; counts that are the counts of the items scored; every item named with what it is about; what the
results do not hold said once, in the summary; no points-to-gain in the prose (those stay in the
:class:`~prongsai.analysis.Analysis` and the analysis screen).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from prongsai.analysis import Analysis, Change, Entry
from prongsai.carryforward import direction, indicator_number, summarise
from prongsai.catalog import ItemText, issue_grouping, item_texts, narrative, pattern
from prongsai.framework import Framework
from prongsai.planning import Past, PastItem
from prongsai.results import Results, Score
from prongsai.thai import format_score, to_arabic_digits, to_thai_digits

STATUSES = ("full", "pass", "below")


@dataclass(frozen=True)
class Paragraph:
    key: str  # "summary", "ind8", "issue3"
    text: str


@dataclass(frozen=True)
class Members:
    """The scored items an indicator's paragraph describes.

    When some scored items of a tool are placed under no indicator (2567's OIT items o4-o35 belong
    to indicator 9 or 10, the year's documents do not say which), the tool's items are described
    together in the paragraph of its first indicator (``shared_with`` names the others), and the
    other indicators of the tool point there (``described_in``)."""

    entries: tuple[Entry, ...]
    shared_with: tuple[int, ...] = ()
    described_in: int | None = None


def _score(value: float) -> str:
    return format_score(value)


def _join(parts: Sequence[str], key: str = "list_and") -> str:
    """'ก ข และค': items separated by spaces, the last joined with 'และ'."""
    if len(parts) <= 1:
        return "".join(parts)
    return " ".join(parts[:-1]) + pattern(key) + parts[-1]


def join_list(parts: Sequence[str], *, numbers: bool = False) -> str:
    """Thai list of words ('ก ข และค') or of numbers ('9 และ 10')."""
    return _join(parts, "list_and_number" if numbers else "list_and")


def _list_limit() -> int:
    return int(narrative()["list_limit"])


def _sentences(parts: Sequence[str]) -> str:
    """Thai separates sentences with a space, not a full stop."""
    return " ".join(p.strip() for p in parts if p and p.strip())


def _digits(text: str, thai_digits: bool) -> str:
    """One digit style throughout, whatever the catalog texts were written with."""
    return to_thai_digits(text) if thai_digits else to_arabic_digits(text)


def _texts(framework: Framework) -> dict[str, ItemText]:
    return dict(item_texts(framework.ita_year))


def _indicator_ref(framework: Framework, number: int) -> str:
    return pattern("indicator_ref").format(number=number, name=framework.indicator(number).name_th)


def _tool_ref(framework: Framework, code: str) -> str:
    return pattern("tool_ref").format(name=framework.tool(code).name_th, code=code)


# --------------------------------------------------------------------------------------------------
# What an item is about, and which items an indicator's paragraph describes
# --------------------------------------------------------------------------------------------------


def item_subject(framework: Framework, code: str, texts: dict[str, ItemText] | None = None) -> str:
    """What an item is about, as an official names it: the findings catalog's subject (followed
    through the cross-year map for years without their own), else the year's question text, else
    the subject of its indicator, else of its tool."""
    texts = _texts(framework) if texts is None else texts
    if code in texts:
        return texts[code].subject
    item = framework.item(code)
    if item.text_th:
        return item.text_th
    if item.indicator is not None:
        return pattern("subject_of_indicator").format(name=framework.indicator(item.indicator).name_th)
    return pattern("subject_of_tool").format(name=_tool_ref(framework, item.tool))


def item_noun(framework: Framework, codes: Sequence[str]) -> str:
    tools = {framework.item(c).tool for c in codes}
    key = tools.pop() if len(tools) == 1 else "mixed"
    nouns = narrative()["noun"]
    return str(nouns.get(key, nouns["mixed"]))


def indicator_members(framework: Framework, analysis: Analysis, number: int) -> Members:
    indicator = framework.indicator(number)
    tool = indicator.tool
    unplaced = [e for e in analysis.items if e.indicator is None and framework.item(e.key).tool == tool]
    if not unplaced:
        return Members(tuple(e for e in analysis.items if e.indicator == number))
    numbers = tuple(i.number for i in framework.indicators_of(tool))
    first = min(numbers)
    if number != first:
        return Members((), (), first)
    pooled = tuple(
        e
        for e in analysis.items
        if framework.item(e.key).tool == tool and (e.indicator is None or e.indicator in numbers)
    )
    return Members(pooled, tuple(n for n in numbers if n != number))


def indicator_advice(framework: Framework, number: int, status: str) -> str:
    """What to do about an indicator that has a score but no item scores ('' when it is full)."""
    if status == "full":
        return ""
    name = framework.indicator(number).name_th
    advice = narrative()["indicator_advice"]
    if name in advice:
        return str(advice[name][status])
    return str(advice["other"][status]).format(name=name)


def _counts(entries: Sequence[Entry]) -> str:
    return _join(
        [
            pattern(f"indicator.count_{status}").format(count=n)
            for status in STATUSES
            if (n := sum(1 for e in entries if e.status == status))
        ]
    )


# --------------------------------------------------------------------------------------------------
# Items: one sentence group per finding, the full ones named or counted
# --------------------------------------------------------------------------------------------------


def _item_sentences(framework: Framework, entries: Sequence[Entry], texts: dict[str, ItemText]) -> list[str]:
    """Items not full, weakest first, each with what it is about, its score, the finding and what
    to do (items sharing subject and finding are written together); then the full items: their
    findings when all are full and few, named when some are and few, else only counted (by the
    caller)."""
    out: list[str] = []
    groups: dict[tuple[str, str, str, str], list[Entry]] = {}
    for entry in sorted((e for e in entries if e.status != "full"), key=lambda e: e.rank):
        text = texts.get(entry.key)
        found = text.by_status[entry.status] if text else None
        key = (
            entry.status,
            item_subject(framework, entry.key, texts),
            found.finding if found else entry.key,
            found.recommendation if found else "",
        )
        groups.setdefault(key, []).append(entry)
    for (status, subject, finding, recommendation), group in groups.items():
        members = sorted(group, key=lambda e: framework.item(e.key).number)
        first = members[0]
        if len(members) == 1:
            line = pattern(f"item.{status}").format(
                code=first.key, subject=subject, score=_score(first.score), gap=_score(first.gap_to_pass)
            )
        else:
            line = pattern(f"item.{status}_group").format(
                codes=_join([pattern("item_code").format(code=e.key) for e in members]),
                subject=subject,
                scores=_join([_score(e.score) for e in members], "list_and_number"),
                count=len(members),
            )
        parts = [line]
        if recommendation:
            parts += [finding, recommendation]
        elif first.indicator is not None:
            parts.append(indicator_advice(framework, first.indicator, status))
        out.append(_sentences(parts))
    full = [e for e in entries if e.status == "full"]
    if not full or len(full) > _list_limit():
        return out
    if len(full) == len(entries):
        seen: dict[str, None] = {}
        for e in full:
            text = texts.get(e.key)
            if text is not None:
                seen.setdefault(text.by_status["full"].finding, None)
        out += list(seen)
        return out
    by_subject: dict[str, list[str]] = {}
    for e in full:
        by_subject.setdefault(item_subject(framework, e.key, texts), []).append(
            pattern("item_code").format(code=e.key)
        )
    named = [f"{_join(codes)} {subject}" for subject, codes in by_subject.items()]
    out.append(pattern("item.full_group").format(items=_join(named)))
    return out


def _trend_sentence(change: Change | None) -> str:
    if change is None or change.change is None:
        return ""
    previous_year, previous = next((y, v) for y, v in reversed(change.history[:-1]) if v is not None)
    assert previous is not None
    if abs(change.change) < 0.005:
        return pattern("trend.same").format(previous_year=previous_year)
    key = "trend.up" if change.change > 0 else "trend.down"
    return pattern(key).format(
        previous_year=previous_year, previous=_score(previous), delta=_score(abs(change.change))
    )


# --------------------------------------------------------------------------------------------------
# Paragraphs
# --------------------------------------------------------------------------------------------------


def indicator_paragraph(
    framework: Framework, results: Results, analysis: Analysis, number: int, *, thai_digits: bool = False
) -> Paragraph:
    indicator = framework.indicator(number)
    entry = next((e for e in analysis.indicators if e.indicator == number), None)
    members = indicator_members(framework, analysis, number)
    items = list(members.entries)
    if entry is None and not items and members.described_in is None:
        text = pattern("indicator.no_score").format(number=number, name=indicator.name_th)
        return Paragraph(f"ind{number}", _digits(text, thai_digits))
    if entry is None:
        opening = pattern("indicator.opening_no_score").format(number=number, name=indicator.name_th)
    else:
        opening = pattern("indicator.opening").format(
            number=number, name=indicator.name_th, score=_score(entry.score)
        )
        opening += pattern(f"indicator.{entry.status}").format(
            mark=f"{framework.pass_mark:g}", gap=_score(entry.gap_to_pass)
        )
    parts = [opening, _trend_sentence(next((c for c in analysis.trend if c.key == f"ind{number}"), None))]
    if members.described_in is not None:
        parts.append(pattern("indicator.pool_see").format(number=members.described_in))
    elif items:
        noun = item_noun(framework, [e.key for e in items])
        all_full = all(e.status == "full" for e in items)
        if members.shared_with:
            refs = _join([_indicator_ref(framework, n) for n in (number, *members.shared_with)])
            key = "indicator.pool_all_full" if all_full else "indicator.pool_counted"
            parts.append(
                pattern(key).format(
                    noun=noun,
                    tool=_tool_ref(framework, indicator.tool),
                    indicators=refs,
                    count=len(items),
                    parts=_counts(items),
                )
            )
        else:
            key = "indicator.items_counted"
            if all_full:
                key = "indicator.items_all_full" if len(items) > 1 else "indicator.item_all_full"
            this = pattern("indicator.this") if entry is not None else ""
            parts.append(pattern(key).format(this=this, noun=noun, count=len(items), parts=_counts(items)))
        parts += _item_sentences(framework, items, _texts(framework))
    elif entry is not None:
        parts.append(indicator_advice(framework, number, entry.status))
    return Paragraph(f"ind{number}", _digits(_sentences(parts), thai_digits))


def issue_paragraph(
    framework: Framework, analysis: Analysis, number: int, *, thai_digits: bool = False
) -> Paragraph:
    grouping = issue_grouping()
    issue = next(i for i in grouping.issues if i.number == number)
    codes = grouping.members.get(framework.ita_year, {}).get(number, ())
    entries = [e for e in analysis.items if e.key in codes]
    if not entries:
        text = pattern("issue.no_items").format(number=number, name=issue.name_th)
        return Paragraph(f"issue{number}", _digits(text, thai_digits))
    opening = pattern("issue.opening").format(number=number, name=issue.name_th)
    key = "issue.items_all_full" if all(e.status == "full" for e in entries) else "issue.items_counted"
    opening += pattern(key).format(
        noun=item_noun(framework, [e.key for e in entries]), count=len(entries), parts=_counts(entries)
    )
    parts = [opening, *_item_sentences(framework, entries, _texts(framework))]
    return Paragraph(f"issue{number}", _digits(_sentences(parts), thai_digits))


def missing_scores(framework: Framework, results: Results, analysis: Analysis) -> str:
    """What the results do not hold, as one phrase ('คะแนนภาพรวม คะแนนของ... และ...'); '' when
    nothing is missing. The overall, tools, indicators and items, in that order."""
    parts = []
    if results.overall.value is None:
        parts.append(pattern("missing.overall"))
    tools = [t for t in framework.tools if (s := results.tools.get(t.code)) is None or s.value is None]
    if tools and len(tools) == len(framework.tools):
        parts.append(pattern("missing.tools_all"))
    elif tools:
        parts.append(
            pattern("missing.tools").format(tools=_join([_tool_ref(framework, t.code) for t in tools]))
        )
    scored = {e.indicator for e in analysis.indicators}
    indicators = [i.number for i in framework.indicators if i.number not in scored]
    if indicators and len(indicators) == len(framework.indicators):
        parts.append(pattern("missing.indicators_all"))
    elif indicators:
        refs = _join([_indicator_ref(framework, n) for n in indicators])
        parts.append(pattern("missing.indicators").format(indicators=refs))
    if not analysis.items:
        parts.append(pattern("missing.items"))
    return _join(parts, "list_also")


def has_scores(results: Results, analysis: Analysis) -> bool:
    """Whether the results hold any score at all."""
    return bool(
        results.overall.value is not None
        or analysis.items
        or analysis.indicators
        or any(s.value is not None for s in results.tools.values())
    )


def _best_worst(
    framework: Framework, results: Results, analysis: Analysis, mark_of: Callable[[Score], str]
) -> list[str]:
    """The highest and the lowest indicators, every one of them when several share the score;
    nothing when fewer than two indicators have a score or all have the same."""
    scores = [e.score for e in analysis.indicators]
    if len(scores) < 2 or _score(max(scores)) == _score(min(scores)):
        return []
    out = []
    for key, value in (("best", max(scores)), ("worst", min(scores))):
        tied = [e for e in analysis.indicators if _score(e.score) == _score(value)]
        numbers = sorted(e.indicator for e in tied if e.indicator is not None)
        marks = {mark_of(results.indicators[n]) for n in numbers}
        mark = marks.pop() if len(marks) == 1 else ""
        refs = _join([_indicator_ref(framework, n) for n in numbers])
        name = f"summary.{key}_tied" if len(numbers) > 1 else f"summary.{key}"
        out.append(pattern(name).format(indicators=refs, score=_score(value), mark=mark, count=len(numbers)))
    return out


def _weak_items_sentence(framework: Framework, analysis: Analysis, plan_year: int) -> str:
    weak = analysis.weak_items
    texts = _texts(framework)
    if len(weak) <= _list_limit():
        listed = [
            pattern("summary.weak_item").format(
                code=e.key, subject=item_subject(framework, e.key, texts), score=_score(e.score)
            )
            for e in weak
        ]
        return pattern("summary.weak_items").format(items=_join(listed), plan_year=plan_year)
    groups: dict[str, int] = {}
    for e in sorted(weak, key=lambda e: (e.indicator or 99, e.rank)):
        group = (
            _indicator_ref(framework, e.indicator)
            if e.indicator is not None
            else _tool_ref(framework, framework.item(e.key).tool)
        )
        groups[group] = groups.get(group, 0) + 1
    listed = [pattern("summary.weak_group").format(group=g, count=n) for g, n in groups.items()]
    return pattern("summary.weak_items_by_group").format(groups=_join(listed), plan_year=plan_year)


def summary_paragraph(
    framework: Framework, results: Results, analysis: Analysis, plan_year: int, *, thai_digits: bool = False
) -> Paragraph:
    agency = results.agency.name
    year = results.ita_year
    if not has_scores(results, analysis):
        text = pattern("summary.no_scores").format(year=year, agency=agency)
        return Paragraph("summary", _digits(text, thai_digits))
    missing = missing_scores(framework, results, analysis)
    overall = results.overall.value
    parts: list[str] = []
    if overall is None:
        parts.append(pattern("summary.opening_no_overall").format(year=year, agency=agency, missing=missing))
    else:
        first = pattern("summary.opening").format(year=year, agency=agency, overall=_score(overall))
        level = results.level
        if level.value:
            estimated = level.given is None and level.estimated
            name = f" {level.value}" if level.value.isascii() else level.value  # "ระดับ A" but "ระดับผ่าน"
            first += pattern("summary.level_estimated" if estimated else "summary.level").format(level=name)
        first += pattern("summary.passed" if overall >= framework.pass_mark else "summary.failed").format(
            mark=f"{framework.pass_mark:g}"
        )
        parts.append(first)
        if missing:
            parts.append(pattern("summary.missing").format(missing=missing))
    parts.append(_trend_sentence(next((c for c in analysis.trend if c.key == "overall"), None)))

    def mark(score: Score) -> str:
        """Computed with an unconfirmed rule: say so next to the number."""
        return pattern("estimate_mark") if score.is_computed and score.estimated else ""

    tools = [
        pattern("summary.tool").format(
            name=_tool_ref(framework, t.code), score=_score(v), mark=mark(results.tools[t.code])
        )
        for t in framework.tools
        if (v := results.tools[t.code].value) is not None
    ]
    if tools:
        parts.append(pattern("summary.tools").format(tools=_join(tools)))
    parts += _best_worst(framework, results, analysis, mark)
    items = analysis.items
    if items:
        counts = {s: sum(1 for e in items if e.status == s) for s in STATUSES}
        if counts["full"] == len(items):
            parts.append(pattern("summary.items_all_full").format(count=len(items)))
            parts.append(pattern("summary.all_full").format(plan_year=plan_year))
        else:
            parts.append(pattern("summary.items_counted").format(count=len(items), parts=_counts(items)))
            if counts["below"]:
                parts.append(_weak_items_sentence(framework, analysis, plan_year))
                if counts["full"]:
                    parts.append(pattern("summary.keep_full"))
            elif counts["full"]:
                parts.append(pattern("summary.no_weak_items").format(plan_year=plan_year))
            else:
                parts.append(pattern("summary.no_weak_no_full").format(plan_year=plan_year))
    elif analysis.weak_indicators:
        names = [_indicator_ref(framework, e.indicator or 0) for e in analysis.weak_indicators]
        parts.append(pattern("summary.weak_indicators").format(indicators=_join(names), plan_year=plan_year))
    elif analysis.indicators:
        key = (
            "summary.indicators_all_pass"
            if len(analysis.indicators) == len(framework.indicators)
            else "summary.scored_indicators_all_pass"
        )
        parts.append(pattern(key).format(plan_year=plan_year))
    return Paragraph("summary", _digits(_sentences(parts), thai_digits))


def all_paragraphs(
    framework: Framework,
    results: Results,
    analysis: Analysis,
    plan_year: int,
    *,
    grouping: str = "indicators",
    thai_digits: bool = False,
) -> list[Paragraph]:
    """The summary, then one paragraph per indicator (or per issue) that has something to say:
    those without any score are left out, the summary having said so once."""
    paragraphs = [summary_paragraph(framework, results, analysis, plan_year, thai_digits=thai_digits)]
    if not has_scores(results, analysis):
        return paragraphs
    issue_members = issue_grouping().members.get(framework.ita_year)
    if grouping == "issues" and issue_members is not None and analysis.items:
        scored_codes = {e.key for e in analysis.items}
        return paragraphs + [
            issue_paragraph(framework, analysis, i.number, thai_digits=thai_digits)
            for i in issue_grouping().issues
            if scored_codes & set(issue_members.get(i.number, ()))
        ]
    scored = {e.indicator for e in analysis.indicators}
    for ind in framework.indicators:
        members = indicator_members(framework, analysis, ind.number)
        if ind.number in scored or members.entries or members.described_in is not None:
            paragraphs.append(
                indicator_paragraph(framework, results, analysis, ind.number, thai_digits=thai_digits)
            )
    return paragraphs


# --------------------------------------------------------------------------------------------------
# Last year's measures (carryforward.py): the analysis's paragraph and the document's sentences
# --------------------------------------------------------------------------------------------------


class Say(Protocol):
    """A sentence pattern by key under ``past``, filled: narrative.yaml's for the analysis (what
    should be done), document.yaml's ``frame.principles.past`` for the measures document (what
    the plan does)."""

    def __call__(self, key: str, /, **params: object) -> str: ...


def _past_row(framework: Framework, item: PastItem, before_year: int, say: Say) -> str:
    """'ข้อ e4 ... (ปี 2566 คือข้อ e6) จาก 73.50 เป็น 80.15 คะแนน ยังต่ำกว่าเกณฑ์ 85 คะแนน'."""
    assert item.code is not None and item.after is not None
    number = indicator_number(item.code)
    if number is not None:
        name = _indicator_ref(framework, number)
    else:
        name = pattern("item_named").format(code=item.code, subject=item_subject(framework, item.code))
        if item.code != item.code_then:
            name += say("renumbered", year=before_year, code=item.code_then)
    after = round(item.after, 2)
    status = "full" if after >= 100 else "pass" if after >= framework.pass_mark else "below"
    verdict = say(f"verdict.{status}", mark=f"{framework.pass_mark:g}")
    way = direction(item)
    before = round(item.before, 2) if item.before is not None else 0.0
    return say(
        f"row.{way}",
        name=name,
        before=_score(before),
        after=_score(after),
        delta=_score(abs(after - before)),
        verdict=verdict,
    )


_PAST_ORDER = ("done", "in_progress", "postponed", "cancelled", "not_started")  # as an official counts them


def _past_measure(title: str, status: str, percent: int, say: Say) -> str:
    if status in ("in_progress", "postponed") and percent:
        return say(f"open.{status}", title=title, percent=percent)
    return say(f"open.{status}_none", title=title)


def past_sentences(
    framework: Framework, past: Past, agency: str, results_year: int, say: Say, *, rows: bool = True
) -> tuple[list[str], list[str]]:
    """What became of last year's measures (how many were done, in progress, postponed, cancelled,
    not started, the unfinished and the cancelled named), then how the items they answered moved
    between the two assessments, each against the pass mark (the rows listed only when ``rows``: a
    document shows them in a table instead). Every count adds up to the measures or the items it
    divides."""
    summary = summarise(past)
    statuses = [(s, summary.by_status[s]) for s in _PAST_ORDER if summary.by_status[s]]
    if len(statuses) == 1:
        parts = say(f"all.{statuses[0][0]}", count=summary.measures)
    else:
        parts = _join([say(f"status.{s}", count=n) for s, n in statuses])
    done = [say("opening", plan_year=past.plan_year, agency=agency, count=summary.measures, parts=parts)]
    unfinished = [m for m in past.measures if m.status in ("not_started", "in_progress", "postponed")]
    if unfinished:
        named = [_past_measure(m.title, m.status, m.percent, say) for m in unfinished]
        done.append(say("unfinished", measures=_join(named)))
    cancelled = [m for m in past.measures if m.status == "cancelled"]
    if cancelled:
        done.append(say("cancelled", measures=_join([say("title", title=m.title) for m in cancelled])))

    scores: list[str] = []
    if summary.items:
        counts = [(d, n) for d, n in summary.by_direction.items() if n]
        scores.append(
            say(
                "compare",
                after_year=results_year,
                before_year=past.ita_year,
                count=len(summary.items),
                parts=_join([say(f"count.{d}", count=n, after_year=results_year) for d, n in counts]),
            )
        )
        for way in ("up", "down", "same", "after_only") if rows else ():
            moved = [i for i in summary.items if direction(i) == way]
            if moved:
                listed = [_past_row(framework, i, past.ita_year, say) for i in moved]
                scores.append(say(f"rows.{way}", rows=_join(listed), after_year=results_year))
    return done, scores


def past_advice(past: Past, plan_year: int, agency: str, say: Say) -> str | None:
    """What prongsai suggests doing with last year's measures in this year's plan, in counts that
    add up to the measures (the analysis's advice; the document states what the plan does)."""
    summary = summarise(past)
    plans = [say(f"suggestion.{s}", count=n) for s, n in summary.by_suggestion.items() if n]
    return say("plan", plan_year=plan_year, agency=agency, parts=_join(plans)) if plans else None


def past_paragraph(
    framework: Framework, results: Results, past: Past, plan_year: int, *, thai_digits: bool = False
) -> Paragraph:
    """The analysis's paragraph on last year's measures (``prongsai analyze --previous``)."""

    def say(key: str, /, **params: object) -> str:
        return pattern(f"past.{key}").format(**params)

    agency = results.agency.name
    done, scores = past_sentences(framework, past, agency, results.ita_year, say)
    advice = past_advice(past, plan_year, agency, say)
    sentences = [*done, *scores, *([advice] if advice else [])]
    return Paragraph("past_measures", _digits(_sentences(sentences), thai_digits))
