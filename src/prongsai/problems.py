"""Problems found in user input: data with a location, worded in Thai and English from one table."""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

from prongsai.errors import DataFileError

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Location:
    """Where a problem is. ``line`` is used for YAML/JSON files, ``row``/``column`` for tables."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None
    field: str | None = None
    option: str | None = None  # an option or argument of the command line (--plan-year, RESULTS)

    def with_(self, **changes: Any) -> Location:
        """A copy with some parts changed (readers make one per cell: kept cheap)."""
        unknown = changes.keys() - _LOCATION_PARTS
        if unknown:
            raise TypeError(f"Location has no {sorted(unknown)}")
        copy = object.__new__(Location)
        copy.__dict__.update(self.__dict__)
        copy.__dict__.update(changes)
        return copy

    def describe(self, lang: Literal["th", "en"]) -> str:
        labels = messages().labels
        parts = []
        for name in ("option", "file", "sheet", "line", "row", "column", "field"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{labels[name][lang]} {value}")
        return ", ".join(parts)


_LOCATION_PARTS = frozenset(Location.__dataclass_fields__)


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    location: Location
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def message_th(self) -> str:
        return messages().render(self.code, "th", self.params)

    @property
    def message_en(self) -> str:
        return messages().render(self.code, "en", self.params)

    def describe(self, lang: Literal["th", "en"]) -> str:
        where = self.location.describe(lang)
        text = self.message_th if lang == "th" else self.message_en
        return f"{where}: {text}" if where else text

    def to_json(self) -> dict[str, Any]:
        loc = self.location
        return {
            "code": self.code,
            "severity": self.severity,
            "message_th": self.message_th,
            "message_en": self.message_en,
            "file": loc.file,
            "sheet": loc.sheet,
            "row": loc.row,
            "column": loc.column,
            "line": loc.line,
            "field": loc.field,
            "option": loc.option,
        }


# What a message must not repeat as it is: line breaks and control codes (a hostile file could
# draw its own lines or terminal colours into the output), lone surrogates (they cannot be printed).
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def visible(text: str) -> str:
    """A value from a file as a message repeats it: every unprintable character as its escape."""
    return _UNPRINTABLE.sub(
        lambda found: found.group().encode("unicode_escape", "backslashreplace").decode(), text
    )


def error(kind: str, location: Location, /, **params: object) -> Problem:
    """An error of the given kind (a key of the message table) at a location."""
    _check_code(kind, params)
    return Problem(
        kind, "error", _visible_location(location), {k: visible(str(v)) for k, v in params.items()}
    )


def warning(kind: str, location: Location, /, **params: object) -> Problem:
    """A warning: reported, but the input is still used."""
    _check_code(kind, params)
    return Problem(
        kind, "warning", _visible_location(location), {k: visible(str(v)) for k, v in params.items()}
    )


def with_location(problem: Problem, location: Location) -> Problem:
    """The same problem at another place (found in a definition, placed on its file's line or cell)."""
    return Problem(problem.code, problem.severity, _visible_location(location), problem.params)


def _visible_location(location: Location) -> Location:
    """Sheet, column and field names come from files too."""
    texts = {
        name: visible(value)
        for name in ("file", "sheet", "column", "field", "option")
        if isinstance(value := getattr(location, name), str) and _UNPRINTABLE.search(value)
    }
    return location.with_(**texts) if texts else location


def suggestion_params(value: str, choices: Iterable[str]) -> dict[str, str]:
    """The ``suggestion_th``/``suggestion_en`` parameters: the closest known spelling, if any."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    if not close:
        return {"suggestion_th": "", "suggestion_en": ""}
    labels = messages().labels["did_you_mean"]
    return {
        "suggestion_th": labels["th"].format(value=close[0]),
        "suggestion_en": labels["en"].format(value=close[0]),
    }


def label(name: str, lang: Literal["th", "en"], **params: object) -> str:
    return messages().labels[name][lang].format(**params)


def ui(name: str, lang: Literal["th", "en"] = "th") -> str:
    """A word or phrase of the command-line interface."""
    return messages().ui[name][lang]


# --------------------------------------------------------------------------------------------------
# The message table
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MessageTable:
    problems: Mapping[str, Mapping[str, str]]
    labels: Mapping[str, Mapping[str, str]]
    ui: Mapping[str, Mapping[str, str]]

    def render(self, code: str, lang: Literal["th", "en"], params: Mapping[str, str]) -> str:
        return self.problems[code][lang].format(**params)

    def placeholders(self, code: str) -> set[str]:
        entry = self.problems[code]
        return _placeholders(entry["th"]) | _placeholders(entry["en"])


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _language_neutral(names: set[str]) -> set[str]:
    """'suggestion_th' and 'suggestion_en' are the same parameter in two languages."""
    return {name.removesuffix("_th").removesuffix("_en") for name in names}


def _check_code(code: str, params: Mapping[str, object]) -> None:
    table = messages()
    if code not in table.problems:
        raise KeyError(f"no message for problem code {code!r}")
    missing = table.placeholders(code) - set(params)
    if missing:
        raise KeyError(f"problem {code!r} needs parameters {sorted(missing)}")


MESSAGE_FOLDER = ("catalog", "messages")


@cache
def messages() -> MessageTable:
    """One table from every file of catalog/messages/ (one file per area; a code is defined once)."""
    folder = resources.files("prongsai").joinpath(*MESSAGE_FOLDER)
    tables: dict[str, dict[str, Mapping[str, str]]] = {"problems": {}, "labels": {}, "ui": {}}
    found: list[str] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        origin = "/".join((*MESSAGE_FOLDER, entry.name))
        raw = yaml.safe_load(entry.read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or raw.get("schema_version") != 1:
            raise DataFileError(origin, ["schema_version must be 1"])
        for section, table in tables.items():
            for name, text in (raw.get(section) or {}).items():
                if name in table:
                    found.append(f"{origin}: {section}.{name} is defined in another file too")
                table[name] = text
        unknown = set(raw) - {"schema_version", *tables}
        if unknown:
            found.append(f"{origin}: unknown sections {sorted(unknown)}")
    for code, text in tables["problems"].items():
        if set(text) != {"th", "en"}:
            found.append(f"{code}: needs exactly th and en")
        elif _language_neutral(_placeholders(text["th"])) != _language_neutral(_placeholders(text["en"])):
            found.append(f"{code}: th and en use different placeholders")
    for name, text in [*tables["labels"].items(), *tables["ui"].items()]:
        if set(text) != {"th", "en"}:
            found.append(f"label {name}: needs exactly th and en")
    for name, text in [*tables["problems"].items(), *tables["labels"].items(), *tables["ui"].items()]:
        for lang, template in text.items():
            try:
                _placeholders(template)
            except ValueError as exc:  # a lone brace: write {{ or }} for a brace people should see
                found.append(f"{name}.{lang}: {exc}")
    if found:
        raise DataFileError("/".join(MESSAGE_FOLDER), found)
    return MessageTable(problems=tables["problems"], labels=tables["labels"], ui=tables["ui"])
