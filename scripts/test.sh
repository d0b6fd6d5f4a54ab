#!/usr/bin/env bash
# Set up, then run every check: lint, format, strict types on the core, and the whole test suite.
# The suite runs on SQLite; then, when tests/web holds tests, the web tests run again on a throw-away
# PostgreSQL server (scripts/pg.sh, a Unix socket in a temporary folder, stopped at the end whatever happens).
# Extra arguments go to pytest, in both runs (docs/web-testing.md).
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

status=0
# the first run is the SQLite one, whatever DATABASE_URL this shell may hold
pytest_status env -u DATABASE_URL .venv/bin/python -m pytest "$@" || status=$?

# run on PostgreSQL as well, unless the first run broke off (2: interrupted or usage error; 3, 4: pytest's
# own) or failed when asked to stop at the first failure
go_on=yes
[ "$status" -le 1 ] || go_on=no
if [ "$status" = 1 ]; then
  for arg in "$@"; do
    case $arg in -x | --exitfirst | --maxfail*) go_on=no ;; esac
  done
fi
if [ "$go_on" = yes ] && [ -n "$(find tests/web -name 'test_*.py' -print -quit 2>/dev/null)" ]; then
  pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/prongsai-pg.XXXXXX")
  trap 'bash scripts/pg.sh stop "$pg_dir" || true' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
  database_url=$(bash scripts/pg.sh start "$pg_dir")
  # the web tests only, on PostgreSQL: -m web, and the caller's own -m (if any) as well
  args=()
  marks=web
  while [ $# -gt 0 ]; do
    case $1 in
      -m)
        [ $# -ge 2 ] || break
        marks="$marks and ($2)"
        shift
        ;;
      -m*) marks="$marks and (${1#-m})" ;;
      *) args+=("$1") ;;
    esac
    shift
  done
  echo "web tests on PostgreSQL ($database_url)"
  pg_status=0
  DATABASE_URL=$database_url .venv/bin/python -m pytest -m "$marks" tests/web "${args[@]}" || pg_status=$?
  if [ "$pg_status" = 5 ] && [ "$marks" != web ]; then
    pg_status=0 # the caller's -m chose no web test
  elif [ "$pg_status" = 5 ]; then
    echo "pytest collected no web tests on PostgreSQL: failing on purpose" >&2
    pg_status=1
  fi
  [ "$status" != 0 ] || status=$pg_status
fi
exit "$status"
