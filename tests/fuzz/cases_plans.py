"""Files clerks edit (plan, settings, units) holding nonsense that must be refused; valid Thai input
that must be accepted; history files of the same agency under another spelling, or of another."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from tests.fuzz import sources as s
from tests.fuzz.cases_numbers import csv_with_cell
from tests.fuzz.harness import Case, Oracle, Outcome

SEED = "001"  # ITA 2567, plan year 2568
RESULTS = {"r.yaml": s.example_text(SEED)}
REPORT_PLAN = ("report", "r.yaml", "--plan", "p.yaml", "-o", "m.json")
UPDATE_PLAN = ("plan", "r.yaml", "--update", "p.yaml", "-o", "new.yaml")


def _measure(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["measures"][0][key] = value

    return change


def _top(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data[key] = value

    return change


def _agency(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["agency"][key] = value

    return change


def _quarters_against_text(data: dict[str, Any]) -> None:
    """Quarter 4 while the text says October to June (quarters 1 to 3)."""
    measure = data["measures"][0]
    measure["quarters"] = [4, 4]


def _text_against_quarters(data: dict[str, Any]) -> None:
    measure = data["measures"][0]
    measure["quarters"] = [1, 1]
    measure["timeframe"] = "กรกฎาคม 2568 – กันยายน 2568"


def _unknown_key(data: dict[str, Any]) -> None:
    measure = data["measures"][0]
    measure["titel"] = measure.pop("title")


PLAN_EDITS: dict[str, Callable[[dict[str, Any]], None]] = {
    "quarters-0-9": _measure("quarters", [0, 9]),
    "quarters-4-1": _measure("quarters", [4, 1]),
    "quarters-1-5": _measure("quarters", [1, 5]),
    "quarters-three": _measure("quarters", [1, 2, 3]),
    "quarters-words": _measure("quarters", ["ไตรมาสแรก", 2]),
    "quarters-against-timeframe": _quarters_against_text,
    "timeframe-against-quarters": _text_against_quarters,
    "issue-9": _measure("issue", 9),
    "issue-0": _measure("issue", 0),
    "issue-minus-1": _measure("issue", -1),
    "issue-words": _measure("issue", "สาม"),
    "answers-zz9": _measure("answers", ["zz9"]),
    "answers-i99": _measure("answers", ["i99"]),
    "answers-o50": _measure("answers", ["o50"]),
    "answers-not-a-list": _measure("answers", {"i1": 1}),
    "plan-year-minus-1": _top("plan_year", -1),
    "plan-year-ce-2025": _top("plan_year", 2025),
    "plan-year-0": _top("plan_year", 0),
    "plan-year-400-digits": _top("plan_year", 10**399),
    "plan-year-fraction": _top("plan_year", 2568.5),
    "plan-year-before-ita-year": _top("plan_year", 2560),
    "schema-version-99": _top("schema_version", 99),
    "grouping-nonsense": _top("grouping", "ตามใจ"),
    "measures-not-a-list": _top("measures", "ไม่มี"),
    "measure-unknown-key": _unknown_key,
    "agency-name-20000-chars": _agency("name", "เทศบาลตำบลโคกม่วง" + "ก" * 20_000),
    "owner-20000-chars": _measure("owner", "ก" * 20_000),
    "title-control-character": _measure("title", "มาตรการ\x01ทดสอบ"),
    "owner-empty": _measure("owner", ""),
    "title-empty": _measure("title", ""),
    "steps-not-a-list": _measure("steps", 5),
}


# an empty owner may be left for the clerk to fill in by hand: no traceback, no expectation
UNDECIDED = {"owner-empty"}


def plan_nonsense() -> Iterator[Case]:
    for name, edit in PLAN_EDITS.items():
        yield Case(
            "plan-nonsense",
            f"plan-{name}",
            REPORT_PLAN,
            {**RESULTS, "p.yaml": s.plan_with(edit)},
            expect="any" if name in UNDECIDED else "refuse",
            where=("p.yaml",),
        )
    for name in ("quarters-0-9", "issue-9", "answers-zz9", "plan-year-minus-1"):
        yield Case(
            "plan-nonsense",
            f"update-{name}",
            UPDATE_PLAN,
            {**RESULTS, "p.yaml": s.plan_with(PLAN_EDITS[name])},
            expect="refuse",
            where=("p.yaml",),
        )
    for value in ("0", "-1", "2025", "25", "99999", "2568.5"):
        yield Case(
            "plan-nonsense",
            f"plan-year-option-{value}",
            ("plan", "r.yaml", "--plan-year", value, "-o", "p.yaml"),
            RESULTS,
            expect="refuse",
            where=("--plan-year",),
        )


EMPTY = {
    "empty": "",
    "document-marker": "---\n",
    "null": "null\n",
    "empty-list": "[]\n",
    "comment-only": "# nothing here\n",
    "end-marker": "---\n...\n",
}


def empty_files() -> Iterator[Case]:
    kinds = {
        "plan": (REPORT_PLAN, "p.yaml"),
        "update": (UPDATE_PLAN, "p.yaml"),
        "settings": (("report", "r.yaml", "--settings", "s.yaml", "-o", "m.json"), "s.yaml"),
        "units": (("plan", "r.yaml", "--units", "u.yaml", "-o", "p.yaml"), "u.yaml"),
        "results": (("check", "e.yaml"), "e.yaml"),
        "history": (("analyze", "r.yaml", "--history", "e.yaml"), "e.yaml"),
    }
    for kind, (args, name) in kinds.items():
        for label, text in EMPTY.items():
            if kind in ("update", "history") and label not in ("empty", "null", "document-marker"):
                continue
            yield Case(
                "plan-nonsense",
                f"{kind}-{label}",
                args,
                {**RESULTS, name: text},
                expect="refuse",
                where=(name,),
            )


def units_and_settings() -> Iterator[Case]:
    units = {
        "misspelt-role": "finanse: กองคลัง\n",
        "empty-name": 'finance: ""\n',
        "list-name": "finance: [กองคลัง, กองช่าง]\n",
        "number-name": "finance: 5\n",
        "name-20000-chars": f"finance: {'ก' * 20_000}\n",
        "control-character": 'finance: "กอง\\x01คลัง"\n',
        "not-a-mapping": "- finance\n- กองคลัง\n",
    }
    for name, text in units.items():
        yield Case(
            "plan-nonsense",
            f"units-{name}",
            ("plan", "r.yaml", "--units", "u.yaml", "-o", "p.yaml"),
            {**RESULTS, "u.yaml": text},
            expect="refuse",
            where=("u.yaml",),
        )
    base = s.settings_text()
    settings = {
        "misspelt-key": s.edit(base, "prepared_by:", "prepard_by:"),
        "date-31-february": s.edit(base, "date: 2568-12-15", "date: 31 ก.พ. 2568"),
        "date-30-february-iso": s.edit(base, "date: 2568-12-15", "date: 2568-02-30"),
        "date-month-13": s.edit(base, "date: 2568-12-15", "date: 15/13/2568"),
        "date-words": s.edit(base, "date: 2568-12-15", "date: เมื่อวานนี้"),
        "signer-name-20000-chars": s.edit(base, "นางสาวสมศรี ใจดี", "ก" * 20_000),
        "signer-control-character": s.edit(base, "name: นางสาวสมศรี ใจดี", 'name: "นางสาวสมศรี\\x01"'),
        "signer-not-a-mapping": s.edit(
            base, "prepared_by: {name: นางสาวสมศรี ใจดี, position: นิติกรชำนาญการ}", "prepared_by: [นางสาวสมศรี]"
        ),
    }
    for name, text in settings.items():
        yield Case(
            "plan-nonsense",
            f"settings-{name}",
            ("report", "r.yaml", "--settings", "s.yaml", "-o", "m.json"),
            {**RESULTS, "s.yaml": text},
            expect="refuse",
            where=("s.yaml",),
        )
    for value in ("31 ก.พ. 2568", "2568-02-30", "0000-00-00", "15 ธค 99999"):
        yield Case(
            "plan-nonsense",
            f"date-option-{value.replace(' ', '-')}",
            ("report", "r.yaml", "--date", value, "-o", "m.json"),
            RESULTS,
            expect="refuse",
            where=("--date",),
        )


# --------------------------------------------------------------------------------------------------
# Valid input refused
# --------------------------------------------------------------------------------------------------


def _plan_year_is(year: int) -> Callable[[Outcome], list[str]]:
    def check(outcome: Outcome) -> list[str]:
        path = outcome.work / "p.yaml"
        if outcome.status != 0:
            return []
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        return [] if f"plan_year: {year}" in text else [f"the plan written does not say plan_year: {year}"]

    return check


def _document_date(outcome: Outcome) -> list[str]:
    path = outcome.work / "d.html"
    if outcome.status != 0 or not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    return (
        []
        if ("15 ธันวาคม 2568" in text or "๑๕ ธันวาคม ๒๕๖๘" in text)
        else ["the document does not carry the date 15 ธันวาคม 2568"]
    )


def valid_input() -> Iterator[Case]:
    yield Case(
        "valid-refused",
        "json-exponent",
        ("check", "--json", "r.json"),
        {"r.json": s.edit(s.as_json(s.example(SEED)), '"i1": 84.67', '"i1": 8.467e1')},
        expect="accept",
        oracle=Oracle(("items", "i1"), (84.67,)),
    )
    decimal = s.wide_parquet([s.example(SEED)], decimal=True)
    yield Case(
        "valid-refused",
        "parquet-decimal-scores",
        ("check", "--json", "w.parquet"),
        {"w.parquet": decimal},
        expect="accept",
        oracle=Oracle(("items", "i1"), (84.67,)),
    )
    yield Case(
        "valid-refused",
        "parquet-decimal-overall",
        ("check", "--json", "w.parquet"),
        {"w.parquet": decimal},
        expect="accept",
        oracle=Oracle(("overall",), (92.13,)),
    )
    yield Case(
        "valid-refused",
        "plan-year-thai-digits",
        ("plan", "r.yaml", "--plan-year", "๒๕๖๘", "-o", "p.yaml"),
        RESULTS,
        expect="accept",
        checks=(_plan_year_is(2568),),
    )
    yield Case(
        "valid-refused",
        "plan-year-next-after-framework",
        ("plan", "r.yaml", "--plan-year", "2569", "-o", "p.yaml"),
        {"r.yaml": s.example_text("002")},
        expect="accept",
        checks=(_plan_year_is(2569),),
    )
    for value in (
        "15 ธ.ค. 2568",
        "15 ธันวาคม 2568",
        "๑๕ ธ.ค. ๒๕๖๘",
        "15/12/2568",
        "2568-12-15",
        "๑๕ ธันวาคม พ.ศ. ๒๕๖๘",
        "2025-12-15",
    ):
        yield Case(
            "valid-refused",
            f"date-option-{value.replace(' ', '-').replace('/', '-')}",
            ("report", "r.yaml", "--date", value, "--layout", "summary", "-o", "d.html"),
            RESULTS,
            expect="accept",
            checks=(_document_date,),
        )
    settings = s.edit(s.settings_text(), "date: 2568-12-15", "date: 15 ธ.ค. 2568")
    yield Case(
        "valid-refused",
        "settings-thai-date",
        ("report", "r.yaml", "--settings", "s.yaml", "--layout", "summary", "-o", "d.html"),
        {**RESULTS, "s.yaml": settings},
        expect="accept",
        checks=(_document_date,),
    )
    yield Case(
        "valid-refused",
        "jobs-thai-digits",
        ("report", "--batch", "s.csv", "--format", "json", "--jobs", "๒", "-o", "out"),
        {"s.csv": s.batch_scores(["เทศบาลตำบลหนึ่ง", "เทศบาลตำบลสอง"])},
        expect="accept",
    )
    yield Case("valid-refused", "framework-thai-digits", ("framework", "๒๕๖๘"), {}, expect="accept")
    yield Case(
        "valid-refused",
        "whatif-thai-digits",
        ("whatif", "r.yaml", "--set", "i1=๙๐"),
        RESULTS,
        expect="accept",
    )
    yield Case(
        "valid-refused",
        "synth-thai-digits",
        ("synth", "--agencies", "๒", "--year", "๒๕๖๘", "-o", "syn"),
        {},
        expect="accept",
    )
    i1 = Oracle(("items", "i1"), (84.67,))
    text = s.long_csv(s.example(SEED))
    yield Case(
        "valid-refused",
        "csv-bom-crlf",
        ("check", "--json", "r.csv"),
        {"r.csv": ("\ufeff" + s.edit(text, "\n", "\r\n")).encode()},
        expect="accept",
        oracle=i1,
    )
    yield Case(
        "valid-refused",
        "csv-tabs",
        ("check", "--json", "r.tsv.csv"),
        {"r.tsv.csv": s.edit(text, ",", "\t")},
        expect="accept",
        oracle=i1,
    )
    yield Case(
        "valid-refused",
        "csv-semicolons",
        ("check", "--json", "r.csv"),
        {"r.csv": csv_with_cell("84.67", delimiter=";")},
        expect="accept",
        oracle=i1,
    )
    yield Case(
        "valid-refused",
        "csv-cp874",
        ("check", "--json", "r.csv"),
        {"r.csv": text.encode("cp874")},
        expect="accept",
        oracle=i1,
    )
    thai_headings = s.edit(
        text,
        "agency,ita_year,code,score,agency_type,district,province",
        "หน่วยงาน,ปี,รหัส,คะแนน,ประเภท,อำเภอ,จังหวัด",
    )
    yield Case(
        "valid-refused",
        "csv-thai-headings",
        ("check", "--json", "r.csv"),
        {"r.csv": thai_headings},
        expect="accept",
        oracle=i1,
    )
    yield Case(
        "valid-refused",
        "yaml-bom-crlf",
        ("check", "--json", "r.yaml"),
        {"r.yaml": ("\ufeff" + s.edit(s.example_text(SEED), "\n", "\r\n")).encode()},
        expect="accept",
        oracle=i1,
    )
    yield Case(
        "valid-refused",
        "yaml-thai-year",
        ("check", "--json", "r.yaml"),
        {"r.yaml": s.edit(s.example_text(SEED), "ita_year: 2567", "ita_year: ๒๕๖๗")},
        expect="accept",
        oracle=i1,
    )
    rows = [[None] * 2 + row for row in [s.LONG_HEADER, *s.long_rows(s.example(SEED))]]
    yield Case(
        "valid-refused",
        "xlsx-table-at-c5",
        ("check", "--json", "r.xlsx"),
        {"r.xlsx": lambda: s.xlsx_bytes([[], [], [], [], *rows])},
        expect="accept",
        oracle=i1,
    )
    yield Case(
        "valid-refused",
        "xlsx-percent-text",
        ("check", "--json", "r.xlsx"),
        {
            "r.xlsx": lambda: s.xlsx_bytes(
                [
                    s.LONG_HEADER,
                    [*s.long_rows(s.example(SEED))[0][:3], "92.13%", *s.long_rows(s.example(SEED))[0][4:]],
                ]
            )
        },
        oracle=Oracle(("overall",), (92.13,)),
    )
    yield Case(
        "valid-refused",
        "yaml-utf16-bom-results",
        ("check", "--json", "r.yaml"),
        {"r.yaml": s.example_text(SEED).encode("utf-16")},
        oracle=i1,
    )


# --------------------------------------------------------------------------------------------------
# History
# --------------------------------------------------------------------------------------------------


def _history_csv(name: str, year: int = 2566, district: str = "คลองหอยโข่ง", province: str = "สงขลา") -> str:
    return s.csv_text(s.LONG_HEADER, [[name, year, "overall", 88.5, "", district, province]])


def _trend(change: float | None, said: tuple[str, ...] = ()) -> Callable[[Outcome], list[str]]:
    """The overall trend is ``change`` (None: no trend), and each file in ``said`` is named."""

    def check(outcome: Outcome) -> list[str]:
        if outcome.status != 0:
            return []
        try:
            trend = {t["key"]: t for t in json.loads(outcome.stdout)["trend"]}
        except (ValueError, KeyError, TypeError):
            return ["analyze --json did not print its trend"]
        got = trend.get("overall", {}).get("change")
        found = []
        if change is not None and got != change:
            found.append(f"history not used: overall change {got}, expected {change}")
        if change is None and got is not None:
            found.append(f"history of another agency used: overall change {got}")
        for name in said:
            if name not in outcome.stderr and name not in outcome.stdout.replace(json.dumps(name), ""):
                found.append(f"says nothing about the history file {name}")
        return found

    return check


def history() -> Iterator[Case]:
    analyze = ("analyze", "--json", "r.yaml", "--history", "h.csv")
    same = {
        "short-name": "ทต.โคกม่วง",
        "spaces-in-name": "เทศบาลตำบล โคกม่วง",
        "full-name": "เทศบาลตำบลโคกม่วง",
    }
    for label, name in same.items():
        yield Case(
            "history",
            f"same-agency-{label}",
            analyze,
            {**RESULTS, "h.csv": _history_csv(name)},
            expect="accept",
            checks=(_trend(3.63),),
        )
    prefixed = _history_csv("ทต.โคกม่วง", district="อำเภอคลองหอยโข่ง", province="จังหวัดสงขลา")
    yield Case(
        "history",
        "same-agency-prefixed-places",
        analyze,
        {**RESULTS, "h.csv": prefixed},
        expect="accept",
        checks=(_trend(3.63),),
    )
    others = {
        "other-agency": _history_csv("เทศบาลตำบลอื่น"),
        "other-province": _history_csv("เทศบาลตำบลโคกม่วง", province="เชียงใหม่"),
        "later-year": _history_csv("เทศบาลตำบลโคกม่วง", year=2568),
        "same-year": _history_csv("เทศบาลตำบลโคกม่วง", year=2567),
    }
    for label, text in others.items():
        yield Case(
            "history",
            f"not-used-{label}",
            analyze,
            {**RESULTS, "h.csv": text},
            checks=(_trend(None, ("h.csv",)),),
        )
    two = ("analyze", "--json", "r.yaml", "--history", "h.csv", "--history", "other.csv")
    files = {**RESULTS, "h.csv": _history_csv("ทต.โคกม่วง"), "other.csv": _history_csv("เทศบาลตำบลอื่น")}
    yield Case(
        "history", "one-used-one-not", two, files, expect="accept", checks=(_trend(3.63, ("other.csv",)),)
    )


def plan_cases() -> Iterator[Case]:
    yield from plan_nonsense()
    yield from empty_files()
    yield from units_and_settings()
    yield from valid_input()
    yield from history()
