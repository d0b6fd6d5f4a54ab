"""YAML and JSON files read into values that remember their line, through the hardened loader.

PyYAML's ``safe_load`` silently keeps the last of two equal keys, forgets line numbers, reads YAML
1.1 numbers and has no limits; :mod:`prongsai.loader.yamltree` and :mod:`prongsai.loader.jsontree`
give both formats the same located tree with every problem reported.
"""

from __future__ import annotations

from pathlib import Path

from prongsai.errors import InputError
from prongsai.loader.limits import time_limit
from prongsai.loader.source import read_input, where
from prongsai.loader.text import decode
from prongsai.loader.tree import Located
from prongsai.loader.yamltree import load_yaml


def read_yaml_file(path: Path) -> list[Located]:
    """Every document of a YAML file, located; InputError if it cannot be read or is not valid YAML.

    An empty file gives no documents, and a file of ``---`` or ``null`` one whose value is None:
    each caller says what it expected."""
    location = where(path)
    with time_limit(location):
        text, problems = decode(read_input(path, location), location)
        documents: list[Located] = []
        if text is not None:
            documents, found = load_yaml(text, location)
            problems += found
    if text is None or any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return documents


__all__ = ["Located", "read_yaml_file"]
