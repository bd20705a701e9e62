#!/bin/sh
# SPDX-License-Identifier: MIT
# Starts (or finds running) a throwaway PostgreSQL cluster for the tests and prints its URL.
# Idempotent and safe to run concurrently (flock). Listens on 127.0.0.1 only.
#   GASPER_TEST_PG_DIR   cluster directory (default /tmp/gasper-test-pg)
#   GASPER_TEST_PG_PORT  port (default 55432)
# The cluster runs as the `postgres` OS user when started by root (postgres refuses root),
# else as the calling user. Role gasper/gasper owns database gasper_test.
set -eu

PGDIR=${GASPER_TEST_PG_DIR:-/tmp/gasper-test-pg}
PORT=${GASPER_TEST_PG_PORT:-55432}
DATA="$PGDIR/data"

BIN=/usr/lib/postgresql/15/bin
if [ ! -x "$BIN/initdb" ]; then
    # Any other installed major version will do.
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        if [ -x "$candidate/initdb" ]; then BIN=$candidate; break; fi
    done
fi
if [ ! -x "$BIN/initdb" ] || [ ! -x "$BIN/pg_ctl" ]; then
    echo "start-postgres.sh: PostgreSQL server binaries not found (/usr/lib/postgresql/<version>/bin/initdb)." >&2
    echo "Install them: apt-get install -y postgresql" >&2
    exit 1
fi
PSQL="$BIN/psql"
[ -x "$PSQL" ] || PSQL=psql

# One runner at a time: parallel test runs may all call this script.
LOCK="$PGDIR.lock"
exec 9>"$LOCK"
if command -v flock >/dev/null 2>&1; then flock 9; fi

if [ "$(id -u)" = 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        echo "start-postgres.sh: running as root but there is no 'postgres' OS user to run the server" >&2
        exit 1
    fi
    as_pg() { runuser -u postgres -- "$@"; }
    mkdir -p "$PGDIR"
    chown postgres: "$PGDIR"
else
    as_pg() { "$@"; }
    mkdir -p "$PGDIR"
fi
chmod 0700 "$PGDIR"

if [ ! -f "$DATA/PG_VERSION" ]; then
    rm -rf "$DATA"
    as_pg "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --no-locale \
        --auth-local=trust --auth-host=scram-sha-256 >"$PGDIR/initdb.log" 2>&1 || {
        echo "start-postgres.sh: initdb failed, see $PGDIR/initdb.log" >&2
        cat "$PGDIR/initdb.log" >&2
        exit 1
    }
fi

if ! as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    # A throwaway cluster: durability off for speed, unix socket inside $PGDIR only.
    # 9>&- : the server must not inherit the lock, or it would hold it forever.
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$PGDIR/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        >/dev/null 9>&- || {
        echo "start-postgres.sh: the server did not start, see $PGDIR/server.log" >&2
        tail -n 20 "$PGDIR/server.log" >&2 || true
        exit 1
    }
fi

as_pg "$PSQL" -X -q -h "$PGDIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
SET client_min_messages = warning;
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gasper') THEN
        CREATE ROLE gasper LOGIN PASSWORD 'gasper';
    END IF;
END
$$;
SELECT 'CREATE DATABASE gasper_test OWNER gasper'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'gasper_test') \gexec
-- a second database for gasperd itself in the integration suite (tests/integration)
SELECT 'CREATE DATABASE gasper_it OWNER gasper'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'gasper_it') \gexec
SQL

echo "postgresql://gasper:gasper@127.0.0.1:$PORT/gasper_test"
