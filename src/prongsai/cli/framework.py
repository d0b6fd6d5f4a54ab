"""Commands about the frameworks themselves: list the years, show one, and author one without
code (``framework export`` to a spreadsheet, ``framework import`` back to the year's YAML)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from prongsai.cli.text import ProngsaiCommand, ProngsaiGroup
from prongsai.cli.textview import framework_json, framework_text, frameworks_text
from prongsai.cli.types import ITA_YEAR
from prongsai.errors import InputError
from prongsai.files import check_output_folder, check_outputs, write_atomically
from prongsai.framework import load_frameworks
from prongsai.problems import Location, error, ui


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.command("frameworks", cls=ProngsaiCommand)
@click.option("--json", "as_json", is_flag=True)
def frameworks_command(as_json: bool) -> None:
    """List the ITA years prongsai has a framework for."""
    frameworks = load_frameworks()
    if as_json:
        _echo_json(
            [
                {
                    "ita_year": y,
                    "status": f.status,
                    "origin": f.origin,
                    "items": len(f.items),
                    "levels": list(f.level_names()),
                    "unconfirmed": list(f.unconfirmed_parts()),
                }
                for y, f in frameworks.items()
            ]
        )
    else:
        click.echo(frameworks_text(frameworks))


class FrameworkGroup(ProngsaiGroup):
    """``prongsai framework 2568`` still shows the year: a first word that is not a subcommand is
    taken as the YEAR of ``show``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["show", *args]
        return super().parse_args(ctx, args)


@click.group("framework", cls=FrameworkGroup, no_args_is_help=False)
def framework_group() -> None:
    """Show a year's framework, or write it to a spreadsheet and read it back."""


@framework_group.command("show", cls=ProngsaiCommand)
@click.argument("year", type=ITA_YEAR)
@click.option("--json", "as_json", is_flag=True)
def show_command(year: int, as_json: bool) -> None:
    """Show one year's structure: tools, indicators, items and rules."""
    framework = load_frameworks()[year]
    if as_json:
        _echo_json(framework_json(framework))
    else:
        click.echo(framework_text(framework))


@framework_group.command("export", cls=ProngsaiCommand)
@click.argument("year", type=ITA_YEAR)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
def export_command(year: int, output: Path) -> None:
    """Write one year's framework as an Excel workbook to edit, or to start a new year from."""
    from prongsai.framework_export import framework_workbook

    if output.suffix.lower() != ".xlsx":
        raise InputError([error("output_suffix", Location(file=output.name), path=output, suffixes=".xlsx")])
    check_outputs([output])
    write_atomically(output, framework_workbook(load_frameworks()[year]))
    click.echo(f"{ui('framework_exported')} / {ui('framework_exported', 'en')}: {output}")


@framework_group.command("import", cls=ProngsaiCommand)
@click.argument("workbook", metavar="FILE", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
def import_command(workbook: Path, output: Path) -> None:
    """Read an edited framework workbook, check it and write FOLDER/ita-YEAR.yaml."""
    from prongsai.framework_import import import_framework

    check_output_folder(output, {"FILE": workbook})
    written, spec = import_framework(workbook, output)
    items = f"{len(spec.items)} {ui('framework_imported_items')}/{ui('framework_imported_items', 'en')}"
    click.echo(
        f"{ui('framework_imported')} / {ui('framework_imported', 'en')}: {written}"
        f" (ITA {spec.ita_year}, {spec.status}, {items})"
    )
