"""Scores in tables and paragraphs: items, indicators, tools, overall and level."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import cache, lru_cache

from prongsai.framework import load_frameworks
from prongsai.importing.model import Cell, Row
from prongsai.importing.normalise import code_token, parse_number, squash
from prongsai.importing.observe import Observations, Seen, SeenIndicator, SeenItem, SeenTool
from prongsai.importing.vocabulary import alternatives, vocabulary
from prongsai.thai import to_arabic_digits

_WORDS = vocabulary().scores
_UNIT = re.escape(_WORDS.unit)
_SCORE = r"([0-9๐-๙]{1,3}(?:\.[0-9๐-๙]+)?)"
_INLINE_ITEM = re.compile(rf"([ieoIEO๐0][0-9๐-๙]{{1,2}})\s*\(\s*([0-9๐-๙.]+)\s*([†*]?)\s*{_UNIT}\s*\)")
_INDICATOR_LINE = re.compile(rf"^\(?([0-9๐-๙]{{1,2}})\s*[.)]\s*(\D+?)\s*{_SCORE}\s*([†*]?)\s*{_UNIT}")
_TOOL_LABEL = re.compile(r"\((IIT|EIT|OIT)\)")
_PART = re.compile(rf"^\s*{re.escape(_WORDS.part)}\s*([12๑๒])")
_FIGURE = re.compile(rf"(?:{alternatives(_WORDS.figure_words)})\s*{_SCORE}\s*([†*]?)")
_OVERALL = re.compile(
    rf"(?:{alternatives(_WORDS.overall_words)})[^0-9๐-๙]{{0,60}}?"
    rf"{_SCORE}\s*([†*]?)\s*{_UNIT}(?!{alternatives(_WORDS.unit_not_before)})"
)
_LEVEL = re.compile(rf"(?:{alternatives(_WORDS.level_words)})\s*([^\s(]+)")
_TOOL_CELLS = {"iit": "IIT", "eit": "EIT", "oit": "OIT"}
_GARBLED: dict[str, str] = {str(tool): word for tool, word in _WORDS.tool_garbled.items()}


@cache
def indicator_names() -> dict[int, str]:
    frameworks = load_frameworks()
    latest = frameworks[max(frameworks)]
    return {i.number: squash(i.name_th) for i in latest.indicators}


@lru_cache(maxsize=4096)
def indicator_by_name(name: str) -> int | None:
    """The indicator a printed name is (forgiving about spacing and small wording changes).
    A document names the same few indicators again and again: answers are kept per name."""
    key = squash(name)
    best: tuple[float, int] | None = None
    for number, known in indicator_names().items():
        ratio = 1.0 if key.startswith(known) else _similarity(key[: len(known) + 4], known)
        if ratio >= 0.8 and (best is None or ratio > best[0]):
            best = (ratio, number)
    return best[1] if best else None


def _similarity(a: str, b: str) -> float:
    """difflib's ratio, or 0 when its cheap upper bounds already show it is under 0.8."""
    matcher = SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < 0.8 or matcher.quick_ratio() < 0.8:
        return 0.0
    return matcher.ratio()


def _number_cells(cells: tuple[Cell, ...], start: int) -> int | None:
    for index in range(start, len(cells)):
        cell = cells[index]
        if cell.parts and all(parse_number(p) is not None for p in cell.parts):
            return index
    return None


def row_tool(row: Row) -> str | None:
    for cell in row.cells:
        tool = _TOOL_CELLS.get(squash(cell.text))
        if tool:
            return tool
    return None


def _seen(text: str, line: int, span: str) -> Seen | None:
    number = parse_number(text)
    return Seen(number[0], number[1], line, span) if number else None


def items_in_row(row: Row, indicator: int | None, found: Observations) -> bool:
    """Item codes with their scores: a column of codes beside a column of scores (parallel lists in
    one cell, as the seeds print them), or 'ข้อ i1 (84.67 คะแนน)' inside a cell."""
    cells = row.cells
    for index, cell in enumerate(cells):
        tokens = [code_token(p) for p in cell.parts]
        if not tokens or any(t is None for t in tokens):
            continue
        bare_numbers = any(
            t is not None and t[1].startswith("?") and not p.strip()[len(t[0]) :].strip()
            for p, t in zip(cell.parts, tokens, strict=True)
        )
        if bare_numbers:  # '๑๐' alone is a number (an indicator's), not an OCR-damaged IIT code
            continue
        score_at = _number_cells(cells, index + 1)
        if score_at is None:
            continue
        scores = cells[score_at].parts
        for part, token, printed in zip(cell.parts, tokens, scores, strict=False):
            assert token is not None
            seen = _seen(printed, row.line, f"{part[:80]} | {printed}")
            if seen:
                found.items.append(SeenItem(token[1], token[0], seen, indicator))
        if len(scores) != len(tokens):
            found.items.append(
                SeenItem(
                    "!count", cell.text[:80], Seen(str(len(tokens)), False, row.line, cell.text[:120]), None
                )
            )
        return True
    hit = False
    for cell in cells:
        for part in cell.parts:
            for match in _INLINE_ITEM.finditer(part):
                token = code_token(match.group(1))
                seen = _seen(match.group(2) + match.group(3), row.line, match.group(0))
                if token and seen:
                    found.items.append(SeenItem(token[1], token[0], seen, indicator))
                    hit = True
    return hit


def indicators_in_row(row: Row, indicator: int | None, found: Observations) -> None:
    cells = row.cells
    for index, cell in enumerate(cells):
        key = squash(cell.text)
        if key.startswith(_WORDS.average_row):
            at = _number_cells(cells, index + 1)
            if at is not None and indicator is not None:
                seen = _seen(cells[at].text, row.line, f"{cell.text} {cells[at].text}")
                if seen:
                    found.indicators.append(SeenIndicator(indicator, "", seen, average=True))
            return
        if re.fullmatch(r"[0-9]{1,2}", key) and 1 <= int(key) <= 10 and index + 1 < len(cells):
            name_cell = cells[index + 1]
            at = _number_cells(cells, index + 2)
            if at is not None and indicator_by_name(name_cell.text) is not None:
                seen = _seen(cells[at].text, row.line, f"{cell.text} {name_cell.text} {cells[at].text}")
                if seen:
                    found.indicators.append(SeenIndicator(int(key), name_cell.text, seen))
                return
    for cell in cells:
        for part in cell.parts:
            match = _INDICATOR_LINE.match(part)
            if match and indicator_by_name(match.group(2)) is not None:
                value = to_arabic_digits(match.group(3))
                seen = Seen(value, bool(match.group(4)), row.line, part)
                found.indicators.append(
                    SeenIndicator(int(to_arabic_digits(match.group(1))), match.group(2), seen)
                )


def tools_in_row(row: Row, found: Observations) -> None:
    cells = row.cells
    for index, cell in enumerate(cells):
        label = _TOOL_LABEL.search(cell.text)
        key = squash(cell.text)
        at = _number_cells(cells, index + 1)
        if at is None:
            continue
        seen = _seen(cells[at].text, row.line, f"{cell.text} {cells[at].text}")
        if seen is None:
            continue
        if label:
            found.tools.append(SeenTool(label.group(1), cell.text, seen))
            return
        if key.startswith(_WORDS.overall_row):
            found.overall.append(seen)
            return


def level_in(text: str, line: int, found: Observations) -> bool:
    """A level named at the start of the paragraph after the overall score ('ซึ่งอยู่ในระดับ A')."""
    level = _LEVEL.search(text[:60])
    if level:
        found.levels.append(Seen(level.group(1), False, line, text[: level.end()]))
    return bool(level)


def scores_in_paragraph(text: str, line: int, found: Observations) -> bool:
    """The overall score and level, and tool scores named by their '(IIT)' labels. True when an
    overall score was read without a level, which may then open the next paragraph."""
    wants_level = False
    match = next(
        (m for m in _OVERALL.finditer(text) if not any(w in m.group(0) for w in _WORDS.overall_not_with)),
        None,
    )
    if match:
        value = to_arabic_digits(match.group(1))
        found.overall.append(
            Seen(value, bool(match.group(2)), line, text[max(0, match.start() - 20) : match.end()])
        )
        rest = text[match.end() : match.end() + 90]
        level = _LEVEL.search(rest)
        if level:
            computed = any(w in rest[: level.start() + 20] for w in _WORDS.level_computed_before) or any(
                w in rest[level.end() : level.end() + 20] for w in _WORDS.level_estimated_after
            )
            found.levels.append(Seen(level.group(1), computed, line, rest[: level.end()]))
        wants_level = level is None
    labels = list(_TOOL_LABEL.finditer(text))
    for index, label in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        segment = text[label.end() : end]
        figure = _FIGURE.search(segment[:80])
        if not figure:
            continue
        code = label.group(1)
        part = _PART.match(segment)
        before = text[max(0, label.start() - 12) : label.start()]
        contradicting = _GARBLED.get(code)
        garbled = contradicting is not None and contradicting in before
        if part:
            number = to_arabic_digits(part.group(1))
            if code == "EIT":
                code = f"EIT{number}"
            else:
                garbled = True
        value = to_arabic_digits(figure.group(1))
        span = text[max(0, label.start() - 40) : label.end() + figure.end()]
        found.tools.append(SeenTool(code, span, Seen(value, bool(figure.group(2)), line, span), garbled))
    return wants_level
