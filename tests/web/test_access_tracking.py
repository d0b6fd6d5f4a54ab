"""The persona matrix of the tracking pages: every page as clerk, executive, overseer (province),
admin, an outsider (a clerk of another province's agency) and anonymous, on an agency in their scope
(A1) and one outside it (B1), with nothing written on a refusal (no audit event, progress row,
version, evidence row or stored file)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from prongsai_web.audit.models import AuditEvent
from prongsai_web.plans.models import Plan
from prongsai_web.plans.services import current_plan
from prongsai_web.tracking.models import Evidence, Progress, ProgressVersion
from prongsai_web.tracking.services import FileGiven, add_update
from tests.web.conftest import PERSONAS, World
from tests.web.test_access_matrix import EDIT_PAGE, LOGIN, OUT_SEE, SEE, UPLOAD_PAGE

PDF = b"%PDF-1.4\n%%EOF\n"
A1_MEASURE = "asset-use-guideline"
B1_YEAR = 2568

Request = Callable[[World, str], Any]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def _base(w: World, where: str) -> str:
    return (
        f"/a/{w.a1.pk}/years/2567/tracking/" if where == "A1" else f"/a/{w.b1.pk}/years/{B1_YEAR}/tracking/"
    )


def _measure(w: World, where: str) -> str:
    if where == "A1":
        return A1_MEASURE
    from prongsai.app.plans import plan_from_text

    return plan_from_text(Plan.objects.get(agency=w.b1).text).measures[0].id


def _evidence(w: World, where: str) -> Evidence:
    """An evidence file of the agency, uploaded by its own clerk (A1) or the admin (B1)."""
    agency, year = (w.a1, 2567) if where == "A1" else (w.b1, B1_YEAR)
    version = Progress.objects.filter(plan__agency=agency).values_list("version", flat=True).first() or 0
    add_update(
        w.users["admin"],  # type: ignore[arg-type]
        agency,
        year,
        _measure(w, where),
        version,
        {"date": "2567-12-01" if where == "A1" else "2568-12-01", "status": "in_progress"},
        [FileGiven(SimpleUploadedFile("หลักฐาน.pdf", PDF), "หลักฐานการดำเนินการ", "file0")],
    )
    return Evidence.objects.filter(progress__plan__agency=agency).latest("id")


def _get(rest: Callable[[World, str], str], where: str) -> Request:
    return lambda w, persona: w.client(persona).get(_base(w, where) + rest(w, where))


def _post_update(where: str) -> Request:
    def post(w: World, persona: str) -> Any:
        day = "2567-12-20" if where == "A1" else "2568-12-20"
        form = {
            "version": 0,
            "date": day,
            "status": "in_progress",
            "file0": SimpleUploadedFile("ภาพกิจกรรม.pdf", PDF),
            "link0": "https://www.example.go.th/ita",
            "link0_description": "หน้าเว็บไซต์",
        }
        return w.client(persona).post(_base(w, where) + f"m/{_measure(w, where)}/", form)

    return post


def _post_upload(where: str) -> Request:
    def post(w: World, persona: str) -> Any:
        text = w.client("admin").get(_base(w, where) + "progress.yaml").content
        return w.client(persona).post(
            _base(w, where) + "upload/", {"version": 0, "file": SimpleUploadedFile("progress.yaml", text)}
        )

    return post


def _download(where: str) -> Request:
    return lambda w, persona: w.client(persona).get(f"/evidence/{_evidence(w, where).pk}/")


def _versioned(where: str) -> Request:
    def get(w: World, persona: str) -> Any:
        _evidence(w, where)  # version 1 exists
        return w.client(persona).get(_base(w, where) + "v1.yaml")

    return get


OUT_EDIT = {**OUT_SEE, "admin": 200, "outsider": 200}
OUT_UPLOAD = {**OUT_SEE, "admin": 302, "outsider": 302}

PAGES: dict[str, tuple[Request, dict[str, int]]] = {
    "board A1": (_get(lambda w, where: "", "A1"), SEE),
    "board B1": (_get(lambda w, where: "", "B1"), OUT_SEE),
    "board as of A1": (_get(lambda w, where: "?as_of=31/03/2568", "A1"), SEE),
    "measure A1": (_get(lambda w, where: f"m/{_measure(w, where)}/", "A1"), SEE),
    "measure B1": (_get(lambda w, where: f"m/{_measure(w, where)}/", "B1"), OUT_SEE),
    "update A1": (_post_update("A1"), UPLOAD_PAGE),
    "update B1": (_post_update("B1"), OUT_UPLOAD),
    "progress yaml A1": (_get(lambda w, where: "progress.yaml", "A1"), SEE),
    "progress yaml B1": (_get(lambda w, where: "progress.yaml", "B1"), OUT_SEE),
    "progress v1 A1": (_versioned("A1"), SEE),
    "progress v1 B1": (_versioned("B1"), OUT_SEE),
    "upload form A1": (_get(lambda w, where: "upload/", "A1"), EDIT_PAGE),
    "upload form B1": (_get(lambda w, where: "upload/", "B1"), OUT_EDIT),
    "upload A1": (_post_upload("A1"), UPLOAD_PAGE),
    "upload B1": (_post_upload("B1"), OUT_UPLOAD),
    "evidence A1": (_download("A1"), SEE),
    "evidence B1": (_download("B1"), OUT_SEE),
}


def _written(media: Path) -> tuple[int, int, int, int, list[str], int]:
    return (
        AuditEvent.objects.count(),
        Progress.objects.count(),
        ProgressVersion.objects.count(),
        Evidence.objects.count(),
        list(Progress.objects.order_by("id").values_list("text", flat=True)),
        sum(1 for p in media.rglob("*") if p.is_file()) if media.exists() else 0,
    )


@pytest.mark.parametrize(
    ("name", "persona"), [pytest.param(n, p, id=f"{n}:{p}") for n in PAGES for p in PERSONAS]
)
def test_every_tracking_page_as_every_persona(world: World, _media: Path, name: str, persona: str) -> None:
    current_plan(world.users["admin"], world.a1, 2567)  # type: ignore[arg-type]
    current_plan(world.users["admin"], world.b1, B1_YEAR)  # type: ignore[arg-type]
    request, expected = PAGES[name]
    if name.startswith("evidence") or name.startswith("progress v1"):
        response = request(world, persona)  # makes its evidence (audited) first, then asks
        before = None
    else:
        before = _written(_media)
        response = request(world, persona)
    assert response.status_code == expected[persona], response.content[:400]
    refused = response.status_code in (400, 403, 404, 409) or persona == "anonymous"
    if refused and before is not None:
        assert _written(_media) == before  # a refusal writes nothing, stores no file
    if persona == "anonymous":
        assert response.status_code == LOGIN and response["Location"].startswith("/login/")
    if response.status_code == 302 and name.startswith("update") and persona != "anonymous":
        assert (
            Evidence.objects.count() == 1
            and AuditEvent.objects.filter(action="progress.updated").count() == 1
        )


@pytest.mark.parametrize("persona", ["clerk", "admin"])
def test_editors_see_the_form_and_readers_do_not(world: World, persona: str) -> None:
    current_plan(world.users["admin"], world.a1, 2567)  # type: ignore[arg-type]
    for who, form in ((persona, True), ("executive", False), ("overseer", False)):
        page = world.client(who).get(f"/a/{world.a1.pk}/years/2567/tracking/m/{A1_MEASURE}/").content.decode()
        assert ('enctype="multipart/form-data"' in page) is form, who
        board = world.client(who).get(f"/a/{world.a1.pk}/years/2567/tracking/").content.decode()
        assert (">รายงานผล</a>" in board) is form and ("นำเข้าไฟล์ผลการดำเนินการ" in board) is form


def test_an_evidence_id_that_does_not_exist_is_404(world: World) -> None:
    assert world.client("admin").get("/evidence/999999/").status_code == 404
