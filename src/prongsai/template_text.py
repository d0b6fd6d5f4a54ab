"""The fill-in results form's words (catalog/template.yaml) and the marker that recognises it.

Both sides use this module: :mod:`prongsai.results_template` writes the form, and
:mod:`prongsai.ingest.template` finds its fields again when a filled form is read.

The marker is a cell of a hidden column of each sheet the form writes, holding
``prongsai-template:<year>:<role>`` (role ``results`` or ``instructions``). A cell travels with its
sheet when a clerk copies the sheet into another workbook (Excel's *Move or Copy*, or copying the
whole sheet), which a workbook-level defined name would not do; and when even the marker is lost (only
the visible cells pasted), the reader still recognises the results sheet by its layout.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from prongsai.errors import DataFileError

ORIGIN = "catalog/template.yaml"
MARKER = "prongsai-template"
Role = Literal["results", "instructions"]
_MARKER = re.compile(rf"^{MARKER}:([0-9]{{4}}):(results|instructions)$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Step(_Strict):
    th: str
    en: str


class _Instructions(_Strict):
    title: str
    title_en: str
    steps: tuple[_Step, ...]
    provisional: _Step  # for a year whose framework is provisional: said first, once
    note: str
    note_en: str


class _Field(_Strict):
    label: str
    also: tuple[str, ...] = ()


class _Fields(_Strict):
    agency: _Field
    agency_type: _Field
    district: _Field
    province: _Field
    ita_year: _Field


class _Headings(_Strict):
    code: str
    text: str
    indicator: str
    score: str


class _Sections(_Strict):
    summary: str
    indicators: str
    items: str


class _Rows(_Strict):
    overall: str
    level: str
    tool: str
    part: str
    indicator: str
    item_indicator: str
    item_no_text: str


class _Validation(_Strict):
    score_title: str
    score_prompt: str
    score_error_title: str
    score_error: str
    level_title: str
    level_prompt: str
    level_error_title: str
    level_error: str
    type_title: str
    type_prompt: str
    type_error_title: str
    type_error: str


class _Results(_Strict):
    title: str
    fields: _Fields
    headings: _Headings
    sections: _Sections
    rows: _Rows
    validation: _Validation


class _Sheets(_Strict):
    instructions: str
    results: str


class TemplateText(_Strict):
    schema_version: Literal[1]
    workbook_title: str
    sheets: _Sheets
    instructions: _Instructions
    results: _Results

    def field_labels(self) -> dict[str, str]:
        """Canonical field name (agency, agency_type, district, province, ita_year) -> its label."""
        fields = self.results.fields
        return {name: getattr(fields, name).label for name in _Fields.model_fields}

    def field_spellings(self) -> dict[str, str]:
        """Every label the reader accepts for a field, folded -> the field's canonical name."""
        fields = self.results.fields
        return {
            fold(spelling): name
            for name in _Fields.model_fields
            for spelling in (getattr(fields, name).label, *getattr(fields, name).also)
        }


@cache
def template_text() -> TemplateText:
    raw = yaml.safe_load((resources.files("prongsai") / "catalog" / "template.yaml").read_text("utf-8"))
    try:
        return TemplateText.model_validate(raw)
    except ValidationError as exc:
        found = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise DataFileError(ORIGIN, found) from exc


def fold(text: str) -> str:
    """A label as compared: NFC, no spaces, case folded, without a trailing colon."""
    return "".join(unicodedata.normalize("NFC", text).split()).casefold().rstrip(":：")


def marker(year: int, role: Role) -> str:
    return f"{MARKER}:{year}:{role}"


@dataclass(frozen=True)
class Marker:
    year: int
    role: Role


def read_marker(value: object) -> Marker | None:
    """The form's marker in a cell, or None for any other value."""
    if not isinstance(value, str):
        return None
    found = _MARKER.match(value.strip())
    if found is None:
        return None
    return Marker(int(found.group(1)), "results" if found.group(2) == "results" else "instructions")
