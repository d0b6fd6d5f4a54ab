"""scripts/pg.sh, the throw-away PostgreSQL server the web tests run on (docs/web-testing.md)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PG_SH = ROOT / "scripts" / "pg.sh"


def pg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(PG_SH), *map(str, args)], capture_output=True, text=True, timeout=120, check=False
    )


def require_postgresql() -> None:
    if glob.glob("/usr/lib/postgresql/*/bin/initdb") or shutil.which("initdb"):
        return
    reason = "PostgreSQL's server is not installed: bash scripts/setup.sh installs it (Debian's postgresql)"
    if os.environ.get("CI"):
        pytest.fail(reason + ", and CI ran setup.sh")  # on CI setup.sh must have installed it
    pytest.skip(reason)


def sql(url: str, statements: str) -> str:
    """Run SQL over the socket: with psycopg when it is installed, else with psql."""
    try:
        import psycopg
    except ImportError:
        psql = shutil.which("psql") or sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))[-1]
        done = subprocess.run(
            [psql, url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", statements],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        lines = done.stdout.splitlines()
        return lines[-1] if lines else ""
    with psycopg.connect(url, autocommit=True) as conn:
        rows: list[tuple[object, ...]] = []
        for statement in statements.split(";"):
            if statement.strip():
                cursor = conn.execute(statement)
                if cursor.description:
                    rows = cursor.fetchall()
        return "|".join(str(v) for v in rows[-1]) if rows else ""


@pytest.fixture(params=["under /tmp", "tmp_path"])
def cluster_dir(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """A folder the server's user can reach (the test script's case: mktemp under /tmp), and pytest's
    tmp_path, which as root it cannot (/tmp/pytest-of-root is 0700): pg.sh then keeps the files elsewhere."""
    if request.param == "tmp_path":
        folder = tmp_path / "pg"
        yield folder
    else:
        parent = Path(tempfile.mkdtemp(prefix="prongsai pg test "))  # a space: the URL must encode it
        folder = parent / "pg"
        yield folder
        shutil.rmtree(parent, ignore_errors=True)
    pg("stop", folder)  # whatever the test did


@pytest.mark.slow
def test_a_throw_away_cluster_starts_answers_on_its_socket_and_goes_away(cluster_dir: Path) -> None:
    require_postgresql()
    started = pg("start", cluster_dir)
    assert started.returncode == 0, started.stderr
    url = started.stdout.strip()
    assert url.startswith("postgresql://prongsai-test@/prongsai?host=/"), url
    assert (cluster_dir / ".s.PGSQL.5432").exists()  # the socket, or a link to it
    assert pg("start", cluster_dir).stdout.strip() == url  # a second start finds it running

    assert sql(url, "SHOW listen_addresses") == ""  # no TCP at all
    assert sql(url, "SHOW fsync") == "off"
    assert sql(url, "SELECT current_user || '|' || current_database()") == "prongsai-test|prongsai"
    sql(url, "CREATE TABLE agency (name text); INSERT INTO agency VALUES ('เทศบาลตำบลขนอม')")
    assert sql(url, "SELECT name FROM agency") == "เทศบาลตำบลขนอม"

    elsewhere = cluster_dir / "run"  # names the folder that holds the files, when it is not this one
    files = Path(elsewhere.read_text().strip()) if elsewhere.exists() else cluster_dir
    stopped = pg("stop", cluster_dir)
    assert stopped.returncode == 0, stopped.stderr
    assert not cluster_dir.exists()
    assert not files.exists()
    assert pg("stop", cluster_dir).returncode == 0  # stopping twice is fine


def test_stop_leaves_a_folder_that_is_not_a_cluster_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    done = pg("stop", tmp_path)
    assert done.returncode != 0
    assert "not a pg.sh cluster" in done.stderr
    assert (tmp_path / "notes.txt").exists()


def test_start_refuses_a_folder_that_holds_something_else(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    done = pg("start", tmp_path)
    if "not installed" in done.stderr:
        pytest.skip("PostgreSQL's server is not installed")
    assert done.returncode != 0
    assert "not touching it" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_usage() -> None:
    done = pg("restart", "/nonexistent")
    assert done.returncode == 2
    assert "usage: pg.sh start DIR | pg.sh stop DIR" in done.stderr
