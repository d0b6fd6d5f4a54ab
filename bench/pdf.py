"""Benchmark: documents, in one run.

1. A report of about 15 pages to PDF: prongsai's path (the HTML page printed by one Chromium kept
   running, PdfRenderer; and the one-shot render_pdf) against the obvious alternative, LibreOffice
   converting the same document's DOCX (``soffice --headless --convert-to pdf``).
2. One agency from results to DOCX in process, as in a batch run: load + drafted_plan + ReportInput +
   render_report(..., "docx", layout="full-report") for each seed example, with the split between
   analysis and plan, document model, and DOCX rendering (of which charts).

The last line is the summary: pdf_ours_s=… pdf_libreoffice_s=… ratio=… docx_agency_ms=…
LibreOffice is optional (bash scripts/setup.sh --with-libreoffice); without it part 1 compares nothing.
Run: .venv/bin/python bench/pdf.py
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from pypdf import PdfReader
from timing import median_seconds, seconds

from prongsai.cli.analysis import drafted_plan, load
from prongsai.document.build import build_document
from prongsai.document.model import Document, Figure
from prongsai.document.output import render_report
from prongsai.document.parts import ReportInput
from prongsai.document.settings import Person, ReportSettings

# Modules that load matplotlib (charts, render_docx, render_pdf) are imported in the functions below,
# after main() has pointed MPLCONFIGDIR at a temporary directory when it is unset.

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEEDS = ("000", "001", "002", "003", "004")
# The ~15-page report: seed 000 in the full layout prints 18 A4 pages in Chromium; the other full
# reports print 12, 12, 9 and 6. The issues-8col layout of seed 002 prints exactly 15 pages but is one
# table without charts, so the full report (narrative, 22 tables, 2 charts) is the realistic case.
PDF_SEED, PDF_LAYOUT = "000", "full-report"
RUNS = 5  # timed runs per measurement; the median is reported
SOFFICE_TIMEOUT_S = 300
SETTINGS = ReportSettings(
    signers={
        "prepared_by": Person("นางสาวสมศรี ใจดี", "นิติกรชำนาญการ"),
        "endorsed_by": Person("นายสมชาย รักดี", "ปลัดเทศบาล"),
        "approved_by": Person("นายสมปอง มั่นคง", "นายกเทศมนตรี"),
    },
    unit="งานนิติการ สำนักปลัดเทศบาล",
    date=dt.date(2025, 12, 15),
)


@dataclass(frozen=True)
class PdfFigures:
    ours_s: float  # PdfRenderer warm
    one_shot_s: float  # render_pdf: Chromium started for this one document
    libreoffice_s: float | None  # None: LibreOffice missing or failed


def example(seed: str) -> Path:
    return next(EXAMPLES.glob(f"seed-{seed}-*-25[0-9][0-9].yaml"))


def report_input(path: Path) -> ReportInput:
    """What ``prongsai report`` builds before rendering: analysis, a drafted plan, the settings."""
    loaded = load(path, (), None)
    plan = drafted_plan(loaded, None, None)
    return ReportInput(loaded.framework, loaded.results, loaded.analysis, plan, SETTINGS)


def pdf_pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def pdf_fonts(pdf: bytes) -> str:
    """The fonts embedded in the PDF, without subset prefixes: shows what the engine laid out with."""
    names: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for ref in fonts.get_object().values() if fonts is not None else ():
            base = ref.get_object().get("/BaseFont")
            if base is not None:
                names.add(str(base).lstrip("/").split("+")[-1])
    return ", ".join(sorted(names)) or "none"


def line(label: str, value: str, note: str = "") -> str:
    return f"  {label:46} {value:>10}  {note}".rstrip()


# --------------------------------------------------------------------------------------------------
# 1. A ~15-page report to PDF: Chromium (ours) against LibreOffice converting the DOCX
# --------------------------------------------------------------------------------------------------


def ours_pdf(document: Document) -> tuple[float, float]:
    """Median seconds of PdfRenderer.render with Chromium already running, and seconds of one
    render_pdf; prints the details."""
    from prongsai.document.render_pdf import PdfRenderer, render_pdf

    pdf = b""

    def one_shot() -> None:
        nonlocal pdf
        pdf = render_pdf(document)

    cold = seconds(one_shot)
    renderer = PdfRenderer()
    started = seconds(renderer.start)
    with renderer:
        first = seconds(lambda: renderer.render(document))
        warm = median_seconds(lambda: renderer.render(document), RUNS)
    made = f"{pdf_pages(pdf)} pages, fonts {pdf_fonts(pdf)}"
    print(line(f"ours: PdfRenderer warm, median of {RUNS}", f"{warm:.3f} s", made))
    print(line("  Chromium start (once per batch)", f"{started:.3f} s"))
    print(line("  first render after the start", f"{first:.3f} s"))
    print(line("ours: render_pdf one-shot (start + render)", f"{cold:.3f} s"))
    return warm, cold


def libreoffice_pdf(document: Document) -> float | None:
    """Median seconds of soffice converting the document's DOCX, after one conversion that warms a
    fresh profile; None (with the reason printed) when LibreOffice is missing or fails."""
    from prongsai.document.render_docx import render_docx

    soffice = shutil.which("soffice")
    if soffice is None:
        print("  LibreOffice: soffice not found, comparison skipped.")
        print("  Install it with: bash scripts/setup.sh --with-libreoffice")
        return None
    with tempfile.TemporaryDirectory(prefix="prongsai-bench-lo-") as name:
        tmp = Path(name)
        docx, out = tmp / "report.docx", tmp / "out"
        docx.write_bytes(render_docx(document))
        pdf = out / "report.pdf"
        command = [
            soffice,
            f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(docx),
        ]

        def convert() -> None:
            pdf.unlink(missing_ok=True)
            done = subprocess.run(command, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT_S)
            if done.returncode != 0 or not pdf.exists():
                detail = (done.stderr or done.stdout).strip().splitlines()
                raise RuntimeError(f"exit code {done.returncode}: {detail[-1] if detail else 'no PDF'}")

        try:
            version = subprocess.run(
                [soffice, "--version"], capture_output=True, text=True, timeout=SOFFICE_TIMEOUT_S
            ).stdout.split()
            fresh = seconds(convert)
            warm = median_seconds(convert, RUNS)
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
            print(f"  LibreOffice: conversion failed ({exc}), comparison skipped.")
            return None
        fonts = pdf_fonts(pdf.read_bytes())
        made = f"{pdf_pages(pdf.read_bytes())} pages, fonts {fonts}"
    engine = " ".join(version[:2]) if version else "LibreOffice"
    print(line(f"{engine}: DOCX -> PDF, median of {RUNS}", f"{warm:.3f} s", made))
    print(line("  first run, fresh profile (not in median)", f"{fresh:.3f} s"))
    if "Sarabun" not in fonts:
        print("  (the DOCX asks for TH Sarabun New, not installed here: LibreOffice substituted a font)")
    return warm


def bench_pdf() -> PdfFigures:
    document = build_document(report_input(example(PDF_SEED)), PDF_LAYOUT)
    print(f"1. PDF of one report: seed {PDF_SEED}, layout {PDF_LAYOUT}, the same document model both ways")
    ours, one_shot = ours_pdf(document)
    other = libreoffice_pdf(document)
    if other is not None:
        print(line("ratio LibreOffice / ours warm (goal >= 3x)", f"{other / ours:.2f}x"))
        print(line("ratio LibreOffice / ours one-shot", f"{other / one_shot:.2f}x"))
    return PdfFigures(ours, one_shot, other)


# --------------------------------------------------------------------------------------------------
# 2. One agency from results to DOCX, in process
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    analysis_plan_s: float
    model_s: float
    docx_s: float
    charts_s: float
    figures: int


def agency_docx(path: Path) -> bytes:
    """The whole path of one agency, as a batch run does it."""
    return render_report(report_input(path), "docx", layout="full-report")


def split(path: Path) -> Split:
    """Medians of each step of agency_docx timed on its own; charts are timed apart from the DOCX
    rendering that contains them (chart_png at the width render_docx gives each figure)."""
    from prongsai.document import charts
    from prongsai.document.render_docx import render_docx, text_width

    steps: dict[str, list[float]] = {"plan": [], "model": [], "docx": [], "charts": []}
    figures = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        loaded = load(path, (), None)
        plan = drafted_plan(loaded, None, None)
        planned = time.perf_counter()
        report = ReportInput(loaded.framework, loaded.results, loaded.analysis, plan, SETTINGS)
        document = build_document(report, "full-report")
        modelled = time.perf_counter()
        render_docx(document)
        rendered = time.perf_counter()
        widths = [
            (block, min(block.width_cm, text_width(section.orientation).cm))
            for section in document.sections
            for block in section.blocks
            if isinstance(block, Figure)
        ]
        for block, width_cm in widths:
            charts.chart_png(block.chart, width_cm)
        figures = len(widths)
        steps["plan"].append(planned - start)
        steps["model"].append(modelled - planned)
        steps["docx"].append(rendered - modelled)
        steps["charts"].append(time.perf_counter() - rendered)
    median = {key: statistics.median(values) for key, values in steps.items()}
    return Split(median["plan"], median["model"], median["docx"], median["charts"], figures)


def row(name: str, *cells: str | float) -> str:
    widths = (9, 9, 17, 9, 8, 10, 8)
    texts = (f"{c:>{w}}" if isinstance(c, str) else f"{c:{w}.1f}" for c, w in zip(cells, widths, strict=True))
    return " ".join((f"{name:32}", *texts))


def bench_docx() -> float:
    print(f"2. One agency, results to DOCX in process (full-report), median of {RUNS} per seed")
    paths = [example(seed) for seed in SEEDS]
    no_charts = paths[-1]  # seed 004 has no scores: loads every module without drawing a chart frame
    first = seconds(lambda: agency_docx(no_charts))
    print(
        line("warm-up run (imports, fonts, frameworks, catalogs)", f"{first * 1000:.1f} ms", no_charts.name)
    )
    print("   first ms: the first document of its year in the process, chart frames drawn from scratch;")
    print("   total ms: median of the next runs, frames kept, as for every further agency of a batch")
    print(
        row(
            "example",
            "first ms",
            "total ms",
            "analysis+plan ms",
            "model ms",
            "docx ms",
            "charts ms",
            "figures",
        )
    )
    totals = []
    for path in paths:
        cold = seconds(partial(agency_docx, path))
        total = median_seconds(partial(agency_docx, path), RUNS)
        totals.append(total)
        part = split(path)
        print(
            row(
                path.name,
                cold * 1000,
                total * 1000,
                part.analysis_plan_s * 1000,
                part.model_s * 1000,
                part.docx_s * 1000,
                part.charts_s * 1000,
                str(part.figures),
            )
        )
    median = statistics.median(totals) * 1000
    print(line("median per agency (goal < 300 ms)", f"{median:.1f} ms", f"max {max(totals) * 1000:.1f} ms"))
    return median


def main() -> None:
    # matplotlib's cache, when none is set: a temporary one, so that a read-only HOME does not matter
    with tempfile.TemporaryDirectory(prefix="prongsai-bench-mpl-") as mpl:
        os.environ.setdefault("MPLCONFIGDIR", mpl)
        run()


def run() -> None:
    pdf = bench_pdf()
    print()
    docx_ms = bench_docx()
    other = pdf.libreoffice_s if pdf.libreoffice_s is not None else float("nan")
    ratio = other / pdf.ours_s
    print()
    if pdf.libreoffice_s is None:
        print("goal PDF LibreOffice / ours >= 3x: not measured (no LibreOffice)")
    else:
        print(f"goal PDF LibreOffice / ours >= 3x: {'met' if ratio >= 3 else 'NOT met'} ({ratio:.2f}x)")
    print(f"goal DOCX per agency < 300 ms: {'met' if docx_ms < 300 else 'NOT met'} ({docx_ms:.1f} ms)")
    print(
        f"pdf_ours_s={pdf.ours_s:.3f} pdf_libreoffice_s={other:.3f} "
        f"ratio={ratio:.2f} docx_agency_ms={docx_ms:.2f}"
    )


if __name__ == "__main__":
    main()
