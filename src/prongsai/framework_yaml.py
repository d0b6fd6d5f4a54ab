"""A framework definition written as a year's YAML file (``prongsai framework import``), as the
bundled files are written: their key order, Thai as it is, no field that only repeats its default,
answers and questions one per line. The text is read back before it is returned and must give the
same framework.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel

from prongsai.framework_schema import FrameworkSpec, check_definition, definition_of
from prongsai.loader.yamltree import load_yaml
from prongsai.problems import Location, visible


class _Flow(dict[str, Any]):
    """A mapping written on one line, as the bundled files write answers and questions."""


class _Dumper(yaml.SafeDumper):
    pass


def _flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)


_Dumper.add_representer(_Flow, _flow)


def definition_yaml(definition: Mapping[str, Any], origin: str) -> str:
    """The year's file as the bundled ones are written: their key order, Thai as it is, and no field
    that only repeats its default. It is read back here and must give the same framework."""
    data = _compact(definition, FrameworkSpec)
    for scale in data.get("scoring", {}).get("scales", []):
        scale["answers"] = [_Flow(answer) for answer in scale["answers"]]
    if "scoring" in data and "questions" in data["scoring"]:
        data["scoring"]["questions"] = [_Flow(question) for question in data["scoring"]["questions"]]
    header = (
        f"# ITA {definition['ita_year']}: written by prongsai framework import from {visible(origin)}.\n"
        "# Edit the workbook (prongsai framework export) and import it again rather than this file.\n"
    )
    text = header + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
    documents, problems = load_yaml(text, Location(file=origin))
    spec, _ = check_definition(documents[0].plain() if documents and not problems else None)
    expected, _ = check_definition(definition)
    if spec is None or expected is None or definition_of(spec) != definition_of(expected):
        raise RuntimeError(f"the YAML written for {origin} does not read back as the same framework")
    return text


def _compact(data: Mapping[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """``data`` without the fields equal to their default, at every level."""
    found: dict[str, Any] = {}
    for key, value in data.items():
        info = model.model_fields.get(key)
        if info is not None and not info.is_required() and value == info.default:
            continue
        found[key] = _shaped(value, info.annotation if info is not None else None)
    return found


def _shaped(value: Any, annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _compact(value, annotation) if isinstance(value, dict) else value
    origin = get_origin(annotation)
    args = [arg for arg in get_args(annotation) if arg is not type(None)]
    if origin is list and isinstance(value, list):
        return [_shaped(item, args[0]) for item in value]
    if origin is dict and isinstance(value, dict):
        return {key: _shaped(item, args[1]) for key, item in value.items()}
    if origin in (Union, types.UnionType) and len(args) == 1:
        return _shaped(value, args[0])
    return value
