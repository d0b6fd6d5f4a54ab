"""``prongsai score`` and ``prongsai synth``: raw answers and the OIT checklist to SCORES, and test data."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from prongsai.errors import InputError
from prongsai.framework import load_frameworks
from prongsai.problems import Location, label

STAGES = ("count", "check", "score", "write")


@click.command("score")
@click.argument("answers", type=click.Path(path_type=Path))
@click.option(
    "--oit", "checklist", type=click.Path(path_type=Path), help="OIT checklist (CSV, XLSX or Parquet)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="SCORES file to write: .csv, .parquet or .xlsx (one row per agency-year).",
)
def score_command(answers: Path, checklist: Path | None, output: Path) -> None:
    """Score raw IIT/EIT answers (long form) and an OIT checklist by each year's rules.

    ANSWERS has the columns agency, ita_year, tool, respondent, item, answer (CSV, XLSX or
    Parquet). The output holds aggregates only; figures resting on unconfirmed rules are listed in
    its 'estimated' column. Nothing is written when the input has any error.
    """
    from prongsai.scoring.engine import score_files
    from prongsai.scoring.write import check_target, write_scores

    check_target(output)
    show = sys.stderr.isatty()
    with click.progressbar(
        length=len(STAGES), label="scoring", file=sys.stderr if show else None, show_pos=False
    ) as bar:
        seen: list[str] = []

        def progress(stage: str) -> None:
            if show:
                bar.label = f"scoring: {stage}"
                if seen:
                    bar.update(1)
            seen.append(stage)

        scored = score_files(answers, checklist, progress if show else lambda stage: None)
        write_scores(scored.table, output)
        if show:
            bar.update(1)
    for problem in scored.warnings[:20]:
        click.echo(
            f"[{label('warning', 'th')} / {label('warning', 'en')}] {problem.describe('th')}", err=True
        )
        click.echo(f"    {problem.describe('en')}", err=True)
    if len(scored.warnings) > 20:
        click.echo(f"... {len(scored.warnings) - 20} more warnings (column below_minimum)", err=True)
    click.echo(f"{scored.table.height} agency-years -> {output}")


@click.command("synth")
@click.option("--agencies", "count", type=click.IntRange(1, 100_000), default=8325, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--year", type=str, default="2568", show_default=True, help="ITA year of the questionnaires.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="Folder to write into.")
def synth_command(count: int, seed: int, year: str, output: Path) -> None:
    """Write a synthetic national answer set: OUTPUT/answers.parquet and OUTPUT/oit.csv.

    Agency types and sizes follow the real mix (about 1.4 million respondents for 8,300
    agencies); for tests and benchmarks, never for real results.
    """
    from prongsai.ingest.record import parse_year
    from prongsai.scoring.rules import scored_years
    from prongsai.scoring.synth import write_synthetic

    parsed, problems = parse_year(year, Location(field="--year"))
    if parsed is None:
        raise InputError(problems)
    framework = load_frameworks()[parsed]
    if framework.scoring is None:
        from prongsai.problems import error

        shown = ", ".join(str(y) for y in scored_years())
        raise InputError([error("year_no_scoring_rules", Location(field="--year"), year=parsed, years=shown)])
    rows, respondents = write_synthetic(framework, count, seed, output)
    click.echo(f"{count} agencies, {respondents} respondents, {rows} answers -> {output}")
