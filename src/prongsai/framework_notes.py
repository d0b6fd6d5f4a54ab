"""What a person is told once about the frameworks a piece of work used: a provisional year and the
parts of it no source confirms, and a year their own folder replaces. Worded in the message table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from prongsai.framework import Framework
from prongsai.problems import Location, Problem, label, warning


def parts_text(framework: Framework, lang: Literal["th", "en"]) -> str:
    """'เกณฑ์คะแนนผ่าน น้ำหนักของแบบวัดทั้งสาม และเกณฑ์ระดับผลการประเมิน' (or in English)."""
    words = [label(f"framework_part_{part}", lang) for part in framework.unconfirmed_parts()]
    if len(words) <= 1:
        return "".join(words)
    head = (" " if lang == "th" else ", ").join(words[:-1])
    return f"{head} {label('and', lang)}{' ' if lang == 'en' else ''}{words[-1]}"


def provisional_note(framework: Framework) -> Problem | None:
    """The one warning a provisional year gets, naming what is not confirmed; for a published year
    whose items are placed under indicators by their content, that; None otherwise."""
    if not framework.provisional:
        if "item_indicators" in framework.unconfirmed_parts():
            return warning("framework_grouping_inferred", Location(), year=framework.ita_year)
        return None
    return warning(
        "framework_provisional",
        Location() if framework.origin.startswith("frameworks/") else Location(file=framework.origin),
        year=framework.ita_year,
        parts_th=parts_text(framework, "th") or "-",
        parts_en=parts_text(framework, "en") or "-",
    )


def framework_notes(used: Iterable[Framework]) -> list[Problem]:
    """One note for each provisional year among ``used`` (a folder's overrides are said where the
    folder is read: :attr:`prongsai.framework.FrameworkSet.notes`)."""
    notes: list[Problem] = []
    seen: set[int] = set()
    for framework in used:
        if framework.ita_year in seen:
            continue
        seen.add(framework.ita_year)
        note = provisional_note(framework)
        if note is not None:
            notes.append(note)
    return notes


def framework_brief(framework: Framework) -> dict[str, object]:
    """What ``--json`` outputs say of the framework used: its status and what is not confirmed."""
    return {"status": framework.status, "unconfirmed": list(framework.unconfirmed_parts())}
