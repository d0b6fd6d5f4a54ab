"""Benchmark: one agency from results to analysis, narrative and drafted plan.

Prints the time per agency for each seed example and, in the same run, compares the way prongsai
computes points-to-gain (rule W1: official figure + the rule's difference) with the obvious
alternative of rebuilding and re-resolving the whole results for every item.
Run: .venv/bin/python bench/analysis.py
"""

from __future__ import annotations

import dataclasses
import statistics
from pathlib import Path

from timing import median_seconds

from prongsai.analysis import analyse
from prongsai.catalog import default_units, plan_defaults
from prongsai.crosswalk import load_crosswalk
from prongsai.framework import Framework, load_frameworks
from prongsai.ingest import read_results
from prongsai.narrative import all_paragraphs
from prongsai.planning import draft_plan
from prongsai.results import Given, Results, ResultsInput, resolve
from prongsai.whatif import project

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def naive_gains(record: ResultsInput, results: Results) -> list[float | None]:
    """Alternative: re-resolve a modified copy of the input for every item (85 and 100)."""
    framework = load_frameworks()[record.ita_year]
    base = results.overall.value
    gains: list[float | None] = []
    for code, given in record.scores.items.items():
        for target in (max(given.value, 85.0), 100.0):
            items = {**record.scores.items, code: Given(target, given.location)}
            changed = dataclasses.replace(record, scores=dataclasses.replace(record.scores, items=items))
            value = resolve(framework, changed).overall.value
            gains.append(None if value is None or base is None else value - base)
    return gains


def our_gains(framework: Framework, results: Results) -> list[float | None]:
    """prongsai's way (rule W1): project each item to 85 and to 100 from the official figures."""
    out = []
    for code, value in results.items.items():
        for target in (max(value, 85.0), 100.0):
            out.append(project(framework, results, {code: target}).overall)
    return out


def row(*cells: object) -> str:
    widths = (42, 5, 12, 9, 14, 6)
    return " ".join(
        f"{c:{w}}" if isinstance(c, str) else f"{c:{w}.1f}" for c, w in zip(cells, widths, strict=True)
    )


def main() -> None:
    frameworks = load_frameworks()
    crosswalk = load_crosswalk()
    limitations, suggestions = plan_defaults()
    print(row("example", "items", "all steps ms", "gains ms", "naive gains ms", "ratio"))
    totals = []
    for path in sorted(EXAMPLES.glob("seed-*-25[0-9][0-9].yaml")):
        (record,), _ = read_results(path)
        framework = frameworks[record.ita_year]

        def everything(record: ResultsInput = record) -> None:
            framework = frameworks[record.ita_year]
            results = resolve(framework, record)
            analysis = analyse(framework, results, [], crosswalk)
            all_paragraphs(framework, results, analysis, record.ita_year + 1)
            draft_plan(
                framework,
                analysis,
                results.agency,
                default_units(results.agency.type),
                limitations=limitations,
                suggestions=suggestions,
            )

        results = resolve(framework, record)
        ours = median_seconds(lambda framework=framework, results=results: our_gains(framework, results))
        naive = median_seconds(lambda record=record, results=results: naive_gains(record, results))
        total = median_seconds(everything)
        totals.append(total)
        ratio = naive / ours if ours else float("nan")
        print(row(path.name, float(len(results.items)), total * 1000, ours * 1000, naive * 1000, ratio))
    median, worst = statistics.median(totals) * 1000, max(totals) * 1000
    print(f"median_ms_per_agency={median:.1f} max_ms_per_agency={worst:.1f}")


if __name__ == "__main__":
    main()
