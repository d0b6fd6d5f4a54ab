"""A tagged PDF's structure tree as plain Python values, each element read from pikepdf once.

Every pikepdf lookup crosses into C++ and builds a new object (a missing key costs most); reading
an element's entries in one ``items()`` call and keeping what the reader needs halves the time
the tree takes. Meaning is unchanged: a kid is an element (``Node``), a marked-content reference
(``Mcr``), an MCID (int) on the page in force, a nested list, or None (anything else, such as an
object reference).

The tree is untrusted: its nesting is bounded by the ``depth`` limit (a /K that contains its own
element would otherwise recurse forever), its size by the ``nodes`` limit, and an element that
appears twice (a tree that is really a graph, which can stand for exponentially many elements) is
a damaged file. See :class:`Guard`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pikepdf import Array, Dictionary

from prongsai.errors import InputError
from prongsai.loader.limits import LIMITS, Limits, check_time, over_limit
from prongsai.problems import Location, error


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


class Guard:
    """The bounds of one structure tree's reading: depth, element count, elements already seen."""

    def __init__(self, location: Location | None = None, limits: Limits = LIMITS) -> None:
        self.location = location or Location()
        self.limits = limits
        self.nodes = 0
        self.seen: set[tuple[int, int]] = set()

    def enter(self, obj: Any, depth: int) -> None:
        if depth > self.limits.depth:
            raise over_limit("depth", self.location, self.limits.depth)
        self.nodes += 1
        if self.nodes > self.limits.nodes:
            raise over_limit("nodes", self.location, self.limits.nodes)
        if self.nodes % 4096 == 0:
            check_time()
        key = obj.objgen
        if key != (0, 0):
            if key in self.seen:
                raise InputError(
                    [
                        error(
                            "pdf_damaged",
                            self.location,
                            detail=f"structure element {key[0]} {key[1]} R twice",
                        )
                    ]
                )
            self.seen.add(key)


def read_node(obj: Any, guard: Guard | None = None, depth: int = 0) -> Any:
    """A /K entry (or the tree root) as Node, Mcr, int, list or None, its whole subtree read."""
    guard = guard or Guard()
    if isinstance(obj, int):
        return obj
    if isinstance(obj, Array):  # a list of kids, not a level: an element's depth counts elements
        guard.enter(obj, depth)
        return [read_node(kid, guard, depth) for kid in obj]
    if not isinstance(obj, Dictionary):
        return None
    guard.enter(obj, depth)
    fields = dict(obj.items())
    if fields.get("/Type") == "/MCR":
        return Mcr(fields.get("/Pg"), int(fields["/MCID"]))
    kids = fields.get("/K")
    if kids is None:
        listed = []
    elif isinstance(kids, Array):
        listed = read_node(kids, guard, depth + 1)
    else:
        listed = [read_node(kids, guard, depth + 1)]
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
