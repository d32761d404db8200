#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a loopback port, for tests only (fsync off).
#   scripts/pg-throwaway.sh start   prints: <database url> <cluster dir>
#   scripts/pg-throwaway.sh stop <cluster dir>
set -euo pipefail
cmd=${1:-}
PGBIN=$(pg_config --bindir 2>/dev/null || true)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  # pg_config from libpq-dev may point elsewhere; fall back to the newest Debian server install.
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "PostgreSQL server binaries not found (Debian: apt-get install postgresql)" >&2
  exit 3
fi
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    PGPORT=${PGPORT:-$((55000 + RANDOM % 5000))}
    PGROOT=$(mktemp -d "${TMPDIR:-/tmp}/medledger-pg.XXXXXX")
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGROOT"; fi
    as_pg "$PGBIN/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$PGROOT/initdb.log" 2>&1
    as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/pg.log" -w -t 30 \
      -o "-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null
    echo "postgres://postgres@127.0.0.1:$PGPORT/postgres $PGROOT"
    ;;
  stop)
    PGROOT=${2:?cluster dir}
    as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PGROOT"
    ;;
  *)
    echo "usage: $0 start | stop <cluster dir>" >&2
    exit 2
    ;;
esac
