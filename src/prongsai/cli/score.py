"""``prongsai score`` and ``prongsai synth``: raw answers and the OIT checklist to SCORES, and test data."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from prongsai.cli.analysis import echo_notes
from prongsai.cli.text import ProngsaiCommand
from prongsai.cli.types import ITA_YEAR, WholeNumber
from prongsai.errors import InputError
from prongsai.files import check_output_folder, check_outputs
from prongsai.framework import load_frameworks
from prongsai.framework_notes import framework_notes
from prongsai.problems import Location, error, ui

STAGES = ("count", "check", "score", "write")
WARNINGS_LISTED = 20


@click.command("score", cls=ProngsaiCommand)
@click.argument("answers", type=click.Path(path_type=Path))
@click.option("--oit", "checklist", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
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
    check_outputs([output], {"ANSWERS": answers, "--oit": checklist})
    with _stages() as progress:
        scored = score_files(answers, checklist, progress)
        write_scores(scored.table, output)
        progress("done")
    years = scored.table.get_column("ita_year").unique().sort().to_list() if scored.table.height else []
    echo_notes(
        [*framework_notes(load_frameworks()[year] for year in years), *scored.warnings[:WARNINGS_LISTED]]
    )
    if len(scored.warnings) > WARNINGS_LISTED:
        more = len(scored.warnings) - WARNINGS_LISTED
        click.echo(f"{ui('score_more_warnings')} / {ui('score_more_warnings', 'en')}: {more}", err=True)
    written = f"{ui('score_written')} / {ui('score_written', 'en')}"
    click.echo(
        f"{written}: {output} ({scored.table.height} {ui('agency_years')} / {ui('agency_years', 'en')})"
    )


@contextmanager
def _stages() -> Iterator[Callable[[str], None]]:
    """A progress bar through the scoring stages on a terminal; nothing on a file or a pipe."""
    if not sys.stderr.isatty():
        yield lambda stage: None
        return
    with click.progressbar(length=len(STAGES), label=ui("score_progress"), file=sys.stderr) as bar:
        seen: list[str] = []

        def progress(stage: str) -> None:
            bar.label = f"{ui('score_progress')}: {stage}"
            if seen:
                bar.update(1)
            seen.append(stage)

        yield progress


@click.command("synth", cls=ProngsaiCommand)
@click.option("--agencies", "count", type=WholeNumber(1, 100_000), default=8325, show_default=True)
@click.option(
    "--seed", type=WholeNumber(0, 2**32 - 1), default=1, show_default=True
)  # numpy takes no negative seed
@click.option("--year", type=ITA_YEAR, default="2568", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
def synth_command(count: int, seed: int, year: int, output: Path) -> None:
    """Write a synthetic national answer set: OUTPUT/answers.parquet and OUTPUT/oit.csv.

    Agency types and sizes follow the real mix (about 1.4 million respondents for 8,300
    agencies); for tests and benchmarks, never for real results.
    """
    from prongsai.scoring.rules import scored_years
    from prongsai.scoring.synth import write_synthetic

    framework = load_frameworks()[year]
    if framework.scoring is None:
        shown = ", ".join(str(y) for y in scored_years())
        raise InputError([error("year_no_scoring_rules", Location(option="--year"), year=year, years=shown)])
    check_output_folder(output)
    check_outputs([output / "answers.parquet", output / "oit.csv"])
    rows, respondents = write_synthetic(framework, count, seed, output)
    numbers = ((count, "synth_agencies"), (respondents, "synth_respondents"), (rows, "synth_answers"))
    counts = {lang: ", ".join(f"{n:,} {ui(word, lang)}" for n, word in numbers) for lang in ("th", "en")}
    click.echo(f"{counts['th']} / {counts['en']} -> {output}")
