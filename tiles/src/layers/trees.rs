//! `trees`: trees of the municipal tree registers as points, from z15.

use super::{Draw, EXTENT, Field, Layer, LayerMeta, inside};
use crate::TileTransform;
use crate::encode::{GeomType, LayerBuilder, Value};

/// The `trees` layer.
#[derive(Debug, Clone, Copy, Default)]
pub struct TreesLayer;

const MIN_ZOOM: u8 = 15;

const FIELDS: &[Field] = &[
    Field {
        name: "id",
        description: "String: the tree's number in its register (not unique: some registers number per place); the feature id is wijkwerk's tree id",
    },
    Field {
        name: "species",
        description: "String: species as the register writes it (often the scientific name)",
    },
    Field {
        name: "planting_year",
        description: "Number: year planted",
    },
];

const META: LayerMeta = LayerMeta {
    name: "trees",
    aliases: &[],
    description: "Trees from municipal tree registers as points, from z15",
    min_zoom: MIN_ZOOM,
    max_zoom: 16,
    fields: FIELDS,
};

impl Layer for TreesLayer {
    fn meta(&self) -> &'static LayerMeta {
        &META
    }

    fn render(&self, draw: &Draw<'_>, out: &mut Vec<u8>) {
        let (model, tile) = (draw.sources.model, draw.tile);
        if tile.z() < MIN_ZOOM || model.tree_count() == 0 {
            return;
        }
        let tr = TileTransform::new(tile, EXTENT);
        // Points are not buffered: each lies in exactly one tile.
        let (lo, hi) = tile.bounds_world(0.0);
        let mut rows: Vec<u32> = model.trees_in(lo, hi).collect();
        rows.sort_unstable();
        let mut layer = LayerBuilder::new("trees", EXTENT);
        let (k_id, k_species, k_year) = (
            layer.key("id"),
            layer.key("species"),
            layer.key("planting_year"),
        );
        for row in rows {
            let t = model.tree(row);
            let p = tr.apply(t.point());
            if !inside(p) {
                continue;
            }
            layer.geometry.point(p);
            let mut tags = vec![(k_id, layer.value(&Value::Str(t.number())))];
            if let Some(s) = t.species() {
                tags.push((k_species, layer.value(&Value::Str(s))));
            }
            if let Some(y) = t.planting_year() {
                tags.push((k_year, layer.value(&Value::Uint(u64::from(y)))));
            }
            layer.feature(Some(t.id().get()), GeomType::Point, &tags);
        }
        layer.finish(out);
    }
}
