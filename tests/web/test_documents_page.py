"""The documents page of an agency-year: the form (layouts in Thai, formats, digits, the signers and
letter details remembered per agency and audited when they change), problems at their fields with
nothing written, the measures document and the 6- and 12-month progress reports as jobs of the one
engine (made by the worker in this process), the list of jobs grouped by plan version with its
self-refresh, download links and errors in Thai."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from openpyxl import load_workbook

from prongsai.planfile import plan_to_data
from prongsai.progressfile import progress_template
from prongsai_web.audit.models import AuditEvent
from prongsai_web.jobs import services
from prongsai_web.jobs.models import DocumentSettings, RenderJob
from prongsai_web.jobs.worker import run_worker
from prongsai_web.plans.models import Plan
from prongsai_web.plans.services import approve_plan, current_plan, plan_from_data, save_plan
from prongsai_web.tracking.models import Progress
from tests.web.conftest import World

IN_PROCESS_WORKER = pytest.mark.django_db(transaction=True)  # see tests/web/test_jobs.py

SIGNERS = {
    "prepared_by_name": "นางสาวสมศรี ใจดี",
    "prepared_by_position": "นิติกรชำนาญการ",
    "endorsed_by_name": "นายสมชาย รักดี",
    "endorsed_by_position": "ปลัดเทศบาลตำบลโคกม่วง",
    "approved_by_name": "นายสมปอง มั่นคง",
    "approved_by_position": "นายกเทศมนตรีตำบลโคกม่วง",
    "unit": "งานนิติการ สำนักปลัดเทศบาล",
    "reference": "สข 73601/123",
    "website": "www.khokmuang.go.th",
}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _url(world: World, year: int = 2567) -> str:
    return f"/a/{world.a1.pk}/years/{year}/documents/"


def _ask(client: Client, world: World, **fields: str) -> Any:
    form = {"kind": "measures", "layout": "summary", "format": "html", "digits": "", **SIGNERS}
    form.update(fields)
    return client.post(_url(world), {k: v for k, v in form.items() if v is not None})


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        return docx.read("word/document.xml").decode("utf-8")


def _progress_text(world: World) -> str:
    """A progress file of A1's plan: its first measure done on 20 December 2567."""
    plan = current_plan(world.users["clerk"], world.a1, 2567).plan  # type: ignore[arg-type]
    return progress_template(plan).replace(  # the first measure's updates
        "    updates: []\n",
        "    updates:\n"
        "      - date: 2567-12-20\n"
        "        status: ดำเนินการแล้วเสร็จ\n"
        "        done: จัดประชุมชี้แจงบุคลากรทุกส่วนราชการแล้ว\n",
        1,
    )


# --- the page ------------------------------------------------------------------------------------


def test_the_clerk_sees_the_form_in_thai(world: World) -> None:
    page = world.client("clerk").get(_url(world))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="docform"' in html and "จัดทำเอกสารมาตรการ" in html and "จัดทำรายงานผล" in html
    for name in ("ฉบับสมบูรณ์", "ตารางเดียวตามประเด็น", "ฉบับย่อ (มีประกาศ)", "ตารางมาตรการ (มีบันทึกข้อความ)"):
        assert name in html
    assert 'value="xlsx"' in html and "Excel (XLSX)" in html  # the progress report's workbook
    assert "ผู้ลงนามในประกาศ" in html and "ผู้อนุมัติ (ผู้บริหาร)" in html
    assert "ตามประเภทหน่วยงาน (เลขไทย)" in html  # a เทศบาลตำบล writes Thai digits
    assert "รอบ ๖ เดือน" in html and "(๑ ตุลาคม ๒๕๖๗ – ๓๑ มีนาคม ๒๕๖๘)" in html
    assert "ยังไม่ได้บันทึกแผนมาตรการ" in html  # nothing drafted by looking
    assert not Plan.objects.exists()
    assert "ยังไม่มีเอกสารที่ขอจัดทำ" in html and "hx-trigger" not in html


@pytest.mark.parametrize("persona", ["executive", "overseer"])
def test_readers_see_the_jobs_but_no_form(world: World, persona: str) -> None:
    html = world.client(persona).get(_url(world)).content.decode()
    assert 'class="docform"' not in html and "ผู้จัดทำของหน่วยงานเป็นผู้ขอจัดทำเอกสาร" in html


def test_a_year_without_results_is_404(world: World) -> None:
    assert world.client("clerk").get(_url(world, 2560)).status_code == 404
    assert _ask(world.client("clerk"), world).status_code == 302
    assert world.client("clerk").post(_url(world, 2560), {"kind": "measures"}).status_code == 404


# --- asking ---------------------------------------------------------------------------------------


def test_asking_queues_the_job_and_remembers_the_settings(world: World) -> None:
    clerk = world.client("clerk")
    response = _ask(clerk, world, date="15 ธ.ค. 2567")
    assert response.status_code == 302 and response["Location"].endswith("/documents/#jobs")
    job = RenderJob.objects.get()
    assert (job.kind, job.layout, job.fmt, job.plan_version, job.status) == (
        "measures",
        "summary",
        "html",
        1,
        "queued",
    )
    assert job.report_settings["prepared_by"] == {"name": "นางสาวสมศรี ใจดี", "position": "นิติกรชำนาญการ"}
    assert job.report_settings["website"] == "www.khokmuang.go.th"
    assert job.report_settings["date"] == "2024-12-15"
    assert "announced_by" not in job.report_settings
    saved = DocumentSettings.objects.get(agency=world.a1)
    assert saved.data["unit"] == "งานนิติการ สำนักปลัดเทศบาล" and "date" not in saved.data
    assert saved.updated_by == world.users["clerk"]
    assert AuditEvent.objects.filter(action="document.settings_saved").count() == 1
    page = clerk.get(response["Location"]).content.decode()
    assert "รับคำขอจัดทำมาตรการส่งเสริมคุณธรรม" in page
    assert 'value="นางสาวสมศรี ใจดี"' in page  # remembered
    _ask(clerk, world)  # the same settings: not saved again
    assert AuditEvent.objects.filter(action="document.settings_saved").count() == 1
    _ask(clerk, world, website="https://www.khokmuang.go.th/ita", reference="")
    event = AuditEvent.objects.filter(action="document.settings_saved").latest("id")
    assert event.detail["changed"] == ["reference", "website"]
    assert "reference" not in DocumentSettings.objects.get(agency=world.a1).data


def test_without_a_date_the_measures_document_is_dated_once_for_good(world: World) -> None:
    _ask(world.client("clerk"), world)
    job = RenderJob.objects.get()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", job.report_settings["date"])  # fixed now: a re-run is the same


def test_problems_are_shown_at_their_fields_and_nothing_is_written(world: World) -> None:
    before = AuditEvent.objects.count()
    response = _ask(
        world.client("clerk"),
        world,
        website="not a web address",
        date="31 ก.พ. 2568",
        prepared_by_name="x" * 201,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count('class="field-error"') >= 3
    assert "31 ก.พ. 2568" in html and "not a web address" in html  # what was typed, shown again
    assert "กุมภาพันธ์" in html  # the date's problem in Thai
    assert not RenderJob.objects.exists() and not DocumentSettings.objects.exists()
    assert not Plan.objects.exists() and AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"kind": "poster"}, "ไม่ทราบว่าต้องการจัดทำเอกสารใด"),
        ({"layout": "poster"}, "รูปแบบเอกสาร poster ใช้ไม่ได้"),
        ({"format": "odt"}, "รูปแบบไฟล์ odt ใช้ไม่ได้"),
        ({"format": "xlsx"}, "รูปแบบไฟล์ xlsx ใช้ไม่ได้"),  # the measures document has no workbook
        ({"digits": "roman"}, "รูปแบบตัวเลข roman ใช้ไม่ได้"),
        ({"kind": "progress", "period": "9", "report_format": "docx"}, "รอบรายงาน 9 ใช้ไม่ได้"),
        ({"kind": "progress", "period": "6", "report_format": "csv"}, "รูปแบบไฟล์ csv ใช้กับรายงานผลไม่ได้"),
        ({"kind": "progress", "period": "6", "report_format": "docx", "as_of": "เมื่อวาน"}, "as_of"),
    ],
)
def test_a_choice_the_core_does_not_make_is_400(world: World, fields: dict[str, str], where: str) -> None:
    response = _ask(world.client("clerk"), world, **fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert where in html or f'name="{where}"' in html
    assert not RenderJob.objects.exists() and not DocumentSettings.objects.exists()


def test_the_api_uses_the_agencys_remembered_settings(world: World) -> None:
    _ask(world.client("clerk"), world)
    response = world.api("admin").post(
        f"/api/agencies/{world.a1.pk}/years/2567/documents",
        {"format": "docx"},
        content_type="application/json",
    )
    assert response.status_code == 202
    job = RenderJob.objects.get(pk=response.json()["job"])
    assert job.report_settings["approved_by"]["name"] == "นายสมปอง มั่นคง"
    assert world.api("admin").get(f"/api/jobs/{job.pk}").json()["kind"] == "measures"


# --- progress reports ----------------------------------------------------------------------------


def test_the_api_asks_for_a_progress_report(world: World) -> None:
    url = f"/api/agencies/{world.a1.pk}/years/2567/progress-reports"
    api = world.api("clerk")
    asked = api.post(
        url, {"period": 6, "format": "xlsx", "as_of": "๓๑ มี.ค. ๒๕๖๘"}, content_type="application/json"
    )
    assert asked.status_code == 202, asked.content
    job = RenderJob.objects.get(pk=asked.json()["job"])
    assert (job.kind, job.period, job.fmt, str(job.as_of)) == ("progress", 6, "xlsx", "2025-03-31")
    status = api.get(f"/api/jobs/{job.pk}").json()
    assert (status["kind"], status["period"], status["as_of"]) == ("progress", 6, "2025-03-31")
    bad = api.post(url, {"period": 9, "format": "odt"}, content_type="application/json")
    assert bad.status_code == 400
    assert [e["location"]["field"] for e in bad.json()["errors"]] == ["period", "format"]
    wrong_day = api.post(url, {"period": 12, "as_of": "31 ก.พ. 2568"}, content_type="application/json")
    assert wrong_day.status_code == 400 and wrong_day.json()["errors"][0]["location"]["field"] == "as_of"
    assert RenderJob.objects.count() == 1


def test_a_progress_report_job_keeps_the_progress_file_as_it_was(world: World) -> None:
    text = _progress_text(world)
    Progress.objects.create(plan=Plan.objects.get(agency=world.a1), text=text)
    response = _ask(
        world.client("clerk"), world, kind="progress", period="12", report_format="xlsx", as_of="31 มี.ค. 2568"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    job = RenderJob.objects.get()
    assert (job.kind, job.period, job.fmt, str(job.as_of)) == ("progress", 12, "xlsx", "2025-03-31")
    assert job.progress_text == text and job.layout == ""
    assert job.report_settings["date"] is None  # dated by the round's due day
    Progress.objects.filter(plan__agency=world.a1).update(text=progress_template(plan_from_text_of(world)))
    assert RenderJob.objects.get().progress_text == text  # the job keeps the file it was asked with
    event = AuditEvent.objects.get(action="document.requested")
    assert event.detail["kind"] == "progress" and event.detail["period"] == 12


def plan_from_text_of(world: World) -> Any:
    return current_plan(world.users["clerk"], world.a1, 2567).plan  # type: ignore[arg-type]


def test_without_progress_the_report_shows_every_measure_not_started(world: World) -> None:
    html = world.client("clerk").get(_url(world)).content.decode()
    assert "ยังไม่มีการบันทึกความก้าวหน้าของมาตรการในระบบ" in html
    _ask(world.client("clerk"), world, kind="progress", period="6", report_format="docx")
    job = RenderJob.objects.get()
    assert job.progress_text == progress_template(plan_from_text_of(world))


@IN_PROCESS_WORKER
def test_the_worker_makes_the_progress_report(world: World) -> None:
    text = _progress_text(world)  # drafts and saves the plan
    Progress.objects.create(plan=Plan.objects.get(agency=world.a1), text=text)
    _ask(
        world.client("clerk"), world, kind="progress", period="6", report_format="xlsx", as_of="31 มีนาคม 2568"
    )
    _ask(world.client("clerk"), world, kind="progress", period="6", report_format="docx")
    assert run_worker("interactive", batch=True, name="test-docs") == 2
    workbook_job, docx_job = RenderJob.objects.order_by("id")
    assert workbook_job.status == "done", workbook_job.error_en
    cells = [
        str(c.value)
        for row in load_workbook(io.BytesIO(workbook_job.output.read())).worksheets[1].iter_rows()
        for c in row
        if c.value
    ]
    assert any("จัดประชุมชี้แจงบุคลากรทุกส่วนราชการแล้ว" in c for c in cells)
    assert docx_job.status == "done", docx_job.error_en
    text = _docx_text(docx_job.output.read())
    assert "รอบ 6 เดือน" in text or "รอบ ๖ เดือน" in text
    assert "นางสาวสมศรี ใจดี" in text  # ผู้รายงาน, from the remembered settings
    download = world.client("executive").get(f"/api/jobs/{docx_job.pk}/file")
    assert download.status_code == 200
    assert "filename*=utf-8''" in download["Content-Disposition"]
    assert (
        "%E0%B8%A3%E0%B8%B2%E0%B8%A2%E0%B8%87%E0%B8%B2%E0%B8%99" in download["Content-Disposition"]
    )  # รายงาน


# --- the measures document -----------------------------------------------------------------------


@IN_PROCESS_WORKER
def test_the_measures_document_carries_the_signers(world: World) -> None:
    _ask(world.client("clerk"), world, format="docx", layout="full-report", date="15 ธันวาคม 2567")
    assert run_worker("interactive", batch=True, name="test-docs") == 1
    job = RenderJob.objects.get()
    assert job.status == "done", job.error_en
    text = _docx_text(job.output.read())
    for value in ("นางสาวสมศรี ใจดี", "ปลัดเทศบาลตำบลโคกม่วง", "นายสมปอง มั่นคง", "งานนิติการ สำนักปลัดเทศบาล"):
        assert value in text
    assert "๑๕ ธันวาคม ๒๕๖๗" in text  # the date given, in the agency's Thai digits


def test_a_rerun_makes_the_same_document_whatever_the_agency_saved_since(world: World) -> None:
    _ask(world.client("clerk"), world, format="html")
    job = RenderJob.objects.get()
    first = services.render(job).data
    _ask(world.client("clerk"), world, approved_by_name="นายคนใหม่ ใจดี")
    assert services.render(RenderJob.objects.get(pk=job.pk)).data == first
    assert "นายสมปอง มั่นคง" in first.decode()


@IN_PROCESS_WORKER
@pytest.mark.slow
def test_a_pdf_through_the_page(world: World) -> None:
    _ask(world.client("clerk"), world, format="pdf", layout="summary")
    run_worker("interactive", batch=True, name="test-docs")
    job = RenderJob.objects.get()
    assert job.status == "done", job.error_en
    assert job.output.read()[:5] == b"%PDF-"


# --- the list of jobs ----------------------------------------------------------------------------


def test_jobs_are_grouped_by_plan_version_with_its_approval(world: World) -> None:
    clerk = world.client("clerk")
    _ask(clerk, world)
    approve_plan(world.users["executive"], world.a1, 2567, 1)  # type: ignore[arg-type]
    data = plan_to_data(current_plan(world.users["clerk"], world.a1, 2567).plan)  # type: ignore[arg-type]
    data["measures"][0]["title"] = "มาตรการที่แก้ไขหลังอนุมัติ"
    save_plan(world.users["clerk"], world.a1, 2567, plan_from_data(data), 1)  # type: ignore[arg-type]
    _ask(clerk, world, kind="progress", period="6", report_format="docx")
    html = clerk.get(_url(world)).content.decode()
    second, first = html.index("แผนมาตรการฉบับที่ ๒"), html.index("แผนมาตรการฉบับที่ ๑")
    assert second < first  # the newest version first
    approved = html[first : first + 400]
    assert "อนุมัติแล้ว" in approved and "executive" in approved
    assert "ยังไม่อนุมัติ" in html[second:first] and "(ฉบับปัจจุบัน)" in html[second:first]
    assert "รายงานผลการดำเนินการตามมาตรการ รอบ ๖ เดือน" in html
    assert "ฉบับย่อ (มีประกาศ)" in html and "clerk" in html and "พ.ศ." not in html[first:]
    assert re.search(r"[๐-๙]+ [ก-๙]+ ๒๕๖๙ เวลา [๐-๙]{2}:[๐-๙]{2} น\.", html)  # asked on, B.E.


def test_the_list_refreshes_itself_while_a_job_is_waiting(world: World) -> None:
    clerk = world.client("clerk")
    _ask(clerk, world)
    job = RenderJob.objects.get()
    html = clerk.get(_url(world)).content.decode()
    assert 'hx-trigger="every 3s"' in html and "/static/django_htmx/htmx-2" in html
    assert f'hx-get="{_url(world)}jobs/"' in html and "รอคิว" in html
    fragment = clerk.get(f"{_url(world)}jobs/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<section id="jobs"') and "<html" not in fragment
    job.status = "done"
    job.output.save("made.html", ContentFile(b"<html></html>"))
    fragment = clerk.get(f"{_url(world)}jobs/").content.decode()
    assert "hx-trigger" not in fragment and "เสร็จแล้ว" in fragment
    assert f'href="/api/jobs/{job.pk}/file"' in fragment and "ดาวน์โหลด" in fragment


def test_a_failed_job_says_why_in_thai(world: World) -> None:
    _ask(world.client("clerk"), world)
    RenderJob.objects.update(
        status="failed",
        error_th="ทำเอกสารไม่สำเร็จ (RuntimeError: x)",
        error_en="the document could not be made",
    )
    html = world.client("overseer").get(_url(world)).content.decode()
    assert "ไม่สำเร็จ" in html and "ทำเอกสารไม่สำเร็จ (RuntimeError: x)" in html
    assert "/file" not in html  # nothing to download
    RenderJob.objects.update(status="queued", attempts=1)
    assert "รอลองใหม่ (ครั้งที่ ๒)" in world.client("overseer").get(_url(world)).content.decode()
