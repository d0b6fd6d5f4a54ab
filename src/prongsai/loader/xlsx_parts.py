"""The parts of an XLSX workbook that must be known before its sheets are read.

Which member holds each sheet (``xl/workbook.xml`` and its relationships, as calamine finds them),
and which cell styles show numbers as percentages (``xl/styles.xml``): calamine gives a cell's
number but not its format, and a results sheet formatted as percentages holds 0.92 where the page
shows 92%. Every part is inflated under a cap and parsed without entities or DTDs.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from prongsai.loader.archive import damaged, local_name, parse_part, read_member
from prongsai.loader.limits import Limits
from prongsai.problems import Location

WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
BUILTIN_PERCENT = frozenset({9, 10})  # "0%" and "0.00%": built into Excel, never written in styles.xml
# Parts of a format code that show text rather than format a number: "quoted", \escaped, [colour].
_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


@dataclass(frozen=True)
class WorkbookParts:
    sheets: tuple[tuple[str, zipfile.ZipInfo], ...]  # each worksheet's name and member, in order
    percent_styles: frozenset[int]  # indexes into cellXfs whose number format shows a percentage


def workbook_parts(
    data: bytes, archive: zipfile.ZipFile, location: Location, limits: Limits
) -> WorkbookParts:
    members = {info.filename: info for info in archive.infolist()}
    if WORKBOOK not in members:
        raise damaged(location, "xlsx", f"no {WORKBOOK}")
    workbook = _part(data, members[WORKBOOK], location, limits)
    targets = _relationships(data, members.get(WORKBOOK_RELS), location, limits)
    sheets: list[tuple[str, zipfile.ZipInfo]] = []
    for element in workbook.iter():
        if local_name(element.tag) != "sheet":
            continue
        name = element.get("name") or ""
        kind_target = targets.get(_relationship_id(element) or "")
        if kind_target is None:
            raise damaged(location.with_(sheet=name), "xlsx", f"sheet {name!r} has no part")
        kind, target = kind_target
        if kind != "worksheet":  # chart and dialog sheets hold no cells
            continue
        if target not in members:
            raise damaged(location.with_(sheet=name), "xlsx", f"missing part {target}")
        sheets.append((name, members[target]))
    styles = next((target for kind, target in targets.values() if kind == "styles"), None)
    percent: frozenset[int] = frozenset()
    if styles is not None and styles in members:
        percent = percent_styles(_part(data, members[styles], location, limits))
    return WorkbookParts(tuple(sheets), percent)


def percent_styles(styles: Any) -> frozenset[int]:
    """The cellXfs indexes whose number format is a percentage (builtin 9, 10 or a custom code
    with '%' outside its quoted text)."""
    codes: dict[int, str] = {}
    xfs: list[int] = []
    for element in styles.iter():
        name = local_name(element.tag)
        if name == "numFmt":
            number = _int(element.get("numFmtId"))
            if number is not None:
                codes[number] = element.get("formatCode") or ""
        elif name == "cellXfs":
            xfs = [_int(xf.get("numFmtId")) or 0 for xf in element if local_name(xf.tag) == "xf"]
    return frozenset(index for index, number in enumerate(xfs) if _is_percent(number, codes))


def _is_percent(number: int, codes: Mapping[int, str]) -> bool:
    if number in codes:
        return "%" in _LITERAL.sub("", codes[number])
    return number in BUILTIN_PERCENT


def _part(data: bytes, info: zipfile.ZipInfo, location: Location, limits: Limits) -> Any:
    where = location.with_(field=info.filename)
    return parse_part(read_member(data, info, location, limits, kind="xlsx"), where, kind="xlsx")


def _relationships(
    data: bytes, info: zipfile.ZipInfo | None, location: Location, limits: Limits
) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type's last word, member name), targets resolved from ``xl/``."""
    if info is None:
        return {}
    found: dict[str, tuple[str, str]] = {}
    for element in _part(data, info, location, limits).iter():
        if local_name(element.tag) != "Relationship":
            continue
        target = element.get("Target") or ""
        if element.get("TargetMode") == "External":
            continue
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        found[element.get("Id") or ""] = ((element.get("Type") or "").rsplit("/", 1)[-1], member)
    return found


def _relationship_id(element: Any) -> str | None:
    for key, value in element.attrib.items():
        if key.startswith("{") and key.endswith("}id"):
            return str(value)
    return None


def _int(text: str | None) -> int | None:
    return int(text) if text is not None and text.isdigit() and len(text) < 10 else None
