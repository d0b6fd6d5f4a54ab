"""The progress report (document/progress_report.py, progress_export.py, `prongsai progress report`):
the example plan of seed 000 (เทศบาลตำบลบึงไผ่, plan year 2567) with its progress through the year,
and progress written here for the cases the example does not show."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from prongsai.document.charts import build_figure
from prongsai.document.model import Chart, Document, Series, Table
from prongsai.document.progress_export import to_xlsx
from prongsai.document.progress_report import SUMMARY_TABLE, build_progress_report, oit_item, report_title
from prongsai.document.render_docx import render_docx
from prongsai.document.render_html import render_html
from prongsai.document.settings import Person, ReportSettings
from prongsai.planfile import read_plan
from prongsai.planning import Plan
from prongsai.progress import Evidence, MeasureProgress, Progress, Update
from prongsai.progressfile import read_progress
from tests.conftest import Run
from tests.document.pdftext import compact, page_text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PLAN = EXAMPLES / "seed-000-bueng-phai-2567-plan.yaml"
PROGRESS = EXAMPLES / "seed-000-bueng-phai-2567-progress.yaml"
STATUS_WORDS = ("ยังไม่ดำเนินการ", "อยู่ระหว่างดำเนินการ", "ดำเนินการแล้วเสร็จ", "เลื่อน", "ยกเลิก")
SIGNED = ReportSettings(
    signers={
        "prepared_by": Person("นางสาวสมศรี ใจดี", "นิติกรชำนาญการ"),
        "endorsed_by": Person("นายสมชาย รักดี", "ปลัดเทศบาลตำบลบึงไผ่"),
        "approved_by": Person("นายสมปอง มั่นคง", "นายกเทศมนตรีตำบลบึงไผ่"),
    },
    website="www.buengphai.go.th",
)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return read_plan(PLAN)


@pytest.fixture(scope="module")
def progress(plan: Plan) -> Progress:
    found, warnings = read_progress(PROGRESS, plan)
    assert not [w for w in warnings if w.severity == "error"]
    return found


@pytest.fixture(scope="module")
def six(plan: Plan, progress: Progress) -> Document:
    return build_progress_report(plan, progress, SIGNED, 6, thai_digits=False)


@pytest.fixture(scope="module")
def twelve(plan: Plan, progress: Progress) -> Document:
    return build_progress_report(plan, progress, SIGNED, 12, thai_digits=False)


def _summary(document: Document) -> Table:
    return next(t for t in document.tables() if t.key == SUMMARY_TABLE)


def _progress(plan: Plan, *updates: tuple[int, Update]) -> Progress:
    """Progress of the plan with the updates given for the measures at those positions (0-based)."""
    by_measure: dict[str, list[Update]] = {}
    for index, update in updates:
        by_measure.setdefault(plan.measures[index].id, []).append(update)
    measures = tuple(MeasureProgress(key, tuple(found)) for key, found in by_measure.items())
    return Progress(plan.agency.name, plan.ita_year, plan.plan_year, measures)


# --------------------------------------------------------------------------------------------------
# The official text
# --------------------------------------------------------------------------------------------------


def test_official_text_has_the_memo_title_with_period_and_the_oit_item(six: Document) -> None:
    text = six.official_text()
    assert text.startswith("บันทึกข้อความ")
    assert "เรื่อง รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" in text
    assert "เรียน นายกเทศมนตรีตำบลบึงไผ่" in text  # the approver's position from the settings
    assert "จึงเรียนมาเพื่อโปรดทราบ" in text and "www.buengphai.go.th" in text
    assert "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน\n" in text
    assert "ประจำปีงบประมาณ พ.ศ. 2567 รอบ 6 เดือน (1 ตุลาคม 2566 - 31 มีนาคม 2567)" in text
    assert "ตามข้อ O28 รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ของ" in text
    assert "(ITA) ประจำปีงบประมาณ พ.ศ. 2568" in text
    assert six.date_text == "30 เมษายน 2567"  # the round's due date: no date was given


def test_every_measure_is_reported_with_its_status(plan: Plan, six: Document) -> None:
    text = six.official_text()
    table = _summary(six)
    assert [r.cells[1].text for r in table.rows[:-1]] == [m.title for m in plan.measures]
    for number, measure in enumerate(plan.measures, 1):
        assert f"มาตรการที่ {number} {measure.title}" in text
    for row in table.rows[:-1]:
        assert row.cells[4].lines[0] in STATUS_WORDS


def test_the_totals_add_up(six: Document, twelve: Document) -> None:
    for document in (six, twelve):
        table = _summary(document)
        body, total = table.rows[:-1], table.rows[-1]
        assert total.kind == "total" and total.cells[0].text == f"รวม {len(body)} มาตรการ"
        counted = {}
        for line in total.cells[1].lines:
            word, count = line.rsplit(" ", 1)
            counted[word] = int(count)
        overdue = counted.pop("เกินกำหนด", 0)
        assert sum(counted.values()) == len(body)
        for word, count in counted.items():
            assert sum(1 for r in body if r.cells[4].lines[0] == word) == count
        assert overdue == sum(1 for r in body if "(เกินกำหนด)" in r.cells[4].lines)
        percents = [int(r.cells[5].text) for r in body]
        assert total.cells[2].text == f"{sum(percents) / len(percents):.2f}"


def test_problems_and_suggestions_are_gathered_from_the_updates(six: Document) -> None:
    text = six.official_text()
    problems = text.split("3. ปัญหาอุปสรรค\n", 1)[1].split("4. ข้อเสนอแนะ", 1)[0]
    assert "ทำให้ต้องขยายเวลารวบรวมข้อมูล" not in problems  # said on 5 April, after the round
    assert re.search(r"^1\. .+ \(มาตรการที่ [0-9, ]+\)$", problems, re.MULTILINE)
    assert "4. ข้อเสนอแนะ\n1. " in text


def test_none_reported_is_said_plainly_once(plan: Plan) -> None:
    quiet = _progress(plan, (0, Update(dt.date(2023, 12, 1), "in_progress", 40, done="ร่างแผนแล้ว")))
    text = build_progress_report(plan, quiet, SIGNED, 6, thai_digits=False).official_text()
    assert text.count("ไม่ได้รายงานปัญหาอุปสรรค") == 1
    assert text.count("ไม่ได้เสนอข้อเสนอแนะ") == 1
    assert "ผลการดำเนินการ: ร่างแผนแล้ว" in text


def test_signatures_close_the_report_and_nothing_is_noted_for_a_confirmed_item(six: Document) -> None:
    assert six.official_text().splitlines()[-5:] == [
        "ทราบ",
        "ลงชื่อ ....................................... ผู้บริหาร",
        "(นายสมปอง มั่นคง)",
        "นายกเทศมนตรีตำบลบึงไผ่",
        "วันที่ ...........................................",
    ]
    text = six.official_text()
    assert "ลงชื่อ ....................................... ผู้รายงาน" in text and "(นางสาวสมศรี ใจดี)" in text
    assert "ลงชื่อ ....................................... ผู้ตรวจสอบ" in text and "(นายสมชาย รักดี)" in text
    assert six.closing_text() == ""  # ITA 2568's o28 is held and official


# --------------------------------------------------------------------------------------------------
# The day reported as of, overdue measures, the two rounds
# --------------------------------------------------------------------------------------------------


def test_as_of_leaves_out_later_updates(plan: Plan, progress: Progress) -> None:
    later = "รายงานรอบ 6 เดือน 1 ฉบับ ดำเนินการแล้ว 13 จาก 24 โครงการ/กิจกรรม"  # dated 5 April 2567
    march = build_progress_report(plan, progress, SIGNED, 6, thai_digits=False).official_text()
    april = build_progress_report(plan, progress, SIGNED, 6, dt.date(2024, 4, 10), thai_digits=False)
    assert later not in march
    assert later in april.official_text()
    assert "ณ วันที่ 10 เมษายน 2567" in april.official_text()


def test_an_overdue_measure_is_marked(plan: Plan) -> None:
    # measure 8 (service-flowchart-display) is due at the end of quarter 1: 31 December 2566
    late = _progress(plan, (7, Update(dt.date(2023, 11, 20), "in_progress", 50, done="ออกแบบป้ายแล้ว")))
    document = build_progress_report(plan, late, SIGNED, 6, thai_digits=False)
    row = _summary(document).rows[7]
    assert row.cells[3].text == "31 ธันวาคม 2566"
    assert row.cells[4].lines == ("อยู่ระหว่างดำเนินการ", "(เกินกำหนด)")
    text = document.official_text()
    listed = re.search(r"ได้แก่ มาตรการที่ ([0-9, ]+) ซึ่ง", text)
    assert listed is not None and "8" in listed.group(1).split(", ")
    assert "ความก้าวหน้าร้อยละ 50 (เกินกำหนดแล้วเสร็จ)" in text
    done = _progress(plan, (7, Update(dt.date(2023, 12, 20), "done")))
    assert "(เกินกำหนด)" not in _summary(build_progress_report(plan, done, SIGNED, 6)).rows[7].cells[4].lines


def test_a_measure_whose_timeframe_has_not_begun_says_so_not_that_nothing_was_reported(
    six: Document, twelve: Document
) -> None:
    """Measure 2 runs April to September (quarters 3-4): at six months it has not begun."""
    early = "ผลการดำเนินการ: ยังไม่ถึงระยะเวลาดำเนินการตามแผน ซึ่งกำหนดเริ่มดำเนินการในวันที่ 1 เมษายน 2567"
    text = six.official_text()
    measure_two = text[text.index("มาตรการที่ 2 ") : text.index("มาตรการที่ 3 ")]
    assert early in measure_two
    assert early not in twelve.official_text()


def test_six_and_twelve_months_differ(six: Document, twelve: Document) -> None:
    six_text, twelve_text = six.official_text(), twelve.official_text()
    assert "รอบ 12 เดือน (1 ตุลาคม 2566 - 30 กันยายน 2567)" in twelve_text
    assert twelve.date_text == "30 กันยายน 2567"
    assert "รายงานผลในรอบ 12 เดือน" in six_text  # what follows: the 12-month report
    assert "ประจำปีงบประมาณ พ.ศ. 2568" in twelve_text.split("5. การดำเนินการต่อไป", 1)[1]  # next plan
    assert "ยกเลิก" not in _summary(six).rows[-1].cells[1].text
    assert "ยกเลิก 1" in _summary(twelve).rows[-1].cells[1].lines


def test_budget_used_is_set_against_the_plan(plan: Plan) -> None:
    budgeted = replace(plan.measures[2], budget=replace(plan.measures[2].budget, amount=20000, none=False))
    with_budget = replace(plan, measures=(*plan.measures[:2], budgeted, *plan.measures[3:]))
    spent = _progress(
        with_budget,
        (2, Update(dt.date(2024, 2, 1), "in_progress", 40, budget_used=5000, evidence=(Evidence("ภาพข่าว"),))),
    )
    text = build_progress_report(with_budget, spent, SIGNED, 6, thai_digits=False).official_text()
    assert "งบประมาณ: เบิกจ่ายแล้ว 5,000 บาท จากงบประมาณตามแผน 20,000 บาท (ร้อยละ 25.00)" in text
    assert "หลักฐานการดำเนินการ:\n(1) ภาพข่าว" in text


# --------------------------------------------------------------------------------------------------
# The OIT item the report answers, per year
# --------------------------------------------------------------------------------------------------


def test_item_per_year() -> None:
    item = oit_item(2567)
    assert item is not None and (item.shown_code, item.ita_year, item.unconfirmed) == ("O28", 2568, None)
    assert not item.provisional
    item = oit_item(2568)
    assert item is not None and (item.shown_code, item.item_year, item.provisional) == ("O26", 2569, True)
    item = oit_item(2569)  # ITA 2570 is not held: the latest year's item, said in the note
    assert item is not None and (item.shown_code, item.ita_year, item.item_year) == ("O26", 2570, 2569)
    assert item.unconfirmed == "not_held"


def test_the_title_follows_the_item_name() -> None:
    assert report_title(oit_item(2567)) == "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    # 2566 o43 names the work ("การดำเนินการตามมาตรการ..."): the report of it
    assert (
        report_title(oit_item(2565)) == "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    )


@pytest.mark.parametrize(
    ("plan_year", "said"),
    [
        (2568, ["ฉบับเบื้องต้น"]),
        (2569, ["ยังไม่มีกรอบการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2570", "พ.ศ. 2569", "ฉบับเบื้องต้น"]),
    ],
)
def test_an_unconfirmed_item_is_noted_once_after_the_signatures(
    plan: Plan, plan_year: int, said: list[str]
) -> None:
    later = replace(plan, plan_year=plan_year, ita_year=plan_year - 1)
    document = build_progress_report(
        later, Progress(plan.agency.name, plan_year - 1, plan_year), SIGNED, 12, thai_digits=False
    )
    closing, official = document.closing_text(), document.official_text()
    assert closing.startswith("หมายเหตุ: ") and closing.count("หมายเหตุ") == 1
    for words in said:
        assert words in closing
    assert "ข้อ O26" in official and "เบื้องต้น" not in official and "ยืนยัน" not in official
    assert f"ประจำปีงบประมาณ พ.ศ. {plan_year + 1}" in official


# --------------------------------------------------------------------------------------------------
# Digits, the chart
# --------------------------------------------------------------------------------------------------


def test_local_government_gets_thai_digits_everywhere_but_web_addresses(
    plan: Plan, progress: Progress
) -> None:
    document = build_progress_report(plan, progress, SIGNED, 6)
    assert document.thai_digits and document.figures()[0].chart.thai_digits
    for line in document.text().splitlines():
        assert not re.search(r"[0-9]", re.sub(r"\S*(?:https?://|www\.)\S*", "", line)), line
    assert "รอบ ๖ เดือน (๑ ตุลาคม ๒๕๖๖ - ๓๑ มีนาคม ๒๕๖๗)" in document.official_text()


def test_status_chart_counts_measures_on_a_whole_number_axis(six: Document) -> None:
    chart = six.figures()[0].chart
    assert chart.kind == "hbar" and chart.scale == "count"
    assert set(chart.categories) == set(STATUS_WORDS)
    assert sum(v or 0 for v in chart.series[0].values) == len(_summary(six).rows) - 1
    fig = build_figure(chart, 14)
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks and all(re.fullmatch(r"[0-9]+", t) for t in ticks)
    assert float(ticks[-1]) >= max(v or 0 for v in chart.series[0].values)
    assert ax.get_xlim()[1] < 30  # sized to fifteen measures, not to a hundred


def test_count_axis_steps() -> None:
    def ticks(*values: float) -> list[str]:
        categories = tuple(str(n) for n in range(len(values)))
        chart = Chart("c", "hbar", "t", categories, (Series("n", values),), "n", scale="count")
        return [t.get_text() for t in build_figure(chart, 14).axes[0].get_xticklabels()]

    assert ticks(0.0, 0.0) == ["0", "1"]
    assert ticks(3.0, 1.0) == ["0", "1", "2", "3"]
    assert ticks(12.0, 1.0) == ["0", "5", "10", "15"]
    assert ticks(48.0) == ["0", "10", "20", "30", "40", "50"]


# --------------------------------------------------------------------------------------------------
# Every format
# --------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_docx_and_html_hold_the_report(six: Document) -> None:
    book = docx.Document(io.BytesIO(render_docx(six)))
    words = "\n".join(p.text for p in book.paragraphs)
    cells = "\n".join(c.text for t in book.tables for r in t.rows for c in r.cells)
    assert "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" in words
    assert "รวม 15 มาตรการ" in cells and "ผู้รายงาน" in words + cells
    html = render_html(six)
    assert "<svg" in html and "จำนวนมาตรการจำแนกตามสถานะการดำเนินการ" in html


def test_xlsx_has_the_summary_and_every_update(plan: Plan, progress: Progress) -> None:
    book = load_workbook(io.BytesIO(to_xlsx(plan, progress, SIGNED, 12, thai_digits=False)))
    summary, updates = book["สรุปผล"], book["รายงานความก้าวหน้า"]
    assert str(summary["A1"].value).startswith("รายงานผลการดำเนินการเพื่อส่งเสริม")
    assert [c.value for c in summary[3]] == ["ลำดับ", "มาตรการ", "ผู้รับผิดชอบ", "กำหนดแล้วเสร็จ", "สถานะ", "ร้อยละ"]
    assert summary.cell(4, 2).value == plan.measures[0].title
    assert summary.cell(4 + len(plan.measures), 1).value == f"รวม {len(plan.measures)} มาตรการ"
    assert summary.page_setup.orientation == "landscape" and summary["A4"].font.name == "TH Sarabun New"
    written = sum(len(m.updates) for m in progress.measures)
    assert updates.max_row == written + 1
    assert updates["A1"].value == "มาตรการ" and updates["B2"].value == "26 ธันวาคม 2566"
    assert updates.row_dimensions[2].height and updates.row_dimensions[2].height > 20
    six_book = load_workbook(io.BytesIO(to_xlsx(plan, progress, SIGNED, 6, thai_digits=False)))
    assert six_book["รายงานความก้าวหน้า"].max_row < updates.max_row  # later updates left out


@pytest.mark.slow
def test_pdf_has_the_thai_text_layer(six: Document) -> None:
    from prongsai.document.render_pdf import render_pdf

    reader = PdfReader(io.BytesIO(render_pdf(six)))
    text = compact("".join(page_text(reader, i) for i in range(len(reader.pages))))
    for words in (
        "บันทึกข้อความ",
        "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        "รอบ6เดือน(1ตุลาคม2566-31มีนาคม2567)",
        "ปัญหาอุปสรรค",
        "ผู้ตรวจสอบ",
        "จำนวนมาตรการจำแนกตามสถานะการดำเนินการ",
    ):
        assert compact(words) in text, words


# --------------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_command_writes_each_format(tmp_path: Path, prongsai: Run) -> None:
    for suffix in ("docx", "html", "xlsx"):
        out = tmp_path / f"report.{suffix}"
        code, output = prongsai(
            "progress", "report", str(PLAN), str(PROGRESS), "--period", "12", "-o", str(out)
        )
        assert code == 0, output
        assert out.stat().st_size > 5000
    book = docx.Document(str(tmp_path / "report.docx"))
    assert "รอบ ๑๒ เดือน" in "\n".join(p.text for p in book.paragraphs)  # Thai digits for a municipality


def test_command_refuses_another_suffix_and_warns_of_a_day_outside_the_round(
    tmp_path: Path, prongsai: Run
) -> None:
    code, output = prongsai(
        "progress", "report", str(PLAN), str(PROGRESS), "--period", "6", "-o", str(tmp_path / "r.txt")
    )
    assert code != 0 and "ต้องมีนามสกุล" in output and "must end in" in output
    assert "Traceback" not in output and not (tmp_path / "r.txt").exists()
    out = tmp_path / "r.xlsx"
    args = ("progress", "report", str(PLAN), str(PROGRESS), "--period", "6", "--as-of", "2567-06-30")
    code, output = prongsai(*args, "--digits", "arabic", "-o", str(out))
    assert code == 0, output
    assert "อยู่นอกรอบ 6 เดือน" in output and "outside the 6-month round" in output
