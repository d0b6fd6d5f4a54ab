"""Commands that work on one agency-year: analyze, whatif, plan. Registered on the main group."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import click

from prongsai.app.agency_year import Loaded, load_agency_year, pick, read_resolved
from prongsai.app.analysis import analysis_json, narrative
from prongsai.app.plans import LastYear, check_plan_matches, drafted_plan, load_last_year
from prongsai.carryforward import carry_unfinished
from prongsai.catalog.progress import status_words
from prongsai.cli.text import ProngsaiCommand
from prongsai.cli.textview import analysis_text, plan_changes_text, whatif_text
from prongsai.cli.types import ITA_YEAR, PLAN_YEAR, Choice
from prongsai.codes import parse_key
from prongsai.crosswalk import load_crosswalk
from prongsai.errors import InputError
from prongsai.files import check_outputs, write_atomically
from prongsai.framework import Framework, load_frameworks
from prongsai.ingest.record import parse_score
from prongsai.planfile import plan_to_yaml, read_plan
from prongsai.planning import Past, PastItem, PlanChange, redraft, uncovered_weak_items
from prongsai.problems import Location, Problem, error, label, ui
from prongsai.progress import Status
from prongsai.thai import format_score
from prongsai.whatif import project


def load(
    path: Path,
    history: tuple[Path, ...],
    agency: str | None,
    sheet: str | None = None,
    year: int | None = None,
) -> Loaded:
    """The agency-year to work on (app.agency_year), its notes on standard error."""
    loaded = load_agency_year(path, history, agency, sheet, year)
    echo_notes(list(loaded.notes))
    return loaded


def load_past(loaded: Loaded, previous_file: Path | None, progress_file: Path | None) -> LastYear | None:
    """Last year's plan carried forward (--previous, --progress), its notes on standard error."""
    last = load_last_year(loaded, previous_file, progress_file)
    if last is not None:
        echo_notes(list(last.notes))
    return last


def echo_notes(notes: list[Problem]) -> None:
    """Warnings and notes on standard error, Thai then English (standard output stays the result)."""
    kind = f"{label('warning', 'th')} / {label('warning', 'en')}"
    for note in notes:
        click.echo(f"[{kind}] {note.describe('th')}", err=True)
        click.echo(f"    {note.describe('en')}", err=True)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


results_argument = click.argument("results_file", metavar="RESULTS", type=click.Path(path_type=Path))
DIGITS = ("thai", "arabic")


def thai_digits_choice(digits: str | None) -> bool | None:
    """--digits thai -> True, arabic -> False, neither -> None (the agency's kind decides)."""
    return None if digits is None else digits == "thai"


agency_option = click.option("--agency")
history_option = click.option("--history", multiple=True, type=click.Path(path_type=Path))
sheet_option = click.option("--sheet", metavar="NAME")
year_option = click.option("--year", "year", type=ITA_YEAR)
previous_option = click.option("--previous", "previous_file", type=click.Path(path_type=Path))
progress_option = click.option("--progress", "progress_file", type=click.Path(path_type=Path))


def _past_score(value: float | None) -> str:
    return "-" if value is None else format_score(value)


def _past_item(item: PastItem, year: int) -> str:
    """'e6 (2567: e4) 73.50 -> 80.15', 'e1 72.91 -> 88.20', 'o37 100.00 -> -'."""
    name = item.code_then
    if item.code is not None and item.code != item.code_then:
        name += f" ({year}: {item.code})"
    return f"{name} {_past_score(item.before)} -> {_past_score(item.after)}"


def past_text(past: Past, year: int) -> str:
    """Each of last year's measures: its status and percent, its items before -> after, and the
    suggestion, Thai then English."""
    lines = [f"{ui('past_heading')} {past.plan_year} / {ui('past_heading', 'en')} {past.plan_year}"]
    for m in past.measures:
        words = status_words()[cast(Status, m.status)]
        lines.append(f"  {m.id}: {words.th} / {words.en}, {m.percent}%")
        items = "; ".join(_past_item(i, year) for i in m.items)
        lines.append(
            f"    {ui('past_items')} / {ui('past_items', 'en')}: "
            + (items or f"{ui('past_no_items')} / {ui('past_no_items', 'en')}")
        )
        suggestion = (
            f"{label(f'suggestion_{m.suggestion}', 'th')} / {label(f'suggestion_{m.suggestion}', 'en')}"
        )
        lines.append(f"    {ui('past_suggestion')} / {ui('past_suggestion', 'en')}: {suggestion}")
    return "\n".join(lines)


@click.command("analyze", cls=ProngsaiCommand)
@results_argument
@sheet_option
@history_option
@agency_option
@year_option
@click.option(
    "--group",
    type=Choice(["indicators", "issues"]),
    default="indicators",
    show_default=True,
)
@click.option("--digits", type=Choice(list(DIGITS)))
@click.option("--thai-digits", "digits", flag_value="thai")
@previous_option
@progress_option
@click.option("--json", "as_json", is_flag=True)
def analyze_command(
    results_file: Path,
    sheet: str | None,
    history: tuple[Path, ...],
    agency: str | None,
    year: int | None,
    group: str,
    digits: str | None,
    previous_file: Path | None,
    progress_file: Path | None,
    as_json: bool,
) -> None:
    """Status, gaps, points to gain, trend and Thai narrative for one agency-year. The narrative's
    digits: --digits thai or arabic (--thai-digits is --digits thai), Arabic by default."""
    thai_digits = thai_digits_choice(digits) is True
    loaded = load(results_file, history, agency, sheet, year)
    carried = load_past(loaded, previous_file, progress_file)
    past = carried.past if carried is not None else None
    paragraphs = narrative(loaded, grouping=group, thai_digits=thai_digits, past=past)
    if as_json:
        _echo_json(analysis_json(loaded, paragraphs, past))
    else:
        click.echo(analysis_text(loaded.framework, loaded.analysis, paragraphs))


def _parse_sets(values: tuple[str, ...], framework: Framework) -> tuple[dict[str, float], dict[int, float]]:
    items: dict[str, float] = {}
    indicators: dict[int, float] = {}
    problems: list[Problem] = []
    for value in values:
        where = Location(option=f"--set {value}")
        key_text, _, score_text = value.partition("=")
        key = parse_key(key_text) if score_text else None
        if key is None or key.kind not in ("item", "indicator"):
            problems.append(error("set_unreadable", where, value=value))
            continue
        score, found = parse_score(score_text, where)
        problems += found
        if key.kind == "item" and key.value not in framework.items_by_code:
            problems.append(
                error(
                    "code_unknown_for_year",
                    where,
                    code=key.value,
                    year=framework.ita_year,
                    other_years_th="",
                    other_years_en="",
                )
            )
        elif key.kind == "indicator" and not (isinstance(key.value, int) and 1 <= key.value <= 10):
            problems.append(error("indicator_unknown", where, value=key_text))
        elif score is not None:
            if key.kind == "item":
                items[str(key.value)] = score
            else:
                indicators[int(str(key.value))] = score
    if problems:
        raise InputError(problems)
    return items, indicators


@click.command("whatif", cls=ProngsaiCommand)
@results_argument
@sheet_option
@agency_option
@year_option
@click.option(
    "--set",
    "sets",
    multiple=True,
    required=True,
    metavar="CODE=SCORE",
)
@click.option("--json", "as_json", is_flag=True)
def whatif_command(
    results_file: Path,
    sheet: str | None,
    agency: str | None,
    year: int | None,
    sets: tuple[str, ...],
    as_json: bool,
) -> None:
    """New indicator, tool and overall scores and level if some scores changed."""
    picked = pick(read_resolved(results_file, sheet), agency, Location(file=results_file.name), year=year)
    echo_notes([picked.note] if picked.note else [])
    results = picked.results
    framework = load_frameworks()[results.ita_year]
    items, indicators = _parse_sets(sets, framework)
    projection = project(framework, results, items, indicators)
    if not as_json:
        click.echo(whatif_text(framework, results, projection))
        return

    def pair(before: float | None, after: float | None) -> dict[str, float | None]:
        return {
            "before": None if before is None else round(before, 2),
            "after": None if after is None else round(after, 2),
        }

    _echo_json(
        {
            "set": {**items, **{f"ind{n}": v for n, v in indicators.items()}},
            "indicators": {
                str(n): pair(results.indicators[n].value, v) for n, v in projection.indicators.items()
            },
            "tools": {code: pair(results.tools[code].value, v) for code, v in projection.tools.items()},
            "overall": pair(results.overall.value, projection.overall),
            "level": {
                "before": results.level.value,
                "after": projection.level.name if projection.level else None,
            },
            "estimated": projection.estimated or bool(projection.level and projection.level.estimated),
        }
    )


@click.command("plan", cls=ProngsaiCommand)
@results_argument
@sheet_option
@history_option
@agency_option
@year_option
@click.option("--units", "units_file", type=click.Path(path_type=Path))
@click.option("--plan-year", type=PLAN_YEAR)
@click.option(
    "--update",
    "update_file",
    type=click.Path(path_type=Path),
)
@click.option(
    "--timeframes",
    type=Choice(["months", "quarters"]),
    default="months",
    show_default=True,
)
@previous_option
@progress_option
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
def plan_command(
    results_file: Path,
    sheet: str | None,
    history: tuple[Path, ...],
    agency: str | None,
    year: int | None,
    units_file: Path | None,
    plan_year: int | None,
    update_file: Path | None,
    timeframes: str,
    previous_file: Path | None,
    progress_file: Path | None,
    output: Path,
) -> None:
    """Draft the measures plan (or re-draft an edited one) as an editable YAML file."""
    if output.suffix.lower() not in (".yaml", ".yml"):
        raise InputError(
            [error("output_suffix", Location(file=output.name), path=output, suffixes=".yaml, .yml")]
        )
    # --update is left out on purpose: re-drafting a plan in place (--update p.yaml -o p.yaml) is the
    # documented way to use it, and the plan is read whole before the new one replaces it atomically
    check_outputs(
        [output],
        {
            "RESULTS": results_file,
            "--history": history,
            "--units": units_file,
            "--previous": previous_file,
            "--progress": progress_file,
        },
    )
    loaded = load(results_file, history, agency, sheet, year)
    results = loaded.results
    old = read_plan(update_file) if update_file else None
    if old is not None and update_file is not None:
        check_plan_matches(old, results, update_file)
    carried = load_past(loaded, previous_file, progress_file)
    plan = drafted_plan(
        loaded,
        units_file,
        plan_year if plan_year is not None else (old.plan_year if old else None),
        "quarters" if timeframes == "quarters" else "months",
    )
    if carried is not None:
        plan = carry_unfinished(plan, carried.plan, carried.past, load_crosswalk())
    changes: list[PlanChange] = []
    if old is not None:
        plan, changes = redraft(old, plan)
    write_atomically(output, plan_to_yaml(plan))
    written = f"{ui('plan_written')} / {ui('plan_written', 'en')}"
    click.echo(f"{written}: {output} ({len(plan.measures)} {ui('measures_count')})")
    if changes:
        click.echo(plan_changes_text(changes))
    missing = uncovered_weak_items(plan, loaded.analysis)
    if missing:
        click.echo(
            f"{ui('weak_uncovered')} / {ui('weak_uncovered', 'en')}: " + ", ".join(e.key for e in missing)
        )
    elif loaded.analysis.weak_items:
        click.echo(f"{ui('weak_covered')} / {ui('weak_covered', 'en')}")
    if plan.past is not None:
        click.echo(past_text(plan.past, results.ita_year))
