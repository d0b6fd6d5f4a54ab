"""The results pages: the fill-in template, uploads located by sheet, row and column, the bulk upload
of a SCORES file with its preview, and the analysis page's what-if, peers and trend, read from the
figures stored with each result set."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from prongsai.app.results import read_canonical
from prongsai.framework import load_frameworks
from prongsai.ingest import read_results
from prongsai.whatif import project
from prongsai_web.audit.models import AuditEvent
from prongsai_web.directory.models import Agency
from prongsai_web.results.bulk import BulkPreview
from prongsai_web.results.figures import FIGURES_VERSION, analysis_of, figures_of
from prongsai_web.results.models import ResultSet
from prongsai_web.results.peers import PeerFigures, peer_table, same_type, standing
from prongsai_web.results.services import Read, save_results
from prongsai_web.results.trend import YearFigures, trend_rows
from tests.web.conftest import World

RESULTS_SHEET = "ผลการประเมิน"


def _state() -> tuple[int, int, list[Any]]:
    return (
        AuditEvent.objects.exclude(action="api_token.issued").count(),
        BulkPreview.objects.count(),
        sorted(ResultSet.objects.values_list("agency_id", "ita_year", "uploaded_at")),
    )


def _save_yaml(agency: Agency, text: str, tmp_path: Path, name: str = "r.yaml") -> ResultSet:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    records, _ = read_results(path)
    [row] = save_results(None, agency, Read(records, [], name))
    return row


def _yaml(agency: Agency, year: int, overall: float, indicators: dict[int, float] | None = None) -> str:
    shown = ", ".join(f"{n}: {v}" for n, v in (indicators or {}).items())
    return (
        f"agency: {{name: {agency.name}, type: {agency.type}, district: {agency.district}, "
        f"province: {agency.province}}}\nita_year: {year}\nscores:\n  overall: {overall}\n"
        + (f"  indicators: {{{shown}}}\n" if shown else "")
    )


# --- the fill-in template -------------------------------------------------------------------------


def _template(world: World, year: int) -> Any:
    response = world.client("clerk").get(f"/a/{world.a1.pk}/template/", {"year": year})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"ita-{year}-{world.a1.pk}.xlsx" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def _rows_by_code(sheet: Any) -> dict[str, int]:
    return {str(sheet.cell(r, 1).value): r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value}


def test_the_template_holds_the_year_s_item_codes_and_the_agency(world: World) -> None:
    sheet = _template(world, 2568)[RESULTS_SHEET]
    codes = _rows_by_code(sheet)
    framework = load_frameworks()[2568]
    assert {item.code for item in framework.items} <= set(codes)
    assert {"overall", "level", "ind1", "IIT"} <= set(codes)
    fields = {str(sheet.cell(r, 1).value): sheet.cell(r, 2).value for r in range(2, 7)}
    assert fields["ชื่อหน่วยงาน"] == "เทศบาลตำบลโคกม่วง"
    assert fields["ประเภทหน่วยงาน"] == "เทศบาลตำบล"
    assert fields["อำเภอ"] == "คลองหอยโข่ง" and fields["จังหวัด"] == "สงขลา"
    assert fields["ปีที่ประเมิน (พ.ศ.)"] == 2568


def test_the_upload_page_offers_every_framework_year(world: World) -> None:
    page = world.client("clerk").get(f"/a/{world.a1.pk}/upload/").content.decode()
    for year in load_frameworks():
        assert f'<option value="{year}">' in page
    assert world.client("clerk").get(f"/a/{world.a1.pk}/template/").status_code == 200  # the latest


def test_an_unknown_template_year_is_a_located_problem(world: World) -> None:
    response = world.client("clerk").get(f"/a/{world.a1.pk}/template/", {"year": "2024"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "ไม่มีแบบกรอกของปี 2024" in page and "there is no form for 2024" in page


def _filled(world: World, year: int, scores: dict[str, object]) -> SimpleUploadedFile:
    book = _template(world, year)
    sheet = book[RESULTS_SHEET]
    codes = _rows_by_code(sheet)
    for code, value in scores.items():
        sheet.cell(codes[code], 4).value = value
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(f"ita-{year}.xlsx", out.getvalue())


def test_a_filled_template_round_trips_to_saved_results(world: World) -> None:
    framework = load_frameworks()[2568]
    scores: dict[str, object] = {item.code: 90.0 for item in framework.items}
    scores["e1"] = 70.5
    response = world.client("clerk").post(f"/a/{world.a1.pk}/upload/", {"file": _filled(world, 2568, scores)})
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = ResultSet.objects.get(agency=world.a1, ita_year=2568)
    assert stored.to_core().items["e1"] == 70.5 and stored.to_core().items["i1"] == 90.0
    assert stored.figures_version == FIGURES_VERSION and stored.indicators and stored.tools
    assert AuditEvent.objects.filter(action="results.uploaded", agency=world.a1).exists()


def test_template_errors_name_the_sheet_row_and_column(world: World) -> None:
    before = _state()
    upload = _filled(world, 2568, {"i1": "ดีมาก", "e1": 150})
    response = world.client("clerk").post(f"/a/{world.a1.pk}/upload/", {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("แผ่นงาน ผลการประเมิน") >= 2 and page.count("sheet ผลการประเมิน") >= 2
    assert re.search(r"แถว \d+, คอลัมน์ D", page) and re.search(r"row \d+, column D", page)
    assert _state() == before


def test_a_raw_answers_file_is_refused_on_either_upload(world: World) -> None:
    answers = "agency,ita_year,tool,respondent,item,answer\nเทศบาลตำบลโคกม่วง,2567,IIT,r1,i1,มาก\n"
    before = _state()
    one = SimpleUploadedFile("answers.csv", answers.encode())
    response = world.client("clerk").post(f"/a/{world.a1.pk}/upload/", {"file": one})
    assert response.status_code == 400 and "never stored" in response.content.decode()
    many = SimpleUploadedFile("answers.csv", answers.encode())
    response = world.client("overseer").post("/bulk/", {"file": many})
    page = response.content.decode()
    assert response.status_code == 400 and "คำตอบรายผู้ตอบ" in page and "row 1" in page
    assert _state() == before


# --- bulk upload ----------------------------------------------------------------------------------

HEADER = "agency,district,province,ita_year,overall,i1,i2,estimated\n"


def _scores_file(*rows: str, name: str = "scores.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + "".join(rows)).encode())


def _bulk_rows() -> tuple[str, ...]:
    return (
        "เทศบาลตำบลโคกม่วง,คลองหอยโข่ง,สงขลา,2567,88.5,80,90,overall\n",  # a1: replaced
        "ทต.ทดสอบ,หาดใหญ่,สงขลา,2567,75.25,70,,\n",  # a2 (abbreviated): new
        "เทศบาลเมืองบึงกาฬ,,บึงกาฬ,2568,91,95,,\n",  # b1: out of the overseer's scope
        "เทศบาลตำบลไม่มีในระบบ,,สงขลา,2567,70,60,,\n",  # unmatched
    )


def _preview(world: World, persona: str = "overseer") -> str:
    response = world.client(persona).post("/bulk/", {"file": _scores_file(*_bulk_rows())})
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.fullmatch(r"/bulk/([\w-]+)/", response["Location"])
    assert match
    return match[1]


def test_the_preview_classifies_every_row_and_saves_nothing(world: World) -> None:
    before = _state()
    token = _preview(world)
    assert _state()[0] == before[0] and _state()[2] == before[2]  # only the preview row is new
    response = world.client("overseer").get(f"/bulk/{token}/")
    assert response.status_code == 200
    statuses = [(r["row"].name, r["row"].status) for r in response.context["rows"]]
    assert statuses == [
        ("เทศบาลตำบลโคกม่วง", "replaced"),
        ("ทต.ทดสอบ", "new"),
        ("เทศบาลเมืองบึงกาฬ", "out_of_scope"),
        ("เทศบาลตำบลไม่มีในระบบ", "unmatched"),
    ]
    page = response.content.decode()
    assert "แทนที่ผลเดิม" in page and "(เดิม 92.13)" in page and "ยืนยันบันทึก 2 รายการ" in page


def test_confirming_saves_exactly_the_matched_rows_in_scope(world: World) -> None:
    token = _preview(world)
    b1_before = list(ResultSet.objects.filter(agency=world.b1).values_list("ita_year", "uploaded_at"))
    response = world.client("overseer").post(f"/bulk/{token}/confirm/")
    assert response.status_code == 302 and response["Location"] == "/"
    a1 = ResultSet.objects.get(agency=world.a1, ita_year=2567)
    a2 = ResultSet.objects.get(agency=world.a2, ita_year=2567)
    assert (a1.overall, a2.overall) == (88.5, 75.25)
    assert a1.estimated == ["overall"]  # kept as the SCORES file marked it
    assert "overall" in a1.to_core().estimated_keys() or a1.to_core().overall.value == 88.5
    assert a1.figures_version == FIGURES_VERSION and a2.analysis["items"]
    assert list(ResultSet.objects.filter(agency=world.b1).values_list("ita_year", "uploaded_at")) == b1_before
    assert not Agency.objects.filter(name="เทศบาลตำบลไม่มีในระบบ").exists()
    events = AuditEvent.objects.filter(action__in=["results.uploaded", "results.replaced"], detail__bulk=True)
    assert sorted(events.values_list("action", "agency_id")) == [
        ("results.replaced", world.a1.pk),
        ("results.uploaded", world.a2.pk),
    ]
    assert not BulkPreview.objects.filter(token=token).exists()
    assert world.client("overseer").post(f"/bulk/{token}/confirm/").status_code == 404  # once only


def test_a_file_with_errors_gives_no_preview(world: World) -> None:
    before = _state()
    bad = _scores_file("เทศบาลตำบลโคกม่วง,คลองหอยโข่ง,สงขลา,2567,188,80,90,\n")
    response = world.client("overseer").post("/bulk/", {"file": bad})
    assert response.status_code == 400
    page = response.content.decode()
    assert "188" in page and "scores.csv" in page and "row 2" in page and "แถว 2" in page
    assert _state() == before


def test_another_user_s_preview_is_not_found(world: World) -> None:
    token = _preview(world, "admin")
    before = _state()
    assert world.client("overseer").get(f"/bulk/{token}/").status_code == 404
    assert world.client("overseer").post(f"/bulk/{token}/confirm/").status_code == 404
    assert world.client("overseer").post(f"/bulk/{token}/cancel/").status_code == 404
    assert world.client("overseer").get("/bulk/not-a-token/").status_code == 404
    assert _state() == before


def test_confirm_checks_the_permission_again(world: World) -> None:
    token = _preview(world)
    before = _state()
    world.users["overseer"].memberships.update(province="บึงกาฬ")  # moved away meanwhile
    response = world.client("overseer").post(f"/bulk/{token}/confirm/")
    assert response.status_code == 404  # a1 is no longer theirs: nothing is saved
    assert _state() == before


def test_an_expired_preview_saves_nothing(world: World) -> None:
    token = _preview(world)
    BulkPreview.objects.filter(token=token).update(created_at="2000-01-01T00:00:00Z")
    before = _state()
    response = world.client("overseer").post(f"/bulk/{token}/confirm/")
    assert response.status_code == 410 and "หมดอายุ" in response.content.decode()
    assert _state()[2] == before[2]


def test_cancel_drops_the_preview(world: World) -> None:
    token = _preview(world)
    response = world.client("overseer").post(f"/bulk/{token}/cancel/")
    assert response.status_code == 302
    assert not BulkPreview.objects.filter(token=token).exists()


# --- the analysis page ----------------------------------------------------------------------------


def _analysis(world: World, persona: str = "clerk", **query: str) -> Any:
    response = world.client(persona).get(f"/a/{world.a1.pk}/years/2567/", query)
    assert response.status_code == 200
    return response


def test_what_if_changes_the_overall_as_the_core_computes(world: World) -> None:
    response = _analysis(world, set_e9="100", set_ind1="99")
    result = response.context["whatif"]
    stored = ResultSet.objects.get(agency=world.a1, ita_year=2567)
    framework = load_frameworks()[2567]
    expected = project(framework, stored.to_core(), {"e9": 100.0}, {1: 99.0})
    lines = {line.key: line for line in result.lines}
    assert lines["overall"].after == expected.overall and lines["overall"].before == 92.13
    assert lines["ind1"].after == 99.0
    assert result.level_after == (expected.level.name if expected.level else "")
    assert "ระดับผล" in response.content.decode()


def test_a_wrong_what_if_score_is_named_and_nothing_projected(world: World) -> None:
    response = _analysis(world, set_e9="120", set_i1="abc")
    result = response.context["whatif"]
    assert not result.lines and len(result.problems) == 2
    page = response.content.decode()
    assert "e9" in page and "i1" in page and 'value="abc"' in page


def test_peers_rank_and_percentile_on_a_small_world(world: World, tmp_path: Path) -> None:
    def peer(name: str, kind: str, province: str, overall: float, ind1: float) -> None:
        agency = Agency.objects.create(name=name, type=kind, district="เมือง", province=province)
        _save_yaml(agency, _yaml(agency, 2567, overall, {1: ind1}), tmp_path, f"{name}.yaml")

    peer("เทศบาลตำบลสูงสุด", "เทศบาลตำบล", "สงขลา", 95.0, 99.0)
    peer("องค์การบริหารส่วนตำบลเท่ากัน", "องค์การบริหารส่วนตำบล", "สงขลา", 92.13, 50.0)
    peer("องค์การบริหารส่วนตำบลต่ำ", "องค์การบริหารส่วนตำบล", "สงขลา", 80.0, 40.0)
    peer("เทศบาลตำบลจังหวัดอื่น", "เทศบาลตำบล", "บึงกาฬ", 99.0, 99.0)  # not a peer
    peers = _analysis(world).context["peers"]
    overall = peers["lines"][0]
    assert overall["score"] == 92.13
    # province: 95, 92.13 (tie), 92.13, 80 -> rank 2 of 4; others lower 1, tied 1: (1 + .5) / 3
    assert (overall["province"].rank, overall["province"].peers) == (2, 4)
    assert overall["province"].percentile == pytest.approx(50.0)
    # เทศบาลตำบล in สงขลา with results: a1 and สูงสุด -> rank 2 of 2, below the only other
    assert (overall["type"].rank, overall["type"].peers, overall["type"].percentile) == (2, 2, 0.0)
    ind1 = peers["lines"][1]
    a1_ind1 = ResultSet.objects.get(agency=world.a1, ita_year=2567).indicators["1"]
    higher = sum(1 for v in (99.0, 50.0, 40.0) if v > a1_ind1)
    assert ind1["province"].rank == 1 + higher and ind1["province"].peers == 4


def test_the_analysis_page_queries_do_not_grow_with_peers(world: World, tmp_path: Path) -> None:
    def count() -> int:
        client = world.client("clerk")
        client.get(f"/a/{world.a1.pk}/years/2567/")  # warm the narrative cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/a/{world.a1.pk}/years/2567/").status_code == 200
        return len(captured.captured_queries)

    few = count()
    for n in range(12):
        agency = Agency.objects.create(name=f"เทศบาลตำบลเพื่อน{n}", type="เทศบาลตำบล", province="สงขลา")
        _save_yaml(agency, _yaml(agency, 2567, 80 + n), tmp_path, f"p{n}.yaml")
    assert count() == few <= 8


def test_the_trend_shows_every_year_held(world: World, tmp_path: Path) -> None:
    _save_yaml(world.a1, _yaml(world.a1, 2566, 88.0, {1: 80.0}), tmp_path)
    trend = _analysis(world).context["trend"]
    assert trend["years"] == [2566, 2567]
    overall = trend["rows"][0]["row"]
    assert overall.key == "overall" and overall.values == (88.0, 92.13)
    assert overall.change == pytest.approx(4.13)
    assert [b["current"] for b in trend["bars"]] == [False, True]


def test_the_agency_home_reads_the_stored_figures(world: World) -> None:
    client = world.client("clerk")
    client.get(f"/a/{world.a1.pk}/")
    ResultSet.objects.filter(agency=world.a1).update(canonical="not: [valid")  # never read again
    page = client.get(f"/a/{world.a1.pk}/").content.decode()
    assert "e9" in page and "๙๒.๑๓" in page


def test_figures_made_by_another_version_are_recomputed(world: World) -> None:
    row = ResultSet.objects.get(agency=world.a1, ita_year=2567)
    stored = row.core_analysis()
    ResultSet.objects.filter(pk=row.pk).update(figures_version="old", analysis={})
    again = ResultSet.objects.get(pk=row.pk).core_analysis()
    assert again == stored


# --- pure functions -------------------------------------------------------------------------------


def test_standing_ranks_ties_and_percentiles() -> None:
    assert standing(90.0, [90.0]) == standing(90.0, [90.0]).__class__(1, 1, None)
    top = standing(95.0, [95.0, 90.0, 90.0, 80.0])
    assert (top.rank, top.peers, top.percentile) == (1, 4, 100.0)
    tie = standing(90.0, [95.0, 90.0, 90.0, 80.0])
    assert (tie.rank, tie.percentile) == (2, pytest.approx(50.0))
    bottom = standing(80.0, [95.0, 90.0, 90.0, 80.0])
    assert (bottom.rank, bottom.percentile) == (4, 0.0)
    assert standing(92.124, [92.121, 92.12]).rank == 1  # compared at two decimals, as shown
    assert standing(None, [90.0, 80.0]) == standing(None, [90.0, 80.0]).__class__(None, 2, None)


def test_peer_tables_group_by_province_and_type() -> None:
    rows = [
        PeerFigures(1, "เทศบาลตำบล", 90.0, {1: 80.0}),
        PeerFigures(2, "ทต.", 95.0, {1: None}),  # ทต. is เทศบาลตำบล
        PeerFigures(3, "องค์การบริหารส่วนตำบล", 85.0, {1: 70.0}),
        PeerFigures(4, "", 99.0, {1: 99.0}),  # no type recorded: in the province only
    ]
    table = peer_table(rows, ["overall", "1"])
    one = table.standings(rows[0])
    assert (one["province"]["overall"].rank, one["province"]["overall"].peers) == (3, 4)
    assert (one["type"]["overall"].rank, one["type"]["overall"].peers) == (2, 2)
    assert (one["type"]["1"].rank, one["type"]["1"].peers, one["type"]["1"].percentile) == (1, 1, None)
    assert one["province"]["1"].percentile == pytest.approx(50.0)  # above 70, below 99
    four = table.standings(rows[3])
    assert (four["type"]["overall"].rank, four["type"]["overall"].peers) == (1, 1)
    assert not same_type("", "") and same_type("ทต.", "เทศบาลตำบล")


def test_trend_rows_change_from_the_latest_earlier_figure() -> None:
    years = [
        YearFigures(2565, 80.0, "", {"IIT": 70.0}, {"1": 60.0}),
        YearFigures(2566, None, "", {}, {"1": None}),
        YearFigures(2567, 85.5, "", {"IIT": 75.0}, {"1": 65.0, "2": 90.0}),
    ]
    rows = {r.key: r for r in trend_rows(years)}
    assert rows["overall"].values == (80.0, None, 85.5) and rows["overall"].change == 5.5
    assert rows["ind2"].change is None and rows["EIT"].values == (None, None, None)
    assert list(rows) == ["overall", "IIT", "EIT", "OIT", "ind1", "ind2"]


def test_stored_figures_round_trip_the_core_analysis() -> None:
    from prongsai.analysis import analyse
    from tests.web.conftest import KHOK_MUANG, records

    framework = load_frameworks()[2567]
    [record] = records(KHOK_MUANG)
    from prongsai.app.results import canonical_yaml

    results = read_canonical(canonical_yaml(record))
    stored = figures_of(framework, results)
    rebuilt = analysis_of(2567, stored["analysis"])
    core = analyse(framework, results)
    assert rebuilt.items == core.items and rebuilt.indicators == core.indicators
    assert stored["weakest_indicator"] == core.weakest_indicator.indicator  # type: ignore[union-attr]
