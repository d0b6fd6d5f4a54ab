"""Settling what was seen against one ITA year's framework: years, items, indicators, tools, overall.

Every choice that is not certain becomes an Uncertain entry with the printed text; nothing is
silently guessed. Conflicting printed figures stay as first printed (``check`` then warns).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from prongsai.framework import Framework
from prongsai.importing.header import Heading
from prongsai.importing.model import Uncertain
from prongsai.importing.normalise import ocr_iit_candidates
from prongsai.importing.observe import Observations, Seen
from prongsai.importing.scores import indicator_by_name
from prongsai.problems import Location, messages, warning


class Notes:
    def __init__(self, name: str) -> None:
        self.name = name
        self.found: list[Uncertain] = []

    def warning(self, kind: str, line: int | None, span: str, /, **params: object) -> None:
        problem = warning(kind, Location(file=self.name, line=line), **params)
        self.found.append(Uncertain(problem, span))


def _majority(years: tuple[tuple[int, str, int], ...], known: Mapping[int, Framework] | None) -> int | None:
    counts = Counter(y for y, _, _ in years if known is None or y in known)
    if not counts:
        return None
    best = max(counts.values())
    return next(y for y, _, _ in years if counts.get(y) == best)


def settle_years(
    heading: Heading, found: Observations, frameworks: Mapping[int, Framework], notes: Notes
) -> tuple[int | None, int | None]:
    ita = _majority(heading.ita_years, frameworks)
    plan = _majority(heading.plan_years, None)
    for what, years, chosen in (("ita", heading.ita_years, ita), ("plan", heading.plan_years, plan)):
        distinct = sorted({y for y, _, _ in years})
        if chosen is not None and len(distinct) > 1:
            first = next(entry for entry in years if entry[0] != chosen)
            notes.warning(
                "import_year_conflict",
                first[2],
                first[1],
                what_th=messages().labels[f"import_year_{what}"]["th"],
                what_en=messages().labels[f"import_year_{what}"]["en"],
                years=", ".join(map(str, distinct)),
                year=chosen,
            )
    if ita is None:
        codes = {i.code for i in found.items if not i.code.startswith(("?", "!"))}
        fitting = [y for y, f in frameworks.items() if codes and codes <= set(f.items_by_code)]
        target = (plan - 1) if plan is not None else max(frameworks)
        if fitting:
            ita = min(fitting, key=lambda y: (abs(y - target), -y))
            span = heading.plan_years[0][1] if heading.plan_years else ""
            notes.warning("import_year_inferred", None, span, year=ita, plan_year=plan or "-")
    if plan is None and ita is not None:
        plan = ita + 1
        notes.warning("import_plan_year_inferred", None, "", plan_year=plan)
    return ita, plan


def settle_items(found: Observations, framework: Framework, notes: Notes) -> dict[str, Seen]:
    items: dict[str, Seen] = {}
    for seen in found.items:
        if seen.code == "!count":
            notes.warning("import_count_mismatch", seen.score.line, seen.score.span, count=seen.score.value)
            continue
        code = seen.code
        if code.startswith("?"):
            candidates = [c for c in ocr_iit_candidates(code) if c in framework.items_by_code]
            if seen.indicator is not None:
                inside = [c for c in candidates if framework.items_by_code[c].indicator == seen.indicator]
                candidates = inside or candidates
            if len(candidates) != 1:
                notes.warning(
                    "import_code_ambiguous",
                    seen.score.line,
                    seen.score.span,
                    printed=seen.printed,
                    candidates=", ".join(ocr_iit_candidates(code)),
                )
                continue
            code = candidates[0]
            notes.warning(
                "import_ocr_code", seen.score.line, seen.score.span, printed=seen.printed, code=code
            )
        if code not in framework.items_by_code:
            notes.warning(
                "import_unknown_item", seen.score.line, seen.score.span, code=code, year=framework.ita_year
            )
            continue
        if seen.score.marked:
            continue
        kept = items.get(code)
        if kept is None:
            items[code] = seen.score
        elif float(kept.value) != float(seen.score.value):
            notes.warning(
                "import_item_conflict",
                seen.score.line,
                seen.score.span,
                code=code,
                kept=kept.value,
                other=seen.score.value,
            )
    return items


def settle_indicators(found: Observations, notes: Notes) -> dict[int, Seen]:
    indicators: dict[int, Seen] = {}
    averages: list[tuple[int, Seen]] = []
    for seen in found.indicators:
        if seen.number is None:
            continue
        if seen.average:
            averages.append((seen.number, seen.score))
            continue
        number = indicator_by_name(seen.name) or seen.number
        if number != seen.number:
            notes.warning(
                "import_indicator_renumbered",
                seen.score.line,
                seen.score.span,
                name=seen.name,
                printed=seen.number,
                number=number,
            )
        if seen.score.marked:
            continue
        _keep(indicators, number, seen.score, notes)
    for number, score in averages:
        if number not in indicators:
            if not score.marked:
                indicators[number] = score
        elif float(indicators[number].value) != float(score.value):
            notes.warning(
                "import_indicator_conflict",
                score.line,
                score.span,
                number=number,
                kept=indicators[number].value,
                other=score.value,
            )
    return indicators


def _keep(indicators: dict[int, Seen], number: int, score: Seen, notes: Notes) -> None:
    kept = indicators.get(number)
    if kept is None:
        indicators[number] = score
    elif float(kept.value) != float(score.value):
        notes.warning(
            "import_indicator_conflict",
            score.line,
            score.span,
            number=number,
            kept=kept.value,
            other=score.value,
        )


def settle_tools(
    found: Observations, framework: Framework, notes: Notes
) -> tuple[dict[str, Seen], dict[str, Seen]]:
    tools: dict[str, Seen] = {}
    parts: dict[str, Seen] = {}
    for seen in found.tools:
        if seen.garbled:
            notes.warning(
                "import_tool_label_garbled",
                seen.score.line,
                seen.score.span,
                label=seen.label,
                code=seen.code,
            )
        if seen.score.marked:
            continue
        if seen.code in framework.part_codes:
            parts.setdefault(seen.code, seen.score)
        elif seen.code in ("IIT", "EIT", "OIT"):
            tools.setdefault(seen.code, seen.score)
    return tools, parts


def settle_overall(
    found: Observations, framework: Framework, notes: Notes
) -> tuple[Seen | None, Seen | None]:
    overall = next((s for s in found.overall if not s.marked), None)
    for other in found.overall:
        if overall is not None and not other.marked and float(other.value) != float(overall.value):
            notes.warning(
                "import_overall_conflict", other.line, other.span, kept=overall.value, other=other.value
            )
            break
    level = None
    names = sorted(framework.level_names(), key=len, reverse=True)
    for seen in found.levels:
        if seen.marked:
            continue
        name = next((n for n in names if seen.value.startswith(n)), None)
        if name is None:
            notes.warning(
                "import_not_a_level", seen.line, seen.span, text=seen.value, year=framework.ita_year
            )
            continue
        level = Seen(name, False, seen.line, seen.span)
        break
    return overall, level
