"""The ``progress report`` command: the 6- or 12-month report on a plan's measures, from the plan and
its progress file, as DOCX, PDF, HTML (document/progress_report.py) or XLSX
(document/progress_export.py). Registered on the ``progress`` group (cli/progress.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import cast

import click

from prongsai.cli.analysis import DIGITS, echo_notes, thai_digits_choice
from prongsai.cli.report import report_settings
from prongsai.cli.text import ProngsaiCommand
from prongsai.cli.types import Choice
from prongsai.document.settings import ReportSettings, parse_date
from prongsai.errors import InputError
from prongsai.files import check_outputs, write_atomically
from prongsai.planfile import read_plan
from prongsai.problems import Location, Problem, error, label, ui, warning
from prongsai.progress import Period
from prongsai.progressfile import read_progress
from prongsai.timeframe import thai_date

FORMATS = ("docx", "pdf", "html", "xlsx")


def _format_of(output: Path) -> str:
    suffix = output.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        suffixes = ", ".join(f".{f}" for f in FORMATS)
        raise InputError([error("output_suffix", Location(file=output.name), path=output, suffixes=suffixes)])
    return suffix


def render_progress(
    plan_file: Path,
    progress_file: Path,
    period: Period,
    fmt: str,
    *,
    as_of: str | None = None,
    settings: ReportSettings | None = None,
    thai_digits: bool | None = None,
) -> bytes:
    """The bytes of the report in ``fmt``, and the progress file's warnings on standard error."""
    from prongsai.document import progress_export
    from prongsai.document.output import DOCUMENT_FORMATS
    from prongsai.document.progress_report import build_progress_report

    plan = read_plan(plan_file)
    progress, warnings = read_progress(progress_file, plan)
    echo_notes(warnings)
    day = None
    if as_of is not None:
        day, problems = parse_date(as_of, Location(option="--as-of"))
        if day is None:
            raise InputError(problems)
        echo_notes(_as_of_notes(day, plan.plan_year, period))
    chosen = settings or ReportSettings()
    if fmt == "xlsx":
        return progress_export.to_xlsx(plan, progress, chosen, period, day, thai_digits=thai_digits)
    document = build_progress_report(plan, progress, chosen, period, day, thai_digits=thai_digits)
    _echo_item_notes(plan.plan_year)
    return DOCUMENT_FORMATS[fmt](document)


def _echo_item_notes(plan_year: int) -> None:
    """For the clerk, on standard error: what the report's closing note says of the OIT item it
    names (a year not held, a provisional framework); the document says it once, after the
    signatures."""
    from prongsai.document.progress_report import item_notes, oit_item

    sentences = item_notes(oit_item(plan_year))
    if sentences:
        kind = f"{label('warning', 'th')} / {label('warning', 'en')}"
        click.echo(f"[{kind}] {' '.join(sentences)}", err=True)


def _as_of_notes(day: dt.date, plan_year: int, period: Period) -> list[Problem]:
    """A warning when the day reported as of lies outside the round."""
    from prongsai.document.progress_report import round_of

    found = round_of(plan_year, period)
    if found.start <= day <= found.end:
        return []
    dates = {"as_of": day, "start": found.start, "end": found.end}
    return [
        warning(
            "progress_as_of_outside_round",
            Location(option="--as-of"),
            plan_year=plan_year,
            period=period,
            **{f"{k}_th": thai_date(v) for k, v in dates.items()},
            **{f"{k}_en": v.isoformat() for k, v in dates.items()},
        )
    ]


@click.command("report", cls=ProngsaiCommand)
@click.argument("plan_file", metavar="PLAN", type=click.Path(path_type=Path))
@click.argument("progress_file", metavar="PROGRESS", type=click.Path(path_type=Path))
@click.option("--period", type=Choice(["6", "12"]), required=True)
@click.option("--as-of", "as_of")
@click.option("--settings", "settings_file", type=click.Path(path_type=Path))
@click.option("--date")
@click.option("--digits", type=Choice(list(DIGITS)))
@click.option("-o", "--output", "--out", "output", type=click.Path(path_type=Path), required=True)
def progress_report_command(
    plan_file: Path,
    progress_file: Path,
    period: str,
    as_of: str | None,
    settings_file: Path | None,
    date: str | None,
    digits: str | None,
    output: Path,
) -> None:
    """The 6- or 12-month report on the measures of a plan, from the plan and its progress file."""
    fmt = _format_of(output)
    check_outputs([output], {"PLAN": plan_file, "PROGRESS": progress_file, "--settings": settings_file})
    settings = report_settings(settings_file, date)
    data = render_progress(
        plan_file,
        progress_file,
        cast(Period, int(period)),
        fmt,
        as_of=as_of,
        settings=settings,
        thai_digits=thai_digits_choice(digits),
    )
    write_atomically(output, data)
    click.echo(f"{ui('report_written')} / {ui('report_written', 'en')}: {output}")
