"""Benchmark: the web pages under 20 concurrent clients, against gunicorn on PostgreSQL (or SQLite).

Builds N agencies with results (default 1,000; ``--province`` of them, default 200, in the overseer's
province), counts the SQL queries of one request of each page in-process at 10 agencies and at N
(django.test.utils.CaptureQueriesContext), then serves the app with gunicorn on 127.0.0.1, logs in over
HTTP (session cookie) and measures p50/p95 latency and errors of the agency home, the analysis page and
the overseer's list of the province's agencies (the dashboard page when ui/urls.py has one, else the
home page, which is an overseer's list today).

    .venv/bin/python bench/web.py                       # PostgreSQL from scripts/pg.sh, 1,000 agencies
    .venv/bin/python bench/web.py --sqlite --agencies 200 --requests 100

Goals: p95 <= 100 ms (agency, analysis), <= 300 ms (dashboard), no errors, queries per page the same
at 10 and at N agencies. The last line is machine-readable. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed-001-khok-muang-2567.yaml"
PROVINCE = "สงขลา"
OTHER_PROVINCES = ("บึงกาฬ", "เชียงใหม่", "ขอนแก่น", "นครราชสีมา", "ภูเก็ต", "ลำปาง", "ชลบุรี")
PASSWORD = "a long bench password"
HOST = "127.0.0.1"


# --- the database and the world -------------------------------------------------------------------


@contextmanager
def postgres() -> Iterator[str]:
    folder = tempfile.mkdtemp(prefix="prongsai-bench-pg.")
    try:
        url = subprocess.run(
            ["bash", str(ROOT / "scripts" / "pg.sh"), "start", folder],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        yield url
    finally:
        subprocess.run(["bash", str(ROOT / "scripts" / "pg.sh"), "stop", folder], check=False)


def setup_django(data: Path, database_url: str | None) -> dict[str, str]:
    """The environment both this process and gunicorn's workers run with; Django set up here."""
    env = {
        "PRONGSAI_DATA": str(data),
        "PRONGSAI_SECRET_KEY": "bench-" + "k" * 50,
        "PRONGSAI_ALLOWED_HOSTS": f"{HOST},localhost,testserver",
        "DJANGO_SETTINGS_MODULE": "prongsai_web.settings",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return env


@dataclass
class World:
    first: Any  # the clerk's agency, in the province
    clerk: Any
    overseer: Any
    template: Any  # the seed's ResultSet, copied to every other agency
    count: int = 0
    ita_year: int = 0
    rng_state: int = 12345


def start_world() -> World:
    from prongsai.ingest import read_results
    from prongsai_web.accounts.services import add_user
    from prongsai_web.directory.models import Agency
    from prongsai_web.results.services import Read, save_results

    records, _ = read_results(SEED)
    core = records[0].agency
    first = Agency.objects.create(
        name=core.name, type=core.type or "", district=core.district or "", province=PROVINCE
    )
    [template] = save_results(None, first, Read(list(records), [], SEED.name))
    clerk = add_user("bench-clerk", PASSWORD, "clerk", agency=first)
    overseer = add_user("bench-overseer", PASSWORD, "overseer", province=PROVINCE)
    return World(first, clerk, overseer, template, count=1, ita_year=template.ita_year)


def grow(world: World, total: int, in_province: int) -> None:
    """Agencies up to ``total``, the first ``in_province`` of them in the province, each with the
    seed's results under its own name (and a score of its own)."""
    from django.db import transaction

    from prongsai_web.directory.models import Agency
    from prongsai_web.results.models import ResultSet

    t = world.template
    batch = 500
    with transaction.atomic():
        while world.count < total:
            agencies = []
            for i in range(world.count, min(total, world.count + batch)):
                province = PROVINCE if i < in_province else OTHER_PROVINCES[i % len(OTHER_PROVINCES)]
                name = f"เทศบาลตำบลทดสอบ {i:05d}"
                agencies.append(Agency(name=name, type="เทศบาลตำบล", district="เมือง", province=province))
            made = Agency.objects.bulk_create(agencies)
            rows = []
            for agency in made:
                world.rng_state = (world.rng_state * 1103515245 + 12345) % 2**31
                rows.append(
                    ResultSet(
                        agency=agency,
                        ita_year=t.ita_year,
                        canonical=t.canonical.replace(world.first.name, agency.name),
                        estimated=t.estimated,
                        warnings=t.warnings,
                        overall=round(60 + (world.rng_state % 4000) / 100, 2),
                        level=t.level,
                        source_name=t.source_name,
                        **stored_figures(t),
                    )
                )
            ResultSet.objects.bulk_create(rows)
            world.count += len(made)


def stored_figures(template: Any) -> dict[str, Any]:
    """The figures stored with a result set (results/figures.py), copied from the seed's: every
    agency's pages then read them as they read a saved upload's."""
    names = ("tools", "indicators", "weakest_indicator", "weakest_score", "analysis", "figures_version")
    return {name: getattr(template, name) for name in names if hasattr(template, name)}


def dashboard_path() -> str:
    """The overseer's dashboard when a page of that name exists, else the home page (their list)."""
    from django.urls import NoReverseMatch, reverse

    for name in ("dashboard", "overview", "dashboard:index"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return reverse("home")


def pages(world: World) -> dict[str, tuple[str, str]]:
    """page name -> (who, path)"""
    return {
        "agency": ("clerk", f"/a/{world.first.pk}/"),
        "analysis": ("clerk", f"/a/{world.first.pk}/years/{world.ita_year}/"),
        "dashboard": ("overseer", dashboard_path()),
        "home": ("overseer", "/"),  # an overseer's plain list of their agencies
    }


def count_queries(world: World) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    clients = {"clerk": Client(), "overseer": Client()}
    clients["clerk"].force_login(world.clerk)
    clients["overseer"].force_login(world.overseer)
    for name, (who, path) in pages(world).items():
        clients[who].get(path)  # warm: caches, the framework files
        with CaptureQueriesContext(connection) as captured:
            response = clients[who].get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code} in-process")
        counts[name] = len(captured.captured_queries)
    return counts


# --- the server and the clients -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(env: dict[str, str], workers: int, threads: int) -> Iterator[int]:
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "prongsai_web.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--log-level",
        "warning",
        "--backlog",
        "256",
    ]
    server = subprocess.Popen(command, env={**os.environ, **env}, cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _, _ = request(port, "GET", "/login/")
                if status == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def request(
    port: int, method: str, path: str, *, body: str | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, list[str]], bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        found: dict[str, list[str]] = {}
        for key, value in response.getheaders():
            found.setdefault(key.lower(), []).append(value)
        return response.status, found, response.read()
    finally:
        connection.close()


def cookies_of(headers: dict[str, list[str]]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for value in headers.get("set-cookie", []):
        jar.load(value)
    return {k: m.value for k, m in jar.items()}


def log_in(port: int, username: str) -> str:
    """The Cookie header of a session logged in through the login form."""
    status, headers, body = request(port, "GET", "/login/")
    csrf = cookies_of(headers)["csrftoken"]
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or match is None:
        raise SystemExit("no login form")
    form = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": match[1].decode()})
    status, headers, _ = request(
        port,
        "POST",
        "/login/",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}"},
    )
    session = cookies_of(headers).get("sessionid")
    if status != 302 or not session:
        raise SystemExit(f"login as {username} failed ({status})")
    return f"sessionid={session}; csrftoken={csrf}"


@dataclass
class Measured:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    alone_ms: float = float("nan")  # the median of requests one at a time: the page's own cost

    def p(self, q: int) -> float:
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else float("nan")
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[q - 1]


def hammer(call: Callable[[], int], total: int, clients: int) -> Measured:
    """``total`` calls from ``clients`` threads at once; a call returns the HTTP status."""
    measured = Measured()
    lock = threading.Lock()
    left = [total]

    def client() -> None:
        while True:
            with lock:
                if left[0] == 0:
                    return
                left[0] -= 1
            start = time.perf_counter()
            try:
                ok = call() == 200
            except OSError:
                ok = False
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                measured.latencies_ms.append(elapsed)
                measured.errors += 0 if ok else 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    measured.seconds = time.perf_counter() - start
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--agencies", type=int, default=1000)
    parser.add_argument("--province", type=int, default=200, help="agencies in the overseer's province")
    parser.add_argument("--sqlite", action="store_true", help="SQLite in a temporary data folder")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="measured requests per page")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    args = parser.parse_args()
    if args.agencies < 10 or args.province > args.agencies:
        parser.error("--agencies must be at least 10 and at least --province")

    sys.path.insert(0, str(ROOT / "src"))
    data = Path(tempfile.mkdtemp(prefix="prongsai-bench-web."))
    try:
        with postgres() if not args.sqlite else _nothing() as url:
            run(args, data, url)
    finally:
        shutil.rmtree(data, ignore_errors=True)


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


def run(args: argparse.Namespace, data: Path, url: str | None) -> None:
    engine = "SQLite" if url is None else "PostgreSQL"
    built = time.perf_counter()
    env = setup_django(data, url)
    world = start_world()
    grow(world, 10, min(10, args.province))
    queries_small = count_queries(world)
    grow(world, args.agencies, args.province)
    queries = count_queries(world)
    built = time.perf_counter() - built
    print(f"{engine}: {world.count} agencies ({args.province} in จังหวัด{PROVINCE}) built in {built:.1f} s")
    print(f"queries per page at 10 agencies: {queries_small}; at {world.count}: {queries}")

    from django.db import connections

    connections.close_all()  # the server's workers have their own
    load = os.getloadavg()[0]
    with gunicorn(env, args.workers, args.threads) as port:
        sessions = {"clerk": log_in(port, "bench-clerk"), "overseer": log_in(port, "bench-overseer")}
        results: dict[str, Measured] = {}
        for name, (who, path) in pages(world).items():
            cookie = {"Cookie": sessions[who]}

            def call(path: str = path, cookie: dict[str, str] = cookie) -> int:
                return request(port, "GET", path, headers=cookie)[0]

            hammer(call, args.clients * 2, args.clients)  # warm every worker
            alone = hammer(call, 20, 1)
            results[name] = hammer(call, args.requests, args.clients)
            results[name].alone_ms = statistics.median(alone.latencies_ms)
            results[name].errors += alone.errors
    cores = os.cpu_count()
    print(
        f"gunicorn {args.workers} workers x {args.threads} threads, {args.clients} concurrent clients, "
        f"{args.requests} requests per page, {cores} CPUs (load average before: {load:.1f})"
    )
    for name, (who, path) in pages(world).items():
        m = results[name]
        print(
            f"{name:9} {path:24} as {who:8} alone {m.alone_ms:6.1f} ms  p50 {m.p(50):7.1f} ms  "
            f"p95 {m.p(95):7.1f} ms  "
            f"{len(m.latencies_ms) / m.seconds:6.1f} req/s  errors {m.errors}  queries {queries[name]}"
        )
    errors = sum(m.errors for m in results.values())
    print(
        f"agency_p95_ms={results['agency'].p(95):.1f} analysis_p95_ms={results['analysis'].p(95):.1f} "
        f"dashboard_p95_ms={results['dashboard'].p(95):.1f} errors={errors} "
        f"queries_agency={queries['agency']} queries_analysis={queries['analysis']} "
        f"queries_dashboard={queries['dashboard']}"
    )


if __name__ == "__main__":
    main()
