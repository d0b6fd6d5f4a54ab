"""The files people edit as YAML (plan files, progress files) are checked against a strict pydantic
schema: this turns each schema error into a located problem, in Thai and English, at the line of
the key it is about. One mechanism for every such file; each file names its own codes for a value
outside its choices and for anything else the schema refuses."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pydantic_core import ErrorDetails

from prongsai.ingest.located import Located
from prongsai.problems import Location, Problem, error, label, suggestion_params

KeyPath = tuple[str | int, ...]

_EXPECTED = {
    "int_type": "a_whole_number",
    "int_parsing": "a_whole_number",
    "int_from_float": "a_whole_number",
    "string_type": "a_text",
    "list_type": "a_list",
    "tuple_type": "a_list",
    "bool_type": "a_yes_no",
    "bool_parsing": "a_yes_no",
    "float_type": "a_number",
    "float_parsing": "a_number",
}
_MAPPINGS = ("dict_type", "model_type", "model_attributes_type")


def line_of(tree: Located, path: KeyPath) -> int:
    """The line of the key ``path`` names, or of the nearest key above it that exists."""
    node, line = tree, tree.line
    for part in path:
        value = node.value
        if isinstance(value, dict) and str(part) in value:
            node = value[str(part)]
            line = node.key_line or node.line
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            node = value[part]
            line = node.line
        else:
            break
    return line


def dotted(path: KeyPath) -> str:
    return ".".join(str(p) for p in path)


@dataclass(frozen=True)
class SchemaWords:
    """What one kind of file calls its problems: the code of a value outside its choices, the code
    of any other refusal, the keys allowed at a path (for close-match suggestions of an unknown
    key) and the choices of each key that has them."""

    not_allowed: str
    invalid: str
    fields_at: Callable[[KeyPath], list[str]]
    choices: Mapping[str, tuple[object, ...]]


def schema_problem(e: ErrorDetails, tree: Located, location: Location, words: SchemaWords) -> Problem:
    """One schema error in Thai and English, at the line of the key it is about."""
    path = tuple(p for p in e["loc"] if p != "[key]")
    field = dotted(path)
    here = location.with_(line=line_of(tree, path), field=field)
    kind = e["type"]
    if kind == "missing":
        return error("missing_field", here, field=field)
    if kind == "extra_forbidden":
        close = suggestion_params(str(path[-1]), words.fields_at(path[:-1]))
        return error("unknown_field", here, field=field, **close)
    if kind == "literal_error":
        choices = ", ".join(str(c) for c in words.choices.get(str(path[-1]), ()))
        return error(words.not_allowed, here, field=field, value=e["input"], choices=choices)
    if kind in _EXPECTED:
        name = _EXPECTED[kind]
        return error(
            "wrong_type", here, field=field, expected_th=label(name, "th"), expected_en=label(name, "en")
        )
    if kind in _MAPPINGS:
        return error("not_a_mapping", here, field=field)
    return error(words.invalid, here, detail=e["msg"])
