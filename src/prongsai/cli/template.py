"""The ``template`` command: the fill-in results form of one ITA year (prongsai.results_template).
Registered on the main group."""

from __future__ import annotations

from pathlib import Path

import click

from prongsai.agency import normalise_type
from prongsai.cli.text import ProngsaiCommand
from prongsai.cli.types import ITA_YEAR
from prongsai.errors import InputError
from prongsai.files import check_outputs, write_atomically
from prongsai.framework import load_frameworks
from prongsai.problems import Location, Problem, error, suggestion_params, ui


def _agency_type(value: str | None) -> str | None:
    """The full type name --agency-type stands for ('ทต.' is เทศบาลตำบล); unknown is an error."""
    if value is None:
        return None
    full = normalise_type(value)
    if full is None:
        from prongsai.results_template import agency_type_names  # openpyxl: loaded only when needed

        known = agency_type_names()
        raise InputError(
            [
                error(
                    "template_agency_type_unknown",
                    Location(option="--agency-type"),
                    value=value,
                    known=", ".join(known),
                    **suggestion_params(value, known),
                )
            ]
        )
    return full


@click.command("template", cls=ProngsaiCommand)
@click.argument("year", type=ITA_YEAR)
@click.option("--agency-type", metavar="TYPE")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
def template_command(year: int, agency_type: str | None, output: Path) -> None:
    """Write the results form of one ITA year, to fill in from the ITAS result screen."""
    problems: list[Problem] = []
    if output.suffix.lower() != ".xlsx":
        problems.append(error("output_suffix", Location(file=output.name), path=output, suffixes=".xlsx"))
    try:
        full_type = _agency_type(agency_type)
    except InputError as exc:
        problems += exc.problems
    if problems:
        raise InputError(problems)
    from prongsai.results_template import template_workbook  # openpyxl: loaded only when needed

    check_outputs([output])
    write_atomically(output, template_workbook(load_frameworks()[year], full_type))
    click.echo(f"{ui('template_written')} / {ui('template_written', 'en')}: {output}")
