"""The ``import`` command: read a published measures document (text, DOCX, PDF) back into a
results file, a plan file and a list of what was uncertain. Registered on the main group."""

from __future__ import annotations

import json
from pathlib import Path

import click

from prongsai.cli_text import ProngsaiCommand
from prongsai.files import check_output_folder, check_outputs
from prongsai.importing import read_document
from prongsai.importing.writer import targets, to_json, write_all
from prongsai.problems import ui
from prongsai.results import resolve
from prongsai.textview import results_text


@click.command("import", cls=ProngsaiCommand)
@click.argument("document", metavar="DOC", type=click.Path(path_type=Path))
@click.option(
    "--json",
    "as_json",
    is_flag=True,
)
@click.option(
    "-o",
    "--output",
    "folder",
    type=click.Path(path_type=Path),
)
def import_command(document: Path, as_json: bool, folder: Path | None) -> None:
    """Read a published measures document (.txt, .docx, .pdf) back into results and a plan."""
    if folder is not None:
        check_output_folder(folder, {"DOC": document})
        check_outputs(targets(folder), {"DOC": document})
    imported = read_document(document)
    if folder is not None:
        for path in write_all(imported, folder):
            click.echo(f"{ui('import_written')} / {ui('import_written', 'en')}: {path}", err=as_json)
    if as_json:
        click.echo(json.dumps(to_json(imported), ensure_ascii=False, indent=2))
        return
    if folder is None:
        results = resolve(imported.framework, imported.results)
        click.echo(results_text(results, imported.framework))
        click.echo("")
        click.echo(f"{ui('import_layout')} / {ui('import_layout', 'en')}: {imported.family or '-'}")
        click.echo(f"{ui('import_plan_year')} / {ui('import_plan_year', 'en')}: {imported.plan.plan_year}")
        click.echo(f"{ui('measures_count')} / {ui('measures_count', 'en')}: {len(imported.measures)}")
    count = len(imported.uncertain)
    click.echo(f"{ui('import_uncertain')} / {ui('import_uncertain', 'en')}: {count}")
    if folder is None:
        for entry in imported.uncertain:
            click.echo(f"  - {entry.problem.describe('th')}")
            click.echo(f"    {entry.problem.describe('en')}")
