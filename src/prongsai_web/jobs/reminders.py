"""Reminders of measures due soon or overdue: on the agency home and by e-mail, once a day
(docs/web-documents.md, "Reminders").

The rule (prongsai's choice, not an NACC one): a measure of an approved plan whose plan year is
running (or ended at most ``PRONGSAI_REMIND_OVERDUE_FOR`` days ago) is **due** when its due date is
at most ``PRONGSAI_REMIND_DAYS`` days away, and **overdue** once the core says so (the day after its
due date, neither done nor cancelled: ``prongsai.progress.states``). Measures done or cancelled are
never reminded of.

Once per slot: a slot is a day. The first worker to insert the day's ``ReminderSlot`` runs it; any
other's insert fails on the unique day (on PostgreSQL the second insert waits for the first and then
fails), so the day runs once however many workers race. The run writes one ``Reminder`` per plan,
measure, kind and due date (unique: a measure is never reminded of twice for the same day) and one
``ReminderMail`` per plan and kind holding the new ones, whose sending is a task retried with the
documents' back-off on an SMTP failure. An overdue measure is e-mailed about only within
``PRONGSAI_REMIND_OVERDUE_FOR`` days of its due date (a worker stopped for weeks does not send stale
news); the home lists every one.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from prongsai.app.plans import plan_from_text
from prongsai.catalog.progress import status_th
from prongsai.errors import InputError
from prongsai.planning import Plan as CorePlan
from prongsai.progress import CLOSED, MeasureState, plan_year_days, states
from prongsai.progress import Progress as CoreProgress
from prongsai.progress import Status as MeasureStatus
from prongsai.thai import fiscal_year_be, to_digits
from prongsai.timeframe import thai_date
from prongsai_web.accounts.models import Membership, Role, Scope
from prongsai_web.audit.services import record
from prongsai_web.directory.models import Agency
from prongsai_web.jobs.models import ReminderKind, ReminderMail, ReminderSlot, Status
from prongsai_web.jobs.progresstext import read_progress_text
from prongsai_web.jobs.services import backoff, error_text, fail_task_row, is_stale
from prongsai_web.messages import text
from prongsai_web.plans.models import Plan
from prongsai_web.tracking.models import Progress

log = logging.getLogger(__name__)

QUEUE = "default"  # the day's run and its e-mails: nobody is waiting on a page for them
RECIPIENT_ROLES = (Role.CLERK, Role.EXECUTIVE)


# --- the settings, read when used (tests change them) --------------------------------------------


def remind_days() -> int:
    """Days before its due date a measure is reminded of (PRONGSAI_REMIND_DAYS, default 14)."""
    return int(getattr(settings, "PRONGSAI_REMIND_DAYS", 14))


def overdue_for() -> int:
    """Days after its due date an overdue measure may still be e-mailed about."""
    return int(getattr(settings, "PRONGSAI_REMIND_OVERDUE_FOR", 30))


def mail_attempts() -> int:
    return int(getattr(settings, "JOBS_MAIL_ATTEMPTS", 5))


# --- what is due ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tracked:
    """An approved plan in follow-up, read: the row, the plan and its progress."""

    row: Plan
    plan: CorePlan
    progress: CoreProgress


@dataclass(frozen=True)
class DueItem:
    """A measure to remind of, as of a day. ``days``: until the due date (negative: days late)."""

    agency_id: int
    ita_year: int
    plan_year: int
    number: int  # its place in the plan, from 1
    measure_id: str
    title: str
    due: dt.date
    days: int
    kind: ReminderKind
    status: MeasureStatus

    @property
    def overdue(self) -> bool:
        return self.kind == ReminderKind.OVERDUE

    @property
    def late(self) -> int:
        return -self.days

    @property
    def status_th(self) -> str:
        return status_th(self.status)

    @property
    def index(self) -> int:
        """Its place in the plan from 0 (the plan page's anchors)."""
        return self.number - 1

    @property
    def when_th(self) -> str:
        """'อีก 5 วัน', 'ครบกำหนดวันนี้', 'เกินกำหนด 3 วัน'."""
        if self.overdue:
            return text("remind_home_overdue", days=self.late)[0]
        if self.days == 0:
            return text("remind_home_today")[0]
        return text("remind_home_due", days=self.days)[0]


def in_follow_up(plan_year: int, day: dt.date) -> bool:
    """The plan year has started and ended at most ``overdue_for`` days before ``day``."""
    first, last = plan_year_days(plan_year)
    return first <= day <= last + dt.timedelta(days=overdue_for())


def tracked_plans(day: dt.date, agency: Agency | None = None) -> list[Tracked]:
    """The plans with an approved version whose plan year is in follow-up on ``day``, read with
    their progress (a plan whose progress file no longer reads is left out, with a warning)."""
    fiscal = fiscal_year_be(day.year, day.month)
    rows = Plan.objects.filter(
        ita_year__in=range(fiscal - 2, fiscal + 1), versions__approved_at__isnull=False
    )
    if agency is not None:
        rows = rows.filter(agency=agency)
    found = []
    for row in rows.distinct().select_related("agency").order_by("agency_id", "ita_year"):
        tracked = _read(row, day)
        if tracked is not None:
            found.append(tracked)
    return found


def _read(row: Plan, day: dt.date) -> Tracked | None:
    """The plan row read with its progress when its year is in follow-up on ``day``; None otherwise,
    or when either no longer reads (a warning: one plan never stops the others' reminders)."""
    try:
        plan = plan_from_text(row.text, f"plan-{row.ita_year}.yaml")
        if not in_follow_up(plan.plan_year, day):
            return None
        kept = Progress.objects.filter(plan=row).values_list("text", flat=True).first()
        if not kept:  # nothing reported yet: every measure not started
            return Tracked(row, plan, CoreProgress(plan.agency.name, plan.ita_year, plan.plan_year))
        return Tracked(row, plan, read_progress_text(kept, plan)[0])
    except InputError as exc:
        log.warning("reminders: plan %s or its progress does not read: %s", row.pk, exc)
        return None


def due_items(tracked: Tracked, day: dt.date) -> list[DueItem]:
    """The plan's measures due within ``remind_days`` or overdue on ``day``, in the plan's order."""
    found = []
    for number, state in enumerate(states(tracked.plan, tracked.progress, day), start=1):
        kind = _kind(state, day)
        if kind is not None:
            found.append(_item(tracked, number, state, day, kind))
    return found


def _kind(state: MeasureState, day: dt.date) -> ReminderKind | None:
    if state.status in CLOSED:
        return None
    if state.overdue:
        return ReminderKind.OVERDUE
    if 0 <= (state.due - day).days <= remind_days():
        return ReminderKind.DUE
    return None


def _item(tracked: Tracked, number: int, state: MeasureState, day: dt.date, kind: ReminderKind) -> DueItem:
    return DueItem(
        agency_id=tracked.row.agency_id,
        ita_year=tracked.row.ita_year,
        plan_year=tracked.plan.plan_year,
        number=number,
        measure_id=state.measure.id,
        title=state.measure.title,
        due=state.due,
        days=(state.due - day).days,
        kind=kind,
        status=state.status,
    )


def reminders_for(agency: Agency, today: dt.date | None = None) -> list[DueItem]:
    """What the agency home lists: every measure of the agency's plans in follow-up that is overdue
    (first, the latest first) or due within ``remind_days`` (the nearest first)."""
    day = today or timezone.localdate()
    items = [item for tracked in tracked_plans(day, agency) for item in due_items(tracked, day)]
    return sorted(items, key=lambda i: (not i.overdue, i.days, i.ita_year, i.number))


def to_mail(item: DueItem) -> bool:
    """Whether the item is e-mailed about: due soon, or overdue for at most ``overdue_for`` days."""
    return not item.overdue or item.late <= overdue_for()


# --- who is told ---------------------------------------------------------------------------------


def recipients(agency: Agency) -> list[str]:
    """The e-mail addresses of the agency's clerks and executives (active accounts), each once."""
    found = Membership.objects.filter(
        scope=Scope.AGENCY,
        agency=agency,
        role__in=RECIPIENT_ROLES,
        user__is_active=True,
    ).exclude(user__email="")
    return sorted({email.strip() for email in found.values_list("user__email", flat=True) if email.strip()})


# --- the e-mail ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str


def compose(agency: Agency, kind: ReminderKind, items: list[DueItem]) -> Letter:
    """The e-mail of ``items`` (one plan, one kind) in Thai, its words from texts/documents.yaml;
    digits as the agency's kind writes them (web addresses keep theirs)."""
    lines = "\n".join(_line(kind, item) for item in items)
    plan_year = items[0].plan_year
    subject, _ = text(f"remind_{kind}_subject", count=len(items), agency=agency.name)
    body, _ = text(
        f"remind_{kind}_body",
        agency=agency.name,
        plan_year=plan_year,
        days=remind_days(),
        lines=lines,
        link=_link(agency, items[0].ita_year),
    )
    thai = agency.words.thai_digits
    return Letter(to_digits(subject, thai=thai), to_digits(body, thai=thai))


def _line(kind: ReminderKind, item: DueItem) -> str:
    left = text("remind_left_today")[0] if item.days == 0 else text("remind_left_days", days=item.days)[0]
    th, _ = text(
        f"remind_{kind}_line",
        number=item.number,
        title=item.title,
        due=thai_date(item.due),
        left=left,
        late=item.late,
        status=item.status_th,
    )
    return th


def _link(agency: Agency, ita_year: int) -> str:
    """Where the clerk records progress (the plan's page), when the site's address is known."""
    site = str(getattr(settings, "PRONGSAI_SITE_URL", "") or "").rstrip("/")
    if not site:
        return ""
    return text("remind_link", url=site + reverse("plan", args=[agency.pk, ita_year]))[0]


# --- the slot: one run per day -------------------------------------------------------------------


@dataclass(frozen=True)
class SlotRun:
    slot: ReminderSlot
    mails: list[int]  # ReminderMail ids queued
    measures: int  # reminders written


def claim_slot(day: dt.date, worker: str) -> ReminderSlot | None:
    """The day's slot when this call inserts it first; None when it was already taken."""
    try:
        with transaction.atomic():
            return ReminderSlot.objects.create(day=day, worker=worker[:100])
    except IntegrityError:
        return None


def run_slot(day: dt.date, worker: str = "") -> SlotRun | None:
    """Run the reminders of ``day`` once: None when the day's slot was already taken."""
    from prongsai_web.jobs.worker import worker_id

    slot = claim_slot(day, worker or worker_id())
    if slot is None:
        return None
    mails: list[int] = []
    measures = 0
    for tracked in tracked_plans(day):
        queued = _queue_plan(slot, tracked, day)
        mails += [mail.pk for mail in queued]
        measures += sum(mail.reminders.count() for mail in queued)
    slot.finished_at = timezone.now()
    slot.mails = len(mails)
    slot.save(update_fields=["finished_at", "mails"])
    return SlotRun(slot, mails, measures)


def _queue_plan(slot: ReminderSlot, tracked: Tracked, day: dt.date) -> list[ReminderMail]:
    """The plan's new reminders as e-mails (one per kind), each with its sending task, in one
    transaction; nothing when nobody has an address or another run wrote them first."""
    agency = tracked.row.agency
    to = recipients(agency)
    items = [item for item in due_items(tracked, day) if to_mail(item)]
    if not to or not items:
        return []
    try:
        with transaction.atomic():
            return _write_mails(slot, tracked, items, to)
    except IntegrityError:  # a run of another day wrote the same reminders at the same moment
        log.info("reminders of plan %s were written by another run", tracked.row.pk)
        return []


def _write_mails(
    slot: ReminderSlot, tracked: Tracked, items: list[DueItem], to: list[str]
) -> list[ReminderMail]:
    row = tracked.row
    done = set(row.reminders.values_list("measure_id", "kind", "due"))
    mails = []
    for kind in (ReminderKind.OVERDUE, ReminderKind.DUE):
        new = [i for i in items if i.kind == kind and (i.measure_id, kind.value, i.due) not in done]
        if new:
            mails.append(_write_mail(slot, row, kind, new, to))
    return mails


def _write_mail(
    slot: ReminderSlot, row: Plan, kind: ReminderKind, items: list[DueItem], to: list[str]
) -> ReminderMail:
    letter = compose(row.agency, kind, items)
    mail = ReminderMail.objects.create(
        slot=slot,
        agency=row.agency,
        plan=row,
        kind=kind,
        recipients=to,
        subject=letter.subject[:255],
        body=letter.body,
    )
    for item in items:
        mail.reminders.create(plan=row, measure_id=item.measure_id, kind=kind, due=item.due)
    _enqueue_send(mail)
    record(
        None,
        "reminder.queued",
        agency=row.agency,
        target=mail,
        kind=kind.value,
        day=slot.day.isoformat(),
        measures=[i.measure_id for i in items],
        recipients=len(to),
    )
    return mail


def _enqueue_send(mail: ReminderMail, run_after: dt.datetime | None = None) -> None:
    from prongsai_web.jobs.tasks import send_reminder

    task = send_reminder.using(run_after=run_after) if run_after is not None else send_reminder
    result = task.enqueue(mail.pk)
    ReminderMail.objects.filter(pk=mail.pk).update(task_id=str(result.id))
    mail.task_id = str(result.id)


# --- sending -------------------------------------------------------------------------------------


def send(mail_id: int) -> str:
    """Send one queued e-mail: claim it, hand it to the SMTP server, mark it sent; on a failure
    queue it again after the back-off, or fail it once its attempts are spent. A mail not queued
    (sent, failed, being sent by another run) is left alone: it is never sent twice."""
    with transaction.atomic():
        mail = ReminderMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status != Status.QUEUED:
            return "skipped"
        mail.status = Status.RUNNING
        mail.attempts += 1
        mail.started_at = timezone.now()
        mail.save(update_fields=["status", "attempts", "started_at"])
    try:
        deliver(mail)
    except (smtplib.SMTPException, OSError) as exc:
        return _after_send_failure(mail, exc)
    return _sent(mail)


def deliver(mail: ReminderMail) -> None:
    """Hand the e-mail to the configured backend (EMAIL_* settings): every recipient in To."""
    message = EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, list(mail.recipients))
    message.send(fail_silently=False)


def _sent(mail: ReminderMail) -> str:
    with transaction.atomic():
        mail.status = Status.DONE
        mail.sent_at = timezone.now()
        mail.error_th = mail.error_en = ""
        mail.save(update_fields=["status", "sent_at", "error_th", "error_en"])
        record(None, "reminder.sent", agency=mail.agency, target=mail, attempts=mail.attempts)
    return str(mail.status)


def _after_send_failure(mail: ReminderMail, exc: Exception) -> str:
    th, en = error_text(exc, "remind_send_failed")
    log.warning("reminder e-mail %s attempt %s failed: %s", mail.pk, mail.attempts, en)
    with transaction.atomic():
        mail.error_th, mail.error_en = th, en
        if mail.attempts >= mail_attempts():
            mail.status = Status.FAILED
            mail.save(update_fields=["status", "error_th", "error_en"])
            record(None, "reminder.failed", agency=mail.agency, target=mail, attempts=mail.attempts, error=en)
        else:
            mail.status = Status.QUEUED
            mail.save(update_fields=["status", "error_th", "error_en"])
            _enqueue_send(mail, timezone.now() + backoff(mail.attempts))
    return str(mail.status)


def reap_mails(now: dt.datetime | None = None, stale_after: dt.timedelta | None = None) -> list[int]:
    """E-mails a dead worker left being sent: failed, never sent again (the SMTP server may have
    taken them already: never twice rather than maybe twice). The ids."""
    from prongsai_web.jobs.services import STALE_AFTER

    now = now or timezone.now()
    after = stale_after or STALE_AFTER
    reaped = []
    stuck = ReminderMail.objects.filter(status=Status.RUNNING, started_at__lt=now - after)
    for mail_id in stuck.values_list("pk", flat=True):
        with transaction.atomic():
            mail = ReminderMail.objects.select_for_update().filter(pk=mail_id).first()
            if mail is None or not is_stale(mail.status, mail.started_at, now, after):
                continue
            fail_task_row(mail.task_id, now)
            mail.status = Status.FAILED
            mail.error_th, mail.error_en = text("remind_worker_lost")
            mail.save(update_fields=["status", "error_th", "error_en"])
            record(None, "reminder.failed", agency=mail.agency, target=mail, attempts=mail.attempts)
            reaped.append(mail.pk)
    return reaped


# --- the schedule --------------------------------------------------------------------------------


def enabled() -> bool:
    return bool(getattr(settings, "PRONGSAI_REMIND", True))


def due_slot(now: dt.datetime | None = None) -> dt.date | None:
    """The day whose slot should run now: today (Bangkok) once it is past PRONGSAI_REMIND_HOUR and
    today has no slot yet; else None."""
    local = timezone.localtime(now or timezone.now())
    if not enabled() or local.hour < int(getattr(settings, "PRONGSAI_REMIND_HOUR", 8)):
        return None
    day = local.date()
    return None if ReminderSlot.objects.filter(day=day).exists() else day


def schedule(now: dt.datetime | None = None) -> dt.date | None:
    """What the worker does every JOBS_SCHEDULE_EVERY seconds: queue the task of today's slot when
    it is due (several workers may each queue one: the slot's unique day runs only the first)."""
    day = due_slot(now)
    if day is None:
        return None
    from prongsai_web.jobs.tasks import run_reminder_slot

    run_reminder_slot.enqueue(day.isoformat())
    return day


def run_day(day: dt.date | None = None) -> list[str]:
    """``prongsai web remind``: run the slot of ``day`` (today, Bangkok) now and send its e-mails
    at once (one attempt each; a failed one is retried by the worker). What to print, Thai / English."""
    day = day or timezone.localdate()
    run = run_slot(day)
    if run is None:
        slot = ReminderSlot.objects.get(day=day)
        return [_both("remind_already", day=thai_date(day), day_en=day.isoformat(), worker=slot.worker)]
    outcomes = [send(mail_id) for mail_id in run.mails]
    sent = outcomes.count(Status.DONE)
    lines = [
        _both(
            "remind_ran",
            day=thai_date(day),
            day_en=day.isoformat(),
            mails=len(run.mails),
            measures=run.measures,
            sent=sent,
        )
    ]
    if sent < len(run.mails):
        lines.append(_both("remind_ran_failed", failed=len(run.mails) - sent))
    return lines


def _both(key: str, **params: Any) -> str:
    th, en = text(key, **params)
    return f"{th} / {en}"
