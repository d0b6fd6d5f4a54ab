"""The Thai narrative: built from numbers and the catalog, official register, no stray English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from prongsai.analysis import Analysis, analyse
from prongsai.catalog import item_texts
from prongsai.crosswalk import load_crosswalk
from prongsai.framework import Framework
from prongsai.framework_notes import framework_notes
from prongsai.ingest import read_results
from prongsai.narrative import Paragraph, all_paragraphs, indicator_paragraph, summary_paragraph
from prongsai.results import resolve
from tests.conftest import EXAMPLES

ALLOWED_LATIN = {
    "IIT",
    "EIT",
    "OIT",
    "ITA",
    "E-Service",
    "No",
    "Gift",
    "Policy",
    "AA",
    "A",
    "B",
    "C",
    "D",
    "E",
    "F",
}


def _paragraphs(name: str, frameworks: dict[int, Framework], **options: object) -> list[Paragraph]:
    (record,), _ = read_results(EXAMPLES / name)
    framework = frameworks[record.ita_year]
    results = resolve(framework, record)
    analysis = analyse(framework, results, [], load_crosswalk())
    return all_paragraphs(framework, results, analysis, record.ita_year + 1, **options)  # type: ignore[arg-type]


def _latin_words(text: str) -> set[str]:
    words = set(re.findall(r"[A-Za-z][A-Za-z-]*[0-9]*", text))
    return {w for w in words if w not in ALLOWED_LATIN and not re.fullmatch(r"[ieo][0-9]+", w)}


def test_seed_001_indicator_8_reads_as_an_official_draft(frameworks: dict[int, Framework]) -> None:
    text = next(p.text for p in _paragraphs("seed-001-khok-muang-2567.yaml", frameworks) if p.key == "ind8")
    assert text.startswith("ตัวชี้วัดที่ 8 การปรับปรุงการทำงาน ได้ 72.94 คะแนน ต่ำกว่าเกณฑ์ 85 คะแนนอยู่ 12.06 คะแนน")
    assert "ข้อ e9 การปรับปรุงการทำงานของหน่วยงาน ได้ 30.49 คะแนน ต่ำกว่าเกณฑ์ 54.51 คะแนน" in text
    # the 2567 EIT grouping is an inference: said once in a note (framework_notes), not in the prose
    assert "ประมาณการ" not in text
    (note,) = framework_notes([frameworks[2567]])
    assert note.code == "framework_grouping_inferred"
    # the overall points to gain (1.21 if indicator 8 reached the pass mark) stay on the analysis
    # screen and in the JSON, not in the prose an official signs
    assert "1.21" not in text
    assert not _latin_words(text)


def test_seed_002_indicator_9_names_the_weak_item_and_its_evidence(frameworks: dict[int, Framework]) -> None:
    text = next(p.text for p in _paragraphs("seed-002-bueng-kan-2568.yaml", frameworks) if p.key == "ind9")
    assert "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล ได้ 98.25 คะแนน" in text
    assert "ข้อ o16" in text and "50.00" in text and "35.00" in text
    assert "ได้คะแนนเต็ม 19 ข้อ" in text
    assert not _latin_words(text)


def test_thai_digits_throughout(frameworks: dict[int, Framework]) -> None:
    for paragraph in _paragraphs("seed-002-bueng-kan-2568.yaml", frameworks, thai_digits=True):
        assert not re.search(r"[0-9]", paragraph.text), paragraph.key
    summary = _paragraphs("seed-002-bueng-kan-2568.yaml", frameworks, thai_digits=True)[0].text
    assert "๙๙.๔๗ คะแนน" in summary and "ผ่านดีเยี่ยม" in summary


def test_every_paragraph_of_every_seed_is_clean_thai(frameworks: dict[int, Framework]) -> None:
    for path in sorted(EXAMPLES.glob("seed-*-25[0-9][0-9].yaml")):
        for grouping in ("indicators", "issues"):
            for paragraph in _paragraphs(path.name, frameworks, grouping=grouping):
                assert paragraph.text.strip()
                assert not _latin_words(paragraph.text), (
                    path.name,
                    paragraph.key,
                    _latin_words(paragraph.text),
                )
                assert "{" not in paragraph.text and "  " not in paragraph.text
                assert not re.search(
                    r"[๐-๙]", paragraph.text
                )  # Arabic digits unless Thai digits are asked for
                assert not re.search(r"\d\.\d(?!\d)", paragraph.text)  # always two decimals


def test_grouping_by_the_seven_issues(frameworks: dict[int, Framework]) -> None:
    paragraphs = _paragraphs("seed-001-khok-muang-2567.yaml", frameworks, grouping="issues")
    assert [p.key for p in paragraphs] == ["summary"] + [f"issue{n}" for n in range(1, 8)]
    issue4 = paragraphs[4].text
    assert (
        issue4.startswith("ประเด็นที่ 4 กระบวนการกำกับดูแลการใช้ทรัพย์สินของราชการ")
        and "i10" in issue4
        and "i12" in issue4
    )


def test_summary_without_item_scores_names_the_weak_indicators(frameworks: dict[int, Framework]) -> None:
    summary = _paragraphs("seed-003-bang-chakreng-2565.yaml", frameworks)[0].text
    assert "89.95 คะแนน อยู่ในระดับ A ผ่านเกณฑ์" in summary
    assert "ตัวชี้วัดที่ 7 ประสิทธิภาพการสื่อสาร" in summary and "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล" in summary


def test_narrative_is_deterministic(frameworks: dict[int, Framework]) -> None:
    first = _paragraphs("seed-001-khok-muang-2567.yaml", frameworks)
    assert first == _paragraphs("seed-001-khok-muang-2567.yaml", frameworks)


def test_summary_and_indicator_functions_are_the_building_blocks(frameworks: dict[int, Framework]) -> None:
    (record,), _ = read_results(EXAMPLES / "seed-002-bueng-kan-2568.yaml")
    framework = frameworks[2568]
    results = resolve(framework, record)
    analysis = analyse(framework, results)
    assert summary_paragraph(framework, results, analysis, 2569).key == "summary"
    assert indicator_paragraph(framework, results, analysis, 4).text.startswith("ตัวชี้วัดที่ 4")
    assert Path(EXAMPLES).is_dir()


def test_estimated_figures_are_marked_in_the_summary(frameworks: dict[int, Framework]) -> None:
    # seed 000 (2566): indicators and tools are computed with an inferred item grouping
    summary = _paragraphs("seed-000-bueng-phai-2566.yaml", frameworks)[0].text
    assert "(IIT) ได้ 92.52 คะแนน ซึ่งเป็นค่าประมาณ" in summary
    assert "(74.24 คะแนน ซึ่งเป็นค่าประมาณ)" in summary
    clean = _paragraphs("seed-002-bueng-kan-2568.yaml", frameworks)[0].text
    assert "ค่าประมาณ" not in clean


# --------------------------------------------------------------------------------------------------
# Facts (issue 13, items 2, 3 and 7): every judgement has a score behind it, counts are the counts
# of the items scored, every item below the mark is analysed and named with what it is about, what
# has no score is said once, no filler, no points-to-gain in the prose
# --------------------------------------------------------------------------------------------------

EVERY_EXAMPLE = [*sorted(p.name for p in EXAMPLES.glob("seed-*-25[0-9][0-9].yaml")), "example-2569.yaml"]
GROUPINGS = ("indicators", "issues")
FILLER = (
    "ในประเด็นนี้",
    "ในประเด็นที่ข้อคำถามนี้วัด",
    "ข้อคำถามข้อนี้",
    "ของปีดังกล่าว",
    "อ้างอิงจาก",
    "ได้ดำเนินการตามตัวชี้วัดนี้ได้ดี",
    "ส่วนข้ออื่น",
)
GAIN = ("คะแนนภาพรวมจะเพิ่มขึ้น", "เพิ่มขึ้นประมาณ", "คะแนนภาพรวมเพิ่มขึ้นประมาณ")
MAINTAIN = "รักษามาตรฐานการดำเนินงานไว้อย่างต่อเนื่อง"
SUBJECT = r"(?:(?!ข้อ [ieo]\d| ได้ \d).)+?"  # what an item is about, up to its score
ITEM = re.compile(
    rf"ข้อ ([ieo]\d+) ({SUBJECT}) ได้ (\d+\.\d\d) คะแนน (ต่ำกว่าเกณฑ์|ผ่านเกณฑ์แต่ยังไม่ได้คะแนนเต็ม)(?!ทั้ง)"
)
ITEM_GROUP = re.compile(
    rf"((?:ข้อ [ieo]\d+(?: และ| ))+){SUBJECT} ได้ ((?:\d+\.\d\d(?: และ )?)+) คะแนนตามลำดับ "
    r"(ต่ำกว่าเกณฑ์|ผ่านเกณฑ์แต่ยังไม่ได้คะแนนเต็ม)ทั้ง (\d+) ข้อ"
)
FULL_GROUP = re.compile(r"ส่วน(ข้อ [ieo]\d+(?:(?! ได้ \d).)*?) ได้คะแนนเต็ม")
OPENING = re.compile(r"ตัวชี้วัดที่ (\d+) (\S+) ได้ (\d+\.\d\d) คะแนน( ต่ำกว่าเกณฑ์| ผ่านเกณฑ์การประเมิน| ซึ่งเป็นคะแนนเต็ม)")
WORDS = {"ต่ำกว่าเกณฑ์": "below", "ผ่านเกณฑ์แต่ยังไม่ได้คะแนนเต็ม": "pass"}
OPENING_WORDS = {" ต่ำกว่าเกณฑ์": "below", " ผ่านเกณฑ์การประเมิน": "pass", " ซึ่งเป็นคะแนนเต็ม": "full"}


def _case(
    name: str, frameworks: dict[int, Framework], grouping: str = "indicators"
) -> tuple[Framework, Analysis, list[Paragraph]]:
    (record,), _ = read_results(EXAMPLES / name)
    framework = frameworks[record.ita_year]
    results = resolve(framework, record)
    analysis = analyse(framework, results, [], load_crosswalk())
    paragraphs = all_paragraphs(framework, results, analysis, record.ita_year + 1, grouping=grouping)
    return framework, analysis, paragraphs


def _status(score: float) -> str:
    return "below" if score < 85 else "full" if score >= 100 else "pass"


def _mentions(code: str, text: str) -> bool:
    return re.search(rf"ข้อ {code}(?!\d)", text) is not None


def _stated_counts(text: str) -> tuple[int, dict[str, int]] | None:
    """The counts a paragraph states: the total scored, and how many full, pass and below."""
    found = re.search(r"ได้รับการประเมิน(?:รวม)? (\d+) ข้อ", text)
    if found is None:
        return None
    total = int(found.group(1))
    rest = re.split(r"ข้อ [ieo]\d", text[found.end() :], maxsplit=1)[0]
    if rest.startswith((" และได้คะแนนเต็มทุกข้อ", " ซึ่งได้คะแนนเต็ม")):
        return total, {"full": total, "pass": 0, "below": 0}
    patterns = {
        "full": r"(?<!ยังไม่)ได้คะแนนเต็ม (\d+) ข้อ",
        "pass": r"ผ่านเกณฑ์แต่ยังไม่ได้คะแนนเต็ม (\d+) ข้อ",
        "below": r"ต่ำกว่าเกณฑ์ (\d+) ข้อ",
    }
    return total, {s: int(m.group(1)) if (m := re.search(p, rest)) else 0 for s, p in patterns.items()}


@pytest.mark.parametrize("name", EVERY_EXAMPLE)
def test_item_judgements_are_the_scores_judgements(name: str, frameworks: dict[int, Framework]) -> None:
    for grouping in GROUPINGS:
        _, analysis, paragraphs = _case(name, frameworks, grouping)
        scores = {e.key: e.score for e in analysis.items}
        for paragraph in paragraphs:
            for code, _, score, word in ITEM.findall(paragraph.text):
                assert f"{scores[code]:.2f}" == score and _status(scores[code]) == WORDS[word], (code, word)
            for codes, listed, word, count in ITEM_GROUP.findall(paragraph.text):
                members = re.findall(r"ข้อ ([ieo]\d+)", codes)
                assert len(members) == int(count) == len(re.findall(r"\d+\.\d\d", listed))
                assert [f"{scores[c]:.2f}" for c in members] == re.findall(r"\d+\.\d\d", listed)
                assert all(_status(scores[c]) == WORDS[word] for c in members), (members, word)
            for group in FULL_GROUP.findall(paragraph.text):
                members = re.findall(r"ข้อ ([ieo]\d+)", group)
                assert members and all(scores[c] >= 100 for c in members), (paragraph.key, members)


@pytest.mark.parametrize("name", EVERY_EXAMPLE)
def test_indicator_judgements_only_where_the_indicator_has_a_score(
    name: str, frameworks: dict[int, Framework]
) -> None:
    framework, analysis, paragraphs = _case(name, frameworks)
    scored = {e.indicator: e for e in analysis.indicators}
    for paragraph in paragraphs:
        for number, _, score, word in OPENING.findall(paragraph.text):
            entry = scored[int(number)]
            assert f"{entry.score:.2f}" == score and entry.status == OPENING_WORDS[word], (name, number)
        if paragraph.key.startswith("ind"):
            number = int(paragraph.key[3:])
            name_th = framework.indicator(number).name_th
            if number not in scored:
                assert f"ตัวชี้วัดที่ {number} {name_th} ได้" not in paragraph.text
                assert not paragraph.text.startswith(f"ตัวชี้วัดที่ {number} {name_th} ไม่ปรากฏ")


@pytest.mark.parametrize("name", EVERY_EXAMPLE)
def test_counts_are_the_items_scored_and_belonging_to_the_indicator(
    name: str, frameworks: dict[int, Framework]
) -> None:
    framework, analysis, paragraphs = _case(name, frameworks)
    scores = {e.key: e.score for e in analysis.items}
    for paragraph in paragraphs:
        if not paragraph.key.startswith("ind"):
            continue
        indicator = framework.indicator(int(paragraph.key[3:]))
        of_tool = [c for c in scores if framework.item(c).tool == indicator.tool]
        if any(framework.item(c).indicator is None for c in of_tool):
            # items of the tool placed under no indicator: the tool's items are counted together,
            # in the paragraph of its first indicator
            first = min(i.number for i in framework.indicators_of(indicator.tool))
            expected = of_tool if indicator.number == first else []
        else:
            expected = [c for c in scores if framework.item(c).indicator == indicator.number]
        stated = _stated_counts(paragraph.text)
        if not expected:
            assert stated is None, (name, paragraph.key)
            continue
        assert stated is not None, (name, paragraph.key)
        total, counts = stated
        want = {s: sum(1 for c in expected if _status(scores[c]) == s) for s in ("full", "pass", "below")}
        assert total == len(expected) == sum(counts.values()) and counts == want, (name, paragraph.key)


@pytest.mark.parametrize("name", EVERY_EXAMPLE)
def test_every_item_below_the_mark_is_analysed(name: str, frameworks: dict[int, Framework]) -> None:
    for grouping in GROUPINGS:
        _, analysis, paragraphs = _case(name, frameworks, grouping)
        details = [p for p in paragraphs if p.key != "summary"]
        for entry in analysis.weak_items:
            sentence = next(
                (m for p in details for m in ITEM.finditer(p.text) if m.group(1) == entry.key), None
            )
            grouped = any(
                entry.key in re.findall(r"ข้อ ([ieo]\d+)", m.group(1))
                for p in details
                for m in ITEM_GROUP.finditer(p.text)
            )
            assert sentence is not None or grouped, (name, grouping, entry.key)


@pytest.mark.parametrize("name", EVERY_EXAMPLE)
def test_every_item_is_named_with_what_it_is_about(name: str, frameworks: dict[int, Framework]) -> None:
    for grouping in GROUPINGS:
        framework, _, paragraphs = _case(name, frameworks, grouping)
        texts = dict(item_texts(framework.ita_year))
        for paragraph in paragraphs:
            for found in re.finditer(r"ข้อ ([ieo]\d+)(?!\d)", paragraph.text):
                code = found.group(1)
                rest = paragraph.text[found.end() :]
                while (chain := re.match(r"(?: และ| )ข้อ [ieo]\d+(?!\d)", rest)) is not None:
                    rest = rest[chain.end() :]  # 'ข้อ i5 และข้อ i6 <subject>'
                subject = texts[code].subject if code in texts else framework.item(code).text_th
                if subject:
                    assert rest.startswith(" " + subject), (name, paragraph.key, code, rest[:40])
                else:
                    assert re.match(r" (?!ได้|และ|\()\S", rest), (name, paragraph.key, code, rest[:40])


@pytest.mark.parametrize("name", EVERY_EXAMPLE)
def test_no_filler_no_gain_and_things_said_once(name: str, frameworks: dict[int, Framework]) -> None:
    for grouping in GROUPINGS:
        _, _, paragraphs = _case(name, frameworks, grouping)
        whole = " ".join(p.text for p in paragraphs)
        for phrase in (*FILLER, *GAIN):
            assert phrase not in whole, (name, grouping, phrase)
        assert whole.count(MAINTAIN) <= 1, (name, grouping)
        assert whole.count("ไม่ปรากฏ") <= 1, (name, grouping)
        assert "ทุกเครื่องมือผ่านเกณฑ์" not in whole


def test_points_to_gain_stay_in_the_analysis(frameworks: dict[int, Framework]) -> None:
    (record,), _ = read_results(EXAMPLES / "seed-001-khok-muang-2567.yaml")
    framework = frameworks[2567]
    analysis = analyse(framework, resolve(framework, record))
    indicator8 = next(e for e in analysis.to_json()["indicators"] if e["number"] == 8)
    assert indicator8["gain_to_85"] == 1.21
    assert next(e for e in analysis.to_json()["items"] if e["code"] == "e9")["gain_to_85"] == 1.82


def test_seed_000_analyses_the_items_of_indicators_without_a_score(frameworks: dict[int, Framework]) -> None:
    _, analysis, paragraphs = _case("seed-000-bueng-phai-2566.yaml", frameworks)
    summary, by_key = paragraphs[0].text, {p.key: p.text for p in paragraphs}
    # said once, in the summary: the overall score, EIT and indicators 6 and 7 are not in the results
    assert "ไม่ปรากฏคะแนนภาพรวม" in summary and "(EIT)" in summary
    assert "ตัวชี้วัดที่ 6 คุณภาพการดำเนินงาน" in summary and "ตัวชี้วัดที่ 7 ประสิทธิภาพการสื่อสาร" in summary
    for number, codes in ((6, ("e1", "e3", "e5")), (7, ("e6", "e7", "e9"))):
        text = by_key[f"ind{number}"]
        assert "ไม่ปรากฏ" not in text and " ได้ " not in text.split(" มี")[0]
        for code in codes:
            assert re.search(rf"ข้อ {code} \S.*? ได้ \d+\.\d\d คะแนน ต่ำกว่าเกณฑ์", text), code
    assert {"e1", "e3", "e5", "e6", "e7", "e9"} <= {e.key for e in analysis.weak_items}


def test_seed_001_counts_every_oit_item_scored(frameworks: dict[int, Framework]) -> None:
    _, _, paragraphs = _case("seed-001-khok-muang-2567.yaml", frameworks)
    by_key = {p.key: p.text for p in paragraphs}
    # o1-o3 belong to indicator 9, o4-o35 to indicator 9 or 10: the 35 are counted together
    assert "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล และตัวชี้วัดที่ 10 การป้องกันการทุจริต" in by_key["ind9"]
    assert "รวม 35 ข้อ และได้คะแนนเต็มทุกข้อ" in by_key["ind9"] and " 3 ข้อ" not in by_key["ind9"]
    assert "ตัวชี้วัดที่ 9" in by_key["ind10"] and "ข้อ o" not in by_key["ind10"]


def test_seed_002_sentences_agree_with_the_counts(frameworks: dict[int, Framework]) -> None:
    _, _, paragraphs = _case("seed-002-bueng-kan-2568.yaml", frameworks)
    by_key = {p.key: p.text for p in paragraphs}
    assert "ตัวชี้วัดนี้มีข้อมูลที่ได้รับการประเมิน 8 ข้อ และได้คะแนนเต็มทุกข้อ" in by_key["ind10"]
    # indicator 6 is 99.74 while its three items are all 100: no 'not yet full' anywhere in it
    assert "ยังไม่ได้คะแนนเต็ม" not in by_key["ind6"] and "ได้คะแนนเต็มทุกข้อ" in by_key["ind6"]
    # five indicators share the highest score: all five are named
    assert "มี 5 ตัวชี้วัด ได้แก่ ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่" in paragraphs[0].text


def test_seed_004_without_scores_says_so_once_and_judges_nothing(frameworks: dict[int, Framework]) -> None:
    for grouping in GROUPINGS:
        _, _, paragraphs = _case("seed-004-mueang-chi-2566.yaml", frameworks, grouping)
        assert [p.key for p in paragraphs] == ["summary"]
        text = paragraphs[0].text
        assert text.count("ไม่ปรากฏคะแนน") == 1
        for judgement in ("ผ่านเกณฑ์", "ต่ำกว่าเกณฑ์", "คะแนนเต็ม", "ได้ดี", "รักษามาตรฐาน"):
            assert judgement not in text


def test_an_indicator_with_a_score_but_no_items_says_what_to_do(frameworks: dict[int, Framework]) -> None:
    _, _, paragraphs = _case("seed-003-bang-chakreng-2565.yaml", frameworks)
    by_key = {p.key: p.text for p in paragraphs}
    assert "ไม่ปรากฏคะแนนรายข้อ" in paragraphs[0].text
    for key in ("ind1", "ind7", "ind9"):
        assert "หน่วยงานควร" in by_key[key], key
    assert by_key["ind1"] != by_key["ind7"]
