#!/usr/bin/env bash
# Import time of the sample wijk (SIZES, default 200,000 and 1,000,000 buildings, seed 1) into
# wijkwerk, plus the time until `wijkwerk serve` on that store is ready (logs "listening": the model
# is loaded), beside ogr2ogr loading the same bag-light.gpkg (both layers) into PostGIS with
# reprojection to EPSG:4326 and a GiST index. RUNS (default 3) runs each; one row per run in
# $OUT_DIR/import/results.tsv, medians printed at the end.
#   wijkwerk: wijkwerk import --db X.sqlite DIR/wijkenbuurten.gpkg DIR/bag-light.gpkg   (fresh store)
#             then wijkwerk serve --db X.sqlite --tile-cache-mb 0 until "listening"
#   ogr2ogr:  ogr2ogr -f PostgreSQL PG:... DIR/bag-light.gpkg -t_srs EPSG:4326 -lco SPATIAL_INDEX=GIST
#             -gt 65536 --config PG_USE_COPY YES -overwrite   (fresh tables, database importbench)
# Needs setup.sh (binary, PostgreSQL cluster). The samples are generated once into bench/out/data.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
: "${SIZES:=200000 1000000}" "${RUNS:=3}"
RES_DIR="$OUT_DIR/import"
mkdir -p "$RES_DIR"
RESULTS="$RES_DIR/results.tsv"
IMPORT_DB=importbench
OGR_DSN="PG:host=127.0.0.1 port=$PGPORT dbname=$IMPORT_DB user=$BENCH_USER password=$BENCH_PASS"

pg_ready || { log "PostgreSQL on $PGPORT is not answering: run bench/setup.sh"; exit 1; }
if ! su postgres -c "psql -p $PGPORT -tAc \"SELECT 1 FROM pg_database WHERE datname='$IMPORT_DB'\"" | grep -q 1; then
  su postgres -c "createdb -p $PGPORT -O $BENCH_USER $IMPORT_DB"
  su postgres -c "psql -p $PGPORT -d $IMPORT_DB -qc 'CREATE EXTENSION IF NOT EXISTS postgis'"
fi
psql_import() { PGPASSWORD="$BENCH_PASS" psql -h 127.0.0.1 -p "$PGPORT" -U "$BENCH_USER" -d "$IMPORT_DB" -v ON_ERROR_STOP=1 -qtAc "$1"; }
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }

{
  echo "# $(date -Is) nproc=$(nproc) wijkwerk $(head -1 "$OUT_DIR/bin/wijkwerk.rev") $(ogr2ogr --version)"
  printf 'buildings\trun\twijkwerk_import_s\tof_which_bag_light_s\tof_which_cbs_s\tready_to_serve_s\tmodel_load_ms\twijkwerk_total_s\timport_max_rss_mb\togr2ogr_s\n'
} >"$RESULTS"

WIJKWERK_PID=""
trap 'stop_pid "$WIJKWERK_PID"' EXIT
for n in $SIZES; do
  dir="$OUT_DIR/data/sample-$n"
  if [ ! -f "$dir/bag-light.gpkg" ] || [ ! -f "$dir/wijkenbuurten.gpkg" ]; then
    log "generating the sample wijk of $n buildings (seed 1)"
    t0=$(now)
    "$WIJKWERK" sample --buildings "$n" --seed 1 --out "$dir" 2>&1 | tail -1 | sed 's/.*INFO //'
    log "generated in $(secs "$t0" "$(now)") s"
  fi
  log "sample $n: $(sqlite3 "$dir/bag-light.gpkg" 'select count(*) from pand') panden, $(sqlite3 "$dir/bag-light.gpkg" 'select count(*) from verblijfsobject') verblijfsobjecten, $(du -m "$dir/bag-light.gpkg" | cut -f1) MB"
  for run in $(seq 1 "$RUNS"); do
    db="$OUT_DIR/data/sample-$n.sqlite"
    rm -f "$db" "$db-wal" "$db-shm"
    t0=$(now)
    /usr/bin/time -f '%M' -o "$RES_DIR/time.$n.$run" \
      "$WIJKWERK" import --db "$db" "$dir/wijkenbuurten.gpkg" "$dir/bag-light.gpkg" >"$RES_DIR/import.$n.$run.log" 2>&1
    t_import=$(secs "$t0" "$(now)")
    max_rss_mb=$(( $(tail -1 "$RES_DIR/time.$n.$run") / 1024 ))
    per_file() { grep "imported .*$1" "$RES_DIR/import.$n.$run.log" | sed -n 's/.* seconds=\([0-9.]*\).*/\1/p'; }
    t_bag=$(per_file bag-light.gpkg); t_cbs=$(per_file wijkenbuurten.gpkg)
    sync
    t0=$(now)
    start_wijkwerk "$db" 0 "$RES_DIR/serve.$n.$run.log"
    t_ready=$(secs "$t0" "$(now)")
    load_ms=$(sed -n 's/.*model loaded.* millis=\([0-9]*\).*/\1/p' "$RES_DIR/serve.$n.$run.log")
    stop_pid "$WIJKWERK_PID"; WIJKWERK_PID=""
    t_total=$(echo "$t_import + $t_ready" | bc)

    psql_import "DROP TABLE IF EXISTS pand, verblijfsobject CASCADE"
    sync
    t0=$(now)
    ogr2ogr -f PostgreSQL "$OGR_DSN" "$dir/bag-light.gpkg" -t_srs EPSG:4326 -lco SPATIAL_INDEX=GIST \
      -gt 65536 --config PG_USE_COPY YES -overwrite >"$RES_DIR/ogr2ogr.$n.$run.log" 2>&1
    t_ogr=$(secs "$t0" "$(now)")
    rows=$(psql_import "select (select count(*) from pand) || ' panden, ' || (select count(*) from verblijfsobject) || ' verblijfsobjecten'")
    printf '%s\t%s\t%.2f\t%s\t%s\t%.2f\t%s\t%.2f\t%s\t%.2f\n' "$n" "$run" "$t_import" "$t_bag" "$t_cbs" "$t_ready" \
      "$load_ms" "$t_total" "$max_rss_mb" "$t_ogr" >>"$RESULTS"
    log "$n run $run: wijkwerk import ${t_import}s + ready ${t_ready}s; ogr2ogr ${t_ogr}s ($rows)"
  done
done
psql_import "DROP TABLE IF EXISTS pand, verblijfsobject CASCADE"
python3 - "$RESULTS" <<'PY' | tee "$RES_DIR/summary.md"
import csv, statistics, sys
rows = list(csv.DictReader([l for l in open(sys.argv[1]) if not l.startswith("#")], delimiter="\t"))
print("| buildings | wijkwerk import (bag-light / CBS) | ready to serve (model load) | wijkwerk total | ogr2ogr → PostGIS | import peak RSS |")
print("|---:|---:|---:|---:|---:|---:|")
for n in sorted({int(r["buildings"]) for r in rows}):
    rs = [r for r in rows if int(r["buildings"]) == n]
    m = lambda k: statistics.median(float(r[k]) for r in rs)
    print("| %s | %.1f s (%.1f / %.1f) | %.1f s (%.1f) | **%.1f s** | %.1f s | %d MB |" % (
        format(n, ","), m("wijkwerk_import_s"), m("of_which_bag_light_s"), m("of_which_cbs_s"),
        m("ready_to_serve_s"), m("model_load_ms") / 1000, m("wijkwerk_total_s"), m("ogr2ogr_s"), m("import_max_rss_mb")))
print("\nmedians of %d run(s); all runs in %s" % (len({r['run'] for r in rows}), sys.argv[1]))
PY
