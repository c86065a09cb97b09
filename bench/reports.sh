#!/usr/bin/env bash
# The report write path of the release build:
#  1. baseline: store::ReportWriter::write_batch on a copy of the store, one report per transaction
#     (one WAL fsync each, synchronous = FULL), and batches of 16 and 256 (what group commit can
#     reach without HTTP) — tests/examples/report_writer.rs;
#  2. durable reports/s and p50/p99 latency through HTTP with CLIENTS concurrent device sessions,
#     unique Idempotency-Keys (report_load.py load), a fresh store and server per step, the
#     server's CPU seconds per report;
#  3. where the time goes at the largest CLIENTS: the same load with answers that fail the schema
#     (422: everything but the write) and GET /api/session (HTTP and the session lookup only), and
#     `perf record -a` during a valid run (per thread and per symbol);
#  4. acknowledgement → visible in a fetched tile, VISIBLE_REPORTS reports, idle and under a
#     background load of LOADED_CLIENTS (report_load.py visible);
#  5. writes while one viewer reads the map, on the large store step 4 leaves behind.
# Everything on 127.0.0.1 (loopback addresses 127.1.0.0/8 as client sources: the per-IP report
# limit is a burst of 60). Results: $RUN_DIR/summary.md and one JSON file per measurement.
#   bash bench/reports.sh
#   CLIENTS="1 16 64" SECONDS_EACH=10 PROCS=2 SKIP_BUILD=1 PERF=0 bash bench/reports.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
: "${CLIENTS:=1 8 32 64 128}" "${SECONDS_EACH:=10}" "${BUILDINGS:=3000}" "${PROCS:=2}" "${PERF:=1}"
: "${VISIBLE_REPORTS:=200}" "${LOADED_CLIENTS:=32}"
RUN_DIR="${RUN_DIR:-$OUT_DIR/reports/$(date +%Y%m%d-%H%M%S)}"
TARGET="${CARGO_TARGET_DIR:-$REPO_DIR/target}"
WRITER="$OUT_DIR/bin/report_writer"
PASSWORD="correct horse battery staple"
URL="http://127.0.0.1:$WIJKWERK_PORT"
mkdir -p "$RUN_DIR"

# One release build of the server and of the writer example (SKIP_BUILD=1 reuses out/bin).
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -x "$WIJKWERK" ] || [ ! -x "$WRITER" ]; then
  log "cargo build --release -p server; -p tests --example report_writer"
  (cd "$REPO_DIR" && cargo build --release -p server && cargo build --release -p tests --example report_writer)
  mkdir -p "$OUT_DIR/bin"
  cp "$TARGET/release/wijkwerk" "$WIJKWERK"
  cp "$TARGET/release/examples/report_writer" "$WRITER"
  (cd "$REPO_DIR" && { git rev-parse HEAD; git status --porcelain --untracked-files=no | sed 's/^/dirty: /'; }) \
    >"$OUT_DIR/bin/wijkwerk.rev"
fi
log "wijkwerk: $(head -1 "$OUT_DIR/bin/wijkwerk.rev")"

# The sample wijk (BUILDINGS panden), imported once; every step starts from a copy.
PRISTINE="$RUN_DIR/pristine.sqlite"
"$WIJKWERK" sample --buildings "$BUILDINGS" --seed 7 --out "$RUN_DIR/sample" >/dev/null 2>&1
"$WIJKWERK" import --db "$PRISTINE" "$RUN_DIR/sample/wijkenbuurten.gpkg" "$RUN_DIR/sample/bag-light.gpkg" >/dev/null 2>&1
printf '%s\n' "$PASSWORD" | "$WIJKWERK" users add --db "$PRISTINE" --email wo@bench.test \
  --role wijkondernemer --scope GM1999 --password-stdin >/dev/null 2>&1
sqlite3_checkpoint() { python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()" "$1"; }
sqlite3_checkpoint "$PRISTINE"

fresh_store() { # NAME -> path of a fresh copy
  local db="$RUN_DIR/$1.sqlite"
  rm -f "$db" "$db-wal" "$db-shm"
  cp "$PRISTINE" "$db"
  echo "$db"
}

SERVER_PID=""
trap 'stop_pid "$SERVER_PID"' EXIT
start_server() { # DB LOG
  : >"$2"
  RUST_LOG=info "$WIJKWERK" serve --db "$1" --listen "127.0.0.1:$WIJKWERK_PORT" --tile-cache-mb 256 \
    --sign-in-burst 100000000 --mail-outbox "$RUN_DIR/outbox.jsonl" >"$2" 2>&1 &
  SERVER_PID=$!
  local i
  for ((i = 0; i < 600; i++)); do
    grep -q listening "$2" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { log "wijkwerk exited: $(tail -3 "$2")"; return 1; }
    sleep 0.05
  done
  log "wijkwerk did not start"; return 1
}
stop_server() {
  stop_pid "$SERVER_PID"
  SERVER_PID=""
  if grep -E ' (WARN|ERROR) ' "$1" | grep -v 'no SMTP' >/dev/null; then
    log "warnings in $1:"; grep -E ' (WARN|ERROR) ' "$1" | grep -v 'no SMTP' | head -5 >&2
  fi
}
load() { # NAME CLIENTS KIND [extra args]
  local name="$1" n="$2" kind="$3"; shift 3
  local db; db="$(fresh_store "$name")"
  start_server "$db" "$RUN_DIR/$name.log"
  python3 "$BENCH_DIR/report_load.py" load --url "$URL" --db "$db" --clients "$n" --procs "$PROCS" \
    --seconds "$SECONDS_EACH" --kind "$kind" --pid "$SERVER_PID" "$@" | tee "$RUN_DIR/$name.json"
  stop_server "$RUN_DIR/$name.log"
}

# 1. baseline and group-commit ceiling without HTTP
for b in 1 16 256; do
  n=$((b == 1 ? 2000 : 40000))
  db="$(fresh_store "writer_batch$b")"
  log "ReportWriter, batch $b, $n reports"
  "$WRITER" --db "$db" --batch "$b" --reports "$n" | tee "$RUN_DIR/writer_batch$b.json"
done

# 2. through HTTP
for n in $CLIENTS; do
  log "HTTP, $n clients, ${SECONDS_EACH}s"
  load "load_c$n" "$n" valid
done

# 3. where the time goes
max=$(printf '%s\n' $CLIENTS | sort -n | tail -1)
log "decomposition at $max clients: 422 (no write), GET /api/session"
load "invalid_c$max" "$max" invalid
load "session_c$max" "$max" session
if [ "$PERF" = 1 ] && command -v perf >/dev/null; then
  log "perf record -a during a valid run at $max clients"
  db="$(fresh_store "perf_c$max")"
  start_server "$db" "$RUN_DIR/perf_c$max.log"
  python3 "$BENCH_DIR/report_load.py" load --url "$URL" --db "$db" --clients "$max" --procs "$PROCS" \
    --seconds "$SECONDS_EACH" --pid "$SERVER_PID" >"$RUN_DIR/perf_c$max.json" &
  lpid=$!
  sleep $((3 + max / 100))
  perf record -q -a -g -e cpu-clock -F 499 -o "$RUN_DIR/perf.data" -- sleep $((SECONDS_EACH - 3)) 2>/dev/null
  wait "$lpid"
  stop_server "$RUN_DIR/perf_c$max.log"
  top() { # N perf-report-args…: the first N lines of a report (|| true: head closes the pipe)
    local n="$1"; shift
    { perf report -i "$RUN_DIR/perf.data" --stdio -g none "$@" 2>/dev/null | grep -v -e '^#' -e '^$' | head -"$n"; } || true
  }
  top 20 --no-children --sort comm >"$RUN_DIR/perf_threads.txt"
  top 45 --no-children --comm wijkwerk,tokio-rt-worker,report-writer --sort sym >"$RUN_DIR/perf_server_symbols.txt"
  top 60 --children --comm tokio-rt-worker,report-writer --sort sym >"$RUN_DIR/perf_server_inclusive.txt"
  rm -f "$RUN_DIR/perf.data"
fi

# 4. acknowledgement -> visible in a fetched tile
log "visibility, $VISIBLE_REPORTS reports, idle"
db="$(fresh_store visible_idle)"
start_server "$db" "$RUN_DIR/visible_idle.log"
python3 "$BENCH_DIR/report_load.py" visible --url "$URL" --db "$db" --reports "$VISIBLE_REPORTS" \
  --ip-offset 5000000 --password "$PASSWORD" | tee "$RUN_DIR/visible_idle.json"
stop_server "$RUN_DIR/visible_idle.log"
log "visibility under a load of $LOADED_CLIENTS clients"
db="$(fresh_store visible_loaded)"
start_server "$db" "$RUN_DIR/visible_loaded.log"
# The background load runs for LOADED_SECONDS (after its 2 s warm-up); the probe starts 4 s in
# and must finish before the load ends (checked below).
: "${LOADED_SECONDS:=40}"
python3 "$BENCH_DIR/report_load.py" load --url "$URL" --db "$db" --clients "$LOADED_CLIENTS" --procs 1 \
  --seconds "$LOADED_SECONDS" --pid "$SERVER_PID" >"$RUN_DIR/visible_loaded_background.json" &
lpid=$!
sleep 4
t0=$(date +%s)
python3 "$BENCH_DIR/report_load.py" visible --url "$URL" --db "$db" --reports "$VISIBLE_REPORTS" \
  --ip-offset 5000000 --password "$PASSWORD" | tee "$RUN_DIR/visible_loaded.json"
probe_s=$(($(date +%s) - t0))
[ "$probe_s" -lt "$((LOADED_SECONDS - 2))" ] || log "the probe took ${probe_s}s: partly without background load"
wait "$lpid"
cat "$RUN_DIR/visible_loaded_background.json"
stop_server "$RUN_DIR/visible_loaded.log"

# 5. writes while the map is read, on the store step 4 left (≈ 200,000 live reports): the same
# LOADED_CLIENTS load, quiet and with one viewer fetching the z12 tile of the middle in a loop.
for mode in quiet viewer; do
  db="$RUN_DIR/big_$mode.sqlite"
  rm -f "$db" "$db-wal" "$db-shm"
  sqlite3_checkpoint "$RUN_DIR/visible_loaded.sqlite"
  cp "$RUN_DIR/visible_loaded.sqlite" "$db"
  start_server "$db" "$RUN_DIR/big_$mode.log"
  log "big store ($(grep -o 'live=[0-9]*' "$RUN_DIR/big_$mode.log")), $LOADED_CLIENTS clients, $mode"
  if [ "$mode" = viewer ]; then
    (sleep 2 && python3 "$BENCH_DIR/report_load.py" tiles --url "$URL" --db "$db" --zoom 12 \
      --seconds "$SECONDS_EACH" >"$RUN_DIR/big_viewer_tiles.json") &
    vpid=$!
  fi
  python3 "$BENCH_DIR/report_load.py" load --url "$URL" --db "$db" --clients "$LOADED_CLIENTS" --procs "$PROCS" \
    --seconds "$SECONDS_EACH" --pid "$SERVER_PID" --ip-offset 7000000 | tee "$RUN_DIR/big_$mode.json"
  [ "$mode" = viewer ] && wait "$vpid" && cat "$RUN_DIR/big_viewer_tiles.json"
  stop_server "$RUN_DIR/big_$mode.log"
done

python3 - "$RUN_DIR" "$(head -1 "$OUT_DIR/bin/wijkwerk.rev")" <<'EOF' | tee "$RUN_DIR/summary.md"
import json, os, sys
d, rev = sys.argv[1], sys.argv[2]
j = lambda n: json.load(open(os.path.join(d, n))) if os.path.exists(os.path.join(d, n)) else None
print(f"wijkwerk {rev[:7]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f} at the end\n")
print("| ReportWriter batch | reports/s | batch p50 ms | batch p99 ms |\n|---:|---:|---:|---:|")
for b in (1, 16, 256):
    r = j(f"writer_batch{b}.json")
    if r: print(f"| {b} | {r['reports_per_s']:,.0f} | {r['batch_p50_ms']:.2f} | {r['batch_p99_ms']:.2f} |")
print("\n| HTTP | clients | durable reports/s | p50 ms | p99 ms | max ms | server CPU µs/report | statuses |\n|---|---:|---:|---:|---:|---:|---:|---|")
names = sorted((f for f in os.listdir(d) if f.endswith(".json") and f.split("_c")[0] in ("load", "invalid", "session", "perf")),
               key=lambda f: (f.split("_c")[0] != "load", int(f.split("_c")[1][:-5])))
for f in names:
    r = j(f)
    print(f"| {f.split('_c')[0]} ({r['kind']}) | {r['clients']} | {r['ok_per_s']:,.0f} | {r['p50_ms']} | {r['p99_ms']} | {r['max_ms']} | "
          f"{r.get('server_cpu_us_per_request', '')} | {r['statuses']} |")
for mode in ("quiet", "viewer"):
    r = j(f"big_{mode}.json")
    if r:
        print(f"\nbig store, {mode}: {r['ok_per_s']:,.0f} reports/s, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, max {r['max_ms']} ms, "
              f"server CPU {r.get('server_cpu_us_per_request')} µs/report")
t = j("big_viewer_tiles.json")
if t:
    print(f"\nthe viewer's z12 tile: {t['fetches']} fetches, p50 {t['p50_ms']} ms, max {t['max_ms']} ms")
for name in ("visible_idle", "visible_loaded"):
    r = j(name + ".json")
    if r:
        print(f"\n{name}: " + "; ".join(f"{k}: p50 {v['p50_ms']} ms, p99 {v['p99_ms']} ms, max {v['max_ms']} ms, "
                                          f"{v['visible_on_first_fetch']}/{v['reports']} on the first fetch, "
                                          f"{v['not_visible_within_2s']} not within 2 s" for k, v in r.items()))
EOF
log "results in $RUN_DIR"
