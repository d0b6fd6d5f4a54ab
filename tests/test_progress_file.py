"""The progress file: read against its plan, every problem at its line in Thai and English; the file
`progress init` writes reads back."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from prongsai.errors import InputError
from prongsai.planfile import read_plan
from prongsai.planning import Budget, Plan
from prongsai.problems import Problem
from prongsai.progressfile import progress_template, read_progress
from tests.conftest import EXAMPLES, ROOT, Run, write

PLAN_FILE = EXAMPLES / "seed-000-bueng-phai-2567-plan.yaml"
PROGRESS_FILE = EXAMPLES / "seed-000-bueng-phai-2567-progress.yaml"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return read_plan(PLAN_FILE)


# asset-use-guideline: quarters [1, 1], no budget; multi-channel-dissemination: [1, 4], budget not stated
BASE = """\
schema_version: 1
agency: เทศบาลตำบลบึงไผ่
ita_year: 2566
plan_year: 2567
measures:
  - id: asset-use-guideline
    updates:
      - date: 2566-11-30
        status: อยู่ระหว่างดำเนินการ
        percent: 60
"""


def _read(tmp_path: Path, plan: Plan, text: str) -> tuple[list[Problem], list[Problem]]:
    """(errors raised, warnings returned) of a progress file."""
    path = write(tmp_path, "progress.yaml", text)
    try:
        _, warnings = read_progress(path, plan)
    except InputError as exc:
        return exc.problems, []
    return [], warnings


def _one(problems: list[Problem], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, [(p.code, p.location.line, p.message_en) for p in problems]
    return found[0]


def test_the_example_reads_without_a_problem(plan: Plan) -> None:
    progress, warnings = read_progress(PROGRESS_FILE, plan)
    assert warnings == []
    assert (progress.agency, progress.ita_year, progress.plan_year) == ("เทศบาลตำบลบึงไผ่", 2566, 2567)
    assert len(progress.measures) == len(plan.measures) == 15
    dissemination = progress.of("multi-channel-dissemination").updates
    assert [u.date for u in dissemination] == [
        dt.date(2023, 12, 22),
        dt.date(2024, 3, 29),
        dt.date(2024, 6, 27),
        dt.date(2024, 9, 26),
    ]
    assert dissemination[-1].budget_used == 21300  # written "21,300"
    assert dissemination[0].evidence[0].url == "https://www.buengphai.go.th"
    postponed = progress.of("service-mind-communication-training").updates[-1]
    assert postponed.status == "postponed" and postponed.until == dt.date(2024, 11, 30) and postponed.reason
    assert progress.of("ethics-role-model-project").updates[-1].status == "cancelled"


def test_a_measure_without_an_entry_is_not_started_silently(tmp_path: Path, plan: Plan) -> None:
    path = write(tmp_path, "p.yaml", BASE)
    progress, warnings = read_progress(path, plan)
    assert warnings == [] and [m.id for m in progress.measures] == ["asset-use-guideline"]
    assert progress.of("equal-service-queue").updates == ()


def test_init_template_reads_back_with_every_measure(tmp_path: Path, plan: Plan) -> None:
    text = progress_template(plan)
    progress, warnings = read_progress(write(tmp_path, "p.yaml", text), plan)
    assert warnings == []
    assert [m.id for m in progress.measures] == [m.id for m in plan.measures]
    assert all(m.updates == () for m in progress.measures)
    assert text.startswith("# ผลการดำเนินการตามมาตรการ")
    assert "# ระยะเวลาดำเนินการ ตุลาคม 2566 – ธันวาคม 2566 กำหนดแล้วเสร็จภายในวันที่ 31 ธันวาคม 2566" in text
    assert "Never change or delete an earlier update" in text


def test_the_commented_example_update_reads_when_uncommented(tmp_path: Path, plan: Plan) -> None:
    lines = progress_template(plan).splitlines()
    start = next(i for i, line in enumerate(lines) if "#   - date:" in line)
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("    #"))
    uncommented = [line.replace("# ", "", 1) for line in lines[start:end]]
    lines[start:end] = uncommented
    first = next(i for i, line in enumerate(lines) if line == "    updates: []")
    lines[first] = "    updates:"
    progress, warnings = read_progress(write(tmp_path, "p.yaml", "\n".join(lines)), plan)
    update = progress.of(plan.measures[0].id).updates[0]
    assert (update.date, update.status, update.percent) == (dt.date(2024, 1, 15), "in_progress", 40)
    assert len(update.evidence) == 2 and update.problems and update.suggestions and update.note
    # the example's file does not exist, and the first measure of this plan has no budget
    assert {w.code for w in warnings} == {"progress_evidence_missing", "progress_budget_not_planned"}


def test_the_documented_example_reads(tmp_path: Path, plan: Plan) -> None:
    text = (ROOT / "docs" / "progress-format.md").read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    progress, warnings = read_progress(write(tmp_path, "p.yaml", example), plan)
    assert [w.code for w in warnings] == ["progress_evidence_missing"]
    update = progress.of("multi-channel-dissemination").updates[0]
    assert (update.date, update.status, update.percent, update.budget_used) == (
        dt.date(2024, 3, 29),
        "in_progress",
        50,
        6500,
    )


def test_thai_digits_and_thai_dates_are_read(tmp_path: Path, plan: Plan) -> None:
    text = BASE.replace("2566-11-30", "'๓๐ พฤศจิกายน ๒๕๖๖'").replace("percent: 60", "percent: '๖๐%'")
    text = text.replace("ita_year: 2566", "ita_year: '๒๕๖๖'")
    text += "        budget_used: '๑,๒๐๐'\n"
    progress, _ = read_progress(write(tmp_path, "p.yaml", text), plan)
    update = progress.of("asset-use-guideline").updates[0]
    assert (update.date, update.percent, update.budget_used) == (dt.date(2023, 11, 30), 60, 1200)
    text = BASE.replace("2566-11-30", "30 พ.ย. 66").replace("อยู่ระหว่างดำเนินการ", "in_progress")
    progress, _ = read_progress(write(tmp_path, "p.yaml", text), plan)
    assert progress.of("asset-use-guideline").updates[0].status == "in_progress"


# --------------------------------------------------------------------------------------------------
# Errors: each at its line
# --------------------------------------------------------------------------------------------------

TWO_UPDATES = BASE + "      - date: {second}\n        status: {status}\n"


@pytest.mark.parametrize(
    ("text", "code", "line", "says"),
    [
        (BASE.replace("บึงไผ่", "บึงกาฬ"), "progress_agency_mismatch", 2, ["เทศบาลตำบลบึงกาฬ", "เทศบาลตำบลบึงไผ่"]),
        (BASE.replace("ita_year: 2566", "ita_year: 2567"), "progress_ita_year_mismatch", 3, ["2567", "2566"]),
        (
            BASE.replace("plan_year: 2567", "plan_year: 2568"),
            "progress_plan_year_mismatch",
            4,
            ["2568", "2567"],
        ),
        (
            BASE.replace("id: asset-use-guideline", "id: asset-use-guidelines"),
            "progress_measure_unknown",
            6,
            ["asset-use-guidelines", "'asset-use-guideline'", "equal-service-queue"],
        ),
        (
            BASE + "  - id: asset-use-guideline\n    updates: []\n",
            "progress_measure_twice",
            11,
            ["line 6"],
        ),
        (
            BASE.replace("2566-11-30", "2567-10-01"),
            "progress_date_outside_year",
            8,
            ["1 ตุลาคม 2566", "30 กันยายน 2567", "2566-10-01"],
        ),
        (
            BASE.replace("2566-11-30", "2566-09-30"),
            "progress_date_outside_year",
            8,
            ["2567"],
        ),
        (
            TWO_UPDATES.format(second="2566-11-01", status="อยู่ระหว่างดำเนินการ"),
            "progress_updates_out_of_order",
            11,
            ["1 พฤศจิกายน 2566", "30 พฤศจิกายน 2566", "line 8"],
        ),
        (BASE.replace("percent: 60", "percent: 101"), "progress_percent_invalid", 10, ["101", "0 ถึง 100"]),
        (BASE.replace("percent: 60", "percent: 60.5"), "progress_percent_invalid", 10, ["60.5"]),
        (BASE.replace("percent: 60", "percent: -5"), "progress_percent_invalid", 10, ["-5"]),
        (BASE.replace("percent: 60", "percent: หกสิบ"), "progress_percent_invalid", 10, ["หกสิบ"]),
        (
            BASE.replace("status: อยู่ระหว่างดำเนินการ", "status: เสร็จแล้วครับ"),
            "progress_status_unknown",
            9,
            ["ยังไม่ดำเนินการ, อยู่ระหว่างดำเนินการ, ดำเนินการแล้วเสร็จ, เลื่อน, ยกเลิก", "not_started"],
        ),
        (BASE.replace("อยู่ระหว่างดำเนินการ", "เลื่อน"), "progress_reason_missing", 9, ["เลื่อน", "reason"]),
        (BASE.replace("อยู่ระหว่างดำเนินการ", "ยกเลิก"), "progress_reason_missing", 9, ["ยกเลิก", "cancelled"]),
        (BASE + "        until: 2567-01-31\n", "progress_until_not_postponed", 11, ["เลื่อน", "until"]),
        (
            BASE.replace("อยู่ระหว่างดำเนินการ", "เลื่อน")
            + "        reason: รอผลการหารือกับจังหวัด\n        until: 2566-11-01\n",
            "progress_until_before_date",
            12,
            ["1 พฤศจิกายน 2566", "30 พฤศจิกายน 2566"],
        ),
        (
            TWO_UPDATES.format(second="2566-12-20", status="ดำเนินการแล้วเสร็จ")
            + "      - date: 2567-01-10\n        status: อยู่ระหว่างดำเนินการ\n",
            "progress_reopened_without_note",
            14,
            ["ดำเนินการแล้วเสร็จ", "20 ธันวาคม 2566", "note", "line 11"],
        ),
        (
            BASE + "        evidence:\n          - url: https://www.buengphai.go.th/ita\n",
            "progress_evidence_description",
            12,
            ["description"],
        ),
        (
            BASE + "        evidence:\n          - description: ภาพถ่าย\n",
            "progress_evidence_where",
            12,
            ["file", "url"],
        ),
        (
            BASE + "        evidence:\n          - {file: a.pdf, url: 'https://a.go.th', description: ภาพ}\n",
            "progress_evidence_where",
            12,
            ["ทั้งสองอย่าง", "both"],
        ),
        (
            BASE
            + "        evidence:\n          - url: ftp://www.buengphai.go.th/a.pdf\n            description: ภาพ\n",
            "progress_evidence_url",
            12,
            ["ftp://www.buengphai.go.th/a.pdf", "https://"],
        ),
        (
            BASE + "        evidence:\n          - url: www.buengphai.go.th\n            description: ภาพ\n",
            "progress_evidence_url",
            12,
            ["http://"],
        ),
        (BASE + "        budget_used: -500\n", "progress_budget_negative", 11, ["-500"]),
        (BASE.replace("percent: 60", "precent: 60"), "unknown_field", 10, ["precent", "'percent'"]),
        (BASE.replace("        status: อยู่ระหว่างดำเนินการ\n", ""), "missing_field", 8, ["status"]),
        (BASE.replace("2566-11-30", "เมื่อวาน"), "date_unreadable", 8, ["เมื่อวาน"]),
        (BASE.replace("2566-11-30", "31 ก.พ. 2567"), "date_impossible", 8, ["29"]),
        (BASE + "        budget_used: 5,000.50\n", "wrong_type", 11, ["budget_used"]),
        (BASE.replace("schema_version: 1", "schema_version: 2"), "progress_value_not_allowed", 1, ["2"]),
        (
            BASE.replace("    updates:", "    updates: {}\n    x:").split("      - date")[0],
            "wrong_type",
            7,
            [],
        ),
    ],
)
def test_each_error_is_located(
    tmp_path: Path, plan: Plan, text: str, code: str, line: int, says: list[str]
) -> None:
    errors, _ = _read(tmp_path, plan, text)
    problem = _one(errors, code)
    assert problem.location.line == line, (problem.location.line, problem.message_en)
    assert problem.location.file == "progress.yaml"
    shown = problem.describe("th") + problem.describe("en")
    for words in says:
        assert words in shown, (words, shown)


def test_every_error_is_reported_at_once_in_line_order(tmp_path: Path, plan: Plan) -> None:
    text = BASE.replace("plan_year: 2567", "plan_year: 2568").replace("percent: 60", "percent: 160")
    text += "        budget_used: -1\n"
    errors, _ = _read(tmp_path, plan, text)
    assert [(p.code, p.location.line) for p in errors] == [
        ("progress_plan_year_mismatch", 4),
        ("progress_percent_invalid", 10),
        ("progress_budget_negative", 11),
    ]


def test_a_note_lets_a_measure_done_be_reopened(tmp_path: Path, plan: Plan) -> None:
    text = TWO_UPDATES.format(second="2566-12-20", status="ดำเนินการแล้วเสร็จ")
    text += "      - date: 2567-01-10\n        status: อยู่ระหว่างดำเนินการ\n"
    text += "        note: ผู้ตรวจสอบภายในพบว่าบุคลากรลงนามรับทราบไม่ครบ 3 คน\n"
    progress, _ = read_progress(write(tmp_path, "p.yaml", text), plan)
    assert [u.status for u in progress.of("asset-use-guideline").updates] == [
        "in_progress",
        "done",
        "in_progress",
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "progress_empty"),
        ("# only a comment\n", "progress_empty"),
        ("---\n", "progress_empty"),
        (BASE + "---\n" + BASE, "input_several_documents"),
        ("- a\n- b\n", "not_a_mapping"),
    ],
)
def test_a_file_without_one_mapping_is_refused(tmp_path: Path, plan: Plan, text: str, code: str) -> None:
    errors, _ = _read(tmp_path, plan, text)
    assert [p.code for p in errors] == [code]


# --------------------------------------------------------------------------------------------------
# Warnings: returned, the file still used
# --------------------------------------------------------------------------------------------------


def test_a_missing_evidence_file_is_a_warning_naming_path_and_folder(tmp_path: Path, plan: Plan) -> None:
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "announcement.pdf").write_bytes(b"%PDF-1.4")
    text = BASE + (
        "        evidence:\n"
        "          - file: evidence/announcement.pdf\n            description: ประกาศ\n"
        "          - file: evidence/sign-off.pdf\n            description: บัญชีลงนามรับทราบ\n"
    )
    _, warnings = _read(tmp_path, plan, text)
    problem = _one(warnings, "progress_evidence_missing")
    assert problem.severity == "warning" and problem.location.line == 14
    assert "evidence/sign-off.pdf" in problem.message_th and str(tmp_path) in problem.message_en


def test_budget_warnings(tmp_path: Path, plan: Plan) -> None:
    _, warnings = _read(tmp_path, plan, BASE + "        budget_used: 2000\n")
    assert "2,000" in _one(warnings, "progress_budget_not_planned").message_th
    measures = tuple(
        dataclasses.replace(m, budget=Budget(amount=1500)) if m.id == "asset-use-guideline" else m
        for m in plan.measures
    )
    funded = dataclasses.replace(plan, measures=measures)
    _, warnings = _read(tmp_path, funded, BASE + "        budget_used: '2,000'\n")
    over = _one(warnings, "progress_budget_over")
    assert "1,500" in over.message_en and "2,000" in over.message_en and over.location.line == 11
    _, warnings = _read(tmp_path, funded, BASE + "        budget_used: 1500\n")
    assert warnings == []


def test_done_under_100_and_another_title_are_warnings(tmp_path: Path, plan: Plan) -> None:
    text = BASE.replace("อยู่ระหว่างดำเนินการ", "ดำเนินการแล้วเสร็จ").replace(
        "  - id: asset-use-guideline\n", "  - id: asset-use-guideline\n    title: คู่มือการใช้ทรัพย์สิน\n"
    )
    path = write(tmp_path, "p.yaml", text)
    progress, warnings = read_progress(path, plan)
    assert progress.of("asset-use-guideline").updates[0].percent == 60
    assert [(w.code, w.location.line) for w in warnings] == [
        ("progress_title_differs", 7),
        ("progress_done_not_full", 11),
    ]
    assert "ประกาศแนวปฏิบัติการใช้ทรัพย์สินของราชการ" in warnings[0].message_th


# --------------------------------------------------------------------------------------------------
# Through the command line: exit status 2, Thai and English at the line, no traceback
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (("percent: 60", "percent: 160"), 10),
        (("2566-11-30", "2568-01-01"), 8),
        (("อยู่ระหว่างดำเนินการ", "ยกเลิก"), 9),
    ],
)
def test_status_refuses_a_bad_file_with_exit_status_2(
    tmp_path: Path, prongsai: Run, change: tuple[str, str], line: int
) -> None:
    path = write(tmp_path, "progress.yaml", BASE.replace(*change))
    code, output = prongsai("progress", "status", str(PLAN_FILE), str(path), "--as-of", "2567-04-01")
    assert code == 2 and "Traceback" not in output
    assert f"บรรทัด {line}" in output and f"line {line}" in output
    assert "ข้อผิดพลาด / error" in output
