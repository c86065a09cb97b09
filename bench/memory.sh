#!/usr/bin/env bash
# Memory per building once serving: VmRSS of `wijkwerk serve` (from /proc/PID/status) right after
# the model is loaded and after a tile warm-up, divided by the buildings in the model, plus the
# heap_mb the server logs at load. Warm-up: every tile of the data's bounds (from TileJSON) at
# z10-z13 and up to WARM_TILES (default 2000) tiles each at z14-z16, raw and gzip, one at a time.
# Stores (label:path), default: the empty store, the 200,000-pand bench set (setup.sh) and the
# samples of import.sh. Each with the tile cache off (0) and on (the default 256 MiB).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
: "${WARM_TILES:=2000}" "${CACHES:=0 256}"
RES_DIR="$OUT_DIR/memory"
mkdir -p "$RES_DIR"
RESULTS="$RES_DIR/results.tsv"
if [ -z "${STORES:-}" ]; then
  STORES="empty:$RES_DIR/empty.sqlite bench-200k:$BENCH_SQLITE"
  for n in 200000 1000000; do
    [ -f "$OUT_DIR/data/sample-$n.sqlite" ] && STORES="$STORES sample-$n:$OUT_DIR/data/sample-$n.sqlite"
  done
fi
rm -f "$RES_DIR/empty.sqlite"

{
  echo "# $(date -Is) wijkwerk $(head -1 "$OUT_DIR/bin/wijkwerk.rev")"
  printf 'store\tcache_mb\tbuildings\taddresses\theap_mb\trss_loaded_mb\trss_warm_mb\thwm_mb\tbytes_per_building_loaded\tbytes_per_building_warm\n'
} >"$RESULTS"
WIJKWERK_PID=""
trap 'stop_pid "$WIJKWERK_PID"' EXIT
for entry in $STORES; do
  label="${entry%%:*}" db="${entry#*:}"
  for cache in $CACHES; do
    logf="$RES_DIR/serve.$label.$cache.log"
    start_wijkwerk "$db" "$cache" "$logf"
    sleep 1
    rss_loaded=$(rss_kb "$WIJKWERK_PID")
    field() { sed -n "s/.*model loaded.* $1=\([0-9]*\).*/\1/p" "$logf"; }
    buildings=$(field buildings) addresses=$(field addresses) heap_mb=$(field heap_mb)
    base="http://127.0.0.1:$WIJKWERK_PORT"
    bounds=$(curl -s "$base/tiles/all.json" | python3 -c 'import json,sys; print(*json.load(sys.stdin)["bounds"])')
    lists="$RES_DIR/tiles.$label"
    python3 "$BENCH_DIR/tile_lists.py" "$lists" --corners $bounds --max-per-zoom "$WARM_TILES" >/dev/null
    python3 "$BENCH_DIR/warm.py" "$base" '/tiles/all/{z}/{x}/{y}.mvt' "$lists"/z1[0-6].txt 2>/dev/null
    rss_warm=$(rss_kb "$WIJKWERK_PID")
    hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$WIJKWERK_PID/status")
    stop_pid "$WIJKWERK_PID"; WIJKWERK_PID=""
    per() { if [ "$buildings" -gt 0 ]; then echo $(( $1 * 1024 / buildings )); else echo -; fi; }
    printf '%s\t%s\t%s\t%s\t%s\t%.1f\t%.1f\t%.1f\t%s\t%s\n' "$label" "$cache" "$buildings" "$addresses" "$heap_mb" \
      "$(echo "$rss_loaded / 1024" | bc -l)" "$(echo "$rss_warm / 1024" | bc -l)" "$(echo "$hwm / 1024" | bc -l)" \
      "$(per "$rss_loaded")" "$(per "$rss_warm")" >>"$RESULTS"
    log "$label cache $cache: $buildings buildings, heap ${heap_mb} MB, RSS $((rss_loaded / 1024)) MB loaded, $((rss_warm / 1024)) MB warm"
  done
done
column -t -s $'\t' "$RESULTS" | tee "$RES_DIR/summary.txt"
