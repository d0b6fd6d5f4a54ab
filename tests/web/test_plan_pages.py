"""The plan editor and approval pages on the bundled example (เทศบาลตำบลโคกม่วง, ITA 2567)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prongsai.planfile import plan_to_yaml, read_plan
from prongsai_web.audit.models import AuditEvent
from prongsai_web.plans.models import Plan, PlanVersion
from tests.web.conftest import World


def _url(w: World, rest: str = "") -> str:
    return f"/a/{w.a1.pk}/years/2567/plan/{rest}"


def _opened(w: World) -> Plan:
    assert w.client("clerk").get(_url(w)).status_code == 200  # drafts and saves version 1
    return Plan.objects.get(agency=w.a1, ita_year=2567)


def _measure_form(plan_text: str, index: int, **changes: Any) -> dict[str, Any]:
    from prongsai.app.plans import plan_from_text

    m = plan_from_text(plan_text).measures[index]
    form: dict[str, Any] = {
        "kind": m.kind,
        "title": m.title,
        "steps": "\n".join(m.steps),
        "owner": m.owner,
        "co_owners": "\n".join(m.co_owners),
        "q_first": m.quarters[0],
        "q_last": m.quarters[1],
        "timeframe": m.timeframe,
        "follow_up": m.follow_up,
        "output": m.output,
        "target": m.target,
        "budget_amount": "" if m.budget.amount is None else m.budget.amount,
        "budget_source": m.budget.source,
        "legal_basis": list(m.legal_basis),
    }
    return form | changes


def test_the_page_shows_every_measure_grouped(world: World) -> None:
    row = _opened(world)
    page = world.client("overseer").get(_url(world)).content.decode()
    from prongsai.app.plans import plan_from_text

    for m in plan_from_text(row.text).measures:
        assert m.id in page
    assert "ประเด็นที่" in page or "ตัวชี้วัดที่" in page
    assert "แก้ไขมาตรการนี้" not in page  # the overseer reads only


def test_edit_a_measure_validates_saves_and_round_trips(world: World, tmp_path: Path) -> None:
    row = _opened(world)
    clerk = world.client("clerk")
    form = _measure_form(row.text, 0, title="จัดทำคู่มือการเปิดเผยข้อมูล", budget_amount="๒๐,๐๐๐", version=1)
    response = clerk.post(_url(world, "m/0/"), form)
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.version == 2
    assert AuditEvent.objects.filter(action="plan.saved", detail__change="measure_edited").count() == 1
    download = clerk.get(_url(world, "v2.yaml"))
    assert download.status_code == 200
    path = tmp_path / "plan.yaml"
    path.write_bytes(download.content)
    plan = read_plan(path)
    assert plan.measures[0].title == "จัดทำคู่มือการเปิดเผยข้อมูล"
    assert plan.measures[0].budget.amount == 20000
    assert plan_to_yaml(plan) == download.content.decode() == row.text


def test_a_bad_field_is_refused_at_the_field_in_thai_and_english(world: World) -> None:
    row = _opened(world)
    form = _measure_form(row.text, 0, q_first=4, q_last=1, version=1)
    response = world.client("clerk").post(_url(world, "m/0/"), form)
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    row.refresh_from_db()
    assert row.version == 1


def test_a_refused_form_shows_what_was_sent_not_the_stored_measure(world: World) -> None:
    row = _opened(world)
    typed = "จัดทำคู่มือการให้บริการฉบับปรับปรุง"
    form = _measure_form(row.text, 0, title=typed, owner="กองช่าง", q_first=4, q_last=1, version=1)
    page = world.client("clerk").post(_url(world, "m/0/"), form).content.decode()
    measure_form = page[page.index('action="' + _url(world, "m/0/")) :]
    measure_form = measure_form[: measure_form.index("</form>")]
    assert f'value="{typed}"' in measure_form and 'value="กองช่าง"' in measure_form
    assert '<option value="4" selected>' in measure_form.split('name="q_last"')[0]  # first quarter as sent
    row.refresh_from_db()
    assert typed not in row.text  # nothing saved


def test_the_legal_basis_is_shown_by_the_laws_titles(world: World) -> None:
    from prongsai.app.plans import plan_from_text
    from prongsai.catalog.legal import laws

    row = _opened(world)
    cited = [key for m in plan_from_text(row.text).measures for key in m.legal_basis]
    assert cited, "the drafted plan cites laws"
    page = world.client("executive").get(_url(world)).content.decode()
    shown = page.split("ฐานทางกฎหมาย</dt><dd>")[1:]
    assert shown and all(key not in part.split("</dd>")[0] for part in shown for key in cited)
    assert laws()[cited[0]].short in page


def test_a_stale_save_is_refused(world: World) -> None:
    row = _opened(world)
    clerk, admin = world.client("clerk"), world.client("admin")
    assert (
        admin.post(_url(world, "texts/"), {"version": 1, "limitations": "ก", "suggestions": "ข"}).status_code
        == 302
    )
    response = clerk.post(_url(world, "m/0/"), _measure_form(row.text, 0, title="ของฉัน", version=1))
    assert response.status_code == 409
    assert "ฉบับที่ 2" in response.content.decode() and "version 2" in response.content.decode()
    row.refresh_from_db()
    assert row.version == 2 and "ของฉัน" not in row.text


def test_add_move_delete_and_redraft_keeps_edits(world: World) -> None:
    row = _opened(world)
    clerk = world.client("clerk")
    count = len(read_plan_text(row.text).measures)
    assert clerk.post(_url(world, "add/"), {"version": 1, "title": "มาตรการของเราเอง"}).status_code == 302
    assert clerk.post(_url(world, f"m/{count}/move/"), {"version": 2, "direction": "up"}).status_code == 302
    assert clerk.post(_url(world, "m/0/delete/"), {"version": 3}).status_code == 302
    row.refresh_from_db()
    plan = read_plan_text(row.text)
    assert plan.measures[-2].title == "มาตรการของเราเอง" and plan.measures[-2].id == "own-1"
    assert len(plan.measures) == count
    assert clerk.post(_url(world, "redraft/"), {"version": 4}).status_code == 302
    row.refresh_from_db()
    again = read_plan_text(row.text)
    assert [m.id for m in again.measures] == [m.id for m in plan.measures]


def read_plan_text(text: str) -> Any:
    from prongsai.app.plans import plan_from_text

    return plan_from_text(text)


def test_approval_freezes_the_version(world: World) -> None:
    row = _opened(world)
    executive = world.client("executive")
    assert executive.post(_url(world, "approve/"), {"version": 1}).status_code == 302
    approved = PlanVersion.objects.get(plan=row, version=1)
    assert approved.approved_by == world.users["executive"] and approved.approved_at is not None
    frozen = approved.text
    assert executive.post(_url(world, "approve/"), {"version": 1}).status_code == 409  # once
    assert (
        world.client("clerk").post(_url(world, "texts/"), {"version": 1, "limitations": "ใหม่"}).status_code
        == 302
    )
    approved.refresh_from_db()
    assert approved.text == frozen
    assert world.client("clerk").get(_url(world, "v1.yaml")).content.decode() == frozen
    page = world.client("overseer").get(_url(world)).content.decode()
    assert "executive" in page and "ยังไม่อนุมัติ" in page  # version 2 is a new working version
    assert AuditEvent.objects.filter(action="plan.approved").count() == 1


def test_the_agency_home_shows_the_plan_s_approval_and_the_documents(world: World) -> None:
    row = _opened(world)
    home = f"/a/{world.a1.pk}/"
    page = world.client("clerk").get(home).content.decode()
    assert "ยังไม่ได้รับอนุมัติ" in page and f"/a/{world.a1.pk}/years/2567/documents/" in page
    assert (
        world.client("executive").post(_url(world, "approve/"), {"version": row.version}).status_code == 302
    )
    page = world.client("overseer").get(home).content.decode()
    assert "อนุมัติแล้ว" in page and "ยังไม่ได้รับอนุมัติ" not in page
    assert world.users["executive"].get_username() in page


def test_an_edit_moves_the_plan_s_time_saved(world: World) -> None:
    row = _opened(world)
    first = row.updated_at
    form = _measure_form(row.text, 0, title="จัดทำคู่มือการเปิดเผยข้อมูลฉบับใหม่", version=1)
    assert world.client("clerk").post(_url(world, "m/0/"), form).status_code == 302
    row.refresh_from_db()
    assert row.version == 2 and row.updated_at > first
