"""The administration pages and their services (docs/web-staff.md): users and roles, agencies, the
audit log and its export, sign-in events, frameworks. Each service: what it does, what it records, and
every refusal with nothing written."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from prongsai.framework import bundled_frameworks, load_frameworks, reload_frameworks, use_framework_folder
from prongsai.framework_export import framework_workbook
from prongsai_web.accounts.models import Membership
from prongsai_web.accounts.services import (
    ONE_TIME_ALPHABET,
    Grant,
    NewAccount,
    Refused,
    add_user,
    change_details,
    create_account,
    grant_membership,
    is_admin,
    issue_token,
    reset_password,
    revoke_membership,
    set_active,
    user_of_token,
)
from prongsai_web.audit.models import AuditEvent
from prongsai_web.audit.queries import EventFilter, event_page, filtered, read_filter, visible_events
from prongsai_web.directory.models import Agency
from prongsai_web.directory.services import AgencyFields, change_agency, create_agency
from prongsai_web.staff.frameworks import store_framework
from tests.test_framework_2570 import edit_into_2570
from tests.web.conftest import PASSWORD, World

NEW_PASSWORD = "a new long password"


def _state() -> tuple[Any, ...]:
    """Everything an admin service may write."""
    return (
        list(User.objects.order_by("pk").values_list("pk", "username", "email", "is_active", "password")),
        list(
            Membership.objects.order_by("pk").values_list(
                "pk", "user_id", "role", "scope", "agency_id", "province"
            )
        ),
        list(Agency.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def _last(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-id").first()
    assert event is not None, action
    return event


def _refused(call: Callable[[], Any]) -> dict[str, list[str]]:
    """The fields ``call`` was refused at (each with its English texts), having written nothing."""
    before = _state()
    with pytest.raises(Refused) as caught:
        call()
    assert _state() == before
    for problem in caught.value.problems:
        assert problem.th and problem.en and problem.th != problem.en
    return {field: [p.en for p in found] for field, found in caught.value.by_field().items()}


def _admin(world: World) -> User:
    user = world.users["admin"]
    assert isinstance(user, User)
    return user


def _user(world: World, persona: str) -> User:
    user = world.users[persona]
    assert isinstance(user, User)
    return user


def _account(username: str = "somchai", **fields: str) -> NewAccount:
    """A clerk of A1 ('A1' stands for its id until the world exists), with ``fields`` changed."""
    grant = {k: fields.pop(k) for k in ("role", "scope", "agency", "province", "department") if k in fields}
    wanted = {"role": "clerk", "scope": "agency", "agency": "A1", **grant}
    return NewAccount(username=username, grant=Grant(**wanted), **{"password": NEW_PASSWORD, **fields})


def _in(world: World, new: NewAccount) -> NewAccount:
    if new.grant.agency != "A1":
        return new
    grant = Grant(new.grant.role, new.grant.scope, str(world.a1.pk), new.grant.province, new.grant.department)
    return NewAccount(new.username, grant, new.email, new.first_name, new.last_name, new.password)


# --- who is an admin -----------------------------------------------------------------------------------


def test_an_admin_is_a_national_admin_or_a_superuser(world: World) -> None:
    assert is_admin(_admin(world))
    assert not any(is_admin(_user(world, p)) for p in ("clerk", "executive", "overseer", "outsider"))
    provincial = add_user("padmin", PASSWORD, "admin", province="สงขลา")
    assert not is_admin(provincial)
    boss = User.objects.create_superuser("boss", password=PASSWORD)
    assert is_admin(boss)
    boss.is_active = False
    assert not is_admin(boss) and not is_admin(None)


# --- accounts ------------------------------------------------------------------------------------------


def test_an_admin_adds_a_user_with_a_password_and_a_scope(world: World) -> None:
    admin = _admin(world)
    new = NewAccount(
        username="somchai",
        grant=Grant("clerk", "agency", agency=str(world.a1.pk)),
        email="somchai@example.go.th",
        first_name="สมชาย",
        last_name="ใจดี",
        password=NEW_PASSWORD,
    )
    user, password = create_account(admin, new)
    assert password == NEW_PASSWORD and user.check_password(NEW_PASSWORD)
    assert (user.email, user.get_full_name()) == ("somchai@example.go.th", "สมชาย ใจดี")
    [membership] = Membership.objects.filter(user=user)
    assert (membership.role, membership.scope, membership.agency) == ("clerk", "agency", world.a1)
    added, granted = _last("user.added"), _last("membership.granted")
    assert (added.actor, added.agency, added.object_id) == (admin, world.a1, str(user.pk))
    assert added.detail == {"username": "somchai", "role": "clerk", "scope": "agency"}
    assert (granted.actor, granted.object_id) == (admin, str(membership.pk))


def test_an_empty_password_makes_a_one_time_password(world: World) -> None:
    user, password = create_account(
        _admin(world), NewAccount("overseer2", Grant("overseer", "province", province="จังหวัด สงขลา"))
    )
    assert len(password) == 14 and set(password) <= set(ONE_TIME_ALPHABET)
    assert user.check_password(password) and password not in str(_last("user.added").detail)
    assert Membership.objects.get(user=user).province == "สงขลา"  # as agencies are registered under it


def test_every_scope_and_a_province_known_only_from_an_agency(world: World) -> None:
    admin = _admin(world)
    Agency.objects.create(name="หน่วยทดสอบ", province="เมืองทดลอง", department="กรมทดสอบ")
    for name, grant in {
        "p1": Grant("overseer", "province", province="เมืองทดลอง"),
        "d1": Grant("overseer", "department", department="กรมทดสอบ"),
        "n1": Grant("admin", "national"),
    }.items():
        user, _ = create_account(admin, NewAccount(name, grant))
        assert Membership.objects.get(user=user).scope == grant.scope
    assert is_admin(User.objects.get(username="n1"))


@pytest.mark.parametrize(
    ("new", "fields"),
    [
        (_account(""), {"username"}),
        (_account("has space"), {"username"}),
        (_account("x" * 151), {"username"}),
        (_account("CLERK"), {"username"}),  # taken: user names are compared without case
        (_account("n", email="not-an-address"), {"email"}),
        (_account("n", first_name="ก" * 151), {"first_name"}),
        (_account("n", password="short"), {"password"}),
        (_account("n", role="chief"), {"role"}),
        (_account("n", scope="planet"), {"scope"}),
        (_account("n", role="clerk", scope="province", province="สงขลา"), {"scope"}),
        (_account("n", role="executive", scope="national"), {"scope"}),
        (_account("n", agency=""), {"agency"}),
        (_account("n", agency="99999"), {"agency"}),
        (_account("n", agency="abc"), {"agency"}),
        (_account("n", agency="9" * 30), {"agency"}),  # more than any key holds: unknown, no crash
        (_account("n", role="overseer", scope="province"), {"province"}),
        (_account("n", role="overseer", scope="province", province="สงขลาา"), {"province"}),
        (_account("n", role="overseer", scope="department"), {"department"}),
        (_account("n", role="overseer", scope="department", department="กรมที่ไม่มี"), {"department"}),
    ],
)
def test_adding_a_user_refuses_each_mistake_at_its_field(
    world: World, new: NewAccount, fields: set[str]
) -> None:
    found = _refused(lambda: create_account(_admin(world), _in(world, new)))
    assert set(found) == fields, found


def test_the_refusals_name_the_value_and_say_it_in_thai(world: World) -> None:
    with pytest.raises(Refused) as caught:
        create_account(_admin(world), _account("n", role="overseer", scope="province", province="สงขลาา"))
    [problem] = caught.value.problems
    assert "สงขลาา" in problem.th and "ตรวจสอบการสะกด" in problem.th and "spelling" in problem.en


def test_only_a_national_admin_adds_users(world: World) -> None:
    for persona in ("clerk", "executive", "overseer", "outsider"):
        before = _state()
        with pytest.raises(PermissionDenied):
            create_account(_user(world, persona), _in(world, _account("n")))
        assert _state() == before


def test_change_details_records_the_fields_changed(world: World) -> None:
    clerk = _user(world, "clerk")
    assert change_details(_admin(world), clerk, email="c@example.org", first_name="สมหญิง", last_name="") == [
        "email",
        "first_name",
    ]
    event = _last("user.changed")
    assert event.detail == {"username": "clerk", "fields": ["email", "first_name"]}
    count = AuditEvent.objects.count()
    assert change_details(_admin(world), clerk, email="c@example.org", first_name="สมหญิง", last_name="") == []
    assert AuditEvent.objects.count() == count
    assert set(
        _refused(lambda: change_details(_admin(world), clerk, email="@", first_name="", last_name=""))
    ) == {"email"}


# --- memberships ---------------------------------------------------------------------------------------


def test_grant_and_revoke_a_role(world: World) -> None:
    admin, clerk = _admin(world), _user(world, "clerk")
    membership = grant_membership(admin, clerk, Grant("overseer", "province", province="บึงกาฬ"))
    event = _last("membership.granted")
    assert event.detail == {"username": "clerk", "role": "overseer", "scope": "province", "province": "บึงกาฬ"}
    assert event.agency is None and event.actor == admin
    assert world.client("clerk").get(f"/a/{world.b1.pk}/").status_code == 200  # the new scope applies
    assert set(
        _refused(lambda: grant_membership(admin, clerk, Grant("overseer", "province", province="บึงกาฬ")))
    ) == {"role"}
    assert set(
        _refused(lambda: grant_membership(admin, clerk, Grant("clerk", "province", province="บึงกาฬ")))
    ) == {"scope"}
    pk = membership.pk
    revoke_membership(admin, membership)
    revoked = _last("membership.revoked")
    assert revoked.detail == event.detail and revoked.object_id == str(pk)
    assert not Membership.objects.filter(pk=pk).exists()
    assert world.client("clerk").get(f"/a/{world.b1.pk}/").status_code == 404


def test_an_agency_membership_is_an_event_of_that_agency(world: World) -> None:
    membership = grant_membership(
        _admin(world), _user(world, "overseer"), Grant("executive", "agency", agency=str(world.a2.pk))
    )
    assert _last("membership.granted").agency == world.a2
    revoke_membership(_admin(world), membership)
    assert _last("membership.revoked").agency == world.a2


def test_the_last_national_admin_keeps_the_role(world: World) -> None:
    admin = _admin(world)
    own = Membership.objects.get(user=admin, role="admin")
    found = _refused(lambda: revoke_membership(admin, own))
    assert set(found) == {""} and "last active national admin" in found[""][0]
    second = add_user("admin2", PASSWORD, "admin")
    revoke_membership(admin, own)  # another admin remains: an admin may step down
    assert not is_admin(admin) and is_admin(second)


def test_only_a_national_admin_grants_and_revokes(world: World) -> None:
    membership = Membership.objects.get(user=world.users["clerk"])
    for persona in ("clerk", "overseer"):
        before = _state()
        with pytest.raises(PermissionDenied):
            grant_membership(_user(world, persona), _user(world, persona), Grant("admin", "national"))
        with pytest.raises(PermissionDenied):
            revoke_membership(_user(world, persona), membership)
        assert _state() == before


# --- deactivation and passwords ------------------------------------------------------------------------


def test_deactivate_and_reactivate(world: World) -> None:
    admin, clerk = _admin(world), _user(world, "clerk")
    token = issue_token(clerk)
    client = world.client("clerk")
    assert set_active(admin, clerk, False) is True
    event = _last("user.deactivated")
    assert (event.actor, event.object_id, event.detail) == (admin, str(clerk.pk), {"username": "clerk"})
    assert client.get("/").status_code == 302  # the open session ends
    assert not Client().login(username="clerk", password=PASSWORD) and user_of_token(token) is None
    assert User.objects.filter(pk=clerk.pk).exists()  # never deleted: the audit log keeps its actor
    count = AuditEvent.objects.count()
    assert set_active(admin, clerk, False) is False and AuditEvent.objects.count() == count
    assert set_active(admin, clerk, True) is True and _last("user.reactivated").actor == admin
    assert Client().login(username="clerk", password=PASSWORD)


def test_an_admin_cannot_deactivate_themself(world: World) -> None:
    admin = _admin(world)
    found = _refused(lambda: set_active(admin, admin, False))
    assert found[""][0].startswith("you cannot deactivate your own account")
    assert any("last active national admin" in p for p in found[""])  # the only admin: both reasons
    add_user("admin2", PASSWORD, "admin")
    assert len(_refused(lambda: set_active(admin, admin, False))[""]) == 1


def test_reset_password(world: World) -> None:
    admin, clerk = _admin(world), _user(world, "clerk")
    password = reset_password(admin, clerk)
    clerk.refresh_from_db()
    assert clerk.check_password(password) and len(password) == 14
    event = _last("user.password_set")
    assert event.actor == admin and event.detail == {"username": "clerk", "generated": True}
    assert reset_password(admin, clerk, NEW_PASSWORD) == NEW_PASSWORD
    assert _last("user.password_set").detail["generated"] is False
    assert set(_refused(lambda: reset_password(admin, clerk, "short"))) == {"password"}
    with pytest.raises(PermissionDenied):
        reset_password(_user(world, "overseer"), clerk)


# --- agencies ------------------------------------------------------------------------------------------


def test_an_admin_adds_an_agency_as_addagency_does(world: World) -> None:
    agency = create_agency(
        _admin(world),
        AgencyFields(name=" เทศบาลตำบลนาทวี ", type="ทต.", province="จ.สงขลา", district="นาทวี", code="ABC-1"),
    )
    assert (agency.name, agency.type, agency.province, agency.code) == (
        "เทศบาลตำบลนาทวี",
        "เทศบาลตำบล",
        "สงขลา",
        "ABC-1",
    )
    event = _last("agency.added")
    assert (event.actor, event.agency) == (_admin(world), agency)
    assert event.detail == {"name": "เทศบาลตำบลนาทวี", "province": "สงขลา"}
    bare = create_agency(_admin(world), AgencyFields(name="หน่วยงานไม่มีรหัส", province="สงขลา"))
    assert bare.code is None and bare.type == ""


@pytest.mark.parametrize(
    ("fields", "wrong"),
    [
        (AgencyFields(name="", province="สงขลา"), {"name"}),
        (AgencyFields(name="ก", type="ร้านค้า", province="สงขลา"), {"type"}),
        (AgencyFields(name="ก"), {"province"}),
        (AgencyFields(name="ก", province="แอตแลนติส"), {"province"}),
        (AgencyFields(name="ก" * 201, province="สงขลา"), {"name"}),
        (AgencyFields(name="ก", province="สงขลา", code="x" * 51), {"code"}),
        (AgencyFields(name="เทศบาลตำบลโคกม่วง", district="คลองหอยโข่ง", province="สงขลา"), {"name"}),
        (AgencyFields(name="ก", province="สงขลา", code="TAKEN"), {"code"}),
    ],
)
def test_adding_an_agency_refuses_each_mistake_at_its_field(
    world: World, fields: AgencyFields, wrong: set[str]
) -> None:
    Agency.objects.filter(pk=world.b1.pk).update(code="TAKEN")
    assert set(_refused(lambda: create_agency(_admin(world), fields))) == wrong


def test_change_an_agency(world: World) -> None:
    admin = _admin(world)
    fields = AgencyFields(
        name="เทศบาลตำบลทดสอบใหม่", type="เทศบาลตำบล", province="สงขลา", district="หาดใหญ่", code="A2"
    )
    changed = change_agency(admin, world.a2, fields)
    assert changed == {"name": ["เทศบาลตำบลทดสอบ", "เทศบาลตำบลทดสอบใหม่"], "code": ["", "A2"]}
    event = _last("agency.changed")
    assert (event.actor, event.agency, event.detail["changed"]) == (admin, world.a2, changed)
    count = AuditEvent.objects.count()
    assert change_agency(admin, world.a2, fields) == {} and AuditEvent.objects.count() == count
    clash = AgencyFields(name="เทศบาลตำบลโคกม่วง", district="คลองหอยโข่ง", province="สงขลา")
    assert set(_refused(lambda: change_agency(admin, world.a2, clash))) == {"name"}
    with pytest.raises(PermissionDenied):
        change_agency(_user(world, "clerk"), world.a1, fields)


def test_a_type_kept_as_the_command_line_wrote_it_may_stay(world: World) -> None:
    Agency.objects.filter(pk=world.a2.pk).update(type="หน่วยงานพิเศษ", province="")
    world.a2.refresh_from_db()
    fields = AgencyFields(name="เทศบาลตำบลทดสอบ", type="หน่วยงานพิเศษ", district="หาดใหญ่")
    assert change_agency(_admin(world), world.a2, fields) == {}
    assert set(
        _refused(lambda: change_agency(_admin(world), world.a2, AgencyFields(name="x", type="อื่นๆ")))
    ) == {"type"}


def test_the_agency_pages_show_a_refusal_at_its_field(world: World) -> None:
    admin = world.client("admin")
    response = admin.post("/staff/agencies/add/", {"name": "เทศบาลตำบลนาทวี", "province": "แอตแลนติส"})
    page = response.content.decode()
    assert response.status_code == 400 and "ไม่พบจังหวัด" in page and 'value="เทศบาลตำบลนาทวี"' in page
    response = admin.post(
        "/staff/agencies/add/", {"name": "เทศบาลตำบลนาทวี", "province": "สงขลา", "type": "ทต."}
    )
    agency = Agency.objects.get(name="เทศบาลตำบลนาทวี")
    assert response.status_code == 302 and response["Location"] == f"/staff/agencies/{agency.pk}/"
    listed = admin.get("/staff/agencies/", {"province": "สงขลา", "type": "เทศบาลตำบล"}).content.decode()
    assert "เทศบาลตำบลนาทวี" in listed and "เทศบาลตำบลโคกม่วง" in listed and "บึงกาฬ</a>" not in listed
    assert "เทศบาลเมืองบึงกาฬ" not in admin.get("/staff/agencies/", {"q": "โคก"}).content.decode()


# --- the users pages ------------------------------------------------------------------------------------


def test_the_users_list_searches_and_filters(world: World) -> None:
    admin = world.client("admin")
    page = admin.get("/staff/users/").content.decode()
    assert all(f">{name}</a>" in page for name in ("clerk", "executive", "overseer", "admin", "outsider"))
    assert "ผู้จัดทำ" in page and "จังหวัดสงขลา" in page and "ทั้งประเทศ" in page

    def listed(**params: str) -> set[str]:
        text = admin.get("/staff/users/", params).content.decode()
        return {n for n in ("clerk", "executive", "overseer", "admin", "outsider") if f">{n}</a>" in text}

    assert listed(role="clerk") == {"clerk", "outsider"}
    assert listed(province="สงขลา") == {"clerk", "executive", "overseer"}
    assert listed(province="บึงกาฬ", role="clerk") == {"outsider"}
    assert listed(q="exec") == {"executive"}
    set_active(_admin(world), _user(world, "outsider"), False)
    assert listed(active="0") == {"outsider"}


def test_add_a_user_on_the_page_shows_the_one_time_password_once(world: World) -> None:
    admin = world.client("admin")
    form = {
        "username": "newbie",
        "role": "clerk",
        "scope": "agency",
        "agency": str(world.a1.pk),
        "password": "",
    }
    response = admin.post("/staff/users/add/", form)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    [password] = [p for p in page.split('class="secret">')[2:3]]
    password = password.split("<")[0]
    assert Client().login(username="newbie", password=password)
    again = admin.post("/staff/users/add/", form)
    assert again.status_code == 400 and "already taken" in again.content.decode()
    assert password not in again.content.decode()


def test_a_refused_user_form_keeps_what_was_typed_but_never_the_password(world: World) -> None:
    form = {
        "username": "newbie",
        "email": "x@y",
        "role": "overseer",
        "scope": "province",
        "province": "สงขลาา",
        "password": "secret-but-short",
    }
    response = world.client("admin").post("/staff/users/add/", form)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="newbie"' in page and 'value="สงขลาา"' in page and "secret-but-short" not in page
    assert "ไม่พบจังหวัด" in page and "อีเมล x@y ไม่ถูกต้อง" in page


def test_the_user_page_grants_revokes_and_refuses(world: World) -> None:
    admin = world.client("admin")
    clerk = _user(world, "clerk")
    response = admin.post(
        f"/staff/users/{clerk.pk}/grant/", {"role": "overseer", "scope": "province", "province": "บึงกาฬ"}
    )
    assert response.status_code == 302
    followed = admin.get(response["Location"]).content.decode()
    assert "clerk ได้รับสิทธิ์ผู้กำกับติดตาม ขอบเขต จังหวัดบึงกาฬ แล้ว" in followed
    membership = Membership.objects.get(user=clerk, role="overseer")
    assert admin.post(f"/staff/users/{clerk.pk}/revoke/{membership.pk}/").status_code == 302
    other = Membership.objects.get(user=world.users["overseer"])
    assert admin.post(f"/staff/users/{clerk.pk}/revoke/{other.pk}/").status_code == 404  # not the clerk's
    own = Membership.objects.get(user=world.users["admin"])
    refused = admin.post(f"/staff/users/{world.users['admin'].pk}/revoke/{own.pk}/")
    assert refused.status_code == 400 and "ผู้ดูแลระบบระดับประเทศคนสุดท้าย" in refused.content.decode()


def test_the_admin_resets_their_own_password_and_stays_signed_in(world: World) -> None:
    admin = world.client("admin")
    pk = world.users["admin"].pk
    response = admin.post(f"/staff/users/{pk}/password/", {"password": NEW_PASSWORD})
    assert response.status_code == 302
    assert admin.get("/staff/users/").status_code == 200
    assert Client().login(username="admin", password=NEW_PASSWORD)


def test_the_top_bar_can_ask_whether_someone_is_a_national_admin(world: World) -> None:
    from django.template import Context, Template

    shown = Template("{% load staff %}{% if user|national_admin %}admin{% else %}no{% endif %}")
    assert shown.render(Context({"user": world.users["admin"]})) == "admin"
    assert shown.render(Context({"user": world.users["overseer"]})) == "no"


# --- sign-in events ------------------------------------------------------------------------------------


def test_sign_in_and_out_are_recorded_with_the_address(world: World) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert client.post("/login/", {"username": "overseer", "password": PASSWORD}).status_code == 302
    login = _last("auth.login")
    assert (login.actor, login.object_id) == (world.users["overseer"], str(world.users["overseer"].pk))
    assert login.detail == {"username": "overseer", "address": "203.0.113.7", "path": "/login/"}
    client.post("/logout/")
    assert _last("auth.logout").detail == {
        "username": "overseer",
        "address": "203.0.113.7",
        "path": "/logout/",
    }


def test_a_failed_sign_in_is_recorded_without_the_password(world: World) -> None:
    Client().post("/login/", {"username": "clerk", "password": "wrong-password-123"})
    event = _last("auth.login_failed")
    assert event.actor is None and event.agency is None
    assert event.detail == {"username": "clerk", "address": "127.0.0.1", "path": "/login/"}
    assert not AuditEvent.objects.filter(detail__icontains="wrong-password").exists()


def test_failures_then_the_pause_still_work_and_are_recorded(world: World) -> None:
    client = Client()
    for _ in range(5):
        assert client.post("/login/", {"username": "clerk", "password": "wrong"}).status_code == 200
    assert AuditEvent.objects.filter(action="auth.login_failed", detail__username="clerk").count() == 5
    refused = client.post("/login/", {"username": "clerk", "password": PASSWORD})
    assert refused.status_code == 200 and "15 นาที" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_a_refusal_during_the_pause_is_recorded(world: World) -> None:
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": "clerk", "password": "wrong"})
    client.post("/login/", {"username": "clerk", "password": PASSWORD})  # paused: refused
    assert _last("auth.login_throttled").detail == {
        "username": "clerk",
        "address": "127.0.0.1",
        "path": "/login/",
    }
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_the_api_token_pauses_after_repeated_failures_as_the_login_page_does(world: World) -> None:
    api = Client()

    def ask(password: str) -> int:
        body = {"username": "clerk", "password": password}
        return api.post("/api/token", body, content_type="application/json").status_code

    assert [ask("wrong") for _ in range(5)] == [401] * 5
    assert ask(PASSWORD) == 429  # the right password, but paused
    assert _last("auth.login_throttled").detail["path"] == "/api/token"
    page = Client().post("/login/", {"username": "clerk", "password": PASSWORD})
    assert "15 นาที" in page.content.decode()  # the same pause on the login page


def test_a_bad_api_token_request_is_a_failed_sign_in(world: World) -> None:
    response = Client().post(
        "/api/token", {"username": "admin", "password": "nope"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert _last("auth.login_failed").detail["path"] == "/api/token"


def test_logins_made_inside_the_process_are_not_sign_ins(world: World) -> None:
    world.client("clerk").get("/")  # force_login
    assert Client().login(username="clerk", password=PASSWORD)
    assert not Client().login(username="clerk", password="wrong")
    assert not AuditEvent.objects.filter(action__startswith="auth.").exists()


# --- the audit log -------------------------------------------------------------------------------------


def _event(
    action: str,
    *,
    actor: Any = None,
    agency: Agency | None = None,
    at: dt.datetime | None = None,
    **detail: Any,
) -> AuditEvent:
    event = AuditEvent.objects.create(action=action, actor=actor, agency=agency, detail=detail)
    if at is not None:
        AuditEvent.objects.filter(pk=event.pk).update(at=at)  # the test sets the time; pages never do
        event.refresh_from_db()
    return event


BANGKOK = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture
def log(world: World) -> dict[str, AuditEvent]:
    return {
        "a1_old": _event(
            "plan.saved",
            actor=world.users["clerk"],
            agency=world.a1,
            at=dt.datetime(2026, 11, 30, 23, 59, tzinfo=BANGKOK),
        ),
        "a1_new": _event(
            "plan.approved",
            actor=world.users["executive"],
            agency=world.a1,
            at=dt.datetime(2026, 12, 1, 0, 0, tzinfo=BANGKOK),
        ),
        "a2": _event(
            "results.uploaded",
            actor=world.users["admin"],
            agency=world.a2,
            at=dt.datetime(2026, 12, 2, 9, 0, tzinfo=BANGKOK),
        ),
        "b1": _event(
            "plan.saved",
            actor=world.users["outsider"],
            agency=world.b1,
            at=dt.datetime(2026, 12, 3, 9, 0, tzinfo=BANGKOK),
        ),
        "none": _event(
            "user.added",
            actor=world.users["admin"],
            at=dt.datetime(2026, 12, 31, 23, 59, tzinfo=BANGKOK),
            username="x",
        ),
    }


def _ids(user: Any, log: dict[str, AuditEvent], **params: str) -> set[str]:
    """Which events of ``log`` the person sees with the filters ``params``."""
    wanted = read_filter(params)
    assert not wanted.problems
    found = set(filtered(visible_events(user), wanted).values_list("id", flat=True))
    return {key for key, event in log.items() if event.pk in found}


def test_each_person_sees_the_events_of_their_scope(world: World, log: dict[str, AuditEvent]) -> None:
    expected = {
        "clerk": {"a1_old", "a1_new"},
        "executive": {"a1_old", "a1_new"},
        "overseer": {"a1_old", "a1_new", "a2"},
        "outsider": {"b1"},
        "admin": set(log),
    }
    for persona, keys in expected.items():
        assert _ids(world.users[persona], log) == keys, persona
    assert not visible_events(world.users["overseer"]).filter(agency=None).exists()


def test_the_filters_give_exactly_the_events_asked_for(world: World, log: dict[str, AuditEvent]) -> None:
    admin = world.users["admin"]
    assert _ids(admin, log, actor="EXEC") == {"a1_new"}
    assert _ids(admin, log, action="plan.saved") == {"a1_old", "b1"}
    assert _ids(admin, log, action="plan.*") == {"a1_old", "a1_new", "b1"}
    assert _ids(admin, log, agency="โคกม่วง") == {"a1_old", "a1_new"}
    assert _ids(admin, log, agency_id=str(world.a2.pk)) == {"a2"}
    # Buddhist-era days of Bangkok, both ends included
    assert _ids(admin, log, since="1/12/2569", until="2/12/2569") == {"a1_new", "a2"}
    assert _ids(admin, log, until="30 พ.ย. 2569") == {"a1_old"}
    assert _ids(admin, log, since="๓๑/๑๒/๒๕๖๙") == {"none"}
    assert _ids(world.users["clerk"], log, action="plan.saved") == {"a1_old"}


def test_ids_no_key_can_hold_are_ignored(world: World, log: dict[str, AuditEvent]) -> None:
    huge = "9" * 30
    for params in ({"agency_id": huge}, {"before": huge}, {"after": "9" * 5000}, {"agency_id": "-1"}):
        assert world.client("admin").get("/staff/audit/", params).status_code == 200
    assert world.client("admin").get(f"/staff/users/{huge}/").status_code == 404


def test_a_date_that_cannot_be_read_is_shown_at_its_field(world: World, log: dict[str, AuditEvent]) -> None:
    assert [p.field for p in read_filter({"since": "31/2/2569"}).problems] == ["since"]
    assert [p.field for p in read_filter({"since": "2/12/2569", "until": "1/12/2569"}).problems] == ["until"]
    response = world.client("admin").get("/staff/audit/", {"since": "พรุ่งนี้"})
    assert response.status_code == 400 and 'class="field-error"' in response.content.decode()


def test_the_audit_page_shows_buddhist_era_times_and_thai_words(
    world: World, log: dict[str, AuditEvent]
) -> None:
    page = world.client("clerk").get("/staff/audit/").content.decode()
    assert "1 ธันวาคม 2569 เวลา 00:00 น." in page and "30 พฤศจิกายน 2569 เวลา 23:59 น." in page
    assert "อนุมัติแผน" in page and "บันทึกแผน" in page
    assert "เทศบาลเมืองบึงกาฬ" not in page and "ผู้ใช้งาน</a>" not in page  # no admin tabs for a clerk
    assert "ผู้ใช้งาน</a>" in world.client("admin").get("/staff/audit/").content.decode()


def test_paging_by_id_walks_the_whole_log_exactly(world: World) -> None:
    made = [_event("plan.saved", actor=world.users["clerk"], agency=world.a2, n=i).pk for i in range(120)]
    events = filtered(visible_events(world.users["overseer"]), EventFilter(agency_id=world.a2.pk))
    first = event_page(events)
    assert [e.pk for e in first.events] == made[::-1][:50] and first.newer is None
    second = event_page(events, before=str(first.older))
    assert [e.pk for e in second.events] == made[::-1][50:100]
    third = event_page(events, before=str(second.older))
    assert [e.pk for e in third.events] == made[::-1][100:] and third.older is None
    back = event_page(events, after=str(second.newer))
    assert [e.pk for e in back.events] == made[::-1][:50] and back.newer is None
    assert [e.pk for e in event_page(events, after=str(third.newer)).events] == made[::-1][50:100]


def test_the_audit_page_links_the_pages(world: World) -> None:
    for i in range(55):
        _event("plan.saved", actor=world.users["clerk"], agency=world.a1, n=i)
    client = world.client("clerk")
    page = client.get("/staff/audit/", {"action": "plan.saved"}).content.decode()
    assert page.count("<tr>") == 51  # the heading and 50 events
    older = page.split('href="?')[-1].split('"')[0].replace("&amp;", "&")
    assert "before=" in older and "action=plan.saved" in older
    rest = client.get("/staff/audit/?" + older).content.decode()
    assert rest.count("<tr>") == 1 + 5 and "ใหม่กว่า" in rest


def test_the_csv_export_has_the_filtered_events_of_the_scope(
    world: World, log: dict[str, AuditEvent]
) -> None:
    Agency.objects.filter(pk=world.a1.pk).update(name="=HYPERLINK(1)")
    response = world.client("overseer").get("/staff/audit/export.csv", {"action": "plan.*"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="prongsai-audit-25' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1:]
    assert [r[:7] for r in rows] == [
        [
            "2569-12-01 00:00:00",
            "executive",
            "อนุมัติแผน",
            "plan.approved",
            "'=HYPERLINK(1)",
            str(world.a1.pk),
            "สงขลา",
        ],
        [
            "2569-11-30 23:59:00",
            "clerk",
            "บันทึกแผน",
            "plan.saved",
            "'=HYPERLINK(1)",
            str(world.a1.pk),
            "สงขลา",
        ],
    ]
    heading = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert heading[0] == "วันเวลา (พ.ศ.)" and len(heading) == 10
    everything = b"".join(world.client("admin").get("/staff/audit/export.csv").streaming_content).decode()  # type: ignore[attr-defined]
    assert '"{""username"": ""x""}"' in everything


# --- frameworks ----------------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    chosen = tmp_path / "frameworks"
    chosen.mkdir()  # the server's folder exists (a named folder that does not is refused by the core)
    use_framework_folder(chosen)
    yield chosen
    use_framework_folder(None)
    reload_frameworks()


def test_the_frameworks_page_lists_every_year_and_which_are_provisional(world: World) -> None:
    page = world.client("admin").get("/staff/frameworks/").content.decode()
    for year, framework in load_frameworks().items():
        assert f"<strong>{year}</strong>" in page
        assert f'href="/staff/frameworks/{year}.xlsx"' in page
        row = page.split(f"<strong>{year}</strong>")[1].split("</tr>")[0]
        assert ("ฉบับเบื้องต้น" in row) == framework.provisional
        assert f'<td class="num">{len(framework.items)}</td>' in row
    assert 2569 in load_frameworks() and load_frameworks()[2569].provisional
    assert "PRONGSAI_FRAMEWORKS" in page  # no folder: the page says how to get one


def test_a_year_downloads_as_the_workbook_the_core_exports(world: World) -> None:
    response = world.client("admin").get("/staff/frameworks/2568.xlsx")
    assert response.status_code == 200
    assert 'filename="prongsai-framework-ita-2568.xlsx"' in response["Content-Disposition"]
    got = load_workbook(io.BytesIO(response.content))
    core = load_workbook(io.BytesIO(framework_workbook(load_frameworks()[2568])))
    assert got.sheetnames == core.sheetnames
    for name in core.sheetnames:
        assert list(got[name].values) == list(core[name].values)
    assert world.client("admin").get("/staff/frameworks/2400.xlsx").status_code == 404


def _workbook(data: bytes, name: str = "ita-2570.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_a_new_year_is_checked_stored_and_used_after_a_restart(world: World, folder: Path) -> None:
    data = edit_into_2570(framework_workbook(bundled_frameworks()[2569]))
    admin = world.client("admin")
    response = admin.post("/staff/frameworks/upload/", {"file": _workbook(data)})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (folder / "ita-2570.yaml").is_file()
    event = _last("framework.stored")
    assert event.actor == world.users["admin"]
    assert event.detail == {
        "ita_year": 2570,
        "file": "ita-2570.xlsx",
        "stored_as": "ita-2570.yaml",
        "replaced": False,
        "instead_of_bundled": False,
        "status": "provisional",
        "items": 51,
    }
    page = admin.get("/staff/frameworks/").content.decode()
    assert "รอเริ่มระบบใหม่" in page and "ita-2570.yaml" in page and "<strong>2570</strong>" not in page
    reload_frameworks()  # what a restart does
    page = admin.get("/staff/frameworks/").content.decode()
    assert "ใช้อยู่" in page and "<strong>2570</strong>" in page


def test_a_workbook_with_problems_is_refused_at_its_cells(world: World, folder: Path) -> None:
    book = load_workbook(io.BytesIO(edit_into_2570(framework_workbook(bundled_frameworks()[2569]))))
    rules = next(ws for ws in book.worksheets if ws.title.endswith("(rules)"))
    keys = [c.value for c in rules[2]]
    for row in range(3, rules.max_row + 1):
        if rules.cell(row, keys.index("rule") + 1).value == "pass_mark":
            rules.cell(row, keys.index("value") + 1).value = "แปดสิบห้า"
    buffer = io.BytesIO()
    book.save(buffer)
    before = _state()
    response = world.client("admin").post("/staff/frameworks/upload/", {"file": _workbook(buffer.getvalue())})
    page = response.content.decode()
    assert response.status_code == 400 and "แปดสิบห้า" in page and "แถว" in page and "row" in page
    assert _state() == before and not any(folder.iterdir())


@pytest.mark.parametrize(
    ("upload", "says"),
    [
        (None, "no framework workbook was chosen"),
        (SimpleUploadedFile("notes.txt", b"hello"), "is not an Excel workbook"),
        (SimpleUploadedFile("fake.xlsx", b"not a zip at all"), "fake.xlsx"),
    ],
)
def test_a_wrong_upload_is_refused(
    world: World, folder: Path, upload: SimpleUploadedFile | None, says: str
) -> None:
    before = _state()
    found = _refused(lambda: store_framework(_admin(world), upload))
    assert any(says in p for p in found["file"]), found
    assert _state() == before and not any(folder.iterdir())


def test_a_large_upload_and_no_folder_are_refused(world: World, settings: Any) -> None:
    settings.UPLOAD_LIMIT = 10
    assert (
        "no frameworks folder is set"
        in _refused(lambda: store_framework(_admin(world), _workbook(b"x" * 11)))["file"][0]
    )
    use_framework_folder(Path("/nonexistent-for-test"))
    try:
        assert (
            "more than the 10 bytes"
            in _refused(lambda: store_framework(_admin(world), _workbook(b"x" * 11)))["file"][0]
        )
    finally:
        use_framework_folder(None)
    with pytest.raises(PermissionDenied):
        store_framework(_user(world, "overseer"), None)
