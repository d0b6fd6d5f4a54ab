"""The ``prongsai`` command: a thin shell over the core. Errors become exit codes here, once.

Every message it prints is in Thai and English, click's own usage errors included: they become
located problems (:func:`usage_problems`), printed like any input error (exit status 2).
"""

from __future__ import annotations

import importlib.metadata
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from click.exceptions import (
    BadOptionUsage,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchCommand,
    NoSuchOption,
)

from prongsai.cli.analysis import echo_notes
from prongsai.cli.text import (
    ProblemUsageError,
    ProngsaiCommand,
    ProngsaiGroup,
    all_commands,
    apply_text,
    load_cli_text,
    visible_commands,
)
from prongsai.cli.textview import results_text
from prongsai.cli.types import apply_types, param_name
from prongsai.errors import InputError
from prongsai.framework import FRAMEWORKS_ENV, framework_set, load_frameworks, use_framework_folder
from prongsai.framework_notes import framework_brief, framework_notes
from prongsai.ingest import read_results
from prongsai.problems import Location, Problem, error, label
from prongsai.results import resolve

EXIT_INPUT = 2
HELP_OPTIONS = ["-h", "--help"]
EXIT_INTERNAL = 70


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _report_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        kind = label(problem.severity, "th") + " / " + label(problem.severity, "en")
        click.echo(f"[{kind}] {problem.describe('th')}", err=True)
        click.echo(f"    {problem.describe('en')}", err=True)
    count = sum(1 for p in problems if p.severity == "error")
    click.echo(label("problems_found", "th", count=count), err=True)
    click.echo(label("problems_found", "en", count=count), err=True)


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    version = importlib.metadata.version("prongsai")
    for lang in ("th", "en"):
        click.echo(label("cli_version", lang, prog=ctx.find_root().info_name, version=version))
    ctx.exit()


@click.group(cls=ProngsaiGroup, context_settings={"help_option_names": HELP_OPTIONS})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version)
@click.option("--frameworks", "frameworks_folder", type=click.Path(path_type=Path), envvar=FRAMEWORKS_ENV)
def cli(frameworks_folder: Path | None) -> None:
    """prongsai: ITA results to analysis and integrity measures (help: catalog/cli.yaml)."""
    use_framework_folder(frameworks_folder)
    echo_notes(list(framework_set().notes))  # a year the folder replaces is said once, here


@cli.command("check", cls=ProngsaiCommand)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--sheet", metavar="NAME")
@click.option("--json", "as_json", is_flag=True)
def check_command(file: Path, sheet: str | None, as_json: bool) -> None:
    """Validate a results file and summarise it (computed figures are marked)."""
    try:
        records, _ = read_results(file, sheet)
    except InputError as exc:
        if as_json:  # machine readers get the problems as JSON too, still with exit status 2
            _echo_json(_failed_check(exc))
        raise
    frameworks = load_frameworks()
    resolved = [(resolve(frameworks[r.ita_year], r), frameworks[r.ita_year]) for r in records]
    echo_notes(framework_notes(fw for _, fw in resolved))
    if as_json:
        objects = [results.to_json() | {"framework": framework_brief(fw)} for results, fw in resolved]
        _echo_json(objects[0] if len(objects) == 1 else objects)
        return
    click.echo("\n\n".join(results_text(results, fw) for results, fw in resolved))


def _register() -> None:
    from prongsai.cli.analysis import analyze_command, plan_command, whatif_command
    from prongsai.cli.framework import framework_group, frameworks_command
    from prongsai.cli.importing import import_command
    from prongsai.cli.progress import progress_group
    from prongsai.cli.progress_report import progress_report_command
    from prongsai.cli.report import report_command
    from prongsai.cli.score import score_command, synth_command
    from prongsai.cli.template import template_command
    from prongsai.cli.web import web_group

    commands = (analyze_command, whatif_command, plan_command, report_command)
    for added in (
        frameworks_command,
        framework_group,
        *commands,
        score_command,
        synth_command,
        import_command,
        template_command,
        progress_group,
        web_group,
    ):
        cli.add_command(added)
    progress_group.add_command(progress_report_command)
    for command in all_commands(cli).values():
        # -h as well as --help even when a command runs on its own (as tests run them): click keeps
        # the help option a command made first, so it must not depend on how it was first called
        command.context_settings.setdefault("help_option_names", HELP_OPTIONS)
    apply_types(all_commands(cli))
    apply_text(cli, load_cli_text())


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
        "framework": None,
    }


def run(command: click.Command, args: list[str] | None = None) -> int:
    """Run a click command, mapping prongsai's errors to exit codes (2 for bad input)."""
    try:
        command.main(args=args, prog_name="prongsai", standalone_mode=False)
    except InputError as exc:
        _report_problems(exc.problems)
        return EXIT_INPUT
    except click.exceptions.Abort:
        return 1
    except NoArgsIsHelpError as exc:  # the command's help page, already in both languages
        exc.show()
        return exc.exit_code
    except click.UsageError as exc:
        _report_usage_error(exc)
        return exc.exit_code
    except click.ClickException as exc:
        _report_problems([error("cli_failed", Location(), detail=exc.format_message())])
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except Exception:
        click.echo(label("internal_error", "th"), err=True)
        click.echo(label("internal_error", "en"), err=True)
        traceback.print_exc()
        return EXIT_INTERNAL
    return 0


def _report_usage_error(exc: click.UsageError) -> None:
    """The usage line, the problems, and where to find the help, all in Thai and English."""
    ctx = exc.ctx
    if ctx is not None:
        click.echo(ctx.get_usage(), err=True)
    _report_problems(usage_problems(exc))
    if ctx is not None and ctx.command.get_help_option(ctx) is not None:
        option = max(ctx.command.get_help_option_names(ctx), key=len)
        for lang in ("th", "en"):
            click.echo(label("cli_try_help", lang, command=ctx.command_path, option=option), err=True)


def usage_problems(exc: click.UsageError) -> list[Problem]:
    """click's usage error as located problems, read from the exception's attributes, not its text."""
    if isinstance(exc, ProblemUsageError):
        return exc.problems
    ctx = exc.ctx
    command = ctx.command_path if ctx is not None else "prongsai"
    if isinstance(exc, NoSuchCommand):
        known = ", ".join(visible_commands(ctx)) if ctx is not None else ""
        where = Location(option="COMMAND")
        return [
            error(
                "cli_no_such_command",
                where,
                name=exc.command_name,
                known=known,
                **_did_you_mean(exc.possibilities),
            )
        ]
    if isinstance(exc, NoSuchOption):
        where = Location(option=exc.option_name)
        suggestion = _did_you_mean(exc.possibilities)
        return [error("cli_no_such_option", where, option=exc.option_name, command=command, **suggestion)]
    if isinstance(exc, MissingParameter) and exc.param is not None:
        name = param_name(exc.param)
        help = _help(ctx, exc.param)
        return [
            error("cli_missing_value", Location(option=name), name=name, help_th=help[0], help_en=help[1])
        ]
    if isinstance(exc, BadOptionUsage) and ctx is not None:
        option = _option_named(ctx, exc.option_name)
        where = Location(option=exc.option_name)
        if option is not None and (option.is_flag or option.count):
            return [error("cli_flag_takes_no_value", where, option=exc.option_name)]
        if option is not None and option.nargs == 1:
            help = _help(ctx, option)
            metavar = option.make_metavar(ctx)
            return [
                error(
                    "cli_option_needs_value",
                    where,
                    option=exc.option_name,
                    metavar=metavar,
                    help_th=help[0],
                    help_en=help[1],
                )
            ]
    if isinstance(exc, click.BadParameter) and exc.param is not None:
        # prongsai's own types raise InputError; this is a click type the CLI does not use today
        name = param_name(exc.param)
        help = _help(ctx, exc.param)
        return [error("cli_bad_value", Location(option=name), name=name, help_th=help[0], help_en=help[1])]
    return [error("cli_usage_error", Location(option=command), command=command, detail=exc.format_message())]


def _did_you_mean(possibilities: Sequence[str] | None) -> dict[str, str]:
    """The suggestion_th/suggestion_en parameters from click's close matches ('' when none)."""
    if not possibilities:
        return {"suggestion_th": "", "suggestion_en": ""}
    return {
        f"suggestion_{lang}": label(
            "cli_did_you_mean", lang, choices=label("cli_or", lang).join(f"'{p}'" for p in possibilities)
        )
        for lang in ("th", "en")
    }


def _help(ctx: click.Context | None, param: click.Parameter) -> tuple[str, str]:
    """A parameter's help in Thai and English, as a clause inside a message (no closing period)."""
    command = ctx.command if ctx is not None else None
    if isinstance(command, ProngsaiCommand) and ctx is not None:
        th, en = command.param_help(ctx, param)
    else:
        th = en = getattr(param, "help", None) or "-"
    en = en.rstrip(".")
    first = en.split(" ", 1)[0]
    if first[1:].islower() or len(first) == 1:  # inside a sentence: "the plan file", but "SCORES file"
        en = en[0].lower() + en[1:]
    return th.rstrip("."), en


def _option_named(ctx: click.Context, name: str) -> click.Option | None:
    for param in ctx.command.get_params(ctx):
        if isinstance(param, click.Option) and name in (*param.opts, *param.secondary_opts):
            return param
    return None


def main() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")
    sys.exit(run(cli))
