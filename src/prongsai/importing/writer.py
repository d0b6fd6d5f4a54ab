"""Writing what was read: the results file (canonical YAML), the plan file and the uncertain list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from prongsai.files import write_all_atomically
from prongsai.importing.build import Imported
from prongsai.planfile import plan_to_yaml
from prongsai.results import resolve

RESULTS_FILE = "results.yaml"
PLAN_FILE = "plan.yaml"
UNCERTAIN_FILE = "uncertain.yaml"


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


def uncertain_yaml(imported: Imported) -> str:
    data = {"document": imported.source.name, "uncertain": uncertain_data(imported)}
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
    """The files ``import -o FOLDER`` writes, in the order they are written."""
    return [folder / RESULTS_FILE, folder / PLAN_FILE, folder / UNCERTAIN_FILE]


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
