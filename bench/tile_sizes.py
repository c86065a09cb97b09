#!/usr/bin/env python3
"""Fetches every tile of the benchmark area, zoom by zoom, and reports tile sizes.

One keep-alive connection, one request at a time: each tile once without Accept-Encoding (raw MVT)
and once with "Accept-Encoding: gzip". Per zoom it prints tiles, 200s, 204s, mean and max raw size
(over the tiles with content), mean gzip size, and the median single-request latency of the raw
fetch. Every tile's row goes to --tsv when given.

usage: tile_sizes.py BASE_URL PATH_TEMPLATE TILE_LIST_DIR [--zooms 10 11 ...] [--tsv FILE]
  PATH_TEMPLATE e.g. /tiles/buildings/{z}/{x}/{y}.mvt (wijkwerk) or /pand_wm/{z}/{x}/{y} (Martin)
"""
import argparse
import http.client
import os
import statistics
import time
from urllib.parse import urlparse


def fetch(conn, path, gzip):
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    t0 = time.perf_counter()
    conn.request("GET", path, headers=headers)
    r = conn.getresponse()
    body = r.read()
    ms = (time.perf_counter() - t0) * 1000.0
    if r.status not in (200, 204):
        raise SystemExit("HTTP %d for %s" % (r.status, path))
    if gzip and r.status == 200 and r.getheader("Content-Encoding") != "gzip":
        raise SystemExit("no gzip for %s" % path)
    return r.status, len(body), ms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("template")
    ap.add_argument("tile_dir")
    ap.add_argument("--zooms", nargs="+", type=int, default=list(range(10, 17)))
    ap.add_argument("--tsv")
    args = ap.parse_args()
    u = urlparse(args.base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
    rows = []
    print("zoom\ttiles\ts200\ts204\traw_mean_B\traw_max_B\tgz_mean_B\tgz_max_B\tlat_raw_p50_ms\tlat_raw_max_ms")
    for z in args.zooms:
        with open(os.path.join(args.tile_dir, "z%d.txt" % z)) as f:
            tiles = sorted(line.strip() for line in f if line.strip())
        raw, gz, lat = [], [], []
        s204 = 0
        for t in tiles:
            zz, x, y = t.split("/")
            path = args.template.format(z=zz, x=x, y=y)
            status, size, ms = fetch(conn, path, False)
            _, gsize, _ = fetch(conn, path, True)
            lat.append(ms)
            if status == 204:
                s204 += 1
            else:
                raw.append(size)
                gz.append(gsize)
            rows.append((t, status, size, gsize, ms))
        mean = lambda v: statistics.mean(v) if v else 0
        print("%d\t%d\t%d\t%d\t%.0f\t%d\t%.0f\t%d\t%.2f\t%.2f" % (
            z, len(tiles), len(raw), s204, mean(raw), max(raw, default=0), mean(gz),
            max(gz, default=0), statistics.median(lat), max(lat)), flush=True)
    if args.tsv:
        with open(args.tsv, "w") as f:
            f.write("tile\tstatus\traw_B\tgzip_B\tlat_raw_ms\n")
            for r in rows:
                f.write("%s\t%d\t%d\t%d\t%.3f\n" % r)


if __name__ == "__main__":
    main()
