"""The overseer dashboard (issue 15): every agency in the caller's scope for one ITA year, with its
overall score, level, tools, weakest indicator and plan state; charts of the pass rate, the overall
scores and the indicator averages; sort, filter and search; the same rows as XLSX and CSV.

The agencies come through access.py (one queryset), so an agency outside the caller's scope is
simply not in the list. The queries per page do not grow with the number of agencies: the scope,
the years held, the year's results and the year's plans are one query each; the tools and
indicators come from each result set's canonical text, read by the core once per stored version
(cached by its id and time of upload) and fetched in one more query only for the versions not yet
read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import F
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from prongsai.formulas import as_text_cell, csv_value
from prongsai.framework import Framework, load_frameworks
from prongsai.xlsx_layout import fit_row_heights, fit_width, font, new_workbook, print_on_a4, wrapped
from prongsai_web.access import Person, agencies, agency_filter
from prongsai_web.directory.models import Agency
from prongsai_web.plans.models import Plan, PlanVersion
from prongsai_web.results.models import ResultSet
from prongsai_web.tracking.summary import on_time_share
from prongsai_web.ui.bodycache import body_key, cached_body
from prongsai_web.ui.paging import paged

TOOLS = ("IIT", "EIT", "OIT")
PLAN_WORDS = {"none": "ยังไม่มีแผน", "draft": "ร่าง", "approved": "อนุมัติแล้ว"}
PLAN_ORDER = {"none": 0, "draft": 1, "approved": 2}
# the overall scores' bands in the distribution chart: (lowest, label); the pass mark is a boundary
BANDS: tuple[tuple[float, str], ...] = (
    (0, "ต่ำกว่า 50"),
    (50, "50–59.99"),
    (60, "60–69.99"),
    (70, "70–79.99"),
    (80, "80–84.99"),
    (85, "85–89.99"),
    (90, "90–94.99"),
    (95, "95–100"),
)
FILTERS = ("province", "district", "type", "level")
_LEADING_VOWEL = re.compile(r"([เแโใไ])([ก-ฮ])")


def thai_sort_key(text: str) -> str:
    """Thai dictionary order, near enough for names: a leading vowel (เ แ โ ใ ไ) sorts by the
    consonant written after it (เทศบาล among the ท)."""
    return _LEADING_VOWEL.sub(r"\2\1", text.casefold())


@dataclass(frozen=True)
class Figures:
    """What the dashboard shows of one result set beyond its stored overall and level."""

    tools: Mapping[str, float | None]
    indicators: Mapping[int, float]


@dataclass
class Row:
    agency: Agency
    result: ResultSet | None = None
    figures: Figures | None = None
    weakest: int | None = None  # the indicator number with the lowest score
    weakest_name: str = ""
    weakest_score: float | None = None
    plan: str = "none"
    on_time: float | None = None  # share of the measures due so far done by their due date (0-1)

    @property
    def on_time_percent(self) -> float | None:
        return None if self.on_time is None else 100 * self.on_time

    @property
    def overall(self) -> float | None:
        return None if self.result is None else self.result.overall

    @property
    def level(self) -> str:
        return "" if self.result is None else self.result.level

    def tool(self, code: str) -> float | None:
        return None if self.figures is None else self.figures.tools.get(code)

    @property
    def iit(self) -> float | None:
        return self.tool("IIT")

    @property
    def eit(self) -> float | None:
        return self.tool("EIT")

    @property
    def oit(self) -> float | None:
        return self.tool("OIT")

    @property
    def plan_word(self) -> str:
        return PLAN_WORDS[self.plan]


@dataclass
class Dashboard:
    years: list[int]
    year: int | None
    framework: Framework | None
    rows: list[Row]  # filtered and sorted
    in_scope: int  # agencies in the caller's scope, before filtering
    options: dict[str, list[str]]
    chosen: dict[str, str]
    q: str
    sort: str
    charts: dict[str, Any] = field(default_factory=dict)

    @property
    def year_be(self) -> str:
        return "" if self.year is None else str(self.year)


def _cache_key(result: ResultSet) -> str:
    return f"prongsai:dashboard:{result.pk}:{result.uploaded_at.timestamp()}"


def _indicator_name(framework: Framework | None, number: int) -> str:
    if framework is None:
        return ""
    try:
        return framework.indicator(number).name_th
    except KeyError:
        return ""


def _figures_of(result: ResultSet) -> Figures:
    core = result.to_core()
    return Figures(
        tools={code: core.tools[code].value if code in core.tools else None for code in TOOLS},
        indicators={n: s.value for n, s in core.indicators.items() if s.value is not None},
    )


def _stored(result: ResultSet) -> Figures | None:
    """The figures stored with the result set at save time (results/figures.py); None for a row
    stored before they were."""
    if not result.figures_version:
        return None
    indicators = {int(n): float(v) for n, v in result.indicators.items() if v is not None}
    return Figures(tools={code: result.tools.get(code) for code in TOOLS}, indicators=indicators)


def _figures(results: list[ResultSet]) -> dict[int, Figures]:
    """Each result set's figures by its id: stored with it, or (a row stored before figures were)
    read by the core from its canonical text, cached, fetched in one query for all those not cached."""
    found_by_id = {r.pk: f for r in results if (f := _stored(r)) is not None}
    keys = {_cache_key(r): r for r in results if r.pk not in found_by_id}
    found: dict[str, Figures] = cache.get_many(list(keys)) if keys else {}
    missing = [r.pk for key, r in keys.items() if key not in found]
    if missing:
        fresh: dict[str, Figures] = {}
        for full in ResultSet.objects.filter(pk__in=missing):
            fresh[_cache_key(full)] = _figures_of(full)
        cache.set_many(fresh, timeout=24 * 3600)
        found |= fresh
    return found_by_id | {r.pk: found[key] for key, r in keys.items() if key in found}


def _plan_states(scope: Any, year: int) -> dict[int, str]:
    """Each agency's plan for the year: approved when its current version is the one the executive
    approved, a draft otherwise (edited after approval makes a new working version). Two queries."""
    states = {
        a: "draft"
        for a in Plan.objects.filter(agency__in=scope, ita_year=year).values_list("agency_id", flat=True)
    }
    approved = PlanVersion.objects.filter(
        plan__agency__in=scope, plan__ita_year=year, approved_at__isnull=False, version=F("plan__version")
    ).values_list("plan__agency_id", flat=True)
    for agency_id in approved:
        states[agency_id] = "approved"
    return states


def _sort_keys(framework: Framework | None) -> dict[str, Callable[[Row], Any]]:
    order = {name: i for i, name in enumerate(framework.level_names())} if framework else {}
    return {
        "name": lambda r: thai_sort_key(r.agency.name),
        "province": lambda r: thai_sort_key(r.agency.province),
        "district": lambda r: thai_sort_key(r.agency.district),
        "type": lambda r: thai_sort_key(r.agency.type),
        "overall": lambda r: r.overall,
        "level": lambda r: order.get(r.level, len(order)) if r.level else None,
        "iit": lambda r: r.iit,
        "eit": lambda r: r.eit,
        "oit": lambda r: r.oit,
        "weakest": lambda r: r.weakest_score,
        "plan": lambda r: PLAN_ORDER[r.plan],
        "on_time": lambda r: r.on_time,
    }


def _sorted(rows: list[Row], sort: str, framework: Framework | None) -> tuple[list[Row], str]:
    keys = _sort_keys(framework)
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    if name not in keys:
        name, descending = "name", False
    key = keys[name]
    by_name = sorted(rows, key=lambda r: (thai_sort_key(r.agency.name), r.agency.pk))
    held = [r for r in by_name if key(r) not in (None, "")]
    empty = [r for r in by_name if key(r) in (None, "")]  # no figure: always last
    held.sort(key=key, reverse=descending)
    return held + empty, ("-" if descending else "") + name


def _charts(rows: list[Row], framework: Framework | None) -> dict[str, Any]:
    scored = [r for r in rows if r.overall is not None]
    pass_mark = framework.pass_mark if framework else 85.0
    passed = sum(1 for r in scored if r.overall is not None and r.overall >= pass_mark)
    counts = []
    for i, (low, _) in enumerate(BANDS):
        high = BANDS[i + 1][0] if i + 1 < len(BANDS) else float("inf")
        counts.append(sum(1 for r in scored if r.overall is not None and low <= r.overall < high))
    tallest = max(counts, default=0) or 1
    bands = [
        {"label": label, "count": count, "passing": low >= pass_mark, "height": round(100 * count / tallest)}
        for (low, label), count in zip(BANDS, counts, strict=True)
    ]
    sums: dict[int, list[float]] = {}
    for r in rows:
        if r.figures is not None:
            for n, value in r.figures.indicators.items():
                sums.setdefault(n, []).append(value)
    averages = []
    for n in sorted(sums):
        values = sums[n]
        mean = sum(values) / len(values)
        name = _indicator_name(framework, n)
        averages.append(
            {
                "number": n,
                "name": name,
                "average": mean,
                "count": len(values),
                "width": round(max(0.0, min(100.0, mean)), 1),
                "below": mean < pass_mark,
            }
        )
    return {
        "scored": len(scored),
        "passed": passed,
        "pass_rate": 100 * passed / len(scored) if scored else None,
        "pass_mark": pass_mark,
        "bands": bands,
        "averages": averages,
    }


def dashboard_data(user: Any, params: QueryDict) -> Dashboard:
    """The dashboard of ``user``'s scope as ``params`` (year, filters, q, sort) ask."""
    scope = agencies(user)
    everyone = list(scope.order_by())
    years = sorted(
        set(ResultSet.objects.filter(agency__in=scope).values_list("ita_year", flat=True)), reverse=True
    )
    asked = params.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else (years[0] if years else None)
    framework = load_frameworks().get(year) if year is not None else None
    rows = {a.pk: Row(a) for a in everyone}
    if year is not None:
        results = list(
            ResultSet.objects.filter(agency__in=scope, ita_year=year).defer(
                "canonical", "analysis", "warnings"
            )
        )
        figures = _figures(results)
        for result in results:
            row = rows[result.agency_id]
            row.result = result
            row.figures = figures.get(result.pk)
            if row.figures and row.figures.indicators:
                number, value = min(row.figures.indicators.items(), key=lambda kv: (kv[1], kv[0]))
                row.weakest, row.weakest_score = number, value
                row.weakest_name = _indicator_name(framework, number)
        for agency_id, state in _plan_states(scope, year).items():
            rows[agency_id].plan = state
        planned = [a for a, r in rows.items() if r.plan != "none"]
        for agency_id, share in on_time_share(planned, timezone.localdate(), year).items():
            rows[agency_id].on_time = share
    chosen = {name: params.get(name, "").strip() for name in FILTERS}
    options = {
        "province": sorted({a.province for a in everyone if a.province}, key=thai_sort_key),
        "district": sorted(
            {
                a.district
                for a in everyone
                if a.district and (not chosen["province"] or a.province == chosen["province"])
            },
            key=thai_sort_key,
        ),
        "type": sorted({a.type for a in everyone if a.type}, key=thai_sort_key),
        "level": [
            name
            for name in (framework.level_names() if framework else ())
            if any(r.level == name for r in rows.values())
        ],
    }
    q = params.get("q", "").strip()
    kept = [
        r
        for r in rows.values()
        if (not chosen["province"] or r.agency.province == chosen["province"])
        and (not chosen["district"] or r.agency.district == chosen["district"])
        and (not chosen["type"] or r.agency.type == chosen["type"])
        and (not chosen["level"] or r.level == chosen["level"])
        and (not q or q.casefold() in r.agency.name.casefold())
    ]
    ordered, sort = _sorted(kept, params.get("sort", "name"), framework)
    board = Dashboard(years, year, framework, ordered, len(everyone), options, chosen, q, sort)
    board.charts = _charts(ordered, framework)
    return board


def _query(board: Dashboard, **changes: str) -> str:
    """The page's query string with ``changes``."""
    params = QueryDict(mutable=True)
    current = {"year": board.year_be, "q": board.q, "sort": board.sort, **board.chosen, "page": ""}
    for key, value in {**current, **changes}.items():
        if value:
            params[key] = value
    return params.urlencode()


COLUMNS = (
    ("name", "หน่วยงาน"),
    ("type", "ประเภท"),
    ("district", "อำเภอ"),
    ("province", "จังหวัด"),
    ("overall", "คะแนนรวม"),
    ("level", "ระดับผล"),
    ("iit", "IIT"),
    ("eit", "EIT"),
    ("oit", "OIT"),
    ("weakest", "ตัวชี้วัดที่อ่อนที่สุด"),
    ("plan", "แผน"),
    ("on_time", "ทำทันกำหนด"),
)


def _body(user: Person, params: QueryDict) -> SafeString:
    """The page below the top bar, for ``user``'s scope and ``params``."""
    board = dashboard_data(user, params)
    heads = []
    for key, label in COLUMNS:
        next_sort = f"-{key}" if board.sort == key else key  # a second click reverses
        arrow = "▲" if board.sort == key else "▼" if board.sort == f"-{key}" else ""
        numeric = key in ("overall", "iit", "eit", "oit", "on_time")
        heads.append(
            {
                "key": key,
                "label": label,
                "href": "?" + _query(board, sort=next_sort),
                "arrow": arrow,
                "opt": key in ("type", "district", "province"),
                "num": numeric,
            }
        )
    at = paged(params, len(board.rows))
    page, pages, first = at.page, at.pages, at.first
    context = {
        "board": board,
        "heads": heads,
        "shown": board.rows[first : at.last],
        "first": first + 1,
        "page": page,
        "pages": pages,
        "previous": "?" + _query(board, page=str(page - 1)) if page > 1 else "",
        "next": "?" + _query(board, page=str(page + 1)) if page < pages else "",
        "export_query": _query(board),
        "filtered": any(board.chosen.values()) or bool(board.q),
    }
    return render_to_string("ui/_dashboard_body.html", context)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The body is cached by the caller's scope (the filter access.py builds, so people with the same
    scope share it) and what they asked (ui/bodycache.py)."""
    where = agency_filter(request.user)
    asked = sorted((k, v) for k in request.GET for v in request.GET.getlist(k))
    key = body_key("dashboard", str(where), tuple(asked))
    return render(
        request, "ui/dashboard.html", {"body": cached_body(key, lambda: _body(request.user, request.GET))}
    )


HEADINGS = (
    "ลำดับ",
    "หน่วยงาน",
    "ประเภท",
    "อำเภอ",
    "จังหวัด",
    "ปี ITA",
    "คะแนนรวม",
    "ระดับผล",
    "IIT",
    "EIT",
    "OIT",
    "ตัวชี้วัดที่อ่อนที่สุด",
    "คะแนนตัวชี้วัดที่อ่อนที่สุด",
    "แผนยกระดับ",
    "มาตรการที่ทำทันกำหนด (ร้อยละ)",
)
NUMERIC = {"คะแนนรวม", "IIT", "EIT", "OIT", "คะแนนตัวชี้วัดที่อ่อนที่สุด", "มาตรการที่ทำทันกำหนด (ร้อยละ)"}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def export_rows(board: Dashboard) -> list[list[Any]]:
    """The dashboard's rows as the exports write them (numbers as numbers, None as an empty cell)."""
    out: list[list[Any]] = []
    for number, r in enumerate(board.rows, start=1):
        weakest = f"{r.weakest}. {r.weakest_name}".strip() if r.weakest is not None else ""
        out.append(
            [
                number,
                r.agency.name,
                r.agency.type,
                r.agency.district,
                r.agency.province,
                board.year if r.result is not None else None,
                _round(r.overall),
                r.level,
                _round(r.iit),
                _round(r.eit),
                _round(r.oit),
                weakest,
                _round(r.weakest_score),
                r.plan_word,
                _round(r.on_time_percent),
            ]
        )
    return out


def _filename(board: Dashboard, extension: str) -> str:
    return f"prongsai-dashboard-{board.year_be or 'none'}.{extension}"


def _title(board: Dashboard) -> str:
    year = f" ปี {board.year}" if board.year else ""
    return f"ผลการประเมิน ITA{year} ของหน่วยงานในความรับผิดชอบ"


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    board = dashboard_data(request.user, request.GET)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADINGS)
    for values in export_rows(board):
        writer.writerow(["" if v is None else csv_value(v) for v in values])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(board, "csv")}"'
    return response


def dashboard_xlsx(board: Dashboard) -> bytes:
    """The rows as a workbook: TH Sarabun New, a Thai title and headings, every text cell a text cell."""
    book = new_workbook(_title(board))
    sheet = book.create_sheet("หน่วยงาน")
    size = 14
    last = get_column_letter(len(HEADINGS))
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = _title(board)
    sheet["A1"].font = font(size + 2, bold=True)
    sheet["A1"].alignment = wrapped("center", "left")
    rows = export_rows(board)
    for column, heading in enumerate(HEADINGS, start=1):
        cell = sheet.cell(2, column, heading)
        cell.font = font(size, bold=True)
        cell.alignment = wrapped("center", "center")
    for r, values in enumerate(rows, start=3):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(r, column, value)
            cell.font = font(size)
            if HEADINGS[column - 1] in NUMERIC:
                cell.number_format = "0.00"
                cell.alignment = Alignment(vertical="top", horizontal="right")
            else:
                cell.alignment = wrapped()
    for column, heading in enumerate(HEADINGS, start=1):
        texts = [heading] + [str(values[column - 1]) for values in rows if values[column - 1] is not None]
        widest = 40 if heading in ("หน่วยงาน", "ตัวชี้วัดที่อ่อนที่สุด") else 16
        sheet.column_dimensions[get_column_letter(column)].width = fit_width(
            texts, size, widest=widest, narrowest=6
        )
    for cells in sheet.iter_rows():
        for written in cells:
            as_text_cell(written)
    sheet.freeze_panes = "C3"
    sheet.auto_filter.ref = f"A2:{last}{max(2, len(rows) + 2)}"
    fit_row_heights(sheet)
    print_on_a4(sheet, last, len(rows) + 2)
    sheet.page_setup.orientation = "landscape"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@login_required
@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    board = dashboard_data(request.user, request.GET)
    response = HttpResponse(
        dashboard_xlsx(board),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(board, "xlsx")}"'
    return response
