"""Measure rows: titles, steps, timeframe, owner and follow-up, continued across page breaks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from prongsai.catalog.legal import laws
from prongsai.document.texts import text
from prongsai.importing.model import Cell, ReadMeasure, Row
from prongsai.importing.normalise import has_marker, numbered, split_numbered, strip_marker
from prongsai.importing.vocabulary import vocabulary
from prongsai.thai import to_arabic_digits

_SECTIONS = vocabulary().sections
_ISSUE = re.compile(
    rf"^\s*(?:{re.escape(_SECTIONS.issue)}|{re.escape(_SECTIONS.indicator)})?\s*\(?\s*([0-9๐-๙]{{1,2}})\s*[.)]?\s*(.*)$"
)
_BULLETS = ("-", "–", "▪", "•", "●")


@dataclass
class Draft:
    titles: list[str]
    steps: list[str]
    timeframe: str
    owner: str
    co_owners: list[str]
    follow_up: str
    issue: int | None
    line: int
    bulleted: bool
    by_indicator: bool

    def freeze(self) -> ReadMeasure:
        return ReadMeasure(
            title=" ".join(self.titles).strip(),
            steps=tuple(strip_marker(s) for s in self.steps if strip_marker(s)),
            timeframe=self.timeframe,
            owner=self.owner,
            co_owners=tuple(self.co_owners),
            follow_up=self.follow_up,
            issue=self.issue,
            line=self.line,
            by_indicator=self.by_indicator,
        )


@dataclass
class MeasureReader:
    drafts: list[Draft] = field(default_factory=list)

    def row(
        self, row: Row, roles: dict[int, str], issue: int | None, after_header: bool, by_indicator: bool
    ) -> None:
        cells = {role: row.cells[i] for i, role in roles.items() if i < len(row.cells)}
        empty = Cell(())
        issue_cell = cells.get("issue", empty)
        timeframe = cells.get("timeframe", empty)
        owner = cells.get("owner", empty)
        steps_cell, details = _without_details(cells.get("steps", empty))
        if "measure" in cells:
            titles = _titles(cells["measure"])
            steps = _steps(steps_cell)
        else:  # the numbered steps are the measures, unless an unnumbered title leads them
            titles, steps = _titles_from_steps(steps_cell)
        if not titles and not steps:
            return
        unplaced = timeframe.empty and owner.empty and issue_cell.empty
        previous = self.drafts[-1] if self.drafts else None
        bulleted = bool(titles) and titles[0].startswith(_BULLETS)
        if previous and unplaced and (after_header or (previous.bulleted and not bulleted) or not titles):
            if titles:
                previous.titles.append(" ".join(strip_marker(t) if has_marker(t) else t for t in titles))
            if "measure" not in cells and not titles and not previous.steps:
                previous.titles.append(" ".join(steps))  # the measures are the steps: continue the last
            else:
                _continue_steps(previous.steps, steps)
            return
        owners = [p for p in owner.parts if p]
        for title in titles or [""]:
            self.drafts.append(
                Draft(
                    titles=[strip_marker(title)] if title else [],
                    steps=list(steps),
                    timeframe=timeframe.text,
                    owner=owners[0] if owners else "",
                    co_owners=owners[1:],
                    follow_up=cells.get("follow_up", empty).text or details.get("follow_up", ""),
                    issue=issue,
                    line=row.line,
                    bulleted=bulleted,
                    by_indicator=by_indicator,
                )
            )

    def measures(self) -> list[ReadMeasure]:
        return [d.freeze() for d in self.drafts if d.titles]


def issue_of(text: str) -> tuple[int, str] | None:
    """'๑. กระบวนการ...' / 'ประเด็นที่ 1 ...' / '(๑) ...' -> (1, name)."""
    match = _ISSUE.match(text)
    if not match or not text.strip():
        return None
    number = int(to_arabic_digits(match.group(1)))
    return (number, match.group(2).strip()) if 1 <= number <= 10 else None


@cache
def _detail_labels() -> dict[str, str]:
    """The labels prongsai prints under a measure's steps ('ผลผลิต:', 'งบประมาณ:' ...:
    catalog/document.yaml), by the field they introduce."""
    keys = {"output": "output_line", "target": "target_line", "budget": "budget_line"}
    keys["follow_up"] = "follow_up_line"
    return {name: text(f"common.{key}", text="").strip() for name, key in keys.items()}


def _without_details(cell: Cell) -> tuple[Cell, dict[str, str]]:
    """A steps cell without the lines prongsai prints under the steps (output, target, budget,
    follow-up, legal basis: they start at the first label and run to the end of the cell), and the
    labelled texts found there by field."""
    labels = _detail_labels()
    for index, part in enumerate(cell.parts):
        at = [(part.find(label), label) for label in labels.values() if label in part]
        if not at:
            continue
        pos = min(at)[0]
        kept = (*cell.parts[:index], part[:pos].rstrip()) if part[:pos].strip() else cell.parts[:index]
        rest = " ".join((part[pos:], *cell.parts[index + 1 :]))
        pattern = "|".join(re.escape(label) for label in labels.values())
        found: dict[str, str] = {}
        for piece in re.split(rf"(?=(?:{pattern}))", rest):
            for name, label in labels.items():
                if piece.startswith(label):
                    found[name] = piece[len(label) :].strip()
        if "follow_up" in found:  # the laws printed after the follow-up are not part of it
            legal = [text("common.legal_basis", laws=law.cited) for law in laws().values()]
            plain = to_arabic_digits(found["follow_up"])  # one character for one: positions agree
            cut = min((i for i in map(plain.find, legal) if i >= 0), default=-1)
            found["follow_up"] = found["follow_up"][:cut].strip() if cut >= 0 else found["follow_up"]
        return Cell(tuple(kept)), found
    return cell, {}


def _titles(cell: Cell) -> list[str]:
    """Measures in a measure cell: each bulleted or numbered paragraph starts one; an unmarked
    paragraph after a marked one continues it."""
    titles: list[str] = []
    for part in cell.parts:
        if titles and not has_marker(part) and has_marker(titles[-1]):
            titles[-1] += " " + part
        else:
            titles.append(part)
    return titles


def _steps(cell: Cell) -> list[str]:
    steps: list[str] = []
    for part in cell.parts:
        pieces = split_numbered(part)
        if numbered(pieces[0]) is None and steps and numbered(steps[-1]) is not None:
            steps[-1] += " " + pieces[0]
            pieces = pieces[1:]
        steps.extend(pieces)
    return steps


def _titles_from_steps(cell: Cell) -> tuple[list[str], list[str]]:
    pieces: list[str] = []
    for part in cell.parts:
        pieces.extend(split_numbered(part))
    if not pieces:
        return [], []
    if numbered(pieces[0]) is None and len(pieces) > 1 and all(numbered(p) is not None for p in pieces[1:]):
        return [pieces[0]], pieces[1:]
    if all(numbered(p) is not None for p in pieces):
        return [strip_marker(p) for p in pieces], []
    return [], pieces  # text with no numbering: a continuation


def _continue_steps(steps: list[str], more: list[str]) -> None:
    for step in more:
        if steps and numbered(step) is None and not has_marker(step):
            steps[-1] += " " + step
        else:
            steps.append(step)
