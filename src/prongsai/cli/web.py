"""``prongsai web``: the web application's database, users and server (docs/web.md).

Django is imported only inside the commands, after the data folder is known (``--data`` or
``PRONGSAI_DATA``), so that the rest of the command line never loads it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from prongsai.cli.text import ProngsaiCommand, ProngsaiGroup
from prongsai.cli.types import Choice
from prongsai.errors import InputError
from prongsai.problems import Location, error, ui

ROLES = ("clerk", "executive", "overseer", "admin")
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"  # the repository's examples folder


def web_setup(data: Path | None) -> Path:
    """Point the settings at the data folder and start Django; the folder the settings use."""
    if data is not None:
        os.environ["PRONGSAI_DATA"] = str(data.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai_web.settings")
    try:
        import django
        from django.conf import settings
    except ImportError as exc:
        raise InputError([error("web_not_installed", Location(), detail=str(exc))]) from None
    django.setup()
    return Path(settings.DATA_DIR)


def _both(name: str) -> str:
    return f"{ui(name)} / {ui(name, 'en')}"


data_option = click.option("--data", type=click.Path(path_type=Path, file_okay=False))


@click.group("web", cls=ProngsaiGroup)
def web_group() -> None:
    """The web application: database, users and server."""


@web_group.command("init", cls=ProngsaiCommand)
@data_option
@click.option("--demo", is_flag=True)
def init_command(data: Path | None, demo: bool) -> None:
    """Create or migrate the database; --demo loads example agencies and demo accounts."""
    folder = (data or Path(os.environ.get("PRONGSAI_DATA", "prongsai-data"))).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "media").mkdir(exist_ok=True)
    (folder / "frameworks").mkdir(exist_ok=True)  # years added on the frameworks page
    web_setup(folder)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    click.echo(f"{_both('web_ready')}: {folder}")
    if not demo:
        return
    files = sorted(EXAMPLES.glob("*-25??.yaml"))
    if not files:
        raise InputError([error("web_examples_missing", Location(option="--demo"), path=EXAMPLES)])
    from prongsai_web.demo import load_demo

    loaded = load_demo(files)
    click.echo(f"{_both('web_demo_loaded')}: {', '.join(loaded.agencies)}")
    click.echo(_both("web_demo_accounts") + ":")
    for account in loaded.accounts:
        click.echo(f"  {account.username}  {account.role}  {account.password}  {account.scope}")


@web_group.command("adduser", cls=ProngsaiCommand)
@click.argument("username")
@click.option("--role", type=Choice(list(ROLES)), required=True)
@click.option("--agency", "agency_id", type=int)
@click.option("--province")
@click.option("--department")
@click.option("--national", is_flag=True)
@data_option
def adduser_command(
    username: str,
    role: str,
    agency_id: int | None,
    province: str | None,
    department: str | None,
    national: bool,
    data: Path | None,
) -> None:
    """Add a user with a role in a scope; the password is read from standard input."""
    given = [x for x in (agency_id, province, department) if x is not None] + ([True] if national else [])
    if len(given) != 1:
        raise InputError([error("web_scope_needed", Location(option="--role"))])
    if role in ("clerk", "executive") and agency_id is None:
        raise InputError([error("web_scope_not_allowed", Location(option="--role"), role=role)])
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise InputError([error("web_password_empty", Location(option="USERNAME"))])
    web_setup(data)
    from django.contrib.auth import get_user_model

    from prongsai_web.accounts.services import add_user
    from prongsai_web.directory.models import Agency

    if get_user_model().objects.filter(username=username).exists():
        raise InputError([error("web_user_exists", Location(option="USERNAME"), username=username)])
    scope: dict[str, Any] = {"province": province or "", "department": department or ""}
    if agency_id is not None:
        agency = Agency.objects.filter(pk=agency_id).first()
        if agency is None:
            raise InputError([error("web_agency_unknown", Location(option="--agency"), agency=agency_id)])
        scope["agency"] = agency
    add_user(username, password, role, **scope)
    click.echo(f"{_both('web_user_added')}: {username} ({role})")


@web_group.command("addagency", cls=ProngsaiCommand)
@click.argument("name")
@click.option("--type", "agency_type")
@click.option("--province")
@click.option("--district")
@click.option("--department")
@click.option("--code")
@data_option
def addagency_command(
    name: str,
    agency_type: str | None,
    province: str | None,
    district: str | None,
    department: str | None,
    code: str | None,
    data: Path | None,
) -> None:
    """Add an agency; prints its id (for adduser --agency)."""
    web_setup(data)
    from prongsai_web.directory.models import Agency
    from prongsai_web.directory.services import add_agency

    place = {"name": name.strip(), "province": (province or "").strip(), "district": (district or "").strip()}
    if Agency.objects.filter(**place).exists() or (code and Agency.objects.filter(code=code).exists()):
        raise InputError([error("web_agency_exists", Location(option="NAME"), name=name)])
    agency = add_agency(
        name,
        type=agency_type or "",
        province=province or "",
        district=district or "",
        department=department or "",
        code=code,
    )
    click.echo(f"{_both('web_agency_added')}: {agency.pk} {agency.name}")


@web_group.command("serve", cls=ProngsaiCommand)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8000, show_default=True)
@data_option
def serve_command(host: str, port: int, data: Path | None) -> None:
    """Serve the web application with gunicorn (static files by whitenoise)."""
    folder = web_setup(data)
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not Path(database["NAME"]).is_file():
        raise InputError([error("web_not_initialised", Location(option="--data"), path=folder)])
    env = dict(os.environ, PRONGSAI_DATA=str(folder))
    env.setdefault("PRONGSAI_ALLOWED_HOSTS", ",".join(dict.fromkeys([host, "127.0.0.1", "localhost"])))
    click.echo(f"{_both('web_serving')}: http://{host}:{port}/")
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"{host}:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        "2",
        "--threads",
        "4",
        "prongsai_web.wsgi:application",
    ]
    sys.stdout.flush()
    os.execve(sys.executable, command, env)  # gunicorn in this process: its signals reach gunicorn


def _require_database(folder: Path) -> None:
    """A SQLite data folder that ``web init`` has not made yet is the person's mistake, said so."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not Path(database["NAME"]).is_file():
        raise InputError([error("web_not_initialised", Location(option="--data"), path=folder)])


@web_group.command("worker", cls=ProngsaiCommand)
@data_option
@click.option("--queue", default="*", show_default=True)
@click.option("--batch", is_flag=True)
def worker_command(data: Path | None, queue: str, batch: bool) -> None:
    """Run the background jobs (documents, reminders): django-tasks-db's worker, with the reaper and,
    unless --batch, the reminders' daily schedule (docs/web-documents.md)."""
    folder = web_setup(data)
    _require_database(folder)
    import logging

    from prongsai_web.jobs.worker import run_worker

    logging.getLogger("django_tasks_db").setLevel(logging.INFO)
    logging.getLogger("django_tasks").setLevel(logging.INFO)
    run_worker(queue, batch=batch)


@web_group.command("remind", cls=ProngsaiCommand)
@data_option
@click.option("--as-of", "as_of")
def remind_command(data: Path | None, as_of: str | None) -> None:
    """Run one day's reminders now (today by default) and send their e-mails; a day runs once."""
    from prongsai.thaidate import read_date

    day = None
    if as_of is not None:
        day, problems = read_date(as_of, Location(option="--as-of"))
        if day is None:
            raise InputError(problems)
    folder = web_setup(data)
    _require_database(folder)
    from prongsai_web.jobs.reminders import run_day

    for line in run_day(day):
        click.echo(line)
