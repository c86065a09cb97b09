//! `do_not_knock`: addresses whose household opted out of canvassing, for the staff who plan and
//! walk campaigns in their scope. Every feature passes the policy at its own place, so a tile that
//! straddles a scope edge holds only the viewer's side.

use domain::access::{DataClass, Decision, Place, Purpose, Resource, decide};

use super::{Audience, Draw, EXTENT, Field, Layer, LayerMeta, Source, inside};
use crate::TileTransform;
use crate::encode::{GeomType, LayerBuilder, Value};

/// The `do_not_knock` layer (named `niet_aanbellen` before).
#[derive(Debug, Clone, Copy, Default)]
pub struct DoNotKnockLayer;

const MIN_ZOOM: u8 = 14;

const FIELDS: &[Field] = &[Field {
    name: "identificatie",
    description: "String: BAG verblijfsobject",
}];

const META: LayerMeta = LayerMeta {
    name: "do_not_knock",
    aliases: &["niet_aanbellen"],
    description: "Addresses whose household opted out of visits (niet aanbellen), for staff in their area",
    min_zoom: MIN_ZOOM,
    max_zoom: 16,
    fields: FIELDS,
};

impl Layer for DoNotKnockLayer {
    fn meta(&self) -> &'static LayerMeta {
        &META
    }

    fn audience(&self) -> Audience {
        Audience::Household {
            purpose: Purpose::Canvassing,
            class: DataClass::OptOutRegister,
        }
    }

    fn reads(&self) -> &'static [Source] {
        &[Source::OptOuts]
    }

    fn render(&self, draw: &Draw<'_>, out: &mut Vec<u8>) {
        let (model, tile) = (draw.sources.model, draw.tile);
        if tile.z() < MIN_ZOOM {
            return;
        }
        let tr = TileTransform::new(tile, EXTENT);
        let (lo, hi) = tile.bounds_world(0.0);
        let mut rows: Vec<u32> = draw
            .sources
            .opt_outs
            .addresses(Purpose::Canvassing)
            .filter_map(|id| domain::BagId::new(id).and_then(|id| model.find_address(id)))
            .filter(|a| {
                let p = a.point();
                p[0] >= lo[0] && p[0] < hi[0] && p[1] >= lo[1] && p[1] < hi[1]
            })
            .map(|a| a.index())
            .collect();
        rows.sort_unstable();
        let mut layer = LayerBuilder::new(self.name(), EXTENT);
        let k_id = layer.key("identificatie");
        for row in rows {
            let a = model.address(row);
            let (lon, lat) = domain::world_to_lonlat(a.point());
            let resource = Resource::new(
                DataClass::OptOutRegister,
                Place::Located {
                    lonlat: [lon, lat],
                    areas: a.areas(),
                },
            );
            if decide(draw.viewer, Purpose::Canvassing, &resource) != Decision::Allow {
                continue;
            }
            let p = tr.apply(a.point());
            if !inside(p) {
                continue;
            }
            layer.geometry.point(p);
            let id = a.id().to_string();
            let tags = [(k_id, layer.push_value(&Value::Str(&id)))];
            layer.feature(Some(a.id().get()), GeomType::Point, &tags);
        }
        if !layer.is_empty() {
            layer.finish(out);
        }
    }
}
