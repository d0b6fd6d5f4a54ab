"""A tagged PDF's structure tree as plain Python values, each element read from pikepdf once.

Every pikepdf lookup crosses into C++ and builds a new object (a missing key costs most); reading
an element's entries in one ``items()`` call and keeping what the reader needs halves the time
the tree takes. Meaning is unchanged: a kid is an element (``Node``), a marked-content reference
(``Mcr``), an MCID (int) on the page in force, a nested list, or None (anything else, such as an
object reference).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pikepdf import Array, Dictionary


class Node(NamedTuple):
    """One structure element: its type, its page (None: the parent's applies) and its kids."""

    tag: str | None
    page: Any
    kids: list[Any]
    attributes: Any  # /A: a dictionary or an array of them (with revision numbers)
    id: Any  # /ID, a PDF string


class Mcr(NamedTuple):
    """A marked-content reference: an MCID on a page (None: the parent's page)."""

    page: Any
    mcid: int


def read_node(obj: Any) -> Any:
    """A /K entry (or the tree root) as Node, Mcr, int, list or None, its whole subtree read."""
    if isinstance(obj, int):
        return obj
    if isinstance(obj, Array):
        return [read_node(kid) for kid in obj]
    if not isinstance(obj, Dictionary):
        return None
    fields = dict(obj.items())
    if fields.get("/Type") == "/MCR":
        return Mcr(fields.get("/Pg"), int(fields["/MCID"]))
    kids = fields.get("/K")
    listed = [] if kids is None else read_node(kids) if isinstance(kids, Array) else [read_node(kids)]
    tag = fields.get("/S")
    return Node(
        str(tag) if tag is not None else None, fields.get("/Pg"), listed, fields.get("/A"), fields.get("/ID")
    )


def attribute(node: Node, name: str) -> Any:
    """A layout or table attribute of an element (/ColSpan, /Headers), or None."""
    attributes = node.attributes
    for entry in attributes if isinstance(attributes, Array) else [attributes]:
        if isinstance(entry, Dictionary) and name in entry:
            return entry[name]
    return None
