#!/usr/bin/env python3
"""Warm-up pass: fetches every tile of the given lists once raw and once with gzip, over one
keep-alive connection, so that a server's tile cache holds them before a "hot" measurement.

usage: warm.py BASE_URL PATH_TEMPLATE LIST...
"""
import http.client
import sys
from urllib.parse import urlparse


def main():
    base, template, lists = sys.argv[1], sys.argv[2], sys.argv[3:]
    u = urlparse(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
    n = 0
    for path in lists:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                z, x, y = line.split("/")
                url = template.format(z=z, x=x, y=y)
                for headers in ({}, {"Accept-Encoding": "gzip"}):
                    conn.request("GET", url, headers=headers)
                    r = conn.getresponse()
                    r.read()
                    if r.status not in (200, 204):
                        raise SystemExit("HTTP %d for %s" % (r.status, url))
                    n += 1
    print("warmed %d requests" % n, file=sys.stderr)


if __name__ == "__main__":
    main()
