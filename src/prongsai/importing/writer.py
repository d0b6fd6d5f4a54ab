"""Writing what was read: the results file (canonical YAML), the plan file and the uncertain list; for a
progress report, the progress file (docs/progress-format.md) and the uncertain list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from prongsai.catalog.progress import status_th
from prongsai.files import write_all_atomically
from prongsai.importing.build import Imported
from prongsai.importing.progress import ProgressReport, ReadProgress, round_day
from prongsai.planfile import plan_to_yaml
from prongsai.planning import Plan
from prongsai.problems import label
from prongsai.progress import NEEDS_REASON, be_iso
from prongsai.results import resolve

RESULTS_FILE = "results.yaml"
PLAN_FILE = "plan.yaml"
UNCERTAIN_FILE = "uncertain.yaml"
PROGRESS_FILE = "progress.yaml"


def results_data(imported: Imported) -> dict[str, Any]:
    printed = imported.printed
    scores: dict[str, Any] = {}
    if printed.overall is not None:
        scores["overall"] = printed.overall
    if printed.level is not None:
        scores["level"] = printed.level
    if printed.tools:
        scores["tools"] = dict(printed.tools)
    if printed.indicators:
        scores["indicators"] = dict(printed.indicators)
    if printed.items:
        order = {"i": 0, "e": 1, "o": 2}
        scores["items"] = dict(
            sorted(printed.items.items(), key=lambda kv: (order[kv[0][0]], int(kv[0][1:])))
        )
    return {
        "agency": {k: v for k, v in imported.results.agency.to_json().items() if v is not None},
        "ita_year": imported.results.ita_year,
        "scores": scores,
    }


def results_yaml(imported: Imported) -> str:
    header = f"# Read by prongsai import from {imported.source.name} (layout: {imported.family or '-'}).\n"
    header += "# Scores as printed; see uncertain.yaml for what could not be read with certainty.\n"
    return header + yaml.safe_dump(results_data(imported), allow_unicode=True, sort_keys=False, width=100)


def uncertain_data(imported: Imported) -> list[dict[str, Any]]:
    return [u.to_json() for u in imported.uncertain]


def uncertain_yaml(imported: Imported | ProgressReport) -> str:
    data = {"document": imported.source.name, "uncertain": [u.to_json() for u in imported.uncertain]}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def to_json(imported: Imported) -> dict[str, Any]:
    """The results keys of ``check --json`` plus plan_year, measures and uncertain."""
    data = resolve(imported.framework, imported.results).to_json()
    data["layout"] = imported.family
    data["plan_year"] = imported.plan.plan_year
    data["measures"] = [m.to_json() for m in imported.measures]
    data["uncertain"] = uncertain_data(imported)
    return data


def targets(folder: Path) -> list[Path]:
    """The files ``import -o FOLDER`` writes for a measures document, in the order they are written."""
    return [folder / RESULTS_FILE, folder / PLAN_FILE, folder / UNCERTAIN_FILE]


def progress_targets(folder: Path) -> list[Path]:
    """The files ``import -o FOLDER`` writes for a progress report."""
    return [folder / PROGRESS_FILE, folder / UNCERTAIN_FILE]


def write_all(imported: Imported, folder: Path) -> list[Path]:
    """The three files, all of them or none (``files.write_all_atomically``); returns their paths.

    They describe one reading of one document, so a results file without its plan (or a plan left
    from an earlier document next to new results) would mislead whoever opens the folder."""
    results, plan, uncertain = targets(folder)
    outputs = {
        results: results_yaml(imported),
        plan: plan_to_yaml(imported.plan),
        uncertain: uncertain_yaml(imported),
    }
    write_all_atomically(outputs)
    return list(outputs)


# --------------------------------------------------------------------------------------------------
# A progress report
# --------------------------------------------------------------------------------------------------


def _update(report: ProgressReport, measure: ReadProgress) -> dict[str, Any]:
    """The one update an imported measure gets, dated at the round's last day."""
    assert measure.status is not None
    update: dict[str, Any] = {"date": be_iso(round_day(report)), "status": status_th(measure.status)}
    if measure.percent is not None:
        update["percent"] = measure.percent
    for name in ("done", "outputs", "problems", "suggestions"):
        if getattr(measure, name):
            update[name] = getattr(measure, name)
    if (
        measure.status in NEEDS_REASON
    ):  # เลื่อน and ยกเลิก say why: the note, what was done, or that it was not said
        reason = measure.note or measure.done
        update["reason"] = reason or label("import_progress_reason", "th", document=report.source.name)
    elif measure.note:
        update["note"] = measure.note
    return update


def progress_data(report: ProgressReport, ids: dict[int, str], plan: Plan | None) -> dict[str, Any]:
    """The progress file: with a plan, every plan measure in the plan's order (those the report does
    not give, or gives without a status, with no update); without, the report's measures in its order."""
    read = {ids[i]: m for i, m in enumerate(report.measures) if i in ids}
    entries: list[dict[str, Any]] = []
    listed = (
        [(m.id, m.title) for m in plan.measures]
        if plan
        else [(ids[i], m.title) for i, m in enumerate(report.measures)]
    )
    for measure_id, title in listed:
        measure = read.get(measure_id)
        updates = [_update(report, measure)] if measure is not None and measure.status is not None else []
        entries.append({"id": measure_id, "title": title, "updates": updates})
    return {
        "schema_version": 1,
        "agency": plan.agency.name if plan else report.agency.name,
        "ita_year": plan.ita_year if plan else report.ita_year,
        "plan_year": report.plan_year,
        "measures": entries,
    }


def progress_yaml(report: ProgressReport, ids: dict[int, str], plan: Plan | None) -> str:
    header = label("import_progress_header", "th", document=report.source.name, round=report.round)
    header += "\n" + label("import_progress_header", "en", document=report.source.name, round=report.round)
    body = yaml.safe_dump(progress_data(report, ids, plan), allow_unicode=True, sort_keys=False, width=100)
    return "".join(f"# {line}\n" for line in header.splitlines()) + body


def progress_json(report: ProgressReport, ids: dict[int, str]) -> dict[str, Any]:
    """``import --json`` of a progress report: its kind, facts, measures (with their ids) and the
    uncertain readings."""
    return {
        "kind": "progress_report",
        "agency": {k: v for k, v in report.agency.to_json().items() if v is not None},
        "ita_year": report.ita_year,
        "plan_year": report.plan_year,
        "round": report.round,
        "date": be_iso(round_day(report)),
        "measures": [{"id": ids.get(i), **m.to_json()} for i, m in enumerate(report.measures)],
        "uncertain": [u.to_json() for u in report.uncertain],
    }


def write_progress(
    report: ProgressReport, ids: dict[int, str], plan: Plan | None, folder: Path
) -> list[Path]:
    """progress.yaml and uncertain.yaml, both or neither."""
    progress, uncertain = progress_targets(folder)
    outputs = {progress: progress_yaml(report, ids, plan), uncertain: uncertain_yaml(report)}
    write_all_atomically(outputs)
    return list(outputs)
