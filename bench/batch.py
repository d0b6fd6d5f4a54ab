"""Benchmark: a national batch of documents, ``prongsai report --batch``.

1. Makes the synthetic national set (``prongsai synth``) and scores it (``prongsai score``), once:
   both are kept under .cache/bench-batch/ for the next run.
2. Reads the scores file (every agency-year, checked as ``prongsai check`` does).
3. The alternative, measured in the same run: one process making the first SAMPLE documents.
4. The batch: every agency (or --agencies N) with --jobs workers, into an empty folder; prints
   documents per second and the time the 8,300 agencies of a national run would take.

The last line is the summary: documents=… seconds=… docs_per_s=… serial_docs_per_s=… speedup=…
projected_8300_min=…
Run: .venv/bin/python bench/batch.py [--agencies 8300] [--jobs 2] [--format docx]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from prongsai import batch
from prongsai.document.settings import Person, ReportSettings
from prongsai.ingest import read_results

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench-batch"
NATIONAL = 8300
SAMPLE = 40  # documents the single-process alternative makes
SEED = 2568
SETTINGS = ReportSettings(
    signers={
        "prepared_by": Person("นางสาวสมศรี ใจดี", "นิติกรชำนาญการ"),
        "approved_by": Person("นายสมปอง มั่นคง", "นายกเทศมนตรี"),
    },
    date=dt.date(2025, 12, 15),
)


def prongsai(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "prongsai", *args], check=True, cwd=ROOT)


def scores_file(agencies: int) -> Path:
    """The scored synthetic set for ``agencies`` agencies, made once and kept in the cache."""
    folder = CACHE / f"n{agencies}-seed{SEED}"
    scores = folder / "scores.csv"
    if scores.exists():
        return scores
    start = time.perf_counter()
    prongsai("synth", "--agencies", str(agencies), "--seed", str(SEED), "-o", str(folder))
    made = time.perf_counter()
    prongsai("score", str(folder / "answers.parquet"), "--oit", str(folder / "oit.csv"), "-o", str(scores))
    print(f"  synthetic set made in {made - start:.1f} s, scored in {time.perf_counter() - made:.1f} s")
    return scores


def make(jobs: list[batch.Job], options: batch.BatchOptions, workers: int) -> tuple[float, int]:
    """Seconds to make ``jobs`` with ``workers`` processes, and how many failed."""
    failed = 0

    def on_done(outcome: batch.Outcome) -> None:
        nonlocal failed
        failed += outcome.status == "failed"

    start = time.perf_counter()
    batch.run(jobs, options, workers, on_done)
    return time.perf_counter() - start, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=NATIONAL)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--format", default="docx", choices=["docx", "html", "pdf", "json"])
    parser.add_argument("--layout", default="full-report")
    args = parser.parse_args()
    os.environ.setdefault("MPLCONFIGDIR", str(ROOT / ".cache" / "matplotlib"))

    print(f"1. Synthetic national set: {args.agencies} agencies (seed {SEED})")
    scores = scores_file(args.agencies)
    start = time.perf_counter()
    records, _ = read_results(scores)
    read_s = time.perf_counter() - start
    print(f"2. Read {len(records)} agency-years from {scores.name} in {read_s:.1f} s")

    options = batch.BatchOptions(args.format, args.layout, SETTINGS)
    with tempfile.TemporaryDirectory(prefix="prongsai-bench-batch-") as name:
        out = Path(name)
        sample = batch.jobs(records[:SAMPLE], out / "serial", args.format)
        serial_s, serial_failed = make(sample, options, 1)
        serial_rate = len(sample) / serial_s
        print(
            f"3. One process, first {len(sample)} documents: {serial_s:.1f} s, {serial_rate:.2f} documents/s"
        )

        every = batch.jobs(records, out / "batch", args.format)
        seconds, failed = make(every, options, args.jobs)
        rate = len(every) / seconds
        size_mb = sum(f.stat().st_size for f in (out / "batch").iterdir()) / 1e6
        shutil.rmtree(out / "batch")
    projected_min = NATIONAL / rate / 60
    print(
        f"4. Batch, {args.jobs} workers, {args.format} ({args.layout}): {len(every)} documents "
        f"in {seconds:.1f} s = {rate:.2f} documents/s, {size_mb:.0f} MB, {failed + serial_failed} failed"
    )
    print(f"   speed-up over one process: {rate / serial_rate:.2f}x")
    goal = "met" if projected_min < 15 else "NOT met"
    print(f"goal all {NATIONAL} agencies in under 15 minutes: {goal} ({projected_min:.1f} min)")
    print(
        f"documents={len(every)} seconds={seconds:.1f} docs_per_s={rate:.2f} "
        f"serial_docs_per_s={serial_rate:.2f} speedup={rate / serial_rate:.2f} "
        f"projected_8300_min={projected_min:.1f}"
    )


if __name__ == "__main__":
    main()
