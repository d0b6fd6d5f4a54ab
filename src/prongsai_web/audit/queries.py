"""Reading the audit log: who may see which events, the filters of the audit page and its export, and
pages of events by their id (keyset paging: every page is one bounded query, however long the log).

Scope (docs/web-staff.md): a national admin sees every event; anyone else the events of the agencies
they may see (``access.agencies``), so a clerk or an executive sees their own agency's, an overseer
those of the agencies in their province or department. Events of no agency (users, sign-ins,
frameworks) are a national admin's only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.utils import timezone

from prongsai.problems import Location, Problem
from prongsai.thaidate import read_date
from prongsai.timeframe import thai_date
from prongsai_web.access import agencies
from prongsai_web.accounts.services import FieldProblem, as_id, field_problem, is_admin
from prongsai_web.audit.models import AuditEvent

PAGE_SIZE = 50
GROUP_SUFFIX = ".*"  # an action filter 'plan.*' is every plan event


def visible_events(user: User | AnonymousUser) -> QuerySet[AuditEvent]:
    """Every event ``user`` may see."""
    events = AuditEvent.objects.all()
    if is_admin(user):
        return events
    return events.filter(agency__in=agencies(user).values("pk"))


@dataclass(frozen=True)
class EventFilter:
    """The audit page's filters, as typed (``since`` and ``until`` are read as Buddhist-era dates)."""

    actor: str = ""  # part of the actor's user name
    action: str = ""  # an action, or a group 'plan.*'
    agency: str = ""  # part of the agency's name
    agency_id: int | None = None  # one agency (the links of the page)
    since: dt.date | None = None  # the first day, inclusive
    until: dt.date | None = None  # the last day, inclusive
    problems: tuple[FieldProblem, ...] = field(default=())

    @property
    def active(self) -> bool:
        return bool(self.actor or self.action or self.agency or self.agency_id or self.since or self.until)


def _day(params: Mapping[str, str], name: str) -> tuple[dt.date | None, list[FieldProblem]]:
    typed = params.get(name, "").strip()
    if not typed:
        return None, []
    day, problems = read_date(typed, Location(field=name))
    return day, [_at_field(name, p) for p in problems]


def _at_field(name: str, problem: Problem) -> FieldProblem:
    return FieldProblem(name, problem.message_th, problem.message_en)


def read_filter(params: Mapping[str, str]) -> EventFilter:
    """The filters of a request's query string; a date that cannot be read is a problem at its field."""
    since, problems = _day(params, "since")
    until, found = _day(params, "until")
    problems += found
    if since and until and since > until:
        problems.append(
            field_problem("until", "staff_dates_reversed", since=thai_date(since), until=thai_date(until))
        )
    return EventFilter(
        actor=params.get("actor", "").strip(),
        action=params.get("action", "").strip(),
        agency=params.get("agency", "").strip(),
        agency_id=as_id(params.get("agency_id", "")),
        since=since,
        until=until,
        problems=tuple(problems),
    )


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filtered(events: QuerySet[AuditEvent], wanted: EventFilter) -> QuerySet[AuditEvent]:
    """``events`` narrowed by every filter given (days are the server's time zone, Asia/Bangkok)."""
    if wanted.actor:
        events = events.filter(actor__username__icontains=wanted.actor)
    if wanted.action.endswith(GROUP_SUFFIX):
        events = events.filter(action__startswith=wanted.action[: -len(GROUP_SUFFIX)] + ".")
    elif wanted.action:
        events = events.filter(action=wanted.action)
    if wanted.agency_id is not None:
        events = events.filter(agency_id=wanted.agency_id)
    if wanted.agency:
        events = events.filter(agency__name__icontains=wanted.agency)
    if wanted.since:
        events = events.filter(at__gte=_start_of(wanted.since))
    if wanted.until:
        events = events.filter(at__lt=_start_of(wanted.until + dt.timedelta(days=1)))
    return events


@dataclass(frozen=True)
class EventPage:
    """One page of events, newest first, with the cursors of the pages around it (None: no such page)."""

    events: list[AuditEvent]
    older: int | None  # ?before=older
    newer: int | None  # ?after=newer


def event_page(
    events: QuerySet[AuditEvent], before: str | None = None, after: str | None = None, size: int = PAGE_SIZE
) -> EventPage:
    """The ``size`` events just older than event ``before``, or just newer than event ``after``, or
    the newest; by id, which follows the order events were written in."""
    events = events.select_related("actor", "agency")
    older_than, newer_than = as_id(before or ""), as_id(after or "")
    if newer_than is not None and older_than is None:
        return _newer_page(events, newer_than, size)
    return _older_page(events, older_than, size)


def _older_page(events: QuerySet[AuditEvent], older_than: int | None, size: int) -> EventPage:
    below = events if older_than is None else events.filter(id__lt=older_than)
    rows = list(below.order_by("-id")[: size + 1])
    page = rows[:size]
    older = page[-1].pk if len(rows) > size else None
    has_newer = older_than is not None and bool(page) and events.filter(id__gt=page[0].pk).exists()
    return EventPage(page, older, page[0].pk if has_newer else None)


def _newer_page(events: QuerySet[AuditEvent], newer_than: int, size: int) -> EventPage:
    rows = list(events.filter(id__gt=newer_than).order_by("id")[: size + 1])
    page = rows[:size][::-1]
    if not page:
        return EventPage([], None, None)
    older = page[-1].pk if events.filter(id__lt=page[-1].pk).exists() else None
    return EventPage(page, older, page[0].pk if len(rows) > size else None)
