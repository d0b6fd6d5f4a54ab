"""The persona matrix: every page and every API endpoint as clerk, executive, overseer (province),
admin, an outsider (a clerk of another province's agency) and anonymous, on an agency in their scope
(A1) and one outside it (B1, another province), with nothing written on a refusal."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from prongsai_web.audit.models import AuditEvent
from prongsai_web.directory.models import Agency
from prongsai_web.jobs.models import RenderJob
from prongsai_web.plans.models import Plan
from prongsai_web.results.models import ResultSet
from tests.web.conftest import KHOK_MUANG, PERSONAS, World

LOGIN = 302  # anonymous pages redirect to the login page

# persona -> expected status, for an agency in the clerk's / executive's / overseer's scope (A1)
SEE = {"clerk": 200, "executive": 200, "overseer": 200, "admin": 200, "outsider": 404, "anonymous": LOGIN}
EDIT_PAGE = {
    "clerk": 200,
    "executive": 403,
    "overseer": 403,
    "admin": 200,
    "outsider": 404,
    "anonymous": LOGIN,
}
UPLOAD_PAGE = {
    "clerk": 302,
    "executive": 403,
    "overseer": 403,
    "admin": 302,
    "outsider": 404,
    "anonymous": LOGIN,
}
API_SEE = {**SEE, "anonymous": 401}
API_UPLOAD = {
    "clerk": 201,
    "executive": 403,
    "overseer": 403,
    "admin": 201,
    "outsider": 404,
    "anonymous": 401,
}
API_PUT = {"clerk": 200, "executive": 403, "overseer": 403, "admin": 200, "outsider": 404, "anonymous": 401}
# the same for B1 (province บึงกาฬ): only the admin and the outsider (B1's clerk) reach it
OUT_SEE = {"clerk": 404, "executive": 404, "overseer": 404, "admin": 200, "outsider": 200, "anonymous": LOGIN}
OUT_API = {**OUT_SEE, "anonymous": 401}


def _khok_muang_file() -> SimpleUploadedFile:
    return SimpleUploadedFile(KHOK_MUANG.name, KHOK_MUANG.read_bytes(), "application/yaml")


def _written() -> tuple[int, int, int, list[Any]]:
    return (
        AuditEvent.objects.count(),
        Plan.objects.count(),
        ResultSet.objects.count(),
        list(ResultSet.objects.values_list("uploaded_at", flat=True)),
    )


Request = Callable[[World, str], Any]


def _page(path: Callable[[World], str]) -> Request:
    return lambda w, persona: w.client(persona).get(path(w))


PAGES: dict[str, tuple[Request, dict[str, int]]] = {
    "home": (_page(lambda w: "/"), {**{p: 200 for p in PERSONAS}, "anonymous": LOGIN}),
    "agency A1": (_page(lambda w: f"/a/{w.a1.pk}/"), SEE),
    "agency B1": (_page(lambda w: f"/a/{w.b1.pk}/"), OUT_SEE),
    "analysis A1": (_page(lambda w: f"/a/{w.a1.pk}/years/2567/"), SEE),
    "analysis B1": (_page(lambda w: f"/a/{w.b1.pk}/years/2568/"), OUT_SEE),
    "upload form A1": (_page(lambda w: f"/a/{w.a1.pk}/upload/"), EDIT_PAGE),
    "upload form B1": (
        _page(lambda w: f"/a/{w.b1.pk}/upload/"),
        {**OUT_SEE, "clerk": 404, "admin": 200, "outsider": 200},
    ),
    "upload A1": (
        lambda w, p: w.client(p).post(f"/a/{w.a1.pk}/upload/", {"file": _khok_muang_file()}),
        UPLOAD_PAGE,
    ),
    # the plan pages (the plan of A1 is drafted by the admin first: see NEEDS_PLAN)
    "plan A1": (_page(lambda w: f"/a/{w.a1.pk}/years/2567/plan/"), SEE),
    "plan B1": (_page(lambda w: f"/a/{w.b1.pk}/years/2568/plan/"), OUT_SEE),
    "plan yaml A1": (_page(lambda w: f"/a/{w.a1.pk}/years/2567/plan/v1.yaml"), SEE),
    "plan texts A1": (
        lambda w, p: w.client(p).post(
            f"/a/{w.a1.pk}/years/2567/plan/texts/", {"version": 1, "limitations": "ก", "suggestions": "ข"}
        ),
        UPLOAD_PAGE,
    ),
    "plan add A1": (
        lambda w, p: w.client(p).post(f"/a/{w.a1.pk}/years/2567/plan/add/", {"version": 1, "title": "ใหม่"}),
        UPLOAD_PAGE,
    ),
    "plan move A1": (
        lambda w, p: w.client(p).post(
            f"/a/{w.a1.pk}/years/2567/plan/m/0/move/", {"version": 1, "direction": "down"}
        ),
        UPLOAD_PAGE,
    ),
    "plan delete A1": (
        lambda w, p: w.client(p).post(f"/a/{w.a1.pk}/years/2567/plan/m/0/delete/", {"version": 1}),
        UPLOAD_PAGE,
    ),
    "plan measure A1": (
        lambda w, p: w.client(p).post(f"/a/{w.a1.pk}/years/2567/plan/m/0/", {"version": 1, "title": "ใหม่"}),
        UPLOAD_PAGE,
    ),
    "plan redraft A1": (
        lambda w, p: w.client(p).post(f"/a/{w.a1.pk}/years/2567/plan/redraft/", {"version": 1}),
        UPLOAD_PAGE,
    ),
    "plan approve A1": (
        lambda w, p: w.client(p).post(f"/a/{w.a1.pk}/years/2567/plan/approve/", {"version": 1}),
        {**UPLOAD_PAGE, "clerk": 403, "executive": 302},
    ),
    "plan approve B1": (
        lambda w, p: w.client(p).post(f"/a/{w.b1.pk}/years/2568/plan/approve/", {"version": 1}),
        {**OUT_SEE, "outsider": 403, "admin": 409},
    ),
    # the dashboard and its exports: every signed-in persona gets 200 with only the agencies in
    # scope (checked in test_each_persona_lists_exactly_the_agencies_in_scope)
    "dashboard": (_page(lambda w: "/dashboard/"), {**{p: 200 for p in PERSONAS}, "anonymous": LOGIN}),
    "dashboard xlsx": (
        _page(lambda w: "/dashboard/export.xlsx"),
        {**{p: 200 for p in PERSONAS}, "anonymous": LOGIN},
    ),
    "dashboard csv": (
        _page(lambda w: "/dashboard/export.csv?year=2567"),
        {**{p: 200 for p in PERSONAS}, "anonymous": LOGIN},
    ),
}


def _api_get(path: Callable[[World], str]) -> Request:
    return lambda w, persona: w.api(persona).get(path(w))


def _api_documents(agency: Callable[[World], Agency], year: int) -> Request:
    return lambda w, persona: w.api(persona).post(
        f"/api/agencies/{agency(w).pk}/years/{year}/documents",
        {"format": "html", "layout": "summary"},
        content_type="application/json",
    )


def _done_job(agency: Agency) -> RenderJob:
    """A made document of ``agency`` (rows only: no audit event, plan or results are written)."""
    job = RenderJob.objects.create(
        agency=agency,
        ita_year=2567,
        plan_version=1,
        plan_text="",
        fmt="html",
        layout="summary",
        status="done",
    )
    job.output.save("made.html", ContentFile(b"<html></html>"))
    return job


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # made documents go to the test's own folder


def _api_put_plan(w: World, persona: str) -> Any:
    plan = w.api("admin").get(f"/api/agencies/{w.a1.pk}/years/2567/plan").json()
    return w.api(persona).put(
        f"/api/agencies/{w.a1.pk}/years/2567/plan", plan, content_type="application/json"
    )


API: dict[str, tuple[Request, dict[str, int]]] = {
    "agencies": (_api_get(lambda w: "/api/agencies"), {**{p: 200 for p in PERSONAS}, "anonymous": 401}),
    "results A1": (
        lambda w, p: w.api(p).post(f"/api/agencies/{w.a1.pk}/results", {"file": _khok_muang_file()}),
        API_UPLOAD,
    ),
    "results B1": (
        lambda w, p: w.api(p).post(f"/api/agencies/{w.b1.pk}/results", {"file": _khok_muang_file()}),
        {"clerk": 404, "executive": 404, "overseer": 404, "admin": 400, "outsider": 400, "anonymous": 401},
    ),
    "analysis A1": (_api_get(lambda w: f"/api/agencies/{w.a1.pk}/years/2567/analysis"), API_SEE),
    "analysis B1": (_api_get(lambda w: f"/api/agencies/{w.b1.pk}/years/2568/analysis"), OUT_API),
    "plan A1": (_api_get(lambda w: f"/api/agencies/{w.a1.pk}/years/2567/plan"), API_SEE),
    "plan B1": (_api_get(lambda w: f"/api/agencies/{w.b1.pk}/years/2568/plan"), OUT_API),
    "plan PUT A1": (_api_put_plan, API_PUT),
    "documents POST A1": (_api_documents(lambda w: w.a1, 2567), {**API_PUT, "clerk": 202, "admin": 202}),
    "documents POST B1": (
        _api_documents(lambda w: w.b1, 2568),
        {**OUT_API, "admin": 202, "outsider": 202},
    ),
    "job A1": (lambda w, p: w.api(p).get(f"/api/jobs/{_done_job(w.a1).pk}"), API_SEE),
    "job B1": (lambda w, p: w.api(p).get(f"/api/jobs/{_done_job(w.b1).pk}"), OUT_API),
    "job file A1": (lambda w, p: w.api(p).get(f"/api/jobs/{_done_job(w.a1).pk}/file"), API_SEE),
    "job file B1": (lambda w, p: w.api(p).get(f"/api/jobs/{_done_job(w.b1).pk}/file"), OUT_API),
}

NEEDS_PLAN = {name for name in PAGES if name.startswith("plan ") and "A1" in name and name != "plan A1"}

CASES = [
    pytest.param(kind, name, persona, id=f"{kind}:{name}:{persona}")
    for kind, table in (("page", PAGES), ("api", API))
    for name in table
    for persona in PERSONAS
]


@pytest.mark.parametrize(("kind", "name", "persona"), CASES)
def test_every_page_and_endpoint_as_every_persona(world: World, kind: str, name: str, persona: str) -> None:
    request, expected = (PAGES if kind == "page" else API)[name]
    if name == "plan PUT A1" or name in NEEDS_PLAN:  # the plan exists (drafted by the admin) first
        world.api("admin").get(f"/api/agencies/{world.a1.pk}/years/2567/plan")
    before = _written()
    response = request(world, persona)
    assert response.status_code == expected[persona], response.content[:300]
    if response.status_code in (400, 401, 403, 404):
        after = _written()
        # a refusal writes nothing (issuing the persona's token is the only event allowed)
        tokens = AuditEvent.objects.filter(action="api_token.issued").count()
        assert after[1:] == before[1:]
        assert after[0] - before[0] <= tokens
        assert (
            not AuditEvent.objects.exclude(action="api_token.issued")
            .filter(
                id__gt=AuditEvent.objects.order_by("id").values_list("id", flat=True)[max(before[0] - 1, 0)]
            )
            .exists()
        )
    if response.status_code == 302 and expected[persona] == LOGIN and persona == "anonymous":
        assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("persona", PERSONAS[:-1])
def test_each_persona_lists_exactly_the_agencies_in_scope(world: World, persona: str) -> None:
    expected = {
        "clerk": {world.a1.pk},
        "executive": {world.a1.pk},
        "overseer": {world.a1.pk, world.a2.pk},
        "admin": {world.a1.pk, world.a2.pk, world.b1.pk},
        "outsider": {world.b1.pk},
    }[persona]
    listed = world.api(persona).get("/api/agencies").json()
    assert {a["id"] for a in listed} == expected
    assert set(listed[0]) == {"id", "name", "type", "province", "district"}
    page = world.client(persona).get("/").content.decode()
    for agency in (world.a1, world.a2, world.b1):
        assert (f'href="/a/{agency.pk}/"' in page) == (agency.pk in expected)
    client = world.client(persona)
    dashboard = client.get("/dashboard/").content.decode()
    for agency in (world.a1, world.a2, world.b1):
        assert (f'href="/a/{agency.pk}/"' in dashboard) == (agency.pk in expected)
    names = {agency.pk: agency.name for agency in (world.a1, world.a2, world.b1)}
    for export in ("/dashboard/export.csv", "/dashboard/export.xlsx"):
        for year in ("2567", "2568"):
            response = client.get(export, {"year": year})
            rows = (
                response.content.decode("utf-8-sig")
                if export.endswith("csv")
                else _xlsx_names(response.content)
            )
            for pk, name in names.items():
                assert (name in rows) == (pk in expected), (export, year, name)


def _xlsx_names(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return "\n".join(str(sheet.cell(row, 2).value) for row in range(3, sheet.max_row + 1))


def test_a_bad_token_is_401(world: World) -> None:
    client = Client(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert client.get("/api/agencies").status_code == 401
