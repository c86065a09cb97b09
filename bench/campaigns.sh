#!/usr/bin/env bash
# Campaigns through HTTP on the release build (issue 13 §8): a campaign over a gemeente of
# BUILDINGS panden (selection + turf cutting + the durable write of every turf), the walk-list PDF
# of a route of 60 doors, 1,000 visits synced in one batch (durable), and the progress a
# dashboard reads right after a visit. The pure cutting is `cargo bench -p campaigns --bench turfs`.
#   bash bench/campaigns.sh
#   BUILDINGS=12000 SKIP_BUILD=1 bash bench/campaigns.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
: "${BUILDINGS:=12000}"
RUN_DIR="${RUN_DIR:-$OUT_DIR/campaigns/$(date +%Y%m%d-%H%M%S)}"
TARGET="${CARGO_TARGET_DIR:-$REPO_DIR/target}"
PASSWORD="correct horse battery staple"
URL="http://127.0.0.1:$WIJKWERK_PORT"
mkdir -p "$RUN_DIR"
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -x "$WIJKWERK" ]; then
  log "cargo build --release -p server"
  (cd "$REPO_DIR" && cargo build --release -p server)
  mkdir -p "$OUT_DIR/bin"
  cp "$TARGET/release/wijkwerk" "$WIJKWERK"
fi
DB="$RUN_DIR/wijkwerk.sqlite"
"$WIJKWERK" sample --buildings "$BUILDINGS" --seed 7 --out "$RUN_DIR/sample" >/dev/null 2>&1
"$WIJKWERK" import --db "$DB" "$RUN_DIR/sample/wijkenbuurten.gpkg" "$RUN_DIR/sample/bag-light.gpkg" >/dev/null 2>&1
printf '%s\n' "$PASSWORD" | "$WIJKWERK" users add --db "$DB" --email wo@bench.test \
  --role wijkondernemer --scope GM1999 --password-stdin >/dev/null 2>&1
SERVER_PID=""
trap 'stop_pid "$SERVER_PID"' EXIT
RUST_LOG=warn "$WIJKWERK" serve --db "$DB" --listen "127.0.0.1:$WIJKWERK_PORT" --sign-in-burst 100000000 \
  >"$RUN_DIR/server.log" 2>&1 &
SERVER_PID=$!
wait_http "$URL/api/session"
python3 "$BENCH_DIR/campaign_load.py" --url "$URL" --email wo@bench.test --password "$PASSWORD" \
  | tee "$RUN_DIR/results.json"
