"""Use case: the 6- or 12-month progress report on a plan's measures, from the plan file and its
progress file, in one format (application layer: the bytes and what to tell the person)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from prongsai.document.settings import ReportSettings
from prongsai.planfile import read_plan
from prongsai.problems import Location, Problem, warning
from prongsai.progress import Period
from prongsai.progressfile import read_progress
from prongsai.timeframe import thai_date

REPORT_FORMATS = ("docx", "pdf", "html", "xlsx")


@dataclass(frozen=True)
class ProgressReportFile:
    data: bytes
    notes: tuple[Problem, ...]  # the progress file's warnings, a day outside the round
    item_notes: tuple[str, ...]  # what the closing note says of the OIT item (Thai, as printed)


def as_of_notes(day: dt.date, plan_year: int, period: Period, where: Location) -> list[Problem]:
    """A warning when the day reported as of lies outside the round."""
    from prongsai.document.progress_report import round_of

    found = round_of(plan_year, period)
    if found.start <= day <= found.end:
        return []
    dates = {"as_of": day, "start": found.start, "end": found.end}
    return [
        warning(
            "progress_as_of_outside_round",
            where,
            plan_year=plan_year,
            period=period,
            **{f"{k}_th": thai_date(v) for k, v in dates.items()},
            **{f"{k}_en": v.isoformat() for k, v in dates.items()},
        )
    ]


def progress_report_file(
    plan_file: Path,
    progress_file: Path,
    period: Period,
    fmt: str,
    *,
    as_of: dt.date | None = None,
    as_of_from: Location | None = None,
    settings: ReportSettings | None = None,
    thai_digits: bool | None = None,
) -> ProgressReportFile:
    """The report in ``fmt`` (one of REPORT_FORMATS) as of ``as_of`` (the round's last day when
    None; ``as_of_from`` says where the day was given, for the warning of a day outside the round)."""
    from prongsai.document import progress_export
    from prongsai.document.output import DOCUMENT_FORMATS
    from prongsai.document.progress_report import build_progress_report, item_notes, oit_item

    plan = read_plan(plan_file)
    progress, warnings = read_progress(progress_file, plan)
    notes = list(warnings)
    if as_of is not None:
        notes += as_of_notes(as_of, plan.plan_year, period, as_of_from or Location(field="as_of"))
    chosen = settings or ReportSettings()
    if fmt == "xlsx":
        data = progress_export.to_xlsx(plan, progress, chosen, period, as_of, thai_digits=thai_digits)
        return ProgressReportFile(data, tuple(notes), ())
    document = build_progress_report(plan, progress, chosen, period, as_of, thai_digits=thai_digits)
    return ProgressReportFile(
        DOCUMENT_FORMATS[fmt](document), tuple(notes), tuple(item_notes(oit_item(plan.plan_year)))
    )
