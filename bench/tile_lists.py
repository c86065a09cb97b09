#!/usr/bin/env python3
"""Writes the benchmark's tile lists: every XYZ tile at z10..z16 that touches the kit's area.

The area is the RD New square x 130000..140000, y 450000..460000 that the kit's gen_pand.py fills.
Its WGS84 box comes from PostGIS (the kit's cluster) so that no second transformation is involved;
without a database, pass --corners W S E N.

For z14..z16 the set of tiles equals the kit's tiles/z14.txt .. z16.txt (checked when those files
exist); the throughput runs use the kit's files themselves for those zooms, in the kit's order, and
these lists for z12 and z13. Each list is shuffled with a fixed seed so that consecutive requests
jump around the area.

usage: tile_lists.py OUT_DIR [--corners W S E N] [--kit KIT_DIR] [--max-per-zoom N]
writes OUT_DIR/z10.txt .. z16.txt, one "z/x/y" per line. With --max-per-zoom only the first N of
each shuffled list are kept (memory.sh warms a large sample that way; the kit check is skipped).
"""
import argparse
import math
import os
import random
import subprocess

RD_SQUARE = (130000, 450000, 140000, 460000)
ZOOMS = range(10, 17)


def box_from_postgis():
    sql = (
        "SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM "
        "(SELECT ST_Transform(ST_MakeEnvelope(%d, %d, %d, %d, 28992), 4326)::box2d AS b) s" % RD_SQUARE
    )
    env = dict(os.environ)
    env.setdefault("PGPASSWORD", os.environ.get("BENCH_PASS", "bench"))
    out = subprocess.check_output(
        ["psql", "-h", "127.0.0.1", "-p", os.environ.get("PGPORT", "54329"),
         "-U", os.environ.get("BENCH_USER", "bench"), "-d", os.environ.get("BENCH_DB", "tilebench"),
         "-tA", "-F", " ", "-c", sql],
        env=env, text=True)
    return tuple(float(v) for v in out.split())


def tile_of(lon, lat, z):
    """Column and row of the XYZ tile holding (lon, lat) at zoom z (spherical Web Mercator)."""
    n = 1 << z
    phi = math.radians(lat)
    fx = (lon + 180.0) / 360.0
    fy = 0.5 - math.asinh(math.tan(phi)) / (2.0 * math.pi)
    return min(n - 1, int(fx * n)), min(n - 1, int(fy * n))


def tiles_covering(box, z):
    w, s, e, n = box
    x0, y0 = tile_of(w, n, z)
    x1, y1 = tile_of(e, s, z)
    return ["%d/%d/%d" % (z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("--corners", nargs=4, type=float, metavar=("W", "S", "E", "N"))
    ap.add_argument("--kit", default=os.environ.get("KIT_DIR", "/work/shared/bench-martin"))
    ap.add_argument("--max-per-zoom", type=int)
    args = ap.parse_args()
    box = tuple(args.corners) if args.corners else box_from_postgis()
    print("area (WGS84 W S E N): %.6f %.6f %.6f %.6f" % box)
    os.makedirs(args.out_dir, exist_ok=True)
    for z in ZOOMS:
        tiles = tiles_covering(box, z)
        random.Random(20261126 + z).shuffle(tiles)
        if args.max_per_zoom:
            tiles = tiles[: args.max_per_zoom]
        with open(os.path.join(args.out_dir, "z%d.txt" % z), "w") as f:
            f.write("\n".join(tiles) + "\n")
        kit_file = os.path.join(args.kit, "tiles", "z%d.txt" % z)
        note = ""
        if os.path.exists(kit_file) and not args.max_per_zoom:
            with open(kit_file) as f:
                kit = {line.strip() for line in f if line.strip()}
            if kit != set(tiles):
                raise SystemExit("z%d: our tile set differs from %s" % (z, kit_file))
            note = " (same set as the kit's list)"
        print("z%d: %d tiles%s" % (z, len(tiles), note))


if __name__ == "__main__":
    main()
