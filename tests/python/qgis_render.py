"""PyQGIS as a GIS user meets wijkwerk (issue 11 §10): QGIS reads the OGC API Features
collections `buildings` with its flat properties and `areas` with the CBS figures, and draws the
vector tiles with the server's own MapLibre style converted by QGIS's style converter, at a blocks
zoom (14) and a footprints zoom (16).

    QT_QPA_PLATFORM=offscreen python3 tests/python/qgis_render.py <base-url> <out-dir>

Prints one JSON object: the buildings' fields and feature count, the areas' fields (with QGIS's
type names) and attributes by code, and per zoom the pixels drawn in each bouwjaar colour of the
legend (blended with the fill's opacity over the background).
Uses Debian's python3-qgis (QGIS 3.22), so it runs on the system Python, not the test .venv.
"""

import json
import math
import os
import sys
import urllib.request

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsMapBoxGlStyleConverter,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsRectangle,
    QgsVectorLayer,
    QgsVectorTileLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402


def get_json(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)


def mercator(lon, lat):
    x = lon * 20037508.342789244 / 180.0
    y = math.log(math.tan((90.0 + lat) * math.pi / 360.0)) * 6378137.0
    return x, y


def hex_rgb(h):
    c = QColor(h)
    return c.red(), c.green(), c.blue()


def main():
    base, out = sys.argv[1].rstrip("/"), sys.argv[2]
    app = QgsApplication([], False)
    app.initQgis()
    result = {}

    # OGC API Features: QGIS's OAPIF provider, flat properties.
    layer = QgsVectorLayer(f"url={base}/ogc typename=buildings", "buildings", "OAPIF")
    result["ogc_valid"] = layer.isValid()
    result["ogc_fields"] = [f.name() for f in layer.fields()] if layer.isValid() else []
    counted = []
    if layer.isValid():
        for i, f in enumerate(layer.getFeatures()):
            if i >= 200:
                break
            counted.append(f["aantal_adressen"] if "aantal_adressen" in result["ogc_fields"] else None)
    result["ogc_features"] = len(counted)
    result["ogc_with_addresses"] = sum(1 for c in counted if isinstance(c, int) and c > 0)

    # The CBS areas: every feature's attributes by code, with the type QGIS gave each field
    # (QGIS's NULL as null).
    areas = QgsVectorLayer(f"url={base}/ogc typename=areas", "areas", "OAPIF")
    result["areas_valid"] = areas.isValid()
    result["areas_fields"] = {f.name(): f.typeName() for f in areas.fields()} if areas.isValid() else {}
    result["areas"] = {}
    if areas.isValid():
        for f in areas.getFeatures():
            values = {}
            for name in result["areas_fields"]:
                v = f[name]
                values[name] = v if isinstance(v, (bool, int, float, str)) else None
            result["areas"][f["code"]] = values

    # Vector tiles with the server's style, as QGIS converts it.
    tj = get_json(f"{base}/tiles/all.json")
    style = get_json(f"{base}/style.json")
    converter = QgsMapBoxGlStyleConverter()
    converter.convert(style)
    result["style_warnings"] = list(converter.warnings())
    colours = [hex_rgb(c) for c in style["metadata"]["wijkwerk:bouwjaar-colours"]]
    background = next(l for l in style["layers"] if l["type"] == "background")["paint"]["background-color"]
    bg = hex_rgb(background)
    tiles = QgsVectorTileLayer(
        f"type=xyz&url={base}/tiles/all/{{z}}/{{x}}/{{y}}.mvt&zmin=0&zmax=16", "wijkwerk"
    )
    result["tiles_valid"] = tiles.isValid()
    tiles.setRenderer(converter.renderer())
    if converter.labeling():
        tiles.setLabeling(converter.labeling())
    w, s, e, n = tj["bounds"]
    cx, cy = mercator((w + e) / 2, (s + n) / 2)
    result["zooms"] = {}
    size = 512
    wx, sy = mercator(w, s)
    ex, ny = mercator(e, n)
    for zoom in (14, 16):
        # Metres per pixel at this zoom (256 px tiles), at the equator's scale of Web Mercator.
        res = 2 * 20037508.342789244 / (256 * 2**zoom)
        half = size * res / 2
        settings = QgsMapSettings()
        settings.setLayers([tiles])
        settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
        settings.setExtent(QgsRectangle(cx - half, cy - half, cx + half, cy + half))
        settings.setOutputSize(QSize(size, size))
        settings.setBackgroundColor(QColor(background))
        job = QgsMapRendererSequentialJob(settings)
        job.start()
        job.waitForFinished()
        img = job.renderedImage()
        img.save(os.path.join(out, f"qgis-z{zoom}.png"))
        # Pixels in a bouwjaar colour, blended with any of the fill's opacities over the background.
        targets = []
        for ci, c in enumerate(colours):
            for alpha in (1.0, 0.9, 0.85, 0.35):
                targets.append((ci, tuple(round(c[k] * alpha + bg[k] * (1 - alpha)) for k in range(3))))
        targets = [(ci, t) for ci, t in targets if max(abs(t[k] - bg[k]) for k in range(3)) > 40]
        per_class = [0] * len(colours)
        drawn = 0
        sampled = 0
        # Only the pixels over the data's bounds.
        x0, x1 = (max(0, int((v - (cx - half)) / res)) for v in (wx, ex))
        y0, y1 = (max(0, int(((cy + half) - v) / res)) for v in (ny, sy))
        for y in range(y0, min(size, y1), 2):
            for x in range(x0, min(size, x1), 2):
                sampled += 1
                p = QColor(img.pixel(x, y))
                rgb = (p.red(), p.green(), p.blue())
                if max(abs(rgb[k] - bg[k]) for k in range(3)) > 12:
                    drawn += 1
                for ci, t in targets:
                    if max(abs(rgb[k] - t[k]) for k in range(3)) <= 20:
                        per_class[ci] += 1
                        break
        result["zooms"][str(zoom)] = {"drawn": drawn, "per_class": per_class, "sampled": sampled}
    print(json.dumps(result), flush=True)
    # Layers that outlive the application crash QGIS 3.22's teardown (a segfault at exit): let
    # them go first.
    del layer, areas, tiles, converter, job, settings
    app.exitQgis()


if __name__ == "__main__":
    main()
