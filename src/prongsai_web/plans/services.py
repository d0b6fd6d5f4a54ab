"""The measures plan of an agency-year: drafted by the core from the stored results the first time it
is asked for, then saved whole as the plan file's YAML with a version (optimistic locking)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from prongsai import __version__
from prongsai.app.agency_year import Loaded, agency_year_of
from prongsai.app.plans import check_plan_matches, drafted_plan, plan_from_text
from prongsai.planfile import plan_to_data, plan_to_yaml
from prongsai.planning import Plan as CorePlan
from prongsai.planning import redraft
from prongsai_web.access import Action, can, check
from prongsai_web.audit.services import record
from prongsai_web.directory.models import Agency
from prongsai_web.plans.models import Plan, PlanVersion
from prongsai_web.results.models import ResultSet


class StalePlan(Exception):
    """Someone saved the plan after the version the editor started from."""

    def __init__(self, current: int) -> None:
        super().__init__(f"the plan is at version {current}")
        self.current = current


@dataclass(frozen=True)
class PlanState:
    plan: CorePlan
    version: int  # 0: a draft not yet saved (shown to someone who may not edit)

    def to_json(self) -> dict[str, Any]:
        return plan_to_data(self.plan) | {"version": self.version}


LOADED_SECONDS = 24 * 3600


def loaded_year(agency: Agency, ita_year: int) -> Loaded:
    """The agency-year from its stored results, with the agency's earlier years as history.

    Made by the core once per stored version of those years (their ids and upload times are the
    cache key: an upload of any of them makes a new one), then taken from Django's cache."""
    stamps = list(
        ResultSet.objects.filter(agency=agency, ita_year__lte=ita_year)
        .order_by("ita_year")
        .values_list("pk", "ita_year", "uploaded_at")
    )
    if not stamps or stamps[-1][1] != ita_year:
        raise Http404("no results for this year")
    versions = "|".join(f"{pk}:{at.timestamp()}" for pk, _, at in stamps)
    key = "prongsai:loaded:" + hashlib.sha256(f"{__version__}|{versions}".encode()).hexdigest()[:40]
    found: Loaded | None = cache.get(key)
    if found is None:
        rows = list(ResultSet.objects.filter(pk__in=[pk for pk, _, _ in stamps]).order_by("ita_year"))
        found = agency_year_of(rows[-1].to_core(), [r.to_core() for r in rows[:-1]])
        cache.set(key, found, LOADED_SECONDS)
    return found


def current_plan(actor: User | AnonymousUser, agency: Agency, ita_year: int) -> PlanState:
    """The saved plan, or a fresh draft from the results: saved (version 1) when ``actor`` may edit,
    else only shown (version 0)."""
    check(actor, Action.VIEW, agency)
    saved = Plan.objects.filter(agency=agency, ita_year=ita_year).first()
    if saved is not None:
        return PlanState(plan_from_text(saved.text), saved.version)
    draft = drafted_plan(loaded_year(agency, ita_year), None, None)
    if not can(actor, Action.EDIT, agency):
        return PlanState(draft, 0)
    try:
        return _save_draft(actor, agency, ita_year, draft)
    except IntegrityError:  # drafted by someone else at the same moment: theirs stands
        saved = Plan.objects.get(agency=agency, ita_year=ita_year)
        return PlanState(plan_from_text(saved.text), saved.version)


@transaction.atomic
def _save_draft(actor: User | AnonymousUser, agency: Agency, ita_year: int, draft: CorePlan) -> PlanState:
    check(actor, Action.EDIT, agency)
    row = Plan.objects.create(
        agency=agency, ita_year=ita_year, text=plan_to_yaml(draft), version=1, updated_by=_user(actor)
    )
    PlanVersion.objects.create(plan=row, version=1, text=row.text, saved_by=_user(actor))
    record(
        actor,
        "plan.drafted",
        agency=agency,
        target=row,
        ita_year=ita_year,
        version=1,
        measures=len(draft.measures),
    )
    return PlanState(draft, 1)


def plan_from_data(data: dict[str, Any]) -> CorePlan:
    """A plan as the API sends it (the plan file's mapping), read as the plan file would be."""
    return plan_from_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "plan.yaml")


def save_plan(
    actor: User | AnonymousUser,
    agency: Agency,
    ita_year: int,
    plan: CorePlan,
    version: int,
    change: str = "plan",
    **detail: Any,
) -> PlanState:
    """Save an edited plan made from ``version``; StalePlan when someone saved in between."""
    check(actor, Action.EDIT, agency)
    results = loaded_year(agency, ita_year).results
    check_plan_matches(plan, results, _plan_file(ita_year))
    return _save(actor, agency, ita_year, plan, version, change, **detail)


@transaction.atomic
def _save(
    actor: User | AnonymousUser,
    agency: Agency,
    ita_year: int,
    plan: CorePlan,
    version: int,
    change: str = "plan",
    **detail: Any,
) -> PlanState:
    check(actor, Action.EDIT, agency)
    text = plan_to_yaml(plan)
    who = _user(actor)
    if version == 0:
        try:
            with transaction.atomic():
                row = Plan.objects.create(
                    agency=agency, ita_year=ita_year, text=text, version=1, updated_by=who
                )
        except IntegrityError:
            current = Plan.objects.get(agency=agency, ita_year=ita_year).version
            raise StalePlan(current) from None
    else:
        changed = Plan.objects.filter(agency=agency, ita_year=ita_year, version=version).update(
            text=text, version=version + 1, updated_by=who, updated_at=timezone.now()
        )  # update() skips auto_now: the time is set here
        if not changed:
            versions = Plan.objects.filter(agency=agency, ita_year=ita_year).values_list("version", flat=True)
            raise StalePlan(versions.first() or 0)
        row = Plan.objects.get(agency=agency, ita_year=ita_year)
    PlanVersion.objects.create(plan=row, version=row.version, text=text, saved_by=who)
    record(
        actor,
        "plan.saved",
        agency=agency,
        target=row,
        ita_year=ita_year,
        version=row.version,
        measures=len(plan.measures),
        change=change,
        **detail,
    )
    return PlanState(plan, row.version)


def _plan_file(ita_year: int) -> Path:
    return Path(f"plan-{ita_year}.yaml")


def _user(actor: User | AnonymousUser) -> User | None:
    return actor if isinstance(actor, User) else None


# --------------------------------------------------------------------------------------------------
# The plan editor: every change is made on the plan file's mapping and read back as the plan file
# is read (prongsai.planfile.read_plan: its shape and the plan rules of prongsai.plancheck), so
# that a page can never store what `prongsai plan` would refuse.
# --------------------------------------------------------------------------------------------------

Edit = Callable[[dict[str, Any]], None]


class NotApprovable(Exception):
    """The version asked for is already approved, or there is no saved plan to approve."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def saved_plan(agency: Agency, ita_year: int) -> Plan:
    """The plan row of an agency-year (Http404 when there is none yet)."""
    row = Plan.objects.filter(agency=agency, ita_year=ita_year).first()
    if row is None:
        raise Http404("no plan for this year")
    return row


def edit_plan(
    actor: User | AnonymousUser,
    agency: Agency,
    ita_year: int,
    version: int,
    edit: Edit,
    change: str,
    **detail: Any,
) -> PlanState:
    """Apply ``edit`` to the plan of ``version`` and save it as the next version. StalePlan when the
    plan is no longer at ``version``; InputError (every problem at its field) when the edited plan is
    not a valid plan file; nothing is saved in either case."""
    check(actor, Action.EDIT, agency)
    row = saved_plan(agency, ita_year)
    if row.version != version:
        raise StalePlan(row.version)
    data = plan_to_data(plan_from_text(row.text))
    edit(data)
    plan = plan_from_data(data)
    return save_plan(actor, agency, ita_year, plan, version, change, **detail)


def new_measure_id(data: dict[str, Any]) -> str:
    taken = {m.get("id") for m in data["measures"]}
    number = 1
    while f"own-{number}" in taken:
        number += 1
    return f"own-{number}"


def redraft_plan(actor: User | AnonymousUser, agency: Agency, ita_year: int, version: int) -> PlanState:
    """Re-draft from the year's results as `prongsai plan --update` does: every edit, removal and
    addition by people is kept (prongsai.planning.redraft)."""
    check(actor, Action.EDIT, agency)
    row = saved_plan(agency, ita_year)
    if row.version != version:
        raise StalePlan(row.version)
    old = plan_from_text(row.text)
    fresh = drafted_plan(loaded_year(agency, ita_year), None, old.plan_year, old.timeframe_style)
    plan, changes = redraft(old, fresh)
    plan = plan_from_text(plan_to_yaml(plan))  # what the plan file would hold, checked as it is read
    return save_plan(
        actor,
        agency,
        ita_year,
        plan,
        version,
        "redraft",
        changes=[{"kind": c.kind, "measure": c.measure, "fields": list(c.fields)} for c in changes],
    )


@transaction.atomic
def approve_plan(actor: User | AnonymousUser, agency: Agency, ita_year: int, version: int) -> PlanVersion:
    """The executive approves (signs) the plan as it is at ``version``: that version's YAML is kept
    frozen with who approved it and when. StalePlan when the plan was saved again since."""
    check(actor, Action.APPROVE, agency)
    row = Plan.objects.select_for_update().filter(agency=agency, ita_year=ita_year).first()
    if row is None:
        raise NotApprovable("plan_none")
    if row.version != version:
        raise StalePlan(row.version)
    snapshot, _ = PlanVersion.objects.select_for_update().get_or_create(
        plan=row, version=version, defaults={"text": row.text, "saved_by": row.updated_by}
    )
    if snapshot.approved_at is not None:
        raise NotApprovable("plan_approved_already")
    snapshot.approved_by = _user(actor)
    snapshot.approved_at = timezone.now()
    snapshot.save(update_fields=["approved_by", "approved_at"])
    record(actor, "plan.approved", agency=agency, target=snapshot, ita_year=ita_year, version=version)
    return snapshot


def version_text(agency: Agency, ita_year: int, version: int) -> str:
    """The plan file of any version held (Http404 for a version never saved)."""
    row = saved_plan(agency, ita_year)
    snapshot = PlanVersion.objects.filter(plan=row, version=version).first()
    if snapshot is not None:
        return snapshot.text
    if version == row.version:
        return row.text
    raise Http404("no such plan version")
