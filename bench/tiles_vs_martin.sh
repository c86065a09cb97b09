#!/usr/bin/env bash
# Tiles/s of wijkwerk and Martin (sources pand_wm and pand_rd) on the same 200,000 panden, the same
# tile lists and the same wrk settings, alternating the servers within one run.
#
# For each run (RUNS, default 3) and mode:
#   uncached  wijkwerk --tile-cache-mb 0,   Martin MARTIN_CACHE_MB=0
#   hot       wijkwerk --tile-cache-mb 256, Martin MARTIN_CACHE_MB=512, after a warm-up pass that
#             fetches every listed tile once per server, raw and gzip
# it measures every zoom (ZOOMS) and encoding (identity, gzip) on each server in turn with
#   wrk -t$THREADS -c$CONNS -d$DURATION --timeout 60s -s tiles.lua
# The order of the servers rotates from run to run. Results: $RESULTS (one row per wrk run);
# summarise.py turns them into medians and ratios. Each row also holds the server side's CPU
# (user + system) per response, which a shared machine disturbs less than tiles/s: wijkwerk's
# process; for Martin, Martin's process plus the kit's PostgreSQL (postmaster and backends).
# Needs: setup.sh done (PostgreSQL cluster up with the kit's tables, the wijkwerk store, tile lists).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

: "${RUNS:=3}" "${DURATION:=10s}" "${THREADS:=2}" "${CONNS:=8}"
: "${ZOOMS:=12 13 14 15 16}" "${MODES:=uncached hot}" "${SERVERS:=wijkwerk pand_wm pand_rd}"
: "${HOT_WIJKWERK_MB:=256}" "${HOT_MARTIN_MB:=512}"
STAMP="$(date +%Y%m%d-%H%M%S)"
RUN_DIR="${RUN_DIR:-$OUT_DIR/tiles_vs_martin/$STAMP}"
RESULTS="$RUN_DIR/results.tsv"
mkdir -p "$RUN_DIR"

pg_ready || { log "PostgreSQL on $PGPORT is not answering: run bench/setup.sh"; exit 1; }
[ -x "$WIJKWERK" ] && [ -f "$BENCH_SQLITE" ] || { log "no wijkwerk binary/store: run bench/setup.sh"; exit 1; }

list_for() { # the tile list of a zoom: the kit's own for z14-16, ours otherwise
  if [ -f "$KIT_DIR/tiles/z$1.txt" ]; then echo "$KIT_DIR/tiles/z$1.txt"; else echo "$TILE_LIST_DIR/z$1.txt"; fi
}
base_for() { if [ "$1" = wijkwerk ]; then echo "http://127.0.0.1:$WIJKWERK_PORT"; else echo "http://127.0.0.1:$MARTIN_PORT"; fi; }
template_for() { if [ "$1" = wijkwerk ]; then echo '/tiles/buildings/{z}/{x}/{y}.mvt'; else echo "/$1/{z}/{x}/{y}"; fi; }

# wait_pg_idle: Martin's slow tiles keep PostgreSQL busy after wrk stops (wrk drops the
# connections, the queries run on); wait until no query of the bench database runs, so that the
# next measurement has the machine to itself.
wait_pg_idle() {
  local i n
  for ((i = 0; i < 1200; i++)); do
    n=$(PGPASSWORD="$BENCH_PASS" psql -h 127.0.0.1 -p "$PGPORT" -U "$BENCH_USER" -d "$BENCH_DB" -tAc \
      "select count(*) from pg_stat_activity where datname = '$BENCH_DB' and state = 'active' and pid <> pg_backend_pid()")
    [ "$n" = 0 ] && return 0
    sleep 0.1
  done
  log "PostgreSQL still busy after 120 s"
}

WIJKWERK_PID="" MARTIN_PID=""
cleanup() { stop_pid "$WIJKWERK_PID"; stop_pid "$MARTIN_PID"; }
trap cleanup EXIT

{
  echo "# $(date -Is) $(uname -n) nproc=$(nproc) wrk -t$THREADS -c$CONNS -d$DURATION"
  echo "# wijkwerk $(cat "$OUT_DIR/bin/wijkwerk.rev" 2>/dev/null | tr '\n' ' ')"
  echo "# martin $("$MARTIN" --version)"
  printf 'run\tmode\tzoom\tencoding\tserver\trps\tlat_p50_ms\tlat_p99_ms\tnon2xx\tsock_errors\tbytes_per_req\tload1\tcpu_us_per_req\n'
} >"$RESULTS"
TICK_US=$((1000000 / $(getconf CLK_TCK)))
server_pids() { if [ "$1" = wijkwerk ]; then echo "$WIJKWERK_PID"; else echo "$MARTIN_PID" $(pg_pids); fi; }

read -r -a servers <<<"$SERVERS"
for run in $(seq 1 "$RUNS"); do
  # rotate the server order: run 1 wijkwerk first, run 2 pand_wm first, ...
  shift_by=$(( (run - 1) % ${#servers[@]} ))
  order=("${servers[@]:shift_by}" "${servers[@]:0:shift_by}")
  for mode in $MODES; do
    if [ "$mode" = hot ]; then wk_mb=$HOT_WIJKWERK_MB; m_mb=$HOT_MARTIN_MB; else wk_mb=0; m_mb=0; fi
    log "run $run, $mode: starting wijkwerk (cache $wk_mb MB) and Martin (cache $m_mb MB)"
    start_wijkwerk "$BENCH_SQLITE" "$wk_mb" "$RUN_DIR/wijkwerk-$run-$mode.log"
    start_martin "$m_mb" "$RUN_DIR/martin-$run-$mode.log"
    if [ "$mode" = hot ]; then
      for s in "${order[@]}"; do
        log "warm-up $s"
        python3 "$BENCH_DIR/warm.py" "$(base_for "$s")" "$(template_for "$s")" \
          $(for z in $ZOOMS; do list_for "$z"; done)
      done
    fi
    wait_pg_idle
    for z in $ZOOMS; do
      for enc in identity gzip; do
        for s in "${order[@]}"; do
          pids=$(server_pids "$s")
          ticks0=$(cpu_ticks $pids)
          line=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout 60s -s "$BENCH_DIR/tiles.lua" \
            "$(base_for "$s")" -- "$(list_for "$z")" "$(template_for "$s")" \
            "$([ "$enc" = gzip ] && echo gzip || true)" | grep '^RESULT' || true)
          [ -n "$line" ] || { log "wrk gave no result for $s z$z $enc"; exit 1; }
          get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
          load1=$(cut -d' ' -f1 /proc/loadavg)
          # Martin's queries may still run after wrk stops: their CPU counts once PostgreSQL is idle.
          [ "$s" = wijkwerk ] || wait_pg_idle
          # Martin opens its PostgreSQL connections lazily: backends born during the run count
          # too (all their CPU is the run's), so the processes are listed again, with the first.
          ticks1=$(cpu_ticks $(printf '%s\n' $pids $(server_pids "$s") | sort -un))
          cpu_us=$(( (ticks1 - ticks0) * TICK_US / ($(get requests) > 0 ? $(get requests) : 1) ))
          printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$run" "$mode" "$z" "$enc" "$s" \
            "$(get rps)" "$(get lat_p50_ms)" "$(get lat_p99_ms)" "$(get non2xx)" "$(get sock_errors)" \
            "$(get bytes_per_req)" "$load1" "$cpu_us" >>"$RESULTS"
          log "run $run $mode z$z $enc $s: $(get rps) tiles/s, $cpu_us µs CPU per tile (load $load1)"
          wait_pg_idle
          sleep 1
        done
      done
    done
    stop_pid "$WIJKWERK_PID"; WIJKWERK_PID=""
    stop_pid "$MARTIN_PID"; MARTIN_PID=""
  done
done
log "results: $RESULTS"
python3 "$BENCH_DIR/summarise.py" "$RESULTS" | tee "$RUN_DIR/summary.md"
