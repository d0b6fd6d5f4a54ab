"""Which layout family a document belongs to, from the headings of its tables (not its names)."""

from __future__ import annotations

from prongsai.importing.observe import Observations

FAMILIES = ("issues-8col", "issues-two-part", "full-report", "summary", "measures-table")


def detect_family(found: Observations, sections: list[tuple[str, int, str, int]]) -> str | None:
    """issues-8col: one table holds questions, scores and measures. measures-table: questions,
    findings and steps without scores. issues-two-part: item tables with a tool column, then a
    measures table keyed by issue. full-report: item tables by indicator and measures tables
    with their analysis. summary: indicator list and measures with follow-up."""
    headers = found.headers
    if any({"question", "score", "measure"} <= h for h in headers):
        return "issues-8col"
    if any(
        {"question", "analysis", "steps"} <= h and "score" not in h and "measure" not in h for h in headers
    ):
        return "measures-table"
    if any({"issue", "measure"} <= h and "question" not in h for h in headers) or any(
        {"tool", "question", "score"} <= h and ("seq" in h or "issue" in h) for h in headers
    ):
        return "issues-two-part"
    if any({"measure", "analysis"} <= h and "issue" not in h for h in headers) or any(
        "indicator_no" in h for h in headers
    ):
        return "full-report"
    if any("indicator_list" in h for h in headers) or any({"measure", "follow_up"} <= h for h in headers):
        return "summary"
    if any(kind == "indicator" for kind, *_ in sections):
        return "full-report"
    return None
