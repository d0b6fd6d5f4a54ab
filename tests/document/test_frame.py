"""The frame around the measures (document/frame.py, issue 13 "What the document lacks"): the ประกาศ
or the cover บันทึกข้อความ each layout's family calls for, หลักการและเหตุผล and วัตถุประสงค์ in the
words of the agency's kind, the earlier years only when they are held, the reports at 6 and 12
months inside the plan year, the website only when given, and the settings that feed them."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from prongsai.app.agency_year import load_agency_year as load
from prongsai.app.plans import drafted_plan
from prongsai.document import frame
from prongsai.document.build import build_document, report_words
from prongsai.document.layouts import LAYOUTS
from prongsai.document.model import Document, Paragraph, Signatures
from prongsai.document.parts import ReportInput
from prongsai.document.settings import Person, ReportSettings, read_settings
from prongsai.document.texts import agency_words
from prongsai.errors import InputError
from tests.document.reports import SIGNED, example, seed_report

KINDS = {"announcement": "ประกาศ", "memo": "บันทึกข้อความ"}


def _first_page(document: Document) -> list[str]:
    return [b.text for b in document.sections[0].blocks if isinstance(b, Paragraph)]


def _paragraphs(document: Document) -> list[str]:
    return [b.text for b in document.official_blocks() if isinstance(b, Paragraph)]


def _with_settings(report: ReportInput, **changes: object) -> ReportInput:
    return replace(report, settings=replace(report.settings, **changes))  # type: ignore[arg-type]


SAO_SIGNED = ReportSettings(
    signers={
        "prepared_by": Person("นางสาวสมศรี ใจดี", "นิติกรชำนาญการ"),
        "approved_by": Person("นายสมปอง มั่นคง", "นายกองค์การบริหารส่วนตำบลบึงไผ่"),
    },
    date=SIGNED.date,
)


def _as_agency(
    tmp_path: Path, seed: str, agency: dict[str, str], settings: ReportSettings = SIGNED
) -> ReportInput:
    data = yaml.safe_load(example(seed).read_text(encoding="utf-8"))
    data["agency"] = agency
    source = tmp_path / example(seed).name
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded = load(source, (), None)
    plan = drafted_plan(loaded, None, None)
    return ReportInput(loaded.framework, loaded.results, loaded.analysis, plan, settings)


# --------------------------------------------------------------------------------------------------
# The frame each layout calls for
# --------------------------------------------------------------------------------------------------


def test_every_layout_has_a_frame() -> None:
    assert set(frame.FRAME_OF_LAYOUT) == set(LAYOUTS)
    # the documents that are the measures (seeds 000, 001, 003) are announced; the report that
    # proposes them (002) and the unit's (004) go to the executive for approval
    assert {k for k, v in frame.FRAME_OF_LAYOUT.items() if v == "announcement"} == {
        "issues-8col",
        "issues-two-part",
        "summary",
    }


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_each_layout_opens_with_the_frame_of_its_family(layout: str) -> None:
    report = seed_report("002")
    document = build_document(report, layout)
    first = document.sections[0]
    paragraphs = _first_page(document)
    signatures = [b for b in first.blocks if isinstance(b, Signatures)]
    assert first.orientation == "portrait" and len(signatures) == 1
    (signer,) = signatures[0].signers
    if frame.FRAME_OF_LAYOUT[layout] == "announcement":
        assert paragraphs[0] == "ประกาศเทศบาลเมืองบึงกาฬ"
        assert paragraphs[1] == "เรื่อง มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. 2569"
        assert "ประกาศ ณ วันที่ 15 เดือน ธันวาคม พ.ศ. 2568" in paragraphs
        assert "จึงประกาศให้ทราบโดยทั่วกัน" in paragraphs
        assert signer.lines == ("(นายสมปอง มั่นคง)", "นายกเทศมนตรี")  # approved_by signs it
        # the measures follow as its attachment
        assert "แนบท้ายประกาศเทศบาลเมืองบึงกาฬ ลงวันที่ 15 ธันวาคม 2568" in document.official_text()
    else:
        assert paragraphs[0] == "บันทึกข้อความ"
        assert paragraphs[1] == "ส่วนราชการ งานนิติการ สำนักปลัดเทศบาล เทศบาลเมืองบึงกาฬ"
        assert paragraphs[2].startswith("ที่ ....")
        assert paragraphs[3] == "วันที่ 15 ธันวาคม 2568"
        assert paragraphs[4].startswith("เรื่อง ขออนุมัติมาตรการส่งเสริมคุณธรรมและความโปร่งใส")
        assert paragraphs[5] == "เรียน นายกเทศมนตรี"
        assert paragraphs[-1].startswith("จึงเรียนมาเพื่อโปรดพิจารณา")
        assert signer.lines == ("(นางสาวสมศรี ใจดี)", "นิติกรชำนาญการ")  # prepared_by sends it
    # every layout: the body's frame, inside what is signed
    official = _paragraphs(document)
    for heading in ("หลักการและเหตุผล", "วัตถุประสงค์", "การติดตามและรายงานผลการดำเนินงาน"):
        assert any(p.endswith(heading) for p in official), heading


def test_the_announcement_takes_effect_with_the_plan_year_when_signed_before_it() -> None:
    report = seed_report("002")  # plan year 2569 starts on 1 ตุลาคม 2568
    before = frame.announcement_paragraphs(_with_settings(report, date=dt.date(2025, 9, 15)))
    assert before[-1] == "ทั้งนี้ ตั้งแต่วันที่ 1 ตุลาคม 2568 เป็นต้นไป"
    after = frame.announcement_paragraphs(_with_settings(report, date=dt.date(2025, 12, 15)))
    assert after[-1] == "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป"


def test_the_announcing_official_and_dotted_lines() -> None:
    report = seed_report("001")
    deputy = Person("นายสมหมาย ใจงาม", "รองนายกเทศมนตรี ปฏิบัติราชการแทนนายกเทศมนตรี")
    signers = {**SIGNED.signers, "announced_by": deputy}
    (block,) = frame.announcement(_with_settings(report, signers=signers)).blocks[-1:]
    assert isinstance(block, Signatures)
    assert block.signers[0].lines == (f"({deputy.name})", deputy.position)
    unsigned = build_document(_with_settings(report, signers={}), "summary")
    announced, _ = [b for b in unsigned.blocks() if isinstance(b, Signatures)]
    assert all("...." in line for line in announced.signers[0].lines)
    bueng_kan = _with_settings(seed_report("002"), signers={}, unit=None, reference="บก 73601/12")
    with agency_words(*report_words(bueng_kan)):  # as inside a build
        memo = frame.memo(bueng_kan)
    texts = [b.text for b in memo.blocks if isinstance(b, Paragraph)]
    assert "ส่วนราชการ งานนิติการ สำนักปลัดเทศบาล เทศบาลเมืองบึงกาฬ" in texts  # units.yaml's legal unit
    assert "ที่ บก 73601/12" in texts and "เรียน นายกเทศมนตรี" in texts  # the executive's title


# --------------------------------------------------------------------------------------------------
# Words of the agency's kind
# --------------------------------------------------------------------------------------------------


def test_the_frame_speaks_as_a_municipality() -> None:
    document = build_document(seed_report("000"), "issues-8col")
    text = document.official_text()
    assert "ประกาศเทศบาลตำบลบึงไผ่" in text
    assert "ให้พนักงานเทศบาลทุกคนถือปฏิบัติ" in text
    assert "รายงานผลต่อนายกเทศมนตรี" in text and "สรุปเป็นรายงานเสนอนายกเทศมนตรี" in text
    assert "ประชาชนในพื้นที่และผู้รับบริการ" in text


def test_the_frame_speaks_as_a_subdistrict_administrative_organization(tmp_path: Path) -> None:
    agency = {"name": "องค์การบริหารส่วนตำบลบึงไผ่", "type": "องค์การบริหารส่วนตำบล"}
    report = _as_agency(tmp_path, "000", agency, SAO_SIGNED)
    for layout in LAYOUTS:
        text = build_document(report, layout).text()
        assert "เทศบาล" not in text and "เทศมนตรี" not in text, layout
        assert "รายงานผลต่อนายกองค์การบริหารส่วนตำบล" in text
        assert "เพื่อให้พนักงานส่วนตำบลถือปฏิบัติ" in text  # หลักการและเหตุผล
    announced = build_document(report, "issues-8col").official_text()
    assert "ให้พนักงานส่วนตำบลทุกคนถือปฏิบัติ" in announced
    memo = _first_page(build_document(report, "measures-table"))
    assert memo[1] == "ส่วนราชการ งานนิติการ สำนักปลัด องค์การบริหารส่วนตำบลบึงไผ่"  # units.yaml of an อบต.
    assert memo[5] == "เรียน นายกองค์การบริหารส่วนตำบลบึงไผ่"


def test_a_government_agency_gets_neutral_words(tmp_path: Path) -> None:
    unsigned = ReportSettings(date=SIGNED.date)
    report = _as_agency(tmp_path, "002", {"name": "สำนักงานตัวอย่าง", "type": "ส่วนราชการ"}, unsigned)
    text = build_document(report, "summary").official_text()
    assert "ประกาศสำนักงานตัวอย่าง" in text
    assert "ให้ข้าราชการและเจ้าหน้าที่ทุกคนถือปฏิบัติ" in text
    assert "รายงานผลต่อหัวหน้าส่วนราชการ" in text and "เทศบาล" not in text


# --------------------------------------------------------------------------------------------------
# Earlier years
# --------------------------------------------------------------------------------------------------


def _year(tmp_path: Path, year: int, overall: float) -> Path:
    path = tmp_path / f"khok-muang-{year}.yaml"
    path.write_text(
        f"agency: {{name: เทศบาลตำบลโคกม่วง}}\nita_year: {year}\nscores: {{overall: {overall}}}\n",
        encoding="utf-8",
    )
    return path


def test_no_earlier_year_no_history_sentence() -> None:
    report = seed_report("001")
    assert frame.history_sentence(report) is None
    principles = frame.principles_paragraphs(report)
    assert len(principles) == 2  # the ITA, this year's result: nothing on years not held
    text = build_document(report, "summary").official_text()
    assert "ตั้งแต่ปีงบประมาณ" not in text and "ไม่มีข้อมูล" not in text


def test_two_years_give_each_years_score(tmp_path: Path) -> None:
    report = seed_report("001", (_year(tmp_path, 2566, 85.40),))
    sentence = frame.history_sentence(report)
    assert sentence == (
        "ผลการประเมิน ITA ในภาพรวมของเทศบาลตำบลโคกม่วง ตั้งแต่ปีงบประมาณ พ.ศ. 2566 ถึง 2567 มีดังนี้ "
        "ปีงบประมาณ พ.ศ. 2566 ได้ 85.40 คะแนน และปีงบประมาณ พ.ศ. 2567 ได้ 92.13 คะแนน"
    )
    for layout in LAYOUTS:
        assert sentence in build_document(report, layout).official_text(), layout


def test_three_years_give_the_trend(tmp_path: Path) -> None:
    rising = seed_report("001", (_year(tmp_path, 2565, 80.00), _year(tmp_path, 2566, 85.40)))
    assert (frame.history_sentence(rising) or "").endswith("โดยคะแนนภาพรวมเพิ่มขึ้นทุกปี")
    other = tmp_path / "other"
    other.mkdir()
    mixed = seed_report("001", (_year(other, 2565, 95.00), _year(other, 2566, 85.40)))
    assert (frame.history_sentence(mixed) or "").endswith(
        "โดยคะแนนภาพรวมปีงบประมาณ พ.ศ. 2567 ต่ำกว่าปีงบประมาณ พ.ศ. 2565 2.87 คะแนน"
    )


def test_past_measures_say_nothing_until_known() -> None:
    assert frame.past_measures(seed_report("002")) == []


# --------------------------------------------------------------------------------------------------
# Monitoring and publication
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("plan_year", [2566, 2569, 2570])
def test_the_reports_fall_inside_the_plan_year(plan_year: int) -> None:
    start, end = dt.date(plan_year - 544, 10, 1), dt.date(plan_year - 543, 9, 30)
    six, twelve = frame.report_rounds(plan_year)
    assert "6" in six.name and "12" in twelve.name
    for r in (six, twelve):
        assert r.start == start and start <= r.end <= r.due <= end
    assert (six.end, six.due) == (dt.date(plan_year - 543, 3, 31), dt.date(plan_year - 543, 4, 30))
    assert twelve.end == end


def test_the_monitoring_section_states_the_dates() -> None:
    text = build_document(seed_report("002"), "full-report", thai_digits=True).official_text()
    assert (
        "รอบ ๖ เดือน (ผลการดำเนินงานตั้งแต่วันที่ ๑ ตุลาคม ๒๕๖๘ ถึงวันที่ ๓๑ มีนาคม ๒๕๖๙) รายงานภายในวันที่ ๓๐ เมษายน ๒๕๖๙"
        in text
    )
    assert "รอบ ๑๒ เดือน" in text and "รายงานภายในวันที่ ๓๐ กันยายน ๒๕๖๙" in text


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_the_website_appears_only_when_given(layout: str) -> None:
    report = seed_report("002")
    assert "เว็บไซต์ของหน่วยงาน" not in build_document(report, layout).official_text()
    given = _with_settings(report, website="www.bk2.go.th")
    text = build_document(given, layout, thai_digits=True).official_text()
    assert "ทางเว็บไซต์ของหน่วยงาน www.bk2.go.th" in text  # an address keeps its digits


def test_a_bare_address_with_digits_keeps_them() -> None:
    report = _with_settings(seed_report("002"), website="bk2.go.th")
    assert frame.website(report) == "https://bk2.go.th"
    assert "https://bk2.go.th" in build_document(report, "summary", thai_digits=True).official_text()


# --------------------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------------------


def test_settings_read_the_frame_fields(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(
        "approved_by: {name: นายสมปอง มั่นคง, position: นายกเทศมนตรี}\n"
        "announced_by: {name: นายสมหมาย ใจงาม, position: รองนายกเทศมนตรี}\n"
        "website: https://www.buengphai.go.th/ita\n"
        "reference: บก 73601/123\n",
        encoding="utf-8",
    )
    settings = read_settings(path)
    assert settings.website == "https://www.buengphai.go.th/ita"
    assert settings.reference == "บก 73601/123"
    assert settings.signers["announced_by"] == Person("นายสมหมาย ใจงาม", "รองนายกเทศมนตรี")
    assert ReportSettings().website is None and ReportSettings().reference is None


def test_settings_errors_are_located_in_thai_and_english(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(
        "unit: งานนิติการ\n"
        "website: เว็บไซต์ของเทศบาล\n"
        "reference: [1, 2]\n"
        "announced_by: นายสมหมาย\n"
        "webiste: www.example.go.th\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as raised:
        read_settings(path)
    found = {(p.code, p.location.line, p.location.field) for p in raised.value.problems}
    assert found == {
        ("settings_website_invalid", 2, "website"),
        ("wrong_type", 3, "reference"),
        ("wrong_type", 4, "announced_by"),
        ("unknown_field", 5, "webiste"),
    }
    website = next(p for p in raised.value.problems if p.code == "settings_website_invalid")
    assert "ที่อยู่เว็บไซต์" in website.message_th and "web address" in website.message_en
    assert "settings.yaml" in website.describe("en") and "2" in website.describe("th")
    typo = next(p for p in raised.value.problems if p.code == "unknown_field")
    assert "website" in typo.message_en  # the close spelling suggested


@pytest.mark.parametrize("value", ["www.buengphai.go.th", "buengphai.go.th", "http://bp.go.th:8080/ita?x=1"])
def test_website_forms_accepted(tmp_path: Path, value: str) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(f"website: '{value}'\n", encoding="utf-8")
    assert read_settings(path).website == value


@pytest.mark.parametrize(
    "value", ["buengphai", "www.bp.go.th www.other.go.th", "ftp://bp.go.th", "mail@bp.go.th"]
)
def test_website_forms_refused(tmp_path: Path, value: str) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(f"website: '{value}'\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_settings(path)
    assert [p.code for p in raised.value.problems] == ["settings_website_invalid"]
