#!/usr/bin/env bash
# Where an uncached tile's time goes: runs `wijkwerk serve --tile-cache-mb 0` under
# valgrind --tool=callgrind, switches collection on only after the model is loaded, fetches every
# tile of the lists for ZOOMS once raw and once with gzip (warm.py, one request at a time), and
# prints inclusive and exclusive costs (instructions) per function.
#   ZOOMS="16" bench/profile.sh          -> $OUT_DIR/profile/callgrind.z16.out (+ .txt reports)
# perf works on some machines too (cpu-clock only in this VM):
#   perf record -e cpu-clock -F 2000 -p PID -- sleep 8   while wrk runs.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
: "${ZOOMS:=16}"
PROF_DIR="$OUT_DIR/profile"
mkdir -p "$PROF_DIR"
tag="z${ZOOMS// /-}"
out="$PROF_DIR/callgrind.$tag.out"
logf="$PROF_DIR/serve.$tag.log"
: >"$logf"
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out" \
  "$WIJKWERK" serve --db "$BENCH_SQLITE" --listen "127.0.0.1:$WIJKWERK_PORT" --tile-cache-mb 0 \
  >"$logf" 2>&1 &
PID=$!
trap 'stop_pid $PID' EXIT
for ((i = 0; i < 6000; i++)); do grep -q listening "$logf" && break; sleep 0.1; done
callgrind_control -i on "$PID" >/dev/null
lists=()
for z in $ZOOMS; do
  if [ -f "$KIT_DIR/tiles/z$z.txt" ]; then lists+=("$KIT_DIR/tiles/z$z.txt"); else lists+=("$TILE_LIST_DIR/z$z.txt"); fi
done
python3 "$BENCH_DIR/warm.py" "http://127.0.0.1:$WIJKWERK_PORT" '/tiles/buildings/{z}/{x}/{y}.mvt' "${lists[@]}"
callgrind_control -i off "$PID" >/dev/null
stop_pid "$PID"
trap - EXIT
callgrind_annotate --inclusive=yes "$out" 2>/dev/null | head -70 >"$PROF_DIR/inclusive.$tag.txt"
callgrind_annotate "$out" 2>/dev/null | head -60 >"$PROF_DIR/exclusive.$tag.txt"
log "reports: $PROF_DIR/inclusive.$tag.txt, $PROF_DIR/exclusive.$tag.txt"
cat "$PROF_DIR/inclusive.$tag.txt"
