#!/usr/bin/env bash
# Everything the benchmarks need, idempotently (Debian, as root):
#  1. Debian packages postgresql-15, postgresql-15-postgis-3(-scripts), wrk, bc, gdal-bin, curl, valgrind;
#  2. the peer kit's PostgreSQL 15 + PostGIS cluster (127.0.0.1:54329) and its 200,000 panden
#     (tables pand (EPSG:28992) and pand_3857), by calling the kit's own scripts in place;
#  3. one release build of wijkwerk, copied to bench/out/bin/wijkwerk (every script uses that copy);
#  4. the same panden as a bag-light GeoPackage: ogr2ogr exports `pand` with the columns bag-light
#     has (identificatie, bouwjaar, status, plus gebruiksdoel and aantal_verblijfsobjecten derived
#     from the footprint area, see below), imported with `wijkwerk import` into bench/out/data;
#  5. the tile lists z10..z16 of the kit's area (bench/out/tiles).
# Environment: SKIP_BUILD=1 reuses bench/out/bin/wijkwerk; FORCE_LOAD=1 regenerates the kit's tables.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# 1. packages
pkgs=(postgresql-15 postgresql-15-postgis-3 postgresql-15-postgis-3-scripts wrk bc gdal-bin curl valgrind)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
[ -x "$MARTIN" ] || { log "Martin not found at $MARTIN (cargo install martin --version 1.14.0 --locked --no-default-features --features postgres,mbtiles,pmtiles)"; exit 1; }
log "$("$MARTIN" --version)"

# 2. the peer's database
"$KIT_DIR/setup_pg.sh" >/dev/null
mkdir -p "$OUT_DIR/data"
if [ "${FORCE_LOAD:-0}" = 1 ] || ! PGPASSWORD="$BENCH_PASS" psql -h 127.0.0.1 -p "$PGPORT" -U "$BENCH_USER" -d "$BENCH_DB" \
    -tAc "select count(*) from pand_3857" 2>/dev/null | grep -qx 200000; then
  log "loading the kit's 200,000 panden"
  WORKDIR="$OUT_DIR/data/kit" "$KIT_DIR/load_pand.sh"
fi

# 3. one release build
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -x "$WIJKWERK" ]; then
  log "cargo build --release -p server"
  (cd "$REPO_DIR" && cargo build --release -p server)
  mkdir -p "$OUT_DIR/bin"
  cp "$REPO_DIR/target/release/wijkwerk" "$WIJKWERK"
  (cd "$REPO_DIR" && { git rev-parse HEAD; git status --porcelain --untracked-files=no | sed 's/^/dirty: /'; }) \
    >"$OUT_DIR/bin/wijkwerk.rev"
fi
log "wijkwerk: $(head -1 "$OUT_DIR/bin/wijkwerk.rev")"

# 4. the same panden in wijkwerk, through its real import path.
# gebruiksdoel/aantal_verblijfsobjecten are not in the kit; derived from the footprint area:
# sheds (< 20 m2) have none, large buildings (>= 300 m2) one of six uses and a unit per 90 m2,
# everything else is one home (woonfunctie).
rm -f "$BENCH_GPKG"
ogr2ogr -f GPKG "$BENCH_GPKG" "$PG_DSN" -nln pand -nlt POLYGON -a_srs EPSG:28992 -sql "
  SELECT identificatie, bouwjaar, status,
    CASE WHEN ST_Area(geom) < 20 THEN NULL
         WHEN ST_Area(geom) >= 300 THEN (ARRAY['woonfunctie', 'kantoorfunctie', 'woonfunctie,winkelfunctie',
               'onderwijsfunctie', 'industriefunctie', 'bijeenkomstfunctie'])[1 + (gid % 6)::int]
         ELSE 'woonfunctie' END AS gebruiksdoel,
    CASE WHEN ST_Area(geom) < 20 THEN 0
         WHEN ST_Area(geom) >= 300 THEN greatest(1, (ST_Area(geom) / 90)::int)
         ELSE 1 END AS aantal_verblijfsobjecten,
    geom
  FROM pand ORDER BY gid"
rm -f "$BENCH_SQLITE"
log "wijkwerk import of $(basename "$BENCH_GPKG")"
"$WIJKWERK" import --db "$BENCH_SQLITE" "$BENCH_GPKG" 2>&1 | grep -E "import committed|now holds" | sed 's/.*INFO //'

# 5. tile lists
python3 "$BENCH_DIR/tile_lists.py" "$TILE_LIST_DIR"
log "setup done"
