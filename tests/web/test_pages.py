"""The pages: login (with a pause after failures), Thai with Buddhist-era dates, the demo."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from prongsai.cli import cli, run
from prongsai.thai import to_thai_digits
from prongsai_web.accounts.models import Membership
from prongsai_web.directory.models import Agency
from prongsai_web.results.services import Read, save_results
from prongsai_web.settings import database
from prongsai_web.ui.templatetags.thai import be_date, be_datetime, score
from tests.web.conftest import KHOK_MUANG, PASSWORD, World, records


def test_login_then_home_lists_the_agencies(world: World) -> None:
    client = Client()
    response = client.post("/login/", {"username": "overseer", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/").content.decode()
    assert "เทศบาลตำบลโคกม่วง" in page and "เทศบาลตำบลทดสอบ" in page and "บึงกาฬ" not in page
    assert "92.13" in page


def test_logins_pause_after_repeated_failures(world: World) -> None:
    client = Client()
    for _ in range(5):
        assert client.post("/login/", {"username": "clerk", "password": "wrong"}).status_code == 200
    refused = client.post("/login/", {"username": "clerk", "password": PASSWORD})
    assert refused.status_code == 200 and "15 นาที" in refused.content.decode()


def test_the_agency_page_is_thai_with_buddhist_era_dates(world: World) -> None:
    page = world.client("clerk").get(f"/a/{world.a1.pk}/").content.decode()
    assert world.a1.words.thai_digits  # a municipality writes Thai digits: dates and scores follow
    year_be = to_thai_digits(str(timezone.localdate().year + 543))
    assert f" {year_be}" in page and str(timezone.localdate().year) not in page
    assert "๙๒.๑๓" in page
    assert "ข้อคำถามที่ต่ำกว่าเกณฑ์" in page and "e9" in page  # e9 30.49 is weak
    assert 'lang="th"' in page


def test_the_analysis_page_has_the_narrative(world: World) -> None:
    page = world.client("executive").get(f"/a/{world.a1.pk}/years/2567/").content.decode()
    assert "ตัวชี้วัด" in page and "ต่ำกว่าเกณฑ์" in page
    assert re.search(r"<section class=\"narrative\">.*?<p>.+?</p>", page, re.S)


def test_thai_filters() -> None:
    assert be_date(dt.date(2026, 12, 2)) == "2 ธันวาคม 2569"
    assert be_date(dt.date(2026, 12, 2), True) == "๒ ธันวาคม ๒๕๖๙"
    noon_utc = dt.datetime(2026, 12, 2, 20, 0, tzinfo=dt.UTC)  # 03:00 the next day in Bangkok
    assert be_datetime(noon_utc) == "3 ธันวาคม 2569 เวลา 03:00 น."
    assert score(92.126) == "92.13" and score(None) == "-" and score(92.13, True) == "๙๒.๑๓"


def test_the_fonts_are_served(world: World) -> None:
    client = world.client("clerk")
    css = client.get("/static/prongsai/app.css")
    assert css.status_code == 200
    font = client.get("/static/fonts/Sarabun-Regular.ttf")
    assert font.status_code == 200


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgres://prongsai@/prongsai_test?host=/tmp/pg-socket",
            {"NAME": "prongsai_test", "USER": "prongsai", "HOST": "/tmp/pg-socket", "PORT": ""},
        ),
        (
            "postgresql://web:s%40cret@db.example:5433/prongsai",
            {"NAME": "prongsai", "USER": "web", "PASSWORD": "s@cret", "HOST": "db.example", "PORT": "5433"},
        ),
    ],
)
def test_database_url(url: str, expected: dict[str, Any]) -> None:
    found = database(url, Path("/data"))
    assert found["ENGINE"] == "django.db.backends.postgresql"
    assert {k: found[k] for k in expected} == expected


def test_sqlite_in_the_data_folder_by_default() -> None:
    found = database(None, Path("/data"))
    assert found["ENGINE"].endswith("sqlite3") and found["NAME"] == Path("/data/db.sqlite3")


def test_web_init_demo_then_login(
    db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PRONGSAI_DATA", str(tmp_path))
    assert run(cli, ["web", "init", "--demo", "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    accounts = dict(re.findall(r"^  (demo-\w+)  \w+  (\S+)", out, re.M))
    assert set(accounts) == {"demo-clerk", "demo-executive", "demo-overseer", "demo-nacc", "demo-admin"}
    client = Client()
    response = client.post("/login/", {"username": "demo-clerk", "password": accounts["demo-clerk"]})
    assert response.status_code == 302
    assert "เทศบาลตำบลโคกม่วง" in client.get("/").content.decode()
    admin = Client()
    admin.post("/login/", {"username": "demo-admin", "password": accounts["demo-admin"]})
    assert admin.get("/").content.decode().count('href="/a/') >= 5
    assert (tmp_path / "frameworks").is_dir()  # where the frameworks page stores an admin's new years
    # the clerk's municipality has a year of work in progress: its plan approved, progress recorded
    plan = client.get(f"/a/{Agency.objects.get(name='เทศบาลตำบลโคกม่วง').pk}/years/2567/tracking/")
    assert plan.status_code == 200 and "ดำเนินการแล้วเสร็จ" in plan.content.decode()
    nacc = Client()
    nacc.post("/login/", {"username": "demo-nacc", "password": accounts["demo-nacc"]})
    assert nacc.get("/dashboard/").content.decode().count('href="/a/') >= 5  # every province


def test_web_adduser_reads_the_password_from_standard_input(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert run(cli, ["web", "adduser", "newclerk", "--role", "clerk", "--agency", str(world.a1.pk)]) == 0
    assert Client().login(username="newclerk", password="a long enough password")
    monkeypatch.setattr("sys.stdin", io.StringIO("x\n"))
    assert run(cli, ["web", "adduser", "nobody", "--role", "clerk", "--province", "สงขลา"]) == 2
    assert "--agency" in capsys.readouterr().err


def test_web_addagency_then_a_clerk_of_it(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from prongsai_web.audit.models import AuditEvent

    args = [
        "web",
        "addagency",
        "เทศบาลตำบลใหม่",
        "--type",
        "ทต.",
        "--province",
        "สงขลา",
        "--district",
        "สะเดา",
    ]
    assert run(cli, args) == 0
    agency = Agency.objects.get(name="เทศบาลตำบลใหม่")
    assert agency.type == "เทศบาลตำบล" and f": {agency.pk} " in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="agency.added", agency=agency).count() == 1
    assert run(cli, args) == 2  # the same agency twice
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert run(cli, ["web", "adduser", "c3", "--role", "clerk", "--agency", str(agency.pk)]) == 0
    client = Client()
    assert client.login(username="c3", password="a long enough password")
    assert client.get(f"/a/{agency.pk}/").status_code == 200
    assert client.get(f"/a/{world.a1.pk}/").status_code == 404
    # the overseer of สงขลา sees the new agency at once, without any grant
    assert world.client("overseer").get(f"/a/{agency.pk}/").status_code == 200


def test_only_an_admin_of_the_whole_country_adds_agencies(world: World) -> None:
    from django.core.exceptions import PermissionDenied

    from prongsai_web.directory.services import add_agency

    with pytest.raises(PermissionDenied):
        add_agency("x", actor=world.users["overseer"])
    assert add_agency("y", province="ตรัง", actor=world.users["admin"]).pk


def test_a_cached_page_body_follows_every_change_and_each_persons_rights(world: World) -> None:
    """The agency home's body is cached (ui/bodycache.py): the clerk's copy, with the upload button,
    is never the overseer's; a new upload (an audited write) shows on the next request."""
    home = f"/a/{world.b1.pk}/"
    admin, outsider = world.client("admin"), world.client("outsider")  # both may see บึงกาฬ
    assert "นำเข้าผลการประเมิน" in admin.get(home).content.decode()  # admin may edit
    Membership.objects.filter(user=world.users["outsider"]).update(role="executive")  # reads only
    page = outsider.get(home).content.decode()
    assert "นำเข้าผลการประเมิน" not in page and "๒๕๖๘" in page
    assert "๒๕๖๗" not in page
    record = records(KHOK_MUANG)[0]
    moved = replace(
        record,
        agency=replace(
            record.agency,
            name=world.b1.name,
            district=world.b1.district,
            province=world.b1.province,
            type=world.b1.type,
        ),
    )
    save_results(world.users["admin"], world.b1, Read([moved], [], "2567.yaml"))
    assert "๒๕๖๗" in outsider.get(home).content.decode()  # the new year, at once


def test_the_agency_list_is_paged(world: World) -> None:
    Agency.objects.bulk_create(
        Agency(name=f"องค์การบริหารส่วนตำบลทดลอง{i:03d}", type="องค์การบริหารส่วนตำบล", province="สงขลา")
        for i in range(120)
    )
    overseer = world.client("overseer")
    first = overseer.get("/").content.decode()
    assert first.count('href="/a/') == 100 and "หน้า 1 จาก 2 (ลำดับที่ 1–100 จาก 122 หน่วยงาน)" in first
    second = overseer.get("/", {"page": "2"}).content.decode()
    assert second.count('href="/a/') == 22 and "ก่อนหน้า" in second
    found = overseer.get("/", {"q": "ทดลอง119"}).content.decode()
    assert found.count('href="/a/') == 1 and "หน้า" not in found.split("</table>")[1]
