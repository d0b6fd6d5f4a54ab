"""Property-based parts (hypothesis): a score written in any text form, and any agency name.

Each property runs its examples to the end and returns every result (a failing example does not
stop the others, so the summary counts them all). The default run is derandomized: the same
examples every time; PRONGSAI_FUZZ=long draws many more, at random. Shrinking is off: each
example is a forked command, and the failing ones are reported with their input already."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.fuzz import sources as s
from tests.fuzz.cases_numbers import ITEM, SEED, csv_with_cell, json_with
from tests.fuzz.cases_outputs import _no_formulas
from tests.fuzz.harness import Case, Oracle, Result, run_case

LONG = os.environ.get("PRONGSAI_FUZZ", "").lower() == "long"
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        derandomize=not LONG,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


@st.composite
def number_forms(draw: st.DrawFn) -> tuple[str, Decimal]:
    """(text, value): a score 0-100 with up to two decimals, written the ways people write it."""
    value = Decimal(draw(st.integers(0, 10_000))) / 100
    if draw(st.booleans()) and value:
        shift = draw(st.sampled_from([-2, -1, 1, 2]))
        mantissa = value.scaleb(-shift)
        text = f"{mantissa:f}{draw(st.sampled_from(['e', 'E']))}{'+' if shift > 0 and draw(st.booleans()) else ''}{shift}"
    else:
        text = f"{value:f}"
        trail = draw(st.integers(0, 3))
        if trail:
            text += ("" if "." in text else ".") + "0" * trail
        text = "0" * draw(st.integers(0, 2)) + text
        if draw(st.booleans()):
            text += "%"
    if draw(st.booleans()):
        text = "+" + text
    if draw(st.booleans()):
        text = text.translate(THAI_DIGITS)
    return text, value


CONTAINERS = ["yaml-plain", "yaml-quoted", "json", "csv"]


def number_case(container: str, text: str, value: Decimal) -> Case:
    oracle = Oracle(("items", ITEM), (float(value),))
    name = f"{container}:{text}"
    if container == "yaml-plain":
        return Case(
            "number-forms",
            name,
            ("check", "--json", "r.yaml"),
            {"r.yaml": s.with_item(SEED, ITEM, text)},
            oracle=oracle,
        )
    if container == "yaml-quoted":
        return Case(
            "number-forms",
            name,
            ("check", "--json", "r.yaml"),
            {"r.yaml": s.with_item(SEED, ITEM, f"' {text} '")},
            oracle=oracle,
        )
    if container == "json":
        try:
            json.loads(text)
            literal = text
        except ValueError:
            literal = json.dumps(text, ensure_ascii=False)
        return Case(
            "number-forms", name, ("check", "--json", "r.json"), {"r.json": json_with(literal)}, oracle=oracle
        )
    return Case(
        "number-forms", name, ("check", "--json", "r.csv"), {"r.csv": csv_with_cell(text)}, oracle=oracle
    )


def explore_number_forms(root: Path, examples: int | None = None) -> list[Result]:
    results: dict[str, Result] = {}

    @_settings(examples or (400 if LONG else 40))
    @given(st.sampled_from(CONTAINERS), number_forms())
    def explore(container: str, form: tuple[str, Decimal]) -> None:
        case = number_case(container, *form)
        if case.name not in results:
            results[case.name] = run_case(case, root)

    explore()
    return list(results.values())


# characters that have broken writers: controls, XML-forbidden, formula starts, Thai, emoji
NAME_CHARS = st.one_of(
    st.sampled_from([*"=+-@\t\r\n\x00\x01\x0b\x1b\x7f\ufffe\uffff\u200b\u00a0\"',;<>&{}%", "😀", "ก", "ํ"]),
    st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B),
    st.characters(codec="utf-8"),
)


@st.composite
def agency_names(draw: st.DrawFn) -> str:
    start = draw(st.sampled_from(["", "=", "+", "-", "@", "\t", "เทศบาลตำบล", "อบต.", "ทต."]))
    body = draw(st.text(NAME_CHARS, min_size=0, max_size=40))
    if draw(st.integers(0, 9)) == 0:
        body *= draw(st.integers(50, 700))  # long names: core properties, file names, cells
    return start + body


def name_case(name: str, output: str) -> Case:
    record = s.example(SEED)
    record["agency"] = {"name": name}
    text = json.dumps(record, ensure_ascii=True)
    return Case(
        "agency-names",
        f"{output}:{json.dumps(name)[:60]}#{len(name)}",
        ("report", "r.json", "-o", output),
        {"r.json": text},
        checks=(_no_formulas(output),),
    )


def explore_agency_names(root: Path, examples: int | None = None) -> list[Result]:
    results: dict[str, Result] = {}

    @_settings(examples or (150 if LONG else 12))
    @given(agency_names(), st.sampled_from(["m.csv", "m.xlsx", "d.docx", "p.yaml"]))
    def explore(name: str, output: str) -> None:
        case = name_case(name, output)
        if output == "p.yaml":
            case = Case(case.cls, case.name, ("plan", "r.json", "-o", "p.yaml"), case.files)
        if case.name not in results:
            results[case.name] = run_case(case, root)

    explore()
    return list(results.values())
