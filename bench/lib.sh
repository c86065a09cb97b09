# Shared settings and helpers for the benchmark scripts; sourced, not run.
# Everything listens on 127.0.0.1 only. Servers are started in the background, remembered by PID
# and stopped by PID (never by name).

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$BENCH_DIR/.." && pwd)"
KIT_DIR="${KIT_DIR:-/work/shared/bench-martin}"
OUT_DIR="${OUT_DIR:-$BENCH_DIR/out}"

# The peer's PostgreSQL cluster (created by the kit's setup_pg.sh).
# (PGCLUSTER is not exported: Debian's psql wrapper would read it as "version/cluster".)
PG_VERSION=15 PG_CLUSTER=tilebench
export PGPORT="${PGPORT:-54329}"
export BENCH_DB="${BENCH_DB:-tilebench}" BENCH_USER="${BENCH_USER:-bench}" BENCH_PASS="${BENCH_PASS:-bench}"
PG_DSN="PG:host=127.0.0.1 port=$PGPORT dbname=$BENCH_DB user=$BENCH_USER password=$BENCH_PASS"

# The one release binary every script uses: a copy of target/release/wijkwerk taken by setup.sh,
# so a rebuild by someone else during a run cannot change what is measured.
WIJKWERK="${WIJKWERK:-$OUT_DIR/bin/wijkwerk}"
MARTIN="${MARTIN:-$HOME/.cargo/bin/martin}"
WIJKWERK_PORT="${WIJKWERK_PORT:-39100}"
export MARTIN_PORT="${MARTIN_PORT:-39000}"

# The 200,000 panden of the kit, imported into wijkwerk.
BENCH_GPKG="$OUT_DIR/data/pand_bench_epsg28992.gpkg"
BENCH_SQLITE="$OUT_DIR/data/pand_bench.sqlite"
TILE_LIST_DIR="$OUT_DIR/tiles"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# pg_ready: whether the kit's cluster answers.
pg_ready() {
  PGPASSWORD="$BENCH_PASS" psql -h 127.0.0.1 -p "$PGPORT" -U "$BENCH_USER" -d "$BENCH_DB" -tAc 'select 1' >/dev/null 2>&1
}

# wait_http URL SECONDS: poll until URL answers (any HTTP status).
wait_http() {
  local url="$1" secs="${2:-120}" i
  for ((i = 0; i < secs * 10; i++)); do
    if curl -s -o /dev/null -m 2 "$url"; then return 0; fi
    sleep 0.1
  done
  log "timed out waiting for $url"
  return 1
}

# start_wijkwerk DB CACHE_MB LOGFILE: starts `wijkwerk serve`, sets WIJKWERK_PID, waits for "listening".
start_wijkwerk() {
  local db="$1" cache="$2" logf="$3"
  : >"$logf" # truncate here, not in the child: the wait below must not see an old log
  RUST_LOG=info "$WIJKWERK" serve --db "$db" --listen "127.0.0.1:$WIJKWERK_PORT" \
    --tile-cache-mb "$cache" >"$logf" 2>&1 &
  WIJKWERK_PID=$!
  local i
  for ((i = 0; i < 6000; i++)); do
    if grep -q listening "$logf"; then return 0; fi
    if ! kill -0 "$WIJKWERK_PID" 2>/dev/null; then log "wijkwerk exited: $(tail -3 "$logf")"; return 1; fi
    sleep 0.05
  done
  log "wijkwerk did not start"; return 1
}

# start_martin CACHE_MB LOGFILE: starts Martin with the kit's config, sets MARTIN_PID.
start_martin() {
  local cache="$1" logf="$2"
  MARTIN_CACHE_MB="$cache" "$MARTIN" --config "$KIT_DIR/martin.yaml" >"$logf" 2>&1 &
  MARTIN_PID=$!
  wait_http "http://127.0.0.1:$MARTIN_PORT/health" 60
}

# stop_pid PID: SIGTERM, wait up to 10 s, then SIGKILL. Only for processes these scripts started.
stop_pid() {
  local pid="$1" i
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
}

# rss_kb PID: resident set size in KiB (VmRSS of /proc/PID/status).
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# cpu_ticks PID...: user + system CPU of the processes, in clock ticks (/proc/PID/stat), with the
# CPU of their children that have exited and been waited for.
cpu_ticks() {
  local pid t=0 v
  for pid in "$@"; do
    v=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pid/stat" 2>/dev/null || echo 0)
    t=$((t + v))
  done
  echo "$t"
}

# pg_pids: the kit's postmaster and its children (the backends that do Martin's work).
pg_pids() {
  local pm
  pm=$(head -1 "/var/lib/postgresql/$PG_VERSION/$PG_CLUSTER/postmaster.pid" 2>/dev/null) || return 0
  echo "$pm" $(pgrep -P "$pm")
}
