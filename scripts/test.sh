#!/usr/bin/env bash
# Set up, then run every check: lint, format, strict types on the core, and the whole test suite.
# The suite runs on SQLite and, when tests/web holds tests, the web tests run again on a throw-away
# PostgreSQL server (scripts/pg.sh, a Unix socket in a temporary folder, stopped at the end whatever
# happens), both at once; one after the other with -x/--exitfirst/--maxfail. Extra arguments go to
# pytest, in both runs (docs/web-testing.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check src tests bench
.venv/bin/ruff format --check src tests bench
.venv/bin/mypy

# pytest's exit status, with "collected no tests" (5) made a failure
pytest_status() {
  local status=0
  "$@" || status=$?
  if [ "$status" = 5 ]; then
    echo "pytest collected no tests: failing on purpose" >&2
    status=1
  fi
  return "$status"
}

# The web tests' arguments for the PostgreSQL run: -m web, and the caller's own -m (if any) as well
args=()
marks=web
rest=("$@")
while [ ${#rest[@]} -gt 0 ]; do
  case ${rest[0]} in
    -m)
      [ ${#rest[@]} -ge 2 ] || break
      marks="$marks and (${rest[1]})"
      rest=("${rest[@]:1}")
      ;;
    -m*) marks="$marks and (${rest[0]#-m})" ;;
    *) args+=("${rest[0]}") ;;
  esac
  rest=("${rest[@]:1}")
done

# the web tests on PostgreSQL, in the server started below; pytest's status, "no tests" handled
postgres_run() {
  local pg_status=0
  DATABASE_URL=$database_url .venv/bin/python -m pytest -m "$marks" tests/web "${args[@]}" || pg_status=$?
  if [ "$pg_status" = 5 ] && [ "$marks" != web ]; then
    pg_status=0 # the caller's -m chose no web test
  elif [ "$pg_status" = 5 ]; then
    echo "pytest collected no web tests on PostgreSQL: failing on purpose" >&2
    pg_status=1
  fi
  return "$pg_status"
}

start_postgres() {
  pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/prongsai-pg.XXXXXX")
  trap 'stop_everything' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
  database_url=$(bash scripts/pg.sh start "$pg_dir")
}

pg_pid=
pg_log=
stop_everything() {
  [ -z "$pg_pid" ] || kill "$pg_pid" 2>/dev/null || true
  [ -z "$pg_log" ] || rm -f "$pg_log"
  bash scripts/pg.sh stop "$pg_dir" || true
}

status=0
has_web=$([ -n "$(find tests/web -name 'test_*.py' -print -quit 2>/dev/null)" ] && echo yes || echo no)
stop_first=no
for arg in "$@"; do
  case $arg in -x | --exitfirst | --maxfail*) stop_first=yes ;; esac
done

if [ "$has_web" = yes ] && [ "$stop_first" = no ]; then
  # both runs at once (two CPUs): the web tests on PostgreSQL beside the whole suite on SQLite, the
  # PostgreSQL run's output shown when both are done; the status is the first failure
  start_postgres
  pg_log=$(mktemp "${TMPDIR:-/tmp}/prongsai-pg-run.XXXXXX")
  postgres_run >"$pg_log" 2>&1 &
  pg_pid=$!
  pytest_status env -u DATABASE_URL .venv/bin/python -m pytest "$@" || status=$?
  pg_status=0
  wait "$pg_pid" || pg_status=$?
  pg_pid=
  echo "web tests on PostgreSQL ($database_url), run beside the SQLite run:"
  cat "$pg_log"
  if [ "$status" -gt 1 ]; then
    : # the SQLite run broke off (2: interrupted or usage error; 3, 4: pytest's own): its status
  elif [ "$status" = 0 ]; then
    status=$pg_status
  fi
else
  # one after the other: the SQLite run (whatever DATABASE_URL this shell may hold), then PostgreSQL
  # unless the first run broke off or failed when asked to stop at the first failure
  pytest_status env -u DATABASE_URL .venv/bin/python -m pytest "$@" || status=$?
  if [ "$has_web" = yes ] && { [ "$status" = 0 ] || { [ "$status" = 1 ] && [ "$stop_first" = no ]; }; }; then
    start_postgres
    echo "web tests on PostgreSQL ($database_url)"
    pg_status=0
    postgres_run || pg_status=$?
    [ "$status" != 0 ] || status=$pg_status
  fi
fi
exit "$status"
