"""The ``progress`` commands: carrying out the measures of a plan (progress.py, progressfile.py).
``progress init`` writes a progress file to fill, ``progress status`` says where every measure
stands on a day; ``progress report`` (cli/progress_report.py) writes the 6- or 12-month report."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from pathlib import Path

import click

from prongsai.catalog.progress import status_th, status_words
from prongsai.cli.analysis import echo_notes
from prongsai.cli.text import ProngsaiCommand, ProngsaiGroup
from prongsai.cli.textview import table
from prongsai.errors import InputError
from prongsai.files import check_outputs, write_atomically
from prongsai.planfile import read_plan
from prongsai.problems import Location, error, ui
from prongsai.progress import STATUSES, MeasureState, be_iso, states, status_json, totals
from prongsai.progressfile import progress_template, read_progress
from prongsai.thaidate import read_date
from prongsai.timeframe import thai_date


def _today() -> dt.date:
    """Today's date (one place, so that tests can set the day the command runs on)."""
    return dt.date.today()


@click.group("progress", cls=ProngsaiGroup)
def progress_group() -> None:
    """Track the measures of a plan through the year and report on them."""


@progress_group.command("init", cls=ProngsaiCommand)
@click.argument("plan_file", metavar="PLAN", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
def init_command(plan_file: Path, output: Path) -> None:
    """Write the progress file of a plan, to fill in through the year."""
    where = Location(file=output.name)
    if output.suffix.lower() not in (".yaml", ".yml"):
        raise InputError([error("output_suffix", where, path=output, suffixes=".yaml, .yml")])
    if os.path.lexists(output):  # a progress file is history: never replaced, even by its template
        raise InputError([error("progress_file_exists", where, path=output)])
    check_outputs([output], {"PLAN": plan_file})
    plan = read_plan(plan_file)
    write_atomically(output, progress_template(plan))
    written = f"{ui('progress_written')} / {ui('progress_written', 'en')}"
    click.echo(f"{written}: {output} ({len(plan.measures)} {ui('measures_count')})")


def _as_of(text: str | None) -> dt.date:
    if text is None:
        return _today()
    day, problems = read_date(text, Location(option="--as-of"))
    if day is None:
        raise InputError(problems)
    return day


@progress_group.command("status", cls=ProngsaiCommand)
@click.argument("plan_file", metavar="PLAN", type=click.Path(path_type=Path))
@click.argument("progress_file", metavar="PROGRESS", type=click.Path(path_type=Path))
@click.option("--as-of", "as_of")
@click.option("--json", "as_json", is_flag=True)
def status_command(plan_file: Path, progress_file: Path, as_of: str | None, as_json: bool) -> None:
    """Where every measure of the plan stands on a day (today unless --as-of)."""
    day = _as_of(as_of)
    plan = read_plan(plan_file)
    progress, warnings = read_progress(progress_file, plan)
    echo_notes(warnings)
    if as_json:
        click.echo(json.dumps(status_json(plan, progress, day), ensure_ascii=False, indent=2))
        return
    click.echo(status_text(states(plan, progress, day), day))


def _both(name: str) -> str:
    return f"{ui(name)} / {ui(name, 'en')}"


def status_text(found: Sequence[MeasureState], as_of: dt.date) -> str:
    """The measures as a table (Thai headings and words), then the totals in Thai and English."""
    rows = [
        [
            ui("progress_id"),
            ui("progress_status"),
            ui("progress_percent"),
            ui("progress_due"),
            "",
            ui("progress_title"),
        ]
    ]
    for s in found:
        overdue = ui("progress_overdue") if s.overdue else ""
        rows.append(
            [s.measure.id, status_th(s.status), str(s.percent), thai_date(s.due), overdue, s.measure.title]
        )
    counts = totals(found)
    words = status_words()
    lines = [
        f"{_both('progress_as_of')}: {thai_date(as_of)} ({be_iso(as_of)})",
        "",
        table(rows, right=[2]),
        "",
    ]
    lines.append(f"{_both('progress_totals')}: {counts['measures']} {ui('measures_count')}")
    for status in STATUSES:
        lines.append(f"  {words[status].th} / {words[status].en}: {counts[status]}")
    lines.append(f"  {_both('progress_overdue')}: {counts['overdue']}")
    average = counts["average_percent"]
    if average is not None:
        lines.append(f"  {_both('progress_average')}: {average:g}")
    return "\n".join(lines)
