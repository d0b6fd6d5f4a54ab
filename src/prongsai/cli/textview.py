"""Plain-text views for the terminal: frameworks and results as aligned tables in Thai."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from prongsai.aggregate import status_of
from prongsai.analysis import Analysis
from prongsai.framework import Framework, Rule
from prongsai.framework_notes import parts_text
from prongsai.narrative import Paragraph
from prongsai.planning import PlanChange
from prongsai.problems import ui
from prongsai.results import Results, Score
from prongsai.thai import display_width, pad
from prongsai.whatif import Projection


def table(rows: Sequence[Sequence[str]], right: Iterable[int] = ()) -> str:
    """Rows as aligned columns (the first row is the header), Thai-width aware."""
    right_set = set(right)
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        cells = [pad(cell, widths[i], right=i in right_set) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _flag(rule: Rule) -> str:
    return ui("confirmed") if rule.confirmed else ui("unconfirmed")


def frameworks_text(frameworks: Mapping[int, Framework]) -> str:
    rows = [["ITA", ui("framework_status"), ui("items_count"), ui("pass_mark"), ui("weights"), ui("levels")]]
    for year, fw in sorted(frameworks.items()):
        weights = "/".join(f"{round(t.weight * 100)}" for t in fw.tools)
        status = ui(f"framework_{fw.status}") + ("" if fw.origin.startswith("frameworks/") else " *")
        rows.append(
            [str(year), status, str(len(fw.items)), f"{fw.pass_mark:g}", weights, ", ".join(fw.level_names())]
        )
    return f"{ui('framework_years')}\n\n{table(rows, right=[1, 2])}"


def framework_text(fw: Framework) -> str:
    out = [fw.name_th, ""]
    if fw.provisional:
        out += [f"{ui('framework_provisional_parts')}: {parts_text(fw, 'th')}", ""]
    weights = ", ".join(f"{t.code} {round(t.weight * 100)}%" for t in fw.tools)
    out.append(f"{ui('pass_mark')}: {fw.pass_mark:g} ({_flag(fw.pass_mark_rule)})")
    out.append(f"{ui('weights')}: {weights} ({_flag(fw.weights_rule)})")
    rules = [
        f"{tool}: {ui('method_' + agg.method)} ({_flag(agg.rule)})"
        for tool, agg in fw.indicator_from_items.items()
    ]
    out.append(f"{ui('rules')}: {ui('indicator')} <- {ui('items')}: " + "; ".join(rules))
    out.append(f"{ui('levels')}:")
    for level in fw.levels:
        condition = f"{level.min_overall:g} {ui('and_above')}"
        if level.min_each_tool is not None:
            condition += f" {ui('min_each_tool')} {level.min_each_tool:g}"
        out.append(f"  {level.name}: {condition} ({_flag(level.rule)})")
    for tool in fw.tools:
        out += ["", f"{tool.code} {tool.name_th} ({tool.name_en})"]
        for part in tool.parts:
            out.append(f"  {part.code}: {part.name_th} ({part.name_en})")
        for indicator in fw.indicators_of(tool.code):
            out.append(f"  {ui('indicator')} {indicator.number} {indicator.name_th}")
            for sub in fw.sub_indicators:
                if sub.indicator == indicator.number:
                    out.append(f"    {ui('sub_indicator')} {sub.code} {sub.name_th or ui('unknown')}")
            for item in fw.items_of(indicator.number):
                mark = "" if item.indicator_confirmed else " ~"
                out.append(f"    {item.code}{mark} {item.text_th or ui('no_text')}")
        unplaced = [it for it in fw.items if it.tool == tool.code and it.indicator is None]
        if unplaced:
            out.append(f"  {ui('indicator')} {ui('unknown')}: " + ", ".join(it.code for it in unplaced))
    return "\n".join(out)


def framework_json(fw: Framework) -> dict[str, Any]:
    def rule(r: Rule) -> dict[str, Any]:
        return {"confirmed": r.confirmed, "source": r.source, "note": r.note}

    return {
        "ita_year": fw.ita_year,
        "name_th": fw.name_th,
        "status": fw.status,
        "origin": fw.origin,
        "unconfirmed": list(fw.unconfirmed_parts()),
        "pass_mark": {"value": fw.pass_mark, **rule(fw.pass_mark_rule)},
        "weights": {"value": {t.code: t.weight for t in fw.tools}, **rule(fw.weights_rule)},
        "levels": [
            {
                "name": lv.name,
                "min_overall": lv.min_overall,
                "min_each_tool": lv.min_each_tool,
                **rule(lv.rule),
            }
            for lv in fw.levels
        ],
        "tools": [
            {"code": t.code, "name_th": t.name_th, "name_en": t.name_en, "parts": [p.code for p in t.parts]}
            for t in fw.tools
        ],
        "indicators": [
            {"number": i.number, "name_th": i.name_th, "tool": i.tool, **rule(i.rule)} for i in fw.indicators
        ],
        "sub_indicators": [
            {"code": s.code, "indicator": s.indicator, "name_th": s.name_th, **rule(s.rule)}
            for s in fw.sub_indicators
        ],
        "items": [
            {
                "code": it.code,
                "tool": it.tool,
                "indicator": it.indicator,
                "indicator_confirmed": it.indicator_confirmed,
                "sub_indicator": it.sub_indicator,
                "text_th": it.text_th,
                "source": it.source,
            }
            for it in fw.items
        ],
    }


def _score(score: Score) -> str:
    if score.value is None:
        return "-"
    marks = ("*" if score.is_computed else "") + ("~" if score.is_computed and score.estimated else "")
    return f"{score.value:.2f}{marks}"


def results_text(results: Results, fw: Framework) -> str:
    agency = results.agency
    where = " ".join(
        filter(
            None,
            [
                agency.district and ui("district") + agency.district,
                agency.province and ui("province") + agency.province,
            ],
        )
    )
    title = " ".join(filter(None, [agency.name, f"({agency.type})" if agency.type else None, where]))
    level = results.level
    level_text = level.value or "-"
    if level.given is None and level.computed is not None:
        level_text += "*" + ("~" if level.estimated else "")
    out = [
        f"{title} — ITA {results.ita_year}",
        f"{ui('overall')} {_score(results.overall)}   {ui('level')} {level_text}",
    ]
    out.append(f"{ui('tool')}: " + "   ".join(f"{code} {_score(s)}" for code, s in results.tools.items()))
    rows = [[ui("indicator"), "", ui("score"), ""]]
    for indicator in fw.indicators:
        score = results.indicators[indicator.number]
        status = ui("below_pass") if score.value is not None and status_of(fw, score.value) == "below" else ""
        rows.append([str(indicator.number), indicator.name_th, _score(score), status])
    out += ["", table(rows, right=[0, 2])]
    if results.items:
        below = [
            f"{code} {value:.2f}" for code, value in results.items.items() if status_of(fw, value) == "below"
        ]
        line = f"{ui('items')}: {len(results.items)}"
        if below:
            line += f"; {ui('below_pass')}: " + ", ".join(below)
        out += ["", line]
    if results.warnings:
        out += ["", f"{ui('warnings')}:"]
        out += [f"  - {p.describe('th')}\n    {p.describe('en')}" for p in results.warnings]
    out += ["", ui("legend")]
    return "\n".join(out)


# --------------------------------------------------------------------------------------------------
# Analysis, what-if and plan changes
# --------------------------------------------------------------------------------------------------


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def analysis_text(fw: Framework, analysis: Analysis, paragraphs: Sequence[Paragraph], limit: int = 10) -> str:
    out = [paragraphs[0].text, ""]
    rows = [[ui("indicator"), "", ui("score"), "", ui("gap"), ui("gain_to_pass"), ui("gain_to_full")]]
    for e in sorted(analysis.indicators, key=lambda e: e.indicator or 0):
        name = fw.indicator(e.indicator or 0).name_th
        rows.append(
            [
                str(e.indicator),
                name,
                _num(e.score),
                ui(f"status_{e.status}"),
                _num(e.gap_to_pass),
                _num(e.gain_to_pass),
                _num(e.gain_to_full),
            ]
        )
    out += [table(rows, right=[0, 2, 4, 5, 6]), ""]
    first = [e for e in analysis.by_gain() if e.status != "full"][:limit]
    if first:
        rows = [
            [ui("items"), ui("indicator"), ui("score"), "", ui("gap"), ui("gain_to_pass"), ui("gain_to_full")]
        ]
        for e in first:
            rows.append(
                [
                    e.key,
                    str(e.indicator or "-"),
                    _num(e.score),
                    ui(f"status_{e.status}"),
                    _num(e.gap_to_pass),
                    _num(e.gain_to_pass),
                    _num(e.gain_to_full),
                ]
            )
        out += [ui("work_first"), table(rows, right=[1, 2, 4, 5, 6]), ""]
    out += [p.text + "\n" for p in paragraphs[1:]]
    return "\n".join(out).rstrip()


def whatif_text(fw: Framework, results: Results, projection: Projection) -> str:
    rows = [["", ui("before"), ui("after"), ui("change")]]

    def row(label: str, before: float | None, after: float | None) -> None:
        if before != after:
            change = None if before is None or after is None else after - before
            rows.append([label, _num(before), _num(after), "-" if change is None else f"{change:+.2f}"])

    for ind in fw.indicators:
        row(
            f"{ui('indicator')} {ind.number}",
            results.indicators[ind.number].value,
            projection.indicators[ind.number],
        )
    for code, score in results.tools.items():
        row(code, score.value, projection.tools[code])
    row(ui("overall"), results.overall.value, projection.overall)
    level_after = projection.level.name if projection.level else "-"
    out = [table(rows, right=[1, 2, 3]), f"{ui('level')}: {results.level.value or '-'} -> {level_after}"]
    if projection.estimated or (projection.level and projection.level.estimated):
        out.append(ui("legend").split("   ")[1])
    return "\n".join(out)


def plan_changes_text(changes: Sequence[PlanChange]) -> str:
    lines = []
    for change in changes:
        fields = f" ({', '.join(change.fields)})" if change.fields else ""
        lines.append(
            f"  {ui('plan_' + change.kind)} / {ui('plan_' + change.kind, 'en')}: {change.measure}{fields}"
        )
    return "\n".join(lines)
