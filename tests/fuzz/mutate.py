"""Seeded random mutations of every input kind: each case is named by its kind and number, and the
same name always gives the same bytes (``random.Random`` seeded with the name), so a failure found
in the long run is reproduced by its name alone.

Zip containers (XLSX, DOCX, templates) are mutated inside one of their XML parts most of the time,
so that the mutation reaches the XML readers instead of stopping at the zip's checksum."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable, Iterator

from tests.fuzz import sources as s
from tests.fuzz.harness import Case, FileData

INTERESTING = [
    b'"',
    b"'",
    b"\x00",
    b"\xff\xfe",
    b"\n",
    b"\r",
    b"{",
    b"[",
    b"]",
    b"&a ",
    b"*a",
    b"%",
    b",",
    b";",
    b"\t",
    b"-",
    b"e999",
    b"9" * 60,
    b"\xe0\xb9",
    b"---\n",
    b"...\n",
    b": ",
    b"!!python/object:os.system",
    b"<",
    b"&amp;",
    b"<!ENTITY x SYSTEM 'file:///etc/passwd'>",
    b"\xef\xbb\xbf",
    b"NaN",
    b"-1",
    b"1e400",
    b"\xc0\x80",
]


def _flip(rng: random.Random, data: bytearray) -> None:
    for _ in range(rng.randint(1, 8)):
        if data:
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)


def _bytes(rng: random.Random, data: bytearray) -> None:
    for _ in range(rng.randint(1, 16)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)


def _insert(rng: random.Random, data: bytearray) -> None:
    at = rng.randint(0, len(data))
    data[at:at] = rng.choice(INTERESTING)


def _delete(rng: random.Random, data: bytearray) -> None:
    if data:
        at = rng.randrange(len(data))
        del data[at : at + rng.randint(1, 64)]


def _duplicate(rng: random.Random, data: bytearray) -> None:
    if data:
        at = rng.randrange(len(data))
        piece = data[at : at + rng.randint(1, 256)]
        where = rng.randint(0, len(data))
        data[where:where] = piece * rng.randint(1, 4)


def _truncate(rng: random.Random, data: bytearray) -> None:
    if data:
        del data[rng.randrange(len(data)) :]


def _splice(rng: random.Random, data: bytearray) -> None:
    """One piece repeated up to a megabyte: long lines, long values, many rows."""
    if data:
        at = rng.randrange(len(data))
        piece = bytes(data[at : at + rng.randint(1, 32)]) or b"x"
        data[at:at] = piece * (rng.randint(1, 1 << 20) // len(piece))


OPERATORS: list[Callable[[random.Random, bytearray], None]] = [
    _flip,
    _bytes,
    _insert,
    _insert,
    _delete,
    _duplicate,
    _truncate,
    _splice,
]


def mutate(data: bytes, name: str) -> bytes:
    """``data`` changed by one to three operators chosen by the seed ``name``."""
    rng = random.Random(name)
    if data[:2] == b"PK" and rng.random() < 0.7:
        return _mutate_member(data, rng)
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        rng.choice(OPERATORS)(rng, out)
    return bytes(out)


def _mutate_member(data: bytes, rng: random.Random) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    names = [i.filename for i in source.infolist() if i.filename.endswith((".xml", ".rels"))]
    target = rng.choice(names)
    content = bytearray(source.read(target))
    for _ in range(rng.randint(1, 3)):
        rng.choice(OPERATORS)(rng, content)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as result:
        for info in source.infolist():
            result.writestr(
                info.filename, bytes(content) if info.filename == target else source.read(info.filename)
            )
    return out.getvalue()


SEED = "001"
RESULTS: dict[str, FileData] = {"r.yaml": s.example_text(SEED)}


def _b(make: Callable[[], str | bytes]) -> Callable[[], bytes]:
    def data() -> bytes:
        value = make()
        return value.encode("utf-8") if isinstance(value, str) else value

    return data


def _record() -> dict[str, object]:
    return s.example(SEED)


def _filled_form() -> bytes:
    """The 2568 fill-in results form, filled from seed 002 as a clerk would (issue 12)."""
    import tempfile
    from pathlib import Path

    from prongsai.framework import bundled_frameworks
    from prongsai.ingest import read_results
    from prongsai.results_template import template_workbook
    from tests.test_template import fill_form

    (record,), _ = read_results(s.example_path("002"))
    with tempfile.TemporaryDirectory() as folder:
        path = fill_form(template_workbook(bundled_frameworks()[2568]), Path(folder) / "f.xlsx", record)
        return path.read_bytes()


def _framework_workbook() -> bytes:
    from prongsai.framework import bundled_frameworks
    from prongsai.framework_export import framework_workbook

    return framework_workbook(bundled_frameworks()[2569])


def _framework_yaml() -> str:
    """A person's own year: 2569 carried into 2570, as a frameworks folder holds it."""
    import yaml

    from prongsai.framework import bundled_frameworks

    definition = dict(bundled_frameworks()[2569].definition) | {"ita_year": 2570}
    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False)


def _progress_text() -> str:
    """The example year of updates (issue 14), read by ``progress status`` against its plan."""
    return (s.EXAMPLES / "seed-000-bueng-phai-2567-progress.yaml").read_text(encoding="utf-8")


PROGRESS_PLAN: dict[str, FileData] = {
    "p.yaml": (s.EXAMPLES / "seed-000-bueng-phai-2567-plan.yaml").read_text(encoding="utf-8")
}

# kind -> (the well-formed bytes, the file name, the command, other files the command needs)
KINDS: dict[str, tuple[Callable[[], bytes], str, tuple[str, ...], dict[str, FileData]]] = {
    "results-yaml": (_b(lambda: s.example_text(SEED)), "r.yaml", ("check", "r.yaml"), {}),
    "results-json": (_b(lambda: s.as_json(_record())), "r.json", ("check", "--json", "r.json"), {}),
    "long-csv": (_b(lambda: s.long_csv(_record())), "r.csv", ("check", "r.csv"), {}),
    "long-xlsx": (_b(lambda: s.long_xlsx(_record())), "r.xlsx", ("check", "r.xlsx"), {}),
    "wide-csv": (_b(lambda: s.wide_csv([_record()])), "w.csv", ("analyze", "w.csv"), {}),
    "wide-xlsx": (_b(lambda: s.wide_xlsx([_record()])), "w.xlsx", ("check", "w.xlsx"), {}),
    "wide-parquet": (lambda: s.forms(SEED)["wide.parquet"](), "w.parquet", ("check", "w.parquet"), {}),  # type: ignore[operator]
    "plan": (_b(s.plan_text), "p.yaml", ("report", "r.yaml", "--plan", "p.yaml", "-o", "m.json"), RESULTS),
    "settings": (
        _b(s.settings_text),
        "s.yaml",
        ("report", "r.yaml", "--settings", "s.yaml", "-o", "m.json"),
        RESULTS,
    ),
    "units": (_b(s.units_text), "u.yaml", ("plan", "r.yaml", "--units", "u.yaml", "-o", "p.yaml"), RESULTS),
    "answers-csv": (_b(s.answers_csv), "a.csv", ("score", "a.csv", "-o", "x.csv"), {}),
    "checklist-csv": (
        _b(s.checklist_csv),
        "o.csv",
        ("score", "a.csv", "--oit", "o.csv", "-o", "x.csv"),
        {"a.csv": s.answers_csv()},
    ),
    "docx-import": (s.docx_report, "d.docx", ("import", "d.docx"), {}),
    "text-import": (s.text_report, "d.txt", ("import", "d.txt"), {}),
    "pdf-import": (lambda: s.pdf_bytes(pages=2), "d.pdf", ("import", "d.pdf"), {}),
    "template": (
        s.template_bytes,
        "t.docx",
        ("report", "r.yaml", "--template", "t.docx", "-o", "d.docx"),
        RESULTS,
    ),
    "results-form": (_filled_form, "f.xlsx", ("check", "f.xlsx"), {}),
    "framework-workbook": (
        _framework_workbook,
        "fw.xlsx",
        ("framework", "import", "fw.xlsx", "-o", "out"),
        {},
    ),
    "framework-folder": (_b(_framework_yaml), "fw/ita-2570.yaml", ("--frameworks", "fw", "frameworks"), {}),
    "progress-file": (
        _b(_progress_text),
        "g.yaml",
        ("progress", "status", "p.yaml", "g.yaml", "--as-of", "2567-09-30"),
        PROGRESS_PLAN,
    ),
}


def mutation_cases(per_kind: int, real_pdf: bool = False) -> Iterator[Case]:
    kinds = dict(KINDS)
    if real_pdf:
        kinds["pdf-report-import"] = (s.pdf_report, "d.pdf", ("import", "d.pdf"), {})
    for kind, (base, name, args, others) in kinds.items():
        for n in range(per_kind):
            seed = f"{kind}-{n}"

            def data(base: Callable[[], bytes] = base, seed: str = seed) -> bytes:
                return mutate(base(), seed)

            yield Case("mutations", seed, args, {**others, name: data})


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "truncated-half": lambda d: d[: len(d) // 2],
    "truncated-10-bytes": lambda d: d[:10],
    "bit-flipped-middle": lambda d: d[: len(d) // 2] + bytes([d[len(d) // 2] ^ 0x10]) + d[len(d) // 2 + 1 :],
    "end-cut-off": lambda d: d[:-22],
    "header-zeroed": lambda d: b"\x00\x00\x00\x00" + d[4:],
}
DAMAGED_KINDS = (
    "long-xlsx",
    "wide-parquet",
    "docx-import",
    "pdf-import",
    "template",
    "results-form",
    "framework-workbook",
)


def damaged_cases(real_pdf: bool = False) -> Iterator[Case]:
    """Containers damaged the ways transfers and disks damage them: cut short, a bit flipped, the
    zip directory or the PDF trailer lost, the signature wiped."""
    kinds = {k: KINDS[k] for k in DAMAGED_KINDS}
    if real_pdf:
        kinds["pdf-report-import"] = (s.pdf_report, "d.pdf", ("import", "d.pdf"), {})
    for kind, (base, name, args, others) in kinds.items():
        for damage, change in DAMAGE.items():

            def data(base: Callable[[], bytes] = base, change: Callable[[bytes], bytes] = change) -> bytes:
                return change(base())

            yield Case("mutations", f"{kind}-{damage}", args, {**others, name: data})
