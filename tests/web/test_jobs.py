"""Documents as background jobs: the request through the API, the task on django-tasks-db run by the
worker loop in this process, the retry rule and the reaper (as pure rules and as real runs), the
download in and out of scope, and one end-to-end run of `prongsai web worker` on a real data folder."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from prongsai.errors import InputError
from prongsai.problems import Location, error
from prongsai_web.audit.models import AuditEvent
from prongsai_web.jobs import services
from prongsai_web.jobs.models import RenderJob, Status
from prongsai_web.jobs.services import backoff, is_stale, reap, retry_after
from prongsai_web.jobs.worker import run_worker
from tests.web.conftest import World

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


# The worker loop closes database connections between tasks, as a long-running worker must
# (close_old_connections); inside a test's transaction that would close the test's own connection
# on PostgreSQL, so the tests that run it in-process commit as they go.
IN_PROCESS_WORKER = pytest.mark.django_db(transaction=True)


def _ask(world: World, persona: str = "clerk", **body: Any) -> Any:
    return world.api(persona).post(
        f"/api/agencies/{world.a1.pk}/years/2567/documents",
        {"format": "docx", **body},
        content_type="application/json",
    )


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        return docx.read("word/document.xml").decode("utf-8")


# --- the rules --------------------------------------------------------------------------------


def test_backoff_doubles_from_two_minutes() -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [dt.timedelta(minutes=m) for m in (2, 4, 8)]


def test_retry_rule() -> None:
    assert retry_after(1, permanent=False, max_attempts=3) == dt.timedelta(minutes=2)
    assert retry_after(2, permanent=False, max_attempts=3) == dt.timedelta(minutes=4)
    assert retry_after(3, permanent=False, max_attempts=3) is None  # out of runs: failed
    assert retry_after(1, permanent=True, max_attempts=3) is None  # the input is wrong: failed at once


def test_stale_rule() -> None:
    now = timezone.now()
    ten = dt.timedelta(minutes=10)
    assert is_stale(Status.RUNNING, now - dt.timedelta(minutes=11), now, ten)
    assert not is_stale(Status.RUNNING, now - dt.timedelta(minutes=9), now, ten)
    assert not is_stale(Status.QUEUED, now - dt.timedelta(hours=1), now, ten)
    assert not is_stale(Status.DONE, now - dt.timedelta(hours=1), now, ten)
    assert not is_stale(Status.RUNNING, None, now, ten)


# --- request, run, download -------------------------------------------------------------------


def test_request_queues_a_job_and_its_task_together(world: World) -> None:
    response = _ask(world, layout="summary")
    assert response.status_code == 202, response.content
    job = RenderJob.objects.get(pk=response.json()["job"])
    assert (job.status, job.fmt, job.layout, job.plan_version, job.attempts) == (
        "queued",
        "docx",
        "summary",
        1,
        0,
    )
    assert job.requested_by == world.users["clerk"]
    task = DBTaskResult.objects.get(id=job.task_id)
    assert (task.status, task.queue_name, task.args_kwargs["args"]) == ("READY", "interactive", [job.pk])
    assert AuditEvent.objects.filter(action="document.requested", object_id=str(job.pk)).count() == 1
    status = world.api("overseer").get(f"/api/jobs/{job.pk}").json()
    assert (status["status"], status["url"]) == ("queued", None)


def test_a_rolled_back_request_leaves_no_task(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        services.request_document(world.users["clerk"], world.a1, 2567, "docx")  # type: ignore[arg-type]
    assert not RenderJob.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_bad_format_and_layout_are_400_with_nothing_written(world: World) -> None:
    clerk = world.api("clerk")
    before = AuditEvent.objects.count()
    response = clerk.post(
        f"/api/agencies/{world.a1.pk}/years/2567/documents",
        {"format": "odt", "layout": "poster"},
        content_type="application/json",
    )
    assert response.status_code == 400
    fields = [e["location"]["field"] for e in response.json()["errors"]]
    assert fields == ["format", "layout"]
    assert "docx" in response.json()["errors"][0]["th"]
    assert not RenderJob.objects.exists() and AuditEvent.objects.count() == before
    assert _ask(world, format="docx").status_code == 202
    missing = world.api("clerk").post(
        f"/api/agencies/{world.a1.pk}/years/2560/documents",
        {"format": "docx"},
        content_type="application/json",
    )
    assert missing.status_code == 404


@IN_PROCESS_WORKER
def test_worker_makes_the_docx_and_it_downloads_only_in_scope(world: World) -> None:
    job_id = _ask(world).json()["job"]
    assert run_worker("interactive", batch=True, name="test-1") == 1
    job = RenderJob.objects.get(pk=job_id)
    assert (job.status, job.attempts, job.error_en) == ("done", 1, "")
    assert job.started_at is not None and job.finished_at is not None
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    status = world.api("clerk").get(f"/api/jobs/{job_id}").json()
    assert status["status"] == "done" and status["url"] == f"/api/jobs/{job_id}/file"
    download = world.api("overseer").get(status["url"])
    assert download.status_code == 200
    data = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert data[:2] == b"PK" and "เทศบาลตำบลโคกม่วง" in _docx_text(data)
    assert "filename*=utf-8''" in download["Content-Disposition"]
    assert world.client("executive").get(status["url"]).status_code == 200  # a signed-in page's link
    for persona, expected in (("outsider", 404), ("anonymous", 401)):
        assert world.api(persona).get(status["url"]).status_code == expected
        assert world.api(persona).get(f"/api/jobs/{job_id}").status_code == expected
    assert world.client("outsider").get(status["url"]).status_code == 404
    assert AuditEvent.objects.filter(action="document.made", object_id=str(job_id)).exists()


@IN_PROCESS_WORKER
def test_the_document_is_of_the_plan_version_asked_for(world: World) -> None:
    plan = world.api("clerk").get(f"/api/agencies/{world.a1.pk}/years/2567/plan").json()
    first = _ask(world, format="html").json()["job"]
    plan["measures"][0]["title"] = "มาตรการที่แก้ไขแล้วหลังขอเอกสาร"
    saved = world.api("clerk").put(
        f"/api/agencies/{world.a1.pk}/years/2567/plan", plan, content_type="application/json"
    )
    assert saved.status_code == 200, saved.content
    second = _ask(world, format="html").json()["job"]
    run_worker(batch=True)
    old, new = RenderJob.objects.get(pk=first), RenderJob.objects.get(pk=second)
    assert (old.plan_version, new.plan_version) == (1, 2)
    assert "มาตรการที่แก้ไขแล้วหลังขอเอกสาร" not in old.output.read().decode("utf-8")
    assert "มาตรการที่แก้ไขแล้วหลังขอเอกสาร" in new.output.read().decode("utf-8")


def test_a_page_that_is_not_made_yet_does_not_download(world: World) -> None:
    job_id = _ask(world).json()["job"]
    assert world.api("clerk").get(f"/api/jobs/{job_id}/file").status_code == 404


# --- retries and the reaper, as real runs -----------------------------------------------------


def _make_ready(job: RenderJob) -> None:
    DBTaskResult.objects.filter(id=job.task_id).update(run_after=timezone.now())


@IN_PROCESS_WORKER
def test_a_failing_run_is_retried_with_backoff_then_fails(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def chromium_crash(job: RenderJob) -> Any:
        raise RuntimeError("Chromium exited")

    monkeypatch.setattr(services, "render", chromium_crash)
    job = RenderJob.objects.get(pk=_ask(world, format="pdf").json()["job"])
    first_task = job.task_id
    run_worker(batch=True)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("queued", 1)
    assert "Chromium exited" in job.error_en and job.error_th.startswith("ทำเอกสารไม่สำเร็จ")
    retry = DBTaskResult.objects.get(id=job.task_id)
    assert job.task_id != first_task and retry.status == "READY"
    wait = retry.run_after - timezone.now()
    assert dt.timedelta(minutes=1, seconds=50) < wait <= dt.timedelta(minutes=2)
    assert run_worker(batch=True) == 0  # not before its time
    for attempts, status in ((2, "queued"), (3, "failed")):
        _make_ready(job)
        run_worker(batch=True)
        job.refresh_from_db()
        assert (job.attempts, job.status) == (attempts, status)
    assert job.finished_at is not None and world.api("clerk").get(f"/api/jobs/{job.pk}").json()["error"]["en"]
    assert AuditEvent.objects.filter(action="document.failed", object_id=str(job.pk)).count() == 1


@IN_PROCESS_WORKER
def test_a_wrong_input_fails_at_once(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def wrong(job: RenderJob) -> Any:
        raise InputError([error("agency_not_in_file", Location(file="plan.yaml"), agency="x", choices="y")])

    monkeypatch.setattr(services, "render", wrong)
    job_id = _ask(world).json()["job"]
    run_worker(batch=True)
    job = RenderJob.objects.get(pk=job_id)
    assert (job.status, job.attempts) == ("failed", 1)
    assert job.error_th and job.error_en


@IN_PROCESS_WORKER
def test_the_reaper_requeues_a_run_whose_worker_died(world: World) -> None:
    job = RenderJob.objects.get(pk=_ask(world).json()["job"])
    # what a worker killed mid-run leaves: the job running, its task row RUNNING for ever
    started = timezone.now() - dt.timedelta(minutes=11)
    RenderJob.objects.filter(pk=job.pk).update(status="running", attempts=1, started_at=started)
    DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING", started_at=started)
    dead_task = job.task_id
    assert run_worker(batch=True) == 1  # the reaper's pass comes first, then the task it queued
    job.refresh_from_db()
    assert DBTaskResult.objects.get(id=dead_task).status == "FAILED"
    assert (job.status, job.attempts) == ("done", 2)  # queued again, then made by the same pass
    assert AuditEvent.objects.filter(action="document.requeued", object_id=str(job.pk)).exists()
    assert job.output.read()[:2].decode() == "PK"


def test_the_reaper_leaves_fresh_runs_and_fails_the_last_attempt(world: World) -> None:
    fresh = RenderJob.objects.get(pk=_ask(world).json()["job"])
    spent = RenderJob.objects.get(pk=_ask(world).json()["job"])
    now = timezone.now()
    RenderJob.objects.filter(pk=fresh.pk).update(status="running", attempts=1, started_at=now)
    RenderJob.objects.filter(pk=spent.pk).update(
        status="running", attempts=3, started_at=now - dt.timedelta(hours=1)
    )
    assert reap(now) == [spent.pk]
    fresh.refresh_from_db()
    spent.refresh_from_db()
    assert fresh.status == "running"
    assert spent.status == "failed" and "every attempt" in spent.error_en


# --- end to end: `prongsai web worker` on a real data folder -----------------------------------


def test_web_worker_command_makes_a_queued_docx(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PRONGSAI_DATA")}
    env["DJANGO_SETTINGS_MODULE"] = "prongsai_web.settings"
    prongsai = [str(Path(sys.executable).parent / "prongsai")]
    subprocess.run(
        [*prongsai, "web", "init", "--demo", "--data", str(data)], env=env, check=True, capture_output=True
    )
    ask = (
        "import django; django.setup()\n"
        "from django.contrib.auth.models import User\n"
        "from prongsai_web.accounts.models import Membership\n"
        "from prongsai_web.jobs.services import request_document\n"
        "clerk = User.objects.get(username='demo-clerk')\n"
        "agency = Membership.objects.get(user=clerk).agency\n"
        "year = agency.result_sets.order_by('-ita_year').first().ita_year\n"
        "print(request_document(clerk, agency, year, 'docx').pk, agency.name)\n"
    )
    env["PRONGSAI_DATA"] = str(data)
    asked = subprocess.run([sys.executable, "-c", ask], env=env, check=True, capture_output=True, text=True)
    job_id, name = asked.stdout.strip().split(" ", 1)
    worker = subprocess.run(
        [*prongsai, "web", "worker", "--data", str(data), "--queue", "interactive", "--batch"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert worker.returncode == 0, worker.stderr
    files = list((data / "media" / "documents").rglob("*.docx"))
    assert len(files) == 1 and files[0].name.endswith(f"-{job_id}.docx")
    text = _docx_text(files[0].read_bytes())
    assert name in text


@IN_PROCESS_WORKER
def test_a_pdf_goes_through_the_cores_chromium(world: World) -> None:
    job_id = _ask(world, format="pdf", layout="summary").json()["job"]
    run_worker(batch=True)
    job = RenderJob.objects.get(pk=job_id)
    assert job.status == "done", job.error_en
    assert job.output.read()[:5] == b"%PDF-"
