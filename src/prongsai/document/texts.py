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
def _catalog(name: str) -> dict[str, Any]:
    raw = yaml.safe_load((resources.files("prongsai") / "catalog" / name).read_text("utf-8"))
    if not isinstance(raw, dict) or raw.get("schema_version") != 1:
        raise DataFileError(f"catalog/{name}", ["needs schema_version 1"])
    return raw


class TextCatalog:
    """The wording of one kind of document, in a catalog file: texts at dotted paths, filled with
    the words of the agency whose document is being built and then with their parameters."""

    def __init__(self, name: str) -> None:
        self.name = name  # the file in catalog/
        self.origin = f"catalog/{name}"

    def raw(self, path: str) -> str:
        """The wording at a dotted path as written, placeholders and all."""
        node: Any = _catalog(self.name)
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                raise DataFileError(self.origin, [f"no text at '{path}'"])
            node = node[part]
        if not isinstance(node, str):
            raise DataFileError(self.origin, [f"'{path}' is not a text"])
        return node

    def text(self, path: str, /, **params: object) -> str:
        """The wording at a dotted path ('full-report.s1'), with its placeholders filled."""
        try:
            filled = fill_words(self.raw(path), *current_words())
        except UnknownWord as exc:
            raise DataFileError(self.origin, [f"'{path}' names {exc.args[0]}, which has no word"]) from exc
        try:
            return filled.format(**params)
        except KeyError as exc:
            raise DataFileError(
                self.origin, [f"'{path}' needs {exc}, which the document does not give"]
            ) from exc


DOCUMENT_TEXTS = TextCatalog("document.yaml")


def text(path: str, /, **params: object) -> str:
    """The measures document's wording at a dotted path (catalog/document.yaml)."""
    return DOCUMENT_TEXTS.text(path, **params)
