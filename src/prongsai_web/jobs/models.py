"""What the background jobs keep (docs/web.md, "Documents as background jobs"; docs/web-documents.md):

- ``RenderJob``: a document asked for and made in the background, one row per request, of either kind
  (the measures document, or the 6- or 12-month progress report), with everything it is made from
  copied onto the row (the plan version, the progress file, the document settings), so that a re-run
  makes the same document; the file lands in the data folder's media once it is made;
- ``DocumentSettings``: who signs an agency's documents and the lines of its letters, remembered;
- ``ReminderSlot``, ``ReminderMail``, ``Reminder``: the daily reminders of measures due soon or
  overdue, once per day (the slot), once per measure, kind and due date (the reminder).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from prongsai_web.directory.models import Agency
from prongsai_web.plans.models import Plan


class Status(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Format(models.TextChoices):
    DOCX = "docx"
    PDF = "pdf"
    HTML = "html"
    XLSX = "xlsx"  # the progress report's workbook only


class Kind(models.TextChoices):
    MEASURES = "measures"  # มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน
    PROGRESS = "progress"  # รายงานผลการดำเนินการตามมาตรการ รอบ 6 / 12 เดือน


def output_path(job: RenderJob, filename: str) -> str:
    return f"documents/{job.agency_id}/{job.ita_year}/{filename}"


class RenderJob(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="render_jobs")
    ita_year = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MEASURES)
    plan_version = models.PositiveIntegerField()  # the plan's version when the document was asked for
    plan_text = models.TextField()  # that version's plan file, so the document is of the version asked
    progress_text = models.TextField(blank=True)  # the progress file then (progress reports)
    period = models.PositiveSmallIntegerField(null=True, blank=True)  # 6 or 12 (progress reports)
    as_of = models.DateField(null=True, blank=True)  # progress reports: None, the round's last day
    report_settings = models.JSONField(default=dict, blank=True)  # signers, unit, reference, website, date
    fmt = models.CharField(max_length=8, choices=Format.choices)
    layout = models.CharField(max_length=40, blank=True)  # the measures document's layout
    thai_digits = models.BooleanField(null=True)  # None: as the agency's kind writes them
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)  # runs started (a reaped run counts)
    error_th = models.TextField(blank=True)
    error_en = models.TextField(blank=True)
    output = models.FileField(upload_to=output_path, max_length=255, blank=True)
    task_id = models.CharField(max_length=64, blank=True)  # the django-tasks-db row of the latest run
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)  # of the latest run: the reaper's clock
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["status", "started_at"], name="render_job_status_started"),
            models.Index(fields=["agency", "ita_year"], name="render_job_agency_year"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.ita_year} {self.kind} v{self.plan_version} {self.fmt} {self.status}"


class DocumentSettings(models.Model):
    """The agency's document settings as the page last saved them: the signers (name and position of
    each role of ``prongsai.document.settings.ROLES`` and ``FRAME_ROLES``), ``unit``, ``reference``
    and ``website`` (docs/document.md, "Agency settings"). The document's date is the request's own."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="document_settings")
    data = models.JSONField(default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.agency} document settings"


class ReminderKind(models.TextChoices):
    DUE = "due"  # due within PRONGSAI_REMIND_DAYS days
    OVERDUE = "overdue"  # past its due date, neither done nor cancelled


class ReminderSlot(models.Model):
    """One day's run of the reminders: the worker that inserts the day first runs it; every other
    worker's insert fails on the unique day and leaves it alone."""

    day = models.DateField(unique=True)
    worker = models.CharField(max_length=100)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    mails = models.PositiveIntegerField(default=0)  # e-mails queued by the run

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"reminders {self.day} ({self.worker})"


class ReminderMail(models.Model):
    """One e-mail of a slot: the measures of one plan of one kind, to the agency's clerks and
    executives; its text is written when it is queued, so a retry sends the same words."""

    slot = models.ForeignKey(ReminderSlot, on_delete=models.CASCADE, related_name="reminder_mails")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="reminder_mails")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reminder_mails")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    recipients = models.JSONField(default=list)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error_th = models.TextField(blank=True)
    error_en = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "plan", "kind"], name="one_reminder_mail_per_slot_plan")
        ]
        indexes = [models.Index(fields=["status", "started_at"], name="reminder_mail_status_started")]

    def __str__(self) -> str:
        return f"{self.agency} {self.kind} {self.slot.day} {self.status}"


class Reminder(models.Model):
    """A measure reminded of: never twice for the same plan, measure, kind and due date (a measure
    postponed to a new day is reminded of again for that day)."""

    mail = models.ForeignKey(ReminderMail, on_delete=models.CASCADE, related_name="reminders")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reminders")
    measure_id = models.CharField(max_length=200)  # a plan's measure id is a name (200 characters)
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    due = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "measure_id", "kind", "due"], name="one_reminder_per_measure_due"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.measure_id} {self.kind} {self.due}"
