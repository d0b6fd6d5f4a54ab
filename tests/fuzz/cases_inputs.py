"""Files that used to end in a traceback (issue 11): unicode JSON, foreign encodings, deep nesting,
recursive anchors, huge numbers and fields, control characters and long names reaching DOCX, XLSX,
PDF and the plan file."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

from tests.fuzz import sources as s
from tests.fuzz.harness import Case

SEED = "001"
RESULTS = {"r.yaml": s.example_text(SEED)}
LONG = os.environ.get("PRONGSAI_FUZZ", "").lower() == "long"

# --------------------------------------------------------------------------------------------------
# Tracebacks
# --------------------------------------------------------------------------------------------------


def _json_named(name_literal: str) -> str:
    """The example as JSON with the agency name written as a raw JSON string literal."""
    record = s.example(SEED)
    record["agency"]["name"] = "@@"
    return s.as_json(record).replace('"@@"', name_literal)


def json_unicode() -> Iterator[Case]:
    names = {
        "emoji": '"เทศบาลตำบลโคกม่วง 😀"',
        "emoji-escaped-pair": '"เทศบาลตำบลโคกม่วง \\ud83d\\ude00"',
        "lone-high-surrogate": '"เทศบาลตำบลโคกม่วง \\ud800"',
        "lone-low-surrogate": '"\\udc00เทศบาลตำบลโคกม่วง"',
        "bom-in-name": '"\\ufeffเทศบาลตำบลโคกม่วง"',
        "noncharacter": '"เทศบาลตำบลโคกม่วง \\uffff"',
    }
    commands: dict[str, tuple[str, ...]] = {
        "check": ("check", "r.json"),
        "check-json": ("check", "--json", "r.json"),
        "plan": ("plan", "r.json", "-o", "p.yaml"),
        "docx": ("report", "r.json", "-o", "d.docx"),
        "csv": ("report", "r.json", "-o", "m.csv"),
    }
    if not LONG:  # the default run: reading, printing and one document
        commands = {k: v for k, v in commands.items() if k in ("check", "check-json", "docx")}
    for label, literal in names.items():
        for command, args in commands.items():
            if command in ("docx", "csv") and label in ("emoji-escaped-pair", "bom-in-name"):
                continue
            yield Case("tracebacks", f"json-{label}-{command}", args, {"r.json": _json_named(literal)})
    record = s.example(SEED)
    text = s.edit(s.as_json(record), '"i2":', '"i\\udc00":')
    yield Case(
        "tracebacks", "json-lone-surrogate-in-key", ("check", "r.json"), {"r.json": text}, expect="refuse"
    )
    text = s.edit(s.as_json(record), '"i2": 90.67', '"i2": "9\\ud8000.67"')
    yield Case(
        "tracebacks", "json-lone-surrogate-in-score", ("check", "r.json"), {"r.json": text}, expect="refuse"
    )


ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "cp874": lambda t: t.encode("cp874", errors="replace"),
    "utf-16-bom": lambda t: t.encode("utf-16"),
    "utf-16le-no-bom": lambda t: t.encode("utf-16-le"),
    "utf-16be-no-bom": lambda t: t.encode("utf-16-be"),
    "utf-32": lambda t: t.encode("utf-32"),
    "invalid-utf8-byte": lambda t: t.encode("utf-8").replace(b"\n", b"\n# caf\xe9\n", 1),
    "latin-1": lambda t: re.sub(r"[^\x00-\x7f]+", "José", t).encode("latin-1"),
}


def encodings() -> Iterator[Case]:
    """Every file a person edits, saved in another encoding (Thai Windows, Notepad's Unicode...)."""
    plan = s.plan_text
    kinds: dict[str, tuple[Callable[[], str], str, tuple[str, ...], dict[str, Any]]] = {
        "results-yaml": (lambda: s.example_text(SEED), "r.yaml", ("check", "r.yaml"), {}),
        "results-json": (lambda: s.as_json(s.example(SEED)), "r.json", ("check", "r.json"), {}),
        "results-csv": (lambda: s.long_csv(s.example(SEED)), "r.csv", ("check", "r.csv"), {}),
        "plan": (plan, "p.yaml", ("report", "r.yaml", "--plan", "p.yaml", "-o", "m.json"), RESULTS),
        "update": (plan, "p.yaml", ("plan", "r.yaml", "--update", "p.yaml", "-o", "new.yaml"), RESULTS),
        "settings": (
            s.settings_text,
            "s.yaml",
            ("report", "r.yaml", "--settings", "s.yaml", "-o", "m.json"),
            RESULTS,
        ),
        "units": (s.units_text, "u.yaml", ("plan", "r.yaml", "--units", "u.yaml", "-o", "p.yaml"), RESULTS),
        "history": (
            lambda: s.example_text("002"),
            "h.yaml",
            ("analyze", "r.yaml", "--history", "h.yaml"),
            RESULTS,
        ),
        "answers": (s.answers_csv, "a.csv", ("score", "a.csv", "-o", "scores.csv"), {}),
    }
    for kind, (text, name, args, others) in kinds.items():
        for encoding in ENCODINGS:
            few = kind in ("history", "answers", "results-json") or not LONG
            if few and encoding not in ("cp874", "utf-16-bom", "utf-16le-no-bom", "invalid-utf8-byte"):
                continue
            if kind in ("history", "answers", "results-json") and encoding == "utf-16le-no-bom":
                continue

            def data(text: Callable[[], str] = text, encoding: str = encoding) -> bytes:
                return ENCODINGS[encoding](text())

            yield Case("tracebacks", f"encoding-{kind}-{encoding}", args, {**others, name: data})


def _nested_flow(depth: int) -> str:
    return "[" * depth + "]" * depth


def _nested_mapping_json(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


DEPTH = 10_000


def nesting() -> Iterator[Case]:
    deep = _nested_flow(DEPTH)
    yaml_deep = s.edit(s.example_text(SEED), "ita_year: 2567", f"ita_year: 2567\nextra: {deep}")
    yield Case("tracebacks", "nesting-yaml-top-level", ("check", "r.yaml"), {"r.yaml": deep + "\n"})
    yield Case(
        "tracebacks", "nesting-yaml-in-results", ("check", "r.yaml"), {"r.yaml": yaml_deep}, expect="refuse"
    )
    yield Case(
        "tracebacks",
        "nesting-yaml-as-score",
        ("check", "r.yaml"),
        {"r.yaml": s.with_item(SEED, "i1", deep)},
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "nesting-yaml-mappings",
        ("check", "r.yaml"),
        {"r.yaml": "{a: " * DEPTH + "1" + "}" * DEPTH + "\n"},
        expect="refuse",
    )
    yield Case("tracebacks", "nesting-json-arrays", ("check", "r.json"), {"r.json": deep}, expect="refuse")
    yield Case(
        "tracebacks",
        "nesting-json-objects",
        ("check", "r.json"),
        {"r.json": _nested_mapping_json(DEPTH)},
        expect="refuse",
    )
    record = s.edit(json.dumps(s.example(SEED), ensure_ascii=False), '"i1": 84.67', f'"i1": {deep}')
    yield Case(
        "tracebacks", "nesting-json-as-score", ("check", "r.json"), {"r.json": record}, expect="refuse"
    )
    yield Case(
        "tracebacks",
        "nesting-plan",
        ("report", "r.yaml", "--plan", "p.yaml", "-o", "m.json"),
        {**RESULTS, "p.yaml": deep},
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "nesting-plan-measure",
        ("report", "r.yaml", "--plan", "p.yaml", "-o", "m.json"),
        {
            **RESULTS,
            "p.yaml": lambda: s.edit(s.plan_text(), "measures:\n", f"measures:\n- {deep}\n", 1).encode(),
        },
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "nesting-settings",
        ("report", "r.yaml", "--settings", "s.yaml", "-o", "m.json"),
        {**RESULTS, "s.yaml": f"prepared_by: {deep}\n"},
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "nesting-units",
        ("plan", "r.yaml", "--units", "u.yaml", "-o", "p.yaml"),
        {**RESULTS, "u.yaml": f"finance: {deep}\n"},
        expect="refuse",
    )


def anchors() -> Iterator[Case]:
    """A YAML value that contains itself: an endless tree for whoever walks it."""
    text = s.example_text(SEED)
    yield Case(
        "tracebacks",
        "anchor-agency-self",
        ("check", "r.yaml"),
        {"r.yaml": re.sub(r"agency: \{.*\}", "agency: &a [*a]", text)},
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "anchor-agency-mapping-self",
        ("check", "r.yaml"),
        {"r.yaml": re.sub(r"agency: \{.*\}", "agency: &a {name: *a}", text)},
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "anchor-scores-self",
        ("check", "r.yaml"),
        {"r.yaml": s.edit(text, "scores:\n", "scores: &s\n  tools: *s\n", 1)},
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "anchor-document-self",
        ("check", "r.yaml"),
        {"r.yaml": "&d {agency: *d, ita_year: 2567, scores: *d}\n"},
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "anchor-plan-measures",
        ("report", "r.yaml", "--plan", "p.yaml", "-o", "m.json"),
        {
            **RESULTS,
            "p.yaml": lambda: re.sub(
                r"^measures:\n", "measures: &m\n- *m\n", s.plan_text(), count=1, flags=re.M
            ).encode(),
        },
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "anchor-plan-agency",
        ("report", "r.yaml", "--plan", "p.yaml", "-o", "m.json"),
        {
            **RESULTS,
            "p.yaml": lambda: re.sub(
                r"^agency:\n", "agency: &a\n  self: *a\n", s.plan_text(), count=1, flags=re.M
            ).encode(),
        },
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "anchor-settings",
        ("report", "r.yaml", "--settings", "s.yaml", "-o", "m.json"),
        {**RESULTS, "s.yaml": "prepared_by: &p {name: *p, position: x}\n"},
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "anchor-units",
        ("plan", "r.yaml", "--units", "u.yaml", "-o", "p.yaml"),
        {**RESULTS, "u.yaml": "&u {finance: *u}\n"},
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "anchor-history",
        ("analyze", "r.yaml", "--history", "h.yaml"),
        {**RESULTS, "h.yaml": "&h [*h]\n"},
        expect="refuse",
    )


HUGE = "1" + "0" * 399
HUGER = "9" * 5000


def huge_numbers() -> Iterator[Case]:
    text = s.example_text(SEED)
    yield Case(
        "tracebacks",
        "year-400-digits",
        ("check", "r.yaml"),
        {"r.yaml": s.edit(text, "ita_year: 2567", f"ita_year: {HUGE}")},
        expect="refuse",
        where=("line 5",),
    )
    yield Case(
        "tracebacks",
        "year-5000-digits",
        ("check", "r.yaml"),
        {"r.yaml": s.edit(text, "ita_year: 2567", f"ita_year: {HUGER}")},
        expect="refuse",
        where=("line 5",),
    )
    record = s.edit(s.as_json(s.example(SEED)), '"ita_year": 2567', f'"ita_year": {HUGER}')
    yield Case(
        "tracebacks", "json-year-5000-digits", ("check", "r.json"), {"r.json": record}, expect="refuse"
    )
    yield Case(
        "tracebacks",
        "indicator-key-400-digits",
        ("check", "r.yaml"),
        {"r.yaml": s.edit(text, "    1: 91.78", f"    {HUGE}: 91.78")},
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "whatif-set-400-digits",
        ("whatif", "r.yaml", "--set", f"i1={HUGE}"),
        RESULTS,
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "whatif-set-5000-digits",
        ("whatif", "r.yaml", "--set", f"i1={HUGER}"),
        RESULTS,
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "whatif-set-exponent-overflow",
        ("whatif", "r.yaml", "--set", "i1=1e400"),
        RESULTS,
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "plan-year-option-5000-digits",
        ("plan", "r.yaml", "--plan-year", HUGER, "-o", "p.yaml"),
        RESULTS,
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "plan-year-option-400-digits",
        ("plan", "r.yaml", "--plan-year", HUGE, "-o", "p.yaml"),
        RESULTS,
        expect="refuse",
    )
    yield Case("tracebacks", "framework-5000-digits", ("framework", HUGER), {}, expect="refuse")
    yield Case(
        "tracebacks",
        "synth-seed-5000-digits",
        ("synth", "--agencies", "1", "--seed", HUGER, "-o", "syn"),
        {},
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "long-csv-year-400-digits",
        ("check", "r.csv"),
        {"r.csv": s.edit(s.long_csv(s.example(SEED)), ",2567,", f",{HUGE},", 1)},
        expect="refuse",
        where=("row 2",),
    )
    yield Case(
        "tracebacks",
        "answers-respondent-5000-digits",
        ("score", "a.csv", "-o", "scores.csv"),
        {"a.csv": s.edit(s.answers_csv(), ",IIT,1,", f",IIT,{HUGER},", 1)},
    )


def huge_fields() -> Iterator[Case]:
    big = "ก" * 200_000
    lines = s.long_csv(s.example(SEED)).splitlines()
    name_line = lines[:]
    name_line[3] = name_line[3].replace("เทศบาลตำบลโคกม่วง", big, 1)
    score_line = lines[:]
    score_line[3] = re.sub(r",[\d.]+,,,$", f",{'9' * 200_000},,,", score_line[3])
    quoted = lines[:]
    quoted[3] = quoted[3].replace("เทศบาลตำบลโคกม่วง", '"' + "x," * 100_000 + '"', 1)
    yield Case(
        "tracebacks",
        "csv-200kb-agency-name",
        ("check", "r.csv"),
        {"r.csv": "\n".join(name_line) + "\n"},
        expect="refuse",
        where=("row 4", "line 4"),
    )
    yield Case(
        "tracebacks",
        "csv-200kb-score",
        ("check", "r.csv"),
        {"r.csv": "\n".join(score_line) + "\n"},
        expect="refuse",
        where=("row 4", "line 4"),
    )
    yield Case(
        "tracebacks",
        "csv-200kb-quoted-field",
        ("check", "r.csv"),
        {"r.csv": "\n".join(quoted) + "\n"},
        expect="refuse",
        where=("row 4", "line 4"),
    )
    yield Case(
        "tracebacks",
        "answers-200kb-agency",
        ("score", "a.csv", "-o", "scores.csv"),
        {"a.csv": s.answers_csv(agency=big[:150_000])},
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "yaml-1mb-agency-name",
        ("check", "r.yaml"),
        {"r.yaml": re.sub(r"name: [^,]+,", f"name: {'ก' * 1_000_000},", s.example_text(SEED), count=1)},
        expect="refuse",
    )
    yield Case(
        "tracebacks",
        "xlsx-40k-cell",
        ("check", "r.xlsx"),
        {
            "r.xlsx": lambda: s.xlsx_bytes(
                [
                    s.LONG_HEADER,
                    *[
                        [("ก" * 40_000 if i == 2 and j == 0 else v) for j, v in enumerate(row)]
                        for i, row in enumerate(s.long_rows(s.example(SEED)))
                    ],
                ]
            )
        },
        expect="refuse",
    )


CONTROL = {
    "ctrl-01": "\x01",
    "vertical-tab": "\x0b",
    "escape": "\x1b",
    "nul": "\x00",
    "fffe": "\ufffe",
    "del": "\x7f",
}


def _yaml_name(name: str) -> str:
    return s.with_agency_name(SEED, name)


def docx_text() -> Iterator[Case]:
    """Text the XML of a DOCX (or the cells of an XLSX) cannot hold, or core properties refuse."""
    for label, char in CONTROL.items():
        name = f"เทศบาลตำบล{char}โคกม่วง"
        yield Case(
            "tracebacks",
            f"name-{label}-docx",
            ("report", "r.yaml", "-o", "d.docx"),
            {"r.yaml": _yaml_name(name)},
        )
        if label in ("ctrl-01", "vertical-tab"):
            yield Case(
                "tracebacks",
                f"name-{label}-xlsx",
                ("report", "r.yaml", "-o", "m.xlsx"),
                {"r.yaml": _yaml_name(name)},
            )
            yield Case(
                "tracebacks",
                f"name-{label}-plan",
                ("plan", "r.yaml", "-o", "p.yaml"),
                {"r.yaml": _yaml_name(name)},
            )
    yield Case(
        "tracebacks",
        "name-emoji-markup-pdf",
        ("report", "r.yaml", "--layout", "summary", "-o", "d.pdf"),
        {"r.yaml": _yaml_name("เทศบาลตำบลโคกม่วง 😀 <b>&amp;</b> <script>x</script> " + "ก" * 120)},
        memory=None,  # Chromium reserves far more address space than any limit a reader would get
        timeout=120,
    )
    long_name = "เทศบาลตำบลโคกม่วง" + "ก" * 20_000
    yield Case(
        "tracebacks",
        "name-20000-chars-docx",
        ("report", "r.yaml", "-o", "d.docx"),
        {"r.yaml": _yaml_name(long_name)},
    )
    yield Case(
        "tracebacks",
        "name-20000-chars-xlsx",
        ("report", "r.yaml", "-o", "m.xlsx"),
        {"r.yaml": _yaml_name(long_name)},
    )
    yield Case(
        "tracebacks",
        "name-300-chars-docx",
        ("report", "r.yaml", "-o", "d.docx"),
        {"r.yaml": _yaml_name("เทศบาลตำบลโคกม่วง" + "ก" * 300)},
    )
    yield Case(
        "tracebacks",
        "name-20000-chars-batch",
        ("report", "--batch", "s.csv", "--jobs", "1", "-o", "out"),
        {"s.csv": s.batch_scores(["เทศบาลตำบล" + "ก" * 20_000])},
    )
    yield Case(
        "tracebacks",
        "name-control-batch",
        ("report", "--batch", "s.csv", "--jobs", "1", "-o", "out"),
        {"s.csv": s.batch_scores(["เทศบาลตำบล\x01ก"])},
    )

    def edit(key: str, value: str) -> Callable[[], bytes]:
        def change(data: dict[str, Any]) -> None:
            if key == "agency":
                data["agency"]["name"] = value
            elif key == "steps":
                data["measures"][0]["steps"][0] = value
            else:
                data["measures"][0][key] = value

        return s.plan_with(change)

    for key, value in (
        ("title", "มาตรการ\x01"),
        ("owner", "กอง\x0b"),
        ("steps", "ขั้นตอน\x1b"),
        ("title", "ก" * 20_000),
        ("owner", "ก" * 20_000),
    ):
        size = "20000-chars" if len(value) > 100 else "control"
        yield Case(
            "tracebacks",
            f"plan-{key}-{size}-docx",
            ("report", "r.yaml", "--plan", "p.yaml", "-o", "d.docx"),
            {**RESULTS, "p.yaml": edit(key, value)},
        )
    settings = s.edit(s.settings_text(), "นางสาวสมศรี ใจดี", "นางสาวสมศรี\\x07")
    yield Case(
        "tracebacks",
        "settings-control-docx",
        ("report", "r.yaml", "--settings", "s.yaml", "-o", "d.docx"),
        {**RESULTS, "s.yaml": s.edit(settings, "name: นางสาวสมศรี\\x07", 'name: "นางสาวสมศรี\\x07"')},
    )
    settings = s.edit(s.settings_text(), "งานนิติการ สำนักปลัดเทศบาล", "ก" * 20_000)
    yield Case(
        "tracebacks",
        "settings-unit-20000-chars-docx",
        ("report", "r.yaml", "--settings", "s.yaml", "--layout", "measures-table", "-o", "d.docx"),
        {**RESULTS, "s.yaml": settings},
    )


def input_cases() -> Iterator[Case]:
    yield from json_unicode()
    yield from encodings()
    yield from nesting()
    yield from anchors()
    yield from huge_numbers()
    yield from huge_fields()
    yield from docx_text()
