"""YAML read into located values, with YAML 1.2 meanings and limits on nesting and aliases.

PyYAML's own loading has four faults for files strangers write: it reads YAML 1.1 (``070`` is 56,
``1:30`` is 90, ``yes`` is true, ``2568-12-15`` is a date), it recurses (deep nesting ends in
RecursionError), it expands aliases without bound when the tree is walked ("billion laughs"), and
a self-referencing anchor makes a cyclic tree. Here PyYAML only scans and parses; the tree is built
from its event stream without recursion: plain scalars get YAML 1.2 core meanings (null, true/false,
decimal integers and decimal floats with a point; everything else is text, for the readers to judge), nesting
is limited, every value an alias repeats counts against a limit, an alias to its own enclosing
collection is refused, and duplicate keys are reported with both lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import yaml
from yaml import events

from prongsai.errors import InputError
from prongsai.loader.limits import LIMITS, Limits, check_time, over_limit
from prongsai.loader.text import value_problem
from prongsai.loader.tree import Located
from prongsai.problems import Location, Problem, error, label

_NULL = re.compile(r"~|null|Null|NULL|")
_TRUE = re.compile(r"true|True|TRUE")
_FALSE = re.compile(r"false|False|FALSE")
# Numbers: YAML 1.2 meanings, but only forms YAML 1.1 also reads as numbers, so that whatever PyYAML
# (a 1.1 writer) leaves unquoted as text, such as the hash '35031095e5' or '0912', is text here too.
# Other number forms stay text; the readers of scores and years read them (loader.numbers).
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?[0-9]+\.[0-9]*([eE][-+][0-9]+)?|\.[0-9]+([eE][-+][0-9]+)?")
_INT_DIGITS = 4_000  # Python refuses to convert longer digit strings to int
_TAG = "tag:yaml.org,2002:"
# libyaml's parser when PyYAML was built with it (about ten times faster), else PyYAML's own; both
# only scan and parse here, and both report the same marks.
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CHECK_EVERY = 4_096  # events between two looks at the clock

# PyYAML's English descriptions of common mistakes -> a label with the explanation in Thai and English
# (libyaml and PyYAML word some of them differently; the phrases below match both).
_EXPLAINED = (
    ("invalid Unicode character escape", "yaml_bad_escape"),
    ("unknown escape character", "yaml_bad_escape"),
    ("quoted scalar", "yaml_unclosed_quote"),
    ("mapping values are not allowed", "yaml_colon_here"),
    ("could not find expected ':'", "yaml_missing_colon"),
    ("cannot start any token", "yaml_bad_start"),
    ("expected <block end>", "yaml_indentation"),
    ("did not find expected key", "yaml_indentation"),
    ("did not find expected '-' indicator", "yaml_indentation"),
    ("expected ',' or ']'", "yaml_flow_unclosed"),
    ("expected ',' or '}'", "yaml_flow_unclosed"),
    ("found duplicate anchor", "yaml_duplicate_anchor"),
)


@dataclass
class _Frame:
    """A collection being built: its items, and for a mapping the key waiting for its value."""

    line: int
    anchor: str | None
    items: list[Located] | dict[str, Located]
    size: int = 1
    key: str | None = None
    key_line: int = 0
    first_lines: dict[str, int] = field(default_factory=dict)
    merged: list[Located] = field(default_factory=list)


class _Builder:
    def __init__(self, location: Location, limits: Limits) -> None:
        self.location = location
        self.limits = limits
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Located, int]] = {}
        self.documents: list[Located] = []
        self.nodes = 0
        self.alias_nodes = 0

    def at(self, line: int) -> Location:
        return self.location.with_(line=line)

    # -- events ---------------------------------------------------------------------------------

    def scalar(self, event: events.ScalarEvent) -> None:
        line = _line(event)
        value = self._resolve(event, line)
        if isinstance(value, str):
            problem = value_problem(value, self.at(line), self.limits)
            if problem is not None:
                self.problems.append(problem)
        self._count(1, line)
        self._add(Located(value, line), 1, event.anchor)

    def alias(self, event: events.AliasEvent) -> None:
        line = _line(event)
        name = event.anchor or ""
        if any(frame.anchor == name for frame in self.stack):
            raise InputError([error("yaml_recursive_alias", self.at(line), anchor=name)])
        if name not in self.anchors:
            raise InputError([error("yaml_undefined_alias", self.at(line), anchor=name)])
        node, size = self.anchors[name]
        self.alias_nodes += size
        if self.alias_nodes > self.limits.alias_nodes:
            raise over_limit("alias_nodes", self.at(line), self.limits.alias_nodes, self.alias_nodes)
        self._count(size, line)
        self._add(node, size, None)

    def start(self, event: events.CollectionStartEvent, items: list[Located] | dict[str, Located]) -> None:
        line = _line(event)
        if event.tag not in (None, "!", _TAG + ("map" if isinstance(items, dict) else "seq")):
            raise InputError([error("yaml_tag", self.at(line), tag=_shown_tag(event.tag))])
        if len(self.stack) >= self.limits.depth:
            raise over_limit("depth", self.at(line), self.limits.depth)
        self._count(1, line)
        self.stack.append(_Frame(line, event.anchor, items))

    def end(self) -> None:
        frame = self.stack.pop()
        if isinstance(frame.items, dict):
            self._merge(frame)
        self._add(Located(frame.items, frame.line), frame.size, frame.anchor)

    # -- building -------------------------------------------------------------------------------

    def _count(self, size: int, line: int) -> None:
        self.nodes += size
        if self.nodes > self.limits.nodes:
            raise over_limit("nodes", self.at(line), self.limits.nodes, self.nodes)

    def _add(self, node: Located, size: int, anchor: str | None) -> None:
        if anchor is not None:
            self.anchors[anchor] = (node, size)
        if not self.stack:
            self.documents.append(node)
            return
        frame = self.stack[-1]
        frame.size += size
        if isinstance(frame.items, list):
            frame.items.append(node)
            return
        if frame.key is None:
            self._take_key(frame, node)
            return
        key, key_line, frame.key = frame.key, frame.key_line, None
        if key == "<<":
            self._take_merge(frame, node, key_line)
            return
        frame.items[key] = Located(node.value, node.line, key_line)

    def _take_key(self, frame: _Frame, node: Located) -> None:
        if isinstance(node.value, list | dict):
            self.problems.append(error("yaml_key_not_text", self.at(node.line)))
            frame.key, frame.key_line = "\0skipped", node.line
            return
        key = "" if node.value is None else str(node.value)
        assert isinstance(frame.items, dict)
        if key in frame.first_lines:
            self.problems.append(
                error("duplicate_key", self.at(node.line), key=key, first_line=frame.first_lines[key])
            )
            key = f"\0duplicate {node.line}"
        elif key != "<<":
            frame.first_lines[key] = node.line
        frame.key, frame.key_line = key, node.line

    def _take_merge(self, frame: _Frame, node: Located, line: int) -> None:
        """``<<: *defaults`` or ``<<: [*a, *b]``: keys the mapping does not set itself come from there."""
        sources = node.value if isinstance(node.value, list) else [node]
        for source in sources:
            if not isinstance(source.value, dict):
                self.problems.append(error("yaml_merge_not_mapping", self.at(line)))
                return
        frame.merged.extend(sources)

    def _merge(self, frame: _Frame) -> None:
        assert isinstance(frame.items, dict)
        for key in [k for k in frame.items if k.startswith("\0")]:
            del frame.items[key]
        for source in frame.merged:
            assert isinstance(source.value, dict)
            for key, value in source.value.items():
                frame.items.setdefault(key, value)

    def _resolve(self, event: events.ScalarEvent, line: int) -> str | int | float | Decimal | bool | None:
        """A plain scalar by the core schema; quoted text, '!' and '!!str' as text; other standard
        tags only when the value fits them; any other tag is refused (no objects from files)."""
        text, tag = event.value, event.tag
        if tag is None:
            return _plain_scalar(text) if event.implicit[0] else text
        if tag in ("!", _TAG + "str"):
            return text
        kind = tag.removeprefix(_TAG)
        if kind not in ("null", "bool", "int", "float"):
            raise InputError([error("yaml_tag", self.at(line), tag=_shown_tag(tag))])
        value = _plain_scalar(text)
        fits = {
            "null": value is None,
            "bool": isinstance(value, bool),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "float": isinstance(value, int | float | Decimal) and not isinstance(value, bool),
        }[kind]
        if not fits:
            raise InputError([error("yaml_tag_value", self.at(line), tag=_shown_tag(tag), value=text[:40])])
        return float(value) if kind == "float" and isinstance(value, int) else value


def _line(event: events.Event) -> int:
    mark = event.start_mark
    return mark.line + 1 if mark is not None else 0


def _shown_tag(tag: str | None) -> str:
    """'tag:yaml.org,2002:python/object' as it was written: '!!python/object'."""
    text = tag or ""
    return "!!" + text.removeprefix(_TAG) if text.startswith(_TAG) else text


def _plain_scalar(text: str) -> str | int | float | Decimal | bool | None:
    """YAML 1.2 core schema: null, booleans, decimal integers and floats; the rest is text."""
    if _NULL.fullmatch(text):
        return None
    if _TRUE.fullmatch(text):
        return True
    if _FALSE.fullmatch(text):
        return False
    if _INT.fullmatch(text):
        return int(text) if len(text) <= _INT_DIGITS else Decimal(text)
    if _FLOAT.fullmatch(text):
        number = float(text)
        return number if abs(number) != float("inf") else Decimal(text)
    return text


def load_yaml(text: str, location: Location, limits: Limits = LIMITS) -> tuple[list[Located], list[Problem]]:
    """Every document of a YAML stream, located; problems include syntax errors and duplicate keys.

    Over a limit, an alias to nowhere or to its own collection, or a tag other than YAML's
    standard ones raises InputError at once."""
    builder = _Builder(location, limits)
    try:
        parser = _Parser(text)  # PyYAML's own reader checks every character here
    except yaml.reader.ReaderError:
        return [], [_reader_problem(text, location)]
    count = 0
    try:
        while True:
            event = parser.get_event()
            count += 1
            if count % _CHECK_EVERY == 0:
                check_time()
            if isinstance(event, events.ScalarEvent):
                builder.scalar(event)
            elif isinstance(event, events.AliasEvent):
                builder.alias(event)
            elif isinstance(event, events.SequenceStartEvent):
                builder.start(event, [])
            elif isinstance(event, events.MappingStartEvent):
                builder.start(event, {})
            elif isinstance(event, events.SequenceEndEvent | events.MappingEndEvent):
                builder.end()
            elif isinstance(event, events.StreamEndEvent):
                break
    except yaml.reader.ReaderError:
        return [], [*builder.problems, _reader_problem(text, location)]
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):  # libyaml's own guard, deeper than ours: the same limit
            line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
            raise over_limit("depth", location.with_(line=line), limits.depth) from None
        return [], [*builder.problems, _syntax_problem(exc, location)]
    except yaml.YAMLError as exc:
        return [], [*builder.problems, error("yaml_syntax", location, detail=str(exc))]
    finally:
        parser.dispose()
    return builder.documents, builder.problems


def _reader_problem(text: str, location: Location) -> Problem:
    """The first character YAML refuses (libyaml reports a byte offset, PyYAML a character one:
    the character is found again here)."""
    found = yaml.reader.Reader.NON_PRINTABLE.search(text)
    position = found.start() if found else 0
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    codepoint = f"U+{ord(found.group()):04X}" if found else "?"
    return error("text_bad_character", location.with_(line=line), position=column, codepoint=codepoint)


def _syntax_problem(exc: yaml.MarkedYAMLError, location: Location) -> Problem:
    """The line a person must look at: where a quote, a key or a '[' / '{' started for the errors
    of an unclosed thing (the end of the file may be where it was noticed), where the unexpected
    token is for the parser's other errors (their context is a whole block, often line 1)."""
    described = " ".join(part for part in (exc.context, exc.problem) if part)
    explanation = next((name for phrase, name in _EXPLAINED if phrase in described), None)
    opened_there = isinstance(exc, yaml.scanner.ScannerError) or "flow" in str(exc.context)
    start = exc.context_mark if opened_there else None
    mark = start or exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    noticed = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
    if explanation is None:
        return error("yaml_syntax", location.with_(line=line), detail=exc.problem or described)
    also_th = label("yaml_noticed_at", "th", line=noticed) if noticed not in (None, line) else ""
    also_en = label("yaml_noticed_at", "en", line=noticed) if noticed not in (None, line) else ""
    return error(
        "yaml_syntax_explained",
        location.with_(line=line),
        explanation_th=label(explanation, "th"),
        explanation_en=label(explanation, "en"),
        noticed_th=also_th,
        noticed_en=also_en,
    )
