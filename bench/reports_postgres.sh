#!/usr/bin/env bash
# The peer of bench/reports.sh (issue 12 §6): PostgreSQL 15 taking rows shaped like wijkwerk's
# reports as bare INSERTs from CLIENTS pgbench clients, synchronous_commit = on (every commit
# waits for its WAL flush, as wijkwerk acknowledges a report only once it is durable).
# Run it right after bench/reports.sh on the same machine, so the two are side by side.
#   bash bench/reports_postgres.sh
#   CLIENTS=32 SECONDS_EACH=10 bash bench/reports_postgres.sh
# Needs the Debian packages postgresql-15 (a cluster 15/main) and postgresql-client (pgbench).
# Prints reports/s (tps), p50 and p99 latency in ms; writes them to $RUN_DIR/postgres.json.
set -euo pipefail
: "${CLIENTS:=32}" "${SECONDS_EACH:=10}" "${CLUSTER:=main}" "${PGPORT_BENCH:=5432}"
RUN_DIR="${RUN_DIR:-$(dirname "$0")/out/reports-postgres/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$RUN_DIR"
WORK="$(mktemp -d)"
chmod 777 "$WORK"
trap 'rm -rf "$WORK"' EXIT

pg_ctlcluster 15 "$CLUSTER" start 2>/dev/null || true
as_pg() { su postgres -c "$*"; }
as_pg "psql -p $PGPORT_BENCH -qAt -c \"SELECT 1\"" >/dev/null
as_pg "psql -p $PGPORT_BENCH -qAt -c \"DROP DATABASE IF EXISTS wijkwerk_reports\"" >/dev/null
as_pg "psql -p $PGPORT_BENCH -qAt -c \"CREATE DATABASE wijkwerk_reports\"" >/dev/null
# A report as wijkwerk stores it: type, target, place, buurt, time, source, reporter, status,
# answers (JSON) and the client's idempotency key (unique).
as_pg "psql -p $PGPORT_BENCH -q -d wijkwerk_reports" <<'SQL'
SET synchronous_commit = on;
CREATE TABLE observation (
    id              bigserial PRIMARY KEY,
    type            text      NOT NULL,
    building        bigint,
    address         bigint,
    lon             double precision NOT NULL,
    lat             double precision NOT NULL,
    buurt           text      NOT NULL,
    observed_at     bigint    NOT NULL,
    source          text      NOT NULL,
    reporter        bigint    NOT NULL,
    status          text      NOT NULL,
    answers         jsonb     NOT NULL,
    idempotency_key text      NOT NULL UNIQUE
);
SQL
cat >"$WORK/insert.sql" <<'SQL'
\set b random(1, 3000)
\set r random(1, 1000000)
INSERT INTO observation (type, building, lon, lat, buurt, observed_at, source, reporter, status, answers, idempotency_key)
VALUES ('solar_panels', 1999100000000000 + :b, 5.1 + :b / 100000.0, 52.0 + :b / 100000.0, 'BU19990100',
        extract(epoch from now())::bigint, 'resident', :r, 'new', '{"panels": "yes"}',
        md5(random()::text || clock_timestamp()::text || :client_id));
SQL
as_pg "psql -p $PGPORT_BENCH -qAt -d wijkwerk_reports -c \"SHOW synchronous_commit\"" | grep -qx on
as_pg "psql -p $PGPORT_BENCH -qAt -d wijkwerk_reports -c \"SHOW fsync\"" | grep -qx on
cd "$WORK"
as_pg "pgbench -p $PGPORT_BENCH -n -c $CLIENTS -j 2 -T $SECONDS_EACH -f $WORK/insert.sql -l --log-prefix=$WORK/log wijkwerk_reports" >"$WORK/out.txt" 2>&1
cat "$WORK/out.txt" >"$RUN_DIR/pgbench.txt"
python3 - "$WORK" "$RUN_DIR/postgres.json" "$CLIENTS" "$SECONDS_EACH" <<'PY'
import glob, json, sys
work, out, clients, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
lat = []
for f in glob.glob(f"{work}/log*"):
    for line in open(f):
        parts = line.split()
        if len(parts) >= 3:
            lat.append(int(parts[2]) / 1000.0)
lat.sort()
text = open(f"{work}/out.txt").read()
tps = next(float(l.split("=")[1].split()[0]) for l in text.splitlines() if l.startswith("tps ="))
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
r = {"peer": "PostgreSQL 15, bare INSERT, synchronous_commit=on", "clients": clients,
     "seconds": seconds, "rows": len(lat), "per_second": round(tps), "p50_ms": round(q(0.5), 2),
     "p99_ms": round(q(0.99), 2)}
json.dump(r, open(out, "w"), indent=2)
print(json.dumps(r))
PY
as_pg "psql -p $PGPORT_BENCH -qAt -c \"DROP DATABASE IF EXISTS wijkwerk_reports\"" >/dev/null
