"""``prongsai report --batch SCORES -o DIR``: the terminal side of a batch run (prongsai.batch does
the work): checks, the progress bar, the summary with documents per second, failures as problems."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import click

from prongsai import batch
from prongsai.cli.analysis import echo_notes
from prongsai.document.output import FORMATS
from prongsai.document.settings import ReportSettings
from prongsai.errors import InputError
from prongsai.files import Inputs, check_output_folder, check_outputs, make_folders, remove_empty_folders
from prongsai.framework import load_frameworks
from prongsai.framework_notes import framework_notes
from prongsai.ingest import read_results
from prongsai.problems import Location, Problem, error, ui
from prongsai.unitsfile import read_units_file

FAILURES_LISTED = 20  # a batch where everything fails names the first ones, then counts the rest


class _Bar(Protocol):
    def update(self, n_steps: int) -> None: ...


@dataclass
class _Tally:
    written: int = 0
    estimated: int = 0
    failures: list[batch.Outcome] | None = None

    def add(self, outcome: batch.Outcome) -> None:
        if outcome.status == "written":
            self.written += 1
            self.estimated += outcome.estimated
        else:
            self.failures = [*(self.failures or []), outcome]


def _jobs(requested: int | None) -> int:
    if requested is None:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if requested < 1:
        raise InputError([error("batch_jobs", Location(option="--jobs"), value=requested)])
    return requested


def _check(out_dir: Path, fmt: str, template: Path | None, inputs: Inputs) -> None:
    problems: list[Problem] = []
    if fmt not in FORMATS:  # click already limits --format; kept for callers of batch_report
        problems.append(
            error("output_suffix", Location(option="--format"), path=fmt, suffixes=", ".join(FORMATS))
        )
    if template is not None and fmt != "docx":
        problems.append(error("template_needs_docx", Location(option="--template")))
    try:
        is_file = out_dir.exists() and not out_dir.is_dir()
    except OSError:  # a name too long, no permission to look: check_output_folder names the reason
        is_file = False
    if is_file:
        problems.append(error("batch_out_not_folder", Location(file=out_dir.name), path=out_dir))
    if problems:
        raise InputError(problems)
    check_output_folder(out_dir, inputs)  # a parent that is a file, no permission to write there


def _say(name: str, value: object) -> None:
    click.echo(f"{ui(name)} / {ui(name, 'en')}: {value}", err=True)


@contextmanager
def _progress(total: int) -> Iterator[_Bar | None]:
    """A progress bar on a terminal; nothing when the output goes to a file or a pipe."""
    if total and sys.stderr.isatty():
        with click.progressbar(length=total, file=sys.stderr, show_pos=True) as bar:
            yield bar
    else:
        yield None


def batch_report(
    scores: Path,
    out_dir: Path,
    fmt: str,
    layout: str,
    thai_digits: bool | None,
    settings: ReportSettings,
    units_file: Path | None,
    template: Path | None,
    jobs: int | None,
    force: bool,
    settings_file: Path | None = None,
    engine: Path | bool | None = None,
) -> None:
    """Every agency-year of ``scores`` as a document in ``out_dir``; see prongsai.batch. With
    ``engine`` (the web data folder, or True for the default one) the documents are made by the job
    engine's workers (prongsai_web.batchrun)."""
    inputs: Inputs = {
        "--batch": scores,
        "--settings": settings_file,
        "--units": units_file,
        "--template": template,
    }
    _check(out_dir, fmt, template, inputs)
    workers = _jobs(jobs)
    records, _ = read_results(scores)  # a file with any error stops here, before anything is written
    frameworks = load_frameworks()
    dated = [settings.for_plan_year(year)[1] for year in sorted({r.ita_year + 1 for r in records})]
    echo_notes(
        [*framework_notes(frameworks[r.ita_year] for r in records), *(n for notes in dated for n in notes)]
    )
    options = batch.BatchOptions(fmt, layout, settings, thai_digits, read_units_file(units_file), template)
    every = batch.jobs(records, out_dir, fmt)
    check_outputs([job.path for job in every], inputs)  # no document may replace an input
    pending = batch.Pending(every, []) if force else batch.pending(every)
    todo, done = pending.todo, pending.done
    _say("batch_plan", len(every))
    if done:
        _say("batch_already", len(done))
    for reason in ("empty", "incomplete"):
        redone = sum(1 for _, why in pending.redone if why == reason)
        if redone:
            _say(f"batch_redone_{reason}", redone)
    tally = _Tally()
    start = time.perf_counter()
    made = make_folders(out_dir) if todo else []  # once, before the workers share it
    with _progress(len(todo)) as bar, _removing_if_empty(made):

        def on_done(outcome: batch.Outcome) -> None:
            tally.add(outcome)
            if bar is not None:
                bar.update(1)

        try:
            if engine is None:
                batch.run(todo, options, workers, on_done)
            else:
                _on_engine(todo, options, engine, on_done)
        except KeyboardInterrupt:
            said = "batch_interrupted" if engine is None else "batch_engine_withdrawn"
            click.echo(f"\n{ui(said)} / {ui(said, 'en')}", err=True)
            raise click.Abort() from None
    _summary(tally, time.perf_counter() - start)


def _on_engine(
    todo: list[batch.Job],
    options: batch.BatchOptions,
    data: Path | bool,
    on_done: Callable[[batch.Outcome], None],
) -> None:
    """The documents as tasks of the web application's job engine, followed until every one is made
    (docs/document.md, "Batches on the job engine")."""
    from prongsai.cli.web import web_setup

    web_setup(data if isinstance(data, Path) else None)
    from prongsai_web import batchrun

    chunks = batchrun.enqueue(todo, options)
    _say("batch_engine_queued", len(chunks))
    batchrun.follow(chunks, options, on_done)


@contextmanager
def _removing_if_empty(folders: list[Path]) -> Iterator[None]:
    """A run that wrote nothing leaves no folder behind either."""
    try:
        yield
    finally:
        remove_empty_folders(folders)


def _summary(tally: _Tally, seconds: float) -> None:
    failures = tally.failures or []
    _say("batch_written", tally.written)
    if tally.estimated:
        _say("batch_estimated", tally.estimated)
    if failures:
        _say("batch_failed", len(failures))
    made = tally.written + len(failures)
    _say("batch_seconds", f"{seconds:.1f}")
    if made:
        _say("batch_rate", f"{tally.written / seconds:.2f}" if seconds > 0 else "-")
    if failures:
        raise InputError(
            [
                error(
                    "batch_document_failed",
                    Location(file=f.path.name),
                    path=f.path.name,
                    detail_th=f.detail_th,
                    detail_en=f.detail_en,
                )
                for f in failures[:FAILURES_LISTED]
            ]
        )
