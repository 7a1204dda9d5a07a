#!/usr/bin/env bash
# Starts a private PostgreSQL server for fieldeval's store tests; idempotent.
#
#   eval "$(bash scripts/start-postgres.sh)"   # exports FIELDEVAL_TEST_PG_URL
#   bash scripts/start-postgres.sh stop         # stops it again
#
# Installs the Debian package `postgresql` with apt-get when no server binary
# is found (as root, or through sudo). The cluster lives in
# $FIELDEVAL_PG_DIR (default fieldeval-pg under $TMPDIR or /var/tmp), listens on 127.0.0.1
# and a unix socket in that directory, port $FIELDEVAL_PG_PORT (default
# 55432), and trusts local connections only. It creates the role and database
# `fieldeval_test`. The only thing written to stdout is the export line;
# progress goes to stderr.
set -euo pipefail
DIR="${FIELDEVAL_PG_DIR:-${TMPDIR:-/var/tmp}/fieldeval-pg}"
PORT="${FIELDEVAL_PG_PORT:-55432}"
DB="fieldeval_test"
ROLE="fieldeval_test"
say() { echo "start-postgres: $*" >&2; }

find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

if ! BIN="$(find_bin)"; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    say "PostgreSQL is not installed and I am not root: apt-get install postgresql"; exit 1; fi
  say "installing postgresql (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq --no-install-recommends postgresql >&2
  BIN="$(find_bin)" || { say "postgresql installed but initdb/pg_ctl not found"; exit 1; }
fi

# The server refuses to run as root: run it as the `postgres` user then.
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$DIR" --shell /bin/sh postgres
  AS=(runuser -u postgres --)
else
  AS=()
fi
pg() { "${AS[@]}" "$@"; }

if [ "${1:-start}" = "stop" ]; then
  if [ -f "$DIR/data/postmaster.pid" ]; then pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >&2; fi
  exit 0
fi

mkdir -p "$DIR"
[ "$(id -u)" -eq 0 ] && chown postgres: "$DIR"
if [ ! -f "$DIR/data/PG_VERSION" ]; then
  say "initdb $DIR/data"
  pg "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || pg "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
fi
if ! pg "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
  say "starting on 127.0.0.1:$PORT"
  pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=100" start >&2 \
    || { tail -20 "$DIR/server.log" >&2; exit 1; }
fi
PSQL=(pg "$BIN/psql" -h "$DIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
if [ "$("${PSQL[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
  "${PSQL[@]}" -c "CREATE ROLE $ROLE LOGIN" >&2
fi
if [ "$("${PSQL[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
  "${PSQL[@]}" -c "CREATE DATABASE $DB OWNER $ROLE" >&2
fi
URL="postgresql+psycopg://$ROLE@127.0.0.1:$PORT/$DB"
say "ready: $URL"
echo "export FIELDEVAL_TEST_PG_URL=$URL"
