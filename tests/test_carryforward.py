"""Last year's measures in this year's plan and analysis (carryforward.py, issue 14).

Seed 000 (เทศบาลตำบลบึงไผ่): its ITA 2566 results gave the plan of fiscal year 2567
(examples/seed-000-bueng-phai-2567-plan.yaml), carried out as examples/seed-000-bueng-phai-2567-progress.yaml
records (12 done, 1 in progress, 1 postponed, 1 cancelled); its ITA 2567 results
(examples/bueng-phai-2567-illustrative.yaml, made up on seed 001's model) then show what the measures
achieved, and the plan of 2568 says what becomes of them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from prongsai.app.agency_year import Loaded, load_agency_year
from prongsai.app.plans import drafted_plan, load_last_year
from prongsai.carryforward import carry_forward, carry_unfinished, direction, followed, suggest, summarise
from prongsai.crosswalk import load_crosswalk
from prongsai.document import frame
from prongsai.document.build import build_document
from prongsai.document.parts import ReportInput
from prongsai.errors import InputError
from prongsai.narrative import past_paragraph
from prongsai.planfile import plan_to_yaml, read_plan
from prongsai.planning import Past, PastItem, Plan
from prongsai.progress import MeasureProgress, Progress, Update
from tests.conftest import EXAMPLES, Run, write
from tests.document.reports import SIGNED
from tests.document.test_rubric import FILLER, SOFTWARE_TALK, Built, _found, _judgements_without_numbers

PREVIOUS = EXAMPLES / "seed-000-bueng-phai-2567-plan.yaml"
PROGRESS = EXAMPLES / "seed-000-bueng-phai-2567-progress.yaml"
HISTORY = EXAMPLES / "seed-000-bueng-phai-2566.yaml"
RESULTS = EXAMPLES / "bueng-phai-2567-illustrative.yaml"
SEED = ("--history", str(HISTORY), "--previous", str(PREVIOUS), "--progress", str(PROGRESS))


@pytest.fixture(scope="module")
def loaded() -> Loaded:
    return load_agency_year(RESULTS, (HISTORY,), None)


@pytest.fixture(scope="module")
def past(loaded: Loaded) -> Past:
    found = load_last_year(loaded, PREVIOUS, PROGRESS)
    assert found is not None
    return found.past


def _measure(
    past: Past, measure_id: str
) -> tuple[str, int, str, list[tuple[str, str | None, float | None, float | None]]]:
    m = next(m for m in past.measures if m.id == measure_id)
    return m.status, m.percent, m.suggestion, [(i.code_then, i.code, i.before, i.after) for i in m.items]


# --------------------------------------------------------------------------------------------------
# The records
# --------------------------------------------------------------------------------------------------


def test_one_record_per_measure_of_last_years_plan_with_its_final_status(past: Past) -> None:
    previous = read_plan(PREVIOUS)
    assert (past.plan_year, past.ita_year) == (2567, 2566)
    assert [m.id for m in past.measures] == [m.id for m in previous.measures]
    assert [m.title for m in past.measures] == [m.title for m in previous.measures]
    statuses = {m.id: (m.status, m.percent) for m in past.measures}
    assert statuses["process-simplification"] == ("in_progress", 80)
    assert statuses["service-mind-communication-training"] == ("postponed", 30)
    assert statuses["ethics-role-model-project"] == ("cancelled", 15)
    assert sum(1 for s, _ in statuses.values() if s == "done") == 12


def test_items_are_followed_to_this_years_code_through_the_cross_year_map(past: Past) -> None:
    # 2566 e6 is 2567 e4 (73.50 -> 80.15, still below 85); 2566 o7 has no 2567 counterpart
    assert _measure(past, "multi-channel-dissemination") == (
        "done",
        100,
        "strengthen",
        [("o7", None, 0.0, None), ("e6", "e4", 73.5, 80.15)],
    )
    # 2566 e1 is 2567 e1: 72.91 -> 88.20, passes now
    assert _measure(past, "service-flowchart-display") == ("done", 100, "keep", [("e1", "e1", 72.91, 88.2)])
    # 2566 i21 is 2567 i10 (90.07 -> 83.33: fell below the pass mark)
    assert _measure(past, "asset-use-guideline")[2:] == (
        "strengthen",
        [("i19", None, 88.93, None), ("i21", "i10", 90.07, 83.33), ("i23", None, 96.67, None)],
    )


def test_a_measure_whose_items_have_no_score_this_year_is_judged_by_its_indicator(past: Past) -> None:
    status, _, suggestion, items = _measure(past, "anti-corruption-action-plan")
    assert status == "done" and suggestion == "keep"
    assert items[:2] == [("o37", None, 0.0, None), ("o38", None, 0.0, None)]
    code_then, code, before, after = items[2]
    assert (code_then, code, after) == ("ind10", "ind10", 100.0)
    assert before is not None and round(before, 2) == 76.92  # computed from the 2566 item scores
    # indicator 8 is below 85 in 2567: the measure done needs strengthening
    assert _measure(past, "public-participation-activities")[2] == "strengthen"


def test_indicators_are_followed_by_number(loaded: Loaded) -> None:
    earlier = loaded.earlier[0]
    item = followed("ind2", 2566, loaded.results, earlier, load_crosswalk())
    assert item.code == "ind2" and item.after == pytest.approx(82.87)
    assert item.before == earlier.indicators[2].value
    assert direction(item) == "down"


def test_suggestions() -> None:
    below = (PastItem("e6", "e4", 73.5, 80.15),)
    passing = (PastItem("e1", "e1", 72.91, 88.2), PastItem("o7", None, 0.0, None))
    unknown = (PastItem("o7", None, 0.0, None),)
    assert suggest("cancelled", passing, 85) == "review"
    for status in ("not_started", "in_progress", "postponed"):
        assert suggest(status, below, 85) == "continue"
        assert suggest(status, unknown, 85) == "continue"
    assert suggest("done", below, 85) == "strengthen"
    assert suggest("done", passing, 85) == "keep"
    assert suggest("done", unknown, 85) == "review"
    assert suggest("done", (PastItem("i1", "i1", 80, 84.996),), 85) == "keep"  # 85.00 at two decimals


def test_progress_built_directly(loaded: Loaded) -> None:
    """A measure with no update is not started; a later update counts, as of the plan year's end."""
    previous = read_plan(PREVIOUS)
    day = dt.date(2024, 3, 1)  # 1 March 2567
    progress = Progress(
        "เทศบาลตำบลบึงไผ่",
        2566,
        2567,
        (
            MeasureProgress("service-flowchart-display", (Update(day, "in_progress", 50),)),
            MeasureProgress("equal-service-queue", (Update(day, "done"),)),
        ),
    )
    found = carry_forward(
        previous, progress, loaded.results, loaded.earlier[0], loaded.framework, load_crosswalk()
    )
    by_id = {m.id: m for m in found.measures}
    assert (by_id["service-flowchart-display"].status, by_id["service-flowchart-display"].percent) == (
        "in_progress",
        50,
    )
    assert by_id["service-flowchart-display"].suggestion == "continue"
    assert by_id["anti-corruption-action-plan"].status == "not_started"
    assert by_id["equal-service-queue"].suggestion == "keep"  # ind1 93.17 passes
    summary = summarise(found)
    assert summary.by_status == {
        "not_started": 13,
        "in_progress": 1,
        "done": 1,
        "postponed": 0,
        "cancelled": 0,
    }
    assert sum(summary.by_suggestion.values()) == summary.measures == 15


def test_without_last_years_results_only_this_years_scores_are_known(loaded: Loaded) -> None:
    previous = read_plan(PREVIOUS)
    progress = Progress("เทศบาลตำบลบึงไผ่", 2566, 2567)
    found = carry_forward(previous, progress, loaded.results, None, loaded.framework, load_crosswalk())
    items = [i for m in found.measures for i in m.items]
    assert all(i.before is None for i in items)
    assert {direction(i) for i in items} == {"after_only", "unknown"}


# --------------------------------------------------------------------------------------------------
# The Thai sentences
# --------------------------------------------------------------------------------------------------


def test_the_analysis_paragraph_counts_add_up(loaded: Loaded, past: Past) -> None:
    text = past_paragraph(loaded.framework, loaded.results, past, 2568).text
    assert text.startswith(
        "ในปีงบประมาณ พ.ศ. 2567 เทศบาลตำบลบึงไผ่ได้กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานไว้ "
        "15 มาตรการ ซึ่งตามรายงานผลการดำเนินงาน ดำเนินการแล้วเสร็จ 12 มาตรการ อยู่ระหว่างดำเนินการ 1 มาตรการ "
        "เลื่อนการดำเนินการ 1 มาตรการ และยกเลิก 1 มาตรการ"
    )
    assert "(ดำเนินการแล้วร้อยละ 80)" in text
    assert "(เลื่อนการดำเนินการ โดยดำเนินการแล้วร้อยละ 30)" in text
    assert "มาตรการที่ยกเลิก ได้แก่ “โครงการอบรมคุณธรรมจริยธรรมและยกย่องบุคลากรต้นแบบด้านความซื่อสัตย์สุจริต”" in text
    assert (
        "ในข้อคำถามและตัวชี้วัดที่เกี่ยวข้องกับมาตรการดังกล่าว 30 รายการ พบว่าคะแนนเพิ่มขึ้น 5 รายการ "
        "คะแนนลดลง 4 รายการ มีคะแนนเฉพาะปี 2567 2 รายการ และไม่มีคะแนนของปี 2567 ที่เทียบกันได้ 19 รายการ"
    ) in text
    assert (
        "ข้อ e4 การเข้าถึงช่องทางการเผยแพร่ข้อมูลข่าวสารของหน่วยงาน (ปี 2566 คือข้อ e6) จาก 73.50 เป็น 80.15 "
        "คะแนน (เพิ่มขึ้น 6.65 คะแนน) ต่ำกว่าเกณฑ์ 85 คะแนน"
    ) in text
    assert "จาก 90.07 เป็น 83.33 คะแนน (ลดลง 6.74 คะแนน) ต่ำกว่าเกณฑ์ 85 คะแนน" in text
    assert "จาก 72.91 เป็น 88.20 คะแนน (เพิ่มขึ้น 15.29 คะแนน) ผ่านเกณฑ์ 85 คะแนน" in text
    assert "ตัวชี้วัดที่ 10 การป้องกันการทุจริต จาก 76.92 เป็น 100.00 คะแนน (เพิ่มขึ้น 23.08 คะแนน) ได้คะแนนเต็ม" in text
    assert text.endswith(
        "ในการจัดทำมาตรการประจำปีงบประมาณ พ.ศ. 2568 จึงควรดำเนินการต่อในมาตรการที่ยังไม่แล้วเสร็จ 2 มาตรการ "
        "ปรับปรุงมาตรการที่ดำเนินการแล้วเสร็จแต่ยังมีรายการที่ต่ำกว่าเกณฑ์ให้เข้มข้นขึ้น 7 มาตรการ "
        "ให้มาตรการที่ดำเนินการแล้วเสร็จและรายการที่เกี่ยวข้องผ่านเกณฑ์แล้ว ถือปฏิบัติเป็นงานประจำหรือยุติ 5 มาตรการ "
        "และทบทวนความจำเป็นของมาตรการที่ยกเลิกหรือยังไม่มีคะแนนที่แสดงผล 1 มาตรการ"
    )
    summary = summarise(past)
    assert sum(summary.by_status.values()) == 15 == sum(summary.by_suggestion.values())
    assert sum(summary.by_direction.values()) == len(summary.items) == 30


def test_every_judgement_sits_beside_its_score(loaded: Loaded, past: Past) -> None:
    text = past_paragraph(loaded.framework, loaded.results, past, 2568).text
    for match in re.finditer(r"(ผ่านเกณฑ์|ต่ำกว่าเกณฑ์) 85 คะแนน|ได้คะแนนเต็ม", text):
        before = text[max(0, match.start() - 60) : match.start()]
        assert re.search(r"[0-9]+\.[0-9]{2} คะแนน", before), before


def test_thai_digits(loaded: Loaded, past: Past) -> None:
    text = past_paragraph(loaded.framework, loaded.results, past, 2568, thai_digits=True).text
    assert "๑๕ มาตรการ" in text and not re.search(r"[0-9]", text)


def test_all_done_is_said_in_one_phrase(loaded: Loaded, past: Past) -> None:
    measures = [replace(m, status="done", percent=100) for m in past.measures]
    measures = [replace(m, suggestion=suggest("done", m.items, 85)) for m in measures]
    done = replace(past, measures=tuple(measures))
    text = past_paragraph(loaded.framework, loaded.results, done, 2568).text
    assert "ซึ่งตามรายงานผลการดำเนินงาน ดำเนินการแล้วเสร็จทั้ง 15 มาตรการ" in text
    assert "ยังไม่แล้วเสร็จ" not in text and "มาตรการที่ยกเลิก" not in text


# --------------------------------------------------------------------------------------------------
# The plan file's past block
# --------------------------------------------------------------------------------------------------


def _new_plan(loaded: Loaded, past: Past) -> Plan:
    return carry_unfinished(drafted_plan(loaded, None, None), read_plan(PREVIOUS), past, load_crosswalk())


def test_the_plan_file_round_trips_the_past_block(tmp_path: Path, loaded: Loaded, past: Past) -> None:
    plan = _new_plan(loaded, past)
    text = plan_to_yaml(plan)
    assert "past:\n  plan_year: 2567\n  ita_year: 2566\n" in text
    assert "- {code_then: e6, code: e4, before: 73.5, after: 80.15}" in text
    back = read_plan(write(tmp_path, "plan.yaml", text))
    assert back.past == read_plan(write(tmp_path, "again.yaml", plan_to_yaml(back))).past
    assert plan_to_yaml(back) == text
    assert back.past is not None and [m.suggestion for m in back.past.measures] == [
        m.suggestion for m in past.measures
    ]


def test_plan_files_without_past_stay_valid() -> None:
    plan = read_plan(PREVIOUS)
    assert plan.past is None
    assert "past:" not in plan_to_yaml(plan)


PAST = """\
past:
  plan_year: 2567
  ita_year: 2566
  measures:
  - id: service-flowchart-display
    title: จัดทำแผนผังขั้นตอนการให้บริการ
    status: done
    percent: 100
    items:
    - {code_then: e1, code: e1, before: 72.91, after: 88.2}
    suggestion: keep
"""


def _plan_with(tmp_path: Path, loaded: Loaded, block: str) -> Path:
    text = plan_to_yaml(drafted_plan(loaded, None, None)) + block
    return write(tmp_path, "plan.yaml", text)


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("status: done", "status: finished", "past.measures.0.status", "finished"),
        ("suggestion: keep", "suggestion: drop", "past.measures.0.suggestion", "drop"),
        ("percent: 100", "percent: 120", "past.measures.0.percent", "120"),
        ("after: 88.2", "after: 188.2", "past.measures.0.items.0.after", "188.2"),
        ("ita_year: 2566", "ita_year: 2567", "past.ita_year", "2567"),
        ("before: 72.91", "before: high", "past.measures.0.items.0.before", "ตัวเลข"),
        ("    suggestion: keep", "    suggestion: keep\n    note: x", "past.measures.0.note", "note"),
    ],
)
def test_a_bad_past_block_is_refused_at_its_line(
    tmp_path: Path, loaded: Loaded, old: str, new: str, field: str, words: str
) -> None:
    path = _plan_with(tmp_path, loaded, PAST.replace(old, new))
    lines = path.read_text(encoding="utf-8").splitlines()
    with pytest.raises(InputError) as info:
        read_plan(path)
    (problem,) = info.value.problems
    assert problem.location.field == field
    assert problem.location.line is not None
    assert field.split(".")[-1] in lines[problem.location.line - 1]
    assert words in problem.describe("th") + problem.describe("en")


# --------------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------------


def test_plan_with_previous_and_progress(tmp_path: Path, prongsai: Run) -> None:
    output = tmp_path / "plan-2568.yaml"
    code, out = prongsai("plan", str(RESULTS), *SEED, "-o", str(output))
    assert code == 0, out
    plan = read_plan(output)
    assert plan.past is not None and plan.past.plan_year == 2567 and len(plan.past.measures) == 15
    assert "มาตรการของปีงบประมาณ พ.ศ. 2567 / the measures of fiscal year 2567" in out
    assert "  process-simplification: อยู่ระหว่างดำเนินการ / in progress, 80%" in out
    # the two measures not finished in 2567 are carried into the plan for 2568, timed in 2568, their
    # items in 2567 codes (e11/e12 of 2566 have no 2567 counterpart: their indicator stands in)
    carried = {
        m.id: m
        for m in plan.measures
        if m.id in ("process-simplification", "service-mind-communication-training")
    }
    assert set(carried) == {"process-simplification", "service-mind-communication-training"}
    assert carried["process-simplification"].timeframe == "มกราคม 2568 – มิถุนายน 2568"
    assert carried["process-simplification"].answers == ("ind8",)
    assert all(not m.drafted for m in carried.values())
    assert "ethics-role-model-project" not in {m.id for m in plan.measures}  # cancelled: not carried
    assert "e6 (2567: e4) 73.50 -> 80.15" in out
    assert "ข้อเสนอ / suggestion: ปรับปรุงให้เข้มข้นขึ้น / strengthen" in out

    # --update keeps the block; a person's change of a suggestion survives
    edited = output.read_text(encoding="utf-8").replace("suggestion: review", "suggestion: continue")
    output.write_text(edited, encoding="utf-8")
    code, out = prongsai(
        "plan", str(RESULTS), "--history", str(HISTORY), "--update", str(output), "-o", str(output)
    )
    assert code == 0, out
    kept = read_plan(output).past
    assert kept is not None and kept.measures == read_plan(write(tmp_path, "e.yaml", edited)).past.measures  # type: ignore[union-attr]
    assert "ethics-role-model-project: ยกเลิก / cancelled, 15%" in out

    # given again, --previous and --progress refresh it
    code, out = prongsai("plan", str(RESULTS), *SEED, "--update", str(output), "-o", str(output))
    assert code == 0, out
    refreshed = read_plan(output).past
    assert refreshed is not None
    assert {m.id: m.suggestion for m in refreshed.measures}["ethics-role-model-project"] == "review"


def test_analyze_json_adds_past_measures_and_keeps_its_keys(prongsai: Run) -> None:
    code, plain = prongsai("analyze", str(RESULTS), "--history", str(HISTORY), "--json")
    assert code == 0
    code, out = prongsai("analyze", str(RESULTS), *SEED, "--json")
    assert code == 0, out
    before = json.loads(plain[: plain.rindex("}") + 1])
    data = json.loads(out[: out.rindex("}") + 1])
    assert set(data) == set(before) | {"past_measures"}
    assert set(data["narrative"]) == set(before["narrative"]) | {"past_measures"}
    first = data["past_measures"][2]
    assert first["id"] == "multi-channel-dissemination"
    assert first["items"][1] == {"code_then": "e6", "code": "e4", "before": 73.5, "after": 80.15}
    assert first["suggestion"] == "strengthen"
    assert data["narrative"]["past_measures"].startswith("ในปีงบประมาณ พ.ศ. 2567 เทศบาลตำบลบึงไผ่")


def test_analyze_text_prints_the_paragraph(prongsai: Run) -> None:
    code, out = prongsai("analyze", str(RESULTS), *SEED)
    assert code == 0, out
    assert "ดำเนินการแล้วเสร็จ 12 มาตรการ อยู่ระหว่างดำเนินการ 1 มาตรการ" in out


@pytest.mark.parametrize("given", ["--previous", "--progress"])
def test_previous_and_progress_go_together(tmp_path: Path, prongsai: Run, given: str) -> None:
    path = PREVIOUS if given == "--previous" else PROGRESS
    code, out = prongsai("plan", str(RESULTS), given, str(path), "-o", str(tmp_path / "p.yaml"))
    assert code == 2
    assert "ต้องระบุ --previous (แผนมาตรการของปีที่แล้ว) และ --progress" in out
    assert f"only {given} was given" in out
    assert not (tmp_path / "p.yaml").exists()


def test_a_progress_file_of_another_plan_is_refused(tmp_path: Path, prongsai: Run) -> None:
    text = PROGRESS.read_text(encoding="utf-8").replace("plan_year: 2567", "plan_year: 2568", 1)
    other = write(tmp_path, "progress.yaml", text)
    code, out = prongsai("analyze", str(RESULTS), "--previous", str(PREVIOUS), "--progress", str(other))
    assert code == 2
    assert "แผนเป็นของปีงบประมาณ 2567" in out and "the plan is for fiscal year 2567" in out


def test_a_previous_plan_of_another_agency_is_refused(tmp_path: Path, prongsai: Run) -> None:
    other = tmp_path / "khok-muang.yaml"
    assert prongsai("plan", str(EXAMPLES / "seed-001-khok-muang-2567.yaml"), "-o", str(other))[0] == 0
    code, out = prongsai("analyze", str(RESULTS), "--previous", str(other), "--progress", str(PROGRESS))
    assert code == 2
    assert "แผนของปีที่แล้วเป็นของ เทศบาลตำบลโคกม่วง แต่ผลการประเมินเป็นของ เทศบาลตำบลบึงไผ่" in out
    assert "last year's plan is that of เทศบาลตำบลโคกม่วง" in out


def test_a_previous_plan_of_the_same_year_is_refused(tmp_path: Path, prongsai: Run) -> None:
    same = tmp_path / "same.yaml"
    assert prongsai("plan", str(RESULTS), "-o", str(same))[0] == 0
    code, out = prongsai("analyze", str(RESULTS), "--previous", str(same), "--progress", str(PROGRESS))
    assert code == 2
    assert "ผลการประเมิน ITA ปี 2567 ซึ่งไม่ใช่ปีก่อนหน้าผลการประเมินปี 2567" in out


def test_a_previous_plan_of_another_plan_year_is_explained(tmp_path: Path, prongsai: Run) -> None:
    text = PREVIOUS.read_text(encoding="utf-8").replace("plan_year: 2567", "plan_year: 2568", 1)
    moved = write(tmp_path, "plan-2568.yaml", text)
    progress = write(
        tmp_path,
        "progress.yaml",
        "schema_version: 1\nagency: เทศบาลตำบลบึงไผ่\nita_year: 2566\nplan_year: 2568\nmeasures: []\n",
    )
    code, out = prongsai("analyze", str(RESULTS), "--previous", str(moved), "--progress", str(progress))
    assert code == 0, out
    assert "แผนของปีที่แล้วเป็นมาตรการประจำปีงบประมาณ พ.ศ. 2568 (จัดทำจากผลการประเมิน ITA ปี 2566)" in out
    assert "the ITA 2567 results assess fiscal year 2567" in out
    assert "ทั้ง 15 มาตรการยังไม่ได้ดำเนินการ" in out


def test_a_carried_measure_a_person_deletes_stays_deleted(tmp_path: Path, prongsai: Run) -> None:
    output = tmp_path / "plan-2568.yaml"
    assert prongsai("plan", str(RESULTS), *SEED, "-o", str(output))[0] == 0
    text = output.read_text(encoding="utf-8")
    start = text.index("- id: service-mind-communication-training")
    end = (
        text.index("\n- id: ", start + 1)
        if "\n- id: " in text[start + 1 :]
        else text.index("\nlimitations:", start)
    )
    output.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    for args in ((), SEED):  # re-drafted without, then with, last year's plan and progress
        code, out = prongsai("plan", str(RESULTS), "--history", str(HISTORY), *args, "--update", str(output), "-o", str(output))  # fmt: skip
        assert code == 0, out
        ids = [m.id for m in read_plan(output).measures]
        assert "service-mind-communication-training" not in ids
        assert "process-simplification" in ids  # the other carried measure is kept as a person's


# --------------------------------------------------------------------------------------------------
# The measures document: หลักการและเหตุผล
# --------------------------------------------------------------------------------------------------


def test_the_document_states_what_became_of_last_years_measures(loaded: Loaded, past: Past) -> None:
    report = ReportInput(loaded.framework, loaded.results, loaded.analysis, _new_plan(loaded, past), SIGNED)
    paragraphs = frame.past_measures(report)
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith(
        "ในปีงบประมาณ พ.ศ. 2567 เทศบาลตำบลบึงไผ่ได้กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานไว้ 15 มาตรการ"
    )
    # what the plan holds again, never prongsai's suggestions: the signed text states the plan
    again = [m.title for m in past.measures if m.id in {pm.id for pm in report.plan.measures}]
    assert len(again) == 5
    assert (
        "ในมาตรการประจำปีงบประมาณ พ.ศ. 2568 เทศบาลตำบลบึงไผ่ได้กำหนดให้ดำเนินการต่อเนื่องจากปีที่ผ่านมา 5 มาตรการ ได้แก่ "
        in paragraphs[1]
    )
    assert all(f"“{title}”" in paragraphs[1] for title in again)
    assert "ปรับปรุงให้เข้มข้นขึ้น" not in paragraphs[1] and "ทบทวนความจำเป็น" not in paragraphs[1]
    for layout in ("issues-8col", "full-report"):
        document = build_document(report, layout)
        official = document.official_text()
        assert "ดำเนินการแล้วเสร็จ ๑๒ มาตรการ" in official or "ดำเนินการแล้วเสร็จ 12 มาตรการ" in official
        built = Built(report, document)
        assert _found(SOFTWARE_TALK, official) == []
        assert _found(FILLER, official) == []
        assert _judgements_without_numbers(built) == []
    assert frame.past_measures(replace(report, plan=replace(report.plan, past=None))) == []


def test_the_document_tables_each_measure_with_its_items_before_and_after(loaded: Loaded, past: Past) -> None:
    report = ReportInput(loaded.framework, loaded.results, loaded.analysis, _new_plan(loaded, past), SIGNED)
    table = frame.past_table(report)
    assert table is not None and len(table.rows) == 15
    assert [c.text for c in table.header[0].cells][4:] == ["คะแนน ITA 2566", "คะแนน ITA 2567"]
    rows = {row.cells[1].text: row.cells for row in table.rows}
    dissemination = rows["เผยแพร่ข้อมูลข่าวสารผ่านช่องทางที่หลากหลายทั้งออนไลน์และในพื้นที่"]
    assert dissemination[2].lines == ("ดำเนินการแล้วเสร็จ",)
    assert dissemination[3].lines == ("ข้อ o7 (ปี 2566)", "ข้อ e4 (ปี 2566 ข้อ e6)")
    assert (dissemination[4].lines, dissemination[5].lines) == (("0.00", "73.50"), ("-", "80.15"))
    simplification = rows["ทบทวนและลดขั้นตอนการให้บริการ รวมทั้งลดการขอสำเนาเอกสารจากประชาชน"]
    assert simplification[2].lines == ("อยู่ระหว่างดำเนินการ", "(ร้อยละ 80)")
    for row in table.rows:  # each item's scores on its own line, beside it
        if row.cells[3].lines != ("ไม่มีข้อที่มีคะแนน",):
            assert len(row.cells[3].lines) == len(row.cells[4].lines) == len(row.cells[5].lines)
    document = build_document(report, "full-report", thai_digits=True)
    captions = [t.caption for t in document.tables() if t.key == "past_measures"]
    assert captions == ["ผลการดำเนินการตามมาตรการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ และคะแนนของข้อที่เกี่ยวข้อง"]
    assert "ข้อ e๔ (ปี ๒๕๖๖ ข้อ e๖)" in document.official_text()


def test_report_prints_the_past_measures_from_the_plan(tmp_path: Path, prongsai: Run) -> None:
    plan = tmp_path / "plan.yaml"
    assert prongsai("plan", str(RESULTS), *SEED, "-o", str(plan))[0] == 0
    output = tmp_path / "doc.html"
    code, out = prongsai(
        "report", str(RESULTS), "--history", str(HISTORY), "--plan", str(plan), "--layout", "issues-8col",
        "--format", "html", "-o", str(output),
    )  # fmt: skip
    assert code == 0, out
    page = output.read_text(encoding="utf-8")
    assert "ได้กำหนดให้ดำเนินการต่อเนื่องจากปีที่ผ่านมา" in page and "(ปี" in page
