"""The fixed wording of documents, from ``catalog/document.yaml``.

A text may name what differs by kind of agency with a placeholder (``{term.executive}``,
``{unit.legal}``: catalog/terms.yaml); it is filled with the words of the agency whose document is
being built (:func:`agency_words`, set by ``build_document``), or with the neutral words of kind
'other' outside a build.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import resources
from typing import Any

import yaml

from prongsai.agency import UnknownWord, Words, fill_words, words_for
from prongsai.catalog.measures import role_names
from prongsai.errors import DataFileError

ORIGIN = "catalog/document.yaml"

_WORDS: ContextVar[tuple[Words, Mapping[str, str]] | None] = ContextVar("prongsai_words", default=None)


@contextmanager
def agency_words(words: Words, units: Mapping[str, str]) -> Iterator[None]:
    """Fill the placeholders of every text looked up inside the block with these words and units."""
    token = _WORDS.set((words, units))
    try:
        yield
    finally:
        _WORDS.reset(token)


def current_words() -> tuple[Words, Mapping[str, str]]:
    """The words and units texts are filled with now: the agency's inside a build, else neutral."""
    return _WORDS.get() or (words_for(None), role_names())


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
        filled = fill_words(node, *current_words())
    except UnknownWord as exc:
        raise DataFileError(ORIGIN, [f"'{path}' names {exc.args[0]}, which has no word"]) from exc
    try:
        return filled.format(**params)
    except KeyError as exc:
        raise DataFileError(ORIGIN, [f"'{path}' needs {exc} which the layout does not give"]) from exc
