"""A year written without code, then used: the 2569 workbook edited as a person would into a made-up
ITA 2570, imported, and every command run on a 2570 result with ``--frameworks``
(docs/framework-authoring.md)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from prongsai.framework import reload_frameworks
from prongsai.framework_folder import read_framework_file
from tests.conftest import Run

pytestmark = pytest.mark.slow

# A made-up result: a tambon municipality, scores as the ITAS screen shows them. Indicator 10,
# the OIT and the overall score and level are left for prongsai to compute with the 2570 rules.
RESULTS_2570 = """\
agency: {name: เทศบาลตำบลหนองสองห้อง, type: เทศบาลตำบล, district: หนองสองห้อง, province: ขอนแก่น}
ita_year: 2570
scores:
  tools: {IIT: 93.70, EIT: 90.19}
  indicators: {1: 97.68, 2: 93.29, 3: 96.76, 4: 90.97, 5: 89.82, 6: 92.43, 7: 89.62, 8: 88.52, 9: 89.47}
  items:
    i1: 95.83
    i2: 97.22
    i3: 100.00
    i4: 93.75
    i5: 88.89
    i6: 97.22
    i7: 91.67
    i8: 98.61
    i9: 100.00
    i10: 94.44
    i11: 82.64
    i12: 95.83
    i13: 100.00
    i14: 79.17
    i15: 90.28
    e1: 92.31
    e2: 90.11
    e3: 94.87
    e4: 88.46
    e5: 86.81
    e6: 93.59
    e7: 84.62
    e8: 91.21
    e9: 89.74
    o1: 100
    o2: 100
    o3: 100
    o4: 100
    o5: 100
    o6: 100
    o7: 100
    o8: 100
    o9: 100
    o10: 100
    o11: 0
    o12: 100
    o13: 100
    o14: 0
    o15: 100
    o16: 100
    o17: 100
    o18: 100
    o19: 100
    o20: 100
    o21: 0
    o22: 100
    o23: 100
    o24: 100
    o25: 100
    o26: 100
    o27: 50
"""


def sheet(book: Workbook, key: str) -> Worksheet:
    return next(ws for ws in book.worksheets if ws.title.endswith(f"({key})"))


def rows(ws: Worksheet) -> list[dict[str, object]]:
    """Each data row as {English key: cell}: a person reads the headings, a test the keys."""
    keys = [cell.value for cell in ws[2]]
    return [
        {str(key): ws.cell(row, index + 1) for index, key in enumerate(keys)}
        for row in range(3, ws.max_row + 1)
    ]


def append(ws: Worksheet, **values: object) -> None:
    keys = [cell.value for cell in ws[2]]
    row = ws.max_row + 1
    for key, value in values.items():
        ws.cell(row, keys.index(key) + 1).value = value


def edit_into_2570(data: bytes) -> bytes:
    """What a provincial officer does with the 2569 workbook when a circular announces 2570."""
    book = load_workbook(io.BytesIO(data))
    year = sheet(book, "year")
    for row in rows(year):
        key, value = row["key"].value, row["value"]  # type: ignore[attr-defined]
        if key == "ita_year":
            value.value = 2570  # type: ignore[attr-defined]
        elif key == "name_th":
            value.value = value.value.replace("2569", "2570")  # type: ignore[attr-defined]
        elif key == "status":
            value.value = "provisional"  # type: ignore[attr-defined]
    append(year, label="หมายเหตุ", key="notes", value="ร่างจากหนังสือเวียนของ ป.ป.ช. ยังไม่มีคู่มือการประเมินปี 2570")

    append(
        sheet(book, "sources"),
        key="nacc-2570",
        kind="web",
        title="หนังสือเวียน ป.ป.ช. แนวทางการประเมิน ITA 2570 (ร่าง)",
        ref="https://www.nacc.go.th/",
    )
    for row in rows(sheet(book, "rules")):
        rule, tool = row["rule"].value, row["tool"].value  # type: ignore[attr-defined]
        if rule == "weights" and tool == "IIT":
            row["value"].value = 25  # type: ignore[attr-defined]  # 30/30/40 becomes 25/30/45
            row["source"].value = "nacc-2570"  # type: ignore[attr-defined]
            row["confirmed"].value = "ไม่ใช่"  # type: ignore[attr-defined]
        elif rule == "weights" and tool == "OIT":
            row["value"].value = 45  # type: ignore[attr-defined]
    items = sheet(book, "items")
    for row in rows(items):
        code = row["code"].value  # type: ignore[attr-defined]
        if code in ("i1", "e1", "o1", "o25"):
            row["same_as"].value = f"2569:{code}"  # type: ignore[attr-defined]
        if code == "o25":
            row["text_th"].value = "การนำผลการประเมิน ITA ปี 2569 ไปสู่การพัฒนาองค์กร"  # type: ignore[attr-defined]
    append(
        items,
        code="o27",
        text_th="รายงานการประเมินความเสี่ยงการทุจริตในการอนุมัติ อนุญาต",
        indicator=10,
        indicator_confirmed="ไม่ใช่",
        source="nacc-2570",
        note="ข้อใหม่ของปี 2570",
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def folder_2570(prongsai: Run, tmp_path: Path) -> Iterator[Path]:
    exported = tmp_path / "ita-2569.xlsx"
    code, out = prongsai("framework", "export", "2569", "-o", str(exported))
    assert code == 0, out
    edited = tmp_path / "ita-2570.xlsx"
    edited.write_bytes(edit_into_2570(exported.read_bytes()))
    folder = tmp_path / "frameworks"
    code, out = prongsai("framework", "import", str(edited), "-o", str(folder))
    assert code == 0, out
    assert "ita-2570.yaml" in out and "provisional" in out and "51" in out
    yield folder
    reload_frameworks()  # forget the folder for the tests that follow


def test_a_year_written_in_the_spreadsheet_is_the_year_in_use(
    folder_2570: Path, prongsai: Run, tmp_path: Path
) -> None:
    written = read_framework_file(folder_2570 / "ita-2570.yaml")
    assert written.ita_year == 2570 and written.provisional
    assert [tool.weight for tool in written.tools] == [0.25, 0.3, 0.45]
    assert written.item("o27").indicator == 10 and written.item("o25").same_as == "2569:o25"
    assert written.item("o25").text_th == "การนำผลการประเมิน ITA ปี 2569 ไปสู่การพัฒนาองค์กร"
    assert not written.weights_rule.confirmed and written.weights_rule.source == "nacc-2570"

    results = tmp_path / "results-2570.yaml"
    results.write_text(RESULTS_2570, encoding="utf-8")
    use = ("--frameworks", str(folder_2570))

    # OIT = mean(ind 9, ind 10); ind 10 = mean(o20-o27) = 81.25; overall with the 2570 weights
    oit = (89.47 + 81.25) / 2
    overall = 0.25 * 93.70 + 0.30 * 90.19 + 0.45 * oit
    old = 0.3 * 93.70 + 0.3 * 90.19 + 0.4 * oit
    assert (f"{overall:.2f}", f"{old:.2f}") == ("88.89", "89.31")

    code, out = prongsai(*use, "check", str(results))
    assert code == 0, out
    assert "ITA 2570" in out and "88.89" in out and "ผ่านดี" in out and "89.31" not in out
    assert f"{oit:.2f}" in out and "o27" in out
    assert out.count("the ITA 2570 framework in use is provisional") == 1

    code, out = prongsai(*use, "analyze", str(results), "--json")
    assert code == 0, out
    analysis, end = json.JSONDecoder().raw_decode(out)  # the warning follows on standard error
    assert out[end:].count("the ITA 2570 framework in use is provisional") == 1
    assert analysis["ita_year"] == 2570 and analysis["framework"]["status"] == "provisional"
    assert "weights" in analysis["framework"]["unconfirmed"]
    assert analysis["indicators"][9]["number"] == 10 and analysis["indicators"][9]["score"] == 81.25
    assert "88.89" in analysis["narrative"]["summary"] and "ผ่านดี" in analysis["narrative"]["summary"]
    assert "o27" in analysis["narrative"]["ind10"]

    plan = tmp_path / "plan.yaml"
    code, out = prongsai(*use, "plan", str(results), "-o", str(plan))
    assert code == 0, out
    # o27 is new in 2570: no measure template knows it, so its indicator's measure answers it
    drafted = plan.read_text(encoding="utf-8")
    assert plan.exists() and "ind10" in drafted and "every item below the pass mark has a measure" in out
    assert out.count("the ITA 2570 framework in use is provisional") == 1

    document = tmp_path / "out.docx"
    code, out = prongsai(*use, "report", str(results), "--plan", str(plan), "-o", str(document))
    assert code == 0, out
    assert out.count("the ITA 2570 framework in use is provisional") == 1
    from docx import Document

    text = "\n".join(p.text for p in Document(str(document)).paragraphs)
    assert "๒๕๗๐" in text and "๘๘.๘๙" in text and "ฉบับเบื้องต้น" in text  # a เทศบาลตำบล: Thai digits


def test_without_the_folder_2570_is_not_known(folder_2570: Path, prongsai: Run, tmp_path: Path) -> None:
    results = tmp_path / "results-2570.yaml"
    results.write_text(RESULTS_2570, encoding="utf-8")
    code, out = prongsai("check", str(results))
    assert code == 2 and "2570" in out
