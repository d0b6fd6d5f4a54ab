"""Benchmark: reading results files through the hardened loader (issue 11).

Prints, for an example agency-year and for 2,000 agency-years in one file (JSON list, YAML stream,
long-form CSV, wide XLSX of 8,300 rows), the seconds ``read_results`` takes (every check: limits,
located values, numbers with one meaning, duplicates), and in the same run the bare parse of the
same bytes by the usual library (json.loads, yaml.safe_load_all with libyaml, csv.reader,
calamine): the price of the checks over a parse that checks nothing.
Run: .venv/bin/python bench/reading.py
Last line: example_ms=… json_2000_s=… yaml_2000_s=… csv_2000_s=… xlsx_8300_s=…
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from timing import median_seconds

from prongsai.ingest import read_results

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "seed-002-bueng-kan-2568.yaml"
AGENCIES = 2_000
WIDE_ROWS = 8_300


def agency_years(count: int) -> list[dict[str, Any]]:
    """``count`` copies of the example under different names (the checks do not care who)."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    out = []
    for number in range(count):
        copy = json.loads(json.dumps(data))
        copy["agency"]["name"] = f"เทศบาลตำบลทดสอบ{number:04d}"
        out.append(copy)
    return out


def long_csv(records: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["agency", "ita_year", "code", "score"])
    for record in records:
        for code, score in record["scores"]["items"].items():
            writer.writerow([record["agency"]["name"], record["ita_year"], code, score])
    return buffer.getvalue().encode("utf-8")


def wide_xlsx(records: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    codes = list(records[0]["scores"]["items"])
    book = Workbook(write_only=True)
    sheet = book.create_sheet("scores")
    sheet.append(["agency", "ita_year", *codes])
    for number in range(WIDE_ROWS):
        record = records[number % len(records)]
        items = record["scores"]["items"]
        sheet.append([f"เทศบาลตำบลทดสอบ{number:05d}", record["ita_year"], *(items[c] for c in codes)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def bare_json(path: Path) -> object:
    return json.loads(path.read_bytes())


def bare_yaml(path: Path) -> object:
    return list(yaml.load_all(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))


def bare_csv(path: Path) -> object:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def bare_xlsx(path: Path) -> object:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def row(name: str, ours: float, bare: float) -> None:
    print(f"{name:<34} {ours:8.3f} s {bare:8.3f} s {ours / bare:6.1f}x")


def main() -> None:
    records = agency_years(AGENCIES)
    with tempfile.TemporaryDirectory() as folder:
        files: dict[str, tuple[Path, Callable[[Path], object]]] = {}
        for name, data, bare in (
            ("r.json", json.dumps(records, ensure_ascii=False).encode(), bare_json),
            ("r.yaml", yaml.safe_dump_all(records, allow_unicode=True).encode(), bare_yaml),
            ("r.csv", long_csv(records), bare_csv),
            ("r.xlsx", wide_xlsx(records), bare_xlsx),
        ):
            path = Path(folder) / name
            path.write_bytes(data)
            files[name] = (path, bare)
        example_ms = median_seconds(lambda: read_results(EXAMPLE), 21, warm_up=True) * 1000
        print(f"example agency-year (YAML): {example_ms:.2f} ms")
        print(f"{'file':<34} {'prongsai':>10} {'bare parse':>10} {'ratio':>7}")
        figures: dict[str, float] = {}
        for name, label in (
            ("r.json", f"JSON list, {AGENCIES:,} agency-years"),
            ("r.yaml", f"YAML stream, {AGENCIES:,} agency-years"),
            ("r.csv", f"long CSV, {AGENCIES:,} agency-years"),
            ("r.xlsx", f"wide XLSX, {WIDE_ROWS:,} rows"),
        ):
            path, bare = files[name]
            ours = median_seconds(lambda path=path: read_results(path), 3, warm_up=True)
            plain = median_seconds(lambda path=path, bare=bare: bare(path), 3, warm_up=True)
            figures[name] = ours
            row(label, ours, plain)
    json_s, yaml_s, csv_s, xlsx_s = (figures[n] for n in ("r.json", "r.yaml", "r.csv", "r.xlsx"))
    print(
        f"example_ms={example_ms:.2f} json_2000_s={json_s:.2f} yaml_2000_s={yaml_s:.2f} "
        f"csv_2000_s={csv_s:.2f} xlsx_8300_s={xlsx_s:.2f}"
    )


if __name__ == "__main__":
    main()
