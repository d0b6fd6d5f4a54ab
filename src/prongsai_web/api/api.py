"""The API at /api/ (django-ninja; OpenAPI at /api/openapi.json). Machines authenticate with
``Authorization: Bearer TOKEN`` from POST /api/token. Every read goes through access.py (out of scope
404, in scope without the right 403); every write through a service."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import Body, File, NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError
from ninja.files import UploadedFile
from ninja.security import HttpBearer

from prongsai.app.analysis import analysis_json, narrative
from prongsai.errors import InputError
from prongsai_web import throttle
from prongsai_web.access import Action, agencies, agency_for
from prongsai_web.accounts.services import issue_token, user_of_token
from prongsai_web.jobs.api import router as documents_router
from prongsai_web.messages import from_problem
from prongsai_web.plans.services import StalePlan, current_plan, loaded_year, plan_from_data, save_plan
from prongsai_web.results.services import UploadRefused, upload_results


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_of_token(token)
        if user is None:
            return None
        request.user = user
        return user


api = NinjaAPI(
    title="prongsai",
    version="1",
    description="ITA results, analysis and integrity-measures plans of the agencies in your scope.",
    auth=BearerToken(),
    urls_namespace="api",
)


api.add_router("", documents_router)  # documents as background jobs (jobs/api.py)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "forbidden"}, status=403)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": "unauthorized"}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


class Credentials(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


class Detail(Schema):
    detail: str


class AgencyOut(Schema):
    id: int
    name: str
    type: str
    province: str
    district: str


class Uploaded(Schema):
    ita_year: int
    overall: float | None
    level: str | None


class ProblemOut(Schema):
    th: str
    en: str
    location: dict[str, Any]


class Problems(Schema):
    errors: list[ProblemOut]


@api.post("/token", auth=None, response={200: TokenOut, 401: Detail, 429: Detail})
def token(request: HttpRequest, credentials: Credentials) -> Status[dict[str, str]]:
    """A token for a user name and password; paused after repeated failures as the login page is."""
    if throttle.paused(request, credentials.username):
        return Status(429, {"detail": "too many failed sign-ins: wait 15 minutes"})
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if user is None:
        throttle.failed(request, credentials.username)
        return Status(401, {"detail": "bad credentials"})
    return Status(200, {"token": issue_token(user)})


@api.get("/agencies", response=list[AgencyOut])
def agency_list(request: HttpRequest) -> Any:
    return agencies(request.user, Action.VIEW).order_by("province", "name", "id")


@api.post("/agencies/{agency_id}/results", response={201: Uploaded, 400: Problems})
def upload(request: HttpRequest, agency_id: int, file: File[UploadedFile] = None) -> Any:  # type: ignore[assignment]
    agency = agency_for(request.user, agency_id, Action.EDIT)
    try:
        saved = upload_results(request.user, agency, file)
    except UploadRefused as refused:
        return Status(400, {"errors": refused.problems})
    latest = max(saved, key=lambda r: r.ita_year)
    return Status(
        201, {"ita_year": latest.ita_year, "overall": latest.overall, "level": latest.level or None}
    )


@api.get("/agencies/{agency_id}/years/{ita_year}/analysis", response=dict[str, Any])
def analysis(request: HttpRequest, agency_id: int, ita_year: int) -> Any:
    agency = agency_for(request.user, agency_id)
    loaded = loaded_year(agency, ita_year)
    return analysis_json(loaded, narrative(loaded))


@api.get("/agencies/{agency_id}/years/{ita_year}/plan", response=dict[str, Any])
def plan(request: HttpRequest, agency_id: int, ita_year: int) -> Any:
    agency = agency_for(request.user, agency_id)
    return current_plan(request.user, agency, ita_year).to_json()


@api.put(
    "/agencies/{agency_id}/years/{ita_year}/plan",
    response={200: dict[str, Any], 400: Problems, 409: dict[str, Any]},
)
def plan_put(request: HttpRequest, agency_id: int, ita_year: int, body: Body[dict[str, Any]]) -> Any:
    agency = agency_for(request.user, agency_id, Action.EDIT)
    data = dict(body)
    version = data.pop("version", None)
    if not isinstance(version, int) or isinstance(version, bool):
        return Status(400, {"errors": [_version_problem()]})
    try:
        core = plan_from_data(data)
        state = save_plan(request.user, agency, ita_year, core, version)
    except InputError as exc:
        return Status(400, {"errors": [from_problem(p) for p in exc.problems]})
    except StalePlan as stale:
        return Status(
            409,
            {
                "detail": "someone saved the plan after your version",
                "th": "มีผู้อื่นบันทึกแผนนี้หลังจากที่ท่านเปิดแก้ไข กรุณาเปิดแผนล่าสุดแล้วแก้ไขอีกครั้ง",
                "en": "Someone saved this plan after you opened it; open the latest version and edit again.",
                "version": stale.current,
            },
        )
    return Status(200, state.to_json())


def _version_problem() -> dict[str, Any]:
    return {
        "th": "ต้องระบุ version (จำนวนเต็ม) ของแผนที่เปิดแก้ไข",
        "en": "give the version (a whole number) of the plan you edited",
        "location": {"field": "version"},
    }
