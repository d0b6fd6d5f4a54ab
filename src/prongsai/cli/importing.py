"""The ``import`` command: read a published measures document (text, DOCX, PDF) back into a
results file, a plan file and a list of what was uncertain; or a published progress report into a
progress file. Registered on the main group."""

from __future__ import annotations

import json
from pathlib import Path

import click

from prongsai.catalog.progress import status_th
from prongsai.cli.analysis import echo_notes
from prongsai.cli.text import ProngsaiCommand
from prongsai.cli.textview import results_text
from prongsai.files import check_output_folder, check_outputs
from prongsai.importing import read_published
from prongsai.importing.build import Imported
from prongsai.importing.model import Uncertain
from prongsai.importing.progress import ProgressReport
from prongsai.importing.progress_match import check_plan, identified
from prongsai.importing.writer import (
    progress_json,
    progress_targets,
    targets,
    to_json,
    write_all,
    write_progress,
)
from prongsai.planfile import read_plan
from prongsai.planning import Plan
from prongsai.problems import Location, ui, warning
from prongsai.results import resolve


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
@click.option("--plan", "plan_file", metavar="PLAN", type=click.Path(path_type=Path))
def import_command(document: Path, as_json: bool, folder: Path | None, plan_file: Path | None) -> None:
    """Read a published measures document (.txt, .docx, .pdf) back into results and a plan."""
    inputs = {"DOC": document, "--plan": plan_file}
    if folder is not None:
        check_output_folder(folder, inputs)
        check_outputs([*targets(folder), *progress_targets(folder)], inputs)
    plan = read_plan(plan_file) if plan_file is not None else None
    read = read_published(document)
    if isinstance(read, ProgressReport):
        _progress(read, plan, as_json, folder)
        return
    if plan_file is not None:
        echo_notes([warning("import_plan_unused", Location(option="--plan"), document=document.name)])
    _measures(read, as_json, folder)


def _measures(imported: Imported, as_json: bool, folder: Path | None) -> None:
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
    _uncertain(imported.uncertain, listed=folder is None)


def _progress(report: ProgressReport, plan: Plan | None, as_json: bool, folder: Path | None) -> None:
    if plan is not None:
        check_plan(report, plan, "--plan")
    report, ids = identified(report, plan)
    if folder is not None:
        for path in write_progress(report, ids, plan, folder):
            click.echo(f"{ui('import_written')} / {ui('import_written', 'en')}: {path}", err=as_json)
    if as_json:
        click.echo(json.dumps(progress_json(report, ids), ensure_ascii=False, indent=2))
        return
    if folder is None:
        click.echo(f"{ui('import_kind_progress')} / {ui('import_kind_progress', 'en')}")
        click.echo(f"{ui('import_agency')} / {ui('import_agency', 'en')}: {report.agency.name}")
        click.echo(f"{ui('import_plan_year')} / {ui('import_plan_year', 'en')}: {report.plan_year}")
        click.echo(f"{ui('import_round')} / {ui('import_round', 'en')}: {report.round}")
        click.echo(f"{ui('measures_count')} / {ui('measures_count', 'en')}: {len(report.measures)}")
        for index, measure in enumerate(report.measures):
            status = status_th(measure.status) if measure.status else ui("import_status_none")
            percent = f" {measure.percent}%" if measure.percent is not None else ""
            number = f"{measure.number}. " if measure.number is not None else "- "
            where = f" [{ids[index]}]" if index in ids else ""
            click.echo(f"  {number}{measure.title}: {status}{percent}{where}")
    _uncertain(report.uncertain, listed=folder is None)


def _uncertain(found: tuple[Uncertain, ...], listed: bool) -> None:
    click.echo(f"{ui('import_uncertain')} / {ui('import_uncertain', 'en')}: {len(found)}")
    if listed:
        for entry in found:
            click.echo(f"  - {entry.problem.describe('th')}")
            click.echo(f"    {entry.problem.describe('en')}")
