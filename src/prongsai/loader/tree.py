"""The value tree YAML and JSON files are read into: every value remembers its line."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeAlias

Value: TypeAlias = "str | int | float | Decimal | bool | list[Located] | dict[str, Located] | None"


@dataclass(frozen=True)
class Located:
    """A value and the line it starts on; ``key_line`` is the line of its key inside a mapping."""

    value: Value
    line: int
    key_line: int | None = None

    def plain(self) -> Any:
        """The value with locations stripped (for validation by pydantic, messages and tests).

        Values that YAML aliases share are converted once and shared again, so a file that passed
        the loader's alias limit cannot grow here."""
        return _plain(self, {})


def _plain(node: Located, done: dict[int, Any]) -> Any:
    key = id(node.value)
    if key in done:
        return done[key]
    if isinstance(node.value, list):
        result: Any = [_plain(item, done) for item in node.value]
    elif isinstance(node.value, dict):
        result = {name: _plain(item, done) for name, item in node.value.items()}
    else:
        return node.value
    done[key] = result
    return result
