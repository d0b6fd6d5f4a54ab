"""A plan's progress file as the web keeps it (``tracking.Progress.text``), read by the core
(``prongsai.app.progress.progress_from_text``), or written beside its plan into a temporary folder
for the core's progress report, which reads files. A plan with no progress row yet has the empty
progress file ``prongsai progress init`` would write: every measure not started.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from prongsai.app.progress import progress_from_text
from prongsai.planning import Plan as CorePlan
from prongsai.problems import Problem
from prongsai.progress import Progress as CoreProgress
from prongsai.progressfile import progress_template
from prongsai_web.plans.models import Plan
from prongsai_web.tracking.models import Progress

PLAN_NAME = "plan.yaml"
PROGRESS_NAME = "progress.yaml"


@dataclass(frozen=True)
class Files:
    plan: Path
    progress: Path


def progress_text(row: Plan | None, plan: CorePlan) -> str:
    """The progress file of the plan row: what tracking keeps, else the empty one."""
    kept = Progress.objects.filter(plan=row).values_list("text", flat=True).first() if row else None
    return kept if kept else progress_template(plan)


def has_progress(row: Plan | None) -> bool:
    return row is not None and Progress.objects.filter(plan=row).exists()


@contextmanager
def as_files(plan_text: str, progress: str) -> Iterator[Files]:
    """The plan and its progress file as files in a temporary folder, for as long as it is open."""
    with tempfile.TemporaryDirectory(prefix="prongsai-progress-") as folder:
        files = Files(Path(folder) / PLAN_NAME, Path(folder) / PROGRESS_NAME)
        files.plan.write_text(plan_text, encoding="utf-8")
        files.progress.write_text(progress, encoding="utf-8")
        yield files


def read_progress_text(progress: str, plan: CorePlan) -> tuple[CoreProgress, list[Problem]]:
    """The progress file's text read against ``plan`` (InputError as the core raises it)."""
    return progress_from_text(progress, plan, PROGRESS_NAME)
