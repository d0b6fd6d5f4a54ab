"""Benchmark: the workbooks people fill or edit (issue 12).

Prints, for 2568 (52 items, with raw-answer scoring rules), the milliseconds of
- writing the fill-in results form (prongsai template), and reading the filled form back with
  read_results, against reading the same agency-year from its YAML file in the same run;
- writing the framework workbook (framework export), and reading it back into a checked definition
  (framework import without the write), against parsing and checking the bundled YAML of the year.
Run: .venv/bin/python bench/authoring.py
Last line: form_write_ms=… form_read_ms=… yaml_read_ms=… export_ms=… import_ms=… yaml_framework_ms=…
"""

from __future__ import annotations

import sys
import tempfile
from importlib import resources
from pathlib import Path

from timing import median_seconds

from prongsai.framework import bundled_frameworks, parse_framework
from prongsai.framework_export import framework_workbook
from prongsai.framework_import import read_workbook
from prongsai.ingest import read_results
from prongsai.problems import Location
from prongsai.results_template import template_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.test_template import fill_form  # noqa: E402  (the tests' own clerk)

EXAMPLE = ROOT / "examples" / "seed-002-bueng-kan-2568.yaml"
YEAR = 2568


def main() -> None:
    framework = bundled_frameworks()[YEAR]
    (record,), _ = read_results(EXAMPLE)
    with tempfile.TemporaryDirectory() as folder:
        filled = fill_form(template_workbook(framework), Path(folder) / "filled.xlsx", record)
        form_write = median_seconds(lambda: template_workbook(framework), warm_up=True)
        form_read = median_seconds(lambda: read_results(filled), warm_up=True)
    yaml_read = median_seconds(lambda: read_results(EXAMPLE), warm_up=True)
    workbook = framework_workbook(framework)
    export = median_seconds(lambda: framework_workbook(framework), warm_up=True)
    location = Location(file="framework.xlsx")
    imported = median_seconds(lambda: read_workbook(workbook, location), warm_up=True)
    text = (resources.files("prongsai") / "frameworks" / f"ita-{YEAR}.yaml").read_text(encoding="utf-8")
    yaml_framework = median_seconds(lambda: parse_framework(text, "bench"), warm_up=True)
    figures = {
        "form_write_ms": form_write,
        "form_read_ms": form_read,
        "yaml_read_ms": yaml_read,
        "export_ms": export,
        "import_ms": imported,
        "yaml_framework_ms": yaml_framework,
    }
    print(f"ITA {YEAR}: {len(framework.items)} items")
    print(f"write the fill-in form              {form_write * 1000:8.1f} ms")
    print(
        f"read the filled form                {form_read * 1000:8.1f} ms"
        f"   ({form_read / yaml_read:.1f}x the same agency-year from YAML, {yaml_read * 1000:.1f} ms)"
    )
    print(f"write the framework workbook        {export * 1000:8.1f} ms")
    ratio = imported / yaml_framework
    print(
        f"read and check the workbook         {imported * 1000:8.1f} ms"
        f"   ({ratio:.1f}x the bundled YAML parsed and checked, {yaml_framework * 1000:.1f} ms)"
    )
    print(" ".join(f"{name}={value * 1000:.1f}" for name, value in figures.items()))


if __name__ == "__main__":
    main()
