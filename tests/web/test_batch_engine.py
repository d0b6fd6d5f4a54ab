"""`prongsai report --batch SCORES -o DIR --engine`: the batch's documents made by the job engine's
workers (prongsai_web.batchrun), the same bytes as a batch made here, resumable, a dead worker's
chunk queued again, interrupting withdraws what has not started."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from prongsai import batch
from prongsai.app.results import canonical_data
from prongsai.document.settings import ReportSettings
from prongsai.ingest import read_results
from prongsai_web import batchrun
from prongsai_web.jobs.worker import run_worker
from tests.conftest import Run
from tests.test_batch import AGENCIES, write_scores

pytestmark = pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks


def _worker_pass(_seconds: float) -> None:
    """What a worker on another machine does while the command waits: one pass over the queue."""
    run_worker("batch", batch=True)


def test_the_engine_makes_the_same_documents_as_a_batch_made_here(
    prongsai: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scores = write_scores(tmp_path / "scores.csv")
    here, there = tmp_path / "here", tmp_path / "there"
    assert prongsai("report", "--batch", str(scores), "-o", str(here), "--jobs", "1")[0] == 0
    monkeypatch.setattr(batchrun.time, "sleep", _worker_pass)
    code, printed = prongsai("report", "--batch", str(scores), "-o", str(there), "--engine")
    assert code == 0, printed
    assert "queued for the workers (prongsai web worker), in chunks: 1" in printed
    assert "written: 5" in printed
    assert sorted(p.name for p in there.iterdir()) == sorted(p.name for p in here.iterdir())
    assert len(list(there.iterdir())) == len(AGENCIES)
    for path in here.iterdir():
        assert (there / path.name).read_bytes() == path.read_bytes(), path.name
    assert DBTaskResult.objects.filter(status="SUCCESSFUL", queue_name="batch").count() == 1
    # run again: every file is there, nothing is queued
    code, printed = prongsai("report", "--batch", str(scores), "-o", str(there), "--engine")
    assert code == 0 and "already there (skipped): 5" in printed
    assert DBTaskResult.objects.count() == 1


def test_chunks_carry_every_job_and_the_options_exactly(tmp_path: Path) -> None:
    records, _ = read_results(write_scores(tmp_path / "scores.csv"))
    jobs = batch.jobs(records, tmp_path / "out", "html")
    for job in jobs:
        back = batchrun.job_from_json(batchrun.job_to_json(job))
        assert back.path == job.path and back.results.estimated == job.results.estimated
        assert canonical_data(back.results) == canonical_data(job.results)  # every figure, not where
        assert [canonical_data(h) for h in back.history] == [canonical_data(h) for h in job.history]
    with_history = [j for j in jobs if j.history]
    assert with_history, "โคกม่วง's 2568 document has its 2567 results as history"
    settings = ReportSettings(unit="งานนิติการ สำนักปลัดเทศบาล", date=dt.date(2025, 12, 15))
    options = batch.BatchOptions("pdf", "summary", settings, True, {"legal": "งานนิติการ"}, None)
    assert batchrun.options_from_json(batchrun.options_to_json(options)) == options
    chunks = batchrun.enqueue(jobs, options, size=2)
    assert [len(c.jobs) for c in chunks] == [2, 2, 1]
    assert DBTaskResult.objects.filter(queue_name="batch", status="READY").count() == 3


def _chunk(tmp_path: Path) -> tuple[list[batchrun.Chunk], batch.BatchOptions]:
    records, _ = read_results(write_scores(tmp_path / "scores.csv"))
    options = batch.BatchOptions("html", "summary", ReportSettings())
    return batchrun.enqueue(batch.jobs(records, tmp_path / "out", "html")[:2], options), options


def test_a_failed_task_fails_each_of_its_documents_with_the_reason(tmp_path: Path) -> None:
    chunks, options = _chunk(tmp_path)
    DBTaskResult.objects.filter(id=chunks[0].task_id).update(
        status="FAILED", exception_class_path="builtins.MemoryError", finished_at=timezone.now()
    )
    heard: list[batch.Outcome] = []
    batchrun.follow(chunks, options, heard.append, poll=0)
    assert [o.status for o in heard] == ["failed", "failed"]
    assert heard[0].detail_en == "the task making this chunk of documents failed (MemoryError)"
    assert "ล้มเหลว (MemoryError)" in heard[0].detail_th


def test_a_dead_workers_chunk_is_queued_again_then_given_up(tmp_path: Path) -> None:
    chunks, options = _chunk(tmp_path)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    stale = dt.timedelta(minutes=10)
    seen: list[str] = []

    def die(_seconds: float) -> None:  # every run is taken by a worker that dies at once
        for row in DBTaskResult.objects.filter(status="READY"):
            seen.append(str(row.id))
            DBTaskResult.objects.filter(id=row.id).update(status="RUNNING", started_at=long_ago)

    heard: list[batch.Outcome] = []
    original = batchrun.time.sleep
    batchrun.time.sleep = die  # type: ignore[assignment]
    try:
        die(0)
        batchrun.follow(chunks, options, heard.append, stale_after=stale, max_runs=3)
    finally:
        batchrun.time.sleep = original  # type: ignore[assignment]
    assert len(seen) == 3  # the first run and two more
    assert [o.status for o in heard] == ["failed", "failed"]
    assert heard[0].detail_en == "the worker stopped while making the document on every attempt"
    assert not (tmp_path / "out").exists()


def test_interrupting_withdraws_the_chunks_not_started(
    prongsai: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scores = write_scores(tmp_path / "scores.csv")

    def interrupt(_seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(batchrun.time, "sleep", interrupt)
    code, printed = prongsai("report", "--batch", str(scores), "-o", str(tmp_path / "out"), "--engine")
    assert code != 0
    assert "the chunks not started were withdrawn" in printed and "ถอนงานที่ยังไม่เริ่มแล้ว" in printed
    assert DBTaskResult.objects.count() == 0
    monkeypatch.setattr(batchrun.time, "sleep", _worker_pass)
    code, printed = prongsai("report", "--batch", str(scores), "-o", str(tmp_path / "out"), "--engine")
    assert code == 0 and "written: 5" in printed, printed


@pytest.mark.parametrize("option", [("--engine",), ("--data", "somewhere")])
def test_engine_options_need_a_batch(prongsai: Run, tmp_path: Path, option: tuple[str, ...]) -> None:
    results = Path(__file__).resolve().parents[2] / "examples" / "seed-001-khok-muang-2567.yaml"
    code, printed = prongsai("report", str(results), "-o", str(tmp_path / "a.docx"), *option)
    assert code != 0
    assert f"{option[0]} is used with --batch only" in printed
    assert f"ตัวเลือก {option[0]} ใช้ได้กับ --batch เท่านั้น" in printed
    assert not (tmp_path / "a.docx").exists()


@pytest.mark.slow
def test_workers_in_other_processes_make_the_batch(tmp_path: Path) -> None:
    """Two `prongsai web worker` processes and the command, sharing one data folder (or the
    PostgreSQL of DATABASE_URL): every document made once, the workers stopped cleanly."""
    if os.environ.get("DATABASE_URL"):
        pytest.skip("the processes would share the test's PostgreSQL database under another name")
    prongsai = [sys.executable, "-m", "prongsai"]
    data = tmp_path / "data"
    env = {**os.environ, "PRONGSAI_DATA": str(data)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run([*prongsai, "web", "init", "--data", str(data)], check=True, env=env, capture_output=True)
    workers = [
        subprocess.Popen([*prongsai, "web", "worker", "--data", str(data)], env=env, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    try:
        scores = write_scores(tmp_path / "scores.csv")
        done = subprocess.run(
            [
                *prongsai,
                "report",
                "--batch",
                str(scores),
                "-o",
                str(tmp_path / "out"),
                "--engine",
                "--data",
                str(data),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert "written: 5" in done.stderr
        assert len(list((tmp_path / "out").iterdir())) == len(AGENCIES)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        ended: list[Any] = [w.wait(timeout=60) for w in workers]
    assert ended == [0, 0]
