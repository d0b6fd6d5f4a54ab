"""Each year's scoring rules as small lookup tables: what every answer of every item is worth.

Pure functions over the framework objects; nothing here is typed in by hand. The tables are tiny
(a few hundred rows) and are joined against aggregated answer counts, never against raw rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from prongsai.codes import parse_item_code
from prongsai.framework import Framework, Question, Scoring
from prongsai.thai import to_arabic_digits

PRIVACY_MIN_RESPONDENTS = 5  # an item answered by fewer people has its figures withheld (issue 5)
SUB_ITEM_RE = re.compile(r"^([ie])([1-9][0-9]?)\.([1-9][0-9]?)$")


def fold(value: object) -> str:
    """The comparable form of an answer, tool or code as written: NFC, Arabic digits, no case or spaces."""
    text = unicodedata.normalize("NFC", str(value))
    text = to_arabic_digits(text).casefold()
    text = re.sub(r"\s+", "", text)
    if re.fullmatch(r"[0-9]+\.0+", text):  # a code read back from a spreadsheet as 4.0
        text = text.split(".")[0]
    return text


def item_key(value: object) -> str | None:
    """'i1', 'I 1', 'ข้อ i๑' -> 'i1'; a sub-item 'i1.2' -> 'i1.2'; None when unreadable."""
    text = fold(value)
    match = SUB_ITEM_RE.match(text)
    if match:
        return f"{match.group(1)}{int(match.group(2))}.{int(match.group(3))}"
    return parse_item_code(str(value))


@dataclass(frozen=True)
class AnswerKey:
    """Where one answered key (an item or a sub-item) belongs, and what each answer is worth."""

    key: str
    item: str
    tool: str
    values: Mapping[str, float]  # folded word or code -> value after any reversal
    shown: tuple[str, ...]  # the words as the form prints them, for messages
    siblings: int = 1  # how many keys make up the item (its sub-items, or 1)


def _values(scoring: Scoring, question: Question) -> tuple[dict[str, float], tuple[str, ...]]:
    scale = scoring.scales[question.scale]
    values: dict[str, float] = {}
    for answer in scale.answers:
        value = 100.0 - answer.value if question.reverse else answer.value
        for spelling in (*answer.words, *answer.codes):
            values[fold(spelling)] = value
    return values, tuple(w for a in scale.answers for w in a.words[:1])


@cache
def answer_keys(framework: Framework) -> Mapping[str, AnswerKey]:
    """Every key an answer may be given for in this year: each item, or its sub-items when it has them."""
    scoring = framework.scoring
    if scoring is None:
        return {}
    keys: dict[str, AnswerKey] = {}
    for question in scoring.questions.values():
        values, shown = _values(scoring, question)
        tool = framework.item(question.item).tool
        for key in question.sub_items or (question.item,):
            keys[key] = AnswerKey(key, question.item, tool, values, shown, max(1, len(question.sub_items)))
    return keys


def item_estimated(framework: Framework, code: str) -> bool:
    """Rule S8: an item score computed from answers or the checklist rests on an unconfirmed rule."""
    scoring = framework.scoring
    if scoring is None:
        return True
    item = framework.item(code)
    if item.tool == "OIT":
        return not scoring.oit_rule.confirmed
    question = scoring.questions[code]
    rules = [scoring.item_from_answers, scoring.scales[question.scale].rule, question.rule]
    if question.reverse:
        rules.append(scoring.reverse)
    if question.sub_items:
        rules.append(scoring.item_from_sub_items)
    return not all(rule.confirmed for rule in rules)


def tool_of(framework: Framework, written: object) -> str | None:
    """'IIT', 'eit', 'EIT1' (a part of that year) -> the code as the framework spells it."""
    text = fold(written).upper()
    codes = ["IIT", "EIT", *(p.code for t in framework.tools for p in t.parts)]
    return next((c for c in codes if c == text), None)


def scored_years() -> list[int]:
    from prongsai.framework import load_frameworks

    return [year for year, fw in load_frameworks().items() if fw.scoring is not None]
