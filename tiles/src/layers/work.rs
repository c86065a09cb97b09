//! `work`: the work items (one point per item: its kind, status and size) for those who run the
//! work in an area. Each item passes the policy at its own place, and items about homes whose
//! households all opted out of canvassing are left out.

use domain::access::{DataClass, Decision, Place, Purpose, Resource, decide};

use super::{Audience, Draw, EXTENT, Field, Layer, LayerMeta, Source, inside};
use crate::TileTransform;
use crate::encode::{GeomType, LayerBuilder, Value};

/// The `work` layer.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkLayer;

const FIELDS: &[Field] = &[
    Field {
        name: "kind",
        description: "String: the work kind (the rule's name)",
    },
    Field {
        name: "status",
        description: "String: open, planned, in_progress, done, not_wanted or not_applicable",
    },
    Field {
        name: "size",
        description: "Number: how much work, in the rule's unit",
    },
    Field {
        name: "target",
        description: "String: what the item is about, e.g. pand/0599100000012345",
    },
];

const META: LayerMeta = LayerMeta {
    name: "work",
    aliases: &["werk"],
    description: "Work to be done: one point per work item with its kind, status and size, for those who run the work in their area",
    min_zoom: 12,
    max_zoom: 16,
    fields: FIELDS,
};

impl Layer for WorkLayer {
    fn meta(&self) -> &'static LayerMeta {
        &META
    }

    fn audience(&self) -> Audience {
        Audience::Household {
            purpose: Purpose::Map,
            class: DataClass::WorkItems,
        }
    }

    fn reads(&self) -> &'static [Source] {
        &[Source::Work, Source::OptOuts]
    }

    fn render(&self, draw: &Draw<'_>, out: &mut Vec<u8>) {
        let tile = draw.tile;
        if tile.z() < META.min_zoom {
            return;
        }
        let tr = TileTransform::new(tile, EXTENT);
        let (lo, hi) = tile.bounds_world(0.0);
        let mut layer = LayerBuilder::new(META.name, EXTENT);
        let (k_kind, k_status, k_size, k_target) = (
            layer.key("kind"),
            layer.key("status"),
            layer.key("size"),
            layer.key("target"),
        );
        let model = draw.sources.model;
        let opt_outs = draw.sources.opt_outs;
        let work = draw.sources.work();
        let mut items = work.in_box(lo, hi);
        // Stable feature order whatever the hash map's.
        items.sort_by_key(|i| (i.item.target, i.item.rule));
        for it in items {
            let p = tr.apply(it.item.point);
            if !inside(p) {
                continue;
            }
            let (lon, lat) = domain::world_to_lonlat(it.item.point);
            let place = Place::Located {
                lonlat: [lon, lat],
                areas: it.item.areas,
            };
            if decide(
                draw.viewer,
                Purpose::Map,
                &Resource::new(DataClass::WorkItems, place),
            ) != Decision::Allow
            {
                continue;
            }
            if work::opted_out(model, opt_outs, it.item.target) {
                continue;
            }
            layer.geometry.point(p);
            let target = it.item.target.key();
            let tags = [
                (k_kind, layer.push_value(&Value::Str(&it.rule.kind))),
                (k_status, layer.push_value(&Value::Str(it.status.as_str()))),
                (
                    k_size,
                    layer.push_value(&Value::Double(
                        (f64::from(it.item.size) * 10.0).round() / 10.0,
                    )),
                ),
                (k_target, layer.push_value(&Value::Str(&target))),
            ];
            layer.feature(None, GeomType::Point, &tags);
        }
        drop(work);
        if !layer.is_empty() {
            layer.finish(out);
        }
    }
}
