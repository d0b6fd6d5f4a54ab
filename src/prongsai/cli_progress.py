"""The ``progress`` commands: carrying out the measures of a plan (progress.py, progressfile.py).
``progress init`` writes a progress file to fill, ``progress status`` says where every measure
stands on a day; ``progress report`` (cli_progress_report.py) writes the 6- or 12-month report."""

from __future__ import annotations

import click

from prongsai.cli_text import ProngsaiGroup


@click.group("progress", cls=ProngsaiGroup)
def progress_group() -> None:
    """Track the measures of a plan through the year and report on them."""
