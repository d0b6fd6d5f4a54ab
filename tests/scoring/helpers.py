"""Small answer sets written inside tests, and an independent plain-Python scorer of the same rules."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from prongsai.framework import Framework

FOUR = {"มากที่สุด": 100.0, "มาก": 67.0, "น้อย": 33.0, "น้อยที่สุดหรือไม่มีเลย": 0.0}
YES_NO = {"มี": 100.0, "ไม่มี": 0.0}
HEADER = ["agency", "ita_year", "tool", "respondent", "item", "answer"]


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def plain_item_scores(
    framework: Framework, rows: list[list[object]]
) -> dict[tuple[str, str], tuple[float, int]]:
    """Straightforward: value each answer by hand-written tables, reverse where flagged, average."""
    assert framework.scoring is not None
    sums: dict[tuple[str, str], list[float]] = defaultdict(list)
    for agency, _year, _tool, _respondent, item, answer in rows:
        if answer in ("", None):
            continue
        question = framework.scoring.questions[str(item)]
        value = (YES_NO if question.scale == "yes_no" else FOUR)[str(answer)]
        sums[(str(agency), str(item))].append(100 - value if question.reverse else value)
    return {key: (sum(values) / len(values), len(values)) for key, values in sums.items()}
