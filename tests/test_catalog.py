"""The Thai catalogs load, cover what they must, and keep to plain official Thai."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from prongsai.agency import PLACEHOLDER
from prongsai.catalog import STATUSES, default_units, findings, issue_grouping
from prongsai.catalog.measures import role_names, templates
from prongsai.framework import Framework

ALLOWED = re.compile(r"E-Service|No Gift Policy|ITA|IIT|EIT|OIT|Q&A|Social Network")


def _latin(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]+", ALLOWED.sub("", text))


@pytest.mark.parametrize("year", [2566, 2567, 2568])
def test_findings_cover_every_item_and_status(frameworks: dict[int, Framework], year: int) -> None:
    texts = findings(year)
    if year == 2566 and not texts:
        pytest.skip("findings-2566.yaml not yet written")
    assert set(texts) == set(frameworks[year].items_by_code)
    for code, item in texts.items():
        assert set(item.by_status) == set(STATUSES)
        for status, entry in item.by_status.items():
            for text in (item.subject, entry.finding, entry.recommendation):
                assert not _latin(text), (year, code, status, _latin(text))
            assert all(e.startswith("o") for e in entry.evidence)


def test_2568_findings_point_to_evidence_like_the_assessors() -> None:
    texts = findings(2568)
    assert "o8" in texts["i1"].by_status["below"].evidence  # seed 002: "(อ้างอิงจาก ๐๘)"
    assert texts["o16"].by_status["below"].finding != texts["o16"].by_status["full"].finding


def test_measure_templates_cover_every_indicator() -> None:
    pool = templates()
    assert len(pool) >= 60
    per_indicator = Counter(n for t in pool for n in t.indicators)
    assert all(per_indicator[n] >= 5 for n in range(1, 11)), per_indicator
    keep = {t.indicators[0] for t in pool if t.maintain}
    assert keep == set(range(1, 11))  # a keep-the-standard measure for every indicator
    assert {i for t in pool for i in t.issues} == set(range(1, 8))
    for template in pool:
        for text in (template.title, *template.steps, template.follow_up):
            assert not _latin(PLACEHOLDER.sub("", text)), (template.id, text)  # {term.executive} is no word


def test_every_2566_and_2568_item_is_answered_by_some_template(frameworks: dict[int, Framework]) -> None:
    for year in (2566, 2568):
        answered = {code for t in templates() for code in t.items.get(year, ())}
        assert answered == set(frameworks[year].items_by_code), year


def test_units_exist_for_every_role_of_every_local_government_type() -> None:
    roles = set(role_names())
    for agency_type in (
        "เทศบาลตำบล",
        "เทศบาลเมือง",
        "เทศบาลนคร",
        "องค์การบริหารส่วนตำบล",
        "องค์การบริหารส่วนจังหวัด",
        None,
    ):
        assert roles <= set(default_units(agency_type)), agency_type


def test_issue_grouping_places_every_item(frameworks: dict[int, Framework]) -> None:
    grouping = issue_grouping()
    assert [i.number for i in grouping.issues] == list(range(1, 8))
    assert grouping.confirmed[2566] and not grouping.confirmed[2568]
    assert grouping.issues_of(2567, "o15") == (5, 6)  # seed 001 lists o15 under two issues
