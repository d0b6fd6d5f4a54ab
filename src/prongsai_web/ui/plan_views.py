"""The plan editor and its approval: the plan's measures grouped as the document groups them, a form
per measure, add, delete, move, limitations and suggestions, re-draft after new results, approval of
a version by the executive, and the plan file of any version. Every change is a plans service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from prongsai.catalog import issue_grouping
from prongsai.catalog.legal import laws
from prongsai.errors import InputError
from prongsai.framework import load_frameworks
from prongsai.planning import Measure
from prongsai.planning import Plan as CorePlan
from prongsai.problems import Problem
from prongsai_web.access import Action, agency_for, can
from prongsai_web.directory.models import Agency
from prongsai_web.messages import web_problem
from prongsai_web.plans.models import Plan, PlanVersion
from prongsai_web.plans.services import (
    Edit,
    NotApprovable,
    StalePlan,
    approve_plan,
    current_plan,
    edit_plan,
    new_measure_id,
    redraft_plan,
    version_text,
)

Errors = dict[str, list[dict[str, str]]]  # field of a measure -> its problems (th, en)


@dataclass
class Row:
    index: int
    measure: Measure
    first: bool
    last: bool
    errors: Errors = field(default_factory=dict)
    form: Any = None  # what the measure's form shows: the measure, or what was sent when refused

    @property
    def laws(self) -> list[str]:
        """The measure's legal basis by the laws' short titles (a key the catalog lacks as it is)."""
        known = laws()
        return [known[key].short if key in known else key for key in self.measure.legal_basis]


def _posted(post: QueryDict) -> SimpleNamespace:
    """What a person sent in a measure's form, shaped as the form reads a measure, so a refused
    save shows their words again rather than the stored ones."""
    values = _measure_values(post)
    budget = values.pop("budget")
    values["quarters"] = [int(q) if q.isdigit() else 0 for q in values["quarters"]]
    values["budget"] = SimpleNamespace(
        amount=budget.get("amount"), source=budget.get("source", ""), none=bool(budget.get("none"))
    )
    return SimpleNamespace(**values)


@dataclass
class Group:
    heading: str
    rows: list[Row]


def _groups(plan: CorePlan, errors: dict[int, Errors], sent: dict[int, SimpleNamespace]) -> list[Group]:
    """Issues (when the plan groups by issue and the year has the grouping) or indicators, then the
    measures that fit neither: as prongsai.document.parts.groups orders them."""
    count = len(plan.measures)
    rows = [
        Row(i, m, i == 0, i == count - 1, errors.get(i, {}), sent.get(i, m))
        for i, m in enumerate(plan.measures)
    ]
    members = issue_grouping().members.get(plan.ita_year)
    framework = load_frameworks().get(plan.ita_year)
    heads: list[tuple[str, str, int]] = []
    if plan.grouping == "issues" and members:
        heads = [(f"ประเด็นที่ {i.number} {i.name_th}", "issue", i.number) for i in issue_grouping().issues]
    elif framework is not None:
        heads = [(f"ตัวชี้วัดที่ {i.number} {i.name_th}", "indicator", i.number) for i in framework.indicators]
    out: list[Group] = []
    placed: set[int] = set()
    for heading, key, number in heads:
        mine = [r for r in rows if r.index not in placed and getattr(r.measure, key) == number]
        placed.update(r.index for r in mine)
        if mine:
            out.append(Group(heading, mine))
    extra = [r for r in rows if r.index not in placed]
    if extra:
        out.append(Group("มาตรการเพิ่มเติม", extra))
    return out


def _choices(plan: CorePlan) -> list[tuple[str, str]]:
    """Where a new measure may go: the issues or the indicators of the plan's year."""
    members = issue_grouping().members.get(plan.ita_year)
    if plan.grouping == "issues" and members:
        return [(f"issue:{i.number}", f"ประเด็นที่ {i.number} {i.name_th}") for i in issue_grouping().issues]
    framework = load_frameworks().get(plan.ita_year)
    if framework is None:
        return []
    return [(f"indicator:{i.number}", f"ตัวชี้วัดที่ {i.number} {i.name_th}") for i in framework.indicators]


def _page(
    request: HttpRequest,
    agency: Agency,
    ita_year: int,
    *,
    errors: dict[int, Errors] | None = None,
    problems: list[dict[str, Any]] | None = None,
    sent: dict[int, SimpleNamespace] | None = None,
    status: int = 200,
) -> HttpResponse:
    state = current_plan(request.user, agency, ita_year)
    row = Plan.objects.filter(agency=agency, ita_year=ita_year).first()
    versions = (
        list(PlanVersion.objects.filter(plan=row).select_related("approved_by", "saved_by")) if row else []
    )
    approved = [v for v in versions if v.approved_at is not None]
    context = {
        "agency": agency,
        "ita_year": ita_year,
        "plan": state.plan,
        "version": state.version,
        "row": row,
        "groups": _groups(state.plan, errors or {}, sent or {}),
        "approved": approved,
        "current_approved": any(v.version == state.version for v in approved),
        "versions": versions,
        "can_edit": can(request.user, Action.EDIT, agency),
        "can_approve": can(request.user, Action.APPROVE, agency) and state.version > 0,
        "laws": list(laws().values()),
        "choices": _choices(state.plan),
        "quarters": [1, 2, 3, 4],
        "problems": problems or [],
        "td": agency.words.thai_digits,
    }
    return render(request, "ui/plan.html", context, status=status)


@login_required
@require_GET
def plan_page(request: HttpRequest, agency_id: int, ita_year: int) -> HttpResponse:
    return _page(request, agency_for(request.user, agency_id), ita_year)


@login_required
@require_GET
def plan_yaml(request: HttpRequest, agency_id: int, ita_year: int, version: int) -> HttpResponse:
    agency = agency_for(request.user, agency_id)
    text = version_text(agency, ita_year, version)
    response = HttpResponse(text.encode("utf-8"), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="plan-{ita_year}-v{version}.yaml"'
    return response


# --------------------------------------------------------------------------------------------------
# Changes: each reads the form into an edit of the plan file's mapping, and saves it through the
# plans service (refused whole, nothing saved, when it is stale or does not validate)
# --------------------------------------------------------------------------------------------------


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _measure_values(post: QueryDict) -> dict[str, Any]:
    """A measure's fields as the form sends them, as the plan file would hold them (the plan file's
    reader reads '20,000', Thai digits and the rest as it reads them in a file)."""
    budget: dict[str, Any] = {}
    if post.get("budget_none"):
        budget["none"] = True
    if post.get("budget_amount", "").strip():
        budget["amount"] = post.get("budget_amount", "").strip()
    if post.get("budget_source", "").strip():
        budget["source"] = post.get("budget_source", "").strip()
    return {
        "kind": post.get("kind", "").strip(),
        "title": post.get("title", "").strip(),
        "steps": _lines(post.get("steps", "")),
        "owner": post.get("owner", "").strip(),
        "co_owners": _lines(post.get("co_owners", "")),
        "quarters": [post.get("q_first", "1").strip(), post.get("q_last", "4").strip()],
        "timeframe": post.get("timeframe", "").strip(),
        "follow_up": post.get("follow_up", "").strip(),
        "output": post.get("output", "").strip(),
        "target": post.get("target", "").strip(),
        "budget": budget,
        "legal_basis": post.getlist("legal_basis"),
    }


def _field_errors(problems: list[Problem]) -> tuple[dict[int, Errors], list[dict[str, Any]]]:
    """Problems at a measure's field go to that field of its form; the rest are listed at the top."""
    errors: dict[int, Errors] = {}
    general: list[dict[str, Any]] = []
    for problem in problems:
        parts = (problem.location.field or "").split(".")
        shown = {"th": problem.message_th, "en": problem.message_en}
        if len(parts) >= 3 and parts[0] == "measures" and parts[1].isdigit():
            errors.setdefault(int(parts[1]), {}).setdefault(parts[2], []).append(shown)
        else:
            general.append({**shown, "field": problem.location.field or ""})
    return errors, general


def _change(
    request: HttpRequest,
    agency_id: int,
    ita_year: int,
    make: Callable[[QueryDict], Edit],
    change: str,
    measure: int | None = None,
) -> HttpResponse:
    agency = agency_for(request.user, agency_id, Action.EDIT)
    version = _version(request.POST)
    try:
        edit_plan(request.user, agency, ita_year, version, make(request.POST), change)
    except StalePlan as stale:
        problem = web_problem("plan_stale", current=stale.current, version=version)
        return _page(request, agency, ita_year, problems=[problem], status=409)
    except InputError as refused:
        errors, general = _field_errors(list(refused.problems))
        sent = {measure: _posted(request.POST)} if measure is not None else {}
        return _page(request, agency, ita_year, errors=errors, problems=general, sent=sent, status=400)
    messages.success(request, "บันทึกแผนแล้ว / The plan was saved.")
    return redirect("plan", agency_id=agency.pk, ita_year=ita_year)


def _version(post: QueryDict) -> int:
    value = post.get("version", "")
    return int(value) if value.isdigit() else -1


@login_required
@require_POST
def plan_measure(request: HttpRequest, agency_id: int, ita_year: int, index: int) -> HttpResponse:
    def make(post: QueryDict) -> Edit:
        def edit(data: dict[str, Any]) -> None:
            if 0 <= index < len(data["measures"]):
                data["measures"][index].update(_measure_values(post))

        return edit

    return _change(request, agency_id, ita_year, make, "measure_edited", measure=index)


@login_required
@require_POST
def plan_add(request: HttpRequest, agency_id: int, ita_year: int) -> HttpResponse:
    def make(post: QueryDict) -> Edit:
        def edit(data: dict[str, Any]) -> None:
            where, _, number = post.get("group", "").partition(":")
            measure: dict[str, Any] = {"id": new_measure_id(data), "title": post.get("title", "").strip()}
            if where in ("issue", "indicator") and number.isdigit():
                measure[where] = int(number)
            data["measures"].append(measure)

        return edit

    return _change(request, agency_id, ita_year, make, "measure_added")


@login_required
@require_POST
def plan_delete(request: HttpRequest, agency_id: int, ita_year: int, index: int) -> HttpResponse:
    def make(post: QueryDict) -> Edit:
        def edit(data: dict[str, Any]) -> None:
            if 0 <= index < len(data["measures"]):
                del data["measures"][index]

        return edit

    return _change(request, agency_id, ita_year, make, "measure_deleted")


@login_required
@require_POST
def plan_move(request: HttpRequest, agency_id: int, ita_year: int, index: int) -> HttpResponse:
    def make(post: QueryDict) -> Edit:
        def edit(data: dict[str, Any]) -> None:
            measures = data["measures"]
            other = index - 1 if post.get("direction") == "up" else index + 1
            if 0 <= index < len(measures) and 0 <= other < len(measures):
                measures[index], measures[other] = measures[other], measures[index]

        return edit

    return _change(request, agency_id, ita_year, make, "measure_moved")


@login_required
@require_POST
def plan_texts(request: HttpRequest, agency_id: int, ita_year: int) -> HttpResponse:
    def make(post: QueryDict) -> Edit:
        def edit(data: dict[str, Any]) -> None:
            data["limitations"] = _lines(post.get("limitations", ""))
            data["suggestions"] = _lines(post.get("suggestions", ""))

        return edit

    return _change(request, agency_id, ita_year, make, "texts_edited")


@login_required
@require_POST
def plan_redraft(request: HttpRequest, agency_id: int, ita_year: int) -> HttpResponse:
    agency = agency_for(request.user, agency_id, Action.EDIT)
    version = _version(request.POST)
    try:
        redraft_plan(request.user, agency, ita_year, version)
    except StalePlan as stale:
        problem = web_problem("plan_stale", current=stale.current, version=version)
        return _page(request, agency, ita_year, problems=[problem], status=409)
    messages.success(
        request,
        "จัดทำร่างใหม่จากผลการประเมินแล้ว โดยคงทุกส่วนที่แก้ไขไว้ / Re-drafted from the results; every edit was kept.",
    )
    return redirect("plan", agency_id=agency.pk, ita_year=ita_year)


@login_required
@require_POST
def plan_approve(request: HttpRequest, agency_id: int, ita_year: int) -> HttpResponse:
    agency = agency_for(request.user, agency_id, Action.APPROVE)
    version = _version(request.POST)
    try:
        approve_plan(request.user, agency, ita_year, version)
    except StalePlan as stale:
        problem = web_problem("plan_stale", current=stale.current, version=version)
        return _page(request, agency, ita_year, problems=[problem], status=409)
    except NotApprovable as refused:
        problem = web_problem(refused.code, version=version)
        return _page(request, agency, ita_year, problems=[problem], status=409)
    messages.success(request, f"อนุมัติแผนฉบับที่ {version} แล้ว / Version {version} of the plan was approved.")
    return redirect("plan", agency_id=agency.pk, ita_year=ita_year)
