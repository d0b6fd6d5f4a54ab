"""The measures plan of an agency-year: drafted by the core from the stored results the first time it
is asked for, then saved whole as the plan file's YAML with a version (optimistic locking)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.http import Http404

from prongsai.app.agency_year import Loaded, agency_year_of
from prongsai.app.plans import check_plan_matches, drafted_plan, plan_from_text
from prongsai.planfile import plan_to_data, plan_to_yaml
from prongsai.planning import Plan as CorePlan
from prongsai_web.access import Action, can, check
from prongsai_web.audit.services import record
from prongsai_web.directory.models import Agency
from prongsai_web.plans.models import Plan
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


def loaded_year(agency: Agency, ita_year: int) -> Loaded:
    """The agency-year from its stored results, with the agency's earlier years as history."""
    rows = list(ResultSet.objects.filter(agency=agency, ita_year__lte=ita_year).order_by("ita_year"))
    if not rows or rows[-1].ita_year != ita_year:
        raise Http404("no results for this year")
    return agency_year_of(rows[-1].to_core(), [r.to_core() for r in rows[:-1]])


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
    actor: User | AnonymousUser, agency: Agency, ita_year: int, plan: CorePlan, version: int
) -> PlanState:
    """Save an edited plan made from ``version``; StalePlan when someone saved in between."""
    check(actor, Action.EDIT, agency)
    results = loaded_year(agency, ita_year).results
    check_plan_matches(plan, results, _plan_file(ita_year))
    return _save(actor, agency, ita_year, plan, version)


@transaction.atomic
def _save(
    actor: User | AnonymousUser, agency: Agency, ita_year: int, plan: CorePlan, version: int
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
            text=text, version=version + 1, updated_by=who
        )
        if not changed:
            versions = Plan.objects.filter(agency=agency, ita_year=ita_year).values_list("version", flat=True)
            raise StalePlan(versions.first() or 0)
        row = Plan.objects.get(agency=agency, ita_year=ita_year)
    record(
        actor,
        "plan.saved",
        agency=agency,
        target=row,
        ita_year=ita_year,
        version=row.version,
        measures=len(plan.measures),
    )
    return PlanState(plan, row.version)


def _plan_file(ita_year: int) -> Path:
    return Path(f"plan-{ita_year}.yaml")


def _user(actor: User | AnonymousUser) -> User | None:
    return actor if isinstance(actor, User) else None
