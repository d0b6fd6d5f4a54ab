"""Well-formed inputs the cases break: the real examples in every results form, and a plan, a
document, answers, a checklist and a template made from them (by prongsai itself where it writes
them). Everything is made on first use and kept for the session."""

from __future__ import annotations

import copy
import csv
import functools
import hashlib
import io
import json
import pickle
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tests.fuzz.harness import in_child, produce

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
TEMPLATE = EXAMPLES / "templates" / "letterhead.docx"
SEEDS = ("000", "001", "002", "003", "004")
SCORED = ("000", "001", "002", "003")  # seed 004 prints no score: no table form can hold it
LONG_HEADER = ["agency", "ita_year", "code", "score", "agency_type", "district", "province"]


# --------------------------------------------------------------------------------------------------
# Results in every form
# --------------------------------------------------------------------------------------------------


def example_path(seed: str) -> Path:
    return next(EXAMPLES.glob(f"seed-{seed}-*-25[0-9][0-9].yaml"))


@cache
def example_text(seed: str) -> str:
    return example_path(seed).read_text(encoding="utf-8")


def example(seed: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(example_text(seed))
    return data


def agency_of(record: dict[str, Any]) -> dict[str, Any]:
    agency = record["agency"]
    return agency if isinstance(agency, dict) else {"name": agency}


def scores_of(record: dict[str, Any]) -> list[tuple[str, Any]]:
    """(code, score) in the long form's spelling: overall, level, tools, ind1.., items."""
    scores = record.get("scores") or {}
    out: list[tuple[str, Any]] = []
    for key in ("overall", "level"):
        if key in scores:
            out.append((key, scores[key]))
    out += [(code, value) for code, value in (scores.get("tools") or {}).items()]
    out += [(f"ind{n}", value) for n, value in (scores.get("indicators") or {}).items()]
    out += [(str(code), value) for code, value in (scores.get("items") or {}).items()]
    return out


def as_json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=1)


def long_rows(record: dict[str, Any]) -> list[list[Any]]:
    agency = agency_of(record)
    rows = []
    for i, (code, score) in enumerate(scores_of(record)):
        extra = [agency.get("type", ""), agency.get("district", ""), agency.get("province", "")]
        rows.append([agency["name"], record["ita_year"], code, score, *(extra if i == 0 else ["", "", ""])])
    return rows


def csv_text(header: list[str], rows: Iterable[list[Any]], delimiter: str = ",") -> str:
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return stream.getvalue()


def long_csv(record: dict[str, Any]) -> str:
    return csv_text(LONG_HEADER, long_rows(record))


def xlsx_bytes(
    rows: list[list[Any]], sheet: str = "คะแนน", formats: dict[tuple[int, int], str] | None = None
) -> bytes:
    """An XLSX workbook of one sheet; ``formats`` gives (row, column) 1-based number formats."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for (r, c), fmt in (formats or {}).items():
        ws.cell(row=r, column=c).number_format = fmt
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def long_xlsx(record: dict[str, Any]) -> bytes:
    return xlsx_bytes([LONG_HEADER, *long_rows(record)])


def wide_table(records: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """The SCORES form (one row per agency-year), columns in first-seen order."""
    columns = ["agency", "ita_year"]
    rows = []
    for record in records:
        values = dict(scores_of(record))
        columns += [c for c in values if c not in columns]
        rows.append({"agency": agency_of(record)["name"], "ita_year": record["ita_year"], **values})
    return columns, [[row.get(c) for c in columns] for row in rows]


def wide_csv(records: list[dict[str, Any]]) -> str:
    header, rows = wide_table(records)
    return csv_text(header, rows)


def wide_xlsx(records: list[dict[str, Any]]) -> bytes:
    header, rows = wide_table(records)
    return xlsx_bytes([header, *rows])


_PARQUET_SPECS: dict[str, tuple[list[str], list[list[Any]], bool]] = {}
_PARQUET_MADE: dict[str, bytes] = {}


def wide_parquet(records: list[dict[str, Any]], decimal: bool = False) -> Callable[[], bytes]:
    """A function giving the Parquet file of ``records`` (the SCORES form). With ``decimal`` the
    score columns are DECIMAL(5, 2), as databases export them. Every Parquet file asked for is made
    at once, in one forked child (see harness.in_child): pyarrow costs a second to load."""
    header, rows = wide_table(records)
    key = hashlib.sha256(repr((header, rows, decimal)).encode()).hexdigest()
    _PARQUET_SPECS[key] = (header, rows, decimal)

    def make() -> bytes:
        if key not in _PARQUET_MADE:
            _make_parquets()
        return _PARQUET_MADE[key]

    return make


def _make_parquets() -> None:
    todo = {k: v for k, v in _PARQUET_SPECS.items() if k not in _PARQUET_MADE}
    _PARQUET_MADE.update(pickle.loads(in_child(functools.partial(write_parquets, todo))))


def write_parquets(todo: dict[str, tuple[list[str], list[list[Any]], bool]], path: Path) -> None:
    """Every Parquet file of ``todo``, pickled by key into ``path`` (runs in a child: see in_child)."""
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    made = {}
    for key, (header, rows, decimal) in todo.items():
        arrays = []
        for i, name in enumerate(header):
            values = [row[i] for row in rows]
            if name in ("agency", "level"):
                arrays.append(pa.array([None if v is None else str(v) for v in values], pa.string()))
            elif name == "ita_year":
                arrays.append(pa.array(values, pa.int64()))
            elif decimal:
                numbers = [None if v is None else Decimal(str(v)).quantize(Decimal("0.01")) for v in values]
                arrays.append(pa.array(numbers, pa.decimal128(5, 2)))
            else:
                arrays.append(pa.array([None if v is None else float(v) for v in values], pa.float64()))
        stream = io.BytesIO()
        pq.write_table(pa.Table.from_arrays(arrays, names=header), stream)
        made[key] = stream.getvalue()
    path.write_bytes(pickle.dumps(made))


def forms(seed: str) -> dict[str, Callable[[], bytes] | str | bytes]:
    """Every results form of one example, by file name."""
    record = example(seed)
    return {
        "r.yaml": example_text(seed),
        "r.json": as_json(record),
        "long.csv": long_csv(record),
        "long.xlsx": long_xlsx(record),
        "wide.csv": wide_csv([record]),
        "wide.xlsx": wide_xlsx([record]),
        "wide.parquet": _parquets(seed),
    }


def _parquets(seed: str) -> Callable[[], bytes]:
    return wide_parquet([example(seed)])


def expected(seed: str) -> dict[str, Any]:
    """What ``check --json`` must say of the example: its given scores, exactly."""
    record = example(seed)
    scores = record.get("scores") or {}
    return {
        "overall": scores.get("overall"),
        "indicators": {str(k): v for k, v in (scores.get("indicators") or {}).items()},
        "items": {str(k): v for k, v in (scores.get("items") or {}).items()},
        "tools": {k: v for k, v in (scores.get("tools") or {}).items() if k not in ("EIT1", "EIT2")},
        "tool_parts": {k: v for k, v in (scores.get("tools") or {}).items() if k in ("EIT1", "EIT2")},
        "level": scores.get("level"),
    }


def edit(text: str, old: str, new: str, count: int = -1) -> str:
    """``text.replace(old, new, count)`` that fails when ``old`` is not there: a case whose edit
    silently did nothing would test the well-formed file and pass for the wrong reason."""
    if old not in text:
        raise ValueError(f"{old[:60]!r} is not in the base text: the case would change nothing")
    return text.replace(old, new, count)


def yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar: printable characters as they are, every other one
    as an escape (``\\x01``, ``\\ufffe``, ``\\U0001f600``), so that it reaches the reader intact."""
    out = []
    for char in text:
        code = ord(char)
        if char in '\\"':
            out.append("\\" + char)
        elif char.isprintable() and not 0xD800 <= code <= 0xDFFF and code not in (0xFFFE, 0xFFFF):
            out.append(char)
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def with_agency_name(seed: str, name: str) -> str:
    """The example's YAML with the agency named ``name`` (any characters, escaped as YAML needs)."""
    return re.sub(r"name: [^,]+,", lambda _: f"name: {yaml_quoted(name)},", example_text(seed), count=1)


def item_line(seed: str, code: str) -> int:
    """The 1-based line of ``code:`` in the example's YAML (where messages must point)."""
    for number, line in enumerate(example_text(seed).splitlines(), 1):
        if re.match(rf"\s+{re.escape(code)}:", line):
            return number
    raise KeyError(code)


def with_item(seed: str, code: str, text: str) -> str:
    """The example's YAML with the score of ``code`` written as ``text``."""
    lines = example_text(seed).splitlines()
    n = item_line(seed, code) - 1
    indent = lines[n][: len(lines[n]) - len(lines[n].lstrip())]
    lines[n] = f"{indent}{code}: {text}"
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------
# Plans, documents, answers, templates
# --------------------------------------------------------------------------------------------------


@cache
def plan_text(seed: str = "001") -> str:
    """The plan ``prongsai plan`` drafts for the example."""
    data = produce(("plan", "r.yaml", "-o", "p.yaml"), {"r.yaml": example_text(seed)}, "p.yaml")
    return data.decode("utf-8")


def plan_data(seed: str = "001") -> dict[str, Any]:
    """The drafted plan as data, a fresh copy to edit."""
    return copy.deepcopy(_plan_data(seed))


@cache
def _plan_data(seed: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(plan_text(seed), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def plan_with(change: Callable[[dict[str, Any]], None], seed: str = "001") -> Callable[[], bytes]:
    """A plan made by prongsai with one edit applied (made when the case runs)."""

    def make() -> bytes:
        data = plan_data(seed)
        change(data)
        return dump(data).encode("utf-8")

    return make


@cache
def docx_report(seed: str = "001") -> bytes:
    return produce(("report", "r.yaml", "-o", "d.docx"), {"r.yaml": example_text(seed)}, "d.docx")


@cache
def pdf_report(seed: str = "001") -> bytes:
    """A real report printed by Chromium (slow: a few seconds, once)."""
    return produce(("report", "r.yaml", "-o", "d.pdf"), {"r.yaml": example_text(seed)}, "d.pdf", timeout=180)


@cache
def text_report(seed: str = "001") -> bytes:
    """The report's text, one paragraph or table row a line: what ``import doc.txt`` reads."""
    import docx

    document = docx.Document(io.BytesIO(docx_report(seed)))
    lines = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rpartition("}")[2]
        if tag == "p":
            lines.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in block.iter():
                if row.tag.endswith("}tr"):
                    cells = [c for c in row.iterchildren() if c.tag.endswith("}tc")]
                    lines.append(
                        " ".join(
                            "".join(t.text or "" for t in c.iter() if t.tag.endswith("}t")) for c in cells
                        )
                    )
    return ("\n".join(lines) + "\n").encode("utf-8")


def template_bytes() -> bytes:
    return TEMPLATE.read_bytes()


def template_with(payload: str, replace: str = "{{ summary }}") -> Callable[[], bytes]:
    """The example template with one placeholder replaced by ``payload`` (template code)."""

    def make() -> bytes:
        escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return rezip(
            template_bytes(),
            {"word/document.xml": lambda xml: xml.replace(replace.encode(), escaped.encode())},
        )

    return make


def rezip(data: bytes, changes: dict[str, Callable[[bytes], bytes]]) -> bytes:
    """A zip container (XLSX, DOCX) with some members rewritten (each change must change it)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename in changes:
                changed = changes[info.filename](content)
                if changed == content:
                    raise ValueError(f"the change to {info.filename} changed nothing")
                content = changed
            target.writestr(info.filename, content)
    return out.getvalue()


def zip_member(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def zip_bomb_member(data: bytes, name: str, size: int) -> bytes:
    """``data`` with member ``name`` replaced by ``size`` bytes of spaces after its first bytes
    (compressed about 1000 to 1, written in pieces so that the bomb never sits in memory)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename != name:
                target.writestr(info.filename, content)
                continue
            with target.open(zipfile.ZipInfo(name), "w", force_zip64=True) as stream:
                cut = content.rfind(b">", 0, 200) + 1  # keep the XML declaration
                stream.write(content[:cut])
                piece = b" " * (1 << 22)
                for _ in range(size // len(piece)):
                    stream.write(piece)
                stream.write(content[cut:])
    return out.getvalue()


ANSWER_HEADER = ["agency", "ita_year", "tool", "respondent", "item", "answer"]
_FOUR = ["มากที่สุด", "มาก", "น้อย", "น้อยที่สุดหรือไม่มีเลย"]


def answer_rows(agency: str = "เทศบาลตำบลตัวอย่าง", respondents: int = 6) -> list[list[Any]]:
    """IIT answers of a few respondents to a few items of 2568 (enough to score, and small)."""
    rows = []
    for r in range(1, respondents + 1):
        for n, item in enumerate(("i1", "i2", "i4", "i5")):  # four-level items (i3 is yes/no)
            rows.append([agency, 2568, "IIT", r, item, _FOUR[(r + n) % 3]])
    return rows


def answers_csv(agency: str = "เทศบาลตำบลตัวอย่าง", respondents: int = 6) -> str:
    return csv_text(ANSWER_HEADER, answer_rows(agency, respondents))


def checklist_csv(agency: str = "เทศบาลตำบลตัวอย่าง") -> str:
    header = ["agency", "ita_year", "item", "has", "url", "assessor_verdict"]
    rows = [[agency, 2568, f"o{n}", "มี", "https://example.go.th/ita", "pass"] for n in range(1, 6)]
    return csv_text(header, rows)


def settings_text() -> str:
    """The settings file as docs/document.md shows it."""
    return (
        "prepared_by: {name: นางสาวสมศรี ใจดี, position: นิติกรชำนาญการ}\n"
        "endorsed_by: {name: นายสมชาย รักดี, position: ปลัดเทศบาล}\n"
        "approved_by: {name: นายสมปอง มั่นคง, position: นายกเทศมนตรี}\n"
        "unit: งานนิติการ สำนักปลัดเทศบาล\n"
        "date: 2568-12-15\n"
    )


def units_text() -> str:
    return dump({"finance": "กองคลัง", "clerk_office": "สำนักปลัดเทศบาล", "legal": "งานนิติการ"})


def batch_scores(agencies: Iterable[str], year: int = 2568) -> str:
    """A long-form results file with one agency-year per name (the input of report --batch)."""
    rows = []
    for name in agencies:
        rows += [[name, year, "overall", 91.5, "", "", ""], [name, year, "ind1", 88.25, "", "", ""]]
    return csv_text(LONG_HEADER, rows)


# --------------------------------------------------------------------------------------------------
# PDF made by hand (no Chromium)
# --------------------------------------------------------------------------------------------------


def pdf_bytes(pages: int = 1, bomb: int = 0, text: str = "ITA 2567") -> bytes:
    """A small PDF written byte by byte: ``pages`` pages sharing one content stream; with ``bomb``
    the stream inflates to that many bytes (Flate, about 1000 to 1)."""
    if bomb:
        squeeze = zlib.compressobj(9)
        piece = b" " * (1 << 22)
        body = b"".join(squeeze.compress(piece) for _ in range(bomb // len(piece))) + squeeze.flush()
        content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"
    else:
        stream = f"BT /F1 16 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
        content = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        content,
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 3 0 R >> >> >>"
    objects += [page] * pages
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
