"""Where the measures stand on a day (progress.py), and `prongsai progress init|status`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from prongsai.cli import progress as cli_progress
from prongsai.planfile import read_plan
from prongsai.planning import Measure, Plan
from prongsai.progress import (
    MeasureProgress,
    Progress,
    Status,
    Update,
    be_iso,
    plan_year_days,
    quarter_end,
    state_of,
    states,
    status_json,
    totals,
)
from prongsai.progressfile import read_progress
from tests.conftest import EXAMPLES, Run, write

PLAN_FILE = EXAMPLES / "seed-000-bueng-phai-2567-plan.yaml"
PROGRESS_FILE = EXAMPLES / "seed-000-bueng-phai-2567-progress.yaml"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return read_plan(PLAN_FILE)


def _measure(plan: Plan, quarters: tuple[int, int]) -> Measure:
    return dataclasses.replace(plan.measures[0], quarters=quarters)


def _update(day: dt.date, status: Status, percent: int | None = None, until: dt.date | None = None) -> Update:
    reason = "เหตุผล" if status in ("postponed", "cancelled") else ""
    return Update(date=day, status=status, percent=percent, reason=reason, until=until)


def _state(measure: Measure, as_of: dt.date, *updates: Update) -> tuple[str, int, dt.date, bool]:
    s = state_of(measure, MeasureProgress(measure.id, updates), 2567, as_of)
    return s.status, s.percent, s.due, s.overdue


# --------------------------------------------------------------------------------------------------
# Due dates and the overdue rule
# --------------------------------------------------------------------------------------------------


def test_plan_year_runs_from_1_october_to_30_september() -> None:
    assert plan_year_days(2567) == (dt.date(2023, 10, 1), dt.date(2024, 9, 30))


@pytest.mark.parametrize(
    ("quarters", "due"),
    [
        ((1, 1), dt.date(2023, 12, 31)),
        ((1, 2), dt.date(2024, 3, 31)),
        ((2, 3), dt.date(2024, 6, 30)),
        ((1, 4), dt.date(2024, 9, 30)),
        ((3, 4), dt.date(2024, 9, 30)),
    ],
)
def test_a_measure_is_due_on_the_last_day_of_its_last_quarter(
    plan: Plan, quarters: tuple[int, int], due: dt.date
) -> None:
    assert quarter_end(2567, quarters[1]) == due
    assert _state(_measure(plan, quarters), due) == ("not_started", 0, due, False)


def test_overdue_from_the_day_after_the_due_day(plan: Plan) -> None:
    measure = _measure(plan, (2, 3))  # due 30 June 2567
    started = _update(dt.date(2024, 1, 10), "in_progress", 40)
    assert _state(measure, dt.date(2024, 6, 30), started)[3] is False
    assert _state(measure, dt.date(2024, 7, 1), started)[3] is True
    assert _state(measure, dt.date(2024, 7, 1))[3] is True  # not started either


def test_done_or_cancelled_is_never_overdue(plan: Plan) -> None:
    measure = _measure(plan, (1, 1))
    late = dt.date(2024, 9, 30)
    assert _state(measure, late, _update(dt.date(2024, 2, 1), "done")) == (
        "done",
        100,
        dt.date(2023, 12, 31),
        False,
    )
    cancelled = _state(
        measure,
        late,
        _update(dt.date(2023, 11, 1), "in_progress", 20),
        _update(dt.date(2023, 11, 20), "cancelled"),
    )
    assert cancelled == ("cancelled", 20, dt.date(2023, 12, 31), False)


def test_a_postponement_with_until_moves_the_due_date(plan: Plan) -> None:
    measure = _measure(plan, (1, 1))  # due 31 December 2566
    moved = _update(dt.date(2023, 12, 20), "postponed", 30, until=dt.date(2024, 3, 31))
    assert _state(measure, dt.date(2024, 3, 31), moved) == ("postponed", 30, dt.date(2024, 3, 31), False)
    assert _state(measure, dt.date(2024, 4, 1), moved)[3] is True
    # before the postponement was written, the plan's date holds
    assert _state(measure, dt.date(2023, 12, 19), moved)[2] == dt.date(2023, 12, 31)
    # a postponement without a new date keeps the plan's due date
    kept = _update(dt.date(2023, 12, 20), "postponed", 30)
    assert _state(measure, dt.date(2024, 1, 1), kept) == ("postponed", 30, dt.date(2023, 12, 31), True)


def test_status_and_percent_as_of_a_day_ignore_later_updates(plan: Plan) -> None:
    measure = _measure(plan, (1, 4))
    updates = (
        _update(dt.date(2023, 12, 26), "in_progress", 30),
        _update(dt.date(2024, 4, 5), "in_progress"),  # no percent said: the last one given stands
        _update(dt.date(2024, 9, 27), "done", 90),
    )
    assert _state(measure, dt.date(2023, 12, 25), *updates)[:2] == ("not_started", 0)
    assert _state(measure, dt.date(2023, 12, 26), *updates)[:2] == ("in_progress", 30)
    assert _state(measure, dt.date(2024, 6, 1), *updates)[:2] == ("in_progress", 30)
    assert _state(measure, dt.date(2024, 9, 27), *updates)[:2] == ("done", 100)


def test_the_example_year_as_of_31_march_and_30_september(plan: Plan) -> None:
    progress, _ = read_progress(PROGRESS_FILE, plan)
    march = totals(states(plan, progress, dt.date(2024, 3, 31)))
    assert march == {
        "measures": 15,
        "not_started": 3,
        "in_progress": 8,
        "done": 4,
        "postponed": 0,
        "cancelled": 0,
        "overdue": 0,
        "average_percent": 48.33,
    }
    end = {s.measure.id: s for s in states(plan, progress, dt.date(2024, 9, 30))}
    assert totals(list(end.values()))["done"] == 12
    assert end["process-simplification"].status == "in_progress" and end["process-simplification"].overdue
    assert end["service-mind-communication-training"].status == "postponed"
    assert not end["service-mind-communication-training"].overdue  # moved to 30 November 2567
    assert end["ethics-role-model-project"].status == "cancelled"
    assert end["multi-channel-dissemination"].budget_used == 21300


def test_status_json_dates_are_buddhist_era(plan: Plan) -> None:
    progress = Progress("เทศบาลตำบลบึงไผ่", 2566, 2567)
    data = status_json(plan, progress, dt.date(2024, 1, 1))
    assert data["as_of"] == "2567-01-01" and be_iso(dt.date(2023, 12, 31)) == "2566-12-31"
    flowchart = next(m for m in data["measures"] if m["id"] == "service-flowchart-display")
    assert flowchart == {
        "id": "service-flowchart-display",
        "title": "จัดทำแผนผังขั้นตอนและระยะเวลาการให้บริการติดไว้ ณ จุดให้บริการทุกจุด",
        "status": "not_started",
        "percent": 0,
        "due": "2566-12-31",
        "overdue": True,
    }
    assert data["totals"]["overdue"] == 2 and data["totals"]["average_percent"] == 0


# --------------------------------------------------------------------------------------------------
# The commands
# --------------------------------------------------------------------------------------------------


def test_init_writes_a_file_that_reads_back(tmp_path: Path, prongsai: Run, plan: Plan) -> None:
    output = tmp_path / "progress.yaml"
    code, out = prongsai("progress", "init", str(PLAN_FILE), "-o", str(output))
    assert code == 0 and "บันทึกไฟล์ผลการดำเนินการ / progress file written" in out and "15 มาตรการ" in out
    progress, warnings = read_progress(output, plan)
    assert warnings == [] and len(progress.measures) == 15


def test_init_refuses_an_existing_file_and_leaves_it_unchanged(tmp_path: Path, prongsai: Run) -> None:
    output = write(tmp_path, "progress.yaml", "# the year's updates\n")
    code, out = prongsai("progress", "init", str(PLAN_FILE), "-o", str(output))
    assert code == 2 and "Traceback" not in out
    assert "ไม่เขียนทับ" in out and "is not overwritten" in out and "history" in out
    assert output.read_text(encoding="utf-8") == "# the year's updates\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.yaml"]


def test_init_refuses_a_bad_plan_or_name_writing_nothing(tmp_path: Path, prongsai: Run) -> None:
    code, out = prongsai("progress", "init", str(PLAN_FILE), "-o", str(tmp_path / "progress.txt"))
    assert code == 2 and ".yaml" in out
    bad = write(tmp_path, "plan.yaml", "schema_version: 1\n")
    code, out = prongsai("progress", "init", str(bad), "-o", str(tmp_path / "p.yaml"))
    assert code == 2 and "Traceback" not in out and not (tmp_path / "p.yaml").exists()


def test_init_then_updates_then_status_json(tmp_path: Path, prongsai: Run) -> None:
    path = tmp_path / "progress.yaml"
    assert prongsai("progress", "init", str(PLAN_FILE), "-o", str(path))[0] == 0
    text = path.read_text(encoding="utf-8")
    flowchart = "  - id: service-flowchart-display\n"
    at = text.index(flowchart)
    end = text.index("    updates: []\n", at)
    text = (
        text[:end]
        + "    updates:\n"
        + "      - date: 15 พฤศจิกายน 2566\n        status: อยู่ระหว่างดำเนินการ\n        percent: 50\n"
        + "      - date: 2566-12-22\n        status: ดำเนินการแล้วเสร็จ\n        budget_used: 4800\n"
        + text[end + len("    updates: []\n") :]
    )
    queue = text.index("    updates: []\n", text.index("  - id: equal-service-queue\n"))
    text = (
        text[:queue]
        + "    updates:\n      - {date: 2566-12-26, status: in_progress, percent: 50}\n"
        + text[queue + 16 :]
    )
    path.write_text(text, encoding="utf-8")
    code, out = prongsai(
        "progress", "status", str(PLAN_FILE), str(path), "--as-of", "๑ เมษายน ๒๕๖๗", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["as_of"] == "2567-04-01"
    by_id = {m["id"]: m for m in data["measures"]}
    assert by_id["service-flowchart-display"]["status"] == "done"
    assert by_id["service-flowchart-display"]["percent"] == 100
    assert by_id["equal-service-queue"] == {
        "id": "equal-service-queue",
        "title": "จัดระบบรับบริการตามลำดับก่อนหลังและให้บริการผู้มาติดต่อทุกคนอย่างเท่าเทียม",
        "status": "in_progress",
        "percent": 50,
        "due": "2567-03-31",
        "overdue": True,
    }
    assert data["totals"]["done"] == 1 and data["totals"]["in_progress"] == 1
    assert data["totals"]["overdue"] == 3  # the queue, and two measures due in December or March not begun


def test_status_text_shows_thai_words_and_totals(prongsai: Run) -> None:
    code, out = prongsai("progress", "status", str(PLAN_FILE), str(PROGRESS_FILE), "--as-of", "2567-09-30")
    assert code == 0
    assert "สถานะการดำเนินการตามมาตรการ ณ วันที่ / where the measures stand on: 30 กันยายน 2567" in out
    assert "รหัส" in out and "กำหนดแล้วเสร็จ" in out
    row = next(line for line in out.splitlines() if line.startswith("process-simplification"))
    assert "อยู่ระหว่างดำเนินการ" in row and "80" in row and "30 มิถุนายน 2567" in row and "เกินกำหนด" in row
    row = next(line for line in out.splitlines() if line.startswith("service-mind-communication-training"))
    assert "เลื่อน" in row and "30 พฤศจิกายน 2567" in row and "เกินกำหนด" not in row
    assert "ดำเนินการแล้วเสร็จ / done: 12" in out and "เกินกำหนด / overdue: 1" in out


def test_status_is_as_of_today_by_default(monkeypatch: pytest.MonkeyPatch, prongsai: Run) -> None:
    monkeypatch.setattr(cli_progress, "_today", lambda: dt.date(2023, 12, 31))
    code, out = prongsai("progress", "status", str(PLAN_FILE), str(PROGRESS_FILE), "--json")
    data = json.loads(out)
    assert code == 0 and data["as_of"] == "2566-12-31"
    assert data["totals"]["done"] == 2 and data["totals"]["overdue"] == 0


def test_status_warnings_go_to_standard_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from prongsai.cli import cli, run

    text = PROGRESS_FILE.read_text(encoding="utf-8").replace(
        "- url: https://www.buengphai.go.th/service/queue-rules", "- file: evidence/queue-rules.pdf"
    )
    path = write(tmp_path, "progress.yaml", text)
    code = run(cli, ["progress", "status", str(PLAN_FILE), str(path), "--as-of", "2567-09-30", "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out)["totals"]["done"] == 12
    assert "[คำเตือน / warning]" in err and "evidence/queue-rules.pdf" in err


def test_a_bad_as_of_is_refused(prongsai: Run) -> None:
    code, out = prongsai("progress", "status", str(PLAN_FILE), str(PROGRESS_FILE), "--as-of", "31/02/2567")
    assert code == 2 and "--as-of" in out and "Traceback" not in out


def test_a_measure_starts_on_the_first_day_of_its_first_quarter() -> None:
    from prongsai.progress import quarter_start

    assert [quarter_start(2567, q) for q in (1, 2, 3, 4)] == [
        dt.date(2023, 10, 1),
        dt.date(2024, 1, 1),
        dt.date(2024, 4, 1),
        dt.date(2024, 7, 1),
    ]
