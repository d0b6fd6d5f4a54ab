"""Numbers people write are read with one meaning or refused with the reason (loader.numbers)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prongsai.ingest.record import parse_score, parse_year
from prongsai.loader.numbers import read_number
from prongsai.problems import Location
from prongsai.thai import to_thai_digits

HERE = Location(file="r.csv", row=2, column="score")


@pytest.mark.parametrize(
    ("written", "meaning"),
    [
        ("92.13", Decimal("92.13")),
        (" ๙๒.๑๓ ", Decimal("92.13")),
        ("070", Decimal("70")),  # decimal, never YAML 1.1's octal 56
        ("9.067e1", Decimal("90.67")),
        ("92%", Decimal("92")),
        ("1,519", Decimal("1519")),  # a thousands separator, as printed in seed 001
        ("๑,๕๑๙", Decimal("1519")),
        ("+92", Decimal("92")),
        (".5", Decimal("0.5")),
        (92, Decimal("92")),
        (92.13, Decimal("92.13")),
        (10**400, Decimal(10**400)),
    ],
)
def test_one_meaning(written: object, meaning: Decimal) -> None:
    assert read_number(written).value == meaning


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("0x50", "notation"),
        ("0o70", "notation"),
        ("0b1011010", "notation"),
        ("9_0", "notation"),
        ("1:30", "notation"),
        (".inf", "notation"),
        ("NaN", "notation"),
        (float("nan"), "notation"),
        ("92,13", "comma"),  # a decimal comma: not how Thai numbers are written
        ("92,5", "comma"),
        ("ninety", "text"),
        ("", "text"),
        (True, "text"),
        (None, "text"),
    ],
)
def test_refused_with_the_reason(written: object, reason: str) -> None:
    reading = read_number(written)
    assert reading.value is None and reading.reason == reason


def test_score_messages_say_why_and_what_was_read() -> None:
    _, (comma,) = parse_score("92,13", HERE)
    assert comma.code == "score_not_a_number" and "92.13" in comma.message_en and "จุลภาค" in comma.message_th
    _, (hexa,) = parse_score("0x50", HERE)
    assert "decimal digits" in hexa.message_en
    _, (thousands,) = parse_score("1,519", HERE)
    assert thousands.code == "score_out_of_range" and "1,519 (= 1519)" in thousands.message_en
    _, (huge,) = parse_score("9" * 400, HERE)
    assert huge.code == "score_out_of_range" and len(huge.message_en) < 200
    assert parse_score(Decimal("88.50"), HERE) == (88.5, [])  # Parquet DECIMAL columns
    assert parse_score(10**400, HERE)[0] is None  # no OverflowError


def test_years_in_every_form() -> None:
    for value in (2567, "2567", "๒๕๖๗", "พ.ศ. 2567", 2567.0, Decimal("2567")):
        assert parse_year(value, HERE) == (2567, [])
    for value in (10**400, "0x9ff", "25,67", True, -1, 0):
        year, (problem,) = parse_year(value, HERE)
        assert year is None and problem.code == "year_not_a_number"
    assert parse_year(2024, HERE)[1][0].code == "year_in_ce"


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False))
def test_every_written_form_of_a_score_reads_back(value: Decimal) -> None:
    text = f"{value:f}"
    for form in (text, to_thai_digits(text), f" {text} ", f"{text}%"):
        assert read_number(form).value == value
