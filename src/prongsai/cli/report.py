"""The ``report`` command: the official measures document (DOCX, PDF, HTML) or the measures table
alone (XLSX, CSV, JSON) for one agency-year, or with ``--batch`` for every agency-year of a scores
file (cli/batch.py). Registered on the main group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import click

from prongsai.app.documents import measures_document
from prongsai.app.plans import check_plan_matches, drafted_plan
from prongsai.cli.analysis import (
    DIGITS,
    agency_option,
    echo_notes,
    history_option,
    load,
    sheet_option,
    thai_digits_choice,
    year_option,
)
from prongsai.cli.batch import batch_report
from prongsai.cli.text import ProngsaiCommand
from prongsai.cli.types import Choice, WholeNumber
from prongsai.document.layouts import DEFAULT_LAYOUT, LAYOUTS
from prongsai.document.output import FORMATS
from prongsai.document.settings import ReportSettings, parse_date, read_settings
from prongsai.errors import InputError
from prongsai.files import check_outputs, write_atomically
from prongsai.planfile import read_plan
from prongsai.problems import Location, error, label, ui


def output_format(output: Path, formats: Sequence[str], requested: str | None = None) -> str:
    """The format an output file's suffix names, one of ``formats`` (and the one ``--format``
    asked for, when given); refused with the suffixes allowed otherwise."""
    suffix = output.suffix.lower().lstrip(".")
    where = Location(file=output.name)
    if requested is not None and suffix != requested:
        raise InputError([error("format_suffix_mismatch", where, path=output, format=requested)])
    if suffix not in formats:
        suffixes = ", ".join(f".{f}" for f in formats)
        raise InputError([error("output_suffix", where, path=output, suffixes=suffixes)])
    return suffix


def _check_mode(
    results_file: Path | None,
    batch_file: Path | None,
    output: Path | None,
    single_only: dict[str, object],
    batch_only: dict[str, object],
) -> None:
    """One agency (RESULTS) or a batch (--batch SCORES), never both; every misuse reported at once."""
    problems = []
    if batch_file is None:
        for option, value in batch_only.items():
            if value:
                problems.append(error("option_needs_batch", Location(option=option), option=option))
    if results_file is None and batch_file is None:
        problems.append(error("report_needs_input", Location(option="RESULTS")))
    if results_file is not None and batch_file is not None:
        problems.append(error("report_input_twice", Location(option="--batch"), path=results_file))
    if batch_file is not None:
        for option, value in single_only.items():
            if value:
                problems.append(error("batch_option_not_allowed", Location(option=option), option=option))
    if output is None:
        problems.append(error("report_needs_output", Location(option="-o/--out")))
    if problems:
        raise InputError(problems)


def report_settings(path: Path | None, date: str | None) -> ReportSettings:
    """The settings file's settings (defaults without one), dated by ``--date`` when given."""
    settings = read_settings(path) if path else ReportSettings()
    if date is None:
        return settings
    where = Location(option="--date")
    parsed, problems = parse_date(date, where)
    if parsed is None:
        raise InputError(problems)
    return replace(settings, date=parsed, date_from=where)


@click.command("report", cls=ProngsaiCommand)
@click.argument("results_file", metavar="[RESULTS]", required=False, type=click.Path(path_type=Path))
@sheet_option
@click.option(
    "--batch",
    "batch_file",
    metavar="SCORES",
    type=click.Path(path_type=Path),
)
@click.option("--jobs", type=WholeNumber())
@click.option("--force", is_flag=True)
@click.option("--engine", is_flag=True)
@click.option("--data", type=click.Path(path_type=Path))
@click.option("--plan", "plan_file", type=click.Path(path_type=Path))
@history_option
@agency_option
@year_option
@click.option(
    "--layout",
    type=Choice(list(LAYOUTS)),
    default=DEFAULT_LAYOUT,
    show_default=True,
)
@click.option("--digits", type=Choice(list(DIGITS)))
@click.option("--thai-digits", "digits", flag_value="thai")
@click.option(
    "--settings",
    "settings_file",
    type=click.Path(path_type=Path),
)
@click.option("--date")
@click.option("--units", "units_file", type=click.Path(path_type=Path))
@click.option(
    "--template",
    type=click.Path(path_type=Path),
)
@click.option(
    "--format",
    "fmt",
    type=Choice(list(FORMATS)),
)
@click.option(
    "-o",
    "--output",
    "--out",
    "output",
    type=click.Path(path_type=Path),
)
def report_command(
    results_file: Path | None,
    sheet: str | None,
    batch_file: Path | None,
    jobs: int | None,
    force: bool,
    engine: bool,
    data: Path | None,
    plan_file: Path | None,
    history: tuple[Path, ...],
    agency: str | None,
    year: int | None,
    layout: str,
    digits: str | None,
    settings_file: Path | None,
    date: str | None,
    units_file: Path | None,
    template: Path | None,
    fmt: str | None,
    output: Path | None,
) -> None:
    """The measures document for one agency-year, from its results and plan; with --batch, one
    document per agency-year of a scores file, in parallel and resumable. Digits: --digits thai or
    arabic (--thai-digits is --digits thai); without either, the agency's kind decides (Thai for
    local government)."""
    thai_digits = thai_digits_choice(digits)
    _check_mode(
        results_file,
        batch_file,
        output,
        {
            "--plan": plan_file,
            "--agency": agency,
            "--year": year,
            "--history": history,
        },
        {"--engine": engine, "--data": data},
    )
    assert output is not None
    if batch_file is not None and sheet is not None:
        raise InputError([error("sheet_with_batch", Location(option="--sheet"))])
    if batch_file is not None:
        settings = report_settings(settings_file, date)
        batch_report(
            batch_file,
            output,
            fmt or "docx",
            layout,
            thai_digits,
            settings,
            units_file,
            template,
            jobs,
            force,
            settings_file,
            engine=(data or True) if engine else None,
        )
        return
    assert results_file is not None
    chosen = output_format(output, FORMATS, fmt)
    if template is not None and chosen != "docx":
        raise InputError([error("template_needs_docx", Location(file=output.name))])
    check_outputs(
        [output],
        {
            "RESULTS": results_file,
            "--plan": plan_file,
            "--history": history,
            "--settings": settings_file,
            "--units": units_file,
            "--template": template,
        },
    )
    settings = report_settings(settings_file, date)
    loaded = load(results_file, history, agency, sheet, year)
    if plan_file is not None:
        plan = read_plan(plan_file)
        check_plan_matches(plan, loaded.results, plan_file)
    else:
        plan = drafted_plan(loaded, units_file, None)
    made = measures_document(
        loaded, plan, settings, chosen, layout=layout, thai_digits=thai_digits, template=template
    )
    echo_notes(list(made.notes))
    write_atomically(output, made.data)
    click.echo(f"{ui('report_written')} / {ui('report_written', 'en')}: {output}")
    _echo_figure_notes(list(made.figure_notes), estimated=made.report.estimated)


def _echo_figure_notes(sentences: list[str], *, estimated: bool) -> None:
    """For the clerk, on standard error: what the document's closing note says of the figures
    that the results did not state (the document itself prints them plainly)."""
    if not sentences:
        return
    kind = f"{label('warning', 'th')} / {label('warning', 'en')}"
    if estimated:
        sentences = [f"{ui('report_estimated')} / {ui('report_estimated', 'en')}", *sentences]
    click.echo(f"[{kind}] {sentences[0]}", err=True)
    for sentence in sentences[1:]:
        click.echo(f"    {sentence}", err=True)
