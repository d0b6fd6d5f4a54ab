"""``prongsai import`` of a published progress report (รายงานผลการดำเนินการตามมาตรการ ... รอบ 6/12 เดือน):
told from a measures document, its measures' status, percent, unit and what was done, every uncertain
reading listed, and a progress file that reads back against its plan."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from prongsai.importing import read_published, read_source
from prongsai.importing.progress import (
    ProgressReport,
    is_progress_report,
    percent_in,
    read_progress_report,
    status_in,
)
from prongsai.importing.progress_match import identified, similarity
from prongsai.planfile import read_plan
from prongsai.progress import quarter_end, states
from prongsai.progressfile import read_progress
from tests.conftest import DATA, EXAMPLES, Run
from tests.importing.helpers import SEEDS

REPORTS = DATA / "progress"
SIX = REPORTS / "bueng-phai-2567-6-months.txt"
TICKS = REPORTS / "bueng-phai-2567-12-months-ticks.txt"
OCR = REPORTS / "khok-muang-2568-6-months-ocr.txt"
PLAN = EXAMPLES / "seed-000-bueng-phai-2567-plan.yaml"
PROGRESS = EXAMPLES / "seed-000-bueng-phai-2567-progress.yaml"


def _report(path: Path) -> ProgressReport:
    read = read_published(path)
    assert isinstance(read, ProgressReport)
    return read


def _codes(report: ProgressReport) -> list[tuple[str, int | None]]:
    return [(u.problem.code, u.problem.location.line) for u in report.uncertain]


# --------------------------------------------------------------------------------------------------
# Telling a progress report from a measures document
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_published_measures_documents_are_not_progress_reports(path: Path) -> None:
    # seed 002 names "รายงานผลการดำเนินการ..." OIT items in its tables: its headings still say measures
    assert not is_progress_report(read_source(path))


@pytest.mark.parametrize("path", [SIX, TICKS, OCR], ids=lambda p: p.stem)
def test_progress_reports_are_told_by_title_and_headings(path: Path) -> None:
    assert is_progress_report(read_source(path))


def test_a_status_column_without_a_report_title_is_enough(tmp_path: Path) -> None:
    path = tmp_path / "table.txt"
    path.write_text(
        "เทศบาลตำบลนาดี ประจำปีงบประมาณ พ.ศ. ๒๕๖๘\n"
        "ที่\tมาตรการ\tสถานะ\n๑\tประกาศเจตนารมณ์ไม่รับของขวัญ\tดำเนินการแล้วเสร็จ\n",
        encoding="utf-8",
    )
    report = _report(path)
    assert report.agency.name == "เทศบาลตำบลนาดี" and report.plan_year == 2568
    assert [(m.title, m.status) for m in report.measures] == [("ประกาศเจตนารมณ์ไม่รับของขวัญ", "done")]
    assert ("import_progress_round_inferred", None) in _codes(report)


# --------------------------------------------------------------------------------------------------
# Reading: a status column, tick columns, OCR damage
# --------------------------------------------------------------------------------------------------


def test_status_column_report_gives_agency_year_round_and_each_measure() -> None:
    report = _report(SIX)
    assert (report.agency.name, report.plan_year, report.ita_year, report.round) == (
        "เทศบาลตำบลบึงไผ่",
        2567,
        2566,
        6,
    )
    assert [m.number for m in report.measures] == list(range(1, 17))  # the total row is not a measure
    got = {m.number: (m.status, m.status_from, m.percent) for m in report.measures}
    assert got[1] == ("in_progress", "stated", 55)
    assert got[2] == ("not_started", "stated", 0)  # ยังไม่ได้ดำเนินการ, another spelling
    assert got[3] == ("in_progress", "stated", 50)  # กำลังดำเนินการ
    assert got[5] == ("in_progress", "percent", 60)  # no status: from the percent
    assert got[6] == ("in_progress", "percent", 30)  # a status word not known, then the percent
    assert got[7] == (None, None, None)
    assert got[13] == ("done", "stated", 100)  # ดำเนินการแล้ว
    first = report.measures[0]
    assert first.owner == "งานวิเคราะห์นโยบายและแผน สำนักปลัดเทศบาล"
    assert first.done.startswith("- จัดทำแผนปฏิบัติการป้องกันการทุจริต") and "๒๐ ธันวาคม ๒๕๖๖" in first.done
    assert report.measures[1].done == ""  # '-' says nothing was done
    # a cell continued after the heading repeated at a page break
    assert report.measures[7].done.endswith("และปลัดเทศบาลตรวจความเรียบร้อยแล้ว")
    assert _codes(report) == [
        ("import_progress_status_from_percent", 14),
        ("import_progress_status_unknown", 15),
        ("import_progress_status_from_percent", 15),
        ("import_progress_no_status", 16),
    ]
    unknown = report.uncertain[1]
    assert unknown.span == "อยู่ในขั้นเตรียมการ"
    assert "อยู่ในขั้นเตรียมการ" in unknown.problem.message_th and unknown.problem.message_en


def test_tick_columns_under_a_spanning_heading() -> None:
    report = _report(TICKS)
    assert (report.plan_year, report.round) == (2567, 12)
    assert report.agency.district == "บึงไผ่" and report.agency.province == "กาฬสินธุ์"
    got = [(m.status, m.status_from) for m in report.measures]
    assert got == [
        ("done", "tick"),
        ("done", "tick"),
        ("done", "tick"),  # '/' is a tick too
        ("in_progress", "tick"),
        ("not_started", "tick"),
        (None, None),  # ticked twice
    ]
    codes = _codes(report)
    assert codes[:5] == [("import_progress_status_from_tick", line) for line in range(11, 16)]
    assert codes[5:] == [("import_progress_ticks_ambiguous", 16)]
    assert report.measures[3].done == "ตอบกลับภายใน ๑ วันทำการร้อยละ ๙๔"  # a percent in the text is not read
    assert report.measures[3].percent is None


def test_ocr_damage_is_repaired_and_a_percent_of_100_is_done() -> None:
    report = _report(OCR)
    assert report.agency.name == "องค์การบริหารส่วนตำบลโคกม่วง"
    assert (report.plan_year, report.round) == (2568, 6)
    assert [m.status for m in report.measures] == ["done", "in_progress", "not_started", "done", "postponed"]
    assert report.measures[0].owner == "สำนักปลัด"  # 'ส านักปลัด'
    assert report.measures[3].status_from == "percent" and report.measures[3].percent == 100
    assert _codes(report) == [("import_progress_status_from_percent", 13)]


def test_a_reports_own_sections_add_what_was_done(tmp_path: Path) -> None:
    """As ``prongsai progress report`` writes it: a status table, then each measure's section."""
    path = tmp_path / "r.txt"
    path.write_text(
        "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน\n"
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ รอบ ๑๒ เดือน\nเทศบาลตำบลบึงไผ่\n"
        "ลำดับ\tมาตรการ\tผู้รับผิดชอบ\tกำหนดแล้วเสร็จ\tสถานะ\tร้อยละ\n"
        "๑\tประกาศแนวปฏิบัติ\tกองคลัง\t๓๑ ธันวาคม ๒๕๖๖\tเลื่อน\t๔๐\n"
        "รวม ๑ มาตรการ\tรวม ๑ มาตรการ\t\t\t\t๔๐\n"
        "มาตรการที่ ๑ ประกาศแนวปฏิบัติ\n"
        "สถานะ: เลื่อน ความก้าวหน้าร้อยละ ๔๐\n"
        "ผลการดำเนินการ: ร่างประกาศแล้ว รอความเห็นของนิติกร\n"
        "ปัญหาอุปสรรค: ระเบียบใหม่ยังไม่ประกาศ\n",
        encoding="utf-8",
    )
    (measure,) = _report(path).measures
    assert (measure.status, measure.percent, measure.owner) == ("postponed", 40, "กองคลัง")
    assert measure.done == "ร่างประกาศแล้ว รอความเห็นของนิติกร"
    assert measure.problems == "ระเบียบใหม่ยังไม่ประกาศ"


def test_a_title_continued_after_a_page_break_and_a_row_without_title(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(
        "รายงานผลการดำเนินการตามมาตรการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ รอบ ๖ เดือน องค์การบริหารส่วนตำบลนาดี\n"
        "ที่\tมาตรการ\tผลการดำเนินการ\tสถานะ\n"
        "๑\tจัดทำคู่มือการปฏิบัติงาน\tจัดทำร่างคู่มือ\tอยู่ระหว่างดำเนินการ\n"
        "\n"
        "ที่\tมาตรการ\tผลการดำเนินการ\tสถานะ\n"
        "\tสำหรับงานบริการทุกงาน\tครบ ๑๒ งาน\t\n"
        "๒\t\tรับเรื่องร้องเรียน ๓ เรื่อง\tดำเนินการแล้วเสร็จ\n",
        encoding="utf-8",
    )
    report = _report(path)
    (measure,) = report.measures
    assert measure.title == "จัดทำคู่มือการปฏิบัติงาน สำหรับงานบริการทุกงาน"
    assert measure.done == "จัดทำร่างคู่มือ ครบ ๑๒ งาน"
    assert _codes(report) == [("import_progress_no_title", 7)]


@pytest.mark.parametrize(
    ("text", "status", "rest"),
    [
        ("อยู่ระหว่างดำเนินการ", "in_progress", ""),
        ("อยู่ ระหว่าง ดำเนินการ (ร้อยละ ๕๐)", "in_progress", ""),
        ("ดำเนินการแล้วเสร็จ", "done", ""),
        ("ยกเลิกการดำเนินการ", "cancelled", ""),
        ("ร้อยละ 100", None, ""),
        ("อยู่ในขั้นเตรียมการ", None, "อยู่ในขั้นเตรียมการ"),
        ("ดำเนินการแล้ว / ยังไม่ดำเนินการ", None, "/"),  # two statuses state none
    ],
)
def test_status_in_a_cell(text: str, status: str | None, rest: str) -> None:
    assert status_in(text) == (status, rest)


@pytest.mark.parametrize(
    ("text", "bare", "percent"),
    [
        ("๕๕", True, 55),
        ("๕๕", False, None),
        ("ร้อยละ ๓๐", False, 30),
        ("62.5%", False, 62),
        ("150", True, None),
    ],
)
def test_percent_in_a_cell(text: str, bare: bool, percent: int | None) -> None:
    assert percent_in(text, bare) == percent


# --------------------------------------------------------------------------------------------------
# Matching the plan; the progress file
# --------------------------------------------------------------------------------------------------


def test_measures_are_matched_to_the_plan_by_title() -> None:
    plan = read_plan(PLAN)
    report, ids = identified(_report(SIX), plan)
    assert ids[0] == "anti-corruption-action-plan" and ids[14] == "equal-service-queue"
    assert ids[7] == "service-flowchart-display"  # printed shorter: a close match
    assert 15 not in ids  # not in the plan
    assert len(set(ids.values())) == 15
    codes = _codes(report)
    assert ("import_progress_close_match", 17) in codes
    assert ("import_progress_not_in_plan", 28) in codes
    assert similarity("๑. จัดทำแผน ปฏิบัติการ", "จัดทำแผนปฏิบัติการ") == 1.0


def test_plan_measures_missing_from_the_report_are_listed() -> None:
    report, ids = identified(_report(TICKS), read_plan(PLAN))
    assert len(ids) == 6
    missing = [u for u in report.uncertain if u.problem.code == "import_progress_not_reported"]
    assert len(missing) == 9


@pytest.mark.parametrize("path", [SIX, TICKS], ids=lambda p: p.stem)
def test_written_progress_file_reads_back_against_the_plan(tmp_path: Path, prongsai: Run, path: Path) -> None:
    code, out = prongsai("import", str(path), "--plan", str(PLAN), "-o", str(tmp_path))
    assert code == 0, out
    plan = read_plan(PLAN)
    progress, problems = read_progress(tmp_path / "progress.yaml", plan)
    assert [p.code for p in problems if p.severity == "error"] == []
    report = _report(path)
    day = quarter_end(2567, report.quarter)
    got = {s.measure.title: s.status for s in states(plan, progress, day) if s.updates}
    _, ids = identified(report, plan)
    titles = {m.id: m.title for m in plan.measures}
    want = {titles[ids[i]]: m.status for i, m in enumerate(report.measures) if i in ids and m.status}
    assert got == want and all(s.date == day for m in progress.measures for s in m.updates)
    uncertain = (tmp_path / "uncertain.yaml").read_text(encoding="utf-8")
    assert "import_progress_" in uncertain


def test_without_a_plan_ids_come_from_titles_and_postponed_says_why(tmp_path: Path, prongsai: Run) -> None:
    code, _ = prongsai("import", str(OCR), "-o", str(tmp_path))
    assert code == 0
    import yaml

    data = yaml.safe_load((tmp_path / "progress.yaml").read_text(encoding="utf-8"))
    assert (data["agency"], data["ita_year"], data["plan_year"]) == ("องค์การบริหารส่วนตำบลโคกม่วง", 2567, 2568)
    assert data["measures"][0]["id"] == "มาตรการป้องกันการรับสินบนทุกรูปแบบ"
    postponed = data["measures"][4]["updates"][0]
    assert postponed["status"] == "เลื่อน" and postponed["date"] == "2568-03-31"
    assert postponed["reason"].startswith("เลื่อนไปดำเนินการในไตรมาสที่ 3")


def test_summary_and_json(prongsai: Run) -> None:
    code, out = prongsai("import", str(SIX))
    assert code == 0
    assert "เทศบาลตำบลบึงไผ่" in out and "round (months): 6" in out
    assert "1. จัดทำแผนปฏิบัติการป้องกันการทุจริตและรายงานผลการดำเนินการตามแผน: อยู่ระหว่างดำเนินการ 55%" in out
    assert "uncertain readings: 4" in out
    code, out = prongsai("import", str(SIX), "--json", "--plan", str(PLAN))
    data = json.loads(out)
    assert data["kind"] == "progress_report" and data["round"] == 6 and data["date"] == "2567-03-31"
    assert (data["plan_year"], data["ita_year"]) == (2567, 2566)
    first = data["measures"][0]
    assert first["id"] == "anti-corruption-action-plan" and first["status"] == "in_progress"
    assert first["status_th"] == "อยู่ระหว่างดำเนินการ" and first["percent"] == 55
    assert data["measures"][15]["id"] is None
    assert all(u["message_th"] and u["message_en"] and u["line"] for u in data["uncertain"])


def test_measures_document_json_is_unchanged(prongsai: Run) -> None:
    code, out = prongsai("import", str(next(SEEDS.glob("000_*.txt"))), "--json")
    assert code == 0 and "kind" not in json.loads(out)


# --------------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------------


def test_a_plan_of_another_year_is_refused(tmp_path: Path, prongsai: Run) -> None:
    out = tmp_path / "out"
    code, text = prongsai("import", str(OCR), "--plan", str(PLAN), "-o", str(out))
    assert code == 2 and not out.exists()
    assert "2568" in text and "2567" in text and "--plan" in text and "Traceback" not in text


@pytest.mark.parametrize(
    "content",
    ["บันทึกการประชุม\nเทศบาลตำบลนาดี\nที่ประชุมรับทราบ\n", "รายการ\tจำนวน\nโต๊ะ\t๓\n"],
    ids=["paragraphs", "another-table"],
)
def test_neither_a_measures_document_nor_a_report(tmp_path: Path, prongsai: Run, content: str) -> None:
    path = tmp_path / "minutes.txt"
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    code, text = prongsai("import", str(path), "-o", str(out))
    assert code == 2 and not out.exists() and "Traceback" not in text
    assert "neither a measures document nor a progress report" in text
    assert "ไม่ใช่รายงานผลการดำเนินการตามมาตรการ" in text


def test_a_report_without_year_or_measures_says_so(tmp_path: Path, prongsai: Run) -> None:
    path = tmp_path / "r.txt"
    path.write_text("รายงานผลการดำเนินการตามมาตรการ\nเทศบาลตำบลนาดี\nที่\tมาตรการ\tสถานะ\n", encoding="utf-8")
    code, text = prongsai("import", str(path))
    assert code == 2
    assert "states no fiscal year" in text and "lists no measure" in text


def test_reading_a_report_is_fast() -> None:
    source = read_source(SIX)
    start = time.perf_counter()
    for _ in range(10):
        read_progress_report(source)
    assert (time.perf_counter() - start) / 10 < 0.2


# --------------------------------------------------------------------------------------------------
# Round trip: the report prongsai writes reads back to the same statuses
# --------------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("period", "suffix"), [(6, ".docx"), (6, ".pdf"), (12, ".docx")])
def test_progress_report_round_trip(tmp_path: Path, prongsai: Run, period: int, suffix: str) -> None:
    document = tmp_path / f"report{suffix}"
    args = ("progress", "report", str(PLAN), str(PROGRESS), "--period", str(period), "-o", str(document))
    code, out = prongsai(*args)
    assert code == 0, out
    start = time.perf_counter()
    read = read_published(document)
    seconds = time.perf_counter() - start
    assert isinstance(read, ProgressReport)
    assert (read.plan_year, read.round) == (2567, period)
    code, out = prongsai("import", str(document), "--plan", str(PLAN), "-o", str(tmp_path / "out"))
    assert code == 0, out
    plan = read_plan(PLAN)
    progress, _ = read_progress(PROGRESS, plan)
    day = quarter_end(2567, 2 if period == 6 else 4)
    want = {s.measure.id: (s.status, s.percent) for s in states(plan, progress, day)}
    again, _ = read_progress(tmp_path / "out" / "progress.yaml", plan)
    got = {s.measure.id: (s.status, s.percent) for s in states(plan, again, day)}
    assert got == want
    assert not [u for u in read.uncertain if u.problem.code.startswith("import_progress_status")]
    assert seconds < 1.0  # <= 0.2 s on an idle machine (docs/import.md); generous under a loaded suite


def test_a_plan_given_with_a_measures_document_is_said_to_be_unused(prongsai: Run) -> None:
    seed = SEEDS / "000_478fade56872d9be.txt"
    code, out = prongsai("import", str(seed), "--plan", str(PLAN))
    assert code == 0, out
    assert "ไม่ได้ใช้แผน (--plan) เพราะเอกสาร 000_478fade56872d9be.txt เป็นเอกสารมาตรการ" in out
    assert "the plan (--plan) is not used: 000_478fade56872d9be.txt is a measures document" in out
    assert "ITA 2566" in out  # and the measures document is read as before
