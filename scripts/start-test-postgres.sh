#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the test suite and print its SQLAlchemy URL
# on the last line. Uses Debian's postgresql binaries (scripts/install-system-deps.sh installs
# them); runs the server as the `postgres` system user when started as root, since PostgreSQL
# refuses to run as root. Stop it with: scripts/start-test-postgres.sh stop
set -euo pipefail
PORT="${BAOCAO_PG_PORT:-54329}"
DATA="${BAOCAO_PG_DATA:-/tmp/baocao-test-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "start-test-postgres: PostgreSQL binaries not found; run scripts/install-system-deps.sh" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "${1:-}" = "stop" ]; then
  as_owner "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
  exit 0
fi
if [ ! -f "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"
  [ "$(id -u)" -eq 0 ] && chown postgres "$DATA"
  as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
fi
as_owner "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname='baocao_test'" | grep -q 1 ||
  as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres baocao_test
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/baocao_test"
