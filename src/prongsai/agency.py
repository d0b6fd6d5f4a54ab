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
def agency_types() -> Mapping[str, str]:
    """Every accepted spelling (full name or alias) mapped to the full type name."""
    origin = "catalog/agency_types.yaml"
    raw = yaml.safe_load((resources.files("prongsai") / "catalog" / "agency_types.yaml").read_text("utf-8"))
    if raw.get("schema_version") != 1 or not isinstance(raw.get("types"), list):
        raise DataFileError(origin, ["needs schema_version 1 and a list of types"])
    spellings: dict[str, str] = {}
    for entry in raw["types"]:
        for spelling in [entry["name"], *entry.get("aliases", [])]:
            key = _fold(spelling)
            if key in spellings:
                raise DataFileError(origin, [f"'{spelling}' is listed twice"])
            spellings[key] = entry["name"]
    return spellings


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
