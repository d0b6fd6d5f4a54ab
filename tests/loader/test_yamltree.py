"""YAML from strangers: 1.2 meanings, located problems, limits on nesting, aliases and tags."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from prongsai.errors import InputError
from prongsai.loader.limits import LIMITS, Limits
from prongsai.loader.yamltree import load_yaml
from prongsai.problems import Location, Problem

HERE = Location(file="plan.yaml")


def read(text: str, limits: Limits = LIMITS) -> tuple[Any, list[Problem]]:
    documents, problems = load_yaml(text, HERE, limits)
    return [d.plain() for d in documents], problems


def refused(text: str, limits: Limits = LIMITS) -> Problem:
    with pytest.raises(InputError) as info:
        load_yaml(text, HERE, limits)
    (problem,) = info.value.problems
    return problem


def test_yaml_1_1_forms_keep_the_text_a_person_typed() -> None:
    (data,), problems = read(
        "a: 070\nb: 0x50\nc: 1:30\nd: 9_0\ne: 0b1011010\nf: yes\ng: 2568-12-15\nh: .inf\n"
    )
    assert problems == []
    assert data == {
        "a": "070",  # text here; a score reads it as 70 (loader.numbers), never as octal 56
        "b": "0x50",
        "c": "1:30",
        "d": "9_0",
        "e": "0b1011010",
        "f": "yes",
        "g": "2568-12-15",
        "h": ".inf",
    }


def test_numbers_by_the_core_schema() -> None:
    text = "i: -12\nf: 9.067e+1\nbig: 1.0e+400\nlong: " + "9" * 5000 + "\nn: ~\nt: true\nq: '92'\n"
    (data,), _ = read(text + "hash: 35031095e5\nzero: 0912\nexp: 9.067e1\n")
    assert data["i"] == -12 and data["f"] == 90.67
    assert data["big"] == Decimal("1e400") and isinstance(data["long"], Decimal)
    assert data["n"] is None and data["t"] is True and data["q"] == "92"
    # what YAML 1.1 reads as text stays text (PyYAML writes it unquoted); scores still read it as a number
    assert (data["hash"], data["zero"], data["exp"]) == ("35031095e5", "0912", "9.067e1")


def test_an_unclosed_quote_is_reported_where_it_opens() -> None:
    text = "agency: x\n" * 55 + "note: 'never closed\n" + "k: v\n" * 255
    _, (problem,) = read(text.replace("agency: x\n", "", 54))
    assert problem.code == "yaml_syntax_explained"
    assert problem.location.line == 2
    assert "never closed" in problem.message_en and "ไม่ได้ปิด" in problem.message_th
    assert "noticed at line" in problem.message_en


def test_duplicate_keys_name_both_lines() -> None:
    (data,), (problem,) = read("i1: 90\ni2: 80\ni1: 70\n")
    assert data == {"i1": 90, "i2": 80}
    assert (
        problem.code == "duplicate_key" and problem.location.line == 3 and problem.params["first_line"] == "1"
    )


def test_deep_nesting_stops_at_the_limit_without_recursion() -> None:
    problem = refused("a: " + "[" * 10_000 + "]" * 10_000)
    assert problem.code == "limit_exceeded" and "nesting" in problem.message_en
    block = "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n"
    assert refused(block).code == "limit_exceeded"


def test_billion_laughs_stops_fast_at_the_alias_limit() -> None:
    text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    text += "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 10))
    start = time.perf_counter()
    problem = refused(text)
    assert time.perf_counter() - start < 1
    assert problem.code == "limit_exceeded" and "aliases" in problem.message_en and problem.location.line


def test_aliases_within_the_limit_are_shared_not_copied() -> None:
    (data,), _ = read("base: &b {owner: กองคลัง, quarters: [1, 4]}\nm1: *b\nm2: {<<: *b, owner: สำนักปลัด}\n")
    assert data["m1"] == {"owner": "กองคลัง", "quarters": [1, 4]}
    assert data["m2"] == {"owner": "สำนักปลัด", "quarters": [1, 4]}


def test_self_referencing_and_undefined_aliases() -> None:
    assert refused("a: &a [1, *a]\n").code == "yaml_recursive_alias"
    assert refused("a: &a {b: *a}\n").code == "yaml_recursive_alias"
    assert refused("a: *nowhere\n").code == "yaml_undefined_alias"


def test_tags_that_build_objects_are_refused() -> None:
    problem = refused("a: !!python/object/apply:os.system [echo hi]\n")
    assert problem.code == "yaml_tag" and "!!python/object/apply:os.system" in problem.message_en
    assert refused("a: !custom 1\n").code == "yaml_tag"
    assert refused("a: !!int 0x50\n").code == "yaml_tag_value"
    (data,), _ = read("a: !!str 070\nb: !!float 92\n")
    assert data == {"a": "070", "b": 92.0}


def test_characters_no_document_can_hold() -> None:
    _, (raw,) = read("name: ab\x01c\n")
    assert raw.code == "text_bad_character" and raw.params["codepoint"] == "U+0001" and raw.location.line == 1
    _, (escaped,) = read('x: 1\nname: "\\ud800"\n')
    assert escaped.location.line == 2  # refused as a bad character, or by libyaml as a bad escape
    assert escaped.code == "text_bad_character" or "escape" in escaped.message_en


def test_a_value_over_the_length_limit() -> None:
    _, (problem,) = read("name: " + "ก" * 40_000 + "\n")
    assert problem.code == "text_too_long"


def test_node_limit() -> None:
    problem = refused("[" + ", ".join(["1"] * 200) + "]", Limits(nodes=100))
    assert problem.code == "limit_exceeded" and "values" in problem.message_en


_plain = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=20)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(_plain)
def test_what_pyyaml_writes_reads_back_the_same(value: Any) -> None:
    text = yaml.safe_dump({"v": value}, allow_unicode=True)
    (data,), problems = read(text)
    expected = yaml.safe_load(text)
    if any(p.code == "text_bad_character" for p in problems):
        return  # hypothesis found a control character: refused, as tested above
    assert data == expected
