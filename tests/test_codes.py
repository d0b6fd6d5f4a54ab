"""Score keys as people write them."""

from __future__ import annotations

import pytest

from prongsai.codes import Key, parse_indicator, parse_item_code, parse_key


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("i1", "i1"),
        ("I1", "i1"),
        ("ข้อ i1", "i1"),
        ("ข้อi๑", "i1"),
        ("E๑", "e1"),
        ("e๑๕", "e15"),
        ("O๑๖", "o16"),
        ("๐๑๑", "o11"),  # seed 000 prints o11 with a Thai zero for the letter o
        ("0๒๐", "o20"),  # seed 003: Arabic zero and Thai digits
        ("๐1", "o1"),  # seed 001
        (" o07 ", "o7"),
    ],
)
def test_item_codes_in_the_forms_the_seeds_print(written: str, code: str) -> None:
    assert parse_item_code(written) == code


@pytest.mark.parametrize("written", ["x1", "i", "i100", "๐", "00", "ข้อที่หนึ่ง", "11", ""])
def test_unreadable_item_codes(written: str) -> None:
    assert parse_item_code(written) is None


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("overall", Key("overall")),
        ("คะแนนรวม", Key("overall")),
        ("level", Key("level")),
        ("iit", Key("tool", "IIT")),
        ("EIT", Key("tool", "EIT")),
        ("EIT1", Key("part", "EIT1")),
        ("eit-2", Key("part", "EIT2")),
        ("ind4", Key("indicator", 4)),
        ("ตัวชี้วัดที่ ๑๐", Key("indicator", 10)),
        ("ข้อ e9", Key("item", "e9")),
    ],
)
def test_keys_of_the_long_form_code_column(written: str, key: Key) -> None:
    assert parse_key(written) == key


def test_indicator_numbers_from_yaml_keys() -> None:
    assert parse_indicator(4) == 4
    assert parse_indicator("๔") == 4
    assert parse_indicator("ind4") == 4
    assert parse_indicator("four") is None
