"""A 2569 result works end to end (check, analyze, plan, report) on the provisional framework, and
every output says once, outside the official text, which parts of the year are not confirmed."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
import yaml

from prongsai.document.layouts import LAYOUTS
from tests.conftest import EXAMPLES, Run

RESULTS = str(EXAMPLES / "example-2569.yaml")
NOTE_TH = "กรอบการประเมิน ITA ปี 2569 ที่ใช้เป็นฉบับเบื้องต้น"
NOTE_EN = "the ITA 2569 framework in use is provisional"
DOCUMENT_NOTE = "ใช้กรอบการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๙ ฉบับเบื้องต้น"  # a เทศบาล: Thai digits


def test_check_and_analyze_say_once_that_2569_is_provisional(prongsai: Run) -> None:
    for command in (["check", RESULTS], ["analyze", RESULTS]):
        code, printed = prongsai(*command)
        assert code == 0, printed
        assert printed.count(NOTE_TH) == 1 and printed.count(NOTE_EN) == 1, command
    code, printed = prongsai("check", str(EXAMPLES / "seed-002-bueng-kan-2568.yaml"))
    assert code == 0 and NOTE_TH not in printed  # an official year says nothing of the kind


def test_analysis_of_2569_finds_the_unpublished_oit_items_and_their_subjects(prongsai: Run) -> None:
    code, printed = prongsai("analyze", RESULTS, "--json")
    assert code == 0, printed
    analysis, _ = json.JSONDecoder().raw_decode(printed[printed.index("{") :])
    weak = {item["code"] for item in analysis["items"] if item["status"] == "below"}
    assert weak == {"i11", "i14", "e7", "o11", "o14", "o21"}
    narrative = " ".join(analysis["narrative"].values())
    # o21 (2569's risk assessment) is 2568's o23: its findings reach 2569 through the item map
    assert "ความเสี่ยงการทุจริต" in narrative


def test_the_plan_answers_the_weak_items_of_2569(tmp_path: Path, prongsai: Run) -> None:
    plan_path = tmp_path / "plan.yaml"
    code, printed = prongsai("plan", RESULTS, "-o", str(plan_path))
    assert code == 0, printed
    assert printed.count(NOTE_TH) == 1
    plan = yaml.safe_load(plan_path.read_text(encoding="utf-8"))
    assert plan["ita_year"] == 2569 and plan["plan_year"] == 2570
    answered = {code for measure in plan["measures"] for code in measure["answers"]}
    assert {"i11", "i14", "e7", "o11", "o14", "o21"} <= answered


@pytest.mark.slow
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_layout_carries_one_note_after_the_official_text(
    layout: str, tmp_path: Path, prongsai: Run
) -> None:
    out = tmp_path / "measures.docx"
    code, printed = prongsai("report", RESULTS, "--layout", layout, "-o", str(out))
    assert code == 0, printed
    assert printed.count(NOTE_TH) == 1
    blocks = _body_texts(out)
    notes = [n for n, text in enumerate(blocks) if DOCUMENT_NOTE in text]
    assert len(notes) == 1, layout
    assert blocks[notes[0]].startswith("หมายเหตุ")
    # after the signatures, outside what the official signs, and nowhere in the text above
    signed = max(n for n, text in enumerate(blocks) if "ลงชื่อ" in text)
    assert signed < notes[0]
    assert "ฉบับเบื้องต้น" not in " ".join(blocks[: notes[0]])


def _body_texts(path: Path) -> list[str]:
    """The text of each paragraph and each table of a DOCX body, in reading order."""
    document = docx.Document(io.BytesIO(path.read_bytes()))
    texts = []
    for element in document.element.body.iterchildren():
        if element.tag.endswith("}p"):
            texts.append("".join(t.text or "" for t in element.iter() if t.tag.endswith("}t")))
        elif element.tag.endswith("}tbl"):
            texts.append(" ".join(t.text or "" for t in element.iter() if t.tag.endswith("}t")))
    return [text for text in texts if text.strip()]
