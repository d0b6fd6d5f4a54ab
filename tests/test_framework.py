"""The bundled frameworks load, hold together, and say what is confirmed."""

from __future__ import annotations

import pytest

from prongsai.errors import DataFileError
from prongsai.framework import Framework, parse_framework

YEARS = [2563, 2564, 2565, 2566, 2567, 2568, 2569]


def test_every_year_from_2563_to_2569_is_bundled(frameworks: dict[int, Framework]) -> None:
    assert sorted(frameworks) == YEARS


@pytest.mark.parametrize("year", YEARS)
def test_ten_indicators_split_5_3_2_over_the_tools(frameworks: dict[int, Framework], year: int) -> None:
    fw = frameworks[year]
    assert [ind.number for ind in fw.indicators] == list(range(1, 11))
    assert [len(fw.indicators_of(t)) for t in ("IIT", "EIT", "OIT")] == [5, 3, 2]
    assert {t.code: t.weight for t in fw.tools} == {"IIT": 0.3, "EIT": 0.3, "OIT": 0.4}
    assert fw.pass_mark == 85


def test_2568_has_every_item_of_seed_002_under_its_indicator(frameworks: dict[int, Framework]) -> None:
    fw = frameworks[2568]
    counts = {n: len(fw.items_of(n)) for n in range(1, 11)}
    assert counts == {1: 3, 2: 3, 3: 3, 4: 3, 5: 3, 6: 3, 7: 3, 8: 3, 9: 20, 10: 8}
    assert fw.item("o27").text_th == "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
    assert fw.item("o16").sub_indicator == "9.4"
    assert all(item.source.startswith("seed-002:") for item in fw.items)
    assert [p.code for p in fw.tool("EIT").parts] == ["EIT1", "EIT2"]


def test_2567_iit_grouping_is_confirmed_but_eit_and_oit_are_not(frameworks: dict[int, Framework]) -> None:
    fw = frameworks[2567]
    assert len(fw.items) == 15 + 9 + 35
    assert all(fw.item(f"i{n}").indicator_confirmed for n in range(1, 16))
    assert fw.item("i10").indicator == 4
    assert not any(fw.item(f"e{n}").indicator_confirmed for n in range(1, 10))
    assert fw.item("o20").indicator is None  # which OIT indicator o4-o35 belong to is not known
    assert fw.indicator_from_items["IIT"].rule.confirmed
    assert not fw.indicator_from_items["EIT"].rule.confirmed


def test_2566_mapping_is_an_inference_and_says_so(frameworks: dict[int, Framework]) -> None:
    fw = frameworks[2566]
    assert (len([i for i in fw.items if i.tool == "IIT"]), len([i for i in fw.items if i.tool == "EIT"])) == (
        30,
        15,
    )
    assert fw.item("i7").indicator == 2 and fw.item("e11").indicator == 8 and fw.item("o42").indicator == 10
    assert not any(item.indicator_confirmed for item in fw.items)
    assert fw.item("o42").text_th == "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"


def test_weights_are_confirmed_only_where_a_source_shows_them(frameworks: dict[int, Framework]) -> None:
    confirmed = {year: fw.weights_rule.confirmed for year, fw in frameworks.items()}
    assert confirmed == {
        2563: False,
        2564: True,
        2565: True,
        2566: False,
        2567: True,
        2568: True,
        2569: False,
    }


def test_levels_per_year(frameworks: dict[int, Framework]) -> None:
    assert frameworks[2565].level_names() == ("AA", "A", "B", "C", "D", "E", "F")
    assert frameworks[2568].level_names() == ("ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน", "ต้องปรับปรุง", "ต้องปรับปรุงโดยด่วน")
    good = frameworks[2568].levels[1]
    assert (good.min_overall, good.min_each_tool, good.rule.confirmed) == (85, 85, True)
    assert not frameworks[2567].levels[1].rule.confirmed


def test_2565_indicator_numbers_follow_the_official_order_not_seed_003_ranks(
    frameworks: dict[int, Framework],
) -> None:
    fw = frameworks[2565]
    assert fw.indicator(4).name_th == "การใช้ทรัพย์สินของราชการ"
    assert fw.indicator(4).rule.confirmed  # 003's own text says "ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ"
    assert not fw.indicator(3).rule.confirmed


def test_every_source_reference_names_a_listed_source(frameworks: dict[int, Framework]) -> None:
    for fw in frameworks.values():
        refs = [item.source for item in fw.items] + [ind.rule.source for ind in fw.indicators]
        for ref in refs:
            for part in ref.split(";"):
                assert part.split(":")[0] in fw.sources, (fw.ita_year, part)


MINIMAL = """
schema_version: 1
ita_year: 2599
name_th: ทดสอบ
sources: {x: {kind: inference, title: t}}
rules:
  pass_mark: {value: 85, confirmed: false, source: x}
  weights: {value: {IIT: 0.3, EIT: 0.3, OIT: 0.4}, confirmed: false, source: x}
  aggregation:
    indicator_from_items:
      IIT: {method: mean, confirmed: false, source: x}
      EIT: {method: mean, confirmed: false, source: x}
      OIT: {method: mean, confirmed: false, source: x}
    tool_from_indicators: {method: mean, confirmed: false, source: x}
    overall_from_tools: {method: weighted_mean, confirmed: false, source: x}
  levels:
    source: x
    levels:
      - {name: ผ่าน, min_overall: 85, confirmed: false, source: x}
      - {name: ไม่ผ่าน, min_overall: 0, confirmed: false, source: x}
tools:
  - {code: IIT, name_th: a, name_en: a, source: x}
  - {code: EIT, name_th: b, name_en: b, source: x}
  - {code: OIT, name_th: c, name_en: c, source: x}
indicators:
""" + "".join(
    f"  - {{number: {n}, name_th: n{n}, tool: {'IIT' if n <= 5 else 'EIT' if n <= 8 else 'OIT'}, confirmed: false, source: x}}\n"
    for n in range(1, 11)
)


def test_a_minimal_framework_file_is_accepted() -> None:
    fw = parse_framework(MINIMAL + "items:\n  - {code: i1, indicator: 1, source: x}\n", "test")
    assert fw.ita_year == 2599 and fw.item("i1").tool == "IIT"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (
                "weights: {value: {IIT: 0.3, EIT: 0.3, OIT: 0.4}",
                "weights: {value: {IIT: 0.3, EIT: 0.3, OIT: 0.5}",
            ),
            "add up to 1",
        ),
        (
            (
                "{name: ผ่าน, min_overall: 85, confirmed: false, source: x}",
                "{name: ผ่าน, min_overall: 85, confirmed: false, source: nowhere}",
            ),
            "not listed under sources",
        ),
        (("  - {name: ไม่ผ่าน, min_overall: 0", "  - {name: ไม่ผ่าน, min_overall: 50"), "last level"),
        (("schema_version: 1", "schema_version: 2"), "schema_version"),
        (("name_th: ทดสอบ", "name_th: ทดสอบ\nextra_key: 1"), "extra_key"),
    ],
)
def test_broken_framework_files_are_rejected_with_the_reason(change: tuple[str, str], message: str) -> None:
    text = MINIMAL.replace(*change)
    assert text != MINIMAL
    with pytest.raises(DataFileError) as info:
        parse_framework(text, "broken.yaml")
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ("  - {code: i1, indicator: 6, source: x}\n", "which is not one of IIT's indicators"),
        ("  - {code: i1, source: x}\n  - {code: i1, source: x}\n", "listed twice"),
        ("  - {code: q1, source: x}\n", "i, e or o followed by a number"),
        ("  - {code: o1, indicator: 9, sub_indicator: '9.9', source: x}\n", "not defined"),
        (
            "  - {code: e1, indicator_confirmed: true, source: x}\n",
            "has no indicator, so its placement cannot be marked confirmed",
        ),
    ],
)
def test_inconsistent_items_are_rejected(items: str, message: str) -> None:
    with pytest.raises(DataFileError) as info:
        parse_framework(MINIMAL + "items:\n" + items, "broken.yaml")
    assert message in str(info.value)
