"""Benchmark: score the full synthetic national answer set (8,325 agencies, ~1.4 M respondents).

In one run, each in its own process so that peak memory is its own: (1) prongsai's scorer
(``score_files``: answers + OIT checklist -> SCORES), (2) a plain pandas implementation of the same
rules (value each answer, mean per item, indicators, tools, overall), (3) a bare Polars group-by
over the same file (the practical floor). The data set is generated once under .cache/.
Run: .venv/bin/python bench/scoring.py
Last line: seconds=S peak_mb=M vs_pandas=P vs_floor=F
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "scoring-bench"
AGENCIES = 8325
SEED = 1


def ours() -> None:
    from prongsai.scoring.engine import score_files

    score_files(CACHE / "answers.parquet", CACHE / "oit.csv")


def floor() -> None:
    import polars as pl

    frame = pl.scan_parquet(CACHE / "answers.parquet")
    frame.group_by("agency", "ita_year", "tool", "item", "answer").len().collect(engine="streaming")


def plain_pandas() -> None:
    import pandas as pd

    from prongsai.framework import load_frameworks
    from prongsai.scoring.rules import answer_keys, fold

    framework = load_frameworks()[2568]
    answers = pd.read_parquet(CACHE / "answers.parquet")
    for column in ("agency", "item", "answer", "tool"):
        answers[column] = answers[column].astype(str)
    values = {
        (key, word): v for key, spec in answer_keys(framework).items() for word, v in spec.values.items()
    }
    answers["value"] = [values[(i, fold(a))] for i, a in zip(answers["item"], answers["answer"], strict=True)]
    items = answers.groupby(["agency", "item"], as_index=False)["value"].mean()
    checklist = pd.read_csv(CACHE / "oit.csv", dtype=str)
    verdict = checklist["assessor_verdict"].map({"pass": 100.0, "fail": 0.0})
    partial = pd.to_numeric(checklist["assessor_verdict"], errors="coerce")
    checklist["value"] = verdict.fillna(partial).where(checklist["has"] == "มี", 0.0)
    items = pd.concat([items, checklist[["agency", "item", "value"]]])
    indicator = {i.code: i.indicator for i in framework.items}
    tool_of = {ind.number: ind.tool for ind in framework.indicators}
    items["indicator"] = items["item"].map(indicator)
    indicators = items.groupby(["agency", "indicator"], as_index=False)["value"].mean()
    indicators["tool"] = indicators["indicator"].map(tool_of)
    tools = indicators.groupby(["agency", "tool"])["value"].mean().unstack()
    weights = {t.code: t.weight for t in framework.tools}
    tools["overall"] = sum(tools[code] * weight for code, weight in weights.items())


def measure(name: str) -> dict[str, float]:
    """Run one measurement in a fresh process; return its seconds and peak memory."""
    out = subprocess.run(
        [sys.executable, __file__, "--one", name], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def generate() -> None:
    from prongsai.framework import load_frameworks
    from prongsai.scoring.synth import write_synthetic

    start = time.perf_counter()
    rows, people = write_synthetic(load_frameworks()[2568], AGENCIES, SEED, CACHE)
    seconds = time.perf_counter() - start
    print(f"synthetic set: {AGENCIES} agencies, {people} respondents, {rows} answers, {seconds:.1f} s")


def one(name: str) -> None:
    work = {"ours": ours, "pandas": plain_pandas, "floor": floor}[name]
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb}))


def main() -> None:
    if not (CACHE / "answers.parquet").exists():  # in a child, so this process stays small (ru_maxrss
        # is inherited by the measuring children at fork)
        subprocess.run([sys.executable, __file__, "--generate"], check=True, cwd=ROOT)
    size = (CACHE / "answers.parquet").stat().st_size / 1e6
    print(f"answers.parquet {size:.0f} MB")
    results = {}
    for name in ("floor", "ours", "pandas", "floor", "ours"):
        result = measure(name)
        print(f"{name:7s} {result['seconds']:7.2f} s  peak {result['peak_mb']:6.0f} MB")
        best = results.get(name)
        if best is None or result["seconds"] < best["seconds"]:
            results[name] = result
    ours_s = results["ours"]["seconds"]
    vs_pandas = results["pandas"]["seconds"] / ours_s
    vs_floor = ours_s / results["floor"]["seconds"]
    peak = results["ours"]["peak_mb"]
    print(f"seconds={ours_s:.2f} peak_mb={peak:.0f} vs_pandas={vs_pandas:.1f} vs_floor={vs_floor:.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        one(sys.argv[2])
    elif sys.argv[1:] == ["--generate"]:
        generate()
    else:
        main()
