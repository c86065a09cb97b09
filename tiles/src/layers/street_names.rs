//! `street_names`: where a street's name is written, from z15 — one line per stretch of an
//! openbare ruimte, along its addresses (the BAG has no street geometry; the model derives the
//! lines, see `domain`'s street lines). A style writes `name` along the line; without a
//! background map these are the map's only street names.

use super::{BUFFER, Draw, EXTENT, Field, Layer, LayerMeta};
use crate::TileTransform;
use crate::clip::{ClipRect, clip_segment};
use crate::encode::{GeomType, LayerBuilder, Value};

/// The `street_names` layer.
#[derive(Debug, Clone, Copy, Default)]
pub struct StreetNamesLayer;

const MIN_ZOOM: u8 = 15;

const FIELDS: &[Field] = &[
    Field {
        name: "name",
        description: "String: the street's name (openbare ruimte, as the BAG writes it)",
    },
    Field {
        name: "woonplaats",
        description: "String: the woonplaats the street is in",
    },
    Field {
        name: "addresses",
        description: "Number: about how many addresses lie along this stretch",
    },
];

const META: LayerMeta = LayerMeta {
    name: "street_names",
    aliases: &[],
    description: "Street names as lines along each stretch of a street's addresses (from the BAG), from z15",
    min_zoom: MIN_ZOOM,
    max_zoom: 16,
    fields: FIELDS,
};

impl Layer for StreetNamesLayer {
    fn meta(&self) -> &'static LayerMeta {
        &META
    }

    fn render(&self, draw: &Draw<'_>, out: &mut Vec<u8>) {
        let (model, tile) = (draw.sources.model, draw.tile);
        if tile.z() < MIN_ZOOM || model.street_line_count() == 0 {
            return;
        }
        let tr = TileTransform::new(tile, EXTENT);
        let clip = ClipRect::buffered(EXTENT, BUFFER);
        let (lo, hi) = tile.bounds_world(f64::from(BUFFER) / f64::from(EXTENT));
        let mut rows: Vec<_> = model.street_lines_in(lo, hi).collect();
        rows.sort_unstable_by_key(|r| (r.name(), r.line()));
        let mut layer = LayerBuilder::new(META.name, EXTENT);
        let (k_name, k_place, k_addresses) = (
            layer.key("name"),
            layer.key("woonplaats"),
            layer.key("addresses"),
        );
        for row in rows {
            let [a, b] = row.line();
            let Some([a, b]) = clip_segment(tr.apply(a), tr.apply(b), clip) else {
                continue;
            };
            if a == b {
                continue;
            }
            layer.geometry.line(&[a, b]);
            let tags = [
                (k_name, layer.value(&Value::Str(row.name()))),
                (k_place, layer.value(&Value::Str(row.place()))),
                (
                    k_addresses,
                    layer.value(&Value::Uint(u64::from(row.addresses()))),
                ),
            ];
            layer.feature(None, GeomType::LineString, &tags);
        }
        if !layer.is_empty() {
            layer.finish(out);
        }
    }
}
