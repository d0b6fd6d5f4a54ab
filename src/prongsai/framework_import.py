"""A framework workbook read back into a year's file (``prongsai framework import``).

The workbook comes through the hardened XLSX loader. Each sheet is read by its layout
(:mod:`prongsai.framework_sheet`, cells by :mod:`prongsai.framework_cells`) into the plain
definition a YAML file holds, remembering for every value of the definition the cell it came from;
the definition is then checked by :func:`prongsai.framework_schema.check_definition`, and each of its
problems is put on that cell (or on the row, or the sheet). Problems of the cells themselves (a
number that is not one, a yes/no cell that is neither, a missing sheet or heading) are found while
reading them. Every problem is reported at once, and nothing is written while there is one; the
file is written by :func:`prongsai.framework_yaml.definition_yaml`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from prongsai.errors import InputError
from prongsai.files import write_atomically
from prongsai.framework import Framework, load_frameworks
from prongsai.framework_cells import (
    MISSING,
    Reader,
    Row,
    Table,
    cell_text,
    heading_args,
    item_code,
    known_sheets,
    read_table,
    tool_code,
)
from prongsai.framework_folder import read_framework_file
from prongsai.framework_schema import (
    TOOL_CODES,
    FrameworkSpec,
    SpecProblem,
    check_definition,
    same_as_unknown,
)
from prongsai.framework_schema import Path as SpecPath
from prongsai.framework_sheet import LAYOUTS, RULE_USES, SECTIONS, Layout, row_key, workbook_text
from prongsai.framework_yaml import definition_yaml
from prongsai.loader.numbers import plain, shown_value
from prongsai.loader.source import read_input, where
from prongsai.loader.xlsx import read_sheets
from prongsai.problems import Location, Problem, error, with_location

# A cross-check whose answer depends on a whole part of the file: not trusted while a value of that
# part was dropped (() = any part).
_DEPENDS: Mapping[str, tuple[SpecPath, ...]] = {
    "framework_source_unused": (),
    "framework_source_unknown": (("sources",),),
    "framework_questions_missing": (("items",), ("scoring", "questions")),
    "framework_question_item": (("items",),),
    "framework_scale_unknown": (("scoring", "scales"),),
    "framework_item_indicator_tool": (("indicators",),),
    "framework_sub_indicator_tool": (("indicators",),),
    "framework_sub_indicator_unknown": (("sub_indicators",),),
    "framework_sub_indicator_mismatch": (("sub_indicators",),),
    "framework_minimum_tool": (("tools",),),
    "framework_tools": (("tools",),),
    "framework_indicators": (("indicators",),),
}

# What a row that could not be placed (an unknown rule) may have been meant to give.
_MISSED = frozenset({"framework_field_missing", "framework_field_count", "framework_tools_named"})


# --------------------------------------------------------------------------------------------------
# The parts of the definition
# --------------------------------------------------------------------------------------------------


def _year(table: Table, reader: Reader) -> dict[str, Any]:
    found: dict[str, Any] = {}
    notes: list[Any] = []
    for row in table.rows:
        shown = row.cells.get("key") or row.cells.get("label")
        key = row_key("year", cell_text(shown)) if shown is not None else None
        if key is None:
            at = reader.cell_at(table, row, "key" if "key" in row.cells else "label")
            reader.problems.append(_unknown_row(at, shown, "year"))
            reader.unread.update(SECTIONS["year"])
        elif key == "notes":
            if "value" in row.cells:
                notes.append(reader.read(table, row, "value", ("notes", len(notes))))
        elif key in found:
            reader.problems.append(error("authoring_row_twice", reader.cell_at(table, row, "key"), value=key))
        else:
            value = reader.read(table, row, "value", (key,), kind="whole" if key == "ita_year" else "text")
            if value is not MISSING:
                found[key] = value
    return {"schema_version": 1, **found, "notes": notes}


def _unknown_row(at: Location, shown: object, sheet: str) -> Problem:
    known = ", ".join(workbook_text().rows[sheet])
    return error("authoring_row_unknown", at, value=shown_value(shown), known=known)


def _sources(table: Table, reader: Reader) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for row in table.rows:
        key = reader.read(table, row, "key", ("sources", f"row {row.number}"))
        if not isinstance(key, str) or not key:
            continue
        if key in found:
            reader.problems.append(error("authoring_row_twice", reader.cell_at(table, row, "key"), value=key))
            continue
        found[key] = reader.fields(table, row, ("sources", key), ("kind", "title", "ref"))
        reader.places[("sources", key)] = reader.cell_at(table, row, "key")
    return found


def _rule_rows(table: Table, reader: Reader, sheet: str) -> dict[str, list[Row]]:
    """The rows of the rules or scoring sheet by rule; a cell a rule does not use is a problem."""
    found: dict[str, list[Row]] = {}
    for row in table.rows:
        shown = row.cells.get("rule") or row.cells.get("label")
        rule = row_key(sheet, cell_text(shown)) if shown is not None else None
        if rule is None:
            at = reader.cell_at(table, row, "rule" if "rule" in row.cells else "label")
            reader.problems.append(_unknown_row(at, shown, sheet))
            reader.unread.update(SECTIONS[sheet])
            continue
        found.setdefault(rule, []).append(row)
        for key in row.cells:
            if key not in RULE_USES[rule] and key not in ("rule", "label"):
                at = reader.cell_at(table, row, key)
                reader.problems.append(
                    error("authoring_cell_not_used", at, rule=rule, **heading_args(table, key))
                )
    return found


def _single(rows: Mapping[str, list[Row]], rule: str, table: Table, reader: Reader) -> Row | None:
    given = rows.get(rule, [])
    for extra in given[1:]:
        reader.problems.append(error("authoring_row_twice", reader.cell_at(table, extra, "rule"), value=rule))
    return given[0] if given else None


def _rule(table: Table, row: Row | None, path: SpecPath, reader: Reader, first: Sequence[str]) -> Any:
    if row is None:
        return MISSING
    return reader.fields(
        table, row, path, (*first, "confirmed", "source", "note"), confirmed="required", source="required"
    )


def _rules(table: Table, levels: Table | None, reader: Reader) -> dict[str, Any]:
    reader.places[("rules",)] = reader.places[("rules", "aggregation")] = reader.sheet_at(table)
    rows = _rule_rows(table, reader, "rules")
    found: dict[str, Any] = {}
    pass_mark = _rule(
        table, _single(rows, "pass_mark", table, reader), ("rules", "pass_mark"), reader, ("value",)
    )
    if pass_mark is not MISSING:
        found["pass_mark"] = pass_mark
    if rows.get("weights"):
        found["weights"] = _weights(table, rows["weights"], reader)
    aggregation: dict[str, Any] = {}
    per_tool = _per_tool(table, rows.get("indicator_from_items", []), reader)
    if per_tool:
        aggregation["indicator_from_items"] = per_tool
    for rule in ("tool_from_indicators", "overall_from_tools"):
        value = _rule(
            table, _single(rows, rule, table, reader), ("rules", "aggregation", rule), reader, ("method",)
        )
        if value is not MISSING:
            aggregation[rule] = value
    found["aggregation"] = aggregation
    level_rules: dict[str, Any] = {}
    row = _single(rows, "levels", table, reader)
    if row is not None:
        reader.places[("rules", "levels")] = reader.cell_at(table, row)
        level_rules["source"] = reader.read(
            table, row, "source", ("rules", "levels", "source"), empty="required"
        )
    if levels is not None:
        reader.places[("rules", "levels", "levels")] = reader.sheet_at(levels)
        level_rules["levels"] = [
            reader.fields(levels, r, ("rules", "levels", "levels", i), _keys(levels.layout))
            for i, r in enumerate(levels.rows)
        ]
    found["levels"] = level_rules
    return found


def _keys(layout: Layout) -> tuple[str, ...]:
    return tuple(column.key for column in layout.columns if not column.info)


def _weights(table: Table, rows: Sequence[Row], reader: Reader) -> dict[str, Any]:
    """The three weights, written as percentages (30 -> 0.3, exactly), with the rule's confirmed,
    source and note written once on their rows."""
    path: SpecPath = ("rules", "weights")
    reader.places[path] = reader.cell_at(table, rows[0])
    reader.places[(*path, "value")] = reader.cell_at(table, rows[0], "value")
    values: dict[str, Any] = {}
    points: list[Decimal] = []
    for row in rows:
        tool = tool_code(
            reader.read(table, row, "tool", (*path, "value", f"row {row.number}"), empty="required")
        )
        if not isinstance(tool, str) or not tool:
            continue
        if tool in values:
            reader.problems.append(
                error("authoring_row_twice", reader.cell_at(table, row, "tool"), value=tool)
            )
            continue
        value = reader.read(table, row, "value", (*path, "value", tool), empty="required")
        if isinstance(value, int | float):
            points.append(Decimal(repr(value)))
            values[tool] = float(Decimal(repr(value)) / 100)
    if len(points) == len(TOOL_CODES) and sum(points) == 1:
        at = reader.cell_at(table, rows[0], "value")
        reader.fail(
            error("authoring_weights_fractions", at, total=plain(sum(points, Decimal(0)))), (*path, "value")
        )
    shared = {
        key: reader.shared(table, rows, key, (*path, key), "required" if key != "note" else "omit")
        for key in ("confirmed", "source", "note")
    }
    return {"value": values, **{key: value for key, value in shared.items() if value is not MISSING}}


def _per_tool(table: Table, rows: Sequence[Row], reader: Reader) -> dict[str, Any]:
    path: SpecPath = ("rules", "aggregation", "indicator_from_items")
    if rows:
        reader.places[path] = reader.cell_at(table, rows[0])
    found: dict[str, Any] = {}
    for row in rows:
        tool = tool_code(reader.read(table, row, "tool", (*path, f"row {row.number}"), empty="required"))
        if not isinstance(tool, str) or not tool:
            continue
        if tool in found:
            reader.problems.append(
                error("authoring_row_twice", reader.cell_at(table, row, "tool"), value=tool)
            )
            continue
        found[tool] = _rule(table, row, (*path, tool), reader, ("method",))
    return found


def _tools(table: Table, reader: Reader) -> list[dict[str, Any]]:
    tools: list[dict[str, Any]] = []
    parts: list[Row] = []
    for row in table.rows:
        if "part" in row.cells:
            parts.append(row)
            continue
        path: SpecPath = ("tools", len(tools))
        tool = {
            "code": tool_code(reader.read(table, row, "tool", (*path, "code"))),
            **reader.fields(table, row, path, ("name_th", "name_en", "source")),
            "parts": [],
        }
        reader.places[path] = reader.cell_at(table, row)
        if any(other["code"] == tool["code"] for other in tools):
            reader.problems.append(
                error("authoring_row_twice", reader.cell_at(table, row, "tool"), value=tool["code"])
            )
            continue
        tools.append(tool)
    codes = [tool["code"] for tool in tools]
    for row in parts:
        owner = tool_code(row.cells.get("tool"))
        if owner not in codes:
            at = reader.cell_at(table, row, "tool")
            reader.problems.append(
                error("authoring_part_tool", at, part=cell_text(row.cells["part"]), tool=shown_value(owner))
            )
            continue
        index = codes.index(owner)
        path = ("tools", index, "parts", len(tools[index]["parts"]))
        part = {"code": reader.read(table, row, "part", (*path, "code"))}
        part.update(
            reader.fields(table, row, path, ("name_th", "name_en", "source"), name_th="blank", name_en="omit")
        )
        tools[index]["parts"].append(part)
    return tools


def _elements(table: Table, reader: Reader, path: SpecPath) -> list[dict[str, Any]]:
    """One element per row, with every column the layout reads back (indicators, items ...)."""
    found: list[dict[str, Any]] = []
    for row in table.rows:
        element = reader.fields(table, row, (*path, len(found)), _keys(table.layout))
        for key in ("tool",):
            if key in element:
                element[key] = tool_code(element[key])
        for key in ("code", "item"):
            if key in element:
                element[key] = item_code(element[key])
        found.append(element)
    return found


def _scoring(tables: Mapping[str, Table], reader: Reader) -> dict[str, Any]:
    found: dict[str, Any] = {}
    rules = tables.get("scoring")
    if rules is not None:
        reader.places[("scoring",)] = reader.sheet_at(rules)
        rows = _rule_rows(rules, reader, "scoring")
        for rule in ("item_from_answers", "item_from_sub_items", "reverse", "oit"):
            first = ("pass_value", "fail_value") if rule == "oit" else ()
            value = _rule(rules, _single(rows, rule, rules, reader), ("scoring", rule), reader, first)
            if value is not MISSING:
                found[rule] = value
    if "scales" in tables:
        found["scales"] = _scales(tables["scales"], reader)
    for key in ("questions", "minimum_sample"):
        if key in tables:
            reader.places[("scoring", key)] = reader.sheet_at(tables[key])
            found[key] = _elements(tables[key], reader, ("scoring", key))
    return found


def _scales(table: Table, reader: Reader) -> list[dict[str, Any]]:
    """One scale per name, its answers in row order; confirmed, source and note on its first row."""
    reader.places[("scoring", "scales")] = reader.sheet_at(table)
    groups: dict[str, list[Row]] = {}
    for row in table.rows:
        name = reader.read(table, row, "scale", ("scoring", "scales", f"row {row.number}"))
        if isinstance(name, str) and name:
            groups.setdefault(name, []).append(row)
    scales: list[dict[str, Any]] = []
    for index, (name, rows) in enumerate(groups.items()):
        path: SpecPath = ("scoring", "scales", index)
        reader.places[path] = reader.cell_at(table, rows[0])
        reader.places[(*path, "name")] = reader.cell_at(table, rows[0], "scale")
        scale: dict[str, Any] = {"name": name}
        for key in ("confirmed", "source", "note"):
            value = reader.shared(table, rows, key, (*path, key), "omit" if key == "note" else "required")
            if value is not MISSING:
                scale[key] = value
        scale["answers"] = [
            reader.fields(table, row, (*path, "answers", j), ("value", "words", "codes"))
            for j, row in enumerate(rows)
        ]
        scales.append(scale)
    return scales


# --------------------------------------------------------------------------------------------------
# The whole workbook
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """A workbook read and checked: the definition as the YAML file will hold it, and its spec."""

    definition: dict[str, Any]
    spec: FrameworkSpec


def read_workbook(data: bytes, location: Location, others: Mapping[int, Framework] | None = None) -> Imported:
    """The definition a framework workbook holds, checked; InputError with every problem, each on
    its sheet, row and column. ``others`` are the years a ``same_as`` may name (default: the
    frameworks in use)."""
    reader = Reader(location)
    found = known_sheets(read_sheets(data, location), reader)
    tables = {key: read_table(LAYOUTS[key], sheet, reader) for key, sheet in found.items()}
    for key, table in tables.items():
        for path in SECTIONS[key]:
            reader.places.setdefault(path, reader.sheet_at(table))
    definition: dict[str, Any] = {}
    if "year" in tables:
        definition.update(_year(tables["year"], reader))
    if "sources" in tables:
        definition["sources"] = _sources(tables["sources"], reader)
    if "rules" in tables:
        definition["rules"] = _rules(tables["rules"], tables.get("levels"), reader)
    if "tools" in tables:
        reader.places[("tools",)] = reader.sheet_at(tables["tools"])
        definition["tools"] = _tools(tables["tools"], reader)
    for key in ("indicators", "sub_indicators", "items"):
        if key in tables:
            reader.places[(key,)] = reader.sheet_at(tables[key])
            definition[key] = _elements(tables[key], reader, (key,))
    if any(LAYOUTS[key].scoring for key in tables):
        definition["scoring"] = _scoring(tables, reader)
    spec, problems = check_definition(definition)
    reader.problems += [p.located(reader.place(p.path)) for p in problems if _trusted(p, reader)]
    if spec is not None and not reader.problems:
        reader.problems += _same_as_problems(spec, reader, others)
    if spec is None or reader.problems:
        raise InputError(reader.problems)
    return Imported(definition, spec)


def _trusted(problem: SpecProblem, reader: Reader) -> bool:
    """Whether a problem of the definition stands although values were dropped for cell problems:
    not at (or inside, or around) a dropped value, nor a check of a whole part that lost a value."""
    broken = reader.broken
    path = problem.path
    if problem.problem.code in _MISSED and any(path[: len(part)] == part for part in reader.unread):
        return False  # the row that could not be placed may be the one said to be missing
    for dropped in broken:
        if path[: len(dropped)] == dropped or (path and dropped[: len(path)] == path):
            return False
        row = _row_path(dropped)
        if row and path[: len(row)] == row:  # another value of the same row may rest on the dropped one
            return False
    needs = _DEPENDS.get(problem.problem.code)
    if needs is None:
        return True
    if not needs:
        return not broken
    return not any(dropped[: len(part)] == part for dropped in broken for part in needs)


def _row_path(path: SpecPath) -> SpecPath:
    """The path of the element (row) a value belongs to: up to its last index; () if none."""
    indexes = [i for i, part in enumerate(path) if isinstance(part, int)]
    return path[: indexes[-1] + 1] if indexes else ()


def _same_as_problems(
    spec: FrameworkSpec, reader: Reader, others: Mapping[int, Framework] | None
) -> list[Problem]:
    """Every ``same_as`` names an item of a framework in use."""
    frameworks = load_frameworks() if others is None else others

    def has_item(year: int, code: str) -> bool:
        return year in frameworks and code in frameworks[year].items_by_code

    items = [(item.code, item.same_as) for item in spec.items]
    return [
        with_location(problem, reader.place(("items", index, "same_as")))
        for index, problem in same_as_unknown(items, has_item)
    ]


def import_framework(workbook: Path, folder: Path) -> tuple[Path, FrameworkSpec]:
    """Read ``workbook`` and write ``folder/ita-YEAR.yaml``; nothing is written if it has a problem.

    A ``same_as`` may name a year in use or one whose file is already in ``folder``."""
    location = where(workbook)
    others = dict(load_frameworks())
    for path in sorted(folder.glob("ita-*.yaml")) if folder.is_dir() else []:
        try:
            framework = read_framework_file(path)
        except InputError:
            continue  # a wrong file there is reported when the folder is used
        others.setdefault(framework.ita_year, framework)
    imported = read_workbook(read_input(workbook, location), location, others)
    target = folder / f"ita-{imported.spec.ita_year}.yaml"
    write_atomically(target, definition_yaml(imported.definition, workbook.name))
    return target, imported.spec
