"""Use case: one agency-year's analysis as people read it (the Thai narrative) and as programs read it
(the ``prongsai analyze --json`` object, which the web API returns as it is)."""

from __future__ import annotations

from typing import Any

from prongsai.app.agency_year import Loaded
from prongsai.carryforward import past_json
from prongsai.framework_notes import framework_brief
from prongsai.narrative import Paragraph, all_paragraphs, past_paragraph
from prongsai.planning import Past


def narrative(
    loaded: Loaded, *, grouping: str = "indicators", thai_digits: bool = False, past: Past | None = None
) -> list[Paragraph]:
    """The narrative for the plan year after the ITA year, with last year's measures when given."""
    plan_year = loaded.results.ita_year + 1
    paragraphs = all_paragraphs(
        loaded.framework,
        loaded.results,
        loaded.analysis,
        plan_year,
        grouping=grouping,
        thai_digits=thai_digits,
    )
    if past is not None:
        paragraphs.append(
            past_paragraph(loaded.framework, loaded.results, past, plan_year, thai_digits=thai_digits)
        )
    return paragraphs


def analysis_json(loaded: Loaded, paragraphs: list[Paragraph], past: Past | None = None) -> dict[str, Any]:
    """The object ``prongsai analyze --json`` prints."""
    data = loaded.analysis.to_json()
    data["agency"] = loaded.results.agency.to_json()
    data["narrative"] = {p.key: p.text for p in paragraphs}
    data["framework"] = framework_brief(loaded.framework)
    if past is not None:
        data["past_measures"] = past_json(past)
    return data
