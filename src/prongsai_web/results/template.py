"""The fill-in results form of one ITA year (the core's ``prongsai template``) with the agency's
name, type, district and province already in their cells, for a clerk to fill from ITAS and upload."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from prongsai.agency import normalise_type
from prongsai.framework import Framework, load_frameworks
from prongsai.results_template import template_workbook
from prongsai.template_text import template_text
from prongsai_web.directory.models import Agency

FIELD_COLUMN = 2  # the value of each field sits in column B, right of its label in column A


def template_years() -> list[int]:
    """The ITA years the core holds a framework for, latest first."""
    return sorted(load_frameworks(), reverse=True)


def template_choices() -> list[dict[str, object]]:
    """The years to offer, latest first, each saying whether its framework is still provisional."""
    frameworks = load_frameworks()
    return [{"year": year, "provisional": frameworks[year].provisional} for year in template_years()]


def agency_fields(agency: Agency) -> dict[str, str]:
    """The form's fields as this agency fills them (an unknown type is left for the clerk to pick)."""
    values = {
        "agency": agency.name,
        "agency_type": normalise_type(agency.type) if agency.type else None,
        "district": agency.district,
        "province": agency.province,
    }
    return {name: value for name, value in values.items() if value}


def filled_template(framework: Framework, agency: Agency) -> bytes:
    """The form of ``framework``'s year, as XLSX bytes, with ``agency``'s fields filled in."""
    fields = agency_fields(agency)
    book = load_workbook(io.BytesIO(template_workbook(framework, fields.get("agency_type"))))
    text = template_text()
    sheet = book[text.sheets.results]
    rows = {
        str(sheet.cell(row, 1).value): row for row in range(2, 2 + len(text.field_labels()))
    }  # label -> row
    for name, label in text.field_labels().items():
        if name in fields and label in rows:
            sheet.cell(rows[label], FIELD_COLUMN).value = fields[name]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_filename(framework: Framework, agency: Agency) -> str:
    return f"ita-{framework.ita_year}-{agency.pk}.xlsx"
