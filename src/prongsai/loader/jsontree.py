"""JSON read into located values, exactly as JSON defines it, with limits on nesting and size.

Python's :mod:`json` forgets line numbers and recurses; reading JSON as YAML (as prongsai once did)
gives JSON numbers YAML's meanings (``9.067e1`` became text) and decodes ``\\ud83d\\ude00`` escapes
into two lone surrogates instead of one emoji. This reader walks the text once without recursion:
strings are decoded by :mod:`json`'s own scanner (escapes and surrogate pairs as JSON means them),
numbers keep JSON's grammar (an integer is an int, anything with a fraction or an exponent a float,
or a Decimal when a float cannot hold it), duplicate keys are reported with both lines, and a
string holding a lone surrogate or a control character is a located problem.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from json.decoder import scanstring  # type: ignore[attr-defined]

from prongsai.loader.limits import LIMITS, Limits, check_time, over_limit
from prongsai.loader.text import value_problem
from prongsai.loader.tree import Located
from prongsai.problems import Location, Problem, error, label

_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS = {"true": True, "false": False, "null": None}
_INT_DIGITS = 4_000
_CHECK_EVERY = 4_096


class _Syntax(Exception):
    def __init__(self, position: int, what: str) -> None:
        self.position = position
        self.what = what


@dataclass
class _Frame:
    line: int
    items: list[Located] | dict[str, Located]
    key: str = ""
    key_line: int = 0
    first_lines: dict[str, int] = field(default_factory=dict)

    @property
    def closer(self) -> str:
        return "]" if isinstance(self.items, list) else "}"


class _Reader:
    def __init__(self, text: str, location: Location, limits: Limits) -> None:
        self.text = text
        self.location = location
        self.limits = limits
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.problems: list[Problem] = []
        self.nodes = 0

    def line(self, position: int) -> int:
        return bisect.bisect_right(self.newlines, position - 1) + 1

    def column(self, position: int) -> int:
        index = bisect.bisect_right(self.newlines, position - 1)
        start = self.newlines[index - 1] + 1 if index else 0
        return position - start + 1

    def skip(self, position: int) -> int:
        return _SPACE.match(self.text, position).end()  # type: ignore[union-attr]

    def read(self) -> Located:
        """The whole document: values are read one after another; a collection's frame waits on the
        stack for its items, so nesting costs no recursion."""
        text = self.text
        stack: list[_Frame] = []
        position = self.skip(0)
        steps = 0
        while True:
            steps += 1
            if steps % _CHECK_EVERY == 0:
                check_time()
            line = self.line(position)
            opener = text[position : position + 1]
            if opener in ("{", "["):
                if len(stack) >= self.limits.depth:
                    raise over_limit("depth", self.location.with_(line=line), self.limits.depth)
                self._count(line)
                frame = _Frame(line, {} if opener == "{" else [])
                position = self.skip(position + 1)
                if not text.startswith(frame.closer, position):
                    stack.append(frame)
                    if isinstance(frame.items, dict):
                        position = self._key(frame, position)
                    continue  # read the first item
                node, position = Located(frame.items, line), self.skip(position + 1)
            else:
                node, position = self._scalar(position, line)
            while stack:  # put the value in its collection; close every collection that ends here
                frame = stack[-1]
                if isinstance(frame.items, list):
                    frame.items.append(node)
                else:
                    frame.items[frame.key] = Located(node.value, node.line, frame.key_line)
                position = self.skip(position)
                if text.startswith(",", position):
                    position = self.skip(position + 1)
                    if isinstance(frame.items, dict):
                        position = self._key(frame, position)
                    break
                if not text.startswith(frame.closer, position):
                    raise _Syntax(position, "comma")
                stack.pop()
                if isinstance(frame.items, dict):
                    for key in [k for k in frame.items if k.startswith("\0")]:
                        del frame.items[key]
                node, position = Located(frame.items, frame.line), self.skip(position + 1)
            else:
                if position != len(text):
                    raise _Syntax(position, "end")
                return node

    def _count(self, line: int) -> None:
        self.nodes += 1
        if self.nodes > self.limits.nodes:
            raise over_limit("nodes", self.location.with_(line=line), self.limits.nodes, self.nodes)

    def _scalar(self, position: int, line: int) -> tuple[Located, int]:
        text = self.text
        self._count(line)
        if text.startswith('"', position):
            value, position = self._string(position)
            return Located(value, line), position
        number = _NUMBER.match(text, position)
        if number is not None:
            fractional = number.group(1) or number.group(2)
            return Located(_number(number.group(), fractional), line), number.end()
        for word, literal in _LITERALS.items():
            if text.startswith(word, position):
                return Located(literal, line), position + len(word)
        raise _Syntax(position, "value")

    def _string(self, position: int) -> tuple[str, int]:
        try:
            value, end = scanstring(self.text, position + 1, True)
        except json.JSONDecodeError as exc:
            raise _Syntax(exc.pos, "string") from None
        if len(value) > self.limits.value_chars or not value.isprintable():
            problem = value_problem(value, self.location.with_(line=self.line(position)), self.limits)
            if problem is not None:
                self.problems.append(problem)
        return str(value), int(end)

    def _key(self, frame: _Frame, position: int) -> int:
        """An object's next key and its colon; returns where its value starts."""
        if not self.text.startswith('"', position):
            raise _Syntax(position, "key")
        line = self.line(position)
        key, position = self._string(position)
        position = self.skip(position)
        if not self.text.startswith(":", position):
            raise _Syntax(position, "colon")
        if key in frame.first_lines:
            where = self.location.with_(line=line)
            self.problems.append(error("duplicate_key", where, key=key, first_line=frame.first_lines[key]))
            key = f"\0duplicate {line}"
        else:
            frame.first_lines[key] = line
        frame.key, frame.key_line = key, line
        return self.skip(position + 1)


def _number(lexeme: str, fractional: str | None) -> int | float | Decimal:
    if not fractional and "e" not in lexeme.lower():
        return int(lexeme) if len(lexeme) <= _INT_DIGITS else Decimal(lexeme)
    number = float(lexeme)
    return number if abs(number) != float("inf") else Decimal(lexeme)


def load_json(text: str, location: Location, limits: Limits = LIMITS) -> tuple[list[Located], list[Problem]]:
    """The value of a JSON file, located (a list of one document, like the YAML reader)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = _Reader(text, location, limits)
    if not text.strip():
        return [], []
    try:
        root = reader.read()
    except _Syntax as exc:
        where = location.with_(line=reader.line(exc.position))
        column = reader.column(exc.position)
        found = text[exc.position : exc.position + 12].split("\n")[0]
        before = text[: exc.position].rstrip(" \t\r\n")
        what = "trailing_comma" if before.endswith(",") and found[:1] in ("]", "}") else exc.what
        return [], [
            *reader.problems,
            error(
                "json_syntax_at",
                where,
                column=column,
                expected_th=label(f"json_expected_{what}", "th"),
                expected_en=label(f"json_expected_{what}", "en"),
                found_th=f"'{found}'" if found else label("json_end_of_file", "th"),
                found_en=f"'{found}'" if found else label("json_end_of_file", "en"),
            ),
        ]
    return [root], reader.problems
