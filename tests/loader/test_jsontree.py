"""JSON exactly as JSON means it, located, without recursion (loader.jsontree)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prongsai.errors import InputError
from prongsai.loader.jsontree import load_json
from prongsai.problems import Location, Problem

HERE = Location(file="r.json")


def read(text: str) -> tuple[Any, list[Problem]]:
    documents, problems = load_json(text, HERE)
    return (documents[0].plain() if documents else None), problems


def test_numbers_and_escapes_as_json_defines_them() -> None:
    data, problems = read(
        '{"a": 9.067e1, "b": -0, "c": "\\ud83d\\ude00 ok", "d": 1e400, "e": ' + "9" * 5000 + "}"
    )
    assert problems == []
    assert data["a"] == 90.67 and data["b"] == 0 and data["c"] == "😀 ok"
    assert data["d"] == Decimal("1e400") and isinstance(data["e"], Decimal)


def test_lines_of_values_and_keys() -> None:
    documents, _ = load_json('{\n  "agency": "x",\n  "scores": {\n    "items": {"i1": 90}\n  }\n}', HERE)
    root = documents[0].value
    assert isinstance(root, dict)
    assert root["agency"].key_line == 2 and root["scores"].key_line == 3


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ('{\n "a": 1,\n}', 3, "no comma before a closing bracket"),
        ("[1, 2,]", 1, "no comma before a closing bracket"),
        ('{"a" 1}', 1, "':' after the key"),
        ('{"a": NaN}', 1, "a value"),
        ('{"a": 01}', 1, "a comma or a closing bracket"),
        ('{"a": 1} extra', 1, "the end of the file"),
        ('{"a": [1,\n 2\n', 3, "a comma or a closing bracket"),
        ('{"k":\n "abc\ndef"}', 2, "a valid text"),
        ("{'a': 1}", 1, "a key in double quotes"),
    ],
)
def test_syntax_errors_name_line_column_and_what_was_expected(text: str, line: int, expected: str) -> None:
    _, (problem,) = read(text)
    assert problem.code == "json_syntax_at" and problem.location.line == line
    assert expected in problem.message_en and "JSON" in problem.message_th


def test_lone_surrogates_and_control_characters_are_located() -> None:
    _, (problem,) = read('{\n"name": "\\ud800x"}')
    assert problem.code == "text_bad_character" and problem.location.line == 2
    _, (control,) = read('{"name": "a\\u0007b"}')
    assert control.params["codepoint"] == "U+0007"


def test_duplicate_keys_and_nesting_limit() -> None:
    data, (problem,) = read('{"i1": 90,\n "i1": 80}')
    assert data == {"i1": 90} and problem.code == "duplicate_key" and problem.location.line == 2
    with pytest.raises(InputError) as info:
        read("[" * 100_000 + "]" * 100_000)
    assert info.value.problems[0].code == "limit_exceeded"


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=25,
)


@given(_json, st.sampled_from([None, 1, 2]), st.booleans())
def test_reads_what_the_json_module_reads(value: Any, indent: int | None, ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    data, problems = read(text)
    if problems:  # control characters and lone surrogates: refused with a location, tested above
        assert {p.code for p in problems} == {"text_bad_character"}
        return
    assert data == json.loads(text)
