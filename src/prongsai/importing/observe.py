"""What the walker saw, before any of it is settled against a framework."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Seen:
    """One printed figure: the value as printed (Arabic digits), whether it carried a computed or
    estimated mark (†, *), and where."""

    value: str
    marked: bool
    line: int
    span: str


@dataclass(frozen=True)
class SeenItem:
    code: str  # 'i1', or '?11' for a ๑-prefixed code that may be an IIT code read by OCR
    printed: str
    score: Seen
    indicator: int | None  # the indicator section the row sits in, when known


@dataclass(frozen=True)
class SeenIndicator:
    number: int | None  # as printed
    name: str
    score: Seen
    average: bool = False  # the average row of an item table rather than a summary figure


@dataclass(frozen=True)
class SeenTool:
    code: str  # IIT, EIT, OIT, EIT1, EIT2
    label: str
    score: Seen
    garbled: bool = False


@dataclass
class Observations:
    items: list[SeenItem] = field(default_factory=list)
    indicators: list[SeenIndicator] = field(default_factory=list)
    tools: list[SeenTool] = field(default_factory=list)
    overall: list[Seen] = field(default_factory=list)
    levels: list[Seen] = field(default_factory=list)
    headers: list[frozenset[str]] = field(default_factory=list)  # the role sets of every heading row
    issue_names: list[tuple[int, str, int]] = field(default_factory=list)  # (printed number, name, line)
