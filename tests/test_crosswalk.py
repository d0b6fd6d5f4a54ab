"""The cross-year item map links only what texts show to be the same question."""

from __future__ import annotations

import pytest

from prongsai.crosswalk import load_crosswalk, parse_crosswalk
from prongsai.errors import DataFileError
from prongsai.framework import Framework


def test_renumbered_items_are_followed_across_years() -> None:
    cw = load_crosswalk()
    # the anti-corruption action plan: 2566 o36, 2568 o25 (both printed "แผนปฏิบัติการป้องกันการทุจริต")
    assert (m := cw.counterpart(2566, "o36", 2568)) is not None and m.code == "o25" and m.certain
    # the measures document itself: 2566 o42, 2568 o27
    assert (m := cw.counterpart(2568, "o27", 2566)) is not None and m.code == "o42"
    assert (m := cw.counterpart(2566, "i1", 2568)) is not None and m.code == "i1"


def test_links_through_2567_findings_are_marked_uncertain() -> None:
    member = load_crosswalk().counterpart(2568, "i1", 2567)
    assert member is not None and not member.certain and "seed-001" in member.evidence


def test_merged_items_stay_unlinked() -> None:
    cw = load_crosswalk()
    assert cw.concept_of(2566, "o1") is None  # โครงสร้าง merged with อำนาจหน้าที่ into 2568 o1
    assert cw.counterpart(2568, "o1", 2566) is None


def test_every_concept_spans_two_years_and_codes_exist(frameworks: dict[int, Framework]) -> None:
    cw = load_crosswalk()
    assert len(cw.concepts) >= 40
    for concept in cw.concepts:
        assert len({m.year for m in concept.members}) >= 2
        for member in concept.members:
            assert member.code in frameworks[member.year].items_by_code


BASE = """
schema_version: 1
concepts:
  - id: a
    tool: IIT
    summary_en: x
    members:
      - {year: 2566, code: i1, certain: true, evidence: seed-000:32}
      - {year: 2568, code: CODE, certain: true, evidence: seed-002:72}
"""


@pytest.mark.parametrize(
    ("code", "message"),
    [("i16", "has no item i16"), ("e1", "not a IIT item")],
)
def test_broken_crosswalk_is_rejected(frameworks: dict[int, Framework], code: str, message: str) -> None:
    with pytest.raises(DataFileError) as info:
        parse_crosswalk(BASE.replace("CODE", code), "crosswalk.yaml", frameworks)
    assert message in str(info.value)


def test_an_item_in_two_concepts_is_rejected(frameworks: dict[int, Framework]) -> None:
    twice = BASE.replace("CODE", "i1") + BASE.replace("CODE", "i2").split("concepts:")[1].replace(
        "id: a", "id: b"
    )
    with pytest.raises(DataFileError) as info:
        parse_crosswalk(twice, "crosswalk.yaml", frameworks)
    assert "two concepts" in str(info.value)
