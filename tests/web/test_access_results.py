"""The persona matrix of the results pages: the fill-in template, the bulk upload (form, upload,
preview, confirm, cancel) and the analysis page with a what-if, as every persona, on an agency in
scope (A1) and one outside it (B1), with nothing written on a refusal."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from prongsai_web.audit.models import AuditEvent
from prongsai_web.results.models import BulkPreview, ResultSet
from tests.web.conftest import PERSONAS, World
from tests.web.test_access_matrix import EDIT_PAGE, LOGIN, OUT_SEE, SEE, UPLOAD_PAGE

SCORES = (
    "agency,district,province,ita_year,overall,i1\n"
    "เทศบาลตำบลโคกม่วง,คลองหอยโข่ง,สงขลา,2567,88.5,80\n"
    "เทศบาลตำบลทดสอบ,หาดใหญ่,สงขลา,2567,75.25,70\n"
)
# the bulk pages are the overseer's and the admin's (Action.BULK_UPLOAD), in no agency's name
BULK_PAGE = {**EDIT_PAGE, "clerk": 403, "overseer": 200, "outsider": 403}
BULK_POST = {**UPLOAD_PAGE, "clerk": 403, "overseer": 302, "outsider": 403}
# a preview is its own user's: the admin's preview is not found for the overseer
ADMIN_PREVIEW = {**BULK_PAGE, "overseer": 404}
ADMIN_PREVIEW_POST = {**BULK_POST, "overseer": 404}


def _scores() -> SimpleUploadedFile:
    return SimpleUploadedFile("scores.csv", SCORES.encode())


def _token(w: World, persona: str) -> str:
    response = w.client(persona).post("/bulk/", {"file": _scores()})
    match = re.fullmatch(r"/bulk/([\w-]+)/", response["Location"])
    assert match
    return match[1]


def _own_token(w: World, persona: str) -> str:
    """The persona's own preview (the admin's when the persona may not make one)."""
    return _token(w, persona if persona in ("overseer", "admin") else "admin")


def _admin_token(w: World, persona: str) -> str:
    return _token(w, "admin")


def _none(w: World, persona: str) -> str:
    return ""


Setup = Callable[[World, str], str]  # makes what the request needs (a preview's token) first
Request = Callable[[World, str, str], Any]


def _page(path: Callable[[World], str]) -> Request:
    return lambda w, persona, token: w.client(persona).get(path(w))


PAGES: dict[str, tuple[Setup, Request, dict[str, int]]] = {
    "template A1": (_none, _page(lambda w: f"/a/{w.a1.pk}/template/?year=2568"), SEE),
    "template B1": (_none, _page(lambda w: f"/a/{w.b1.pk}/template/?year=2568"), OUT_SEE),
    "what-if A1": (_none, _page(lambda w: f"/a/{w.a1.pk}/years/2567/?set_e9=100"), SEE),
    "what-if B1": (_none, _page(lambda w: f"/a/{w.b1.pk}/years/2568/?set_ind1=100"), OUT_SEE),
    "bulk form": (_none, _page(lambda w: "/bulk/"), BULK_PAGE),
    "bulk upload": (_none, lambda w, p, t: w.client(p).post("/bulk/", {"file": _scores()}), BULK_POST),
    "own preview": (_own_token, lambda w, p, t: w.client(p).get(f"/bulk/{t}/"), BULK_PAGE),
    "admin's preview": (_admin_token, lambda w, p, t: w.client(p).get(f"/bulk/{t}/"), ADMIN_PREVIEW),
    "own confirm": (_own_token, lambda w, p, t: w.client(p).post(f"/bulk/{t}/confirm/"), BULK_POST),
    "admin's confirm": (
        _admin_token,
        lambda w, p, t: w.client(p).post(f"/bulk/{t}/confirm/"),
        ADMIN_PREVIEW_POST,
    ),
    "own cancel": (_own_token, lambda w, p, t: w.client(p).post(f"/bulk/{t}/cancel/"), BULK_POST),
    "admin's cancel": (
        _admin_token,
        lambda w, p, t: w.client(p).post(f"/bulk/{t}/cancel/"),
        ADMIN_PREVIEW_POST,
    ),
}

CASES = [pytest.param(name, persona, id=f"{name}:{persona}") for name in PAGES for persona in PERSONAS]


def _written() -> tuple[int, list[Any], list[str]]:
    return (
        AuditEvent.objects.count(),
        sorted(ResultSet.objects.values_list("agency_id", "ita_year", "uploaded_at")),
        sorted(BulkPreview.objects.values_list("token", flat=True)),
    )


@pytest.mark.parametrize(("name", "persona"), CASES)
def test_every_results_page_as_every_persona(world: World, name: str, persona: str) -> None:
    setup, request, expected = PAGES[name]
    token = setup(world, persona)
    before = _written()
    response = request(world, persona, token)
    assert response.status_code == expected[persona], response.content[:300]
    if response.status_code in (400, 401, 403, 404):
        assert _written() == before  # a refusal writes nothing
    if persona == "anonymous":
        assert expected[persona] == LOGIN and response["Location"].startswith("/login/")


def test_only_overseers_and_admins_see_the_bulk_link(world: World) -> None:
    for persona in PERSONAS[:-1]:
        page = world.client(persona).get("/").content.decode()
        assert ('href="/bulk/"' in page) == (persona in ("overseer", "admin")), persona
