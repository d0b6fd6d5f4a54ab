"""The documents endpoints of the API (added to prongsai_web.api.api): ask for a measures document
or a progress report, follow its job, download the file. Out of scope 404, may see but not ask 403
(access.py). The agency's remembered document settings (signers, unit...) sign what is asked here."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.security import HttpBearer, SessionAuth

from prongsai.document.settings import parse_date
from prongsai.problems import Location
from prongsai_web.access import Action, agency_for
from prongsai_web.accounts.services import user_of_token
from prongsai_web.jobs.services import (
    BadRequest,
    download_name,
    job_for,
    job_json,
    request_document,
    request_progress_report,
)
from prongsai_web.messages import from_problem

router = Router(tags=["documents"])


class _Bearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_of_token(token)
        if user is not None:
            request.user = user
        return user


class DocumentRequest(Schema):
    format: str = "docx"
    layout: str | None = None  # the core's default layout when not given
    thai_digits: bool | None = None  # as the agency's kind writes them when not given


class Queued(Schema):
    job: int


class ProblemOut(Schema):
    th: str
    en: str
    location: dict[str, Any]


class Problems(Schema):
    errors: list[ProblemOut]


@router.post("/agencies/{agency_id}/years/{ita_year}/documents", response={202: Queued, 400: Problems})
def request(request: HttpRequest, agency_id: int, ita_year: int, body: DocumentRequest) -> Any:
    agency = agency_for(request.user, agency_id, Action.EDIT)
    try:
        job = request_document(request.user, agency, ita_year, body.format, body.layout, body.thai_digits)
    except BadRequest as bad:
        return Status(400, {"errors": bad.problems})
    return Status(202, {"job": job.pk})


class ProgressReportRequest(Schema):
    period: int  # 6 or 12
    format: str = "docx"  # docx, pdf, html or xlsx
    as_of: str | None = None  # a date as Thai officials write it; the round's last day when not given
    thai_digits: bool | None = None


@router.post("/agencies/{agency_id}/years/{ita_year}/progress-reports", response={202: Queued, 400: Problems})
def request_report(request: HttpRequest, agency_id: int, ita_year: int, body: ProgressReportRequest) -> Any:
    """The 6- or 12-month progress report on the current plan, from its progress file as kept."""
    agency = agency_for(request.user, agency_id, Action.EDIT)
    as_of = None
    if body.as_of is not None:
        as_of, problems = parse_date(body.as_of, Location(field="as_of"))
        if as_of is None:
            return Status(400, {"errors": [from_problem(p) for p in problems]})
    try:
        job = request_progress_report(
            request.user, agency, ita_year, body.period, body.format, as_of, body.thai_digits
        )
    except BadRequest as bad:
        return Status(400, {"errors": bad.problems})
    return Status(202, {"job": job.pk})


@router.get("/jobs/{job_id}", response=dict[str, Any])
def job(request: HttpRequest, job_id: int) -> Any:
    found = job_for(request.user, job_id)
    return job_json(found, reverse("api:job_file", args=[found.pk]))


@router.get("/jobs/{job_id}/file", url_name="job_file", auth=[_Bearer(), SessionAuth()])
def job_file(request: HttpRequest, job_id: int) -> FileResponse:
    """The document (a bearer token, or a signed-in browser session for the pages' links)."""
    found = job_for(request.user, job_id)
    if found.status != "done" or not found.output:
        raise Http404("the document is not made yet")
    return FileResponse(found.output.open("rb"), as_attachment=True, filename=download_name(found))
