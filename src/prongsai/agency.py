"""The assessed agency: name, kind and location, with the kind read from common abbreviations, and
the words each kind of agency uses for the same things (catalog/terms.yaml)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from prongsai.errors import DataFileError


@dataclass(frozen=True)
class Agency:
    name: str
    type: str | None = None
    district: str | None = None
    province: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"name": self.name, "type": self.type, "district": self.district, "province": self.province}


@cache
def _type_spellings() -> tuple[Mapping[str, str], Mapping[str, str]]:
    """(every accepted spelling -> full type name, abbreviation -> full type name)."""
    origin = "catalog/agency_types.yaml"
    raw = yaml.safe_load((resources.files("prongsai") / "catalog" / "agency_types.yaml").read_text("utf-8"))
    if raw.get("schema_version") != 1 or not isinstance(raw.get("types"), list):
        raise DataFileError(origin, ["needs schema_version 1 and a list of types"])
    spellings: dict[str, str] = {}
    abbreviations: dict[str, str] = {}
    for entry in raw["types"]:
        if set(entry) - {"name", "aliases", "abbreviations"}:
            raise DataFileError(origin, [f"{entry.get('name')}: unknown keys"])
        short = entry.get("abbreviations", [])
        for spelling in [entry["name"], *entry.get("aliases", []), *short]:
            key = _fold(spelling)
            if key in spellings:
                raise DataFileError(origin, [f"'{spelling}' is listed twice"])
            spellings[key] = entry["name"]
        abbreviations.update({_fold(a): entry["name"] for a in short})
    return spellings, abbreviations


def agency_types() -> Mapping[str, str]:
    """Every accepted spelling (full name, alias or abbreviation) mapped to the full type name."""
    return _type_spellings()[0]


def known_type_names() -> list[str]:
    return sorted(set(agency_types().values()))


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).split())


def normalise_type(text: str) -> str | None:
    """'ทต.' -> 'เทศบาลตำบล'; None when the spelling is not known."""
    return agency_types().get(_fold(text))


def infer_type(name: str) -> str | None:
    """The type a name starts with: 'เทศบาลตำบลโคกม่วง' -> 'เทศบาลตำบล', 'อบต.นาดี' -> 'องค์การบริหารส่วนตำบล'."""
    folded = _fold(name)
    best: tuple[int, str] | None = None
    for spelling, full in agency_types().items():
        if (
            folded.startswith(spelling)
            and len(folded) > len(spelling)
            and (best is None or len(spelling) > best[0])
        ):
            best = (len(spelling), full)
    return best[1] if best else None


# --------------------------------------------------------------------------------------------------
# One agency under several spellings
# --------------------------------------------------------------------------------------------------

_PLACE_PREFIXES = {"district": ("อำเภอ", "อ."), "province": ("จังหวัด", "จ.")}


def normalised_name(name: str) -> str:
    """The name compared when agencies are matched: no spaces, case folded, and a leading type
    written in full ('ทต. โคกม่วง' and 'เทศบาลตำบลโคกม่วง' are the same)."""
    folded = _fold(name).casefold()
    abbreviations = _type_spellings()[1]
    best = ""
    for short in abbreviations:
        if folded.startswith(short.casefold()) and len(short) > len(best) and len(folded) > len(short):
            best = short
    if not best:
        return folded
    return _fold(abbreviations[best]).casefold() + folded[len(best) :]


def normalised_place(text: str | None, kind: str) -> str | None:
    """'อ.คลองหอยโข่ง' and 'อำเภอ คลองหอยโข่ง' -> 'คลองหอยโข่ง'; None stays None."""
    if text is None:
        return None
    folded = _fold(text)
    for prefix in _PLACE_PREFIXES[kind]:
        if folded.startswith(prefix) and len(folded) > len(prefix):
            return folded[len(prefix) :]
    return folded or None


def agency_key(agency: Agency) -> tuple[str, str | None, str | None]:
    """(name, district, province), each normalised: equal keys are one agency."""
    return (
        normalised_name(agency.name),
        normalised_place(agency.district, "district"),
        normalised_place(agency.province, "province"),
    )


def place_conflicts(first: Agency, second: Agency) -> list[str]:
    """Which of district and province both agencies give and give differently."""
    a, b = agency_key(first), agency_key(second)
    return [kind for kind, x, y in (("district", a[1], b[1]), ("province", a[2], b[2])) if x and y and x != y]


# --------------------------------------------------------------------------------------------------
# The words of each kind of agency (catalog/terms.yaml)
# --------------------------------------------------------------------------------------------------

TERMS_ORIGIN = "catalog/terms.yaml"
PLACEHOLDER = re.compile(r"\{(term|unit)\.([a-z_]+)\}")
DEFAULT_KIND = "other"


@dataclass(frozen=True)
class Words:
    """What an agency's documents call things, and how they write digits."""

    kind: str  # municipality, sao, pao, bangkok, pattaya, government, other
    local: bool  # local government: local_only measure templates apply
    thai_digits: bool  # the digits its documents use unless the user asks otherwise
    terms: Mapping[str, str]  # term name -> this kind's word (a term this kind lacks is absent)


@dataclass(frozen=True)
class _TermsCatalog:
    kinds: Mapping[str, Words]
    kind_of_type: Mapping[str, str]
    term_names: frozenset[str]
    marks: Mapping[str, tuple[str, ...]]
    never: tuple[str, ...]


@cache
def _terms_catalog() -> _TermsCatalog:
    raw = yaml.safe_load((resources.files("prongsai") / "catalog" / "terms.yaml").read_text("utf-8"))
    problems: list[str] = []
    if not isinstance(raw, dict) or raw.get("schema_version") != 1:
        raise DataFileError(TERMS_ORIGIN, ["needs schema_version 1"])
    if set(raw) - {"schema_version", "kinds", "terms", "marks", "never"}:
        problems.append(
            f"unknown keys {sorted(set(raw) - {'schema_version', 'kinds', 'terms', 'marks', 'never'})}"
        )
    kinds_raw: dict[str, dict[str, Any]] = raw.get("kinds") or {}
    terms_raw: dict[str, dict[str, str]] = raw.get("terms") or {}
    if DEFAULT_KIND not in kinds_raw:
        problems.append(f"kind '{DEFAULT_KIND}' (types not listed) is missing")
    known = set(known_type_names())
    kind_of_type: dict[str, str] = {}
    for kind, spec in kinds_raw.items():
        if set(spec) != {"types", "local", "digits"} or spec["digits"] not in ("thai", "arabic"):
            problems.append(f"kind {kind}: needs types, local and digits (thai or arabic)")
            continue
        for agency_type in spec["types"]:
            if agency_type not in known:
                problems.append(f"kind {kind}: '{agency_type}' is not a type of agency_types.yaml")
            kind_of_type[agency_type] = kind
    for name, values in terms_raw.items():
        stray = set(values) - set(kinds_raw) - {"default"}
        if stray:
            problems.append(f"term {name}: {sorted(stray)} are not kinds")
    marks: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in (raw.get("marks") or {}).items()}
    if set(marks) - set(kinds_raw) - {"local"}:
        problems.append(f"marks: {sorted(set(marks) - set(kinds_raw) - {'local'})} are not kinds")
    if problems:
        raise DataFileError(TERMS_ORIGIN, problems)
    kinds = {
        kind: Words(
            kind=kind,
            local=bool(spec["local"]),
            thai_digits=spec["digits"] == "thai",
            terms={
                name: values.get(kind, values.get("default", ""))
                for name, values in terms_raw.items()
                if kind in values or "default" in values
            },
        )
        for kind, spec in kinds_raw.items()
    }
    return _TermsCatalog(kinds, kind_of_type, frozenset(terms_raw), marks, tuple(raw.get("never") or ()))


def kinds() -> Mapping[str, Words]:
    """Every kind of agency with its words."""
    return _terms_catalog().kinds


def words_for(agency_type: str | None, name: str | None = None) -> Words:
    """The words of an agency: by its type, or by the type its name starts with, else the neutral
    words of kind 'other'."""
    catalog = _terms_catalog()
    full = (normalise_type(agency_type) if agency_type else None) or (infer_type(name) if name else None)
    return catalog.kinds[catalog.kind_of_type.get(full or "", DEFAULT_KIND)]


def words_of(agency: Agency) -> Words:
    return words_for(agency.type, agency.name)


def term_names() -> frozenset[str]:
    return _terms_catalog().term_names


def placeholders(text: str) -> list[tuple[str, str]]:
    """('term', 'executive'), ('unit', 'finance') ... for each placeholder in a text."""
    return [(m.group(1), m.group(2)) for m in PLACEHOLDER.finditer(text)]


class UnknownWord(KeyError):
    """A placeholder names a term this kind lacks, or a unit role not given."""


def fill_words(text: str, words: Words, units: Mapping[str, str], *, strict: bool = True) -> str:
    """The text with every {term.NAME} and {unit.ROLE} filled for the agency. A placeholder that
    cannot be filled raises :class:`UnknownWord` when ``strict``; otherwise it is left as written
    (a person's own text may hold braces). A unit of several words ('งานนิติการ สำนักปลัดเทศบาล')
    followed by a word is set off by a space, as official writing sets off a phrase."""
    if "{" not in text:
        return text

    def one(match: re.Match[str], depth: int = 0) -> str:
        space, name = match.group(1), match.group(2)
        value = words.terms.get(name) if space == "term" else units.get(name)
        if value is None:
            if strict:
                raise UnknownWord(f"{{{space}.{name}}} (kind {words.kind})")
            return match.group(0)
        if depth < 2 and "{" in value:
            value = PLACEHOLDER.sub(lambda m: one(m, depth + 1), value)
        following = match.string[match.end() : match.end() + 1]
        if space == "unit" and " " in value and following.isalpha():
            value += " "
        return value

    return PLACEHOLDER.sub(one, text)


def foreign_marks(words: Words) -> tuple[str, ...]:
    """Words a document of this kind must not hold: the marks of every other kind (and, outside
    local government, the marks of local government), less this kind's own."""
    catalog = _terms_catalog()
    own = set(catalog.marks.get(words.kind, ())) | (
        set(catalog.marks.get("local", ())) if words.local else set()
    )
    others = {
        mark
        for kind, marks in catalog.marks.items()
        if kind != words.kind and not (kind == "local" and words.local)
        for mark in marks
    }
    return tuple(sorted(others - own))


def never_words() -> tuple[str, ...]:
    """Words no catalog text may hold (terms.yaml ``never``)."""
    return _terms_catalog().never
