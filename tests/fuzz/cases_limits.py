"""Writers asked to write where they cannot, and inputs built to exhaust time or memory (issue 11):
billion laughs, 512 GB sheets, huge gridSpans, zip and Flate bombs, oversized files and tables."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tests.fuzz import sources as s
from tests.fuzz.harness import Case, Outcome

SEED = "001"
RESULTS = {"r.yaml": s.example_text(SEED)}
LONG = os.environ.get("PRONGSAI_FUZZ", "").lower() == "long"


def is_file(work: Path) -> None:
    (work / "afile").write_text("not a folder\n")


def folder(name: str) -> Callable[[Path], None]:
    def make(work: Path) -> None:
        (work / name).mkdir(parents=True)

    return make


LONG_NAME = "ก" * 100  # 300 bytes in UTF-8: over the 255-byte limit of a file name


def output_paths() -> Iterator[Case]:
    """Every writer, asked to write where it cannot: onto a folder, under a file, a name too long."""
    answers = {"a.csv": s.answers_csv()}
    docx = {"d.docx": s.docx_report}
    scores = {"s.csv": s.batch_scores(["เทศบาลตำบลหนึ่ง"])}
    writers: dict[str, tuple[tuple[str, ...], str, dict[str, Any]]] = {
        "plan": (("plan", "r.yaml", "-o"), "p.yaml", RESULTS),
        "report-docx": (("report", "r.yaml", "-o"), "d.docx", RESULTS),
        "report-html": (("report", "r.yaml", "-o"), "d.html", RESULTS),
        "report-json": (("report", "r.yaml", "-o"), "m.json", RESULTS),
        "report-csv": (("report", "r.yaml", "-o"), "m.csv", RESULTS),
        "report-xlsx": (("report", "r.yaml", "-o"), "m.xlsx", RESULTS),
        "report-pdf": (("report", "r.yaml", "-o"), "d.pdf", RESULTS),
        "score-csv": (("score", "a.csv", "-o"), "x.csv", answers),
        "score-parquet": (("score", "a.csv", "-o"), "x.parquet", answers),
        "score-xlsx": (("score", "a.csv", "-o"), "x.xlsx", answers),
        "batch": (("report", "--batch", "s.csv", "--format", "json", "--jobs", "1", "-o"), "out", scores),
        "synth": (("synth", "--agencies", "1", "-o"), "syn", {}),
        "import": (("import", "d.docx", "-o"), "imported", docx),
    }
    for writer, (args, name, files) in writers.items():
        # Chromium reserves far more address space than any limit a reader would get
        extra: dict[str, Any] = {"memory": None, "timeout": 120} if writer == "report-pdf" else {}
        folder_target = name if writer not in ("batch", "synth", "import") else None
        if folder_target is not None:
            yield Case(
                "output-paths",
                f"{writer}-output-is-a-folder",
                (*args, name),
                files,
                setup=folder(name),
                expect="refuse",
                **extra,
            )
        yield Case(
            "output-paths",
            f"{writer}-parent-is-a-file",
            (*args, f"afile/{name}"),
            files,
            setup=is_file,
            expect="refuse",
            **extra,
        )
        suffix = Path(name).suffix
        yield Case(
            "output-paths",
            f"{writer}-name-too-long",
            (*args, LONG_NAME + suffix),
            files,
            expect="refuse",
            **extra,
        )
        if writer in ("batch", "synth", "import"):
            yield Case(
                "output-paths",
                f"{writer}-output-is-a-file",
                (*args, "afile"),
                files,
                setup=is_file,
                expect="refuse",
                **extra,
            )
    yield Case(
        "output-paths",
        "report-output-under-proc",
        ("report", "r.yaml", "-o", "/proc/prongsai-fuzz/d.docx"),
        RESULTS,
        expect="refuse",
    )
    yield Case(
        "output-paths", "plan-output-empty-name", ("plan", "r.yaml", "-o", ""), RESULTS, expect="refuse"
    )
    yield Case(
        "output-paths",
        "plan-output-dangling-link-folder",
        ("plan", "r.yaml", "-o", "gone/p.yaml"),
        RESULTS,
        setup=_dangling("gone"),
    )


def _dangling(name: str) -> Callable[[Path], None]:
    def make(work: Path) -> None:
        (work / name).symlink_to(work / "nowhere")

    return make


# --------------------------------------------------------------------------------------------------
# Hangs and memory


# --------------------------------------------------------------------------------------------------


def billion_laughs(key: str = "lol") -> str:
    lines = [f"a0: &a0 [{key}, {key}, {key}, {key}, {key}, {key}, {key}, {key}, {key}, {key}]"]
    for n in range(1, 10):
        refs = ", ".join([f"*a{n - 1}"] * 10)
        lines.append(f"a{n}: &a{n} [{refs}]")
    return "\n".join(lines) + "\n"


def laughs_in(text: str, field: str) -> str:
    """``text`` with a billion-laughs block first and ``field:`` pointing at its last anchor."""
    changed, count = re.subn(rf"^{field}:.*$", f"{field}: *a9", text, count=1, flags=re.M)
    if count != 1:
        raise ValueError(f"no line '{field}:' to point at the bomb")
    return billion_laughs() + changed


def _sheet_with_dimension(ref: str) -> Callable[[], bytes]:
    def make() -> bytes:
        data = s.long_xlsx(s.example(SEED))
        return s.rezip(
            data,
            {
                "xl/worksheets/sheet1.xml": lambda xml: re.sub(
                    rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), xml
                )
            },
        )

    return make


def _far_cell() -> bytes:
    data = s.long_xlsx(s.example(SEED))
    cell = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    return s.rezip(data, {"xl/worksheets/sheet1.xml": lambda xml: xml.replace(b"</sheetData>", cell)})


def _grid_span(value: str) -> Callable[[], bytes]:
    def make() -> bytes:
        def change(xml: bytes) -> bytes:
            if b"w:gridSpan" in xml:
                return re.sub(rb'<w:gridSpan w:val="[^"]*"/>', f'<w:gridSpan w:val="{value}"/>'.encode(), xml)
            return xml.replace(b"<w:tcPr>", f'<w:tcPr><w:gridSpan w:val="{value}"/>'.encode(), 1)

        return s.rezip(s.docx_report(), {"word/document.xml": change})

    return make


MB = 1 << 20
BOMB = (1024 if LONG else 100) * MB  # what a bomb inflates to: over every size and ratio limit
QUICK = 5.0  # seconds within which a limit on size or count must stop a bomb


def resources() -> Iterator[Case]:
    text = s.example_text(SEED)
    yield Case(
        "resources",
        "billion-laughs-results",
        ("check", "r.yaml"),
        {"r.yaml": laughs_in(text, "agency")},
        expect="refuse",
        within=QUICK,
    )
    yield Case(
        "resources",
        "billion-laughs-results-scores",
        ("check", "r.yaml"),
        {
            "r.yaml": billion_laughs()
            + "agency: เทศบาลตำบลโคกม่วง\nita_year: 2567\nscores: {items: {i1: *a9}}\n"
        },
        expect="refuse",
        within=QUICK,
    )
    yield Case(
        "resources",
        "billion-laughs-plan",
        ("report", "r.yaml", "--plan", "p.yaml", "-o", "m.json"),
        {**RESULTS, "p.yaml": lambda: laughs_in(s.plan_text(), "plan_year").encode()},
        expect="refuse",
        within=QUICK,
    )
    yield Case(
        "resources",
        "billion-laughs-settings",
        ("report", "r.yaml", "--settings", "s.yaml", "-o", "m.json"),
        {**RESULTS, "s.yaml": laughs_in(s.settings_text(), "unit")},
        expect="refuse",
        within=QUICK,
    )
    yield Case(
        "resources",
        "billion-laughs-units",
        ("plan", "r.yaml", "--units", "u.yaml", "-o", "p.yaml"),
        {**RESULTS, "u.yaml": laughs_in(s.units_text(), "finance")},
        expect="refuse",
        within=QUICK,
    )
    yield Case(
        "resources",
        "billion-laughs-history",
        ("analyze", "r.yaml", "--history", "h.yaml"),
        {**RESULTS, "h.yaml": laughs_in(s.example_text("000"), "agency")},
        expect="refuse",
        within=QUICK,
    )
    many = "a: &a ก\nb: [" + ", ".join(["*a"] * 200_000) + "]\n" + text
    yield Case(
        "resources", "two-hundred-thousand-aliases", ("check", "r.yaml"), {"r.yaml": many}, expect="refuse"
    )
    yield Case(
        "resources",
        "xlsx-dimension-512gb",
        ("check", "--json", "r.xlsx"),
        {"r.xlsx": _sheet_with_dimension("A1:XFD1048576")},
        checks=(_reads_i1,),
        within=QUICK,
    )
    yield Case(
        "resources",
        "xlsx-dimension-nonsense",
        ("check", "--json", "r.xlsx"),
        {"r.xlsx": _sheet_with_dimension("ZZZZZZ99999999999")},
        checks=(_reads_i1,),
        within=QUICK,
    )
    yield Case(
        "resources", "xlsx-cell-at-xfd1048576", ("check", "r.xlsx"), {"r.xlsx": _far_cell}, within=QUICK
    )
    yield Case(
        "resources",
        "xlsx-zip-bomb-sheet",
        ("check", "r.xlsx"),
        {"r.xlsx": lambda: s.zip_bomb_member(s.long_xlsx(s.example(SEED)), "xl/worksheets/sheet1.xml", BOMB)},
        expect="refuse",
        within=QUICK,
    )
    yield Case(
        "resources",
        "xlsx-zip-bomb-styles",
        ("check", "r.xlsx"),
        {"r.xlsx": lambda: s.zip_bomb_member(s.long_xlsx(s.example(SEED)), "xl/styles.xml", BOMB)},
        expect="refuse",
        within=QUICK,
    )
    yield Case(
        "resources",
        "answers-xlsx-dimension-512gb",
        ("score", "a.xlsx", "-o", "x.csv"),
        {
            "a.xlsx": lambda: s.rezip(
                s.xlsx_bytes([s.ANSWER_HEADER, *s.answer_rows()]),
                {
                    "xl/worksheets/sheet1.xml": lambda xml: re.sub(
                        rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml
                    )
                },
            )
        },
        within=QUICK,
    )
    yield Case(
        "resources",
        "docx-gridspan-2e9",
        ("import", "d.docx"),
        {"d.docx": _grid_span("2000000000")},
        within=QUICK,
    )
    yield Case(
        "resources",
        "docx-gridspan-negative",
        ("import", "d.docx"),
        {"d.docx": _grid_span("-5")},
        within=QUICK,
    )
    yield Case(
        "resources", "docx-gridspan-words", ("import", "d.docx"), {"d.docx": _grid_span("many")}, within=QUICK
    )
    yield Case(
        "resources",
        "docx-zip-bomb",
        ("import", "d.docx"),
        {"d.docx": lambda: s.zip_bomb_member(s.docx_report(), "word/document.xml", BOMB)},
        expect="refuse",
        within=QUICK,
    )
    yield Case(
        "resources",
        "pdf-flate-bomb-240mb",
        ("import", "d.pdf"),
        {"d.pdf": lambda: s.pdf_bytes(bomb=240 * MB)},
        expect="refuse",
        within=QUICK,
    )
    yield Case(
        "resources",
        "pdf-5000-pages",
        ("import", "d.pdf"),
        {"d.pdf": lambda: s.pdf_bytes(pages=5000)},
        expect="refuse",
        within=QUICK,
    )
    yield Case(
        "resources",
        "template-zip-bomb",
        ("report", "r.yaml", "--template", "t.docx", "-o", "d.docx"),
        {**RESULTS, "t.docx": lambda: s.zip_bomb_member(s.template_bytes(), "word/document.xml", BOMB)},
        expect="refuse",
        within=QUICK,
    )
    yield Case(
        "resources",
        "results-file-100mb-sparse",
        ("check", "r.yaml"),
        {},
        setup=_sparse("r.yaml", 100 * MB),
        expect="refuse",
        within=QUICK,
    )
    yield Case(
        "resources",
        "csv-20000-columns",
        ("check", "r.csv"),
        {
            "r.csv": ",".join(f"c{n}" for n in range(20_000))
            + "\n"
            + ",".join("1" for _ in range(20_000))
            + "\n"
        },
        expect="refuse",
        within=QUICK,
    )
    yield Case(
        "resources",
        "csv-one-line-of-8mb",
        ("check", "r.csv"),
        {"r.csv": lambda: ("agency,ita_year,code,score\n" + "ก" * (8 * MB // 3) + ",2567,i1,90\n").encode()},
        expect="refuse",
        within=QUICK,
    )


def _sparse(name: str, size: int) -> Callable[[Path], None]:
    def make(work: Path) -> None:
        with open(work / name, "wb") as stream:
            stream.write(b"# a results file\n")
            stream.truncate(size)

    return make


def _reads_i1(outcome: Outcome) -> list[str]:
    """A sheet whose declared size is absurd but whose cells are fine is read as its cells say."""
    if outcome.status != 0:
        return []
    try:
        got = json.loads(outcome.stdout)["items"]["i1"]
    except (ValueError, KeyError, TypeError):
        return ["check --json did not give items.i1"]
    return [] if got == 84.67 else [f"items.i1 read as {got}, the cell says 84.67"]


# --------------------------------------------------------------------------------------------------
# Messages


def limit_cases() -> Iterator[Case]:
    yield from output_paths()
    yield from resources()
