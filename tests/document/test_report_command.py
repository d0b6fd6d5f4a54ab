"""`prongsai report` end to end: every seed in every layout to DOCX read back with python-docx,
the measures table formats, the agency template, settings, and user mistakes."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from prongsai.document.layouts import LAYOUTS
from prongsai.document.output import render_report
from prongsai.thai import format_score, to_thai_digits
from tests.conftest import Run
from tests.document.reports import SEEDS, example, seed_report

TEMPLATE = Path(__file__).resolve().parents[2] / "examples" / "templates" / "letterhead.docx"


def _docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a DOCX, as python-docx reads it."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(c.text for c in row.cells))
    return "\n".join(parts)


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("seed", SEEDS)
def test_docx_read_back_has_every_weak_item_score_and_measure(seed: str, layout: str) -> None:
    report = seed_report(seed)
    text = _docx_text(render_report(report, "docx", layout=layout, thai_digits=False))
    for entry in report.analysis.weak_items:
        assert re.search(rf"\b{entry.key}\b.*{re.escape(format_score(entry.score))}", text), entry.key
    for measure in report.plan.measures:
        assert measure.title in text and measure.timeframe in text and measure.owner in text


def test_thai_digit_docx_has_no_arabic_digit() -> None:
    text = _docx_text(render_report(seed_report("002"), "docx", layout="full-report", thai_digits=True))
    assert not re.search(r"[0-9]", text)
    assert to_thai_digits("99.47") in text


def test_report_command_writes_each_format(tmp_path: Path, prongsai: Run) -> None:
    results = str(example("000"))
    for suffix in ("docx", "html", "xlsx", "csv", "json"):
        out = tmp_path / f"report.{suffix}"
        code, output = prongsai("report", results, "--layout", "summary", "-o", str(out))
        assert code == 0, output
        assert out.stat().st_size > 1000
        assert out.stat().st_mode & 0o044  # readable by others, like any file the user writes
    rows = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    measures = seed_report("000").plan.measures
    assert [r["title"] for r in rows] == [m.title for m in measures] or {r["title"] for r in rows} == {
        m.title for m in measures
    }
    assert rows[0]["steps"] and isinstance(rows[0]["steps"], list)
    raw = (tmp_path / "report.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the mark to read Thai
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0][2] == "มาตรการ" and len(table) == len(rows) + 1
    sheet = load_workbook(tmp_path / "report.xlsx").active
    assert sheet is not None and sheet.title == "มาตรการ"
    assert sheet.cell(2, 3).value == rows[0]["title"]
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert seed_report("000").agency in html


def test_report_with_an_edited_plan_shows_the_edits(tmp_path: Path, prongsai: Run) -> None:
    results, plan = str(example("001")), tmp_path / "plan.yaml"
    assert prongsai("plan", results, "-o", str(plan))[0] == 0
    text = plan.read_text(encoding="utf-8")
    first_title = seed_report("001").plan.measures[0].title
    plan.write_text(text.replace(first_title, "จัดอบรมคุณธรรมให้พนักงานทุกคน"), encoding="utf-8")
    out = tmp_path / "out.docx"
    code, output = prongsai("report", results, "--plan", str(plan), "-o", str(out))
    assert code == 0, output
    body = _docx_text(out.read_bytes())
    assert "จัดอบรมคุณธรรมให้พนักงานทุกคน" in body and first_title not in body


def test_a_plan_of_another_agency_is_refused(tmp_path: Path, prongsai: Run) -> None:
    plan = tmp_path / "plan.yaml"
    assert prongsai("plan", str(example("002")), "-o", str(plan))[0] == 0
    out = tmp_path / "out.docx"
    code, output = prongsai("report", str(example("001")), "--plan", str(plan), "-o", str(out))
    assert code == 2 and "เทศบาลเมืองบึงกาฬ" in output and not out.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-o", "out.txt"], "must end in .docx, .pdf, .html, .xlsx, .csv, .json"),
        (["--format", "pdf", "-o", "out.docx"], "does not end in .pdf"),
        (["--template", "x.docx", "-o", "out.pdf"], "can only produce .docx"),
        (["--date", "31/02/2568", "-o", "out.docx"], "there is no such date as '31/02/2568'"),
        (["--template", "missing.docx", "-o", "out.docx"], "file not found: missing.docx"),
    ],
)
def test_user_mistakes_are_named_in_thai_and_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prongsai: Run, args: list[str], expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = prongsai("report", str(example("002")), *args)
    assert code == 2, output
    assert expected in output
    assert "ไม่ได้บันทึก" in output  # the Thai line saying nothing was written
    assert not list(tmp_path.glob("out.*"))


def test_settings_errors_name_the_key(tmp_path: Path, prongsai: Run) -> None:
    settings = tmp_path / "agency.yaml"
    settings.write_text(
        "prepared_by: {name: นางสาวสมศรี ใจดี, rank: 3}\napproved: {name: x}\ndate: 2568-13-40\n",
        encoding="utf-8",
    )
    code, output = prongsai(
        "report", str(example("002")), "--settings", str(settings), "-o", str(tmp_path / "o.docx")
    )
    assert code == 2
    assert "'prepared_by' must be a mapping with name and position" in output
    assert "unknown key 'approved'" in output and "approved_by" in output  # the close spelling is suggested
    assert "cannot read the date" in output


def test_settings_fill_the_signature_block(tmp_path: Path, prongsai: Run) -> None:
    settings = tmp_path / "agency.yaml"
    settings.write_text(
        "approved_by: {name: นายสมปอง มั่นคง, position: นายกเทศมนตรีเมืองบึงกาฬ}\ndate: 2568-12-15\n",
        encoding="utf-8",
    )
    out = tmp_path / "o.docx"
    code, output = prongsai("report", str(example("002")), "--settings", str(settings), "-o", str(out))
    assert code == 0, output
    text = _docx_text(out.read_bytes())
    assert "(นายสมปอง มั่นคง)" in text and "นายกเทศมนตรีเมืองบึงกาฬ" in text
    assert "วันที่ ๑๕ ธันวาคม ๒๕๖๘" in text  # a เทศบาล's document is in Thai digits unless asked otherwise


def test_the_example_template_is_filled(tmp_path: Path, prongsai: Run) -> None:
    out = tmp_path / "letter.docx"
    code, output = prongsai(
        "report", str(example("001")), "--template", str(TEMPLATE), "--thai-digits", "-o", str(out)
    )
    assert code == 0, output
    document = docx.Document(str(out))
    text = _docx_text(out.read_bytes())
    assert "{{" not in text and "{%" not in text
    assert "เทศบาลตำบลโคกม่วง" in text and "พ.ศ. ๒๕๖๘" in text
    measures = seed_report("001").plan.measures
    assert all(m.title in text for m in measures)
    assert len(document.tables[1].rows) == len(measures) + 1  # header + one row per measure
    assert len(document.inline_shapes) == 1  # the indicator chart


def test_a_template_with_an_unknown_placeholder_is_refused(tmp_path: Path, prongsai: Run) -> None:
    template = tmp_path / "bad.docx"
    page = docx.Document()
    page.add_paragraph("{{ agency.nmae }}")
    page.save(str(template))
    code, output = prongsai(
        "report", str(example("001")), "--template", str(template), "-o", str(tmp_path / "o.docx")
    )
    assert code == 2 and "nmae" in output and "bad.docx" in output
    not_docx = tmp_path / "plain.docx"
    not_docx.write_text("hello", encoding="utf-8")
    code, output = prongsai(
        "report", str(example("001")), "--template", str(not_docx), "-o", str(tmp_path / "o.docx")
    )
    assert code == 2 and "plain.docx" in output
