"""The framework workbook's layout, shared by the writer (:mod:`prongsai.framework_export`) and the
reader (:mod:`prongsai.framework_import`): which sheets, which columns, what a cell holds.

One sheet per part of the definition (docs/framework-authoring.md). A table sheet has the Thai
heading of each column in row 1 and its English key in row 2; the key is the definition's field
name, so that a column is read back by either. The year, rules and scoring sheets hold fixed rows
named by their ``key``/``rule`` column. Every word comes from catalog/framework_sheet.yaml.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from prongsai.errors import DataFileError

ORIGIN = "catalog/framework_sheet.yaml"
SHEET_NAME_LIMIT = 31  # Excel's longest sheet name
LIST_SEPARATOR = ";"  # several values in one cell: answers' words and codes, sub-items
HEADER_ROWS = 2  # Thai headings, then English keys
_NOT_IN_NAMES = ":\\/?*[]"  # characters Excel refuses in a sheet name

# What a cell holds: text; a number (int when whole); a whole number; yes/no; a list joined by ';'.
Kind = Literal["text", "number", "whole", "yes_no", "list"]
# What an empty cell means: the field keeps its default (left out), empty text, or a problem.
Empty = Literal["omit", "blank", "required"]
# The data validation a column gets (catalog validation.<name>), if any.
Check = Literal["yes_no", "tool", "score", "indicator", "whole", "kind", "method"]


@dataclass(frozen=True)
class Column:
    key: str
    kind: Kind = "text"
    empty: Empty = "omit"
    check: Check | None = None
    wide: bool = False  # long text: a wider column, wrapped
    group: bool = False  # shared by the rows of a group (a scale's answers), written on its first row
    info: bool = False  # written for the reader's sake, not read back (a rule's Thai description)


@dataclass(frozen=True)
class Layout:
    key: str
    columns: tuple[Column, ...]
    scoring: bool = False  # part of the raw-answer scoring section (only years that have one)
    required: bool = True  # must be in the workbook (the scoring sheets: when the section is)

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


def _rule_columns(*extra: Column) -> tuple[Column, ...]:
    return (
        *extra,
        Column("confirmed", "yes_no", "required", "yes_no"),
        Column("source", empty="required"),
        Column("note", wide=True),
    )


_YES_NO = Column("confirmed", "yes_no", "omit", "yes_no")

LAYOUTS: Mapping[str, Layout] = {
    layout.key: layout
    for layout in (
        Layout(
            "year",
            (
                Column("label", wide=True, info=True),
                Column("key"),
                Column("value", empty="required", wide=True),
            ),
        ),
        Layout(
            "sources",
            (
                Column("key", empty="required"),
                Column("kind", empty="required", check="kind"),
                Column("title", empty="required", wide=True),
                Column("ref", wide=True),
            ),
        ),
        Layout(
            "rules",
            (
                Column("rule", empty="required"),
                Column("label", wide=True, info=True),
                Column("tool", check="tool"),
                Column("value", "number", check="score"),
                Column("method", check="method"),
                _YES_NO,
                Column("source"),
                Column("note", wide=True),
            ),
        ),
        Layout(
            "levels",
            _rule_columns(
                Column("name", empty="required"),
                Column("name_en"),
                Column("min_overall", "number", "required", "score"),
                Column("min_each_tool", "number", check="score"),
            ),
        ),
        Layout(
            "tools",
            (
                Column("tool", empty="required", check="tool"),
                Column("part"),
                Column("name_th", empty="required", wide=True),
                Column("name_en", empty="blank", wide=True),
                Column("source", empty="required"),
            ),
        ),
        Layout(
            "indicators",
            _rule_columns(
                Column("number", "whole", "required", "indicator"),
                Column("name_th", empty="required", wide=True),
                Column("tool", empty="required", check="tool"),
            ),
        ),
        Layout(
            "sub_indicators",
            _rule_columns(
                Column("code", empty="required"),
                Column("indicator", "whole", "required", "indicator"),
                Column("name_th", wide=True),
            ),
        ),
        Layout(
            "items",
            (
                Column("code", empty="required"),
                Column("text_th", wide=True),
                Column("indicator", "whole", check="indicator"),
                Column("indicator_confirmed", "yes_no", check="yes_no"),
                Column("sub_indicator"),
                Column("same_as"),
                Column("source", empty="required"),
                Column("note", wide=True),
            ),
        ),
        Layout(
            "scoring",
            (
                Column("rule", empty="required"),
                Column("label", wide=True, info=True),
                Column("pass_value", "number", check="score"),
                Column("fail_value", "number", check="score"),
                Column("confirmed", "yes_no", "required", "yes_no"),
                Column("source", empty="required"),
                Column("note", wide=True),
            ),
            scoring=True,
        ),
        Layout(
            "scales",
            (
                Column("scale", empty="required"),
                Column("value", "number", "required", "score"),
                Column("words", "list", wide=True),
                Column("codes", "list"),
                Column("confirmed", "yes_no", "required", "yes_no", group=True),
                Column("source", empty="required", group=True),
                Column("note", wide=True, group=True),
            ),
            scoring=True,
        ),
        Layout(
            "questions",
            _rule_columns(
                Column("item", empty="required"),
                Column("scale", empty="required"),
                Column("reverse", "yes_no", check="yes_no"),
                Column("sub_items", "list"),
            ),
            scoring=True,
            required=False,
        ),
        Layout(
            "minimum_sample",
            _rule_columns(
                Column("tool", empty="required"),
                Column("agency_type"),
                Column("minimum", "whole", "required", "whole"),
            ),
            scoring=True,
            required=False,
        ),
    )
}
INSTRUCTIONS = "instructions"

# Where each sheet's rows go in the definition (the paths of the schema's problems start so).
SECTIONS: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "year": (("schema_version",), ("ita_year",), ("status",), ("name_th",), ("notes",)),
    "sources": (("sources",),),
    "rules": (
        ("rules", "pass_mark"),
        ("rules", "weights"),
        ("rules", "aggregation"),
        ("rules", "levels", "source"),
    ),
    "levels": (("rules", "levels", "levels"),),
    "tools": (("tools",),),
    "indicators": (("indicators",),),
    "sub_indicators": (("sub_indicators",),),
    "items": (("items",),),
    "scoring": (
        ("scoring", "item_from_answers"),
        ("scoring", "item_from_sub_items"),
        ("scoring", "reverse"),
        ("scoring", "oit"),
    ),
    "scales": (("scoring", "scales"),),
    "questions": (("scoring", "questions"),),
    "minimum_sample": (("scoring", "minimum_sample"),),
}

# The fixed rows: the year sheet's fields and the rules of the rules and scoring sheets, in order.
YEAR_ROWS = ("ita_year", "status", "name_th", "notes")
RULE_ROWS = (
    "pass_mark",
    "weights",
    "indicator_from_items",
    "tool_from_indicators",
    "overall_from_tools",
    "levels",
)
SCORING_ROWS = ("item_from_answers", "item_from_sub_items", "reverse", "oit")
# Which columns of the rules and scoring sheets each rule uses (the others stay empty).
RULE_USES: Mapping[str, frozenset[str]] = {
    "pass_mark": frozenset({"value", "confirmed", "source", "note"}),
    "weights": frozenset({"tool", "value", "confirmed", "source", "note"}),
    "indicator_from_items": frozenset({"tool", "method", "confirmed", "source", "note"}),
    "tool_from_indicators": frozenset({"method", "confirmed", "source", "note"}),
    "overall_from_tools": frozenset({"method", "confirmed", "source", "note"}),
    "levels": frozenset({"source"}),
    "item_from_answers": frozenset({"confirmed", "source", "note"}),
    "item_from_sub_items": frozenset({"confirmed", "source", "note"}),
    "reverse": frozenset({"confirmed", "source", "note"}),
    "oit": frozenset({"pass_value", "fail_value", "confirmed", "source", "note"}),
}


# --------------------------------------------------------------------------------------------------
# catalog/framework_sheet.yaml
# --------------------------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SheetText(_Strict):
    name: str
    columns: dict[str, str] = {}


class Step(_Strict):
    th: str
    en: str


class InstructionsText(_Strict):
    title: str
    title_en: str
    steps: tuple[Step, ...]


class ValidationText(_Strict):
    title: str
    prompt: str
    error: str


class WorkbookText(_Strict):
    schema_version: Literal[1]
    workbook_title: str
    yes_words: tuple[str, ...]
    no_words: tuple[str, ...]
    sheets: dict[str, SheetText]
    rows: dict[str, dict[str, str]]
    instructions: InstructionsText
    validation: dict[str, ValidationText]

    def heading(self, layout: str, column: str) -> str:
        return self.sheets[layout].columns[column]

    def sheet_name(self, layout: str) -> str:
        """'ข้อคำถาม (items)': the Thai name and the key a reader also finds it by."""
        return f"{self.sheets[layout].name} ({layout})"


@cache
def workbook_text() -> WorkbookText:
    """The catalog, checked against the layout: every sheet, column and fixed row has its words."""
    raw = yaml.safe_load(
        (resources.files("prongsai") / "catalog" / "framework_sheet.yaml").read_text("utf-8")
    )
    try:
        text = WorkbookText.model_validate(raw)
    except ValidationError as exc:
        raise DataFileError(
            ORIGIN, [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        ) from exc
    found: list[str] = []
    for key, layout in LAYOUTS.items():
        if key not in text.sheets:
            continue
        missing = {c.key for c in layout.columns} ^ set(text.sheets[key].columns)
        found += [f"sheets.{key}.columns.{name}: missing or not a column" for name in sorted(missing)]
    for name in (*LAYOUTS, INSTRUCTIONS):
        if name not in text.sheets:
            found.append(f"sheets.{name} is missing")
        elif len(text.sheet_name(name)) > SHEET_NAME_LIMIT or set(text.sheet_name(name)) & set(_NOT_IN_NAMES):
            found.append(f"sheets.{name}: over {SHEET_NAME_LIMIT} characters, or a character Excel refuses")
    for sheet, keys in (("year", YEAR_ROWS), ("rules", RULE_ROWS), ("scoring", SCORING_ROWS)):
        if set(text.rows.get(sheet, {})) != set(keys):
            found.append(f"rows.{sheet} must name exactly {', '.join(keys)}")
    checks = {c.check for layout in LAYOUTS.values() for c in layout.columns if c.check} | {"year", "status"}
    if set(text.validation) != checks:
        found.append(f"validation must name exactly {', '.join(sorted(checks))}")
    if not text.yes_words or not text.no_words:
        found.append("yes and no each need at least one word")
    if found:
        raise DataFileError(ORIGIN, found)
    return text


# --------------------------------------------------------------------------------------------------
# Finding sheets, columns and values again
# --------------------------------------------------------------------------------------------------


def folded(text: str) -> str:
    """Text as names are compared: NFC, case-folded, inner spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def sheet_key(name: str) -> str | None:
    """The layout (or ``instructions``) a sheet name stands for: its full name, its Thai name or its
    English key, or anything ending in '(key)'; None for a sheet the workbook does not define."""
    text = workbook_text()
    wanted = folded(name)
    for key in (INSTRUCTIONS, *LAYOUTS):
        names = {folded(text.sheet_name(key)), folded(text.sheets[key].name), key}
        if wanted in names or wanted.endswith(f"({key})"):
            return key
    return None


def column_key(layout: Layout, heading: str) -> str | None:
    """The column a heading names: its Thai heading, its English key, or 'Thai (key)'."""
    text = workbook_text()
    wanted = folded(heading)
    for column in layout.columns:
        thai = folded(text.heading(layout.key, column.key))
        if wanted in (thai, column.key, f"{thai} ({column.key})"):
            return column.key
    return None


def row_key(sheet: str, value: str) -> str | None:
    """A fixed row of the year, rules or scoring sheet, by its key or its Thai label."""
    labels = workbook_text().rows[sheet]
    wanted = folded(value)
    for key, label in labels.items():
        if wanted in (key, folded(label)):
            return key
    return None


def yes_no(value: object) -> bool | None:
    """True, False, or None for a value that is neither (an Excel TRUE/FALSE cell is both)."""
    if isinstance(value, bool):
        return value
    if not isinstance(value, str):
        return None
    text = workbook_text()
    wanted = folded(value)
    if wanted in {folded(word) for word in text.yes_words}:
        return True
    if wanted in {folded(word) for word in text.no_words}:
        return False
    return None


def yes_no_words() -> tuple[str, str]:
    """The words a yes/no cell is written with: ('ใช่', 'ไม่ใช่')."""
    text = workbook_text()
    return text.yes_words[0], text.no_words[0]
