#!/usr/bin/env bash
# Tile sizes over the whole benchmark area: every tile at z10..z16 (bench/out/tiles), fetched one at
# a time from wijkwerk (layer `buildings`) and, for comparison, from Martin (pand_wm), both with
# their caches off. Per zoom: tiles, 200/204, mean and max raw and gzip size, median latency.
# Targets (wijkwerk, raw): no tile > 500 KB; z14 < 100 KB.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
: "${ZOOMS:=10 11 12 13 14 15 16}" "${WITH_MARTIN:=1}"
RES_DIR="$OUT_DIR/tile_sizes"
mkdir -p "$RES_DIR"
WIJKWERK_PID="" MARTIN_PID=""
trap 'stop_pid "$WIJKWERK_PID"; stop_pid "$MARTIN_PID"' EXIT
start_wijkwerk "$BENCH_SQLITE" 0 "$RES_DIR/wijkwerk.log"
echo "## wijkwerk /tiles/buildings (bytes)" | tee "$RES_DIR/summary.txt"
python3 "$BENCH_DIR/tile_sizes.py" "http://127.0.0.1:$WIJKWERK_PORT" '/tiles/buildings/{z}/{x}/{y}.mvt' \
  "$TILE_LIST_DIR" --zooms $ZOOMS --tsv "$RES_DIR/wijkwerk.tsv" | tee -a "$RES_DIR/summary.txt"
stop_pid "$WIJKWERK_PID"; WIJKWERK_PID=""
if [ "$WITH_MARTIN" = 1 ]; then
  pg_ready || { log "PostgreSQL on $PGPORT is not answering: run bench/setup.sh"; exit 1; }
  start_martin 0 "$RES_DIR/martin.log"
  echo "## Martin /pand_wm (bytes)" | tee -a "$RES_DIR/summary.txt"
  python3 "$BENCH_DIR/tile_sizes.py" "http://127.0.0.1:$MARTIN_PORT" '/pand_wm/{z}/{x}/{y}' \
    "$TILE_LIST_DIR" --zooms $ZOOMS --tsv "$RES_DIR/martin.tsv" | tee -a "$RES_DIR/summary.txt"
fi
python3 - "$RES_DIR/wijkwerk.tsv" <<'PY' | tee -a "$RES_DIR/summary.txt"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
big = max(rows, key=lambda r: int(r["raw_B"]))
z14 = [int(r["raw_B"]) for r in rows if r["tile"].startswith("14/") and r["status"] == "200"]
print("largest wijkwerk tile: %s, %d B (target: none > 500 KB: %s)" % (
    big["tile"], int(big["raw_B"]), "met" if int(big["raw_B"]) <= 500_000 else "MISSED"))
if z14:
    print("z14: mean %.0f B, max %d B, %d of %d tiles over 100 KB (target z14 < 100 KB: %s)" % (
        sum(z14) / len(z14), max(z14), sum(s > 100_000 for s in z14), len(z14),
        "met" if max(z14) < 100_000 else "MISSED"))
PY
