"""Benchmark: reading a published measures document back (prongsai import).

Prints the seconds per document (median of 7 runs, after one warm-up that loads the frameworks)
for each seed (plain text) and for a DOCX and a PDF that ``prongsai report`` writes for seed 002,
the largest. The goal is under 0.2 s for a seed-size document.

For each PDF it also times the former object library, pypdf (dev extra), doing only part of what
the reader does: opening the file, resolving every structure-tree object and decoding every page's
content streams (no text assembly): a floor for any reader built on pypdf, not the former reader.
Run: .venv/bin/python bench/importing.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import median_seconds

from prongsai.document.build import build_document
from prongsai.document.render_docx import render_docx
from prongsai.document.render_pdf import PdfRenderer
from prongsai.importing import read_document
from tests.document.reports import seed_report

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"  # ../shared beside the clone
GOAL = 0.2


def pypdf_floor(path: Path) -> None:
    """Open with pypdf, resolve the whole structure tree, decode the content streams."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject

    reader = PdfReader(path)
    stack = [reader.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while stack:
        element = stack.pop()
        kids = element.get("/K") if isinstance(element, DictionaryObject) else None
        kids = kids.get_object() if kids is not None else None
        for kid in kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else []:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, DictionaryObject):
                kid.get("/A")
                stack.append(kid)
    for page in reader.pages:
        contents = page.get_contents()
        if contents is not None:
            contents.get_data()


def pages(path: Path) -> int:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def main() -> None:
    documents: list[tuple[str, Path]] = [(p.name[:3] + " text", p) for p in sorted(SEEDS.glob("*.txt"))]
    folder = Path(tempfile.mkdtemp())
    report = seed_report("002")
    for layout in ("full-report", "issues-8col"):
        docx = folder / f"002-{layout}.docx"
        docx.write_bytes(render_docx(build_document(report, layout)))
        documents.append((f"002 {layout} DOCX", docx))
    with PdfRenderer() as renderer:
        for layout in ("full-report", "issues-8col"):
            pdf = folder / f"002-{layout}.pdf"
            pdf.write_bytes(renderer.render(build_document(report, layout)))
            documents.append((f"002 {layout} PDF", pdf))
    print(f"{'document':<28} {'KB':>6} {'seconds':>8}  goal < {GOAL} s")
    for label, path in documents:
        seconds = median_seconds(lambda path=path: read_document(path), warm_up=True)
        flag = "ok" if seconds < GOAL else "SLOW"
        extra = ""
        if path.suffix == ".pdf":
            floor = median_seconds(lambda path=path: pypdf_floor(path), warm_up=True)
            extra = f"  {pages(path)} pages; pypdf objects+streams alone {floor:.3f} s"
        print(f"{label:<28} {path.stat().st_size // 1024:>6} {seconds:>8.3f}  {flag}{extra}")


if __name__ == "__main__":
    main()
