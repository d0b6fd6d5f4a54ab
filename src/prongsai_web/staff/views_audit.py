"""The audit log page and its CSV export: who changed what and when, newest first, filtered by actor,
action, agency and Buddhist-era dates; each person sees the events of their scope
(``audit.queries.visible_events``). Nothing here writes."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from prongsai.formulas import csv_text
from prongsai.thai import BE_OFFSET
from prongsai_web.access import agencies
from prongsai_web.accounts.services import is_admin
from prongsai_web.audit.models import AuditEvent
from prongsai_web.audit.queries import (
    EventFilter,
    EventPage,
    event_page,
    filtered,
    read_filter,
    visible_events,
)
from prongsai_web.directory.models import Agency
from prongsai_web.messages import text
from prongsai_web.staff.events import action_choices, event_words

SHOWN_MAX = 160  # a detail value longer than this is cut on the page (the export keeps it whole)
CHUNK = 2000  # events read at a time while the export streams
HEADINGS = (
    "วันเวลา (พ.ศ.)",
    "ผู้ดำเนินการ",
    "การดำเนินการ",
    "รหัสการดำเนินการ",
    "หน่วยงาน",
    "รหัสหน่วยงาน",
    "จังหวัด",
    "ประเภทข้อมูล",
    "รหัสข้อมูล",
    "รายละเอียด",
)


@dataclass(frozen=True)
class Row:
    event: AuditEvent
    actor: str
    words_th: str
    words_en: str
    detail: list[tuple[str, str]]


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _shown(value: Any) -> str:
    words = _value(value)
    return words if len(words) <= SHOWN_MAX else words[: SHOWN_MAX - 1] + "…"


def _actor(event: AuditEvent) -> str:
    return event.actor.username if event.actor is not None else text("event_system")[0]


def _row(event: AuditEvent) -> Row:
    th, en = event_words(event.action)
    detail = [(key, _shown(value)) for key, value in sorted(event.detail.items())]
    return Row(event, _actor(event), th, en, detail)


def _link(params: QueryDict, **cursor: int) -> str:
    kept = params.copy()
    for name in ("before", "after"):
        kept.pop(name, None)
    for name, value in cursor.items():
        kept[name] = str(value)
    return "?" + kept.urlencode()


def _chosen_agency(user: User | AnonymousUser, wanted: EventFilter) -> Agency | None:
    """The agency of ``agency_id``, when the person may see it."""
    if wanted.agency_id is None:
        return None
    scope = Agency.objects.all() if is_admin(user) else agencies(user)
    return scope.filter(pk=wanted.agency_id).first()


@login_required
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    wanted = read_filter(request.GET)
    events = visible_events(request.user)
    page = EventPage([], None, None)
    if not wanted.problems:
        page = event_page(filtered(events, wanted), request.GET.get("before"), request.GET.get("after"))
    errors: dict[str, list[Any]] = {}
    for problem in wanted.problems:
        errors.setdefault(problem.field, []).append(problem)
    kept = request.GET.copy()
    for name in ("before", "after"):
        kept.pop(name, None)
    context = {
        "rows": [_row(e) for e in page.events],
        "page": page,
        "wanted": wanted,
        "typed": {k: request.GET.get(k, "") for k in ("actor", "action", "agency", "since", "until")},
        "errors": errors,
        "choices": action_choices(),
        "chosen_agency": _chosen_agency(request.user, wanted),
        "older": _link(request.GET, before=page.older) if page.older else "",
        "newer": _link(request.GET, after=page.newer) if page.newer else "",
        "paged": "before" in request.GET or "after" in request.GET,
        "export": kept.urlencode(),
        "everything": is_admin(request.user),
        "tab": "audit",
    }
    return render(request, "staff/audit.html", context, status=400 if wanted.problems else 200)


def _be_stamp(event: AuditEvent) -> str:
    """'2569-12-03 14:05:09': the Buddhist-era year, local time, sortable."""
    local = timezone.localtime(event.at)
    return f"{local.year + BE_OFFSET:04d}-{local:%m-%d %H:%M:%S}"


def _csv_cells(event: AuditEvent) -> list[str]:
    agency = event.agency
    cells = [
        _be_stamp(event),
        _actor(event),
        event_words(event.action)[0],
        event.action,
        agency.name if agency else "",
        str(agency.pk) if agency else "",
        agency.province if agency else "",
        event.object_type,
        event.object_id,
        json.dumps(event.detail, ensure_ascii=False, sort_keys=True) if event.detail else "",
    ]
    return [csv_text(c) for c in cells]


class _Line:
    """A file-like object whose write returns the line, for csv.writer in a streamed response."""

    def write(self, line: str) -> str:
        return line


def _csv_lines(events: Iterator[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield "\ufeff" + str(writer.writerow(HEADINGS))  # the BOM: Excel reads the file as UTF-8
    for event in events:
        yield str(writer.writerow(_csv_cells(event)))


def _filename() -> str:
    today = timezone.localdate()
    return f"prongsai-audit-{today.year + BE_OFFSET}-{today:%m-%d}.csv"


@login_required
@require_GET
def audit_csv(request: HttpRequest) -> HttpResponseBase:
    wanted = read_filter(request.GET)
    if wanted.problems:
        return audit(request)
    events = filtered(visible_events(request.user), wanted).select_related("actor", "agency").order_by("-id")
    response = StreamingHttpResponse(
        _csv_lines(events.iterator(chunk_size=CHUNK)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename()}"'
    return response
