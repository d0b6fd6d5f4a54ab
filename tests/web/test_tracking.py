"""The tracking pages and services on the bundled example: เทศบาลตำบลโคกม่วง's plan drafted from its
ITA 2567 results (plan year 2568: 1 October 2567 to 30 September 2568), carried out through the year.

The plan's measures used here: asset-use-guideline (quarter 1: due 31 December 2567),
executive-integrity-declaration and budget-briefing-staff (quarter 1), service-manual-steps-time
(quarters 1-2: due 31 March 2568), eservice-development (quarters 1-3: due 30 June 2568)."""

from __future__ import annotations

import datetime as dt
import html
import io
import zipfile
from pathlib import Path
from typing import Any

import hypothesis
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import strategies as st
from openpyxl import Workbook

from prongsai.app import progress as app_progress
from prongsai.app.plans import plan_from_text
from prongsai.planfile import plan_to_data, read_plan
from prongsai.progressfile import read_progress
from prongsai.thai import to_thai_digits
from prongsai_web.audit.models import AuditEvent
from prongsai_web.directory.models import Agency
from prongsai_web.plans.models import Plan
from prongsai_web.plans.services import current_plan, plan_from_data, save_plan
from prongsai_web.tracking.models import Evidence, Progress, ProgressVersion
from prongsai_web.tracking.services import FileGiven, LinkGiven, Refused, add_update, tracked
from prongsai_web.tracking.summary import fiscal_year, on_time_share, tracking_summary
from tests.conftest import EXAMPLES
from tests.web.conftest import World

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def planned(world: World) -> World:
    """The world with A1's plan drafted and saved (version 1) by the admin."""
    current_plan(world.users["admin"], world.a1, 2567)  # type: ignore[arg-type]
    return world


def _url(w: World, rest: str = "", agency: Agency | None = None, year: int = 2567) -> str:
    return f"/a/{(agency or w.a1).pk}/years/{year}/tracking/{rest}"


def _report(client: Client, w: World, measure: str, version: int, **fields: Any) -> Any:
    return client.post(_url(w, f"m/{measure}/"), {"version": version, **fields})


def _page(response: Any) -> str:
    return html.unescape(response.content.decode())


def _plan(w: World) -> Any:
    return plan_from_text(Plan.objects.get(agency=w.a1, ita_year=2567).text)


def _read_back(text: str, w: World, tmp_path: Path) -> Any:
    path = tmp_path / "progress.yaml"
    path.write_text(text, encoding="utf-8")
    return read_progress(path, _plan(w))[0]


def _docx(*, macros: bool = False) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
    return data.getvalue()


def _xlsx() -> bytes:
    book = Workbook()
    book.active.append(["ผลการดำเนินการ", 1])  # type: ignore[union-attr]
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


# --------------------------------------------------------------------------------------------------
# The board
# --------------------------------------------------------------------------------------------------


def test_without_a_plan_the_board_says_so_and_links_to_the_plan(world: World) -> None:
    response = world.client("overseer").get(_url(world))
    assert response.status_code == 200
    page = _page(response)
    assert "ยังไม่มีแผนมาตรการ" in page
    assert f'href="/a/{world.a1.pk}/years/2567/plan/"' in page
    assert not Progress.objects.exists()


def test_the_board_groups_every_measure_by_status_with_due_dates_in_buddhist_era(planned: World) -> None:
    plan = _plan(planned)
    page = _page(planned.client("overseer").get(_url(planned), {"as_of": "15/12/2567"}))
    for measure in plan.measures:
        assert measure.title in page
    for word in ("ยังไม่ดำเนินการ", "อยู่ระหว่างดำเนินการ", "ดำเนินการแล้วเสร็จ", "เลื่อน", "ยกเลิก"):
        assert word in page
    assert "ข้อมูล ณ วันที่ <strong>๑๕ ธันวาคม ๒๕๖๗</strong>" in page  # a เทศบาลตำบล writes Thai digits
    assert "กำหนดแล้วเสร็จ ๓๑ ธันวาคม ๒๕๖๗" in page
    assert "เกินกำหนด</span>" not in page  # nothing is overdue before its due date
    assert "รายงานผล</a>" not in page  # the overseer sees, never updates


def test_measures_past_their_due_date_are_overdue_on_the_day_asked(planned: World) -> None:
    quarter_one = [m for m in _plan(planned).measures if m.quarters[1] == 1]
    page = _page(planned.client("executive").get(_url(planned), {"as_of": "1 มกราคม 2568"}))
    assert f"มาตรการที่เกินกำหนด {to_thai_digits(str(len(quarter_one)))} รายการ" in page
    for measure in quarter_one:
        row = page.split(f'id="m-{measure.id}"')[1].split("</li>")[0]
        assert "trk-badge overdue" in row
    on_the_day = _page(planned.client("executive").get(_url(planned), {"as_of": "2567-12-31"}))
    assert "มาตรการที่เกินกำหนด" not in on_the_day  # on its due day a measure is not yet overdue


def test_an_unreadable_day_is_said_and_today_is_shown(planned: World) -> None:
    response = planned.client("clerk").get(_url(planned), {"as_of": "วันจันทร์หน้า"})
    assert response.status_code == 400
    page = _page(response)
    assert "อ่านวันที่ 'วันจันทร์หน้า' ไม่ได้" in page and "cannot read the date" in page
    assert "มาตรการทั้งหมด" in page  # the board itself is still there, as of today


def test_the_clerk_sees_links_to_report(planned: World) -> None:
    page = _page(planned.client("clerk").get(_url(planned)))
    assert page.count(">รายงานผล</a>") == len(_plan(planned).measures)
    assert f'href="{_url(planned, "upload/")}"' in page


# --------------------------------------------------------------------------------------------------
# An update from the form
# --------------------------------------------------------------------------------------------------


def test_an_update_is_appended_read_back_by_the_core_and_audited(planned: World, tmp_path: Path) -> None:
    clerk = planned.client("clerk")
    response = _report(
        clerk,
        planned,
        "asset-use-guideline",
        0,
        date="๒๐ พฤศจิกายน ๒๕๖๗",
        status="in_progress",
        percent="๔๐",
        done="ยกร่างแนวปฏิบัติการใช้ทรัพย์สินของราชการ เสนอปลัดเทศบาลพิจารณา",
        outputs="ร่างแนวปฏิบัติ 1 ฉบับ",
        link0="https://www.khokmuang.go.th/ita/asset-guideline",
        link0_description="ร่างแนวปฏิบัติที่เผยแพร่บนเว็บไซต์",
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/tracking/m/asset-use-guideline/#history")
    row = Progress.objects.get()
    assert row.version == 1 and row.updated_by == planned.users["clerk"]
    progress = _read_back(row.text, planned, tmp_path)
    (update,) = progress.of("asset-use-guideline").updates
    assert update.date == dt.date(2024, 11, 20) and update.status == "in_progress" and update.percent == 40
    assert update.evidence[0].url == "https://www.khokmuang.go.th/ita/asset-guideline"
    assert "      - date: 2567-11-20\n        status: อยู่ระหว่างดำเนินการ\n        percent: 40\n" in row.text
    assert ProgressVersion.objects.get().text == row.text
    event = AuditEvent.objects.get(action="progress.updated")
    assert event.actor == planned.users["clerk"] and event.agency == planned.a1
    assert event.detail["measure"] == "asset-use-guideline" and event.detail["status"] == "in_progress"
    assert event.detail["date"] == "2567-11-20" and event.detail["version"] == 1
    board = _page(clerk.get(_url(planned), {"as_of": "30/11/2567"}))
    in_progress = board.split('id="status-in_progress"')[1].split("</section>")[0]
    assert "ประกาศแนวปฏิบัติการใช้ทรัพย์สินของราชการ" in in_progress and "๔๐%" in in_progress
    assert "รายงานล่าสุด ๒๐ พฤศจิกายน ๒๕๖๗" in in_progress


def test_a_second_update_keeps_every_earlier_line(planned: World, tmp_path: Path) -> None:
    clerk = planned.client("clerk")
    first = {"date": "2567-11-20", "status": "in_progress", "percent": "40"}
    assert _report(clerk, planned, "asset-use-guideline", 0, **first).status_code == 302
    before, saved_at = Progress.objects.values_list("text", "updated_at").get()
    second = {"date": "2567-12-20", "status": "done", "done": "ประกาศแนวปฏิบัติแล้ว\nแจ้งเวียนทุกกอง"}
    assert _report(clerk, planned, "asset-use-guideline", 1, **second).status_code == 302
    after = Progress.objects.get()
    assert after.version == 2 and ProgressVersion.objects.count() == 2 and after.updated_at > saved_at
    added = [line for line in after.text.split("\n") if line not in before.split("\n")]
    assert added == [
        "      - date: 2567-12-20",
        "        status: ดำเนินการแล้วเสร็จ",
        "        done: |-",
        "          ประกาศแนวปฏิบัติแล้ว",
        "          แจ้งเวียนทุกกอง",
    ]
    kept = [line for line in after.text.split("\n") if line not in added]
    assert kept == before.split("\n")  # append-only: nothing earlier rewritten
    updates = _read_back(after.text, planned, tmp_path).of("asset-use-guideline").updates
    assert [u.status for u in updates] == ["in_progress", "done"]


def test_the_page_shows_the_history_newest_first(planned: World) -> None:
    clerk = planned.client("clerk")
    _report(clerk, planned, "eservice-development", 0, date="2567-11-01", status="in_progress", percent="20")
    _report(
        clerk,
        planned,
        "eservice-development",
        1,
        date="2568-03-15",
        status="postponed",
        reason="รอการจัดสรรงบประมาณเพิ่มเติมจากเทศบัญญัติ",
        until="31/08/2568",
        budget_used="12,500",
    )
    page = _page(planned.client("overseer").get(_url(planned, "m/eservice-development/")))
    history = page.split('id="history"')[1]
    assert history.index("๑๕ มีนาคม ๒๕๖๘") < history.index("๑ พฤศจิกายน ๒๕๖๗")
    assert "รอการจัดสรรงบประมาณเพิ่มเติมจากเทศบัญญัติ" in history
    assert "กำหนดแล้วเสร็จใหม่</dt><dd>๓๑ สิงหาคม ๒๕๖๘" in history and "๑๒,๕๐๐ บาท" in history
    assert "บันทึกการรายงาน" not in page  # no form for the overseer


@pytest.mark.parametrize(
    ("fields", "field", "th", "en"),
    [
        (
            {"date": "2569-01-15", "status": "in_progress"},
            "date",
            "อยู่นอกปีงบประมาณ 2568",
            "outside fiscal year 2568",
        ),
        ({"date": "15 ธันวาคม", "status": "in_progress"}, "date", "อ่านวันที่", "cannot read the date"),
        ({"date": "2567-12-01", "status": "postponed"}, "reason", "ต้องระบุเหตุผล", "needs its reason"),
        ({"date": "2567-12-01", "status": "cancelled"}, "reason", "ต้องระบุเหตุผล", "needs its reason"),
        (
            {"date": "2567-12-01", "status": "in_progress", "percent": "120"},
            "percent",
            "ร้อยละความก้าวหน้า",
            "percent done",
        ),
        (
            {"date": "2567-12-01", "status": "in_progress", "until": "2568-01-31"},
            "until",
            "ใช้ได้เฉพาะสถานะ 'เลื่อน'",
            "goes only with the status",
        ),
        (
            {"date": "2567-12-01", "status": "postponed", "reason": "รอ", "until": "2567-11-01"},
            "until",
            "",
            "",
        ),
        (
            {"date": "2567-12-01", "status": "in_progress", "budget_used": "-500"},
            "budget_used",
            "ไม่ถูกต้อง",
            "not valid",
        ),
        ({"date": "2567-12-01", "status": "in_progress", "budget_used": "ห้าพัน"}, "budget_used", "", ""),
        (
            {
                "date": "2567-12-01",
                "status": "in_progress",
                "link0": "ftp://files.example/x",
                "link0_description": "x",
            },
            "link0",
            "http:// หรือ https://",
            "http:// or https://",
        ),
        (
            {"date": "2567-12-01", "status": "in_progress", "link0": "https://www.khokmuang.go.th/ita"},
            "link0",
            "",
            "",
        ),
    ],
)
def test_a_mistake_is_refused_at_its_field_in_thai_and_english(
    planned: World, fields: dict[str, str], field: str, th: str, en: str
) -> None:
    response = _report(planned.client("clerk"), planned, "eservice-development", 0, **fields)
    assert response.status_code == 400
    page = _page(response)
    form = page.split('id="report"')[1].split("</form>")[0]
    after = form.split(f'name="{field}"')[1]
    placed = after.split('name="link1"')[0] if field.startswith("link") else after.split("</div>")[0]
    assert 'class="trk-field-error' in placed, placed[:500]
    assert th in placed and en in placed
    assert f'value="{fields["date"]}"' in form  # what was typed is kept
    assert not Progress.objects.exists() and not AuditEvent.objects.filter(action="progress.updated").exists()


def test_updates_out_of_date_order_are_refused(planned: World) -> None:
    clerk = planned.client("clerk")
    assert (
        _report(clerk, planned, "asset-use-guideline", 0, date="2567-12-20", status="in_progress").status_code
        == 302
    )
    response = _report(clerk, planned, "asset-use-guideline", 1, date="2567-12-01", status="done")
    assert response.status_code == 400
    assert "การรายงานต้องเรียงตามวันที่" in _page(response)
    assert Progress.objects.get().version == 1


def test_reopening_a_measure_done_needs_a_note(planned: World, tmp_path: Path) -> None:
    clerk = planned.client("clerk")
    _report(clerk, planned, "asset-use-guideline", 0, date="2567-12-20", status="done")
    refused = _report(clerk, planned, "asset-use-guideline", 1, date="2568-01-10", status="in_progress")
    assert refused.status_code == 400 and "หมายเหตุ" in _page(refused).split('name="status"')[1]
    again = _report(
        clerk,
        planned,
        "asset-use-guideline",
        1,
        date="2568-01-10",
        status="in_progress",
        note="สำนักงานตรวจเงินแผ่นดินแนะนำให้เพิ่มหมวดการยืมพัสดุ",
    )
    assert again.status_code == 302
    updates = _read_back(Progress.objects.get().text, planned, tmp_path).of("asset-use-guideline").updates
    assert updates[-1].note.startswith("สำนักงานตรวจเงินแผ่นดิน")


def test_a_warning_does_not_stop_the_save_and_is_shown(planned: World) -> None:
    clerk = planned.client("clerk")
    response = _report(
        clerk, planned, "asset-use-guideline", 0, date="2567-12-20", status="done", percent="80"
    )
    assert response.status_code == 302
    page = _page(clerk.get(response["Location"]))
    assert "บันทึกการรายงานผลการดำเนินการของมาตรการ asset-use-guideline แล้ว" in page
    assert "ร้อยละ" in page.split('class="messages"')[1].split("</ul>")[0]  # done, yet under 100 percent


def test_the_second_of_two_concurrent_saves_is_refused_never_lost(planned: World) -> None:
    clerk, admin = planned.client("clerk"), planned.client("admin")
    assert (
        _report(admin, planned, "asset-use-guideline", 0, date="2567-11-01", status="in_progress").status_code
        == 302
    )
    response = _report(
        clerk, planned, "service-manual-steps-time", 0, date="2567-11-02", status="in_progress"
    )
    assert response.status_code == 409
    page = _page(response)
    assert "มีผู้บันทึกผลการดำเนินการเป็นฉบับที่ 1" in page and "someone saved the progress as version 1" in page
    assert 'value="2567-11-02"' in page  # what the clerk typed is still on the page
    row = Progress.objects.get()
    assert row.version == 1 and "service-manual-steps-time\n" in row.text
    assert "2567-11-02" not in row.text
    assert (
        _report(
            clerk, planned, "service-manual-steps-time", 1, date="2567-11-02", status="in_progress"
        ).status_code
        == 302
    )


def test_a_measure_the_plan_does_not_have_is_404(planned: World) -> None:
    assert planned.client("clerk").get(_url(planned, "m/no-such-measure/")).status_code == 404
    response = _report(
        planned.client("clerk"), planned, "no-such-measure", 0, date="2567-12-01", status="done"
    )
    assert response.status_code == 404 and not Progress.objects.exists()


# --------------------------------------------------------------------------------------------------
# Evidence files
# --------------------------------------------------------------------------------------------------


def _with_files(**files: tuple[str, bytes]) -> dict[str, Any]:
    return {
        row: SimpleUploadedFile(name, data, "application/octet-stream") for row, (name, data) in files.items()
    }


def test_evidence_files_are_kept_named_in_the_file_and_served_as_attachments(
    planned: World, _media: Path, tmp_path: Path
) -> None:
    clerk = planned.client("clerk")
    response = _report(
        clerk,
        planned,
        "asset-use-guideline",
        0,
        date="2567-12-20",
        status="done",
        file0_description="ประกาศแนวปฏิบัติการใช้ทรัพย์สินของราชการ ลงนามแล้ว",
        **_with_files(
            file0=("ประกาศ แนวปฏิบัติ.pdf", PDF),
            file1=("ภาพการประชุม.JPG", JPEG),
            file2=("คู่มือ.docx", _docx()),
        ),
    )
    assert response.status_code == 302, _page(response)[:2000]
    files = list(Evidence.objects.order_by("id"))
    assert [e.name for e in files] == ["ประกาศ แนวปฏิบัติ.pdf", "ภาพการประชุม.jpg", "คู่มือ.docx"]
    assert [e.content_type for e in files][:2] == ["application/pdf", "image/jpeg"]
    assert files[1].description == "ภาพการประชุม"  # no description given: the file's name
    stored = sorted(p for p in _media.rglob("*") if p.is_file())
    assert len(stored) == 3 and all("ประกาศ" not in p.name for p in stored)  # stored under made-up names
    update = _read_back(Progress.objects.get().text, planned, tmp_path).of("asset-use-guideline").updates[0]
    assert [e.path for e in update.evidence] == [e.path for e in files]
    assert files[0].path == "evidence/ประกาศ แนวปฏิบัติ.pdf"
    event = AuditEvent.objects.get(action="progress.updated")
    assert event.detail["evidence_files"] == [e.pk for e in files]
    for persona in ("clerk", "overseer", "executive"):
        download = planned.client(persona).get(f"/evidence/{files[0].pk}/")
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
        assert download["Content-Type"] == "application/pdf"
        assert download["X-Content-Type-Options"] == "nosniff"
        assert download["Content-Disposition"].startswith("attachment;")
        assert "filename*=utf-8''" in download["Content-Disposition"]
    assert planned.client("outsider").get(f"/evidence/{files[0].pk}/").status_code == 404
    page = _page(clerk.get(_url(planned, "m/asset-use-guideline/")))
    assert f'href="/evidence/{files[0].pk}/"' in page and "ประกาศแนวปฏิบัติการใช้ทรัพย์สินของราชการ ลงนามแล้ว" in page


@pytest.mark.parametrize(
    ("name", "data", "th", "en"),
    [
        ("รายงาน.pdf", PNG, "เนื้อไฟล์เป็นไฟล์ PNG", "its content is PNG"),
        (
            "รายงาน.pdf",
            b"<html><script>alert(1)</script></html>",
            "เนื้อไฟล์ไม่ใช่ไฟล์ PDF",
            "its content is not PDF",
        ),
        ("ภาพ.png", JPEG, "เนื้อไฟล์เป็นไฟล์ JPEG", "its content is JPEG"),
        ("คู่มือ.docx", b"PK\x03\x04 not really a zip", "เนื้อไฟล์ไม่ใช่ไฟล์ Word (DOCX)", "is not Word (DOCX)"),
        ("ตาราง.xlsx", _docx(), "เนื้อไฟล์เป็นไฟล์ Word (DOCX)", "its content is Word (DOCX)"),
        ("คู่มือ.docx", _docx(macros=True), "มีมาโคร", "holds macros"),
        ("โปรแกรม.exe", b"MZ\x90\x00", "ระบบรับเฉพาะไฟล์ PDF", "accepted are PDF"),
        ("ว่าง.pdf", b"", "ไม่มีข้อมูล", "is empty"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(
    planned: World, _media: Path, name: str, data: bytes, th: str, en: str
) -> None:
    response = _report(
        planned.client("clerk"),
        planned,
        "asset-use-guideline",
        0,
        date="2567-12-20",
        status="done",
        **_with_files(file0=(name, data)),
    )
    assert response.status_code == 400
    row = _page(response).split('name="file0"')[1].split('name="file1"')[0]
    assert th in row and en in row
    assert not Progress.objects.exists() and not Evidence.objects.exists()
    assert not _media.exists() or not any(p.is_file() for p in _media.rglob("*"))


def test_an_excel_file_is_accepted_and_a_file_over_the_limit_refused(planned: World, settings: Any) -> None:
    clerk = planned.client("clerk")
    settings.EVIDENCE_LIMIT = 2000
    big = _report(
        clerk,
        planned,
        "asset-use-guideline",
        0,
        date="2567-12-20",
        status="done",
        **_with_files(file0=("ตาราง.xlsx", _xlsx())),
    )
    assert big.status_code == 400 and "เกินขนาดที่รับได้" in _page(big) and not Evidence.objects.exists()
    settings.EVIDENCE_LIMIT = 10 * 1024 * 1024
    fine = _report(
        clerk,
        planned,
        "asset-use-guideline",
        0,
        date="2567-12-20",
        status="done",
        **_with_files(file0=("ตาราง.xlsx", _xlsx())),
    )
    assert fine.status_code == 302 and Evidence.objects.get().content_type.endswith("spreadsheetml.sheet")


def test_a_file_name_taken_gets_a_number(planned: World) -> None:
    clerk = planned.client("clerk")
    _report(
        clerk,
        planned,
        "asset-use-guideline",
        0,
        date="2567-12-01",
        status="in_progress",
        **_with_files(file0=("สรุป.pdf", PDF)),
    )
    _report(
        clerk,
        planned,
        "asset-use-guideline",
        1,
        date="2567-12-20",
        status="done",
        **_with_files(file0=("สรุป.pdf", PDF)),
    )
    assert [e.path for e in Evidence.objects.order_by("id")] == ["evidence/สรุป.pdf", "evidence/สรุป-2.pdf"]


def test_stored_files_are_removed_when_the_save_fails(planned: World, _media: Path, monkeypatch: Any) -> None:
    from prongsai_web.tracking import services

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        add_update(
            planned.users["clerk"],  # type: ignore[arg-type]
            planned.a1,
            2567,
            "asset-use-guideline",
            0,
            {"date": "2567-12-20", "status": "done"},
            [FileGiven(SimpleUploadedFile("ประกาศ.pdf", PDF), "", "file0")],
            [LinkGiven("", "", "link0")],
        )
    assert not Progress.objects.exists() and not Evidence.objects.exists()
    assert not any(p.is_file() for p in _media.rglob("*"))


# --------------------------------------------------------------------------------------------------
# The progress file: download and upload
# --------------------------------------------------------------------------------------------------


def test_the_progress_file_downloads_as_held(planned: World) -> None:
    clerk = planned.client("clerk")
    empty = clerk.get(_url(planned, "progress.yaml"))
    assert empty.status_code == 200 and empty["Content-Disposition"].startswith("attachment;")
    assert "updates: []" in empty.content.decode() and "plan_year: 2568" in empty.content.decode()
    _report(clerk, planned, "asset-use-guideline", 0, date="2567-12-20", status="done")
    held = clerk.get(_url(planned, "progress.yaml")).content.decode()
    assert held == Progress.objects.get().text
    assert clerk.get(_url(planned, "v1.yaml")).content.decode() == held
    assert clerk.get(_url(planned, "v2.yaml")).status_code == 404


def _upload(client: Client, w: World, text: str, version: int, name: str = "progress-2568.yaml") -> Any:
    upload = SimpleUploadedFile(name, text.encode("utf-8"), "application/yaml")
    return client.post(_url(w, "upload/"), {"version": version, "file": upload})


def test_a_file_filled_offline_is_uploaded_when_it_only_adds(planned: World, tmp_path: Path) -> None:
    clerk = planned.client("clerk")
    _report(clerk, planned, "asset-use-guideline", 0, date="2567-11-20", status="in_progress", percent="40")
    text = clerk.get(_url(planned, "progress.yaml")).content.decode()
    filled = text.replace(
        "  - id: service-manual-steps-time\n    title: จัดทำคู่มือการปฏิบัติงานและคู่มือการให้บริการที่ระบุขั้นตอนและระยะเวลาแต่ละงานบริการ\n    updates: []",
        "  - id: service-manual-steps-time\n    title: จัดทำคู่มือการปฏิบัติงานและคู่มือการให้บริการที่ระบุขั้นตอนและระยะเวลาแต่ละงานบริการ\n"
        "    updates:\n      - date: ๒๕ มี.ค. ๖๘\n        status: แล้วเสร็จ\n        outputs: คู่มือการให้บริการ 12 งาน",
    )
    assert filled != text
    response = _upload(clerk, planned, filled, 1)
    assert response.status_code == 302, _page(response)[:1500]
    row = Progress.objects.get()
    assert row.version == 2 and row.text == filled  # kept as written (Thai dates and all)
    assert ProgressVersion.objects.get(version=2).change == "upload"
    event = AuditEvent.objects.filter(action="progress.updated").latest("id")
    assert event.detail["change"] == "upload" and event.detail["updates_added"] == 1
    done = _read_back(row.text, planned, tmp_path).of("service-manual-steps-time").updates[0]
    assert done.status == "done" and done.date == dt.date(2025, 3, 25)
    message = _page(clerk.get(response["Location"]))
    assert "นำเข้าไฟล์ผลการดำเนินการแล้ว มีการรายงานเพิ่มขึ้น 1 รายการ" in message
    assert (
        _report(clerk, planned, "service-manual-steps-time", 2, date="2568-03-30", status="done").status_code
        == 302
    )
    assert "๒๕ มี.ค. ๖๘" in Progress.objects.get().text  # a web update keeps the clerk's own lines


def test_an_upload_that_changes_or_drops_an_update_is_refused_at_its_line(planned: World) -> None:
    clerk = planned.client("clerk")
    _report(clerk, planned, "asset-use-guideline", 0, date="2567-11-20", status="in_progress", percent="40")
    text = Progress.objects.get().text
    changed = _upload(clerk, planned, text.replace("percent: 40", "percent: 60"), 1)
    assert changed.status_code == 400
    page = _page(changed)
    line = text.split("\n").index("      - date: 2567-11-20") + 1
    assert f"บรรทัด {line}" in page and "ถูกแก้ไขในไฟล์นี้" in page and "is changed in this file" in page
    dropped = text.replace(
        "    updates:\n      - date: 2567-11-20\n        status: อยู่ระหว่างดำเนินการ\n        percent: 40\n",
        "    updates: []\n",
    )
    assert dropped != text
    page = _page(_upload(clerk, planned, dropped, 1))
    assert "ไม่มีการรายงานของมาตรการ asset-use-guideline ลงวันที่ 20 พฤศจิกายน 2567" in page
    assert Progress.objects.get().version == 1 and ProgressVersion.objects.count() == 1


def test_a_broken_or_foreign_upload_is_refused_whole_with_every_problem_located(planned: World) -> None:
    clerk = planned.client("clerk")
    text = clerk.get(_url(planned, "progress.yaml")).content.decode()
    broken = text.replace("plan_year: 2568", "plan_year: 2567").replace(
        "  - id: asset-use-guideline\n    title: ประกาศแนวปฏิบัติการใช้ทรัพย์สินของราชการและจัดทำคู่มือให้บุคลากรถือปฏิบัติ\n    updates: []",
        "  - id: asset-use-guidline\n    updates:\n      - date: 2568-13-01\n        status: เสร็จแล้ว",
    )
    page = _page(_upload(clerk, planned, broken, 0))
    for expected in ("plan_year", "asset-use-guidline", "หมายถึง 'asset-use-guideline' หรือไม่", "บรรทัด"):
        assert expected in page, expected
    not_yaml = _upload(clerk, planned, "measures: [unclosed\n", 0)
    assert not_yaml.status_code == 400 and "บรรทัด" in _page(not_yaml)
    nothing = planned.client("clerk").post(_url(planned, "upload/"), {"version": 0})
    assert nothing.status_code == 400 and "ยังไม่ได้เลือกไฟล์ผลการดำเนินการ" in _page(nothing)
    assert not Progress.objects.exists()


def test_the_same_file_uploaded_again_changes_nothing(planned: World) -> None:
    clerk = planned.client("clerk")
    _report(clerk, planned, "asset-use-guideline", 0, date="2567-11-20", status="in_progress")
    response = _upload(clerk, planned, Progress.objects.get().text, 1)
    assert response.status_code == 302 and Progress.objects.get().version == 1
    assert "ไม่มีการเปลี่ยนแปลง" in _page(clerk.get(response["Location"]))


# --------------------------------------------------------------------------------------------------
# A plan changed after progress was recorded
# --------------------------------------------------------------------------------------------------


def test_a_plan_changed_under_its_progress_is_said_and_mended_by_an_upload(planned: World) -> None:
    clerk = planned.client("clerk")
    _report(clerk, planned, "asset-use-guideline", 0, date="2567-12-20", status="done")
    plan_row = Plan.objects.get(agency=planned.a1)
    data = plan_to_data(plan_from_text(plan_row.text))
    data["measures"] = [m for m in data["measures"] if m["id"] != "asset-use-guideline"]
    save_plan(planned.users["admin"], planned.a1, 2567, plan_from_data(data), plan_row.version)  # type: ignore[arg-type]
    board = clerk.get(_url(planned))
    assert board.status_code == 200
    page = _page(board)
    assert "ไม่สอดคล้องกับแผนมาตรการฉบับปัจจุบัน" in page and "asset-use-guideline" in page
    refused = _report(clerk, planned, "eservice-development", 1, date="2568-01-05", status="in_progress")
    assert refused.status_code == 400 and "ไม่สอดคล้องกับแผนมาตรการฉบับปัจจุบัน" in _page(refused)
    text = Progress.objects.get().text
    start = text.index("  - id: asset-use-guideline")
    end = text.index("  # ", start)
    mended = text[:start] + text[end:]
    assert _upload(clerk, planned, mended, 1).status_code == 302
    assert (
        AuditEvent.objects.filter(action="progress.updated").latest("id").detail["replaced_unreadable"]
        is True
    )
    assert "มาตรการทั้งหมด" in _page(clerk.get(_url(planned)))


# --------------------------------------------------------------------------------------------------
# The summary for the agency's home and the dashboard
# --------------------------------------------------------------------------------------------------


def _year_carried_out(w: World) -> None:
    """Quarter 1 of plan year 2568: one measure done in time, one late, one cancelled."""
    clerk = w.client("clerk")
    steps = [
        ("asset-use-guideline", {"date": "2567-12-20", "status": "done"}),
        ("executive-integrity-declaration", {"date": "2568-01-03", "status": "done"}),
        (
            "budget-briefing-staff",
            {"date": "2567-12-15", "status": "cancelled", "reason": "รวมกับการประชุมประจำเดือน"},
        ),
        ("service-manual-steps-time", {"date": "2567-12-01", "status": "in_progress", "percent": "50"}),
    ]
    for version, (measure, fields) in enumerate(steps):
        assert _report(clerk, w, measure, version, **fields).status_code == 302


def test_the_summary_counts_overdue_and_due_soon(planned: World) -> None:
    assert tracking_summary(planned.a2, 2567, dt.date(2025, 1, 5)) is None  # no plan
    _year_carried_out(planned)
    summary = tracking_summary(planned.a1, 2567, dt.date(2025, 3, 10), within_days=30)
    assert summary is not None and summary["readable"] and summary["plan_year"] == 2568
    assert summary["counts"] == {
        "not_started": 5,
        "in_progress": 1,
        "done": 2,
        "postponed": 0,
        "cancelled": 1,
    } | {"not_started": len(_plan(planned).measures) - 4}
    assert summary["overdue"] == []  # every quarter-1 measure is done or cancelled
    march = [m.id for m in _plan(planned).measures if m.quarters[1] == 2]  # due 31 March 2568
    assert "service-manual-steps-time" in march
    assert [m["id"] for m in summary["due_soon"]] == march
    soon = {m["id"]: m for m in summary["due_soon"]}["service-manual-steps-time"]
    assert soon["days"] == 21 and soon["status_th"] == "อยู่ระหว่างดำเนินการ" and soon["percent"] == 50
    assert summary["on_time"] == 0.5
    later = tracking_summary(planned.a1, 2567, dt.date(2025, 4, 1))
    assert later is not None and [m["id"] for m in later["overdue"]] == march


def test_the_on_time_share_is_one_query_for_any_number_of_agencies(planned: World) -> None:
    _year_carried_out(planned)
    b1_plan = current_plan(planned.users["admin"], planned.b1, 2568)  # type: ignore[arg-type]
    assert b1_plan.plan.plan_year == 2569
    ids = [planned.a1.pk, planned.a2.pk, planned.b1.pk]
    with CaptureQueriesContext(connection) as queries:
        shares = on_time_share(ids, dt.date(2025, 1, 5))
    assert len(queries) == 1
    assert shares == {planned.a1.pk: 0.5, planned.a2.pk: None, planned.b1.pk: None}  # B1's plan is of 2569
    assert on_time_share(ids, dt.date(2025, 1, 5), ita_year=2568)[planned.b1.pk] is None  # nothing due yet
    assert on_time_share(ids, dt.date(2026, 10, 1), ita_year=2568)[planned.b1.pk] == 0.0  # all due, none done
    assert on_time_share(ids, dt.date(2024, 12, 31))[planned.a1.pk] is None  # nothing due before that day
    many = [
        planned.a1.pk,
        *(Agency.objects.create(name=f"เทศบาลตำบลที่ {n}", province="สงขลา").pk for n in range(5)),
    ]
    with CaptureQueriesContext(connection) as queries:
        on_time_share(many, dt.date(2025, 1, 5))
    assert len(queries) == 1
    assert fiscal_year(dt.date(2024, 10, 1)) == 2568 and fiscal_year(dt.date(2025, 9, 30)) == 2568


def test_the_summary_card_renders_for_the_agency_home(planned: World) -> None:
    from django.template import Context, Template

    _year_carried_out(planned)
    card = Template("{% load tracking_tags %}{% tracking_card agency 2567 True %}").render(
        Context({"agency": planned.a1})
    )
    assert "ผลการดำเนินการตามมาตรการ (ผลการประเมินปี ๒๕๖๗)" in card
    assert f'href="/a/{planned.a1.pk}/years/2567/tracking/"' in card
    none = Template("{% load tracking_tags %}{% tracking_card agency 2567 %}").render(
        Context({"agency": planned.a2})
    )
    assert "ยังไม่มีแผนมาตรการ" in none


def test_before_any_update_the_file_is_the_empty_one_and_a_blank_date_is_refused(planned: World) -> None:
    found = tracked(planned.a1, 2567)
    assert found is not None and found.version == 0 and found.progress is not None
    assert found.text.startswith("# ผลการดำเนินการตามมาตรการส่งเสริมคุณธรรม")
    with pytest.raises(Refused):
        add_update(
            planned.users["clerk"],  # type: ignore[arg-type]
            planned.a1,
            2567,
            "asset-use-guideline",
            0,
            {"date": "", "status": "done"},
        )


# --------------------------------------------------------------------------------------------------
# The progress file kept as text (prongsai.app.progress): appended in place whatever the layout
# --------------------------------------------------------------------------------------------------

SEED_PLAN = EXAMPLES / "seed-000-bueng-phai-2567-plan.yaml"
SEED_PROGRESS = EXAMPLES / "seed-000-bueng-phai-2567-progress.yaml"
HEAD = "schema_version: 1\nagency: เทศบาลตำบลบึงไผ่\nita_year: 2566\nplan_year: 2567\n"
FIRST = "anti-corruption-action-plan"
SECOND = "ethics-compliance-assessment"
DONE = {"date": "2567-09-29", "status": "done", "done": "รายงานผลประจำปีเสนอนายกเทศมนตรีแล้ว"}


def _kept_lines(before: str, added: app_progress.Added) -> bool:
    """Every line of ``before`` is in the new file as it was, in order, with only the new ones added
    (a line an empty value was taken off, 'updates: []', aside)."""
    first, last = added.lines
    lines = added.text.split("\n")
    outside = lines[: first - 1] + lines[last:]
    old = before.split("\n")
    return len(outside) == len(old) and all(
        a == b or _emptied(a, b) for a, b in zip(outside, old, strict=True)
    )


def _emptied(now: str, was: str) -> bool:
    """'updates: []  # none' became 'updates:  # none'."""
    value = was.split("#")[0].rstrip()
    for empty in ("[]", "~"):
        if value.endswith(empty):
            return now.split("#")[0].rstrip() == value.removesuffix(empty).rstrip()
    return False


def test_the_seed_year_is_appended_to_in_place_keeping_every_thai_date_and_comment() -> None:
    plan = read_plan(SEED_PLAN)
    text = SEED_PROGRESS.read_text(encoding="utf-8")
    for measure in plan.measures:
        entry = app_progress.update_entry(DONE)
        added = app_progress.add_update(text, plan, measure.id, entry)
        assert _kept_lines(text, added), measure.id
        assert added.progress.of(measure.id).updates[-1].status == "done"


@pytest.mark.parametrize(
    ("text", "measure", "kept"),
    [
        (HEAD, FIRST, True),  # no measures yet
        (HEAD + "measures: []  # ยังไม่มี\n", FIRST, True),
        (
            HEAD + f"measures:\n- id: {FIRST}\n  updates:\n  - date: 2567-01-05\n    status: in_progress\n",
            FIRST,
            True,
        ),
        (
            HEAD + f"measures:\n- id: {FIRST}\n  updates:\n  - date: 2567-01-05\n    status: in_progress\n",
            SECOND,
            True,
        ),
        (HEAD + f"measures:\n  - id: {FIRST}\n    updates: ~\n", FIRST, True),
        (HEAD + f"measures:\n  - id: {FIRST}\n    title: x\n", FIRST, True),  # no updates key
        (HEAD + f"measures:\n  - id: {FIRST}\n    updates:\n    # ยังไม่มีการรายงาน\n", FIRST, True),
        (
            HEAD + f"measures: [{{id: {FIRST}, updates: [{{date: 2567-01-05, status: in_progress}}]}}]\n",
            FIRST,
            False,
        ),
        (
            HEAD
            + f'measures:\n  - id: {FIRST}\n    updates:\n      - {{date: 2567-01-05, status: in_progress, note: "ก\\u2028ข"}}\n',
            FIRST,
            False,
        ),
    ],
)
def test_any_layout_takes_an_update_and_keeps_the_earlier_ones(text: str, measure: str, kept: bool) -> None:
    plan = read_plan(SEED_PLAN)
    before, _ = app_progress.progress_from_text(text, plan)
    added = app_progress.add_update(text, plan, measure, app_progress.update_entry(DONE))
    assert _kept_lines(text, added) is kept  # else written first in the layout `progress init` writes
    assert app_progress.only_appended(before, added.progress, measure)
    assert added.progress.of(measure).updates[-1].done == DONE["done"]


def test_a_form_is_written_as_the_file_writes_it() -> None:
    entry = app_progress.update_entry(
        {
            "date": "๒๐ พ.ย. ๖๗",
            "status": "กำลังดำเนินการ",
            "percent": "๔๐%",
            "budget_used": "12,500",
            "done": "ประชุมคณะทำงาน\r\nยกร่างคู่มือ\u2028 ",
            "outputs": "",
            "until": "ไม่ทราบ",
        },
        [
            {"url": "https://www.buengphai.go.th/ita", "description": " หน้าเว็บไซต์ "},
            {"url": "", "description": ""},
        ],
    )
    assert entry == {
        "date": "2567-11-20",
        "status": "อยู่ระหว่างดำเนินการ",
        "percent": 40,
        "done": "ประชุมคณะทำงาน\nยกร่างคู่มือ",
        "budget_used": 12500,
        "evidence": [{"url": "https://www.buengphai.go.th/ita", "description": "หน้าเว็บไซต์"}],
        "until": "ไม่ทราบ",  # as typed: reading the file says why at its field
    }


@hypothesis.settings(max_examples=60, deadline=None)
@hypothesis.given(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30),
    st.sampled_from(["done", "outputs", "problems", "suggestions", "note"]),
)
def test_whatever_is_typed_reads_back_as_typed_or_is_refused_at_its_line(value: str, key: str) -> None:
    plan = read_plan(SEED_PLAN)
    text = SEED_PROGRESS.read_text(encoding="utf-8")
    entry = app_progress.update_entry({"date": "2567-09-29", "status": "done", key: value})
    try:
        added = app_progress.add_update(text, plan, SECOND, entry)
    except app_progress.UpdateRefused as refused:
        assert {p.code for p in refused.problems if p.severity == "error"} <= {"text_bad_character"}
        return
    assert getattr(added.progress.of(SECOND).updates[-1], key) == entry.get(key, "")
