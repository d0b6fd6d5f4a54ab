"""The whole round of a plan year, as a clerk goes through it: a progress file from the plan, updates
appended by hand at three and six months, where the measures stand, the 6-month report, and the
published report read back into a progress file that gives the same statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prongsai.planfile import read_plan
from prongsai.progressfile import read_progress
from tests.conftest import EXAMPLES, Run

PLAN = EXAMPLES / "seed-000-bueng-phai-2567-plan.yaml"

# What the clerk appends under three measures (YAML as typed, Thai digits and a Thai date included)
UPDATES = {
    "service-flowchart-display": """
      - date: ๒๐ ธันวาคม ๒๕๖๖
        status: ดำเนินการแล้วเสร็จ
        done: ติดแผนผังขั้นตอนและระยะเวลาการให้บริการครบทั้ง ๕ จุดบริการ
        evidence:
          - url: https://www.buengphai.go.th/service/flowcharts
            description: ภาพแผนผังขั้นตอนที่ติดไว้ ณ จุดบริการ""",
    "inquiry-response-system": """
      - date: 2567-01-10
        status: อยู่ระหว่างดำเนินการ
        percent: 40
        done: มอบหมายเจ้าหน้าที่ตอบข้อซักถามทางเว็บไซต์และเฟซบุ๊ก
        problems: เจ้าหน้าที่ประชาสัมพันธ์มีเพียงคนเดียว
      - date: 2567-03-20
        status: อยู่ระหว่างดำเนินการ
        percent: 70
        done: กำหนดระยะเวลาตอบกลับภายใน ๓ วันทำการ และประกาศบนเว็บไซต์""",
    "ethics-role-model-project": """
      - date: 2567-02-01
        status: ยกเลิก
        reason: ไม่ได้รับจัดสรรงบประมาณ และรวมไว้กับโครงการอบรมของจังหวัด""",
}


def _append_updates(text: str) -> str:
    """The file as init wrote it, with each measure's 'updates: []' replaced by the clerk's lines."""
    for measure, lines in UPDATES.items():
        start = text.index(f"- id: {measure}")
        at = text.index("updates: []", start)
        text = text[:at] + "updates:" + lines + text[at + len("updates: []") :]
    return text


@pytest.mark.slow
def test_init_edit_status_report_import(tmp_path: Path, prongsai: Run) -> None:
    progress_file = tmp_path / "progress.yaml"
    code, out = prongsai("progress", "init", str(PLAN), "-o", str(progress_file))
    assert code == 0, out
    progress_file.write_text(_append_updates(progress_file.read_text(encoding="utf-8")), encoding="utf-8")

    code, out = prongsai(
        "progress", "status", str(PLAN), str(progress_file), "--as-of", "2567-07-01", "--json"
    )
    assert code == 0, out
    status = json.loads(out[out.index("{") :])
    by_id = {m["id"]: m for m in status["measures"]}
    assert by_id["service-flowchart-display"] | {"title": ""} == {
        "id": "service-flowchart-display",
        "title": "",
        "status": "done",
        "percent": 100,
        "due": "2566-12-31",
        "overdue": False,
    }
    assert by_id["inquiry-response-system"]["status"] == "in_progress"
    assert by_id["inquiry-response-system"]["percent"] == 70
    assert by_id["ethics-role-model-project"]["status"] == "cancelled"
    # measures due by 30 June 2567 and never started are overdue on 1 July; none of those reported
    overdue = {m["id"] for m in status["measures"] if m["overdue"]}
    plan = read_plan(PLAN)
    due_june = {m.id for m in plan.measures if m.quarters[1] <= 3} - set(UPDATES)
    assert overdue == due_june and overdue
    assert status["totals"]["measures"] == 15 and status["totals"]["done"] == 1
    assert status["totals"]["cancelled"] == 1 and status["totals"]["overdue"] == len(due_june)

    report = tmp_path / "report-6.docx"
    code, out = prongsai(
        "progress", "report", str(PLAN), str(progress_file), "--period", "6", "-o", str(report)
    )
    assert code == 0, out

    folder = tmp_path / "imported"
    code, out = prongsai("import", str(report), "--plan", str(PLAN), "-o", str(folder))
    assert code == 0, out
    back, _ = read_progress(folder / "progress.yaml", plan)
    original, _ = read_progress(progress_file, plan)
    for measure in plan.measures:
        then = [u.status for u in original.of(measure.id).updates if u.date.month <= 3 or u.date.year < 2024]
        read = [u.status for u in back.of(measure.id).updates]
        assert read == [then[-1] if then else "not_started"], measure.id
