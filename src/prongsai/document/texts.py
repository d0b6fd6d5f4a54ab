"""The fixed wording of documents, from ``catalog/document.yaml``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from prongsai.errors import DataFileError

ORIGIN = "catalog/document.yaml"


@cache
def _texts() -> dict[str, Any]:
    raw = yaml.safe_load((resources.files("prongsai") / "catalog" / "document.yaml").read_text("utf-8"))
    if not isinstance(raw, dict) or raw.get("schema_version") != 1:
        raise DataFileError(ORIGIN, ["needs schema_version 1"])
    return raw


def text(path: str, /, **params: object) -> str:
    """The wording at a dotted path ('full-report.s1'), with its placeholders filled."""
    node: Any = _texts()
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise DataFileError(ORIGIN, [f"no text at '{path}'"])
        node = node[part]
    if not isinstance(node, str):
        raise DataFileError(ORIGIN, [f"'{path}' is not a text"])
    try:
        return node.format(**params)
    except KeyError as exc:
        raise DataFileError(ORIGIN, [f"'{path}' needs {exc} which the layout does not give"]) from exc
