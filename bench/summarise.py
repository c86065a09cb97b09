#!/usr/bin/env python3
"""Medians and ratios of a tiles_vs_martin.sh results file, as Markdown tables.

usage: summarise.py RESULTS_TSV
Per mode (uncached, hot) and zoom and encoding: the median tiles/s over the runs for wijkwerk,
Martin pand_wm and Martin pand_rd, and the ratios of the medians wijkwerk / pand_wm and
wijkwerk / pand_rd. Targets checked: uncached >= 10x pand_wm at z14-z16; hot gzip >= 10x pand_wm gzip.
When the file has the column cpu_us_per_req (server CPU per response: wijkwerk's process; Martin's
plus its PostgreSQL), also its medians and the ratio Martin / wijkwerk, which a busy machine
disturbs less than tiles/s (informative; the targets are on tiles/s).

A wrk run that saw any non-2xx/3xx answer or socket error measured something else than serving
tiles: it is rejected. Its tiles/s are left out of every median, the rejected runs are listed
first, and the script exits with status 1 (so tiles_vs_martin.sh fails too).
"""
import collections
import csv
import statistics
import sys


def main():
    rows = []
    with open(sys.argv[1]) as f:
        lines = [l for l in f if not l.startswith("#")]
    for r in csv.DictReader(lines, delimiter="\t"):
        rows.append(r)
    rps = collections.defaultdict(list)
    size = collections.defaultdict(list)
    p50 = collections.defaultdict(list)
    cpu = collections.defaultdict(list)
    bad = []
    for r in rows:
        if int(r["non2xx"]) or int(r["sock_errors"]):
            bad.append(r)
            continue
        key = (r["mode"], int(r["zoom"]), r["encoding"], r["server"])
        rps[key].append(float(r["rps"]))
        size[key].append(float(r["bytes_per_req"]))
        p50[key].append(float(r["lat_p50_ms"]))
        if r.get("cpu_us_per_req") not in (None, ""):
            cpu[key].append(float(r["cpu_us_per_req"]))
    if bad:
        print("**REJECTED: %d of %d wrk runs saw non-2xx answers or socket errors; their tiles/s are "
              "not counted below.**\n" % (len(bad), len(rows)))
        for r in bad:
            print("- run %s %s z%s %s %s: non2xx=%s sock_errors=%s" % (
                r["run"], r["mode"], r["zoom"], r["encoding"], r["server"], r["non2xx"], r["sock_errors"]))
        print()
    runs = sorted({r["run"] for r in rows})
    modes = [m for m in ("uncached", "hot") if any(k[0] == m for k in rps)]
    zooms = sorted({k[1] for k in rps})
    med = lambda k: statistics.median(rps[k]) if rps.get(k) else float("nan")
    print("Tiles/s, median of %d run(s); ratio = wijkwerk median / Martin median.\n" % len(runs))
    missed = []
    for mode in modes:
        print("### %s\n" % mode)
        print("| zoom | encoding | wijkwerk | Martin pand_wm | Martin pand_rd | wijkwerk / pand_wm | wijkwerk / pand_rd | bytes/response wijkwerk / pand_wm |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for z in zooms:
            for enc in ("identity", "gzip"):
                wk, wm, rd = (med((mode, z, enc, s)) for s in ("wijkwerk", "pand_wm", "pand_rd"))
                r_wm, r_rd = wk / wm if wm else float("nan"), wk / rd if rd else float("nan")
                sz = lambda s: statistics.median(size[(mode, z, enc, s)]) / 1000 if size.get((mode, z, enc, s)) else float("nan")
                print("| %d | %s | %.0f | %.0f | %.0f | %.1f× | %.1f× | %.1f / %.1f KB |" % (
                    z, enc, wk, wm, rd, r_wm, r_rd, sz("wijkwerk"), sz("pand_wm")))
                if mode == "uncached" and z >= 14 and r_wm < 10:
                    missed.append("uncached z%d %s: %.1f× pand_wm (target 10×)" % (z, enc, r_wm))
                if mode == "hot" and enc == "gzip" and r_wm < 10:
                    missed.append("hot gzip z%d: %.1f× pand_wm (target 10×)" % (z, r_wm))
        print()
    if cpu:
        print("Server CPU per response (µs, median; Martin's includes PostgreSQL); ratio = Martin / wijkwerk.\n")
        print("| mode | zoom | encoding | wijkwerk | Martin pand_wm | Martin pand_rd | pand_wm / wijkwerk |")
        print("|---|---|---|---:|---:|---:|---:|")
        cmed = lambda k: statistics.median(cpu[k]) if cpu.get(k) else float("nan")
        for mode in modes:
            for z in zooms:
                for enc in ("identity", "gzip"):
                    wk, wm, rd = (cmed((mode, z, enc, s)) for s in ("wijkwerk", "pand_wm", "pand_rd"))
                    print("| %s | %d | %s | %.0f | %.0f | %.0f | %.1f× |" % (
                        mode, z, enc, wk, wm, rd, wm / wk if wk else float("nan")))
        print()
    print("Spread (min–max tiles/s over runs), wijkwerk / pand_wm:\n")
    for mode in modes:
        for z in zooms:
            for enc in ("identity", "gzip"):
                a, b = rps.get((mode, z, enc, "wijkwerk"), []), rps.get((mode, z, enc, "pand_wm"), [])
                if a and b:
                    print("- %s z%d %s: %.0f–%.0f / %.0f–%.0f" % (mode, z, enc, min(a), max(a), min(b), max(b)))
    print()
    print("Targets missed: " + ("; ".join(missed) if missed else "none"))
    if bad:
        print("summarise.py: %d wrk run(s) with errors rejected; the results are not valid" % len(bad),
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
