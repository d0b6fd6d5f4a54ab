"""The document model each layout builds from the seed examples' analyses and drafted plans."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from prongsai.document.build import build_document
from prongsai.document.layouts import DEFAULT_LAYOUT, LAYOUTS
from prongsai.document.model import Document, Paragraph, Signatures, Table
from prongsai.document.parts import ReportInput, group_findings, groups
from prongsai.document.settings import ReportSettings
from prongsai.thai import format_score
from tests.document.reports import SEEDS, example, seed_report

WIDE = {"issues-8col": "issues", "issues-two-part": "measures", "measures-table": "measures"}


def _headings(document: Document, style: str = "heading1") -> list[str]:
    return [b.text for b in document.blocks() if isinstance(b, Paragraph) and b.style == style]


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("seed", SEEDS)
def test_every_weak_item_and_every_measure_is_in_every_layout(seed: str, layout: str) -> None:
    report = seed_report(seed)
    text = build_document(report, layout).text()
    for entry in report.analysis.weak_items:
        # the code and its score, on the same line of the document
        assert re.search(rf"\b{entry.key}\b.*{re.escape(format_score(entry.score))}", text), entry.key
    for measure in report.plan.measures:
        assert measure.title in text
        assert measure.steps[-1] in text


def test_the_seeds_give_weak_items_to_look_for() -> None:
    # the test above would pass vacuously if no seed had a weak item
    assert {e.key for e in seed_report("001").analysis.weak_items} == {"i1", "i10", "i12", "e9"}
    assert len(seed_report("000").analysis.weak_items) >= 5


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_wide_tables_sit_in_landscape_sections(layout: str) -> None:
    document = build_document(seed_report("000"), layout)
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Table) and len(block.columns) >= 6:
                assert section.orientation == "landscape", (layout, block.key)
    assert any(s.orientation == "portrait" for s in document.sections)


def test_issue_layouts_list_questions_under_the_seven_issues() -> None:
    document = build_document(seed_report("000"), "issues-8col")
    (table,) = document.tables()
    firsts = [row.cells[0].text for row in table.rows if row.cells[0].text]
    assert [f.split()[0:2] for f in firsts] == [["ประเด็นที่", str(n)] for n in range(1, 8)]
    # the two-row header with its spans, as seed 000 prints it
    assert [c.colspan for c in table.header[0].cells] == [1, 3, 4]
    assert table.header[0].cells[0].rowspan == 2
    # i1 is listed under issues 1 and 2 in 2566
    assert sum("i1 " in row.cells[1].text for row in table.rows) == 2


def test_a_year_without_the_issue_grouping_falls_back_to_indicators() -> None:
    report = seed_report("003")  # ITA 2565: no seed groups its items into the seven issues
    assert not report.by_issues
    keys = [g.key for g in groups(report)]
    assert keys[:10] == [f"ind{n}" for n in range(1, 11)]
    (table,) = [t for t in build_document(report, "issues-8col").tables()]
    assert table.rows[0].cells[0].text == "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่"


def test_full_report_has_every_part_of_seed_002() -> None:
    document = build_document(seed_report("002"), "full-report")
    titles = _headings(document)
    # หลักการและเหตุผล and วัตถุประสงค์ (1, 2), the seed's seven parts with the monitoring of the
    # plan year (8) before the limitations and suggestions (9, 10)
    assert [t.split(". ")[0] for t in titles if t[0].isdigit()] == [str(n) for n in range(1, 11)]
    assert {t.key for t in document.tables()} >= {
        "tools",
        "indicators",
        *(f"indicator{n}" for n in range(1, 11)),
    }
    indicator9 = next(t for t in document.tables() if t.key == "indicator9")
    average = indicator9.rows[-1]
    assert average.kind == "total" and average.cells[1].text == "98.25"  # the official figure, not the mean
    o16 = next(r for r in indicator9.rows if r.cells[0].text == "o16")
    assert o16.cells[2].text == "50.00" and o16.cells[3].text == "ไม่ผ่าน"  # the seed itself printed ผ่านเกณฑ์
    assert [f.chart.key for f in document.figures()] == ["tools", "indicators"]


def test_numbering_has_no_gaps_when_a_document_has_no_scores() -> None:
    document = build_document(seed_report("004"), "full-report")  # seed 004 prints no score at all
    numbers = [t.split(". ")[0] for t in _headings(document) if t[0].isdigit()]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]
    assert "ผลการประเมินรายเครื่องมือ" not in document.text()
    assert not document.figures()


def test_findings_are_not_invented_for_unscored_items() -> None:
    report = seed_report("004")
    assert group_findings(report, ["i1", "e1"]) == []
    assert group_findings(seed_report("002"), ["i1", "i2"]) != []


def test_a_trend_chart_appears_with_history(tmp_path: Path) -> None:
    earlier = tmp_path / "khok-muang-2566.yaml"
    earlier.write_text(
        "agency: {name: เทศบาลตำบลโคกม่วง}\nita_year: 2566\n"
        "scores: {overall: 85.40, tools: {IIT: 88.10, EIT: 80.25, OIT: 87.00}}\n",
        encoding="utf-8",
    )
    report = seed_report("001", (earlier,))
    figures = build_document(report, "full-report").figures()
    trend = next(f.chart for f in figures if f.chart.key == "trend")
    assert trend.categories == ("พ.ศ. 2566", "พ.ศ. 2567")
    overall = trend.series[0]
    assert overall.values[0] == 85.40 and overall.values[1] == pytest.approx(92.13)
    assert "trend" not in {f.chart.key for f in build_document(seed_report("001"), "full-report").figures()}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_thai_digits_reach_every_word_and_chart(layout: str) -> None:
    document = build_document(seed_report("001"), layout, thai_digits=True)
    assert not re.search(r"[0-9]", document.text())
    assert "๒๕๖๗" in document.text()
    assert all(f.chart.thai_digits for f in document.figures())
    assert document.thai_digits


def test_computed_figures_are_plain_and_said_once_after_the_signatures() -> None:
    # seed 001 prints no tool scores and no level: the tools are computed by a confirmed rule, the
    # level by 2567 cut-offs that are not all confirmed (an estimate). The official text states
    # them like any figure; the one note after the signatures says how they were obtained.
    estimated = seed_report("001")
    assert estimated.estimated and estimated.computed
    document = build_document(estimated, DEFAULT_LAYOUT)
    tools = next(t for t in document.tables() if t.key == "tools")
    assert [row.cells[1].text for row in tools.rows] == ["91.64", "82.14", "100.00", "92.13"]
    official, note = document.official_text(), document.closing_text()
    assert "ระดับผ่าน" in official and not re.search(r"[*†]|ประมาณ(?!าณ)", official.replace("งบประมาณ", ""))
    assert note.startswith("หมายเหตุ: ") and "\n" not in note
    assert "คะแนนเครื่องมือ IIT EIT และ OIT ไม่ได้ระบุไว้" in note and "ตามหลักเกณฑ์การประเมิน" in note
    assert "ระดับผลการประเมินไม่ได้ระบุไว้" in note and "เป็นการประมาณ" in note
    # seed 002 states every figure but EIT, computed by a confirmed rule: no estimate, one sentence
    official = build_document(seed_report("002"), DEFAULT_LAYOUT)
    assert "ประมาณ" not in official.text().replace("งบประมาณ", "") and "*" not in official.text()
    assert official.closing_text() == (
        "หมายเหตุ: คะแนนเครื่องมือ EIT ไม่ได้ระบุไว้ในผลการประเมินที่หน่วยงานได้รับ จึงคำนวณจากคะแนนรายข้อตามหลักเกณฑ์การประเมิน"
    )


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_signatures_carry_names_positions_and_date(layout: str) -> None:
    document = build_document(seed_report("002"), layout)
    # the signatures that close the document; the ประกาศ or the cover บันทึกข้อความ before it has its
    # own (tests/document/test_frame.py)
    *_, block = [b for b in document.blocks() if isinstance(b, Signatures)]
    assert [s.role for s in block.signers] == ["ผู้จัดทำ", "ผู้เห็นชอบ", "ผู้อนุมัติ"]
    assert block.signers[0].lines[1:3] == ("(นางสาวสมศรี ใจดี)", "นิติกรชำนาญการ")
    assert block.signers[2].lines[-1] == "วันที่ 15 ธันวาคม 2568"


def test_missing_signers_leave_lines_to_fill_in() -> None:
    report = replace(seed_report("002"), settings=ReportSettings())
    first, block = [b for b in build_document(report, "summary").blocks() if isinstance(b, Signatures)]
    assert all("...." in s.lines[1] and "...." in s.lines[2] for s in block.signers)
    assert all("...." in line for line in first.signers[0].lines)  # the ประกาศ's signer


def test_an_edited_plan_is_what_the_document_shows() -> None:
    report = seed_report("001")
    first = report.plan.measures[0]
    edited = replace(first, title="จัดอบรมเจ้าหน้าที่เรื่องการใช้ทรัพย์สินของราชการ", owner="กองคลัง")
    plan = replace(report.plan, measures=(edited, *report.plan.measures[1:]))
    text = build_document(
        ReportInput(report.framework, report.results, report.analysis, plan), "summary"
    ).text()
    assert edited.title in text and first.title not in text


def test_item_questions_come_from_the_framework_not_the_seed() -> None:
    report = seed_report("002")
    document = build_document(report, "full-report")
    indicator1 = next(t for t in document.tables() if t.key == "indicator1")
    i1 = report.framework.item("i1").text_th
    assert i1 and indicator1.rows[0].cells[1].text == i1


def test_examples_exist_for_every_seed() -> None:
    assert all(example(seed).is_file() for seed in SEEDS)
