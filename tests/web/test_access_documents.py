"""The persona matrix of the documents pages: the page, its list of jobs and its requests (measures
document and progress report), as clerk, executive, overseer (province), admin, an outsider (a clerk
of another province's agency) and anonymous, on an agency in scope (A1) and one outside it (B1), and
a year without results; a refusal writes nothing (no job, no settings, no plan, no audit event)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile

from prongsai_web.audit.models import AuditEvent
from prongsai_web.jobs.models import DocumentSettings, RenderJob
from prongsai_web.plans.models import Plan
from tests.web.conftest import PERSONAS, World
from tests.web.test_access_matrix import EDIT_PAGE, LOGIN, OUT_SEE, SEE, UPLOAD_PAGE

Request = Callable[[World, str], Any]
NO_YEAR = {**{p: 404 for p in PERSONAS}, "anonymous": LOGIN}  # A1 has no results of 2560
ASK_OUT = {**OUT_SEE, "admin": 302, "outsider": 302}  # B1: its own clerk (the outsider) and the admin


def _get(path: Callable[[World], str]) -> Request:
    return lambda w, persona: w.client(persona).get(path(w))


def _post(path: Callable[[World], str], **form: str) -> Request:
    fields = {"prepared_by_name": "นางสาวสมศรี ใจดี", "unit": "งานนิติการ", "digits": "", **form}
    return lambda w, persona: w.client(persona).post(path(w), fields)


MEASURES = {"kind": "measures", "layout": "summary", "format": "html"}
PROGRESS = {"kind": "progress", "period": "6", "report_format": "docx"}


def _a1(w: World) -> str:
    return f"/a/{w.a1.pk}/years/2567/documents/"


def _b1(w: World) -> str:
    return f"/a/{w.b1.pk}/years/2568/documents/"


def _a1_none(w: World) -> str:
    return f"/a/{w.a1.pk}/years/2560/documents/"


def _done_job_file(w: World, persona: str) -> Any:
    job = RenderJob.objects.create(
        agency=w.a1, ita_year=2567, plan_version=1, plan_text="", fmt="html", layout="summary", status="done"
    )
    job.output.save("made.html", ContentFile(b"<html></html>"))
    return w.client(persona).get(f"/api/jobs/{job.pk}/file")


PAGES: dict[str, tuple[Request, dict[str, int]]] = {
    "documents A1": (_get(_a1), SEE),
    "documents B1": (_get(_b1), OUT_SEE),
    "documents A1 2560": (_get(_a1_none), NO_YEAR),
    "jobs A1": (_get(lambda w: _a1(w) + "jobs/"), SEE),
    "jobs B1": (_get(lambda w: _b1(w) + "jobs/"), OUT_SEE),
    "jobs A1 2560": (_get(lambda w: _a1_none(w) + "jobs/"), NO_YEAR),
    "ask measures A1": (_post(_a1, **MEASURES), UPLOAD_PAGE),
    "ask progress A1": (_post(_a1, **PROGRESS), UPLOAD_PAGE),
    "ask measures B1": (_post(_b1, **MEASURES), ASK_OUT),
    "ask progress B1": (_post(_b1, **PROGRESS), ASK_OUT),
    "ask measures A1 2560": (_post(_a1_none, **MEASURES), {**NO_YEAR, "executive": 403, "overseer": 403}),
    "ask with a wrong choice A1": (
        _post(_a1, kind="measures", layout="poster", format="html"),
        {**EDIT_PAGE, "clerk": 400, "admin": 400},
    ),
    "download with a session A1": (_done_job_file, {**SEE, "anonymous": 401}),
}


API_ASK = {"clerk": 202, "executive": 403, "overseer": 403, "admin": 202, "outsider": 404, "anonymous": 401}


def _api_report(agency: Callable[[World], Any], year: int) -> Request:
    return lambda w, persona: w.api(persona).post(
        f"/api/agencies/{agency(w).pk}/years/{year}/progress-reports",
        {"period": 12, "format": "xlsx"},
        content_type="application/json",
    )


PAGES["api progress report A1"] = (_api_report(lambda w: w.a1, 2567), API_ASK)
PAGES["api progress report B1"] = (
    _api_report(lambda w: w.b1, 2568),
    {**API_ASK, "clerk": 404, "executive": 404, "overseer": 404, "outsider": 202},
)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _written() -> tuple[int, int, int, int]:
    return (
        AuditEvent.objects.count(),
        RenderJob.objects.exclude(status="done").count(),
        DocumentSettings.objects.count(),
        Plan.objects.count(),
    )


CASES = [pytest.param(name, persona, id=f"{name}:{persona}") for name in PAGES for persona in PERSONAS]


@pytest.mark.parametrize(("name", "persona"), CASES)
def test_every_documents_page_as_every_persona(world: World, name: str, persona: str) -> None:
    request, expected = PAGES[name]
    before = _written()
    response = request(world, persona)
    assert response.status_code == expected[persona], response.content[:300]
    if response.status_code in (400, 401, 403, 404) or (
        persona == "anonymous" and expected[persona] == LOGIN
    ):
        after = _written()
        tokens = AuditEvent.objects.filter(action="api_token.issued").count()  # the persona's own token
        assert after[1:] == before[1:] and after[0] - before[0] <= tokens  # a refusal writes nothing
    if persona == "anonymous" and expected[persona] == LOGIN:
        assert response["Location"].startswith("/login/")
    if response.status_code in (202, 302) and persona != "anonymous":  # queued: one job more
        assert RenderJob.objects.exclude(status="done").count() == before[1] + 1
    if response.status_code == 302 and persona != "anonymous":
        assert response["Location"].endswith("/documents/#jobs")


@pytest.mark.parametrize("persona", ["clerk", "admin"])
def test_those_who_may_ask_see_the_form(world: World, persona: str) -> None:
    assert (
        'class="docform"'
        in world.client(persona).get(f"/a/{world.a1.pk}/years/2567/documents/").content.decode()
    )


@pytest.mark.parametrize("persona", ["executive", "overseer"])
def test_those_who_may_only_see_get_no_form(world: World, persona: str) -> None:
    html = world.client(persona).get(f"/a/{world.a1.pk}/years/2567/documents/").content.decode()
    assert 'class="docform"' not in html and 'name="csrfmiddlewaretoken"' not in html.split("</header>")[1]


def test_the_list_shows_only_the_agencys_own_jobs(world: World) -> None:
    for agency, year in ((world.a1, 2567), (world.b1, 2568)):
        RenderJob.objects.create(
            agency=agency, ita_year=year, plan_version=1, plan_text="", fmt="html", layout="summary"
        )
    mine = RenderJob.objects.get(agency=world.a1)
    other = RenderJob.objects.get(agency=world.b1)
    html = world.client("clerk").get(f"/a/{world.a1.pk}/years/2567/documents/").content.decode()
    assert f'id="job-{mine.pk}"' in html and f'id="job-{other.pk}"' not in html
