"""One digit style per document, everywhere: every text of the model, every format (DOCX, PDF,
HTML, XLSX, CSV, JSON), every chart, whatever digits the catalogs, the framework's question texts
("รอบ ๖ เดือน") or a plan wrote. Item codes follow the document's digits (i๑ / i1); only web and
e-mail addresses keep theirs (docs/document.md). Thai digits are the default of local government."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import replace
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import pytest
from matplotlib.text import Text
from openpyxl import load_workbook
from pypdf import PdfReader

from prongsai.agency import Agency, kinds
from prongsai.app.agency_year import load_agency_year as load
from prongsai.catalog import agency_units, plan_defaults
from prongsai.catalog.measures import templates
from prongsai.document.build import build_document, document_thai_digits
from prongsai.document.charts import build_figure, chart_svg
from prongsai.document.layouts import LAYOUTS
from prongsai.document.model import Chart, Document
from prongsai.document.output import render_report
from prongsai.document.parts import ReportInput
from prongsai.document.render_docx import render_docx
from prongsai.document.render_html import render_html
from prongsai.document.render_pdf import PdfRenderer
from prongsai.document.texts import _catalog
from prongsai.planning import draft_plan
from prongsai.thai import to_digits
from tests.conftest import Run
from tests.document.pdftext import page_text
from tests.document.reports import SIGNED, example, seed_report

ARABIC = re.compile(r"[0-9]")
THAI = re.compile("[๐-๙]")
CATALOG = Path(__file__).resolve().parents[1] / "src" / "prongsai" / "catalog"


def _other_style(thai: bool) -> re.Pattern[str]:
    return ARABIC if thai else THAI


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


# --------------------------------------------------------------------------------------------------
# Catalog texts are written with Arabic digits and converted once, at the end
# --------------------------------------------------------------------------------------------------


def test_catalog_texts_write_arabic_digits() -> None:
    texts = [t for template in templates() for t in template.texts]
    texts += [
        *plan_defaults()[0],
        *plan_defaults()[1],
        *_strings(_catalog("document.yaml")),
        *_strings(_catalog("progress_report.yaml")),
    ]
    for name in ("units.yaml", "terms.yaml", "plan_defaults.yaml", "measures.yaml"):
        texts.append((CATALOG / name).read_text(encoding="utf-8"))
    assert not [t for t in texts if THAI.search(t)]


def test_the_one_conversion_keeps_addresses() -> None:
    assert to_digits("รอบ ๖ เดือน ข้อ i1", thai=False) == "รอบ 6 เดือน ข้อ i1"
    assert to_digits("รอบ 6 เดือน ข้อ i1", thai=True) == "รอบ ๖ เดือน ข้อ i๑"
    assert to_digits("www.bp2.go.th/a1 โทร 0 4291 1234", thai=True) == "www.bp2.go.th/a1 โทร ๐ ๔๒๙๑ ๑๒๓๔"
    assert to_digits("saraban@bp2.go.th", thai=True) == "saraban@bp2.go.th"


# --------------------------------------------------------------------------------------------------
# The document model and its charts
# --------------------------------------------------------------------------------------------------


def _model_strings(document: Document) -> list[str]:
    out = [document.text(), document.title, document.date_text, document.page_label]
    for figure in document.figures():
        chart = figure.chart
        out += [chart.title, *chart.categories, *(s.name for s in chart.series), chart.value_label]
        out += [chart.threshold_label or ""]
    return out


@pytest.mark.parametrize("thai", [True, False], ids=["thai", "arabic"])
@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("seed", ["000", "002"])
def test_every_text_of_the_model_has_one_digit_style(seed: str, layout: str, thai: bool) -> None:
    document = build_document(seed_report(seed), layout, thai_digits=thai)
    assert document.thai_digits is thai
    assert all(f.chart.thai_digits is thai for f in document.figures())
    wrong = [s for s in _model_strings(document) if _other_style(thai).search(s)]
    assert not wrong, wrong[:3]


def test_a_framework_text_in_thai_digits_comes_out_in_arabic() -> None:
    """Seed 000's o12 is 'รายงานการกำกับติดตาม... รอบ ๖ เดือน' in the 2566 framework."""
    arabic = build_document(seed_report("000"), "issues-8col", thai_digits=False).text()
    thai = build_document(seed_report("000"), "issues-8col", thai_digits=True).text()
    assert "รอบ 6 เดือน" in arabic and "รอบ ๖ เดือน" not in arabic
    assert "o๑๒ รายงานการกำกับติดตาม" in thai  # item codes follow the document's digits


def _drawn_texts(chart: Chart) -> list[str]:
    figure = build_figure(chart, 15.0)
    return [t.get_text() for t in figure.findobj(Text) if t.get_text()]


@pytest.mark.parametrize("thai", [True, False], ids=["thai", "arabic"])
def test_charts_draw_one_digit_style(thai: bool) -> None:
    document = build_document(seed_report("002"), "full-report", thai_digits=thai)
    assert document.figures()
    for figure in document.figures():
        # a chart given strings in the other style is still drawn in its own
        mixed = replace(figure.chart, title=to_digits(figure.chart.title, thai=not thai))
        drawn = _drawn_texts(mixed)
        assert drawn and not [t for t in drawn if _other_style(thai).search(t)], figure.chart.key
        assert any(re.search(r"[0-9๐-๙]", t) for t in drawn)
        svg_text = re.findall(r"<text[^>]*>([^<]*)</text>", chart_svg(mixed, 15.0))
        assert not [t for t in svg_text if _other_style(thai).search(t)]


# --------------------------------------------------------------------------------------------------
# Every format
# --------------------------------------------------------------------------------------------------


def _docx_strings(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    out = [p.text for p in document.paragraphs]
    out += [c.text for t in document.tables for r in t.rows for c in r.cells]
    for section in document.sections:
        out += [p.text for p in section.footer.paragraphs] + [p.text for p in section.header.paragraphs]
    props = document.core_properties
    return [*out, props.title or "", props.subject or ""]


class _Visible(HTMLParser):
    """The text a reader sees: everything but styles, scripts and the SVG's metadata."""

    HIDDEN = frozenset({"style", "script", "metadata", "title"})

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += tag in self.HIDDEN

    def handle_endtag(self, tag: str) -> None:
        self.depth -= tag in self.HIDDEN

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def _html_strings(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    return [*parser.parts, title.group(1) if title else ""]


@pytest.mark.parametrize("thai", [True, False], ids=["thai", "arabic"])
def test_docx_and_html_have_one_digit_style(thai: bool) -> None:
    for layout in LAYOUTS:
        document = build_document(seed_report("000"), layout, thai_digits=thai)
        docx_text = _docx_strings(render_docx(document))
        assert not [s for s in docx_text if _other_style(thai).search(s)], layout
        html = render_html(document, embed_fonts=False)
        assert not [s for s in _html_strings(html) if _other_style(thai).search(s)], layout
        assert ("counter(page, thai)" in html) is thai  # page numbers too


@pytest.mark.parametrize("thai", [True, False], ids=["thai", "arabic"])
def test_the_docx_page_numbers_follow_the_digits(thai: bool) -> None:
    data = render_docx(build_document(seed_report("002"), "summary", thai_digits=thai))
    with io.BytesIO(data) as raw:
        xml = zipfile.ZipFile(raw).read("word/document.xml").decode("utf-8")
    assert ('w:fmt="thaiNumbers"' in xml) is thai


def test_pdf_has_one_digit_style() -> None:
    with PdfRenderer() as renderer:
        for thai in (True, False):
            document = build_document(seed_report("000"), "issues-8col", thai_digits=thai)
            reader = PdfReader(io.BytesIO(renderer.render(document)))
            text = "\n".join(page_text(reader, n) for n in range(len(reader.pages)))
            assert text.strip()
            assert not _other_style(thai).search(text), _other_style(thai).findall(text)[:5]


@pytest.mark.parametrize("thai", [True, False], ids=["thai", "arabic"])
def test_the_measures_table_formats_have_one_digit_style(thai: bool) -> None:
    report = seed_report("000")
    rows = json.loads(render_report(report, "json", layout="summary", thai_digits=thai))
    values = [s for row in rows for k, v in row.items() if k != "id" for s in _strings(v)]
    assert values and not [v for v in values if _other_style(thai).search(v)]
    table = list(
        csv.reader(
            io.StringIO(render_report(report, "csv", layout="summary", thai_digits=thai).decode("utf-8-sig"))
        )
    )
    cells = [c for row in table[1:] for c in row[1:]]  # the first column is the measure's id
    assert not [c for c in cells if _other_style(thai).search(c)]
    sheet = load_workbook(
        io.BytesIO(render_report(report, "xlsx", layout="summary", thai_digits=thai))
    ).active
    assert sheet is not None
    cells = [
        str(c.value) for row in sheet.iter_rows(min_row=2, min_col=2) for c in row if c.value is not None
    ]
    assert cells and not [c for c in cells if _other_style(thai).search(c)]


# --------------------------------------------------------------------------------------------------
# The default: Thai for local government, Arabic for other agencies, either on request
# --------------------------------------------------------------------------------------------------


@cache
def _government_variant() -> ReportInput:
    loaded = load(example("000"), (), None)
    agency = Agency("สำนักงานบึงไผ่", "ส่วนราชการ")
    plan = draft_plan(loaded.framework, loaded.analysis, agency, agency_units("ส่วนราชการ", {}))
    return ReportInput(
        loaded.framework, replace(loaded.results, agency=agency), loaded.analysis, plan, SIGNED
    )


def test_the_default_digits_follow_the_kind_of_agency() -> None:
    assert {k: w.thai_digits for k, w in kinds().items()} == {
        "municipality": True,
        "sao": True,
        "pao": True,
        "bangkok": True,
        "pattaya": True,
        "government": False,
        "other": False,
    }
    assert document_thai_digits(seed_report("000"), None) is True
    assert document_thai_digits(seed_report("000"), False) is False
    assert document_thai_digits(_government_variant(), None) is False
    assert document_thai_digits(_government_variant(), True) is True
    rows = json.loads(render_report(_government_variant(), "json", layout="summary"))
    assert not THAI.search(json.dumps(rows, ensure_ascii=False))


def _docx_body(path: Path) -> str:
    return "\n".join(_docx_strings(path.read_bytes()))


def test_the_report_command_writes_thai_digits_for_a_municipality_unless_asked(
    tmp_path: Path, prongsai: Run
) -> None:
    results = str(example("000"))
    runs = {
        "default": (),
        "thai": ("--digits", "thai"),
        "arabic": ("--digits", "arabic"),
        "thai-digits": ("--thai-digits",),
        "last-wins": ("--thai-digits", "--digits", "arabic"),
    }
    for name, options in runs.items():
        out = tmp_path / f"{name}.docx"
        code, output = prongsai("report", results, "--layout", "summary", *options, "-o", str(out))
        assert code == 0, output
        thai = name in ("default", "thai", "thai-digits")
        assert not _other_style(thai).search(_docx_body(out)), name
    code, output = prongsai("report", results, "--digits", "roman", "-o", str(tmp_path / "x.docx"))
    assert code == 2 and "roman" in output


def test_the_analysis_narrative_takes_the_same_options(prongsai: Run) -> None:
    results = str(example("001"))
    code, arabic = prongsai("analyze", results, "--json")
    assert code == 0, arabic
    code, thai = prongsai("analyze", results, "--json", "--digits", "thai")
    assert code == 0, thai
    narrative = json.JSONDecoder().raw_decode(thai[thai.index("{") :])[0]["narrative"]
    assert narrative and all(not ARABIC.search(t) for t in narrative.values())
