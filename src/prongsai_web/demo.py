"""The demo of ``prongsai web init --demo``: the example agencies with their results, and one account
per role (printed once with its password)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from prongsai.ingest import read_results
from prongsai_web.accounts.services import add_user, set_password
from prongsai_web.directory.models import Agency
from prongsai_web.results.services import Read, save_results


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
        ("demo-admin", "admin", {}, "ทั้งประเทศ / national"),
    ]
    accounts = []
    users = get_user_model().objects
    for username, role, scope, where in wanted:
        password = secrets.token_urlsafe(9)
        existing = users.filter(username=username).first()
        if existing is None:
            add_user(username, password, role, **scope)
        else:
            set_password(existing, password)
        accounts.append(Account(username, role, password, where))
    return Demo(names, accounts)
