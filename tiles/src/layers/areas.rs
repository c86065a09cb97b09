//! `areas`: CBS gemeenten, wijken and buurten as polygons, plus one label point per area.

use domain::AreaKind;

use super::{BUFFER, Draw, EXTENT, Field, Layer, LayerMeta};
use crate::TileTransform;
use crate::clip::ClipRect;
use crate::encode::{GeomType, LayerBuilder, Value};
use crate::polygon::{PolygonWriter, RingOptions};

/// The `areas` layer.
#[derive(Debug, Clone, Copy, Default)]
pub struct AreasLayer;

const FIELDS: &[Field] = &[
    Field {
        name: "kind",
        description: "String: 'gemeente', 'wijk' or 'buurt'",
    },
    Field {
        name: "code",
        description: "String: CBS code (GMgggg, WKggggww, BUggggwwbb)",
    },
    Field {
        name: "naam",
        description: "String: name as CBS writes it",
    },
    Field {
        name: "label",
        description: "Boolean: true on the label point of an area (point geometry)",
    },
];

/// Lowest zoom at which an area of `kind` appears.
fn min_zoom_of(kind: AreaKind) -> u8 {
    match kind {
        AreaKind::Gemeente => 6,
        AreaKind::Wijk => 10,
        AreaKind::Buurt => 12,
    }
}

const META: LayerMeta = LayerMeta {
    name: "areas",
    aliases: &[],
    description: "CBS gemeenten (z6+), wijken (z10+) and buurten (z12+) with names and codes, and label points",
    min_zoom: 6,
    max_zoom: 16,
    fields: FIELDS,
};

impl Layer for AreasLayer {
    fn meta(&self) -> &'static LayerMeta {
        &META
    }

    fn render(&self, draw: &Draw<'_>, out: &mut Vec<u8>) {
        let (model, tile) = (draw.sources.model, draw.tile);
        if tile.z() < self.min_zoom() {
            return;
        }
        let tr = TileTransform::new(tile, EXTENT);
        let clip = ClipRect::buffered(EXTENT, BUFFER);
        let (lo, hi) = tile.bounds_world(f64::from(BUFFER) / f64::from(EXTENT));
        let mut layer = LayerBuilder::new("areas", EXTENT);
        let (k_kind, k_code, k_name, k_label) = (
            layer.key("kind"),
            layer.key("code"),
            layer.key("naam"),
            layer.key("label"),
        );
        let v_true = layer.value(&Value::Bool(true));
        let mut poly = PolygonWriter::default();
        let mut rows: Vec<u32> = model.areas_in(lo, hi).collect();
        rows.sort_unstable();
        // Generalise to about half a screen pixel; below z12 a little more.
        let tolerance = if tile.z() >= 12 { 2.0 } else { 4.0 };
        for row in rows {
            let area = model.area(row);
            let kind = area.code().kind();
            if tile.z() < min_zoom_of(kind) {
                continue;
            }
            let code = area.code().to_string();
            let tags = [
                (k_kind, layer.value(&Value::Str(kind.as_str()))),
                (k_code, layer.value(&Value::Str(&code))),
                (k_name, layer.value(&Value::Str(area.name()))),
            ];
            let opts = RingOptions {
                clip: Some(clip),
                tolerance,
                min_area2: 0,
            };
            if poly.write(area.rings(), &tr, opts, &mut layer.geometry) {
                layer.feature(None, GeomType::Polygon, &tags);
            } else {
                layer.geometry.clear();
            }
            // The label point goes only to the tile that holds it, so it is drawn once.
            let p = tr.apply(area.label_point());
            if (0..EXTENT as i32).contains(&p[0]) && (0..EXTENT as i32).contains(&p[1]) {
                layer.geometry.point(p);
                let mut with_label = tags.to_vec();
                with_label.push((k_label, v_true));
                layer.feature(None, GeomType::Point, &with_label);
            }
        }
        layer.finish(out);
    }
}
