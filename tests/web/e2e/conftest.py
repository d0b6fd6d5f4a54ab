"""Browser journeys: pytest-playwright driving Debian's Chromium against Django's live server.

- The browser is the system one (``/usr/bin/chromium``, or ``PRONGSAI_CHROMIUM``), headless, with the
  same flags as the PDF renderer, its own temporary HOME, a Thai locale and Bangkok's time zone; there
  is no ``playwright install``. Without a Chromium the journeys skip.
- Playwright's sync API runs an event loop in the test's thread, so Django refuses ORM calls there
  unless ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set (microsoft/playwright-pytest#29, #46): tests only.
- ``live_server`` serves the test database from a thread; every journey uses ``transactional_db``
  (rows committed, so the server's connection sees them, on SQLite and on PostgreSQL alike).
- A failing journey leaves a screenshot in ``out/e2e`` (pytest-playwright's ``--screenshot
  only-on-failure`` and ``--output out/e2e`` unless given otherwise).

Every test here is marked ``web`` (the parent conftest), ``e2e`` and ``slow``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AbstractBaseUser

from prongsai_web.accounts.services import add_user
from prongsai_web.directory.models import Agency
from prongsai_web.results.services import Read, save_results
from tests.web.conftest import BUENG_KAN, PASSWORD, records

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the journeys' thread runs an event loop

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CHROMIUM = os.environ.get("PRONGSAI_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
TIMEOUT_MS = 10_000


def pytest_configure(config: pytest.Config) -> None:
    # screenshots of failing journeys by default, kept out of the repository's tracked files
    if config.getoption("--screenshot", "off") == "off":
        config.option.screenshot = "only-on-failure"
    if config.getoption("--output", "test-results") == "test-results":
        config.option.output = str(ROOT / "out" / "e2e")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the journeys, and run them last: pytest-playwright's session-wide Playwright keeps an
    asyncio loop running in the main thread until the session ends, and the core's PDF renderer
    (sync Playwright) cannot start inside it. pytest-django orders database tests first, which
    would put the journeys before every PDF test; this runs after its reordering."""
    journeys = [item for item in items if HERE in Path(str(item.fspath)).parents]
    for item in journeys:
        item.add_marker(pytest.mark.e2e)
        item.add_marker(pytest.mark.slow)
    chosen = set(journeys)
    items[:] = [item for item in items if item not in chosen] + journeys


@pytest.fixture(scope="session")
def _browser_home() -> Iterator[str]:
    """Chromium writes ~/.config/chromium whatever its profile: give it a HOME of its own."""
    with tempfile.TemporaryDirectory(prefix="prongsai-e2e-") as home:
        yield home


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], _browser_home: str) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    env = {
        **os.environ,
        "HOME": _browser_home,
        "XDG_CONFIG_HOME": f"{_browser_home}/.config",
        "XDG_CACHE_HOME": f"{_browser_home}/.cache",
    }
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "env": env,
        "headless": browser_type_launch_args.get("headless", True),
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], live_server: Any) -> dict[str, Any]:
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "locale": "th-TH",
        "timezone_id": "Asia/Bangkok",
        "viewport": {"width": 1100, "height": 900},
    }


@pytest.fixture
def page(page: Any) -> Any:
    page.set_default_timeout(TIMEOUT_MS)
    return page


@dataclass
class Journeys:
    """The demo's world, small: the clerk's municipality (no results yet: the clerk uploads them),
    a second agency of the same province, and an agency of another province with its own clerk."""

    home: Agency  # เทศบาลตำบลโคกม่วง, สงขลา
    neighbour: Agency  # เทศบาลตำบลทดสอบ, สงขลา
    away: Agency  # เทศบาลเมืองบึงกาฬ, บึงกาฬ: results 2568
    users: dict[str, AbstractBaseUser]


@pytest.fixture
def journeys(transactional_db: Any) -> Journeys:
    home = Agency.objects.create(
        name="เทศบาลตำบลโคกม่วง", type="เทศบาลตำบล", district="คลองหอยโข่ง", province="สงขลา"
    )
    neighbour = Agency.objects.create(
        name="เทศบาลตำบลทดสอบ", type="เทศบาลตำบล", district="หาดใหญ่", province="สงขลา"
    )
    away = Agency.objects.create(
        name="เทศบาลเมืองบึงกาฬ", type="เทศบาลเมือง", district="เมืองบึงกาฬ", province="บึงกาฬ"
    )
    save_results(None, away, Read(list(records(BUENG_KAN)), [], BUENG_KAN.name))
    users = {
        "clerk": add_user("clerk", PASSWORD, "clerk", agency=home),
        "executive": add_user("executive", PASSWORD, "executive", agency=home),
        "overseer": add_user("overseer", PASSWORD, "overseer", province="สงขลา"),
        "outsider": add_user("outsider", PASSWORD, "clerk", agency=away),
    }
    return Journeys(home, neighbour, away, users)
