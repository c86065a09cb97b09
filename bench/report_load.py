#!/usr/bin/env python3
"""Load generator for the report write path of `wijkwerk serve` (Python 3.11 stdlib only).

  report_load.py load    --url http://127.0.0.1:39100 --db STORE --clients 32 --seconds 10 [--kind valid|invalid|session]
  report_load.py visible --url http://127.0.0.1:39100 --db STORE --reports 200 --email wo@bench.test --password …
  report_load.py tiles   --url http://127.0.0.1:39100 --db STORE --zoom 12 --seconds 10

`load`: N concurrent clients, each its own device session (POST /api/auth/device) on a keep-alive
connection, POST /api/observations (`solar_panels` about a random standing building, a unique
`Idempotency-Key` each) as fast as the server answers. Only answers within the measured window
(after `--warmup` seconds) count. The server limits reports per client IP (a burst of 60, not
configurable), so every client binds its connection to its own loopback address (127.1.0.0/16 and
up) and moves to a fresh address after 55 requests; device sessions need `--sign-in-burst` raised.
`--kind invalid` sends answers that fail the type's JSON Schema (a 422 after the same parsing,
session lookup, rate limiting and validation, without the write); `--kind session` sends
`GET /api/session` (HTTP plus the session lookup only). Prints one JSON line: requests/s by status,
p50/p90/p99/max latency in ms, and the CPU seconds of the server (`--pid`) and of this client.

`visible`: the time from a report's acknowledgement (201) to a fetched tile that shows it. For each
report: the z16 `/tiles/all` tile of its place is fetched first (so it is cached), the report is
made, and the tile is fetched again until it holds the report's feature id (or 2 s pass). Half
are public-space reports (`greenery_distress`, layer `openbare_ruimte`, fetched anonymously), half
`solar_panels` (layer `meldingen`, fetched by a signed-in wijkondernemer whose scope holds them;
one feature per pand and type, so there the pand's feature must be this report or a newer one).

`tiles`: one anonymous map viewer fetching the `/tiles/all` tile of `--zoom` at the middle of the
data in a loop, for `--seconds`; prints fetches and p50/p99/max.
"""

import argparse
import asyncio
import json
import math
import multiprocessing
import os
import random
import sqlite3
import sys
import time
import urllib.parse

REPORTS_PER_ADDRESS = 55  # under the server's per-IP report burst of 60


class Ips:
    """Loopback source addresses, each used once: 127.1.0.1, 127.1.0.2, … (skipping .0 and .255)."""

    def __init__(self, start):
        self.k = start

    def next(self):
        while True:
            self.k += 1
            a, b, c = 1 + (self.k >> 16), (self.k >> 8) & 255, self.k & 255
            if c not in (0, 255):
                return f"127.{a}.{b}.{c}"


class Conn:
    """One HTTP/1.1 keep-alive connection from a given source address."""

    def __init__(self, host, port, src):
        self.host, self.port, self.src = host, port, src
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port, local_addr=(self.src, 0))

    def close(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    async def request(self, method, path, headers=(), body=b""):
        if self.writer is None:
            await self.open()
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head += [f"{k}: {v}" for k, v in headers]
        if body or method not in ("GET", "HEAD"):
            head.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        hdrs = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                hdrs.setdefault(k.strip().lower(), []).append(v.strip())
        if "content-length" in hdrs:
            data = await self.reader.readexactly(int(hdrs["content-length"][0]))
        elif hdrs.get("transfer-encoding", [""])[0].lower() == "chunked":
            data = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                data += await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            data = b""
        if hdrs.get("connection", [""])[0].lower() == "close":
            self.close()
        return status, hdrs, data


def cookie_of(hdrs):
    for v in hdrs.get("set-cookie", []):
        if v.startswith("wijkwerk_session="):
            return v.split(";", 1)[0]
    return None


async def device_session(host, port, src):
    c = Conn(host, port, src)
    status, hdrs, data = await c.request("POST", "/api/auth/device")
    c.close()
    if status != 200:
        raise SystemExit(f"device session: {status} {data[:200]!r} (raise --sign-in-burst)")
    return cookie_of(hdrs), json.loads(data)["csrf"]


def standing_buildings(db):
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute("SELECT identificatie FROM building WHERE status = 'Pand in gebruik' ORDER BY identificatie").fetchall()
    conn.close()
    return [f"{r[0]:016d}" for r in rows]


def percentile(sorted_ms, p):
    if not sorted_ms:
        return None
    i = min(len(sorted_ms) - 1, max(0, math.ceil(p / 100 * len(sorted_ms)) - 1))
    return round(sorted_ms[i], 2)


def cpu_seconds(pid):
    if not pid:
        return None
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ----- load ------------------------------------------------------------------------------------


async def load_worker(args, worker, clients, ip_start, t_start, t_end, out):
    u = urllib.parse.urlsplit(args.url)
    host, port = u.hostname, u.port
    ips = Ips(ip_start)
    buildings = standing_buildings(args.db)
    rnd = random.Random(worker)
    sessions = []
    for _ in range(clients):
        sessions.append(await device_session(host, port, ips.next()))
    lat, statuses = [], {}

    async def client(i, cookie, csrf):
        conn, used, seq, failures = None, 0, 0, 0
        while failures < 50:  # the server is gone
            now = time.time()
            if now >= t_end:
                break
            if conn is None or used >= REPORTS_PER_ADDRESS:
                if conn is not None:
                    conn.close()
                conn, used = Conn(host, port, ips.next()), 0
            seq += 1
            if args.kind == "session":
                method, path, body = "GET", "/api/session", b""
                headers = [("Cookie", cookie)]
            else:
                answers = {"panels": "yes", "count": "5-10"} if args.kind == "valid" else {"panels": "maybe"}
                body = json.dumps({"type": "solar_panels", "target": {"building": rnd.choice(buildings)}, "answers": answers}).encode()
                method, path = "POST", "/api/observations"
                headers = [("Cookie", cookie), ("X-CSRF-Token", csrf), ("Content-Type", "application/json"),
                           ("Idempotency-Key", f"{args.run}-{worker}-{i}-{seq}")]
            t0 = time.perf_counter()
            try:
                status, _, _ = await conn.request(method, path, headers, body)
            except (ConnectionError, asyncio.IncompleteReadError) as e:
                statuses[type(e).__name__] = statuses.get(type(e).__name__, 0) + 1
                conn.close()
                conn, failures = None, failures + 1
                continue
            failures = 0
            t1 = time.perf_counter()
            used += 1
            if t_start <= time.time() <= t_end:
                lat.append((t1 - t0) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
        if conn is not None:
            conn.close()

    while time.time() < t_start - args.warmup:
        await asyncio.sleep(0.01)
    cpu0 = time.process_time()
    await asyncio.gather(*(client(i, c, t) for i, (c, t) in enumerate(sessions)))
    out.put({"lat": lat, "statuses": {str(k): v for k, v in statuses.items()}, "cpu": time.process_time() - cpu0})


def load_process(args, worker, clients, ip_start, t_start, t_end, out):
    asyncio.run(load_worker(args, worker, clients, ip_start, t_start, t_end, out))


def load(args):
    procs = max(1, min(args.procs, args.clients))
    # Sessions are made first; the clock starts once every process is ready (after a pause long
    # enough for a few thousand sessions), then `warmup` seconds pass before the window opens.
    t_begin = time.time() + 2 + args.clients * 0.004
    t_start = t_begin + args.warmup
    t_end = t_start + args.seconds
    q = multiprocessing.Queue()
    ps = []
    for w in range(procs):
        n = args.clients // procs + (1 if w < args.clients % procs else 0)
        p = multiprocessing.Process(target=load_process, args=(args, w, n, w * 1_000_000 + args.ip_offset, t_start, t_end, q))
        p.start()
        ps.append(p)
    while time.time() < t_start:
        time.sleep(0.005)
    server_cpu0 = cpu_seconds(args.pid)
    while time.time() < t_end:
        time.sleep(0.005)
    server_cpu1 = cpu_seconds(args.pid)
    results = [q.get() for _ in ps]
    for p in ps:
        p.join()
    lat = sorted(x for r in results for x in r["lat"])
    statuses = {}
    for r in results:
        for k, v in r["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
    ok = statuses.get("201", 0) + statuses.get("200", 0) + statuses.get("422", 0)
    out = {
        "kind": args.kind,
        "clients": args.clients,
        "procs": procs,
        "seconds": args.seconds,
        "requests_per_s": round(len(lat) / args.seconds, 1),
        "ok_per_s": round(ok / args.seconds, 1),
        "statuses": statuses,
        "p50_ms": percentile(lat, 50),
        "p90_ms": percentile(lat, 90),
        "p99_ms": percentile(lat, 99),
        "max_ms": round(lat[-1], 2) if lat else None,
        "server_cpu_s": None if server_cpu0 is None else round(server_cpu1 - server_cpu0, 2),
        "client_cpu_s": round(sum(r["cpu"] for r in results), 2),
    }
    if out["server_cpu_s"] is not None and lat:
        out["server_cpu_us_per_request"] = round(out["server_cpu_s"] / len(lat) * 1e6, 1)
    print(json.dumps(out), flush=True)


# ----- visible ---------------------------------------------------------------------------------


def varint(b, i):
    v = shift = 0
    while True:
        byte = b[i]
        i += 1
        v |= (byte & 0x7F) << shift
        if byte < 0x80:
            return v, i
        shift += 7


def fields(b):
    i = 0
    while i < len(b):
        key, i = varint(b, i)
        wire = key & 7
        if wire == 0:
            v, i = varint(b, i)
            yield key >> 3, v
        elif wire == 1:
            i += 8
        elif wire == 2:
            n, i = varint(b, i)
            yield key >> 3, b[i:i + n]
            i += n
        elif wire == 5:
            i += 4
        else:
            raise ValueError(f"wire type {wire}")


def packed(b):
    i, out = 0, []
    while i < len(b):
        v, i = varint(b, i)
        out.append(v)
    return out


def feature_ids(tile, layer, pand=None):
    """Ids of the features of `layer`; with `pand`, only of those whose `pand_identificatie` is it."""
    ids = set()
    for n, lay in fields(tile):
        if n != 3:
            continue
        parts = list(fields(lay))
        if not any(k == 1 and v == layer.encode() for k, v in parts):
            continue
        keys = [v.decode() for k, v in parts if k == 3]
        values = [dict(fields(v)).get(1) for k, v in parts if k == 4]
        for k, f in parts:
            if k != 2:
                continue
            feature = list(fields(f))
            fid = next((v for kk, v in feature if kk == 1), None)
            if pand is not None:
                tags = next((packed(v) for kk, v in feature if kk == 2), [])
                props = {keys[a]: values[b] for a, b in zip(tags[::2], tags[1::2])}
                if props.get("pand_identificatie") != pand.encode():
                    continue
            ids.add(fid)
    return ids


def tile_of(lon, lat, z=16):
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    r = math.radians(lat)
    y = int((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * n)
    return f"/tiles/all/{z}/{x}/{y}.mvt"


async def visible_async(args):
    u = urllib.parse.urlsplit(args.url)
    host, port = u.hostname, u.port
    ips = Ips(args.ip_offset)
    cookie, csrf = await device_session(host, port, ips.next())
    staff = Conn(host, port, "127.0.0.1")
    body = json.dumps({"email": args.email, "password": args.password}).encode()
    status, hdrs, data = await staff.request("POST", "/api/auth/password", [("Content-Type", "application/json")], body)
    if status != 200:
        raise SystemExit(f"staff sign-in: {status} {data[:200]!r}")
    staff_cookie = cookie_of(hdrs)
    anon = Conn(host, port, "127.0.0.1")
    conn, used = None, 0
    buildings = standing_buildings(args.db)
    conn_db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    points = conn_db.execute("SELECT lon, lat FROM address ORDER BY identificatie LIMIT 50").fetchall()
    rnd = random.Random(7)
    result = {"openbare_ruimte": [], "meldingen": []}
    first_hit = {"openbare_ruimte": 0, "meldingen": 0}
    never = {"openbare_ruimte": 0, "meldingen": 0}
    for n in range(args.reports):
        public = n % 2 == 0
        if conn is None or used >= REPORTS_PER_ADDRESS:
            if conn is not None:
                conn.close()
            conn, used = Conn(host, port, ips.next()), 0
        if public:
            lon, lat = rnd.choice(points)
            report = {"type": "greenery_distress", "target": {"point": {"type": "Point", "coordinates": [lon, lat]}},
                      "answers": {"object": "tree", "severity": "serious"}}
            reader, headers, layer = anon, [], "openbare_ruimte"
        else:
            report = {"type": "solar_panels", "target": {"building": rnd.choice(buildings)}, "answers": {"panels": "yes"}}
            reader, headers, layer = staff, [("Cookie", staff_cookie)], "meldingen"
        # The report's point decides the tile; for a building that is known only from the answer,
        # so a building report is made twice: the first tells the tile, which is then cached.
        if not public:
            status, _, data = await conn.request("POST", "/api/observations", [("Cookie", cookie), ("X-CSRF-Token", csrf), ("Content-Type", "application/json")], json.dumps(report).encode())
            used += 1
            c = json.loads(data)["target"]["point"]["coordinates"]
            path = tile_of(c[0], c[1])
        else:
            path = tile_of(lon, lat)
        status, _, _ = await reader.request("GET", path, headers)
        status, _, data = await conn.request("POST", "/api/observations", [("Cookie", cookie), ("X-CSRF-Token", csrf), ("Content-Type", "application/json")], json.dumps(report).encode())
        t_ack = time.perf_counter()
        used += 1
        if status != 201:
            raise SystemExit(f"report: {status} {data[:200]!r}")
        rid = json.loads(data)["id"]
        tries = 0
        while True:
            tries += 1
            status, _, tile = await reader.request("GET", path, headers)
            t = time.perf_counter()
            body = tile if status == 200 else b""
            # `meldingen` draws one feature per pand and type, by its newest report: the report is
            # on the map when its pand's feature is it or a newer one (the background load may
            # report on the same pand in between).
            shown = (rid in feature_ids(body, layer) if public
                     else any(f >= rid for f in feature_ids(body, layer, report["target"]["building"])))
            if shown:
                result[layer].append((t - t_ack) * 1000)
                if tries == 1:
                    first_hit[layer] += 1
                break
            if t - t_ack > 2.0:
                never[layer] += 1
                break
    out = {}
    for layer, lat in result.items():
        lat.sort()
        out[layer] = {"reports": len(lat) + never[layer], "visible_on_first_fetch": first_hit[layer],
                      "not_visible_within_2s": never[layer], "p50_ms": percentile(lat, 50),
                      "p99_ms": percentile(lat, 99), "max_ms": round(lat[-1], 2) if lat else None}
    print(json.dumps(out), flush=True)


# ----- tiles -------------------------------------------------------------------------------------


async def tiles_async(args):
    """One map viewer: fetches the `--zoom` `/tiles/all` tile at the middle of the data, again and
    again, for `--seconds` (each report in it invalidates it, so most fetches render)."""
    u = urllib.parse.urlsplit(args.url)
    conn_db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    lon, lat = conn_db.execute("SELECT avg(lon), avg(lat) FROM address").fetchone()
    path = tile_of(lon, lat, args.zoom)
    c = Conn(u.hostname, u.port, "127.0.0.1")
    lat_ms, end = [], time.time() + args.seconds
    while time.time() < end:
        t0 = time.perf_counter()
        status, _, _ = await c.request("GET", path)
        lat_ms.append((time.perf_counter() - t0) * 1000)
    lat_ms.sort()
    print(json.dumps({"tile": path, "fetches": len(lat_ms), "p50_ms": percentile(lat_ms, 50),
                      "p99_ms": percentile(lat_ms, 99), "max_ms": round(lat_ms[-1], 2)}), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=["load", "visible", "tiles"])
    ap.add_argument("--url", default="http://127.0.0.1:39100")
    ap.add_argument("--db", required=True, help="the server's store (read for building ids)")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--procs", type=int, default=1, help="client processes")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--warmup", type=float, default=2)
    ap.add_argument("--kind", choices=["valid", "invalid", "session"], default="valid")
    ap.add_argument("--pid", type=int, help="server PID, for its CPU time")
    ap.add_argument("--run", default=str(int(time.time())), help="prefix of idempotency keys")
    ap.add_argument("--ip-offset", type=int, default=0, help="first loopback address index")
    ap.add_argument("--reports", type=int, default=200)
    ap.add_argument("--email", default="wo@bench.test")
    ap.add_argument("--password", default="correct horse battery staple")
    ap.add_argument("--zoom", type=int, default=12, help="tiles: zoom of the tile fetched")
    args = ap.parse_args()
    if args.mode == "load":
        load(args)
    elif args.mode == "visible":
        asyncio.run(visible_async(args))
    else:
        asyncio.run(tiles_async(args))


if __name__ == "__main__":
    sys.exit(main())
