//! `observations`: observations about homes, one point per pand (or verblijfsobject) and type,
//! drawn by the newest open observation, for staff in their area. Each feature passes the policy at
//! its own place, so a tile that straddles a scope edge holds only the viewer's side.

use domain::access::{DataClass, Decision, Purpose, decide};
use domain::observations::LiveObservation;

use super::{Audience, Draw, EXTENT, Field, Layer, LayerMeta, Source, inside};
use crate::TileTransform;
use crate::encode::{GeomType, LayerBuilder, Value};

/// The `observations` layer (named `meldingen` before).
#[derive(Debug, Clone, Copy, Default)]
pub struct ObservationsLayer;

/// Lowest zoom of the observation point layers.
pub(super) const MIN_ZOOM: u8 = 12;

/// The attributes every observation point carries (for a pand's feature: of its newest observation).
pub(super) const POINT_FIELDS: [Field; 4] = [
    Field {
        name: "type",
        description: "String: observation type",
    },
    Field {
        name: "status_class",
        description: "String: class of the (newest) observation's answer, which the map colours by",
    },
    Field {
        name: "confirmations",
        description: "Number: other residents who confirmed the (newest) observation",
    },
    Field {
        name: "weight",
        description: "Number: the (newest) observation's freshness × (1 + confirmations)",
    },
];

const FIELDS: &[Field] = &[
    POINT_FIELDS[0],
    POINT_FIELDS[1],
    POINT_FIELDS[2],
    POINT_FIELDS[3],
    Field {
        name: "reports",
        description: "Number: open observations of this type about the pand",
    },
    Field {
        name: "pand_identificatie",
        description: "String: the BAG pand",
    },
];

const META: LayerMeta = LayerMeta {
    name: "observations",
    aliases: &["meldingen"],
    description: "Observations about homes: one point per pand (or verblijfsobject) and type, with the status of the newest, for staff in their area",
    min_zoom: MIN_ZOOM,
    max_zoom: 16,
    fields: FIELDS,
};

impl Layer for ObservationsLayer {
    fn meta(&self) -> &'static LayerMeta {
        &META
    }

    fn audience(&self) -> Audience {
        Audience::Household {
            purpose: Purpose::Map,
            class: DataClass::HouseholdObservations,
        }
    }

    fn reads(&self) -> &'static [Source] {
        &[Source::Observations]
    }

    fn render(&self, draw: &Draw<'_>, out: &mut Vec<u8>) {
        draw_observations(self.name(), draw, out, &|o| {
            !o.public_space && decide(draw.viewer, Purpose::Map, &o.resource()) == Decision::Allow
        });
    }
}

/// Draws the map features of live observations in the tile that `keep` lets through, as layer
/// `name`: one point per feature (a pand's observations of one type are one feature, drawn by
/// the newest), with its type, status class, confirmations, weight and (about homes) how many are
/// open and the pand.
pub(super) fn draw_observations(
    name: &str,
    draw: &Draw<'_>,
    out: &mut Vec<u8>,
    keep: &dyn Fn(&LiveObservation) -> bool,
) {
    let tile = draw.tile;
    if tile.z() < MIN_ZOOM {
        return;
    }
    let tr = TileTransform::new(tile, EXTENT);
    let (lo, hi) = tile.bounds_world(0.0);
    let mut layer = LayerBuilder::new(name, EXTENT);
    let (k_type, k_class, k_conf, k_weight, k_reports, k_pand) = (
        layer.key("type"),
        layer.key("status_class"),
        layer.key("confirmations"),
        layer.key("weight"),
        layer.key("reports"),
        layer.key("pand_identificatie"),
    );
    // The live observations are read under their lock only while their few points are drawn.
    let index = draw.sources.observations();
    for f in index.features_in_box(lo, hi) {
        let o = f.newest;
        if !keep(o) {
            continue;
        }
        let p = tr.apply(o.point);
        if !inside(p) {
            continue;
        }
        layer.geometry.point(p);
        let weight =
            domain::observations::weight(draw.sources.now - o.observed_at, o.confirmations);
        let pand = o.building.map(|b| format!("{b:016}"));
        let mut tags = vec![
            (k_type, layer.push_value(&Value::Str(&o.kind))),
            (k_class, layer.push_value(&Value::Str(&o.status_class))),
            (
                k_conf,
                layer.push_value(&Value::Uint(u64::from(o.confirmations))),
            ),
            (
                k_weight,
                layer.push_value(&Value::Double((weight * 100.0).round() / 100.0)),
            ),
        ];
        if !o.public_space {
            tags.push((k_reports, layer.push_value(&Value::Uint(f.reports as u64))));
        }
        if let Some(p) = &pand {
            tags.push((k_pand, layer.push_value(&Value::Str(p))));
        }
        layer.feature(u64::try_from(o.id).ok(), GeomType::Point, &tags);
    }
    drop(index);
    if !layer.is_empty() {
        layer.finish(out);
    }
}
