"""Documents for many agency-years at once: one file per agency-year, in parallel, resumable.

A batch is a list of :class:`Job` (one agency-year, the file it becomes, the earlier years of the same
agency found in the input as its history). :func:`pending` drops the jobs whose file already exists —
files are written atomically, so an existing file is a finished one — and removes the temporary files
an interrupted run left behind; running the same batch again therefore continues where it stopped.
:func:`run` renders the jobs in worker processes (or in this process for one worker) and reports each
:class:`Outcome` as it arrives. A document that fails does not stop the others.

Every document goes through the same steps as ``prongsai report`` for one agency: resolve the scores,
analyse with the history, draft the plan from the catalogs, build and render the document.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing.util import Finalize
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from prongsai.analysis import analyse
from prongsai.catalog import agency_units, plan_defaults
from prongsai.crosswalk import load_crosswalk
from prongsai.document.model import Document
from prongsai.document.output import render_report
from prongsai.document.parts import ReportInput
from prongsai.document.settings import ReportSettings
from prongsai.errors import InputError
from prongsai.files import write_atomically
from prongsai.framework import load_frameworks
from prongsai.planning import draft_plan
from prongsai.results import ResultsInput, resolve

if TYPE_CHECKING:
    from prongsai.document.render_pdf import PdfRenderer

Status = Literal["written", "failed"]
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')  # not allowed in file names on Windows or Linux
_SPACES = re.compile(r"\s+")
CHUNK = 8  # jobs per task sent to a worker: fewer messages, still a fair share at the end


@dataclass(frozen=True)
class BatchOptions:
    """What every document of the batch shares."""

    fmt: str
    layout: str
    settings: ReportSettings
    thai_digits: bool = False
    units: Mapping[str, str] = field(default_factory=dict)  # role -> unit name, over the catalog's
    template: Path | None = None


@dataclass(frozen=True)
class Job:
    results: ResultsInput
    history: tuple[ResultsInput, ...]
    path: Path


@dataclass(frozen=True)
class Outcome:
    path: Path
    status: Status
    seconds: float
    estimated: bool = False
    detail_th: str = ""
    detail_en: str = ""


def _agency_key(record: ResultsInput) -> tuple[str, str | None, str | None]:
    agency = record.agency
    return agency.name, agency.district, agency.province


def _file_stem(record: ResultsInput) -> str:
    agency = record.agency
    parts = [str(record.ita_year), agency.name, agency.district or "", agency.province or ""]
    text = "-".join(p for p in parts if p)
    return _SPACES.sub(" ", _UNSAFE.sub("_", text)).strip(" .")


def jobs(records: Sequence[ResultsInput], out_dir: Path, fmt: str) -> list[Job]:
    """One job per agency-year, named ``<year>-<agency>[-<district>][-<province>].<fmt>``; a name two
    agencies would share gets ``-2``, ``-3`` in input order, so the names are the same on every run.
    Earlier years of the same agency (same name, district and province) are its history."""
    by_agency: dict[tuple[str, str | None, str | None], list[ResultsInput]] = {}
    for record in records:
        by_agency.setdefault(_agency_key(record), []).append(record)
    taken: dict[str, int] = {}
    out: list[Job] = []
    for record in records:
        stem = _file_stem(record)
        taken[stem.casefold()] = count = taken.get(stem.casefold(), 0) + 1
        name = f"{stem}-{count}" if count > 1 else stem
        earlier = tuple(r for r in by_agency[_agency_key(record)] if r.ita_year < record.ita_year)
        out.append(Job(record, earlier, out_dir / f"{name}.{fmt}"))
    return out


def pending(all_jobs: Sequence[Job]) -> tuple[list[Job], list[Job]]:
    """(to do, already done). Leftover temporary files of an interrupted run are removed.

    Each output folder is listed once (a national batch has thousands of files in one folder).
    A temporary file is ``.<name>.<random>`` (``files.write_atomically``), so its job is the part
    between the first dot and the last."""
    listed = {folder: _entries(folder) for folder in {job.path.parent for job in all_jobs}}
    ours = {(job.path.parent, job.path.name) for job in all_jobs}
    for folder, entries in listed.items():
        for entry in entries:
            if entry.startswith(".") and (folder, entry[1:].rpartition(".")[0]) in ours:
                (folder / entry).unlink(missing_ok=True)
    todo: list[Job] = []
    done: list[Job] = []
    for job in all_jobs:
        (done if job.path.name in listed[job.path.parent] else todo).append(job)
    return todo, done


def _entries(folder: Path) -> set[str]:
    try:
        return {entry.name for entry in os.scandir(folder)}
    except (FileNotFoundError, NotADirectoryError):
        return set()


# --------------------------------------------------------------------------------------------------
# One document
# --------------------------------------------------------------------------------------------------


class _Renderers:
    """Renderers a process keeps between documents: one Chromium for every PDF of the batch."""

    def __init__(self) -> None:
        self._pdf: PdfRenderer | None = None

    def pdf(self, document: Document) -> bytes:
        if self._pdf is None:
            from prongsai.document.render_pdf import PdfRenderer

            self._pdf = PdfRenderer()
            Finalize(self, self.close, exitpriority=10)  # a worker process closes it on exit
        return self._pdf.render(document)

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None


_RENDERERS = _Renderers()


def render_one(job: Job, options: BatchOptions) -> Outcome:
    """Render and write one job's document; a failure becomes a failed Outcome with its reason."""
    start = time.perf_counter()
    try:
        estimated = _render(job, options)
    except InputError as exc:
        th = "; ".join(p.describe("th") for p in exc.problems)
        en = "; ".join(p.describe("en") for p in exc.problems)
        return Outcome(job.path, "failed", time.perf_counter() - start, detail_th=th, detail_en=en)
    except Exception as exc:  # one broken document must not stop thousands of others
        detail = f"{type(exc).__name__}: {exc}"
        return Outcome(job.path, "failed", time.perf_counter() - start, detail_th=detail, detail_en=detail)
    return Outcome(job.path, "written", time.perf_counter() - start, estimated)


def _render(job: Job, options: BatchOptions) -> bool:
    frameworks = load_frameworks()
    results = resolve(frameworks[job.results.ita_year], job.results)
    history = [resolve(frameworks[h.ita_year], h) for h in job.history]
    framework = frameworks[results.ita_year]
    analysis = analyse(framework, results, history, load_crosswalk())
    limitations, suggestions = plan_defaults()
    units = agency_units(results.agency.type, options.units)
    plan = draft_plan(
        framework,
        analysis,
        results.agency,
        units,
        plan_year=None,
        limitations=limitations,
        suggestions=suggestions,
    )
    report = ReportInput(framework, results, analysis, plan, options.settings)
    renderers = {"pdf": _RENDERERS.pdf} if options.fmt == "pdf" else None
    data = render_report(
        report,
        options.fmt,
        layout=options.layout,
        thai_digits=options.thai_digits,
        template=options.template,
        renderers=renderers,
    )
    write_atomically(job.path, data)
    return report.estimated


def _render_chunk(chunk: Sequence[Job], options: BatchOptions) -> list[Outcome]:
    return [render_one(job, options) for job in chunk]


# --------------------------------------------------------------------------------------------------
# Many documents
# --------------------------------------------------------------------------------------------------


def _chunks(todo: Sequence[Job], size: int) -> Iterator[Sequence[Job]]:
    for start in range(0, len(todo), size):
        yield todo[start : start + size]


def run(todo: Sequence[Job], options: BatchOptions, workers: int, on_done: Callable[[Outcome], None]) -> None:
    """Render every job, ``workers`` at a time; ``on_done`` hears of each document as it finishes.

    Workers are forked from this process, so they start with the frameworks and catalogs already
    loaded. Interrupting (Ctrl-C) cancels what has not started; finished files stay, unfinished ones
    leave nothing but a temporary file that the next run removes.
    """
    if workers <= 1 or len(todo) <= 1:
        try:
            for job in todo:
                on_done(render_one(job, options))
        finally:
            _RENDERERS.close()
        return
    _warm_up(options.fmt)
    context = multiprocessing.get_context(_start_method())
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        waiting: set[Future[list[Outcome]]] = set()
        chunks = _chunks(todo, CHUNK)
        try:
            for chunk in chunks:  # keep every worker busy with two chunks in hand, no more
                waiting.add(pool.submit(_render_chunk, chunk, options))
                if len(waiting) >= 2 * workers:
                    waiting = _collect(waiting, on_done)
            while waiting:
                waiting = _collect(waiting, on_done)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _collect(
    waiting: set[Future[list[Outcome]]], on_done: Callable[[Outcome], None]
) -> set[Future[list[Outcome]]]:
    finished, still = wait(waiting, return_when=FIRST_COMPLETED)
    for future in finished:
        for outcome in future.result():
            on_done(outcome)
    return still


def _start_method() -> str:
    """Fork where the system has it (workers inherit everything loaded), spawn elsewhere (Windows)."""
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _warm_up(fmt: str) -> None:
    """Load what every document needs before forking, so workers share it instead of each loading it."""
    load_frameworks()
    load_crosswalk()
    plan_defaults()
    if fmt in ("docx", "html", "pdf"):
        from prongsai.document import charts

        charts.warm_up()
    if fmt == "docx":
        from prongsai.document import render_docx

        render_docx.warm_up()
