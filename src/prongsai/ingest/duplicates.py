"""The same agency-year given twice in one input: refused, whether or not the scores agree.

Two entries for one agency-year leave no one answer to "what did this agency score" (the earlier
reader kept whichever came last). Agencies are compared by their normalised identity
(prongsai.agency.agency_key): "ทต.โคกม่วง" and "เทศบาลตำบลโคกม่วง" in the same district are one agency.
"""

from __future__ import annotations

from collections.abc import Sequence

from prongsai.agency import agency_key
from prongsai.problems import Problem, error
from prongsai.results import ResultsInput


def duplicate_problems(records: Sequence[ResultsInput]) -> list[Problem]:
    first: dict[tuple[object, ...], ResultsInput] = {}
    problems: list[Problem] = []
    for record in records:
        key = (*agency_key(record.agency), record.ita_year)
        earlier = first.setdefault(key, record)
        if earlier is record:
            continue
        problems.append(
            error(
                "agency_year_twice",
                record.location,
                agency=record.agency.name,
                year=record.ita_year,
                first_th=earlier.location.describe("th"),
                first_en=earlier.location.describe("en"),
            )
        )
    return problems
