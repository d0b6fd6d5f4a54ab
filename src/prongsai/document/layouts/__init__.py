"""The document layouts, one module each, registered by name. docs/document.md describes them."""

from __future__ import annotations

from collections.abc import Callable

from prongsai.document.layouts import full_report, issues_8col, issues_two_part, measures_table, summary
from prongsai.document.model import Section
from prongsai.document.parts import ReportInput

Layout = Callable[[ReportInput], tuple[Section, ...]]

LAYOUTS: dict[str, Layout] = {
    "full-report": full_report.build,
    "issues-8col": issues_8col.build,
    "issues-two-part": issues_two_part.build,
    "summary": summary.build,
    "measures-table": measures_table.build,
}
DEFAULT_LAYOUT = "full-report"
