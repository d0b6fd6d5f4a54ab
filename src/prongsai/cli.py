"""The ``prongsai`` command: a thin shell over the core. Errors become exit codes here, once."""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from prongsai.errors import InputError
from prongsai.framework import load_frameworks
from prongsai.ingest import read_results
from prongsai.problems import Location, label
from prongsai.results import resolve
from prongsai.textview import framework_json, framework_text, frameworks_text, results_text

EXIT_INPUT = 2
HELP_OPTIONS = ["-h", "--help"]
EXIT_INTERNAL = 70


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _report_problems(exc: InputError) -> None:
    for problem in exc.problems:
        kind = label(problem.severity, "th") + " / " + label(problem.severity, "en")
        click.echo(f"[{kind}] {problem.describe('th')}", err=True)
        click.echo(f"    {problem.describe('en')}", err=True)
    count = sum(1 for p in exc.problems if p.severity == "error")
    click.echo(label("problems_found", "th", count=count), err=True)
    click.echo(label("problems_found", "en", count=count), err=True)


@click.group(context_settings={"help_option_names": HELP_OPTIONS})
@click.version_option(package_name="prongsai")
def cli() -> None:
    """prongsai (โปร่งใส): ITA results to analysis and integrity measures."""


@cli.command("frameworks")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def frameworks_command(as_json: bool) -> None:
    """List the ITA years prongsai has a framework for."""
    frameworks = load_frameworks()
    if as_json:
        _echo_json(
            [
                {"ita_year": y, "items": len(f.items), "levels": list(f.level_names())}
                for y, f in frameworks.items()
            ]
        )
    else:
        click.echo(frameworks_text(frameworks))


@cli.command("framework")
@click.argument("year", type=str)
@click.option("--json", "as_json", is_flag=True, help="Print the whole structure as JSON.")
def framework_command(year: str, as_json: bool) -> None:
    """Show one year's structure: tools, indicators, items and rules."""
    from prongsai.ingest.record import parse_year

    parsed, problems = parse_year(year, Location(field="YEAR"))
    if parsed is None:
        raise InputError(problems)
    framework = load_frameworks()[parsed]
    if as_json:
        _echo_json(framework_json(framework))
    else:
        click.echo(framework_text(framework))


@cli.command("check")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object per agency-year (a list when several)."
)
def check_command(file: Path, as_json: bool) -> None:
    """Validate a results file and summarise it (computed figures are marked)."""
    try:
        records, _ = read_results(file)
    except InputError as exc:
        if as_json:  # machine readers get the problems as JSON too, still with exit status 2
            _echo_json(_failed_check(exc))
        raise
    frameworks = load_frameworks()
    resolved = [(resolve(frameworks[r.ita_year], r), frameworks[r.ita_year]) for r in records]
    if as_json:
        objects = [results.to_json() for results, _ in resolved]
        _echo_json(objects[0] if len(objects) == 1 else objects)
        return
    click.echo("\n\n".join(results_text(results, fw) for results, fw in resolved))


def _register() -> None:
    from prongsai.cli_analysis import analyze_command, plan_command, whatif_command
    from prongsai.cli_import import import_command
    from prongsai.cli_report import report_command
    from prongsai.cli_score import score_command, synth_command

    commands = (analyze_command, whatif_command, plan_command, report_command)
    for command in (*commands, score_command, synth_command, import_command):
        cli.add_command(command)
    for command in cli.commands.values():
        # -h as well as --help even when a command runs on its own (as tests run them): click keeps
        # the help option a command made first, so it must not depend on how it was first called
        command.context_settings.setdefault("help_option_names", HELP_OPTIONS)


_register()


def _failed_check(exc: InputError) -> dict[str, Any]:
    """The ``check --json`` object for a file that could not be read: every score unknown."""
    return {
        "agency": None,
        "ita_year": None,
        "overall": None,
        "level": None,
        "tools": {},
        "tool_parts": {},
        "indicators": {},
        "items": {},
        "computed": [],
        "estimated": [],
        "warnings": [p.to_json() for p in exc.problems if p.severity == "warning"],
        "errors": [p.to_json() for p in exc.problems if p.severity == "error"],
    }


def run(command: click.Command, args: list[str] | None = None) -> int:
    """Run a click command, mapping prongsai's errors to exit codes (2 for bad input)."""
    try:
        command.main(args=args, prog_name="prongsai", standalone_mode=False)
    except InputError as exc:
        _report_problems(exc)
        return EXIT_INPUT
    except click.exceptions.Abort:
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except Exception:
        click.echo(label("internal_error", "th"), err=True)
        click.echo(label("internal_error", "en"), err=True)
        traceback.print_exc()
        return EXIT_INTERNAL
    return 0


def main() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")
    sys.exit(run(cli))
