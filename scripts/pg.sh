#!/usr/bin/env bash
# A throw-away PostgreSQL server for tests, from Debian's packages (postgresql: scripts/setup.sh installs it).
#   pg.sh start DIR   create (or reuse) a cluster in DIR and start it; print the DATABASE_URL to use
#   pg.sh stop DIR    stop it and remove DIR
# The server listens on a Unix socket in DIR only (no TCP), trusts that socket, and trades durability for
# speed (fsync off). As root it runs as the system user prongsai-test (created here when missing), because
# PostgreSQL refuses to run as root. Both commands are safe to run twice. See docs/web-testing.md.
set -euo pipefail

PG_USER=prongsai-test # the server's system user when run as root, and always the database role
PG_DB=prongsai
MARK=pg.sh-cluster # a file in DIR that says the folder is ours: stop removes nothing else

die() {
  echo "pg.sh: $*" >&2
  exit 1
}

usage() {
  echo "usage: pg.sh start DIR | pg.sh stop DIR" >&2
  exit 2
}

# The newest installed PostgreSQL's programs: Debian keeps them in /usr/lib/postgresql/MAJOR/bin, off PATH.
find_bin() {
  if [ -n "${PG_BINDIR:-}" ]; then
    [ -x "$PG_BINDIR/initdb" ] || die "PG_BINDIR=$PG_BINDIR has no initdb"
    echo "$PG_BINDIR"
    return
  fi
  local dir best="" best_major=0 major
  for dir in /usr/lib/postgresql/*/bin; do
    if ! [ -x "$dir/initdb" ] || ! [ -x "$dir/pg_ctl" ] || ! [ -x "$dir/postgres" ]; then continue; fi
    major=${dir#/usr/lib/postgresql/}
    major=${major%%/*}
    [[ $major =~ ^[0-9]+$ ]] || continue
    if [ "$major" -gt "$best_major" ]; then
      best=$dir
      best_major=$major
    fi
  done
  if [ -z "$best" ] && command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    best=$(dirname "$(command -v initdb)")
  fi
  [ -n "$best" ] || die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb).
  Install the server with: bash scripts/setup.sh   (or: apt-get install postgresql)"
  echo "$best"
}

# Run a command as the server's user: ourselves, or prongsai-test when we are root.
as_server() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u "$PG_USER" -- "$@")
  else
    "$@"
  fi
}

ensure_user() {
  [ "$(id -u)" = 0 ] || return 0
  command -v runuser >/dev/null || die "runuser (util-linux) is needed to run PostgreSQL as a non-root user"
  id -u "$PG_USER" >/dev/null 2>&1 && return 0
  if command -v useradd >/dev/null; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin --comment "prongsai throw-away test PostgreSQL" "$PG_USER" 2>/dev/null || true
  else
    adduser --system --group --no-create-home --home /nonexistent "$PG_USER" >/dev/null 2>&1 || true
  fi
  # a second pg.sh may have created it at the same moment: only its absence is an error
  id -u "$PG_USER" >/dev/null 2>&1 || die "could not create the system user $PG_USER"
}

# The URL libpq, psycopg and dj-database-url understand: the socket folder goes in ?host=.
url() {
  local dir=$1 enc="" c i LC_ALL=C # byte by byte: a UTF-8 character becomes several %XX
  for ((i = 0; i < ${#dir}; i++)); do
    c=${dir:i:1}
    case $c in
      [A-Za-z0-9/._~-]) enc+=$c ;;
      *) enc+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  echo "postgresql://$PG_USER@/$PG_DB?host=$enc"
}

# Where the cluster's files live. Normally DIR/data with the socket in DIR. When root gives a DIR that
# prongsai-test cannot reach (pytest's tmp_path under a 0700 /tmp/pytest-of-root, /root/...), the files go
# to a private folder under /tmp that DIR/run names, and DIR gets a link to the socket.
run_dir() {
  local dir=$1
  if [ -f "$dir/run" ]; then cat "$dir/run"; else echo "$dir"; fi
}

start() {
  local dir=$1 bin run data sock
  bin=$(find_bin)
  ensure_user
  if [ -e "$dir" ] && [ ! -f "$dir/$MARK" ] && [ -n "$(ls -A "$dir")" ]; then
    die "$dir exists and is not an empty folder or a pg.sh cluster: not touching it"
  fi
  mkdir -p "$dir"
  touch "$dir/$MARK"
  run=$(run_dir "$dir")
  data=$run/data
  sock=5432 # no TCP port is opened: the number only names the socket file (.s.PGSQL.5432)

  if [ ! -f "$data/PG_VERSION" ]; then
    # nothing usable yet (or a start that broke off): begin again in DIR itself
    if [ "$run" != "$dir" ]; then rm -rf "$run"; fi
    rm -rf "$dir/run" "$dir/data"
    run=$dir
    data=$run/data
    if [ "$(id -u)" = 0 ]; then
      chown "$PG_USER:" "$dir"
      chmod 700 "$dir"
      if ! runuser -u "$PG_USER" -- test -w "$dir"; then
        run=$(mktemp -d "${TMPDIR:-/tmp}/prongsai-pg.XXXXXX")
        chown "$PG_USER:" "$run"
        echo "$run" >"$dir/run"
        runuser -u "$PG_USER" -- test -w "$run" ||
          die "$PG_USER can reach neither $dir nor $run: give a folder under /tmp"
        data=$run/data
      fi
    fi
    local loc=(--no-locale)
    # C.UTF-8 sorts by code point as SQLite does, and knows UTF-8 characters
    if locale -a 2>/dev/null | grep -ixE 'c\.utf-?8' >/dev/null; then loc=(--locale=C.UTF-8); fi
    as_server "$bin/initdb" -D "$data" -U "$PG_USER" -A trust -E UTF8 "${loc[@]}" \
      --no-sync --no-instructions >"$run/initdb.log" 2>&1 ||
      die "initdb failed:
$(cat "$run/initdb.log")"
    cat >>"$data/postgresql.conf" <<EOF

# pg.sh: a throw-away test server (Unix socket only, no durability)
listen_addresses = ''
unix_socket_directories = '${run//\'/\'\'}'
port = $sock
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_connections = 50
shared_buffers = 32MB
checkpoint_timeout = 1h
max_wal_size = 1GB
autovacuum = off
log_min_messages = warning
EOF
  fi
  if [ "$run" != "$dir" ]; then
    ln -sfn "$run/.s.PGSQL.$sock" "$dir/.s.PGSQL.$sock"
  fi

  if ! as_server "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1; then
    as_server "$bin/pg_ctl" start -D "$data" -l "$run/server.log" -w -t 60 >/dev/null ||
      die "the server did not start:
$(tail -n 20 "$run/server.log" 2>/dev/null)"
  fi
  # pg_ctl -w waits for the server; wait again on the socket the client uses, then make the database
  local i
  for ((i = 0; i < 100; i++)); do
    "$bin/pg_isready" -q -h "$dir" -p "$sock" -U "$PG_USER" && break
    sleep 0.1
  done
  "$bin/pg_isready" -q -h "$dir" -p "$sock" -U "$PG_USER" || die "the server does not answer on $dir"
  if [ -z "$("$bin/psql" -h "$dir" -p "$sock" -U "$PG_USER" -d postgres -XAtqc \
    "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" ]; then
    "$bin/psql" -h "$dir" -p "$sock" -U "$PG_USER" -d postgres -Xq -v ON_ERROR_STOP=1 \
      -c "CREATE DATABASE $PG_DB" >/dev/null
  fi
  url "$dir"
}

stop() {
  local dir=$1 bin run
  [ -e "$dir" ] || return 0 # already stopped and removed
  if [ ! -f "$dir/$MARK" ]; then
    rmdir "$dir" 2>/dev/null && return 0 # an empty folder: a start that never began
    die "$dir is not a pg.sh cluster: not removing it"
  fi
  run=$(run_dir "$dir")
  if [ -f "$run/data/postmaster.pid" ]; then
    bin=$(find_bin)
    # immediate: nothing in a throw-away cluster is worth a checkpoint
    as_server "$bin/pg_ctl" stop -D "$run/data" -m immediate -w -t 60 >/dev/null 2>&1 || true
  fi
  if [ "$run" != "$dir" ]; then rm -rf "$run"; fi
  rm -rf "$dir"
}

[ $# = 2 ] || usage
[ -n "$2" ] || usage
dir=$(realpath -m -- "$2")
[ "$dir" != / ] || die "refusing to use /"
case $1 in
  start) start "$dir" ;;
  stop) stop "$dir" ;;
  *) usage ;;
esac
