#!/usr/bin/env bash
# Every benchmark in order, on one release build: setup, tiles/s vs Martin, tile sizes, import vs
# ogr2ogr, RSS per building. ~50 minutes on 2 cores. Results under bench/out/ (see README.md).
# The PostgreSQL cluster stays up for reruns; bench/stop.sh stops it.
set -euo pipefail
here="$(dirname "$0")"
bash "$here/setup.sh"
RUN_DIR="${RUN_DIR:-$here/out/tiles_vs_martin/latest}" bash "$here/tiles_vs_martin.sh"
bash "$here/tile_sizes.sh"
bash "$here/import.sh"
bash "$here/memory.sh"
