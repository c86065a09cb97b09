//! `addresses`: BAG verblijfsobjecten as points, from z16.

use super::{Draw, EXTENT, Field, Layer, LayerMeta};
use crate::TileTransform;
use crate::encode::{GeomType, LayerBuilder, Value};

/// The `addresses` layer.
#[derive(Debug, Clone, Copy, Default)]
pub struct AddressesLayer;

const MIN_ZOOM: u8 = 16;

const FIELDS: &[Field] = &[
    Field {
        name: "identificatie",
        description: "String: BAG verblijfsobject identificatie, 16 digits (also the feature id)",
    },
    Field {
        name: "label",
        description: "String: street, house number, letter and addition",
    },
    Field {
        name: "postcode",
        description: "String: postcode",
    },
    Field {
        name: "pand_identificatie",
        description: "String: the pand it lies in (the first, when several)",
    },
];

const META: LayerMeta = LayerMeta {
    name: "addresses",
    aliases: &[],
    description: "BAG addresses (verblijfsobjecten) as points, from z16",
    min_zoom: MIN_ZOOM,
    max_zoom: 16,
    fields: FIELDS,
};

impl Layer for AddressesLayer {
    fn meta(&self) -> &'static LayerMeta {
        &META
    }

    fn render(&self, draw: &Draw<'_>, out: &mut Vec<u8>) {
        let (model, tile) = (draw.sources.model, draw.tile);
        if tile.z() < MIN_ZOOM {
            return;
        }
        let tr = TileTransform::new(tile, EXTENT);
        // Points are not buffered: each lies in exactly one tile.
        let (lo, hi) = tile.bounds_world(0.0);
        let mut rows: Vec<u32> = model.addresses_in(lo, hi).collect();
        rows.sort_unstable();
        let mut layer = LayerBuilder::new("addresses", EXTENT);
        let (k_id, k_label, k_pc, k_pand) = (
            layer.key("identificatie"),
            layer.key("label"),
            layer.key("postcode"),
            layer.key("pand_identificatie"),
        );
        for row in rows {
            let a = model.address(row);
            let p = tr.apply(a.point());
            if !(0..EXTENT as i32).contains(&p[0]) || !(0..EXTENT as i32).contains(&p[1]) {
                continue;
            }
            layer.geometry.point(p);
            let id = a.id().to_string();
            let mut tags = vec![
                (k_id, layer.push_value(&Value::Str(&id))),
                (k_label, layer.value(&Value::Str(&a.street_line()))),
            ];
            if let Some(pc) = a.postcode() {
                tags.push((k_pc, layer.value(&Value::Str(pc))));
            }
            if let Some(&b) = a.building_rows().first() {
                tags.push((
                    k_pand,
                    layer.value(&Value::Str(&model.building(b).id().to_string())),
                ));
            }
            layer.feature(Some(a.id().get()), GeomType::Point, &tags);
        }
        layer.finish(out);
    }
}
