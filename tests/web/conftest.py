"""The world of the web tests: two provinces, three agencies, a persona per role in and out of scope.

Runs on SQLite (the default) or on PostgreSQL when DATABASE_URL is set (scripts/test.sh); every test
here is marked ``web``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache as django_cache
from django.test import Client

from prongsai.ingest import read_results
from prongsai.results import ResultsInput
from prongsai_web.accounts.services import add_user, issue_token
from prongsai_web.directory.models import Agency
from prongsai_web.results.services import Read, save_results
from tests.conftest import EXAMPLES

HERE = Path(__file__).resolve().parent
KHOK_MUANG = EXAMPLES / "seed-001-khok-muang-2567.yaml"
BUENG_KAN = EXAMPLES / "seed-002-bueng-kan-2568.yaml"
PASSWORD = "correct horse battery staple"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.web)


@cache
def records(path: Path) -> tuple[ResultsInput, ...]:
    found, _ = read_results(path)
    return tuple(found)


@dataclass
class World:
    a1: Agency  # เทศบาลตำบลโคกม่วง, สงขลา: results 2567
    a2: Agency  # another agency of สงขลา, no results
    b1: Agency  # เทศบาลเมืองบึงกาฬ, บึงกาฬ: results 2568
    users: dict[str, AbstractBaseUser]

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.users[persona])
        return client

    def api(self, persona: str) -> Client:
        """A client sending the persona's bearer token (none for anonymous)."""
        if persona == "anonymous":
            return Client()
        return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(self.users[persona])}")


PERSONAS = ("clerk", "executive", "overseer", "admin", "outsider", "anonymous")


@pytest.fixture(autouse=True)
def _fresh_cache_and_fast_hashing(settings: Any) -> None:
    django_cache.clear()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests only


@pytest.fixture
def world(db: Any) -> World:
    a1 = Agency.objects.create(
        name="เทศบาลตำบลโคกม่วง", type="เทศบาลตำบล", district="คลองหอยโข่ง", province="สงขลา"
    )
    a2 = Agency.objects.create(name="เทศบาลตำบลทดสอบ", type="เทศบาลตำบล", district="หาดใหญ่", province="สงขลา")
    b1 = Agency.objects.create(
        name="เทศบาลเมืองบึงกาฬ", type="เทศบาลเมือง", district="เมืองบึงกาฬ", province="บึงกาฬ"
    )
    save_results(None, a1, Read(list(records(KHOK_MUANG)), [], KHOK_MUANG.name))
    save_results(None, b1, Read(list(records(BUENG_KAN)), [], BUENG_KAN.name))
    users = {
        "clerk": add_user("clerk", PASSWORD, "clerk", agency=a1),
        "executive": add_user("executive", PASSWORD, "executive", agency=a1),
        "overseer": add_user("overseer", PASSWORD, "overseer", province="สงขลา"),
        "admin": add_user("admin", PASSWORD, "admin"),
        "outsider": add_user("outsider", PASSWORD, "clerk", agency=b1),
    }
    return World(a1, a2, b1, users)
