"""XLSX workbooks are read with their real extent proved first, rows and columns numbered as the
sheet numbers them, and percentages as the points they show (loader.xlsx)."""

from __future__ import annotations

import io
import random
import re
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import yaml

from prongsai.loader.limits import MIB, Limits
from prongsai.loader.xlsx import percent_text, read_sheets
from prongsai.loader.xlsx_extent import column_letters, column_number, scan
from prongsai.problems import Location
from prongsai.scoring.source import ANSWER_COLUMNS, open_table
from tests.loader.helpers import limit_name, one_problem

ROOT = Path(__file__).resolve().parents[2]
SEED = yaml.safe_load((ROOT / "examples" / "seed-002-bueng-kan-2568.yaml").read_text(encoding="utf-8"))
HERE = Location(file="results.xlsx")
SHEET = "xl/worksheets/sheet1.xml"


def workbook(fill: Callable[[openpyxl.worksheet.worksheet.Worksheet], None], title: str = "ผล ITA") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    fill(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite(
    data: bytes, member: str, change: Callable[[bytes], bytes], extra: dict[str, bytes] | None = None
) -> bytes:
    """The same workbook with one member's XML changed (and members added)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == member else content)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def with_cells(data: bytes, sheet_data: str, dimension: str | None = None) -> bytes:
    def change(xml: bytes) -> bytes:
        xml = re.sub(rb"<sheetData>.*</sheetData>|<sheetData/>", sheet_data.encode(), xml, flags=re.DOTALL)
        if dimension is not None:
            xml = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>'.encode(), xml)
        return xml

    return rewrite(data, SHEET, change)


def results_table(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
    """Seed 002's scores as a results office publishes them: overall and tools as percentages."""
    scores = SEED["scores"]
    sheet.append(["หน่วยงาน", "ita_year", "overall", "IIT", "OIT", "EIT1", "EIT2"])
    sheet.append(
        [SEED["agency"]["name"], SEED["ita_year"]]
        + [scores["overall"] / 100]
        + [scores["tools"][t] / 100 for t in ("IIT", "OIT", "EIT1", "EIT2")]
    )
    for cell in sheet[2][2:]:
        cell.number_format = "0.00%"
    sheet["C2"].number_format = "0%"  # shown rounded, read exactly


def test_a_percent_formatted_results_sheet_is_read_as_the_points_it_shows() -> None:
    (sheet,) = read_sheets(workbook(results_table), HERE)
    assert sheet.name == "ผล ITA"
    header, row = sheet.rows
    assert header == ["หน่วยงาน", "ita_year", "overall", "IIT", "OIT", "EIT1", "EIT2"]
    assert row == ["เทศบาลเมืองบึงกาฬ", 2568.0, "99.47%", "99.8%", "99.13%", "100%", "99.13%"]


def test_percent_text_is_exact_decimal_and_leaves_other_values_alone() -> None:
    assert percent_text(0.92) == "92%"
    assert percent_text(0.9213) == "92.13%"
    assert percent_text(0.1 + 0.2) == "30.000000000000004%"  # the number as stored, never rounded
    assert percent_text(1) == "100%" and percent_text(0.0) == "0%"
    assert percent_text("92%") == "92%" and percent_text(True) is True and percent_text(None) is None


def test_a_literal_percent_sign_in_a_format_does_not_scale_the_number() -> None:
    def fill(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
        sheet["A1"] = 92.13
        sheet["A1"].number_format = '0.00"%"'  # Excel shows 92.13%: the sign is text, no x100
        sheet["B1"] = 92.13
        sheet["B1"].number_format = "0.00\\%"
        sheet["C1"] = 0.5
        sheet["C1"].number_format = "[Blue]0.0%;[Red]-0.0%"

    (sheet,) = read_sheets(workbook(fill), HERE)
    assert sheet.rows == [[92.13, 92.13, "50%"]]


def test_a_sheet_that_starts_at_c5_keeps_its_row_numbers_and_column_letters() -> None:
    def fill(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
        sheet["C5"] = "agency"
        sheet["D5"] = "overall"
        sheet["C6"] = SEED["agency"]["name"]
        sheet["D6"] = SEED["scores"]["overall"]

    (sheet,) = read_sheets(workbook(fill), HERE)
    assert len(sheet.rows) == 6 and all(len(row) == 4 for row in sheet.rows)
    assert sheet.rows[4][2] == "agency" and sheet.rows[5][3] == 99.47  # C5, D6
    assert sheet.rows[0] == [None] * 4


def test_a_declared_dimension_of_512_gb_is_not_trusted_and_costs_nothing() -> None:
    data = with_cells(
        workbook(results_table),
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>agency</t></is></c><c r="B1"><v>2568</v></c></row></sheetData>',
        dimension="A1:XFD1048576",
    )
    script = textwrap.dedent(
        """
        import re, sys, time
        from prongsai.loader.xlsx import read_sheets
        from prongsai.problems import Location
        data = sys.stdin.buffer.read()
        started = time.perf_counter()
        (sheet,) = read_sheets(data, Location(file="x.xlsx"))
        peak = re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1)  # this process only
        print(sheet.rows, time.perf_counter() - started, peak)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], input=data, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    rows, seconds, peak_kib = done.stdout.decode().rsplit(" ", 2)
    assert rows == "[['agency', 2568.0]]"
    assert float(seconds) < 2, seconds  # milliseconds alone; the bound allows for a busy machine
    assert int(peak_kib) < 300 * 1024, peak_kib  # the whole interpreter, libraries included


def test_a_lone_cell_at_xfd1048576_is_refused_before_calamine_allocates_17_billion_cells() -> None:
    data = with_cells(
        workbook(results_table),
        '<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>',
    )
    started = time.perf_counter()
    problem = one_problem(lambda: read_sheets(data, HERE))
    assert limit_name(problem) == "cells" and problem.params["found_en"] == " (found 17,179,869,184)"
    assert problem.location == HERE.with_(sheet="ผล ITA")
    assert time.perf_counter() - started < 1
    # without r attributes, cells are placed as calamine places them, and still counted
    wide = "".join("<c><v>1</v></c>" for _ in range(30))
    problem = one_problem(
        lambda: read_sheets(
            with_cells(data, f"<sheetData><row>{wide}</row></sheetData>"), HERE, Limits(columns=20)
        )
    )
    assert limit_name(problem) == "columns" and problem.params["found_en"] == " (found 30)"


def test_rows_and_text_length_limits_name_the_sheet_row_and_column() -> None:
    def fill(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
        for n in range(1, 8):
            sheet.append([f"หน่วยงานที่ {n}", 2568, 90 + n])
        sheet["B7"] = "ข" * 20

    data = workbook(fill)
    assert limit_name(one_problem(lambda: read_sheets(data, HERE, Limits(rows=6)))) == "rows"
    problem = one_problem(lambda: read_sheets(data, HERE, Limits(value_chars=15)))
    assert limit_name(problem) == "value_chars"
    assert problem.location == HERE.with_(sheet="ผล ITA", row=7, column="B")


def test_damaged_and_hostile_workbooks_are_located_problems_not_tracebacks(tmp_path: Path) -> None:
    good = workbook(results_table)
    assert one_problem(lambda: read_sheets(b"", HERE)).code == "container_empty"
    assert one_problem(lambda: read_sheets(good[: len(good) // 2], HERE)).code == "container_damaged"
    (tmp_path / "results.xlsx").write_text("agency,ita_year\n", encoding="utf-8")
    assert one_problem(lambda: read_sheets(tmp_path / "results.xlsx", HERE)).code == "container_damaged"
    assert one_problem(lambda: read_sheets(tmp_path / "missing.xlsx", HERE)).code == "file_not_found"
    no_workbook = _without(good, "xl/workbook.xml")
    assert "xl/workbook.xml" in one_problem(lambda: read_sheets(no_workbook, HERE)).params["detail"]
    bomb = rewrite(good, "", lambda x: x, extra={"xl/media/image1.png": bytes(8 * MIB)})
    assert limit_name(one_problem(lambda: read_sheets(bomb, HERE))) == "compression_ratio"
    bad_ref = with_cells(good, '<sheetData><row r="1"><c r="1A"><v>1</v></c></row></sheetData>')
    problem = one_problem(lambda: read_sheets(bad_ref, HERE))
    assert problem.code == "container_damaged" and problem.location.sheet == "ผล ITA"
    twice = with_cells(good, '<sheetData><row r="1"><c r="A1" r="XFD1048576"><v>1</v></c></row></sheetData>')
    assert one_problem(lambda: read_sheets(twice, HERE)).code == "container_damaged"
    quoted = with_cells(good, '<sheetData><row r="1"><c r="A1" x=">" r="XFD9"><v>1</v></c></row></sheetData>')
    assert one_problem(lambda: read_sheets(quoted, HERE)).code == "container_damaged"
    unclosed = with_cells(good, '<sheetData><row r="1"><c r="A1"><v>1</c></row></sheetData>')
    problem = one_problem(lambda: read_sheets(unclosed, HERE))
    assert problem.code == "xlsx_unreadable" and problem.location.sheet == "ผล ITA"
    assert "XmlError" in problem.params["detail"]


def _without(data: bytes, member: str) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info.filename, source.read(info))
    return out.getvalue()


def _random_sheet(rng: random.Random) -> str:
    """Rows and cells with and without r, in the orders and gaps real and odd files have."""
    rows = []
    row_number = 0
    for _ in range(rng.randint(1, 6)):
        row_number = row_number + rng.randint(1, 3) if rng.random() < 0.6 else row_number + 1
        row_attr = f' r="{row_number}"' if rng.random() < 0.6 else ""
        cells = []
        for _ in range(rng.randint(0, 5)):
            if rng.random() < 0.5:
                cells.append(f'<c r="{column_letters(rng.randint(1, 30))}{rng.randint(1, 12)}"><v>1</v></c>')
            else:
                cells.append("<c><v>2</v></c>")
        rows.append(f"<row{row_attr}>{''.join(cells)}</row>")
    return f"<sheetData>{''.join(rows)}</sheetData>"


def test_the_extent_scan_places_cells_exactly_where_calamine_does() -> None:
    from python_calamine import CalamineWorkbook

    rng = random.Random(11)
    base = workbook(results_table)
    for _ in range(60):
        sheet_data = _random_sheet(rng)
        extent = scan(sheet_data.encode())
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(with_cells(base, sheet_data))).get_sheet_by_index(0)
        end = sheet.end
        assert (extent.rows, extent.columns) == ((end[0] + 1, end[1] + 1) if end else (0, 0)), sheet_data


def test_column_letters_round_trip() -> None:
    for number in (1, 26, 27, 52, 703, 16_384):
        assert column_number(column_letters(number)) == number
    assert column_letters(16_384) == "XFD"


def test_answer_files_in_excel_keep_their_row_numbers_when_the_table_starts_lower(tmp_path: Path) -> None:
    records = [
        ("เทศบาลเมืองบึงกาฬ", "2568", "IIT", "r1", "i1", "5"),
        ("เทศบาลเมืองบึงกาฬ", "2568", "IIT", "r2", "i1", "4"),
    ]

    def fill(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
        for offset, values in enumerate([ANSWER_COLUMNS, *records]):
            for column, value in enumerate(values, start=2):  # the table starts at B3
                sheet.cell(row=3 + offset, column=column, value=value)

    path = tmp_path / "answers.xlsx"
    path.write_bytes(workbook(fill))
    opened = open_table(path, ANSWER_COLUMNS)
    assert opened.header_rows == 4  # record 0 is sheet row 4
    assert opened.frame.collect().rows() == records


@pytest.mark.slow
def test_a_national_sized_sheet_is_read_in_seconds() -> None:
    def fill(sheet: openpyxl.worksheet.worksheet.Worksheet) -> None:
        sheet.append(["หน่วยงาน", "ita_year"] + [f"i{n}" for n in range(1, 31)])
        for n in range(2_000):
            sheet.append(
                [f"องค์การบริหารส่วนตำบลที่ {n}", 2568] + [round(80 + (n * k) % 20 + 0.25, 2) for k in range(30)]
            )

    data = workbook(fill)
    started = time.perf_counter()
    (sheet,) = read_sheets(data, HERE)
    assert len(sheet.rows) == 2_001 and sheet.rows[2_000][0] == "องค์การบริหารส่วนตำบลที่ 1999"
    assert time.perf_counter() - started < 2
