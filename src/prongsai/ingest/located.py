"""YAML and JSON read into values that remember their line, with duplicate keys reported.

PyYAML's ``safe_load`` silently keeps the last of two equal keys and forgets line numbers; people
need both ("i1 is scored twice, line 12"). JSON is read through the same composer (JSON is YAML)
after :mod:`json` has checked its syntax, so both formats give the same located tree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from prongsai.errors import InputError
from prongsai.problems import Location, Problem, error

Value: TypeAlias = "str | int | float | bool | list[Located] | dict[str, Located] | None"


@dataclass(frozen=True)
class Located:
    value: Value
    line: int
    key_line: int | None = None

    def plain(self) -> Any:
        """The value with locations stripped (for messages and tests)."""
        if isinstance(self.value, list):
            return [item.plain() for item in self.value]
        if isinstance(self.value, dict):
            return {key: item.plain() for key, item in self.value.items()}
        return self.value


class _Loader(yaml.SafeLoader):
    """SafeLoader without YAML's own dates: '2568-12-15' stays text for prongsai to read (YAML
    would make it a year-2568 date, and fail outright on a wrong month)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _convert(
    node: Node, constructor: SafeConstructor, location: Location, problems: list[Problem]
) -> Located:
    line = node.start_mark.line + 1
    if isinstance(node, MappingNode):
        constructor.flatten_mapping(node)
        result: dict[str, Located] = {}
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_value = constructor.construct_object(key_node) if isinstance(key_node, ScalarNode) else None
            key = "" if key_value is None else str(key_value)
            key_line = key_node.start_mark.line + 1
            if key in result:
                problems.append(
                    error(
                        "duplicate_key", location.with_(line=key_line), key=key, first_line=first_lines[key]
                    )
                )
                continue
            first_lines[key] = key_line
            converted = _convert(value_node, constructor, location, problems)
            result[key] = Located(converted.value, converted.line, key_line)
        return Located(result, line)
    if isinstance(node, SequenceNode):
        return Located([_convert(child, constructor, location, problems) for child in node.value], line)
    assert isinstance(node, ScalarNode)
    return Located(constructor.construct_object(node), line)


def load_yaml_documents(text: str, location: Location) -> tuple[list[Located], list[Problem]]:
    """Every document of a YAML stream, located; syntax errors and duplicate keys as problems."""
    problems: list[Problem] = []
    try:
        loader = _Loader(text)
        try:
            documents: list[Located] = []
            while loader.check_node():
                node = loader.get_node()
                if node is not None:
                    documents.append(_convert(node, loader, location, problems))
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        problems.append(error("yaml_syntax", location.with_(line=line), detail=exc.problem or str(exc)))
        return [], problems
    except yaml.YAMLError as exc:
        problems.append(error("yaml_syntax", location, detail=str(exc)))
        return [], problems
    return documents, problems


def load_json_document(text: str, location: Location) -> tuple[list[Located], list[Problem]]:
    """A JSON file (an object, or a list of objects), located."""
    try:
        json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        return [], [
            error("json_syntax", location.with_(line=exc.lineno), detail=f"{exc.msg}, column {exc.colno}")
        ]
    except ValueError as exc:
        return [], [error("json_syntax", location, detail=str(exc))]
    documents, problems = load_yaml_documents(text.replace("\t", " "), location)
    return documents, problems


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a valid JSON number")


def read_yaml_file(path: Path) -> list[Located]:
    """Every document of a YAML file, located; InputError if it is missing or not valid YAML."""
    location = Location(file=path.name)
    if not path.is_file():
        raise InputError([error("file_not_found", location, path=str(path))])
    documents, problems = load_yaml_documents(path.read_text(encoding="utf-8-sig"), location)
    if problems:
        raise InputError(problems)
    return documents
