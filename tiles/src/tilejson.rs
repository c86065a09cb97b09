//! TileJSON 3.0.0 documents for the layers and their composite.

use serde_json::{Value, json};

use crate::layers::Layer;

/// What a TileJSON document describes besides its layers.
#[derive(Debug, Clone)]
pub struct TileJsonSpec<'a> {
    /// Name of the tileset (`buildings`, …, or the composite's name).
    pub name: &'a str,
    /// Absolute URL template of the tiles, with `{z}/{x}/{y}`.
    pub tiles_url: String,
    /// WGS84 (west, south, east, north) of the data.
    pub bounds: [f64; 4],
    /// Attribution HTML.
    pub attribution: &'a str,
}

/// The TileJSON 3.0.0 document for `layers` (one layer, or all of them for the composite).
pub fn tilejson(spec: &TileJsonSpec<'_>, layers: &[&dyn Layer]) -> Value {
    let minzoom = layers.iter().map(|l| l.min_zoom()).min().unwrap_or(0);
    let maxzoom = layers.iter().map(|l| l.max_zoom()).max().unwrap_or(16);
    let [w, s, e, n] = spec.bounds;
    let center_zoom = 14.min(maxzoom).max(minzoom);
    let vector_layers: Vec<Value> = layers
        .iter()
        .map(|l| {
            let fields: serde_json::Map<String, Value> = l
                .fields()
                .iter()
                .map(|f| (f.name.to_owned(), Value::from(f.description)))
                .collect();
            json!({
                "id": l.name(),
                "description": l.description(),
                "minzoom": l.min_zoom(),
                "maxzoom": l.max_zoom(),
                "fields": fields,
            })
        })
        .collect();
    json!({
        "tilejson": "3.0.0",
        "name": spec.name,
        "description": layers.iter().map(|l| l.description()).collect::<Vec<_>>().join("; "),
        "version": "1.0.0",
        "attribution": spec.attribution,
        "scheme": "xyz",
        "tiles": [spec.tiles_url],
        "minzoom": minzoom,
        "maxzoom": maxzoom,
        "bounds": [w, s, e, n],
        "center": [f64::midpoint(w, e), f64::midpoint(s, n), center_zoom],
        "vector_layers": vector_layers,
    })
}
