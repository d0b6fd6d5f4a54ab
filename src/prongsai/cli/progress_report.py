"""The ``progress report`` command: the 6- or 12-month report on a plan's measures, from the plan and
its progress file, as DOCX, PDF, HTML (document/progress_report.py) or XLSX
(document/progress_export.py). Registered on the ``progress`` group (cli/progress.py)."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import click

from prongsai.app.progress import REPORT_FORMATS, progress_report_file
from prongsai.cli.analysis import DIGITS, echo_notes, thai_digits_choice
from prongsai.cli.report import output_format, report_settings
from prongsai.cli.text import ProngsaiCommand
from prongsai.cli.types import Choice
from prongsai.document.settings import parse_date
from prongsai.errors import InputError
from prongsai.files import check_outputs, write_atomically
from prongsai.problems import Location, label, ui
from prongsai.progress import Period

FORMATS = REPORT_FORMATS


def _echo_item_notes(sentences: tuple[str, ...]) -> None:
    """For the clerk, on standard error: what the report's closing note says of the OIT item it
    names (a year not held, a provisional framework); the document says it once, after the
    signatures."""
    if sentences:
        kind = f"{label('warning', 'th')} / {label('warning', 'en')}"
        click.echo(f"[{kind}] {' '.join(sentences)}", err=True)


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
    fmt = output_format(output, FORMATS)
    check_outputs([output], {"PLAN": plan_file, "PROGRESS": progress_file, "--settings": settings_file})
    settings = report_settings(settings_file, date)
    day = None
    if as_of is not None:
        day, problems = parse_date(as_of, Location(option="--as-of"))
        if day is None:
            raise InputError(problems)
    made = progress_report_file(
        plan_file,
        progress_file,
        cast(Period, int(period)),
        fmt,
        as_of=day,
        as_of_from=Location(option="--as-of"),
        settings=settings,
        thai_digits=thai_digits_choice(digits),
    )
    echo_notes(list(made.notes))
    _echo_item_notes(made.item_notes)
    data = made.data
    write_atomically(output, data)
    click.echo(f"{ui('report_written')} / {ui('report_written', 'en')}: {output}")
