"""Benchmark: carrying out the measures (issue 14), on the seed 000 plan for 2567 (15 measures) and
its illustrative progress file (38 updates).

Prints the milliseconds of
1. reading the plan and the progress file (every check), and where each measure stands on a day
   (progress status);
2. the 12-month progress report: building the document model, DOCX, and PDF with Chromium running
   against LibreOffice converting the same DOCX (the standing PDF goal: >= 3x);
3. reading the published report back (prongsai import) from its DOCX and its PDF (goal <= 0.2 s).
Run: .venv/bin/python bench/progress.py
Last line: read_ms=… status_ms=… build_ms=… docx_ms=… pdf_s=… libreoffice_s=… ratio=…
import_docx_s=… import_pdf_s=…
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from pathlib import Path

from pdf import libreoffice_pdf, line, ours_pdf
from timing import median_seconds

from prongsai.document.progress_report import build_progress_report
from prongsai.document.render_docx import render_docx
from prongsai.document.render_pdf import render_pdf
from prongsai.document.settings import ReportSettings
from prongsai.planfile import read_plan
from prongsai.progress import status_json
from prongsai.progressfile import read_progress

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples" / "seed-000-bueng-phai-2567-plan.yaml"
PROGRESS = ROOT / "examples" / "seed-000-bueng-phai-2567-progress.yaml"
AS_OF = dt.date(2024, 9, 30)  # 30 September 2567


def _ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def _import_seconds(path: Path) -> float:
    from prongsai.importing import read_document

    return median_seconds(lambda: read_document(path), warm_up=True)


def main() -> None:
    plan = read_plan(PLAN)
    progress, _ = read_progress(PROGRESS, plan)
    updates = sum(len(m.updates) for m in progress.measures)
    print(f"Seed 000 plan {plan.plan_year}: {len(plan.measures)} measures, {updates} updates")
    read = median_seconds(lambda: read_progress(PROGRESS, read_plan(PLAN)), warm_up=True)
    status = median_seconds(lambda: status_json(plan, progress, AS_OF), warm_up=True)
    print(line("1. read plan + progress file (checked)", _ms(read)))
    print(line("   progress status as of 30 Sep 2567", _ms(status)))

    settings = ReportSettings()
    document = build_progress_report(plan, progress, settings, 12)
    build = median_seconds(lambda: build_progress_report(plan, progress, settings, 12), warm_up=True)
    docx = median_seconds(lambda: render_docx(document), warm_up=True)
    print(line("2. 12-month report: document model", _ms(build)))
    print(line("   DOCX", _ms(docx), "goal: results -> DOCX <= 300 ms"))
    ours, _ = ours_pdf(document)
    other = libreoffice_pdf(document)
    ratio = other / ours if other is not None else math.nan
    if other is not None:
        print(line("   ratio LibreOffice / ours warm (goal >= 3x)", f"{ratio:.2f}x"))

    with tempfile.TemporaryDirectory(prefix="prongsai-bench-progress-") as name:
        folder = Path(name)
        docx_file, pdf_file = folder / "report.docx", folder / "report.pdf"
        docx_file.write_bytes(render_docx(document))
        pdf_file.write_bytes(render_pdf(document))
        import_docx = _import_seconds(docx_file)
        import_pdf = _import_seconds(pdf_file)
    print(line("3. import the report: DOCX", f"{import_docx:.3f} s", "goal <= 0.2 s"))
    print(line("   import the report: PDF", f"{import_pdf:.3f} s", "goal <= 0.2 s"))
    print(
        f"read_ms={read * 1000:.1f} status_ms={status * 1000:.2f} build_ms={build * 1000:.1f} "
        f"docx_ms={docx * 1000:.1f} pdf_s={ours:.3f} libreoffice_s={other or math.nan:.3f} "
        f"ratio={ratio:.2f} import_docx_s={import_docx:.3f} import_pdf_s={import_pdf:.3f}"
    )


if __name__ == "__main__":
    main()
