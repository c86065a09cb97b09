#!/usr/bin/env python3
"""Where the bytes of a vector tile go: per layer, the bytes of feature ids, tags, geometry,
keys and values, and the feature and vertex counts (stdlib only; decodes the protobuf by hand).

usage: mvt_breakdown.py URL [URL...]     e.g. http://127.0.0.1:39100/tiles/buildings/14/8425/5404.mvt
"""
import sys
import urllib.request


def varint(b, p):
    v = s = 0
    while True:
        c = b[p]
        p += 1
        v |= (c & 0x7F) << s
        if c < 0x80:
            return v, p
        s += 7


def fields(b):
    p = 0
    while p < len(b):
        k, p = varint(b, p)
        f, w = k >> 3, k & 7
        if w == 0:
            v, p = varint(b, p)
        elif w == 2:
            n, p = varint(b, p)
            v = b[p:p + n]
            p += n
        elif w == 1:
            v = b[p:p + 8]
            p += 8
        elif w == 5:
            v = b[p:p + 4]
            p += 4
        else:
            raise ValueError("wire type %d" % w)
        yield f, w, v


def vertices(geom):
    p, n = 0, 0
    while p < len(geom):
        c, p = varint(geom, p)
        cid, cnt = c & 7, c >> 3
        if cid in (1, 2):
            for _ in range(2 * cnt):
                _, p = varint(geom, p)
            n += cnt
    return n


def main():
    for url in sys.argv[1:]:
        data = urllib.request.urlopen(url).read()
        print("%s: %d bytes" % (url, len(data)))
        for f, _, layer in fields(data):
            if f != 3:
                continue
            sizes = {"id": 0, "tags": 0, "type": 0, "geometry": 0, "feature framing": 0, "keys": 0, "values": 0}
            nfeat = nvert = 0
            name = ""
            for lf, _, lv in fields(layer):
                if lf == 1:
                    name = lv.decode()
                elif lf == 2:
                    nfeat += 1
                    for ff, _, fv in fields(lv):
                        if ff == 1:
                            sz = 1 + len(varint_bytes(fv))
                            sizes["id"] += sz
                        elif ff == 2:
                            sz = 1 + len(varint_bytes(len(fv))) + len(fv)
                            sizes["tags"] += sz
                        elif ff == 3:
                            sz = 2
                            sizes["type"] += sz
                        elif ff == 4:
                            sz = 1 + len(varint_bytes(len(fv))) + len(fv)
                            sizes["geometry"] += sz
                            nvert += vertices(fv)
                    sizes["feature framing"] += 1 + len(varint_bytes(len(lv)))
                elif lf == 3:
                    sizes["keys"] += 1 + len(varint_bytes(len(lv))) + len(lv)
                elif lf == 4:
                    sizes["values"] += 1 + len(varint_bytes(len(lv))) + len(lv)
            total = sum(sizes.values())
            print("  layer %s: %d features, %d vertices (%.1f per feature), %.1f bytes per feature" % (
                name, nfeat, nvert, nvert / max(nfeat, 1), len(layer) / max(nfeat, 1)))
            for k, v in sizes.items():
                print("    %-16s %8d B  %5.1f %%  %.1f B/feature" % (k, v, 100.0 * v / max(total, 1), v / max(nfeat, 1)))


def varint_bytes(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return out


if __name__ == "__main__":
    main()
