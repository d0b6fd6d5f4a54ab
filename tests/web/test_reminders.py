"""Reminders of measures due soon or overdue: the rule (done and cancelled never, a postponed measure
by its new day), the agency home's list, and the e-mails through Django's SMTP backend to a real SMTP
server on loopback (aiosmtpd): Thai subject and body, only the agency's clerks and executives with an
address, once per day however often and by however many workers the day runs, retried on an SMTP
failure, and the schedule the worker checks."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import User
from django.db import connection
from django.template import Context, Template
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from prongsai.planfile import plan_to_data
from prongsai_web.accounts.services import add_user
from prongsai_web.audit.models import AuditEvent
from prongsai_web.jobs import reminders
from prongsai_web.jobs.models import Reminder, ReminderMail, ReminderSlot
from prongsai_web.jobs.worker import run_worker
from prongsai_web.plans.models import Plan
from prongsai_web.plans.services import approve_plan, current_plan, plan_from_data, save_plan
from prongsai_web.tracking.models import Progress
from tests.web.conftest import PASSWORD, World

IN_PROCESS_WORKER = pytest.mark.django_db(transaction=True)
MARCH_20 = dt.date(2025, 3, 20)  # plan year 2568: the measures of quarters 1-2 are due 31 March 2025
APRIL_1 = dt.date(2025, 4, 1)  # the day after: overdue
EMAILS = {
    "clerk": "clerk@khokmuang.go.th",
    "executive": "mayor@khokmuang.go.th",
    "overseer": "overseer@songkhla.go.th",
    "admin": "admin@example.go.th",
    "outsider": "clerk@buengkan.go.th",
}


# --- a real SMTP server on loopback ------------------------------------------------------------


@dataclass
class Inbox:
    """What the SMTP server received: each message with its envelope's recipients."""

    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    @property
    def messages(self) -> list[EmailMessage]:
        return [m for _, m in self.received]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "prongsai <noreply@example.go.th>"
    settings.PRONGSAI_SITE_URL = "https://ita.example.go.th"
    settings.PRONGSAI_REMIND_DAYS = 14
    settings.PRONGSAI_REMIND_OVERDUE_FOR = 30
    try:
        yield inbox
    finally:
        controller.stop()


# --- the world: an approved plan with three measures due 31 March 2568 -------------------------


@dataclass
class Measures:
    due: list[str]  # quarters 1-2: due 31 March 2025 (2568)
    later: list[str]  # quarters 3-4: due 30 September 2025
    titles: dict[str, str]


def _addresses(world: World) -> None:
    for persona, address in EMAILS.items():
        User.objects.filter(pk=world.users[persona].pk).update(email=address)
    gone = add_user("former-clerk", PASSWORD, "clerk", agency=world.a1)
    User.objects.filter(pk=gone.pk).update(email="former@khokmuang.go.th", is_active=False)
    add_user("clerk-without-mail", PASSWORD, "clerk", agency=world.a1)


def _approved_plan(world: World) -> Measures:
    """A1's plan of 2567 with the first three measures in quarters 1-2, the rest in 3-4, approved."""
    admin = world.users["admin"]
    data = plan_to_data(current_plan(admin, world.a1, 2567).plan)  # type: ignore[arg-type]
    for index, measure in enumerate(data["measures"]):
        measure["quarters"] = [1, 2] if index < 3 else [3, 4]
        measure["timeframe"] = ""
    save_plan(admin, world.a1, 2567, plan_from_data(data), 1)  # type: ignore[arg-type]
    approve_plan(world.users["executive"], world.a1, 2567, 2)  # type: ignore[arg-type]
    ids = [m["id"] for m in data["measures"]]
    return Measures(ids[:3], ids[3:], {m["id"]: m["title"] for m in data["measures"]})


def _progress(world: World, text: str) -> None:
    plan = Plan.objects.get(agency=world.a1, ita_year=2567)
    Progress.objects.update_or_create(plan=plan, defaults={"text": text})


def _done_and_cancelled(world: World, measures: Measures) -> None:
    """The second measure done, the third cancelled: neither is ever reminded of."""
    done, cancelled = measures.due[1], measures.due[2]
    _progress(
        world,
        f"""schema_version: 1
agency: เทศบาลตำบลโคกม่วง
ita_year: 2567
plan_year: 2568
measures:
  - id: {done}
    updates:
      - date: 2568-03-01
        status: ดำเนินการแล้วเสร็จ
        done: ดำเนินการครบทุกขั้นตอนแล้ว
  - id: {cancelled}
    updates:
      - date: 2568-02-01
        status: ยกเลิก
        reason: ไม่ได้รับการจัดสรรงบประมาณ
""",
    )


@pytest.fixture
def planned(world: World, smtp: Inbox) -> Measures:
    _addresses(world)
    measures = _approved_plan(world)
    _done_and_cancelled(world, measures)
    return measures


def _text(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    content: str = body.get_content()
    return content


def _subject(message: EmailMessage) -> str:
    """The subject as a mail program shows it: its encoded words decoded, the fold after the colon
    (Django folds a long Thai subject onto the next line) unfolded."""
    return str(message["Subject"]).strip()


def _send_all() -> int:
    return run_worker("default", batch=True, name="test-mail")


# --- the rule ------------------------------------------------------------------------------------


def test_due_soon_overdue_and_never_done_or_cancelled(world: World, planned: Measures) -> None:
    tracked = reminders.tracked_plans(MARCH_20)
    assert [t.row.agency_id for t in tracked] == [world.a1.pk]
    soon = reminders.due_items(tracked[0], MARCH_20)
    assert [(i.measure_id, i.kind, i.days) for i in soon] == [(planned.due[0], "due", 11)]
    assert reminders.due_items(tracked[0], dt.date(2025, 3, 16)) == []  # 15 days before: not yet
    late = reminders.due_items(tracked[0], APRIL_1)
    assert [(i.measure_id, i.kind, i.late) for i in late] == [(planned.due[0], "overdue", 1)]
    assert late[0].status_th == "ยังไม่ดำเนินการ"


def test_an_unapproved_plan_or_a_year_over_reminds_nobody(world: World, smtp: Inbox) -> None:
    _addresses(world)
    current_plan(world.users["clerk"], world.a1, 2567)  # type: ignore[arg-type]  # drafted, not approved
    assert reminders.tracked_plans(MARCH_20) == []
    _approved_plan(world)
    assert reminders.tracked_plans(dt.date(2025, 10, 30))  # the year ended 30 days ago: still followed
    assert reminders.tracked_plans(dt.date(2025, 11, 1)) == []
    assert reminders.tracked_plans(dt.date(2024, 9, 30)) == []  # before the plan year


def test_a_postponed_measure_is_reminded_of_by_its_new_day(world: World, smtp: Inbox) -> None:
    _addresses(world)
    measures = _approved_plan(world)
    first = measures.due[0]
    _progress(
        world,
        f"""schema_version: 1
agency: เทศบาลตำบลโคกม่วง
ita_year: 2567
plan_year: 2568
measures:
  - id: {first}
    updates:
      - date: 2568-03-10
        status: เลื่อน
        reason: รอผลการจัดซื้อจัดจ้าง
        until: 2568-05-15
""",
    )
    tracked = reminders.tracked_plans(APRIL_1)[0]
    assert first not in {i.measure_id for i in reminders.due_items(tracked, APRIL_1)}
    may_5 = reminders.due_items(tracked, dt.date(2025, 5, 5))
    assert (may_5[0].measure_id, may_5[0].kind, may_5[0].due) == (first, "due", dt.date(2025, 5, 15))


def test_the_agency_home_list(world: World, planned: Measures) -> None:
    items = reminders.reminders_for(world.a1, APRIL_1)
    assert [(i.measure_id, i.when_th) for i in items] == [(planned.due[0], "เกินกำหนด 1 วัน")]
    assert reminders.reminders_for(world.b1, APRIL_1) == []
    html = Template("{% load jobs_tags %}{% agency_reminders agency %}").render(Context({"agency": world.a1}))
    assert html.strip() == ""  # today (2026) the plan year 2568 is long over
    rendered = Template('{% include "jobs/_reminders.html" %}').render(
        Context({"agency": world.a1, "reminders": items, "td": True, "remind_days": 14})
    )
    assert "เกินกำหนด ๑ วัน" in rendered and planned.titles[planned.due[0]] in rendered
    # the measure's progress page, where the clerk records what was done
    assert "๓๑ มีนาคม ๒๕๖๘" in rendered
    assert f"/a/{world.a1.pk}/years/2567/tracking/m/{planned.due[0]}/" in rendered


# --- the e-mails ---------------------------------------------------------------------------------


@IN_PROCESS_WORKER
def test_the_due_soon_email_in_thai_to_the_agencys_clerks_and_executives(
    world: World, planned: Measures, smtp: Inbox
) -> None:
    run = reminders.run_slot(MARCH_20, "worker-a")
    assert run is not None and len(run.mails) == 1 and run.measures == 1
    assert _send_all() == 1
    assert len(smtp.received) == 1
    recipients, message = smtp.received[0]
    assert sorted(recipients) == sorted([EMAILS["clerk"], EMAILS["executive"]])
    assert _subject(message) == "แจ้งเตือน: มาตรการใกล้ครบกำหนด ๑ มาตรการ (เทศบาลตำบลโคกม่วง)"
    assert message["From"] == "prongsai <noreply@example.go.th>"
    body = _text(message)
    title = planned.titles[planned.due[0]]
    assert body.startswith("เรียน ผู้รับผิดชอบการดำเนินการตามมาตรการของเทศบาลตำบลโคกม่วง")
    assert f"๑. {title} กำหนดแล้วเสร็จภายในวันที่ ๓๑ มีนาคม ๒๕๖๘ (อีก ๑๑ วัน)" in body
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘" in body and "ภายใน ๑๔ วัน" in body
    assert f"https://ita.example.go.th/a/{world.a1.pk}/years/2567/plan/" in body  # digits kept in links
    for other in (planned.due[1], planned.due[2], *planned.later):
        assert planned.titles[other] not in body
    mail = ReminderMail.objects.get()
    assert (mail.status, mail.attempts, mail.kind) == ("done", 1, "due") and mail.sent_at is not None
    assert AuditEvent.objects.filter(action="reminder.sent", object_id=str(mail.pk)).count() == 1


@IN_PROCESS_WORKER
def test_each_reminder_is_sent_once_however_often_the_days_run(
    world: World, planned: Measures, smtp: Inbox
) -> None:
    assert reminders.run_slot(MARCH_20, "worker-a") is not None
    assert reminders.run_slot(MARCH_20, "worker-b") is None  # the day ran: nothing again
    assert reminders.run_slot(dt.date(2025, 3, 21), "worker-a") is not None  # a new day, no new reminder
    _send_all()
    assert len(smtp.received) == 1
    assert ReminderSlot.objects.count() == 2 and ReminderMail.objects.count() == 1
    assert reminders.run_slot(APRIL_1) is not None  # overdue now: one more, of the other kind
    assert reminders.run_slot(dt.date(2025, 4, 2)) is not None
    _send_all()
    assert len(smtp.received) == 2
    overdue = smtp.messages[1]
    assert _subject(overdue) == "แจ้งเตือน: มาตรการเกินกำหนด ๑ มาตรการ (เทศบาลตำบลโคกม่วง)"
    assert "เกินกำหนด ๑ วัน สถานะล่าสุด: ยังไม่ดำเนินการ" in _text(overdue)
    assert "โปรดบันทึกเหตุผลด้วย" in _text(overdue)
    kinds = sorted(Reminder.objects.values_list("measure_id", "kind"))
    assert kinds == sorted([(planned.due[0], "due"), (planned.due[0], "overdue")])


def _race(day: dt.date, names: list[str]) -> list[bool]:
    """Whether each worker ran the day, all claiming it at the same moment, each on its own
    connection. On SQLite the test database is shared in memory, where a second writer is refused at
    once ("table is locked") instead of waiting as the file database does: there they take turns."""
    if connection.vendor != "postgresql":
        return [reminders.run_slot(day, name) is not None for name in names]
    start = threading.Barrier(len(names))
    outcomes: list[bool] = []

    def worker(name: str) -> None:
        try:
            start.wait()
            outcomes.append(reminders.run_slot(day, name) is not None)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


@IN_PROCESS_WORKER
def test_two_workers_racing_for_the_day_send_once(world: World, planned: Measures, smtp: Inbox) -> None:
    """Two workers claim the same day: the slot's unique day lets one run it (on PostgreSQL the
    second insert waits for the first transaction, then fails)."""
    assert sorted(_race(MARCH_20, ["worker-a", "worker-b"])) == [False, True]
    assert reminders.run_slot(MARCH_20, "worker-c") is None  # and a third, later, does nothing either
    _send_all()
    assert len(smtp.received) == 1 and ReminderMail.objects.count() == 1


@IN_PROCESS_WORKER
def test_an_smtp_failure_is_retried_with_backoff_and_sent_once(
    world: World, planned: Measures, smtp: Inbox, settings: Any
) -> None:
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there: the connection is refused
    reminders.run_slot(MARCH_20, "worker-a")
    _send_all()
    mail = ReminderMail.objects.get()
    assert (mail.status, mail.attempts) == ("queued", 1)
    assert mail.error_th.startswith("ส่งอีเมลแจ้งเตือนไม่สำเร็จ") and "ConnectionRefusedError" in mail.error_en
    retry = DBTaskResult.objects.get(id=mail.task_id)
    assert retry.status == "READY"
    assert dt.timedelta(minutes=1, seconds=50) < retry.run_after - timezone.now() <= dt.timedelta(minutes=2)
    assert _send_all() == 0  # not before its time
    settings.EMAIL_PORT = port
    DBTaskResult.objects.filter(id=mail.task_id).update(run_after=timezone.now())
    assert _send_all() == 1
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.error_en) == ("done", 2, "")
    assert len(smtp.received) == 1
    assert reminders.send(mail.pk) == "skipped"  # a stray task of a sent mail sends nothing
    assert len(smtp.received) == 1


@IN_PROCESS_WORKER
def test_an_email_whose_attempts_are_spent_fails(world: World, planned: Measures, settings: Any) -> None:
    settings.EMAIL_PORT = free_port()
    settings.JOBS_MAIL_ATTEMPTS = 2
    reminders.run_slot(MARCH_20, "worker-a")
    mail = ReminderMail.objects.get()
    for status in ("queued", "failed"):
        DBTaskResult.objects.filter(id=mail.task_id).update(run_after=timezone.now())
        _send_all()
        mail.refresh_from_db()
        assert mail.status == status
    assert AuditEvent.objects.filter(action="reminder.failed", object_id=str(mail.pk)).count() == 1


def test_a_mail_left_being_sent_by_a_dead_worker_is_failed_not_resent(
    world: World, planned: Measures
) -> None:
    reminders.run_slot(MARCH_20, "worker-a")
    mail = ReminderMail.objects.get()
    ReminderMail.objects.filter(pk=mail.pk).update(
        status="running", attempts=1, started_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert reminders.reap_mails() == [mail.pk]
    mail.refresh_from_db()
    assert mail.status == "failed" and "ไม่ส่งซ้ำ" in mail.error_th


def test_nobody_to_tell_writes_nothing(world: World, smtp: Inbox) -> None:
    measures = _approved_plan(world)  # no address on any account
    assert measures.due
    run = reminders.run_slot(MARCH_20, "worker-a")
    assert run is not None and run.mails == [] and not Reminder.objects.exists()


def test_a_stale_overdue_is_not_emailed(world: World, planned: Measures) -> None:
    run = reminders.run_slot(dt.date(2025, 5, 15), "worker-a")  # 45 days late: past the 30 days
    assert run is not None and run.mails == []
    assert reminders.reminders_for(world.a1, dt.date(2025, 5, 15))  # the home still lists it


# --- the schedule --------------------------------------------------------------------------------


def _bangkok(hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2025, 3, 20, hour, 5))


def test_the_schedule_queues_the_day_once_it_is_time(world: World, settings: Any) -> None:
    settings.PRONGSAI_REMIND_HOUR = 8
    assert reminders.schedule(_bangkok(7)) is None  # before eight in Bangkok
    assert reminders.schedule(_bangkok(9)) == MARCH_20
    task = DBTaskResult.objects.get()
    assert (task.queue_name, task.args_kwargs["args"]) == ("default", ["2025-03-20"])
    ReminderSlot.objects.create(day=MARCH_20, worker="elsewhere")
    assert reminders.schedule(_bangkok(10)) is None  # the day has run
    settings.PRONGSAI_REMIND = False
    assert reminders.schedule(timezone.make_aware(dt.datetime(2025, 3, 21, 9))) is None


@IN_PROCESS_WORKER
def test_the_worker_runs_todays_slot_and_sends(
    world: World, planned: Measures, smtp: Inbox, monkeypatch: Any
) -> None:
    monkeypatch.setattr(reminders, "due_slot", lambda now=None: MARCH_20)  # 20 March 2568, after eight
    assert run_worker(batch=True, schedule=True, name="worker-x") == 2  # the slot, then its e-mail
    assert ReminderSlot.objects.get().day == MARCH_20
    assert len(smtp.received) == 1
    assert run_worker(batch=True, name="worker-y") == 0  # --batch checks no schedule


# --- prongsai web remind -------------------------------------------------------------------------


def test_web_remind_command(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "PRONGSAI_DATA", "PRONGSAI_SMTP_HOST")
    }
    prongsai = str(Path(sys.executable).parent / "prongsai")
    subprocess.run([prongsai, "web", "init", "--data", str(data)], env=env, check=True, capture_output=True)
    first = subprocess.run(
        [prongsai, "web", "remind", "--data", str(data), "--as-of", "20 มีนาคม 2568"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert first.returncode == 0, first.stderr
    assert "รอบแจ้งเตือนวันที่ 20 มีนาคม 2568: อีเมล 0 ฉบับ" in first.stdout
    again = subprocess.run(
        [prongsai, "web", "remind", "--data", str(data), "--as-of", "2568-03-20"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert again.returncode == 0 and "ทำไปแล้ว" in again.stdout and "already run" in again.stdout
    wrong = subprocess.run(
        [prongsai, "web", "remind", "--data", str(data), "--as-of", "31 ก.พ. 2568"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr and "--as-of" in wrong.stderr
