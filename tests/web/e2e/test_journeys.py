"""What a clerk, an executive, an overseer, an outsider and a stranger see in a real browser
(docs/web-testing.md): the clerk uploads results and reads the weak items, edits the plan, asks for
the PDF and downloads it; the executive approves the plan; the overseer filters the province; an
outsider is refused; a stranger is sent to the login page."""

from __future__ import annotations

import re
import subprocess
import threading
from pathlib import Path
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from prongsai.thai import to_thai_digits
from prongsai_web.jobs.worker import run_worker
from prongsai_web.results.services import Read, save_results
from tests.web.conftest import KHOK_MUANG, PASSWORD, records
from tests.web.e2e.conftest import Journeys

THAI_DIGIT = re.compile("[๐-๙]")
EDITED = "จัดทำคู่มือการให้บริการประชาชนฉบับปรับปรุง"


def log_in(page: Page, username: str, *, at: str = "/login/") -> None:
    page.goto(at)
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.locator("header .who")).to_have_text(username)


def dashboard_url() -> str | None:
    try:
        return reverse("dashboard")
    except NoReverseMatch:
        return None


def sarabun_loaded(page: Page) -> Any:
    return page.evaluate(
        "async () => { await document.fonts.ready; return document.fonts.check('17px Sarabun'); }"
    )


def test_a_clerk_uploads_results_and_reads_the_analysis(page: Page, journeys: Journeys) -> None:
    home = journeys.home
    log_in(page, "clerk")
    # the clerk's one agency, still without results
    page.get_by_role("link", name=home.name).click()
    expect(page).to_have_url(re.compile(rf"/a/{home.pk}/$"))
    expect(page.locator("p.empty")).to_contain_text("ยังไม่มีผลการประเมิน")

    # upload through the form
    page.get_by_role("link", name="นำเข้าผลการประเมิน").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("นำเข้าผลการประเมิน")
    page.get_by_label("ไฟล์ผลการประเมิน").set_input_files(KHOK_MUANG)
    page.get_by_role("button", name="นำเข้า").click()

    # back on the agency home: the message, the score and the weak items, in Thai digits (a municipality)
    expect(page).to_have_url(re.compile(rf"/a/{home.pk}/$"))
    expect(page.locator(".messages")).to_contain_text("บันทึกผลการประเมินปี 2567 แล้ว")
    expect(page.locator(".card.stat .big")).to_have_text("๙๒.๑๓")
    expect(page.locator(".card.stat .label")).to_contain_text("ผลการประเมิน ITA ปี ๒๕๖๗")
    weak = page.locator("ul.weak li")
    expect(weak.filter(has_text="e9")).to_contain_text("๓๐.๔๙")
    assert weak.count() >= 1
    # the upload's date, Buddhist era in Thai digits; the Christian year nowhere
    today = timezone.localdate()
    expect(page.locator("table.list tbody")).to_contain_text(to_thai_digits(str(today.year + 543)))
    body = page.locator("main").inner_text()
    assert str(today.year) not in body
    assert not re.search(r"\b[0-9]{2}\.[0-9]{2}\b", body), "a score in Arabic digits on a municipality's page"
    assert sarabun_loaded(page)

    # the analysis: indicators, items by points to gain, the Thai narrative
    page.get_by_role("link", name="ดูผลการวิเคราะห์").click()
    expect(page).to_have_url(re.compile(rf"/a/{home.pk}/years/2567/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("ผลการวิเคราะห์ ITA ปี ๒๕๖๗")
    expect(page.locator("main > p.sub").first).to_contain_text("คะแนนรวม ๙๒.๑๓")
    assert page.locator(".bar-row").count() >= 5
    expect(page.locator("table.list tbody tr").filter(has_text="e9")).to_contain_text("ต่ำกว่าเกณฑ์")
    narrative = page.locator("section.narrative p")
    assert narrative.count() >= 1
    assert THAI_DIGIT.search(narrative.first.inner_text())
    assert "Enter a valid" not in page.content()


def _made_by_a_worker() -> None:
    """What `prongsai web worker` does while the person waits: one pass over the queue, in a thread
    of its own (the core's PDF renderer cannot start inside Playwright's event loop)."""
    thread = threading.Thread(target=run_worker, kwargs={"batch": True})
    thread.start()
    thread.join(timeout=120)


def test_a_clerk_edits_the_plan_and_downloads_the_pdf_the_executive_approves(
    page: Page, journeys: Journeys, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # the made documents go to the test's own folder
    home = journeys.home
    save_results(None, home, Read(list(records(KHOK_MUANG)), [], KHOK_MUANG.name))
    log_in(page, "clerk")
    page.goto(f"/a/{home.pk}/")
    page.get_by_role("link", name="ดูแผนมาตรการ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("มาตรการส่งเสริมคุณธรรมและความโปร่งใส")

    # edit the first measure's title and who is responsible
    first = page.locator("article.measure").first
    first.get_by_text("แก้ไขมาตรการนี้").click()
    first.get_by_label("ชื่อมาตรการ").fill(EDITED)
    first.get_by_label("ผู้รับผิดชอบ", exact=False).first.fill("งานนิติการ สำนักปลัดเทศบาล")
    first.get_by_role("button", name="บันทึกมาตรการ").click()
    expect(page.locator(".messages")).to_contain_text("บันทึกแผนแล้ว")
    expect(page.locator("article.measure").first).to_contain_text(EDITED)
    expect(page.locator("p.sub")).to_contain_text("ฉบับที่ ๒")

    # ask for the PDF with the signers, then download it when the worker has made it
    page.goto(f"/a/{home.pk}/")
    page.get_by_role("link", name="เอกสารมาตรการและรายงานผล").click()
    signer = page.get_by_role("group", name="ผู้อนุมัติ (ผู้บริหาร)")
    signer.get_by_label("ชื่อ-สกุล").fill("นายสมปอง มั่นคง")
    signer.get_by_label("ตำแหน่ง").fill("นายกเทศมนตรีตำบลโคกม่วง")
    page.get_by_label("PDF", exact=True).first.check()
    page.get_by_role("button", name="จัดทำเอกสารมาตรการ").click()
    jobs = page.locator("table.jobs tbody tr")
    expect(jobs.first.locator(".badge")).to_contain_text("รอ")
    _made_by_a_worker()
    page.reload()
    expect(jobs.first.locator(".badge")).to_contain_text("เสร็จ")
    with page.expect_download() as made:
        jobs.first.get_by_role("link", name="ดาวน์โหลด").click()
    pdf = Path(made.value.path())
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "นายสมปอง มั่นคง" in text and "ฉบับปรับปรุง" in text
    assert THAI_DIGIT.search(text)

    # the executive reads the same plan and approves it: frozen, with who and when
    page.get_by_role("button", name="ออกจากระบบ").click()
    log_in(page, "executive")
    page.goto(f"/a/{home.pk}/years/2567/plan/")
    expect(page.get_by_role("button", name="บันทึกมาตรการ")).to_have_count(0)  # reads, does not edit
    page.get_by_role("button", name="อนุมัติแผนฉบับที่ ๒").click()
    expect(page.locator(".messages")).to_contain_text("อนุมัติแผนฉบับที่ 2 แล้ว")
    expect(page.locator("table.list").last).to_contain_text("executive")
    page.goto(f"/a/{home.pk}/")
    expect(page.locator("main")).to_contain_text("อนุมัติแล้ว")


def test_an_overseer_finds_the_agency_in_the_province(page: Page, journeys: Journeys) -> None:
    log_in(page, "overseer")
    rows = page.locator("table.list tbody tr")
    expect(rows).to_have_count(2)  # the province's two agencies, not บึงกาฬ
    expect(rows.filter(has_text=journeys.home.name)).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text(journeys.away.name)

    page.get_by_label("ค้นหา").fill("โคกม่วง")
    page.get_by_role("button", name="ค้นหา").click()
    expect(page).to_have_url(re.compile(r"q=%E0%B9%82"))  # the query stays in the address
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name=journeys.home.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(journeys.home.name)
    # an overseer reads; there is no upload button for them
    expect(page.get_by_role("link", name="นำเข้าผลการประเมิน")).to_have_count(0)

    # the overseer dashboard, when it exists (another change is building it): the agency is listed
    if dashboard_url() is not None:
        page.goto(f"{dashboard_url()}?q=โคกม่วง")
        expect(page.get_by_role("heading", level=1)).to_contain_text("หน่วยงานในความรับผิดชอบ")
        expect(page.locator("main")).to_contain_text(journeys.home.name)
        expect(page.locator("main")).not_to_contain_text(journeys.away.name)
        # the filter form: the province chosen from the list, and the rows follow it
        page.goto(dashboard_url())
        page.get_by_label("จังหวัด").select_option("สงขลา")
        page.get_by_role("button", name="แสดง").click()
        expect(page).to_have_url(re.compile(r"province=%E0%B8%AA"))
        expect(page.locator("table.dash tbody tr")).to_have_count(2)


def test_an_outsider_is_told_the_agency_does_not_exist(page: Page, journeys: Journeys) -> None:
    log_in(page, "outsider")
    expect(page.locator("table.list tbody tr")).to_have_count(1)  # only their own agency
    for path in (
        f"/a/{journeys.home.pk}/",
        f"/a/{journeys.home.pk}/upload/",
        f"/a/{journeys.home.pk}/years/2567/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 404, path
        assert journeys.home.name not in page.content()


def test_a_stranger_is_sent_to_the_login_page_and_then_on(page: Page, journeys: Journeys) -> None:
    target = f"/a/{journeys.home.pk}/"
    page.goto(target)
    expect(page).to_have_url(re.compile(r"/login/\?next=/a/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("เข้าสู่ระบบ")
    assert journeys.home.name not in page.content()
    page.get_by_label("ชื่อผู้ใช้").fill("clerk")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page).to_have_url(re.compile(rf"{target}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(journeys.home.name)
