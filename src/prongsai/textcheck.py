"""Texts people type into the files they edit (plan, settings, units) must fit into a document.

A text reaches DOCX, PDF and HTML as it is. The hardened loader already refuses characters no
document can hold (:func:`prongsai.loader.text.value_problem`); here each field also gets a maximum
length of its own, named in the message, one-line fields (names) refuse line breaks, and required
texts refuse being blank. Drafts are checked the same way (an agency name comes from a results
file), so that a plan the program writes always reads back.
"""

from __future__ import annotations

from typing import Literal

from prongsai.loader.limits import LIMITS, Limits
from prongsai.loader.text import max_length_problem, value_problem
from prongsai.problems import Location, Problem, error

TextKind = Literal["name", "text"]

_LINE_BREAKS = "\n\r\u2028\u2029"


def text_problems(
    value: str | None,
    where: Location,
    kind: TextKind,
    *,
    required: bool = False,
    limits: Limits = LIMITS,
) -> list[Problem]:
    """Problems of one text field: blank when required, longer than its kind allows, a character no
    document can hold, a line break inside a name (a text may have several lines)."""
    field = where.field or ""
    if value is None or not value.strip():
        return [error("text_blank", where, field=field)] if required else []
    limit = limits.name_chars if kind == "name" else limits.text_chars
    found = [
        p
        for p in (max_length_problem(value, where, limit, f"field_{kind}_text"), value_problem(value, where))
        if p is not None
    ]
    if kind == "name":
        stripped = value.strip()
        start = value.index(stripped[0])
        brk = next((i for i, char in enumerate(stripped) if char in _LINE_BREAKS), None)
        if brk is not None:
            found.append(error("text_line_break", where, field=field, position=start + brk + 1))
    return found
