"""Scores written every way people and programs write them, in every results form: each has one
meaning or none (issue 11, "numbers silently changed"), and the examples themselves in every form
(the controls: valid input must read as exactly what it says)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tests.fuzz import sources as s
from tests.fuzz.harness import Case, Expect, Oracle

SEED = "001"  # เทศบาลตำบลโคกม่วง 2567: i1 is 84.67 in every form
ITEM = "i1"
I1 = Oracle(("items", ITEM), (84.67,))
FORTY_HUNDRED = "1" + "0" * 399  # a 400-digit number (OverflowError as a float)
FIVE_THOUSAND = "9" * 5000  # over Python's 4,300-digit limit for int(text)
TINY = "0." + "0" * 398 + "1"


@dataclass(frozen=True)
class Form:
    """A score written as ``text``; ``means`` is what it says as decimal text (() when nothing)."""

    name: str
    text: str
    means: tuple[float, ...]
    expect: Expect = "any"


def _no(name: str, text: str) -> Form:
    return Form(name, text, ())


# YAML: the text exactly as it stands after "i1: " in the file
YAML_FORMS = [
    Form("octal-070", "070", (70,)),
    _no("hex-0x50", "0x50"),
    _no("octal-0o120", "0o120"),
    _no("sexagesimal-1:30", "1:30"),
    Form("underscore-9_0", "9_0", (90,)),
    _no("binary", "0b1011010"),
    Form("exponent", "9.067e1", (90.67,)),
    Form("exponent-upper-signed", "9.067E+1", (90.67,)),
    Form("plus-sign", "+92.5", (92.5,)),
    _no("thousands-1,519", "'1,519'"),
    _no("thousands-1,519-unquoted", "1,519"),
    _no("thousands-thai-digits", "'๑,๕๑๙'"),
    _no("decimal-comma", "'92,5'"),
    Form("thai-digits", "'๙๒.๕๐'", (92.5,), "accept"),
    Form("thai-digits-unquoted", "๙๒.๕๐", (92.5,), "accept"),
    _no("nan", ".nan"),
    _no("inf", ".inf"),
    _no("minus-inf", "-.inf"),
    _no("float-overflow", "1.0e+400"),
    _no("400-digits", FORTY_HUNDRED),
    _no("5000-digits", FIVE_THOUSAND),
    Form("400-decimals", TINY, (0,)),
    Form("percent", "92.5%", (92.5,)),
    Form("spaces", "'  92.5  '", (92.5,)),
    Form("no-break-space", '"92.5\\u00a0"', (92.5,)),
    Form("fullwidth-digits", "'９２.５'", (92.5,)),
    _no("two-points", "'92.5.1'"),
    Form("minus-zero", "-0", (0,)),
    _no("boolean-yes", "yes"),
    _no("date", "2024-01-01"),
    _no("list", "[92.5]"),
    _no("mapping", "{score: 92.5}"),
    _no("hex-quoted", "'0x50'"),
    _no("words-nan", "'NaN'"),
    _no("fraction", "'1/2'"),
]

# JSON: the literal after "i1": (numbers unquoted, text quoted)
JSON_FORMS = [
    Form("exponent", "9.067e1", (90.67,), "accept"),
    Form("exponent-negative", "9067e-2", (90.67,), "accept"),
    Form("octal-text", '"070"', (70,)),
    _no("float-overflow", "1e400"),
    _no("400-digits", FORTY_HUNDRED),
    _no("5000-digits", FIVE_THOUSAND),
    Form("minus-zero", "-0", (0,)),
    _no("thousands", '"1,519"'),
    _no("thousands-thai-digits", '"๑,๕๑๙"'),
    Form("thai-digits", '"๙๒.๕๐"', (92.5,), "accept"),
    Form("long-fraction", "92.50000000000000000001", (92.5,)),
    _no("true", "true"),
    Form("percent-text", '"92.5%"', (92.5,)),
    Form("400-decimals", TINY, (0,)),
    _no("infinity-literal", "Infinity"),
    _no("minus-infinity-literal", "-Infinity"),
    _no("hex-text", '"0x50"'),
]

# CSV: the raw cell text (quoted here where CSV needs it)
CSV_FORMS = [
    Form("octal-070", "070", (70,)),
    _no("hex-0x50", "0x50"),
    _no("sexagesimal-1:30", "1:30"),
    _no("thousands-1,519", '"1,519"'),
    _no("thousands-thai-digits", '"๑,๕๑๙"'),
    Form("exponent", "9.067e1", (90.67,), "accept"),
    Form("percent", "92.5%", (92.5,)),
    Form("thai-digits", "๙๒.๕๐", (92.5,), "accept"),
    Form("spaces", " 92.5 ", (92.5,)),
    _no("float-overflow", "1e400"),
    _no("400-digits", FORTY_HUNDRED),
    _no("5000-digits", FIVE_THOUSAND),
    _no("nan", "nan"),
    _no("inf", "inf"),
    _no("decimal-comma", '"92,5"'),
    Form("excel-apostrophe", "'92.5", (92.5,)),
    _no("formula-text", "=92.5"),
]

WIDE_CSV_FORMS = [
    f
    for f in CSV_FORMS
    if f.name
    in (
        "octal-070",
        "thousands-1,519",
        "thousands-thai-digits",
        "percent",
        "exponent",
        "400-digits",
        "nan",
        "decimal-comma",
    )
]


def _yaml(form: Form) -> Case:
    return Case(
        "numbers",
        f"yaml-{form.name}",
        ("check", "--json", "r.yaml"),
        {"r.yaml": s.with_item(SEED, ITEM, form.text)},
        expect=form.expect,
        oracle=Oracle(("items", ITEM), form.means),
        where=(f"line {s.item_line(SEED, ITEM)}",),
    )


def json_with(literal: str, seed: str = SEED, code: str = ITEM) -> str:
    record = s.example(seed)
    record["scores"]["items"][code] = "@@"
    return s.as_json(record).replace('"@@"', literal)


def _json_line(text: str, code: str = ITEM) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if f'"{code}":' in line:
            return number
    return 0


def _json(form: Form) -> Case:
    text = json_with(form.text)
    return Case(
        "numbers",
        f"json-{form.name}",
        ("check", "--json", "r.json"),
        {"r.json": text},
        expect=form.expect,
        oracle=Oracle(("items", ITEM), form.means),
        where=(f"line {_json_line(text)}",),
    )


def long_csv_lines(seed: str = SEED) -> list[str]:
    return s.long_csv(s.example(seed)).splitlines()


def long_row_of(code: str, seed: str = SEED) -> int:
    """The spreadsheet row (header is row 1) of ``code`` in the long form of the example."""
    for i, row in enumerate(s.long_rows(s.example(seed))):
        if row[2] == code:
            return i + 2
    raise KeyError(code)


def csv_with_cell(cell: str, code: str = ITEM, seed: str = SEED, delimiter: str = ",") -> str:
    """The long CSV of the example with the score cell of ``code`` written raw as ``cell``."""
    rows = s.long_rows(s.example(seed))
    lines = [delimiter.join(s.LONG_HEADER)]
    for row in rows:
        cells = ["" if v is None else str(v) for v in row]
        if row[2] == code:
            cells[3] = cell
        lines.append(delimiter.join(cells))
    return "\n".join(lines) + "\n"


def _csv(form: Form) -> Case:
    row = long_row_of(ITEM)
    return Case(
        "numbers",
        f"long-csv-{form.name}",
        ("check", "--json", "r.csv"),
        {"r.csv": csv_with_cell(form.text)},
        expect=form.expect,
        oracle=Oracle(("items", ITEM), form.means),
        where=(f"row {row}", f"line {row}"),
    )


def _wide_csv(form: Form) -> Case:
    header, rows = s.wide_table([s.example(SEED)])
    cells = ["" if v is None else str(v) for v in rows[0]]
    cells[header.index(ITEM)] = form.text
    text = ",".join(header) + "\n" + ",".join(cells) + "\n"
    return Case(
        "numbers",
        f"wide-csv-{form.name}",
        ("check", "--json", "w.csv"),
        {"w.csv": text},
        expect=form.expect,
        oracle=Oracle(("items", ITEM), form.means),
        where=("row 2", "line 2"),
    )


def _xlsx_cell(
    name: str, value: Any, fmt: str | None, means: tuple[float, ...], expect: Expect = "any"
) -> Case:
    rows = [s.LONG_HEADER, *s.long_rows(s.example(SEED))]
    row = long_row_of(ITEM)
    rows[row - 1] = [*rows[row - 1]]
    rows[row - 1][3] = value
    formats = {(row, 4): fmt} if fmt else None
    return Case(
        "numbers",
        f"long-xlsx-{name}",
        ("check", "--json", "r.xlsx"),
        {"r.xlsx": s.xlsx_bytes(rows, formats=formats)},
        expect=expect,
        oracle=Oracle(("items", ITEM), means),
        where=(f"row {row}",),
    )


def _xlsx_cases() -> list[Case]:
    return [
        _xlsx_cell("percent-format-0.8467", 0.8467, "0.00%", (84.67,)),
        _xlsx_cell("percent-format-0.92", 0.92, "0%", (92,)),
        _xlsx_cell("percent-format-float-noise", 0.8467000000000001, "0.00%", (84.67,)),
        _xlsx_cell("number-format-2dp", 84.67, "0.00", (84.67,), "accept"),
        _xlsx_cell("thousands-number-1519", 1519, "#,##0", ()),
        _xlsx_cell("text-thousands", "1,519", None, ()),
        _xlsx_cell("text-octal", "070", None, (70,)),
        _xlsx_cell("text-thai-digits", "๙๒.๕๐", None, (92.5,), "accept"),
        _xlsx_cell("formula-without-value", "=80+4.67", None, (84.67,)),
        _xlsx_cell("boolean", True, None, ()),
        _xlsx_cell("date", datetime.datetime(2024, 1, 1), "yyyy-mm-dd", ()),
        _xlsx_cell("huge-number", 1e308, None, ()),
    ]


def _parquet_cases() -> list[Case]:
    record = s.example(SEED)
    nan_record = {
        **record,
        "scores": {**record["scores"], "items": {**record["scores"]["items"], ITEM: float("nan")}},
    }
    inf_record = {
        **record,
        "scores": {**record["scores"], "items": {**record["scores"]["items"], ITEM: float("inf")}},
    }
    return [
        Case(
            "numbers",
            "parquet-float",
            ("check", "--json", "w.parquet"),
            {"w.parquet": s.wide_parquet([record])},
            expect="accept",
            oracle=I1,
        ),
        Case(
            "numbers",
            "parquet-nan",
            ("check", "--json", "w.parquet"),
            {"w.parquet": s.wide_parquet([nan_record])},
            oracle=Oracle(("items", ITEM), ()),
        ),
        Case(
            "numbers",
            "parquet-inf",
            ("check", "--json", "w.parquet"),
            {"w.parquet": s.wide_parquet([inf_record])},
            oracle=Oracle(("items", ITEM), ()),
        ),
    ]


def _duplicates() -> list[Case]:
    """The same agency-year twice with different scores: which is meant cannot be known."""
    text = s.example_text(SEED)
    other = s.edit(text, "overall: 92.13", "overall: 81.50")
    record = s.example(SEED)
    changed = {**record, "scores": {**record["scores"], "overall": 81.5}}
    lines = long_csv_lines()
    row = long_row_of(ITEM)
    i1_again = lines[row - 1].replace("84.67", "64.67")
    short_name = [line.replace("เทศบาลตำบลโคกม่วง", "ทต.โคกม่วง") for line in lines[1:]]
    short_name = [line.replace("84.67", "74.67") for line in short_name]
    spelt = lines[row - 1].replace(",i1,", ",I1,").replace("84.67", "44.67")
    wide_header, wide_rows = s.wide_table([record, changed])
    wide = s.csv_text(wide_header, wide_rows)
    xlsx_rows = [s.LONG_HEADER, *s.long_rows(record)]
    xlsx_rows.append([*xlsx_rows[row - 1][:3], 12.5, "", "", ""])
    where = ("row", "line")
    return [
        Case(
            "numbers",
            "duplicate-yaml-stream",
            ("check", "--json", "r.yaml"),
            {"r.yaml": text + "\n---\n" + other},
            expect="refuse",
        ),
        Case(
            "numbers",
            "duplicate-json-list",
            ("check", "--json", "r.json"),
            {"r.json": json.dumps([record, changed], ensure_ascii=False)},
            expect="refuse",
        ),
        Case(
            "numbers",
            "duplicate-long-csv-row",
            ("check", "--json", "r.csv"),
            {"r.csv": "\n".join([*lines, i1_again]) + "\n"},
            expect="refuse",
            where=where,
        ),
        Case(
            "numbers",
            "duplicate-long-csv-short-name",
            ("check", "--json", "r.csv"),
            {"r.csv": "\n".join([*lines, *short_name]) + "\n"},
            expect="refuse",
        ),
        Case(
            "numbers",
            "duplicate-long-csv-other-spelling",
            ("check", "--json", "r.csv"),
            {"r.csv": "\n".join([*lines, spelt]) + "\n"},
            expect="refuse",
            where=where,
        ),
        Case(
            "numbers",
            "duplicate-wide-csv",
            ("check", "--json", "w.csv"),
            {"w.csv": wide},
            expect="refuse",
            where=where,
        ),
        Case(
            "numbers",
            "duplicate-long-xlsx",
            ("check", "--json", "r.xlsx"),
            {"r.xlsx": s.xlsx_bytes(xlsx_rows)},
            expect="refuse",
            where=where,
        ),
    ]


def _csv_structure() -> list[Case]:
    """A CSV whose quoting or field count is broken must not become a fake agency or lose a score."""
    lines = long_csv_lines()
    row = long_row_of("i3")

    def broken(change: str, at: int = row) -> str:
        out = [*lines]
        out[at - 1] = change
        return "\n".join(out) + "\n"

    name, year = "เทศบาลตำบลโคกม่วง", "2567"
    where = (f"row {row}", f"line {row}")
    return [
        Case(
            "numbers",
            "csv-unbalanced-quote-in-name",
            ("check", "--json", "r.csv"),
            {"r.csv": broken(f'"{name},{year},i3,100.00,,,')},
            expect="refuse",
            where=where,
        ),
        Case(
            "numbers",
            "csv-unbalanced-quote-in-score",
            ("check", "--json", "r.csv"),
            {"r.csv": broken(f'{name},{year},i3,"100.00,,,')},
            expect="refuse",
            where=where,
        ),
        Case(
            "numbers",
            "csv-quote-inside-field",
            ("check", "--json", "r.csv"),
            {"r.csv": broken(f'{name},{year},i3,10"0.00,,,')},
            oracle=Oracle(("items", "i3"), ()),
        ),
        Case(
            "numbers",
            "csv-extra-fields",
            ("check", "--json", "r.csv"),
            {"r.csv": broken(f"{name},{year},i3,100.00,,,,ทต.ปลอม,2567")},
            expect="refuse",
            where=where,
        ),
        Case(
            "numbers",
            "csv-score-split-by-comma",
            ("check", "--json", "r.csv"),
            {"r.csv": broken(f"{name},{year},i3,100,00,,,")},
            expect="refuse",
            where=where,
        ),
        Case(
            "numbers",
            "csv-short-row",
            ("check", "--json", "r.csv"),
            {"r.csv": broken(f"{name},{year},i3")},
            expect="refuse",
            where=where,
        ),
        Case(
            "numbers",
            "csv-nul-in-score",
            ("check", "--json", "r.csv"),
            {"r.csv": broken(f"{name},{year},i3,10\x000.00,,,")},
            oracle=Oracle(("items", "i3"), ()),
        ),
        Case(
            "numbers",
            "csv-nul-in-name",
            ("check", "--json", "r.csv"),
            {"r.csv": broken(f"{name}\x00,{year},i3,100.00,,,")},
        ),
        Case(
            "numbers",
            "csv-semicolon-decimal-comma",
            ("check", "--json", "r.csv"),
            {"r.csv": csv_with_cell("84,67", delimiter=";")},
            oracle=Oracle(("items", ITEM), (84.67,)),
        ),
        Case(
            "numbers",
            "csv-semicolon-thousands",
            ("check", "--json", "r.csv"),
            {"r.csv": csv_with_cell("1,519", delimiter=";")},
            oracle=Oracle(("items", ITEM), ()),
        ),
    ]


def number_cases() -> Iterator[Case]:
    yield from (_yaml(f) for f in YAML_FORMS)
    yield from (_json(f) for f in JSON_FORMS)
    yield from (_csv(f) for f in CSV_FORMS)
    yield from (_wide_csv(f) for f in WIDE_CSV_FORMS)
    yield from _xlsx_cases()
    yield from _parquet_cases()
    yield from _duplicates()
    yield from _csv_structure()


def control_cases() -> Iterator[Case]:
    """Every example in every results form reads as exactly its given scores."""
    for seed in s.SEEDS:
        names = (
            s.forms(seed)
            if seed in s.SCORED
            else {"r.yaml": s.example_text(seed), "r.json": s.as_json(s.example(seed))}
        )
        for name, data in names.items():
            yield Case(
                "controls",
                f"seed-{seed}-{name}",
                ("check", "--json", name),
                {name: data},
                expect="accept",
                checks=(_same_scores(seed),),
            )


def _same_scores(seed: str) -> Any:
    want = s.expected(seed)

    def check(outcome: Any) -> list[str]:
        if outcome.status != 0:
            return []
        try:
            got = json.loads(outcome.stdout)
        except ValueError:
            return ["check --json did not print JSON"]
        wrong = []
        if want["overall"] is not None and got.get("overall") != want["overall"]:
            wrong.append(f"overall {got.get('overall')} != {want['overall']}")
        if want["level"] is not None and got.get("level") != want["level"]:
            wrong.append(f"level {got.get('level')} != {want['level']}")
        for part in ("indicators", "items", "tools", "tool_parts"):
            for key, value in want[part].items():
                if round(float(value), 2) != (got.get(part) or {}).get(key):
                    wrong.append(f"{part}.{key} {(got.get(part) or {}).get(key)} != {value}")
        return [f"scores differ from the example: {', '.join(wrong[:4])}"] if wrong else []

    check.__name__ = f"same_scores_{seed}"
    return check
