"""The persona matrix of the administration pages (docs/web-staff.md): every page and every POST as
clerk, executive, overseer (province), admin, an outsider and anonymous. The users, agencies and
frameworks pages are a national admin's: anyone else signed in gets 404 (the pages do not exist for
them), anonymous goes to the login page; the audit log is everyone's, each seeing their scope. A
refusal writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from prongsai_web.accounts.models import Membership
from prongsai_web.audit.models import AuditEvent
from prongsai_web.directory.models import Agency
from tests.web.conftest import PERSONAS, World
from tests.web.test_access_matrix import LOGIN

ADMIN_ONLY = {**{p: 404 for p in PERSONAS}, "admin": 200, "anonymous": LOGIN}
EVERYONE = {**{p: 200 for p in PERSONAS}, "anonymous": LOGIN}


def _written() -> tuple[Any, ...]:
    return (
        list(User.objects.order_by("pk").values_list("pk", "username", "email", "is_active", "password")),
        list(Membership.objects.order_by("pk").values_list("pk", "user_id", "role", "scope", "agency_id")),
        list(Agency.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


Request = Callable[[World, str], Any]


def _get(path: Callable[[World], str]) -> Request:
    return lambda w, persona: w.client(persona).get(path(w))


def _post(path: Callable[[World], str], data: Callable[[World], dict[str, Any]]) -> Request:
    return lambda w, persona: w.client(persona).post(path(w), data(w))


def _clerk(w: World) -> int:
    return int(w.users["clerk"].pk)


def _clerk_membership(w: World) -> int:
    return Membership.objects.get(user=w.users["clerk"]).pk


PAGES: dict[str, tuple[Request, dict[str, int]]] = {
    "users": (_get(lambda w: "/staff/users/"), ADMIN_ONLY),
    "users filtered": (_get(lambda w: "/staff/users/?role=clerk&province=สงขลา&q=c"), ADMIN_ONLY),
    "user add form": (_get(lambda w: "/staff/users/add/"), ADMIN_ONLY),
    "user page": (_get(lambda w: f"/staff/users/{_clerk(w)}/"), ADMIN_ONLY),
    "agencies": (_get(lambda w: "/staff/agencies/"), ADMIN_ONLY),
    "agency add form": (_get(lambda w: "/staff/agencies/add/"), ADMIN_ONLY),
    "agency page": (_get(lambda w: f"/staff/agencies/{w.a1.pk}/"), ADMIN_ONLY),
    "frameworks": (_get(lambda w: "/staff/frameworks/"), ADMIN_ONLY),
    "framework xlsx": (_get(lambda w: "/staff/frameworks/2568.xlsx"), ADMIN_ONLY),
    "audit": (_get(lambda w: "/staff/audit/"), EVERYONE),
    "audit filtered": (
        _get(lambda w: f"/staff/audit/?action=plan.*&agency_id={w.b1.pk}&since=1/1/2569"),
        EVERYONE,
    ),
    "audit csv": (_get(lambda w: "/staff/audit/export.csv"), EVERYONE),
}

POSTS: dict[str, tuple[Request, dict[str, int]]] = {
    "user add": (
        _post(
            lambda w: "/staff/users/add/",
            lambda w: {
                "username": "newbie",
                "role": "clerk",
                "scope": "agency",
                "agency": w.a1.pk,
                "password": "",
            },
        ),
        {**ADMIN_ONLY, "admin": 200},  # the one-time password page
    ),
    "user add with a password": (
        _post(
            lambda w: "/staff/users/add/",
            lambda w: {
                "username": "newbie",
                "role": "overseer",
                "scope": "national",
                "password": "long enough pw",
            },
        ),
        {**ADMIN_ONLY, "admin": 302},
    ),
    "user add refused": (
        _post(
            lambda w: "/staff/users/add/", lambda w: {"username": "clerk", "role": "clerk", "scope": "agency"}
        ),
        {**ADMIN_ONLY, "admin": 400},
    ),
    "user details": (
        _post(lambda w: f"/staff/users/{_clerk(w)}/details/", lambda w: {"email": "c@example.org"}),
        {**ADMIN_ONLY, "admin": 302},
    ),
    "user grant": (
        _post(
            lambda w: f"/staff/users/{_clerk(w)}/grant/",
            lambda w: {"role": "overseer", "scope": "province", "province": "บึงกาฬ"},
        ),
        {**ADMIN_ONLY, "admin": 302},
    ),
    "user revoke": (
        _post(lambda w: f"/staff/users/{_clerk(w)}/revoke/{_clerk_membership(w)}/", lambda w: {}),
        {**ADMIN_ONLY, "admin": 302},
    ),
    "user deactivate": (
        _post(lambda w: f"/staff/users/{_clerk(w)}/active/", lambda w: {"active": "0"}),
        {**ADMIN_ONLY, "admin": 302},
    ),
    "user password": (
        _post(lambda w: f"/staff/users/{_clerk(w)}/password/", lambda w: {"password": ""}),
        {**ADMIN_ONLY, "admin": 200},
    ),
    "admin deactivates themself": (
        _post(lambda w: f"/staff/users/{w.users['admin'].pk}/active/", lambda w: {"active": "0"}),
        {**ADMIN_ONLY, "admin": 400},
    ),
    "agency add": (
        _post(lambda w: "/staff/agencies/add/", lambda w: {"name": "เทศบาลตำบลนาทวี", "province": "สงขลา"}),
        {**ADMIN_ONLY, "admin": 302},
    ),
    "agency change": (
        _post(
            lambda w: f"/staff/agencies/{w.a2.pk}/",
            lambda w: {"name": "เทศบาลตำบลทดสอบ", "province": "สงขลา", "district": "หาดใหญ่", "code": "X1"},
        ),
        {**ADMIN_ONLY, "admin": 302},
    ),
    "framework upload": (
        _post(
            lambda w: "/staff/frameworks/upload/",
            lambda w: {"file": SimpleUploadedFile("ita.xlsx", b"not a workbook")},
        ),
        {**ADMIN_ONLY, "admin": 400},  # no frameworks folder in the tests: refused, nothing written
    ),
}

CASES = [
    pytest.param(kind, name, persona, id=f"{kind}:{name}:{persona}")
    for kind, table in (("page", PAGES), ("post", POSTS))
    for name in table
    for persona in PERSONAS
]


@pytest.mark.parametrize(("kind", "name", "persona"), CASES)
def test_every_staff_page_and_post_as_every_persona(world: World, kind: str, name: str, persona: str) -> None:
    request, expected = (PAGES if kind == "page" else POSTS)[name]
    before = _written()
    response = request(world, persona)
    assert response.status_code == expected[persona], response.content[:300]
    if response.status_code in (400, 403, 404) or (persona == "anonymous"):
        assert _written() == before
    elif kind == "post":
        assert _written() != before and AuditEvent.objects.count() > before[-1]
    if persona == "anonymous":
        assert response["Location"].startswith("/login/")


def test_a_get_never_writes(world: World) -> None:
    before = _written()
    for request, _ in PAGES.values():
        for persona in PERSONAS:
            request(world, persona)
    assert _written() == before


@pytest.mark.parametrize("path", ["/staff/users/add/", "/staff/agencies/add/"])
def test_the_forms_refuse_other_methods(world: World, path: str) -> None:
    assert world.client("admin").put(path).status_code == 405
    assert world.client("clerk").put(path).status_code == 404
