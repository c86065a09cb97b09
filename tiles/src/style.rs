//! The MapLibre style served at `/style.json`: the tile layers drawn the way the web map shows them.

use serde_json::{Value, json};

/// Colours of the bouwjaar legend classes (see [`crate::BOUWJAAR_CLASSES`]), then "unknown".
/// The web legend (`web/src/map/bouwjaar.ts`) uses the same.
pub const BOUWJAAR_COLOURS: [&str; 7] = [
    "#7f3b08", "#b35806", "#e08214", "#fdb863", "#b2abd2", "#5e3c99", "#bdbdbd",
];

/// An optional raster background (PDOK BRT-Achtergrondkaart or any XYZ raster).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Background {
    /// URL template with `{z}/{x}/{y}`.
    pub url: String,
    /// Attribution HTML.
    pub attribution: String,
}

/// What the style needs from the server's configuration.
#[derive(Debug, Clone)]
pub struct StyleSpec<'a> {
    /// Absolute URL of the composite TileJSON (`…/tiles/all.json`).
    pub tilejson_url: String,
    /// Map centre (lon, lat) and zoom.
    pub center: [f64; 3],
    /// Optional raster background.
    pub background: Option<&'a Background>,
    /// Optional glyphs URL template (SDF fonts); without it labels use the browser's local fonts.
    pub glyphs: Option<&'a str>,
}

/// The fill colour of a building or block: a `match` on the class the tile gives each feature
/// (`bouwjaar_klasse`), which every style converter reads (QGIS's skips `step` inside `case`).
fn bouwjaar_colour() -> Value {
    let c = BOUWJAAR_COLOURS;
    let mut m = vec![json!("match"), json!(["get", "bouwjaar_klasse"])];
    for (class, colour) in c.iter().enumerate().take(6) {
        // Labels as one-element arrays: QGIS 3.22's converter drops bare numeric labels.
        m.push(json!([class]));
        m.push(json!(colour));
    }
    m.push(json!(c[6]));
    Value::Array(m)
}

/// The style document.
pub fn style(spec: &StyleSpec<'_>) -> Value {
    let mut sources = serde_json::Map::new();
    sources.insert(
        "wijkwerk".into(),
        json!({ "type": "vector", "url": spec.tilejson_url }),
    );
    let mut layers = vec![
        json!({ "id": "background", "type": "background", "paint": { "background-color": "#f3f1ec" } }),
    ];
    if let Some(bg) = spec.background {
        sources.insert(
            "brt".into(),
            json!({ "type": "raster", "tiles": [bg.url], "tileSize": 256, "attribution": bg.attribution, "maxzoom": 19 }),
        );
        layers.push(json!({ "id": "brt", "type": "raster", "source": "brt", "paint": { "raster-opacity": 0.6 } }));
    }
    let polygon = json!(["==", ["geometry-type"], "Polygon"]);
    layers.extend([
        json!({
            "id": "areas-fill", "type": "fill", "source": "wijkwerk", "source-layer": "areas",
            "filter": ["all", polygon, ["==", ["get", "kind"], "buurt"]],
            "paint": { "fill-color": "#6b8fb3", "fill-opacity": 0.06 }
        }),
        json!({
            "id": "buildings-blocks", "type": "fill", "source": "wijkwerk", "source-layer": "buildings",
            "maxzoom": 15, "filter": ["==", ["get", "kind"], "block"],
            "paint": { "fill-color": bouwjaar_colour(), "fill-opacity": 0.85 }
        }),
        json!({
            "id": "buildings-fill", "type": "fill", "source": "wijkwerk", "source-layer": "buildings",
            "minzoom": 15, "filter": ["!", ["has", "kind"]],
            "paint": {
                "fill-color": bouwjaar_colour(),
                "fill-opacity": ["match", ["get", "status"], ["Bouwvergunning verleend", "Bouw gestart"], 0.35, 0.9]
            }
        }),
        json!({
            "id": "buildings-outline", "type": "line", "source": "wijkwerk", "source-layer": "buildings",
            "minzoom": 15, "filter": ["!", ["has", "kind"]],
            "paint": { "line-color": "#4a3f35", "line-width": ["interpolate", ["linear"], ["zoom"], 15, 0.3, 18, 1.2], "line-opacity": 0.6 }
        }),
        json!({
            "id": "areas-outline", "type": "line", "source": "wijkwerk", "source-layer": "areas",
            "filter": polygon,
            "paint": {
                "line-color": ["match", ["get", "kind"], "gemeente", "#1f2d3d", "wijk", "#2f4f6f", "#5b7fa3"],
                "line-width": ["match", ["get", "kind"], "gemeente", 2.5, "wijk", 1.8, 1.0],
                "line-dasharray": ["match", ["get", "kind"], "buurt", ["literal", [3, 2]], ["literal", [1, 0]]]
            }
        }),
        json!({
            "id": "trees-point", "type": "circle", "source": "wijkwerk", "source-layer": "trees",
            "minzoom": 15,
            "paint": {
                "circle-radius": ["interpolate", ["linear"], ["zoom"], 15, 2, 18, 5],
                "circle-color": "#4f9a3a", "circle-stroke-color": "#2d5a22", "circle-stroke-width": 1,
                "circle-opacity": 0.85
            }
        }),
        json!({
            "id": "addresses-point", "type": "circle", "source": "wijkwerk", "source-layer": "addresses",
            "minzoom": 16,
            "paint": { "circle-radius": 2.5, "circle-color": "#ffffff", "circle-stroke-color": "#333333", "circle-stroke-width": 1 }
        }),
    ]);
    // Without a glyphs URL MapLibre GL JS 6 draws text with the browser's local fonts.
    {
        layers.push(json!({
            "id": "street-names", "type": "symbol", "source": "wijkwerk", "source-layer": "street_names",
            "minzoom": 15,
            "layout": {
                "symbol-placement": "line", "text-field": ["get", "name"],
                "text-size": ["interpolate", ["linear"], ["zoom"], 15, 11, 18, 14],
                "text-max-angle": 30, "symbol-spacing": 350
            },
            "paint": { "text-color": "#3d3d3d", "text-halo-color": "#ffffff", "text-halo-width": 1.5 }
        }));
        layers.push(json!({
            "id": "areas-label", "type": "symbol", "source": "wijkwerk", "source-layer": "areas",
            "filter": ["==", ["get", "label"], true],
            "layout": { "text-field": ["get", "naam"], "text-size": ["match", ["get", "kind"], "gemeente", 16, "wijk", 14, 12] },
            "paint": { "text-color": "#1f2d3d", "text-halo-color": "#ffffff", "text-halo-width": 1.5 }
        }));
    }
    let mut style = json!({
        "version": 8,
        "name": "wijkwerk",
        "metadata": { "wijkwerk:bouwjaar-colours": BOUWJAAR_COLOURS },
        "center": [spec.center[0], spec.center[1]],
        "zoom": spec.center[2],
        "sources": sources,
        "layers": layers,
    });
    if let (Some(g), Some(obj)) = (spec.glyphs, style.as_object_mut()) {
        obj.insert("glyphs".into(), Value::from(g));
    }
    style
}
