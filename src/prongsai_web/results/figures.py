"""The figures kept with a result set at save time, so that pages and peers read them instead of
parsing the canonical text and analysing it again on every request (docs/web-results.md).

Pure functions: ``figures_of`` turns the core's resolved results into the stored fields,
``analysis_of`` turns the stored entries back into the core's ``Analysis`` (without the trend, which
depends on the agency's other years). ``FIGURES_VERSION`` names the core version and the layout that
computed them: a row whose figures were computed by another version is recomputed when read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from prongsai import __version__
from prongsai.analysis import Analysis, Entry, analyse
from prongsai.framework import Framework
from prongsai.results import Results

FIGURES_LAYOUT = 1
FIGURES_VERSION = f"{__version__}:{FIGURES_LAYOUT}"
_ENTRY_FIELDS = tuple(Entry.__dataclass_fields__)


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in _ENTRY_FIELDS}


def _entry(data: Mapping[str, Any]) -> Entry:
    return Entry(**{name: data[name] for name in _ENTRY_FIELDS})


def figures_of(framework: Framework, results: Results) -> dict[str, Any]:
    """The stored fields of one agency-year: tool and indicator scores, the weakest indicator, and
    the analysis entries (items and indicators with status, gaps and points to gain)."""
    analysis = analyse(framework, results)
    weakest = analysis.weakest_indicator
    return {
        "tools": {code: score.value for code, score in results.tools.items()},
        "indicators": {str(number): score.value for number, score in sorted(results.indicators.items())},
        "weakest_indicator": None if weakest is None else weakest.indicator,
        "weakest_score": None if weakest is None else weakest.score,
        "analysis": {
            "pass_mark": analysis.pass_mark,
            "items": [_entry_json(e) for e in analysis.items],
            "indicators": [_entry_json(e) for e in analysis.indicators],
        },
        "figures_version": FIGURES_VERSION,
    }


def analysis_of(ita_year: int, stored: Mapping[str, Any]) -> Analysis:
    """The core's analysis of one agency-year from its stored entries (no trend)."""
    return Analysis(
        ita_year=ita_year,
        pass_mark=float(stored["pass_mark"]),
        items=tuple(_entry(e) for e in stored["items"]),
        indicators=tuple(_entry(e) for e in stored["indicators"]),
        trend=(),
    )


def indicator_scores(stored: Mapping[str, float | None]) -> dict[int, float | None]:
    """The stored indicator scores keyed by number (JSON keys are text)."""
    return {int(number): value for number, value in stored.items()}
