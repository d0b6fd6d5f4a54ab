"""Uploads: a real example file is saved; a broken one is refused whole, every problem located in Thai
and English, nothing saved; on the page and in the API alike."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from prongsai.ingest import read_results
from prongsai_web.audit.models import AuditEvent
from prongsai_web.results.models import ResultSet
from tests.web.conftest import KHOK_MUANG, World

BROKEN = """\
agency: {name: เทศบาลตำบลโคกม่วง, type: เทศบาลตำบล, district: คลองหอยโข่ง, province: สงขลา}
ita_year: 2567
scores:
  overall: 92.13
  items:
    i1: 184.67
    zz9: 50
"""


def _state() -> tuple[int, list[tuple[int, str]]]:
    events = AuditEvent.objects.exclude(action="api_token.issued").count()
    return events, list(ResultSet.objects.values_list("ita_year", "canonical"))


def test_the_example_file_is_saved_as_the_core_reads_it(world: World) -> None:
    ResultSet.objects.filter(agency=world.a1).delete()
    upload = SimpleUploadedFile(KHOK_MUANG.name, KHOK_MUANG.read_bytes())
    response = world.api("clerk").post(f"/api/agencies/{world.a1.pk}/results", {"file": upload})
    assert response.status_code == 201
    assert response.json() == {"ita_year": 2567, "overall": 92.13, "level": response.json()["level"]}
    stored = ResultSet.objects.get(agency=world.a1, ita_year=2567)
    [original], _ = read_results(KHOK_MUANG)
    assert stored.to_core().items == {k: g.value for k, g in original.scores.items.items()}


def test_a_broken_file_is_refused_with_every_problem_located(world: World) -> None:
    before = _state()
    upload = SimpleUploadedFile("broken.yaml", BROKEN.encode())
    response = world.api("clerk").post(f"/api/agencies/{world.a1.pk}/results", {"file": upload})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert len(errors) >= 2
    for problem in errors:
        assert set(problem) >= {"th", "en", "location"}
        assert problem["location"]["file"] == "broken.yaml" and problem["location"]["line"] in (6, 7)
    assert any("zz9" in p["en"] for p in errors) and any("184.67" in p["th"] for p in errors)
    assert _state() == before


def test_the_page_shows_the_problems_in_thai_and_english(world: World) -> None:
    before = _state()
    upload = SimpleUploadedFile("broken.yaml", BROKEN.encode())
    response = world.client("clerk").post(f"/a/{world.a1.pk}/upload/", {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "ไม่ได้บันทึกข้อมูล" in page and "nothing was saved" in page
    assert "บรรทัด 7" in page and "line 7" in page
    assert _state() == before


def test_another_agency_s_file_is_refused(world: World) -> None:
    before = _state()
    upload = SimpleUploadedFile(KHOK_MUANG.name, KHOK_MUANG.read_bytes())
    response = world.api("outsider").post(f"/api/agencies/{world.b1.pk}/results", {"file": upload})
    assert response.status_code == 400
    assert "เทศบาลตำบลโคกม่วง" in response.json()["errors"][0]["th"]
    assert _state() == before


def test_a_file_that_is_not_what_its_name_says_is_refused(world: World) -> None:
    before = _state()
    upload = SimpleUploadedFile("results.xlsx", b"agency: not a workbook\n")
    response = world.api("clerk").post(f"/api/agencies/{world.a1.pk}/results", {"file": upload})
    assert response.status_code == 400 and response.json()["errors"]
    assert _state() == before


@override_settings(UPLOAD_LIMIT=100)
def test_a_file_over_the_limit_is_refused_before_it_is_read(world: World) -> None:
    upload = SimpleUploadedFile(KHOK_MUANG.name, KHOK_MUANG.read_bytes())
    response = world.api("clerk").post(f"/api/agencies/{world.a1.pk}/results", {"file": upload})
    assert response.status_code == 400
    assert "bytes" in response.json()["errors"][0]["en"]
