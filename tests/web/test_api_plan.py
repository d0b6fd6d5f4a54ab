"""The plan through the API: drafted from the results as `prongsai plan` drafts it, saved whole, the
YAML plan file unchanged by the round trip, and a save made from an old version refused (409)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from prongsai.cli import cli, run
from prongsai.planfile import plan_to_yaml, read_plan
from prongsai_web.plans.models import Plan
from tests.web.conftest import KHOK_MUANG, World


def _url(world: World) -> str:
    return f"/api/agencies/{world.a1.pk}/years/2567/plan"


def _put(world: World, persona: str, data: dict[str, Any]) -> Any:
    return world.api(persona).put(_url(world), data, content_type="application/json")


def test_the_draft_is_the_command_line_s_plan_file(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = world.api("clerk").get(_url(world)).json()
    assert data["version"] == 1
    assert run(cli, ["plan", str(KHOK_MUANG), "-o", str(tmp_path / "plan.yaml")]) == 0
    capsys.readouterr()
    assert Plan.objects.get(agency=world.a1).text == (tmp_path / "plan.yaml").read_text(encoding="utf-8")


def test_a_plan_round_trips_unchanged_and_a_stale_save_is_409(world: World, tmp_path: Path) -> None:
    data = world.api("clerk").get(_url(world)).json()
    first_text = Plan.objects.get(agency=world.a1).text
    saved = _put(world, "clerk", data)
    assert saved.status_code == 200 and saved.json()["version"] == 2
    assert Plan.objects.get(agency=world.a1).text == first_text  # nothing edited: the same file

    edited = json.loads(json.dumps(data))
    edited["measures"][0]["title"] = "มาตรการที่แก้ไขแล้ว"
    edited["version"] = 2
    response = _put(world, "clerk", edited)
    assert response.status_code == 200 and response.json()["version"] == 3
    text = Plan.objects.get(agency=world.a1).text
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    core = read_plan(tmp_path / "plan.yaml")
    assert plan_to_yaml(core) == text and core.measures[0].title == "มาตรการที่แก้ไขแล้ว"
    assert response.json() | {"version": 3} == world.api("admin").get(_url(world)).json()

    stale = _put(world, "admin", data | {"version": 2})
    assert stale.status_code == 409
    assert stale.json()["version"] == 3 and "th" in stale.json()
    assert Plan.objects.get(agency=world.a1).text == text


def test_a_broken_plan_is_400_with_located_problems(world: World) -> None:
    data = world.api("clerk").get(_url(world)).json()
    data["measures"][0]["quarters"] = [3, 1]
    data["grouping"] = "nonsense"
    response = _put(world, "clerk", data)
    assert response.status_code == 400
    assert all(p["th"] and p["en"] and "location" in p for p in response.json()["errors"])
    assert Plan.objects.get(agency=world.a1).version == 1
    missing = _put(world, "clerk", {k: v for k, v in data.items() if k != "version"})
    assert missing.status_code == 400


def test_the_analysis_is_the_command_line_s_json(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(cli, ["analyze", str(KHOK_MUANG), "--json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    got = world.api("overseer").get(f"/api/agencies/{world.a1.pk}/years/2567/analysis").json()
    assert got == expected


def test_a_year_without_results_is_404(world: World) -> None:
    assert world.api("clerk").get(f"/api/agencies/{world.a1.pk}/years/2566/analysis").status_code == 404
    assert world.api("clerk").get(f"/api/agencies/{world.a1.pk}/years/2566/plan").status_code == 404


def test_the_openapi_schema_names_every_endpoint(world: World) -> None:
    schema = world.client("anonymous").get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/token",
        "/api/agencies",
        "/api/agencies/{agency_id}/results",
        "/api/agencies/{agency_id}/years/{ita_year}/analysis",
        "/api/agencies/{agency_id}/years/{ita_year}/plan",
    } <= paths


def test_a_token_from_the_password_and_401_on_a_bad_one(world: World) -> None:
    from tests.web.conftest import PASSWORD

    client = world.client("anonymous")
    good = client.post(
        "/api/token", {"username": "clerk", "password": PASSWORD}, content_type="application/json"
    )
    assert good.status_code == 200
    token = good.json()["token"]
    bad = client.post(
        "/api/token", {"username": "clerk", "password": "wrong"}, content_type="application/json"
    )
    assert bad.status_code == 401
    listed = client.get("/api/agencies", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert [a["id"] for a in listed.json()] == [world.a1.pk]
