#!/usr/bin/env python3
"""Peak memory of a running `wijkwerk serve` while N photos are uploaded at once.

    python3 bench/photo_bombs.py --addr 127.0.0.1:8080 --pid PID [--n 3] [--kind bomb|grey]

`bomb`: the security review's PNG, 7071 x 7071 pixels of 16-bit RGBA (389 KB, 400 MB decoded).
`grey`: a 5600 x 5600 grey baseline JPEG (123 KB), just under the decoded-memory cap.
Each upload goes to its own report of its own device session (a greenery report at the first
address of the store). Prints each answer (status, seconds, body, Retry-After) and the server's
VmHWM/VmRSS (Linux /proc) before and after. Standard library only.
"""

import argparse
import http.client
import json
import re
import struct
import threading
import time
import zlib


def png_bomb(side=7071):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    z = zlib.compressobj(9)
    row = b"\0" * (1 + side * 8)
    idat = b"".join(z.compress(row) for _ in range(side)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 16, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def grey_jpeg(w=5600, h=5600):
    """Quantisation table of ones, one-symbol Huffman tables, every block the bits 00."""
    j = bytearray([0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, 0x00]) + bytes([1] * 64)
    j += bytes([0xFF, 0xC0, 0x00, 0x0B, 0x08, h >> 8, h & 255, w >> 8, w & 255, 0x01, 0x01, 0x11, 0x00])
    for table_class in (0x00, 0x10):
        j += bytes([0xFF, 0xC4, 0x00, 0x14, table_class, 1]) + bytes(15) + bytes([0])
    j += bytes([0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00])
    bits = ((w + 7) // 8) * ((h + 7) // 8) * 2
    j += bytes(bits // 8)
    if bits % 8:
        j.append(0xFF >> (bits % 8))
    return bytes(j + bytes([0xFF, 0xD9]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--addr", required=True, help="host:port of the server")
    ap.add_argument("--pid", type=int, required=True, help="process id of the server")
    ap.add_argument("--n", type=int, default=3, help="uploads at once")
    ap.add_argument("--kind", choices=["bomb", "grey"], default="bomb")
    args = ap.parse_args()
    host, port = args.addr.rsplit(":", 1)
    origin = f"http://{args.addr}"

    def request(method, url, body=None, headers=None, session=None):
        c = http.client.HTTPConnection(host, int(port), timeout=600)
        h = {"Origin": origin}
        if session:
            h["Cookie"], h["X-CSRF-Token"] = session
        h.update(headers or {})
        c.request(method, url, body=body, headers=h)
        r = c.getresponse()
        return r.status, dict(r.getheaders()), r.read()

    def memory():
        status = open(f"/proc/{args.pid}/status").read()
        return {k: int(re.search(k + r":\s+(\d+) kB", status).group(1)) for k in ("VmHWM", "VmRSS")}

    photo, ctype = (png_bomb(), "image/png") if args.kind == "bomb" else (grey_jpeg(), "image/jpeg")
    _, _, body = request("GET", "/ogc/collections/addresses/items?limit=1")
    lon, lat = json.loads(body)["features"][0]["geometry"]["coordinates"][:2]
    uploads = []
    for _ in range(args.n):
        status, headers, body = request("POST", "/api/auth/device")
        assert status == 200, (status, body)
        session = (headers["set-cookie"].split(";")[0], json.loads(body)["csrf"])
        report = {
            "type": "greenery_distress",
            "target": {"point": {"type": "Point", "coordinates": [lon, lat]}},
            "answers": {"object": "tree", "severity": "dying", "cause": "drought"},
        }
        status, _, body = request(
            "POST", "/api/observations", json.dumps(report), {"Content-Type": "application/json"}, session
        )
        assert status == 201, (status, body)
        uploads.append((session, json.loads(body)["id"]))

    print(f"{args.n} x {args.kind} ({len(photo)} bytes); before:", memory())
    answers = [None] * args.n

    def upload(i):
        session, report = uploads[i]
        started = time.time()
        status, headers, body = request(
            "POST", f"/api/observations/{report}/photos", photo, {"Content-Type": ctype}, session
        )
        answers[i] = (status, round(time.time() - started, 2), body[:200].decode(), headers.get("retry-after"))

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(args.n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for a in answers:
        print(a)
    print("after:", memory())


if __name__ == "__main__":
    main()
