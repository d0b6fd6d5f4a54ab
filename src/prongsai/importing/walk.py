"""One pass over a document's paragraphs and rows, with the context each row needs: the current
table headings, the section (ประเด็นที่ / ตัวชี้วัดที่) and the tool of the rows above."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from prongsai.importing.columns import header_roles, merge
from prongsai.importing.measures import MeasureReader, issue_of
from prongsai.importing.model import Para, ReadMeasure, Row, Source
from prongsai.importing.observe import Observations
from prongsai.importing.scores import (
    indicator_by_name,
    indicators_in_row,
    items_in_row,
    level_in,
    scores_in_paragraph,
    tools_in_row,
)
from prongsai.importing.vocabulary import vocabulary

_SECTIONS = vocabulary().sections
_SECTION = re.compile(
    rf"({re.escape(_SECTIONS.issue)}|{re.escape(_SECTIONS.indicator)})\s*([0-9๐-๙]{{1,2}})\s*(.*)$"
)


@dataclass
class Walked:
    found: Observations
    measures: list[ReadMeasure]
    sections: list[tuple[str, int, str, int]] = field(default_factory=list)  # (kind, number, name, line)


@dataclass
class _State:
    roles: dict[int, str] = field(default_factory=dict)
    table: int = -1
    after_header: bool = False
    section: tuple[str, int, str] | None = None
    indicator: int | None = None
    issue: int | None = None
    wants_level: bool = False
    by_indicator: bool = False


def walk(source: Source) -> Walked:
    found = Observations()
    reader = MeasureReader()
    walked = Walked(found, [])
    state = _State()
    for block in source.blocks:
        if isinstance(block, Para):
            _paragraph(block, state, walked)
        else:
            _row(block, state, walked, reader)
    walked.measures = reader.measures()
    return walked


def _paragraph(para: Para, state: _State, walked: Walked) -> None:
    matches = list(_SECTION.finditer(para.text)) if len(para.text) < 160 else []
    match = matches[-1] if matches and len(para.text[: matches[-1].start()]) < 40 else None
    if match:
        issue = issue_of(match.group(2) + " " + match.group(3))
        if issue is not None:
            kind = "indicator" if match.group(1) == _SECTIONS.indicator else "issue"
            state.section = (kind, issue[0], issue[1])
            state.indicator = indicator_by_name(issue[1]) or (issue[0] if kind == "indicator" else None)
            walked.sections.append((kind, issue[0], issue[1], para.line))
            return
    if state.wants_level and level_in(para.text, para.line, walked.found):
        state.wants_level = False
        return
    state.wants_level = scores_in_paragraph(para.text, para.line, walked.found)


def _row(row: Row, state: _State, walked: Walked, reader: MeasureReader) -> None:
    roles = header_roles(row)
    if roles is not None:
        if state.after_header and row.table == state.table:
            state.roles = merge(state.roles, roles)
        else:
            state.roles = roles
        state.table = row.table
        state.after_header = True
        walked.found.headers.append(frozenset(state.roles.values()))
        return
    if row.table != state.table:
        state.roles = {}
        state.table = row.table
    after_header = state.after_header
    state.after_header = False
    found = walked.found
    if items_in_row(row, state.indicator, found):
        pass
    else:
        indicators_in_row(row, state.indicator, found)
        tools_in_row(row, found)
    roles = state.roles
    if "issue" in roles.values():
        index = next(i for i, r in roles.items() if r == "issue")
        if index < len(row.cells) and not row.cells[index].empty:
            issue = issue_of(row.cells[index].text)
            if issue is not None:
                state.issue = issue[0]
                state.by_indicator = _SECTIONS.indicator in row.cells[index].text
                walked.found.issue_names.append((issue[0], issue[1], row.line))
    if {"measure", "steps"} & set(roles.values()) and ({"timeframe", "owner"} & set(roles.values())):
        if "issue" in roles.values():
            number, by_indicator = state.issue, state.by_indicator
        else:
            number = _section_number(state)
            by_indicator = state.section is not None and state.section[0] == "indicator"
        reader.row(row, roles, number, after_header, by_indicator)


def _section_number(state: _State) -> int | None:
    if state.section is None:
        return None
    return state.section[1]
