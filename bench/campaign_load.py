#!/usr/bin/env python3
"""Times the campaign routes of a running wijkwerk (bench/campaigns.sh). Standard library only.

Prints one JSON object: the campaign over the whole gemeente (ms, doors, turfs), the walk-list
PDF of a 60-door route (median and max of 20, ms), 1,000 visits in one batch (ms, durable when
answered), and the progress read right after a visit (median of 20, ms)."""

import argparse
import http.cookiejar
import json
import statistics
import time
import urllib.request


class Client:
    def __init__(self, url):
        self.url = url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = None

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if self.csrf:
            req.add_header("X-CSRF-Token", self.csrf)
        with self.opener.open(req, timeout=300) as r:
            raw = r.read()
            kind = r.headers.get("Content-Type", "")
            return json.loads(raw) if "json" in kind and raw else raw


def timed(f):
    t = time.perf_counter()
    out = f()
    return (time.perf_counter() - t) * 1000.0, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--email", required=True)
    ap.add_argument("--password", required=True)
    a = ap.parse_args()
    c = Client(a.url)
    c.csrf = c.call("POST", "/api/auth/password", {"email": a.email, "password": a.password})["csrf"]
    me = c.call("GET", "/api/account")["user"]["id"]
    base = {"title": "Bench", "area": "GM1999", "criteria": "", "starts_on": "2026-12-01", "ends_on": "2027-03-01",
            "questions": [{"name": "interest", "title": {"nl": "Interesse?", "en": "Interest?"}, "type": "yes_no"}]}
    preview_ms, preview = timed(lambda: c.call("POST", "/api/campaigns/preview", {"area": "GM1999"}))
    ms, camp = timed(lambda: c.call("POST", "/api/campaigns", {**base, "turf_size": 60}))
    out = {"doors": preview["addresses"], "preview_ms": round(preview_ms, 1), "create_ms": round(ms, 1),
           "turfs": len(camp["turfs"])}
    # The walk-list PDF of the largest route (60 doors or fewer).
    turf = max(camp["turfs"], key=lambda t: t["progress"]["doors"])
    path = f"/api/campaigns/{camp['id']}/turfs/{turf['id']}"
    times = []
    for _ in range(20):
        t, pdf = timed(lambda: c.call("GET", path + "?format=pdf"))
        assert pdf[:4] == b"%PDF"
        times.append(t)
    out["pdf_doors"] = turf["progress"]["doors"]
    out["pdf_ms_median"] = round(statistics.median(times), 1)
    out["pdf_ms_max"] = round(max(times), 1)
    # 1,000 visits in one batch: a campaign whose one route holds 1,000 doors.
    big = c.call("POST", "/api/campaigns", {**base, "title": "Bench 1000", "turf_size": 1000})
    t1000 = max(big["turfs"], key=lambda t: t["progress"]["doors"])
    c.call("PUT", f"/api/campaigns/{big['id']}/turfs/{t1000['id']}/holder", {"holder": me, "expected": None})
    walk = c.call("GET", f"/api/campaigns/{big['id']}/turfs/{t1000['id']}")
    doors = [d["address"] for d in walk["doors"]]
    visits = [{"key": f"bench-{i:06d}", "address": d, "outcome": "interested" if i % 3 else "not_home",
               "answers": {"interest": "yes"}} for i, d in enumerate(doors)]
    ms, res = timed(lambda: c.call("POST", f"/api/campaigns/{big['id']}/turfs/{t1000['id']}/visits", {"visits": visits}))
    assert all(r["status"] == "recorded" for r in res["results"]), res["results"][:3]
    out["batch_visits"] = len(visits)
    out["batch_ms"] = round(ms, 1)
    # The dashboard right after a visit: send one, read the progress, check it counts.
    times = []
    for i in range(20):
        c.call("POST", f"/api/campaigns/{big['id']}/turfs/{t1000['id']}/visits",
               {"visits": [{"key": f"bench-dash-{i:03d}", "address": doors[3 * i], "outcome": "interested"}]})
        t, detail = timed(lambda: c.call("GET", f"/api/campaigns/{big['id']}"))
        assert detail["progress"]["visited"] == len(visits), detail["progress"]
        times.append(t)
    out["dashboard_ms_median"] = round(statistics.median(times), 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
