"""What commands write: never over an input, all or nothing, never a formula or template code, a
resumed batch that trusts no broken file, and no more worker processes than documents."""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tests.fuzz import sources as s
from tests.fuzz.harness import Case, Outcome

SEED = "001"
RESULTS = {"r.yaml": s.example_text(SEED)}
LONG = os.environ.get("PRONGSAI_FUZZ", "").lower() == "long"


# --------------------------------------------------------------------------------------------------
# Overwriting
# --------------------------------------------------------------------------------------------------


def _link(name: str, target: str, hard: bool = False) -> Callable[[Path], None]:
    def make(work: Path) -> None:
        if hard:
            os.link(work / target, work / name)
        else:
            (work / name).symlink_to(target)

    return make


def _sub(work: Path) -> None:
    (work / "sub").mkdir()


def overwriting() -> Iterator[Case]:
    """An output that is an input, however it is spelt, is refused and the input is left as it was."""
    plan = {"p.yaml": s.plan_text}
    answers = {"a.csv": s.answers_csv(), "o.csv": s.checklist_csv()}
    json_results = {"r.json": s.as_json(s.example(SEED))}
    cases: list[tuple[str, tuple[str, ...], dict[str, Any], Callable[[Path], None] | None]] = [
        ("plan-results", ("plan", "r.yaml", "-o", "r.yaml"), RESULTS, None),
        ("plan-results-dot-slash", ("plan", "./r.yaml", "-o", "r.yaml"), RESULTS, None),
        ("plan-results-output-dot-slash", ("plan", "r.yaml", "-o", "./r.yaml"), RESULTS, None),
        ("plan-results-dot-dot", ("plan", "r.yaml", "-o", "sub/../r.yaml"), RESULTS, _sub),
        (
            "plan-results-symlink",
            ("plan", "r.yaml", "-o", "link.yaml"),
            RESULTS,
            _link("link.yaml", "r.yaml"),
        ),
        (
            "plan-results-hard-link",
            ("plan", "r.yaml", "-o", "hard.yaml"),
            RESULTS,
            _link("hard.yaml", "r.yaml", hard=True),
        ),
        ("plan-results-absolute", ("plan", "r.yaml", "-o", "{work}/r.yaml"), RESULTS, None),
        (
            "plan-history",
            ("plan", "r.yaml", "--history", "h.yaml", "-o", "h.yaml"),
            {**RESULTS, "h.yaml": s.example_text("004")},
            None,
        ),
        (
            "plan-units",
            ("plan", "r.yaml", "--units", "u.yaml", "-o", "u.yaml"),
            {**RESULTS, "u.yaml": s.units_text()},
            None,
        ),
        ("score-answers", ("score", "a.csv", "-o", "a.csv"), answers, None),
        ("score-checklist", ("score", "a.csv", "--oit", "o.csv", "-o", "o.csv"), answers, None),
        ("score-answers-symlink", ("score", "a.csv", "-o", "x.csv"), answers, _link("x.csv", "a.csv")),
        ("report-json-results", ("report", "r.json", "--format", "json", "-o", "r.json"), json_results, None),
        (
            "report-plan-as-csv",
            ("report", "r.yaml", "--plan", "p.csv", "-o", "p.csv"),
            {**RESULTS, "p.csv": s.plan_text},
            None,
        ),
        (
            "report-settings",
            ("report", "r.yaml", "--settings", "s.html", "-o", "s.html"),
            {**RESULTS, "s.html": s.settings_text()},
            None,
        ),
        (
            "report-units",
            ("report", "r.yaml", "--units", "u.csv", "-o", "u.csv"),
            {**RESULTS, "u.csv": s.units_text()},
            None,
        ),
        (
            "report-template",
            ("report", "r.yaml", "--template", "t.docx", "-o", "t.docx"),
            {**RESULTS, "t.docx": s.template_bytes},
            None,
        ),
        (
            "report-history",
            ("report", "r.yaml", "--history", "h.json", "-o", "h.json"),
            {**RESULTS, "h.json": s.as_json(s.example("004"))},
            None,
        ),
        (
            "report-plan-symlink",
            ("report", "r.yaml", "--plan", "p.yaml", "-o", "out.json"),
            {**RESULTS, **plan},
            _link("out.json", "p.yaml"),
        ),
        (
            "batch-into-results",
            ("report", "--batch", "s.csv", "-o", "s.csv"),
            {"s.csv": s.batch_scores(["เทศบาลตำบลหนึ่ง"])},
            None,
        ),
    ]
    for name, args, files, setup in cases:
        yield Case("overwriting", name, args, files, setup=setup, expect="refuse")


# --------------------------------------------------------------------------------------------------
# Partial output
# --------------------------------------------------------------------------------------------------


def _blocked(*names: str, keep: dict[str, str] | None = None) -> Callable[[Path], None]:
    """Folders where the command will want to write files: the write of that file fails."""

    def make(work: Path) -> None:
        for name in names:
            (work / name).mkdir(parents=True)
        for name, text in (keep or {}).items():
            (work / name).write_text(text)

    return make


def partial_output() -> Iterator[Case]:
    docx = {"d.docx": s.docx_report}
    text = {"d.txt": s.text_report}
    yield Case(
        "partial-output",
        "import-plan-fails",
        ("import", "d.docx", "-o", "out"),
        docx,
        setup=_blocked("out/plan.yaml"),
        expect="refuse",
    )
    yield Case(
        "partial-output",
        "import-last-file-fails",
        ("import", "d.docx", "-o", "out"),
        docx,
        setup=_blocked("out/uncertain.yaml"),
        expect="refuse",
    )
    yield Case(
        "partial-output",
        "import-first-file-fails",
        ("import", "d.txt", "-o", "out"),
        text,
        setup=_blocked("out/results.yaml"),
        expect="refuse",
    )
    old = {"out/results.yaml": "# the results of last year, kept\n"}
    yield Case(
        "partial-output",
        "import-keeps-earlier-results",
        ("import", "d.docx", "-o", "out"),
        docx,
        setup=_blocked("out/plan.yaml", keep=old),
        expect="refuse",
    )
    yield Case(
        "partial-output",
        "synth-second-file-fails",
        ("synth", "--agencies", "1", "-o", "syn"),
        {},
        setup=_blocked("syn/oit.csv"),
        expect="refuse",
    )
    yield Case(
        "partial-output",
        "synth-first-file-fails",
        ("synth", "--agencies", "1", "-o", "syn"),
        {},
        setup=_blocked("syn/answers.parquet"),
        expect="refuse",
    )
    yield Case(
        "partial-output",
        "import-json-and-folder-fails",
        ("import", "d.docx", "--json", "-o", "out"),
        docx,
        setup=_blocked("out/plan.yaml"),
        expect="refuse",
    )


# --------------------------------------------------------------------------------------------------
# Security: template code, formulas, a resumed batch
# --------------------------------------------------------------------------------------------------

LEAKS = ("<class", "<function", "<module", "<built-in", "uid=", "root:x:0", "__builtins__", "<bound method")


def _document_text(data: bytes) -> str:
    try:
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError):
        return ""
    return re.sub(r"<[^>]+>", "", xml).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _no_template_code(outcome: Outcome) -> list[str]:
    found = []
    if (outcome.work / "pwned").exists():
        found.append("template code ran: it created the file 'pwned'")
    document = outcome.work / "d.docx"
    if outcome.status == 0 and document.is_file():
        text = _document_text(document.read_bytes())
        leaked = [mark for mark in LEAKS if mark in text]
        if leaked:
            found.append(f"template reached Python internals: the document shows {leaked[0]!r}")
    return found


PAYLOADS = {
    "cycler-globals-os-system": "{{ cycler.__init__.__globals__.os.system('touch pwned') }}",
    "cycler-globals-popen": "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "joiner-globals": "{{ joiner.__init__.__globals__.os.system('touch pwned') }}",
    "namespace-globals": "{{ namespace.__init__.__globals__.os.system('touch pwned') }}",
    "lipsum-globals": "{{ lipsum.__globals__['os'].system('touch pwned') }}",
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "field-class": "{{ agency.name.__class__.__base__.__subclasses__() }}",
    "self-context": "{{ self._TemplateReference__context }}",
    "builtins-open": "{{ cycler.__init__.__globals__.__builtins__.open('r.yaml', 'w').write('gone') }}",
    "include-passwd": "{% include '/etc/passwd' %}",
    "attr-filter": "{{ cycler|attr('__init__')|attr('__globals__') }}",
    "format-string": "{{ '{0.__class__}'.format(agency) }}",
    "undefined-field": "{{ secret_setting }}",
}
EXPENSIVE = {
    "range-loops": "{% for i in range(1000000) %}{% for j in range(1000000) %}x{% endfor %}{% endfor %}",
    "string-times": "{{ 'x' * 10000000000 }}",
    "power": "{{ 9 ** 9 ** 9 }}",
    "range-list": "{{ range(1000000000)|list|length }}",
    "list-times": "{{ [1] * 10000000000 }}",
}


def templates() -> Iterator[Case]:
    for name, payload in PAYLOADS.items():
        yield Case(
            "security",
            f"template-{name}",
            ("report", "r.yaml", "--template", "t.docx", "-o", "d.docx"),
            {**RESULTS, "t.docx": s.template_with(payload)},
            checks=(_no_template_code,),
        )
    for name, payload in EXPENSIVE.items():
        yield Case(
            "security",
            f"template-{name}",
            ("report", "r.yaml", "--template", "t.docx", "-o", "d.docx"),
            {**RESULTS, "t.docx": s.template_with(payload)},
            expect="refuse",
        )


FORMULAS = {
    "equals": "=1+1",
    "plus": "+1+1",
    "minus": "-1+1",
    "at": "@SUM(A1:A2)",
    "tab": "\t=1+1",
    "carriage-return": "\r=1+1",
    "hyperlink": '=HYPERLINK("http://example.com/x","กดที่นี่")',
    "dde": "=cmd|' /C calc'!A0",
}
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def _csv_cells(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig", errors="replace")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _xlsx_formulas(data: bytes) -> list[str]:
    """The formulas in a workbook's sheets: ``<f>`` elements, read from the XML itself (a text cell
    that starts with '=' is text to Excel; only an ``<f>`` element is run)."""
    book = zipfile.ZipFile(io.BytesIO(data))
    found = []
    for name in book.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            xml = book.read(name).decode("utf-8", "replace")
            found += re.findall(r"<(?:\w+:)?f(?:\s[^>]*)?>([^<]*)<", xml)
    return found


def _no_formulas(output: str) -> Callable[[Outcome], list[str]]:
    """Every text cell of the CSV/XLSX written is text a spreadsheet will not run."""

    def check(outcome: Outcome) -> list[str]:
        path = outcome.work / output
        if outcome.status != 0 or not path.is_file():
            return []
        data = path.read_bytes()
        if output.endswith(".csv"):
            bad = [c for c in _csv_cells(data) if c.startswith(DANGEROUS) and not NUMBER.match(c)]
            return [f"CSV cell would run as a formula: {bad[0][:40]!r}"] if bad else []
        if output.endswith(".xlsx"):
            try:
                formulas = _xlsx_formulas(data)
            except zipfile.BadZipFile:
                return ["the XLSX written is not a zip file"]
            return [f"XLSX cell is a formula: {formulas[0][:40]!r}"] if formulas else []
        return []

    check.__name__ = f"no_formulas_{output}"
    return check


def _yaml_named(name: str) -> str:
    return s.with_agency_name(SEED, name)


def formulas() -> Iterator[Case]:
    for label, text in FORMULAS.items():
        if not LONG and label in ("plus", "carriage-return"):
            continue
        for out in ("m.csv", "m.xlsx"):
            suffix = out.rsplit(".", 1)[1]
            yield Case(
                "security",
                f"formula-agency-{label}-report-{suffix}",
                ("report", "r.yaml", "-o", out),
                {"r.yaml": _yaml_named(text)},
                checks=(_no_formulas(out),),
            )
        if label in ("equals", "at", "hyperlink", "minus"):
            for out in ("x.csv", "x.xlsx"):
                suffix = out.rsplit(".", 1)[1]
                yield Case(
                    "security",
                    f"formula-agency-{label}-score-{suffix}",
                    ("score", "a.csv", "-o", out),
                    {"a.csv": s.answers_csv(agency=text)},
                    checks=(_no_formulas(out),),
                )

        def edit(data: dict[str, Any], text: str = text) -> None:
            data["measures"][0]["title"] = text
            data["measures"][0]["steps"][0] = text
            data["measures"][0]["owner"] = text

        if label in ("equals", "dde", "tab", "plus"):
            for out in ("m.csv", "m.xlsx"):
                suffix = out.rsplit(".", 1)[1]
                yield Case(
                    "security",
                    f"formula-measure-{label}-report-{suffix}",
                    ("report", "r.yaml", "--plan", "p.yaml", "-o", out),
                    {**RESULTS, "p.yaml": s.plan_with(edit)},
                    checks=(_no_formulas(out),),
                )


BATCH_NAMES = ["เทศบาลตำบลหนึ่ง", "เทศบาลตำบลสอง", "เทศบาลตำบลสาม"]


def _resume(kind: str, fmt: str) -> Case:
    first = f"out/2568-{BATCH_NAMES[0]}.{fmt}"

    def broken() -> bytes:
        if kind == "zero-byte":
            return b""
        if kind == "truncated":
            whole = s.docx_report() if fmt == "docx" else b'{"measures": [{"id": "x", "title": "'
            return whole[: len(whole) // 3]
        return b"\x00" * 4096  # "nul-filled": what a crash before the data reached the disk leaves

    def complete(outcome: Outcome) -> list[str]:
        if outcome.status != 0:
            return []
        target = outcome.work / first
        data = target.read_bytes() if target.is_file() else b""
        if fmt == "docx":
            ok = data[:2] == b"PK" and zipfile.is_zipfile(io.BytesIO(data))
        else:
            import json

            try:
                json.loads(data)
                ok = True
            except ValueError:
                ok = False
        return [] if ok else [f"a resumed batch kept the {kind} file {Path(first).name} as if it were done"]

    return Case(
        "security",
        f"resume-{kind}-{fmt}",
        ("report", "--batch", "s.csv", "--format", fmt, "--jobs", "1", "-o", "out"),
        {"s.csv": s.batch_scores(BATCH_NAMES), first: broken},
        replaceable=("out",),
        checks=(complete,),
    )


def resumes() -> Iterator[Case]:
    for kind in ("zero-byte", "truncated", "nul-filled"):
        for fmt in ("docx", "json"):
            yield _resume(kind, fmt)
    leftover = f"out/.2568-{BATCH_NAMES[1]}.json.x1y2z3"

    def cleaned(outcome: Outcome) -> list[str]:
        return (
            [f"leftover temporary file {leftover} still there"]
            if (outcome.work / leftover).exists() and outcome.status == 0
            else []
        )

    yield Case(
        "security",
        "resume-leftover-temporary",
        ("report", "--batch", "s.csv", "--format", "json", "--jobs", "1", "-o", "out"),
        {"s.csv": s.batch_scores(BATCH_NAMES), leftover: b'{"half'},
        replaceable=("out",),
        checks=(cleaned,),
    )


# --------------------------------------------------------------------------------------------------
# Processes
# --------------------------------------------------------------------------------------------------


def processes() -> Iterator[Case]:
    """``--jobs`` starts no more workers than there are documents (the parent and one helper aside)."""
    for jobs, count, fmt in (("40", 3, "docx"), ("1000", 2, "json"), ("8", 1, "json"), ("3", 5, "json")):
        names = [f"เทศบาลตำบลทดสอบ{n}" for n in range(count)]
        workers = min(int(jobs), count)
        yield Case(
            "processes",
            f"jobs-{jobs}-for-{count}-{fmt}",
            ("report", "--batch", "s.csv", "--format", fmt, "--jobs", jobs, "-o", "out"),
            {"s.csv": s.batch_scores(names)},
            max_processes=1 + (workers if workers > 1 else 0) + 1,
            checks=(_made(count),),
        )
    for jobs in ("0", "-3"):
        yield Case(
            "processes",
            f"jobs-{jobs}",
            ("report", "--batch", "s.csv", "--jobs", jobs, "-o", "out"),
            {"s.csv": s.batch_scores(BATCH_NAMES)},
            expect="refuse",
        )


def _made(count: int) -> Callable[[Outcome], list[str]]:
    def check(outcome: Outcome) -> list[str]:
        if outcome.status != 0:
            return []
        made = [p for p in (outcome.work / "out").iterdir()] if (outcome.work / "out").is_dir() else []
        return [] if len(made) == count else [f"{len(made)} documents made for {count} agencies"]

    return check


def output_cases() -> Iterator[Case]:
    yield from overwriting()
    yield from partial_output()
    yield from templates()
    yield from formulas()
    yield from resumes()
    yield from processes()
