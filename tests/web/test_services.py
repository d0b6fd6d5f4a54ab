"""Every write goes through a service: one transaction, a permission check, one audit event per change."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404

from prongsai_web.access import Action, agencies, can
from prongsai_web.accounts.models import ApiToken, Membership
from prongsai_web.accounts.services import add_user, issue_token, token_digest, user_of_token
from prongsai_web.audit.models import AuditEvent
from prongsai_web.audit.services import record
from prongsai_web.plans.models import Plan
from prongsai_web.plans.services import StalePlan, current_plan, save_plan
from prongsai_web.results.models import ResultSet
from prongsai_web.results.services import upload_results
from tests.web.conftest import KHOK_MUANG, World


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile(KHOK_MUANG.name, KHOK_MUANG.read_bytes())


def test_an_upload_replaces_the_year_and_says_so(world: World) -> None:
    clerk = world.users["clerk"]
    start = AuditEvent.objects.count()
    [saved] = upload_results(clerk, world.a1, _upload())
    assert ResultSet.objects.filter(agency=world.a1).count() == 1
    event = AuditEvent.objects.get(id__gt=AuditEvent.objects.order_by("id")[start - 1].id)
    assert (event.action, event.actor, event.agency) == ("results.replaced", clerk, world.a1)
    assert event.detail == {"ita_year": 2567, "overall": 92.13, "level": saved.level, "file": KHOK_MUANG.name}
    assert event.object_type == "results.resultset" and event.object_id == str(saved.pk)


def test_a_first_upload_is_an_upload(world: World) -> None:
    ResultSet.objects.filter(agency=world.a1).delete()
    upload_results(world.users["admin"], world.a1, _upload())
    assert AuditEvent.objects.order_by("-id").first().action == "results.uploaded"  # type: ignore[union-attr]


@pytest.mark.parametrize(("persona", "refusal"), [("executive", PermissionDenied), ("outsider", Http404)])
def test_a_refused_upload_writes_nothing(world: World, persona: str, refusal: type[Exception]) -> None:
    before = (AuditEvent.objects.count(), list(ResultSet.objects.values_list("uploaded_at", flat=True)))
    with pytest.raises(refusal):
        upload_results(world.users[persona], world.a1, _upload())
    assert (
        AuditEvent.objects.count(),
        list(ResultSet.objects.values_list("uploaded_at", flat=True)),
    ) == before


def test_drafting_and_saving_a_plan_are_audited(world: World) -> None:
    clerk = world.users["clerk"]
    state = current_plan(clerk, world.a1, 2567)
    assert state.version == 1
    drafted = AuditEvent.objects.order_by("-id")[0]
    assert (drafted.action, drafted.detail["version"]) == ("plan.drafted", 1)
    saved = save_plan(clerk, world.a1, 2567, state.plan, 1)
    assert saved.version == 2
    event = AuditEvent.objects.order_by("-id")[0]
    assert (event.action, event.actor, event.detail["version"]) == ("plan.saved", clerk, 2)
    with pytest.raises(StalePlan):
        save_plan(clerk, world.a1, 2567, state.plan, 1)
    assert AuditEvent.objects.order_by("-id")[0].pk == event.pk
    assert Plan.objects.get(agency=world.a1).version == 2


def test_a_reader_sees_a_draft_without_saving_it(world: World) -> None:
    before = AuditEvent.objects.count()
    state = current_plan(world.users["overseer"], world.a1, 2567)
    assert state.version == 0 and state.plan.measures
    assert not Plan.objects.exists() and AuditEvent.objects.count() == before


def test_adding_a_user_grants_one_membership_and_is_audited(world: World) -> None:
    user = add_user("p2", "secret-password", "overseer", department="กรมส่งเสริมการปกครองท้องถิ่น")
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.scope) == ("overseer", "department")
    actions = list(AuditEvent.objects.order_by("-id").values_list("action", flat=True)[:2])
    assert actions == ["membership.granted", "user.added"]
    with pytest.raises(ValueError):
        add_user("c2", "secret-password", "clerk", province="สงขลา")


def test_tokens_are_stored_as_digests_only(world: World) -> None:
    token = issue_token(world.users["clerk"])
    stored = ApiToken.objects.get(user=world.users["clerk"])
    assert stored.digest == token_digest(token) and token not in stored.digest
    assert user_of_token(token) == world.users["clerk"]
    assert user_of_token(token + "x") is None


def test_audit_events_are_append_only(world: World) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    event.action = "changed"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_an_audit_event_is_written_inside_the_change_s_transaction_only(world: World) -> None:
    # pytest-django wraps each test in a transaction; leave it to see the refusal
    with transaction.atomic():
        record(None, "test.inside")
    assert AuditEvent.objects.filter(action="test.inside").exists()


def test_the_scope_algebra(world: World) -> None:
    overseer, executive, admin = (world.users[p] for p in ("overseer", "executive", "admin"))
    assert set(agencies(overseer)) == {world.a1, world.a2}
    assert not can(overseer, Action.EDIT, world.a1)
    assert can(executive, Action.APPROVE, world.a1) and not can(executive, Action.EDIT, world.a1)
    assert can(admin, Action.EDIT, world.b1)
    world.users["clerk"].is_active = False
    assert not agencies(world.users["clerk"]).exists()


def test_a_national_membership_is_never_narrowed_by_another(world: World) -> None:
    """An admin of the whole country who is also an overseer of one province still sees every
    agency (a national scope is Q(), and Q() | Q(province=...) would be the province alone)."""
    admin = world.users["admin"]
    Membership.objects.create(user=admin, role="overseer", scope="province", province="สงขลา")
    assert set(agencies(admin)) == {world.a1, world.a2, world.b1}
    assert can(admin, Action.EDIT, world.b1)
