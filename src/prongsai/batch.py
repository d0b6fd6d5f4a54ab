"""Documents for many agency-years at once: one file per agency-year, in parallel, resumable.

A batch is a list of :class:`Job` (one agency-year, the file it becomes, the earlier years of the same
agency found in the input as its history). :func:`pending` drops the jobs whose file already exists and
is complete, and removes the temporary files an interrupted run left behind; running the same batch
again therefore continues where it stopped. Files are written atomically, but a file can still be
empty or cut short (a crash of the machine before the disk caught up, a copy that stopped, a full
disk elsewhere), so an existing file counts as finished only if it passes a cheap check of its format
(:func:`incomplete`); the others are made again and the run says how many and why.
:func:`run` renders the jobs in worker processes (or in this process for one worker; never more
workers than documents) and reports each :class:`Outcome` as it arrives. A document that fails does
not stop the others.

Every document goes through the same steps as ``prongsai report`` for one agency: resolve the scores,
analyse with the history, draft the plan from the catalogs, build and render the document.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import re
import stat
import struct
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing.context import BaseContext
from multiprocessing.util import Finalize
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

from prongsai.agency import agency_key
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
Incomplete = Literal["empty", "incomplete"]
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')  # not allowed in file names on Windows or Linux
_SPACES = re.compile(r"\s+")
CHUNK = 8  # jobs per task sent to a worker: fewer messages, still a fair share at the end
# A file name's stem keeps at most this many bytes (UTF-8): Linux allows 255 per name, and the
# temporary file adds a dot in front and eight characters behind (files.write_atomically).
STEM_BYTES = 200


@dataclass(frozen=True)
class BatchOptions:
    """What every document of the batch shares."""

    fmt: str
    layout: str
    settings: ReportSettings
    thai_digits: bool | None = None  # None: the default of each agency's kind
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


def _file_stem(record: ResultsInput) -> str:
    agency = record.agency
    parts = [str(record.ita_year), agency.name, agency.district or "", agency.province or ""]
    text = "-".join(p for p in parts if p)
    stem = _SPACES.sub(" ", _UNSAFE.sub("_", text)).strip(" .")
    while len(stem.encode("utf-8")) > STEM_BYTES:  # an agency name of 20,000 characters still fits
        stem = stem[:-1].rstrip(" .")
    return stem


def jobs(records: Sequence[ResultsInput], out_dir: Path, fmt: str) -> list[Job]:
    """One job per agency-year, named ``<year>-<agency>[-<district>][-<province>].<fmt>``; a name two
    agencies would share gets ``-2``, ``-3`` in input order, so the names are the same on every run.
    Earlier years of the same agency (agency.agency_key: the same normalised name, district and
    province) are its history."""
    by_agency: dict[tuple[str, str | None, str | None], list[ResultsInput]] = {}
    for record in records:
        by_agency.setdefault(agency_key(record.agency), []).append(record)
    taken: dict[str, int] = {}
    out: list[Job] = []
    for record in records:
        stem = _file_stem(record)
        taken[stem.casefold()] = count = taken.get(stem.casefold(), 0) + 1
        name = f"{stem}-{count}" if count > 1 else stem
        earlier = tuple(r for r in by_agency[agency_key(record.agency)] if r.ita_year < record.ita_year)
        out.append(Job(record, earlier, out_dir / f"{name}.{fmt}"))
    return out


@dataclass(frozen=True)
class Pending:
    """What a run has to do: ``todo`` (``redone`` among them: jobs whose file was there but not a
    complete file, with the reason) and ``done`` (a complete file is there)."""

    todo: list[Job]
    done: list[Job]
    redone: list[tuple[Job, Incomplete]] = field(default_factory=list)


def pending(all_jobs: Sequence[Job]) -> Pending:
    """The jobs still to do. Leftover temporary files of an interrupted run are removed.

    Each output folder is listed once (a national batch has thousands of files in one folder).
    A temporary file is ``.<name>.<random>`` (``files.write_atomically``), so its job is the part
    between the first dot and the last. A file that is there counts as done only if
    :func:`incomplete` finds nothing wrong with it."""
    listed = {folder: _entries(folder) for folder in {job.path.parent for job in all_jobs}}
    ours = {(job.path.parent, job.path.name) for job in all_jobs}
    for folder, entries in listed.items():
        for entry in entries:
            if entry.startswith(".") and (folder, entry[1:].rpartition(".")[0]) in ours:
                (folder / entry).unlink(missing_ok=True)
    todo: list[Job] = []
    done: list[Job] = []
    redone: list[tuple[Job, Incomplete]] = []
    for job in all_jobs:
        if job.path.name not in listed[job.path.parent]:
            todo.append(job)
            continue
        reason = incomplete(job.path)
        if reason is None:
            done.append(job)
        else:
            todo.append(job)
            redone.append((job, reason))
    return Pending(todo, done, redone)


_EOCD = b"PK\x05\x06"  # a zip archive's end-of-central-directory record: the last thing written
_EOCD_SIZE = 22
_TAIL = 1024  # a PDF ends with %%EOF (and maybe a line end); HTML with </html>


def incomplete(path: Path) -> Incomplete | None:
    """Why the file at ``path`` is not a complete file of its format (by its suffix), or None.

    Cheap checks that a cut-short file fails: DOCX/XLSX are zip archives whose end record is
    present and agrees with the file's size; a PDF starts with ``%PDF-`` and ends with ``%%EOF``;
    HTML ends with ``</html>``; CSV ends with a line end; JSON parses."""
    try:
        with path.open("rb") as stream:
            status = os.fstat(stream.fileno())
            if not stat.S_ISREG(status.st_mode):
                return "incomplete"
            if status.st_size == 0:
                return "empty"
            fmt = path.suffix.lower().lstrip(".")
            if fmt == "json":
                return None if _parses(stream.read()) else "incomplete"
            head = stream.read(8)
            stream.seek(max(0, status.st_size - _TAIL))
            tail = stream.read()
            if fmt in ("docx", "xlsx"):
                whole = head.startswith(b"PK\x03\x04") and _zip_ends(stream, status.st_size, tail)
            elif fmt == "pdf":
                whole = head.startswith(b"%PDF-") and b"%%EOF" in tail[-64:]
            elif fmt == "html":
                whole = b"</html>" in tail[-64:].lower()
            elif fmt == "csv":
                whole = tail.endswith(b"\n")
            else:
                whole = True
    except OSError:
        return "incomplete"
    return None if whole else "incomplete"


def _parses(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:  # also UnicodeDecodeError
        return False
    return True


def _zip_ends(stream: BinaryIO, size: int, tail: bytes) -> bool:
    """The end-of-central-directory record is there, and the central directory it points to ends
    where the record starts (the record may be followed by a comment of up to 64 KiB)."""
    if len(tail) < _EOCD_SIZE:
        return False
    at = len(tail) - _EOCD_SIZE
    if tail[at : at + 4] != _EOCD:  # a comment follows the record (prongsai writes none)
        stream.seek(max(0, size - _EOCD_SIZE - 0xFFFF))
        tail = stream.read()
        at = tail.rfind(_EOCD)
        if at < 0 or len(tail) - at < _EOCD_SIZE:
            return False
    record_at = size - (len(tail) - at)
    directory_size, directory_at, comment = (int(v) for v in struct.unpack("<IIH", tail[at + 12 : at + 22]))
    if directory_at == 0xFFFFFFFF:  # zip64: the sizes are in another record; the end record will do
        return True
    return directory_at + directory_size == record_at and record_at + _EOCD_SIZE + comment == size


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
    settings, _ = options.settings.for_plan_year(plan.plan_year)  # the command warned of a date once
    report = ReportInput(framework, results, analysis, plan, settings)
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
    loaded. Never more workers than documents are started (a pool started with fork starts all its
    workers at once), and the documents are shared out so that every worker gets some. Interrupting
    (Ctrl-C) cancels what has not started; finished files stay, unfinished ones leave nothing but a
    temporary file that the next run removes.
    """
    workers = worker_count(workers, len(todo))
    if workers <= 1:
        try:
            for job in todo:
                on_done(render_one(job, options))
        finally:
            _RENDERERS.close()
        return
    _warm_up(options.fmt)
    context = multiprocessing.get_context(_start_method())
    with _pool(workers, context) as pool:
        waiting: set[Future[list[Outcome]]] = set()
        chunks = _chunks(todo, chunk_size(len(todo), workers))
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


def worker_count(requested: int, documents: int) -> int:
    """Workers to start: as many as asked for, but never more than there are documents."""
    return max(1, min(requested, documents))


def chunk_size(documents: int, workers: int) -> int:
    """Documents per task: ``CHUNK``, or fewer when that would leave some workers without work."""
    return max(1, min(CHUNK, math.ceil(documents / max(1, workers))))


def _pool(workers: int, context: BaseContext) -> ProcessPoolExecutor:
    """The worker processes (one place, so that a test can see how many are asked for)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


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
