"""The assessed agency: name, kind and location, with the kind read from common abbreviations."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

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
