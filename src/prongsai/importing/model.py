"""What a source reader hands to the layout readers: a flat stream of paragraphs and table rows.

Every source kind (plain text, DOCX, PDF) is reduced to the same stream, so the layout readers
never know where a document came from. A cell keeps its paragraphs (``parts``): the HTML ``<p>``
items of extracted text, the paragraphs of a DOCX cell or the tagged paragraphs of a PDF cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from prongsai.problems import Problem


@dataclass(frozen=True)
class Cell:
    parts: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(p for p in self.parts if p)

    @property
    def empty(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class Para:
    text: str
    line: int


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    line: int
    table: int  # tables are numbered in reading order; a text source counts a run of rows as one


Block = Para | Row


@dataclass(frozen=True)
class Source:
    """A document reduced to paragraphs and rows, with what the reader could not be sure of."""

    name: str
    kind: str  # "text", "docx" or "pdf"
    blocks: tuple[Block, ...]
    notes: tuple[Uncertain, ...] = ()


@dataclass(frozen=True)
class Uncertain:
    """Something read but not certain: a problem (worded in Thai and English) and the text span."""

    problem: Problem
    span: str

    def to_json(self) -> dict[str, Any]:
        data = self.problem.to_json()
        data.pop("severity", None)
        data.pop("sheet", None)
        data.pop("row", None)
        data["text"] = self.span
        return data


@dataclass(frozen=True)
class ReadMeasure:
    title: str
    steps: tuple[str, ...]
    timeframe: str
    owner: str
    co_owners: tuple[str, ...]
    follow_up: str
    issue: int | None
    line: int
    by_indicator: bool = False  # the number is an indicator's (ตัวชี้วัดที่), not an issue's

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "steps": list(self.steps),
            "timeframe": self.timeframe,
            "owner": self.owner,
            "co_owners": list(self.co_owners),
            "follow_up": self.follow_up,
            "issue": self.issue,
            "grouped_by": "indicator" if self.by_indicator else "issue",
        }
