"""Thai narrative built deterministically from the numbers, the findings catalog and sentence patterns.

No Thai wording lives here: sentences come from catalog/narrative.yaml and catalog/findings-*.yaml.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from prongsai.analysis import Analysis, Change, Entry
from prongsai.catalog import Finding, ItemText, issue_grouping, item_texts, narrative, pattern
from prongsai.framework import Framework
from prongsai.results import Results, Score
from prongsai.thai import format_score, to_arabic_digits, to_thai_digits


@dataclass(frozen=True)
class Paragraph:
    key: str  # "summary", "ind8", "issue3"
    text: str


def _score(value: float) -> str:
    return format_score(value)


def _join(parts: Sequence[str]) -> str:
    """'ก ข และค': items separated by spaces, the last joined with 'และ'."""
    if len(parts) <= 1:
        return "".join(parts)
    return " ".join(parts[:-1]) + pattern("list_and") + parts[-1]


def _list_limit() -> int:
    return int(narrative()["list_limit"])


def _sentences(parts: Sequence[str]) -> str:
    """Thai separates sentences with a space, not a full stop."""
    return " ".join(p.strip() for p in parts if p and p.strip())


def _digits(text: str, thai_digits: bool) -> str:
    """One digit style throughout, whatever the catalog texts were written with."""
    return to_thai_digits(text) if thai_digits else to_arabic_digits(text)


def _item_sentences(framework: Framework, entries: Sequence[Entry], texts: dict[str, ItemText]) -> list[str]:
    """One sentence group per finding; items sharing the same catalog text are written together."""
    out: list[str] = []
    groups: dict[tuple[str, Finding | str], list[Entry]] = {}
    for entry in sorted((e for e in entries if e.status != "full"), key=lambda e: e.rank):
        text = texts.get(entry.key)
        groups.setdefault((entry.status, text.by_status[entry.status] if text else entry.key), []).append(
            entry
        )
    for (status, finding), members in groups.items():
        first = members[0]
        text = texts.get(first.key)
        subject = text.subject if text else framework.item(first.key).text_th or first.key
        if len(members) == 1:
            line = pattern(f"item.{status}").format(
                code=first.key, subject=subject, score=_score(first.score), gap=_score(first.gap_to_pass)
            )
        else:
            scored = [pattern("item_score").format(code=e.key, score=_score(e.score)) for e in members]
            line = pattern(f"item.{status}_group").format(
                items=_join(scored), subject=subject, count=len(members)
            )
        parts = [line]
        if isinstance(finding, Finding):
            parts += [finding.finding, finding.recommendation]
            if finding.evidence and set(finding.evidence) != {e.key for e in members}:
                parts.append(pattern("item.evidence").format(codes=", ".join(finding.evidence)))
        out.append(_sentences(parts))
    full = [e for e in entries if e.status == "full"]
    if len(full) > _list_limit():
        out.append(pattern("item.full_many").format(count=len(full)))
    elif full:
        out.append(
            pattern("item.full_group").format(
                items=_join([pattern("item_code").format(code=e.key) for e in full])
            )
        )
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


def indicator_paragraph(
    framework: Framework, results: Results, analysis: Analysis, number: int, *, thai_digits: bool = False
) -> Paragraph:
    indicator = framework.indicator(number)
    entry = next((e for e in analysis.indicators if e.indicator == number), None)
    if entry is None:
        text = pattern("indicator.no_score").format(number=number, name=indicator.name_th)
        return Paragraph(f"ind{number}", _digits(text, thai_digits))
    opening = pattern("indicator.opening").format(
        number=number, name=indicator.name_th, score=_score(entry.score)
    )
    opening += pattern(f"indicator.{entry.status}").format(
        mark=f"{framework.pass_mark:g}", gap=_score(entry.gap_to_pass)
    )
    parts = [opening, _trend_sentence(next((c for c in analysis.trend if c.key == f"ind{number}"), None))]
    items = [e for e in analysis.items if e.indicator == number]
    if items:
        if len(items) > _list_limit():
            counted = [
                pattern(f"indicator.count_{status}").format(count=n)
                for status in ("full", "pass", "below")
                if (n := sum(1 for e in items if e.status == status))
            ]
            parts.append(pattern("indicator.items_counted").format(count=len(items), parts=_join(counted)))
        else:
            listed = [pattern("item_score").format(code=e.key, score=_score(e.score)) for e in items]
            parts.append(pattern("indicator.items").format(count=len(items), items=_join(listed)))
        parts += _item_sentences(framework, items, dict(item_texts(framework.ita_year)))
    if entry.status == "below" and entry.gain_to_pass:
        parts.append(pattern("indicator.gain").format(gain=_score(entry.gain_to_pass)))
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
    weak = [e for e in entries if e.status == "below"]
    opening = pattern("issue.opening").format(number=number, name=issue.name_th, count=len(entries))
    opening += pattern("issue.weak").format(weak=len(weak)) if weak else pattern("issue.none_weak")
    parts = [opening, *_item_sentences(framework, entries, dict(item_texts(framework.ita_year)))]
    return Paragraph(f"issue{number}", _digits(_sentences(parts), thai_digits))


def summary_paragraph(
    framework: Framework, results: Results, analysis: Analysis, plan_year: int, *, thai_digits: bool = False
) -> Paragraph:
    agency = results.agency.name
    overall = results.overall.value
    if overall is None:
        first = pattern("summary.opening_no_overall").format(year=results.ita_year, agency=agency)
    else:
        first = pattern("summary.opening").format(
            year=results.ita_year, agency=agency, overall=_score(overall)
        )
        level = results.level
        if level.value:
            estimated = level.given is None and level.estimated
            name = f" {level.value}" if level.value.isascii() else level.value  # "ระดับ A" but "ระดับผ่าน"
            first += pattern("summary.level_estimated" if estimated else "summary.level").format(level=name)
        first += pattern("summary.passed" if overall >= framework.pass_mark else "summary.failed").format(
            mark=f"{framework.pass_mark:g}"
        )
    parts = [first, _trend_sentence(next((c for c in analysis.trend if c.key == "overall"), None))]

    def mark(score: Score) -> str:
        """Computed with an unconfirmed rule: say so next to the number."""
        return pattern("estimate_mark") if score.is_computed and score.estimated else ""

    tools = [
        pattern("summary.tool").format(
            name=f"{t.name_th} ({t.code})", score=_score(v), mark=mark(results.tools[t.code])
        )
        for t in framework.tools
        if (v := results.tools[t.code].value) is not None
    ]
    if tools:
        parts.append(pattern("summary.tools").format(tools=_join(tools)))
    if analysis.indicators:
        best = max(analysis.indicators, key=lambda e: (e.score, -(e.indicator or 0)))
        worst = analysis.weakest_indicator
        assert worst is not None and best.indicator is not None and worst.indicator is not None
        parts.append(
            pattern("summary.best_worst").format(
                best_number=best.indicator,
                best_name=framework.indicator(best.indicator).name_th,
                best_score=_score(best.score),
                best_mark=mark(results.indicators[best.indicator]),
                worst_number=worst.indicator,
                worst_name=framework.indicator(worst.indicator).name_th,
                worst_score=_score(worst.score),
                worst_mark=mark(results.indicators[worst.indicator]),
            )
        )
    weak = analysis.weak_items
    if weak:
        listed = [pattern("item_score").format(code=e.key, score=_score(e.score)) for e in weak]
        parts.append(
            pattern("summary.weak_items").format(count=len(weak), items=_join(listed), plan_year=plan_year)
        )
        first_gain = analysis.by_gain()[0]
        if first_gain.gain_to_pass:
            parts.append(
                pattern("summary.first_gain").format(
                    code=first_gain.key, gain=_score(first_gain.gain_to_pass)
                )
            )
    elif analysis.weak_indicators:
        names = [
            pattern("indicator_ref").format(
                number=e.indicator, name=framework.indicator(e.indicator or 0).name_th
            )
            for e in analysis.weak_indicators
        ]
        parts.append(pattern("summary.weak_indicators").format(indicators=_join(names), plan_year=plan_year))
    elif analysis.items or analysis.indicators:
        parts.append(pattern("summary.no_weak_items").format(plan_year=plan_year))
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
    """The summary, then one paragraph per indicator (or per issue)."""
    paragraphs = [summary_paragraph(framework, results, analysis, plan_year, thai_digits=thai_digits)]
    if grouping == "issues" and framework.ita_year in issue_grouping().members:
        paragraphs += [
            issue_paragraph(framework, analysis, i.number, thai_digits=thai_digits)
            for i in issue_grouping().issues
        ]
    else:
        paragraphs += [
            indicator_paragraph(framework, results, analysis, ind.number, thai_digits=thai_digits)
            for ind in framework.indicators
        ]
    return paragraphs
