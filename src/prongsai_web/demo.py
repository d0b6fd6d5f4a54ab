"""The demo of ``prongsai web init --demo``: the example agencies with their results, one account per
role (printed once with its password), and for the clerk's municipality the work of a year in
progress (demo.yaml): its plan approved, its document settings, progress on some measures."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction

from prongsai.ingest import read_results
from prongsai_web.accounts.services import add_user, set_password
from prongsai_web.directory.models import Agency
from prongsai_web.jobs.docsettings import remember
from prongsai_web.plans.services import approve_plan, current_plan
from prongsai_web.results.models import ResultSet
from prongsai_web.results.services import Read, save_results
from prongsai_web.tracking.services import add_update


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    password: str
    scope: str


@dataclass(frozen=True)
class Demo:
    agencies: list[str]
    accounts: list[Account]


WORK = Path(__file__).resolve().parent / "demo.yaml"
FIRST = "เทศบาลตำบลโคกม่วง"  # the clerk's and executive's agency; the overseer has its province


@transaction.atomic
def load_demo(files: list[Path]) -> Demo:
    names: list[str] = []
    for path in files:
        records, _ = read_results(path)
        for record in records:
            core = record.agency
            agency, _ = Agency.objects.get_or_create(
                name=core.name,
                district=core.district or "",
                province=core.province or "",
                defaults={"type": core.type or ""},
            )
            save_results(None, agency, Read([record], [], path.name))
            if agency.name not in names:
                names.append(agency.name)
    home = Agency.objects.filter(name=FIRST).first() or Agency.objects.order_by("id").first()
    assert home is not None
    wanted: list[tuple[str, str, dict[str, Any], str]] = [
        ("demo-clerk", "clerk", {"agency": home}, home.name),
        ("demo-executive", "executive", {"agency": home}, home.name),
        ("demo-overseer", "overseer", {"province": home.province}, f"จังหวัด{home.province}"),
        ("demo-nacc", "overseer", {}, "ทั้งประเทศ / national"),
        ("demo-admin", "admin", {}, "ทั้งประเทศ / national"),
    ]
    accounts = []
    users = get_user_model().objects
    made: dict[str, Any] = {}
    for username, role, scope, where in wanted:
        password = secrets.token_urlsafe(9)
        existing = users.filter(username=username).first()
        if existing is None:
            made[role] = add_user(username, password, role, **scope)
        else:
            set_password(existing, password)
        accounts.append(Account(username, role, password, where))
    if made.keys() >= {"clerk", "executive"}:  # the first time only: later runs keep what people did
        _year_in_progress(home, made["clerk"], made["executive"])
    return Demo(names, accounts)


def _year_in_progress(home: Agency, clerk: Any, executive: Any) -> None:
    """The clerk's plan drafted and approved, the document settings kept, progress on some measures."""
    work = yaml.safe_load(WORK.read_text(encoding="utf-8"))
    year = int(work["ita_year"])
    if not ResultSet.objects.filter(agency=home, ita_year=year).exists():
        return
    state = current_plan(clerk, home, year)
    approve_plan(executive, home, year, state.version)
    remember(clerk, home, work["settings"])
    version = 0
    held = {m.id for m in state.plan.measures}
    for update in work["updates"]:
        if update["measure"] in held:
            fields = {k: str(v) for k, v in update.items() if k != "measure"}
            version = add_update(clerk, home, year, update["measure"], version, fields).version
