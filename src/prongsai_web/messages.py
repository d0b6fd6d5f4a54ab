"""The web application's own problems, in Thai and English, shaped like the core's (``th``, ``en``,
``location``) so that pages and the API show them as they show the core's."""

from __future__ import annotations

from typing import Any

from prongsai.problems import Location, Problem

TEXTS: dict[str, tuple[str, str]] = {
    "too_large": (
        "ไฟล์มีขนาด {size} ไบต์ เกินขนาดที่รับได้ {limit} ไบต์",
        "the file is {size} bytes, more than the {limit} bytes allowed",
    ),
    "no_file": ("ยังไม่ได้เลือกไฟล์ผลการประเมิน", "no results file was chosen"),
    "other_agency": (
        "ไฟล์นี้เป็นผลการประเมินของ {found} ปี {year} ไม่ใช่ของ {agency} จึงไม่บันทึกไฟล์นี้",
        "this file holds the results of {found} for {year}, not of {agency}; nothing was saved",
    ),
    "plan_stale": (
        "มีผู้บันทึกแผนนี้เป็นฉบับที่ {current} หลังจากที่ท่านเปิดแก้ไข (ฉบับที่ {version}) จึงไม่บันทึกการแก้ไขของท่าน"
        " โปรดเปิดฉบับล่าสุดแล้วแก้ไขอีกครั้ง",
        "someone saved this plan as version {current} after you opened version {version}; your change was"
        " not saved: open the latest version and edit again",
    ),
    "plan_none": ("ยังไม่มีแผนที่บันทึกไว้ให้อนุมัติ", "there is no saved plan to approve"),
    "plan_approved_already": (
        "แผนฉบับที่ {version} ได้รับอนุมัติแล้ว",
        "version {version} of the plan is already approved",
    ),
    "no_results": (
        "ยังไม่มีผลการประเมินปี {year} ของหน่วยงานนี้",
        "this agency has no results for {year}",
    ),
}


def located(where: Location) -> dict[str, Any]:
    return {k: v for k, v in where.__dict__.items() if v is not None}


def from_problem(problem: Problem) -> dict[str, Any]:
    """A core problem as pages and the API show it."""
    return {
        "th": problem.describe("th"),
        "en": problem.describe("en"),
        "severity": problem.severity,
        "location": located(problem.location),
    }


def web_problem(code: str, where: Location | None = None, **params: Any) -> dict[str, Any]:
    th, en = TEXTS[code]
    place = where or Location()
    prefix = {lang: place.describe(lang) for lang in ("th", "en")}
    return {
        "th": (f"{prefix['th']}: " if prefix["th"] else "") + th.format(**params),
        "en": (f"{prefix['en']}: " if prefix["en"] else "") + en.format(**params),
        "severity": "error",
        "location": located(place),
    }
