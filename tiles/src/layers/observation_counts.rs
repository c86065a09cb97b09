//! `observations_per_buurt`: k-anonymous counts of open observations about homes per buurt and
//! type, at the buurt's label point — the public's view of household data. Suppressed cells are
//! left out; households that opted out of `research` are not counted.

use domain::access::Purpose;
use domain::privacy::Released;
use domain::{AreaKind, Model, WorldPoint};

use super::{Change, Draw, EXTENT, Field, Layer, LayerMeta, Source};
use crate::TileTransform;
use crate::encode::{GeomType, LayerBuilder, Value};

/// The `observations_per_buurt` layer (named `meldingen_per_buurt` before).
#[derive(Debug, Clone, Copy, Default)]
pub struct ObservationCountsLayer;

const MIN_ZOOM: u8 = 10;

const FIELDS: &[Field] = &[
    Field {
        name: "buurtcode",
        description: "String: CBS buurt code",
    },
    Field {
        name: "type",
        description: "String: observation type",
    },
    Field {
        name: "records",
        description: "Number: observations, rounded",
    },
    Field {
        name: "addresses",
        description: "Number: distinct addresses, rounded",
    },
];

const META: LayerMeta = LayerMeta {
    name: "observations_per_buurt",
    aliases: &["meldingen_per_buurt"],
    description: "Observations about homes as k-anonymous counts per buurt and type (cells under k are left out)",
    min_zoom: MIN_ZOOM,
    max_zoom: 16,
    fields: FIELDS,
};

impl Layer for ObservationCountsLayer {
    fn meta(&self) -> &'static LayerMeta {
        &META
    }

    fn reads(&self) -> &'static [Source] {
        &[Source::Observations, Source::OptOuts]
    }

    /// A change in a buurt changes its counts, drawn at the buurt's label point.
    fn stale(&self, change: &Change, model: &Model) -> Option<[WorldPoint; 2]> {
        if !self.reads().contains(&change.source) {
            return None;
        }
        let Some((_, areas)) = change.at else {
            return Some([[0, 0], [i32::MAX, i32::MAX]]);
        };
        let p = model.find_area(areas.buurt?)?.label_point();
        Some([p, p])
    }

    fn render(&self, draw: &Draw<'_>, out: &mut Vec<u8>) {
        let (model, tile) = (draw.sources.model, draw.tile);
        if tile.z() < MIN_ZOOM {
            return;
        }
        let (lo, hi) = tile.bounds_world(0.0);
        // The buurten whose label point lies in this tile.
        let mut buurten: Vec<(domain::AreaCode, WorldPoint)> = model
            .areas_in(lo, hi)
            .map(|r| model.area(r))
            .filter(|a| a.code().kind() == AreaKind::Buurt)
            .map(|a| (a.code(), a.label_point()))
            .filter(|(_, p)| p[0] >= lo[0] && p[0] < hi[0] && p[1] >= lo[1] && p[1] < hi[1])
            .collect();
        if buurten.is_empty() {
            return;
        }
        buurten.sort_unstable();
        buurten.dedup_by_key(|(c, _)| *c);
        let codes: Vec<domain::AreaCode> = buurten.iter().map(|(c, _)| *c).collect();
        let opted_out = draw
            .sources
            .opt_outs
            .excluded_households(Purpose::Research, model);
        let released = draw.sources.observations().release_in(
            &codes,
            None,
            draw.sources.k_anonymity,
            &opted_out,
        );
        let tr = TileTransform::new(tile, EXTENT);
        let mut layer = LayerBuilder::new(self.name(), EXTENT);
        let (k_buurt, k_type, k_records, k_addresses) = (
            layer.key("buurtcode"),
            layer.key("type"),
            layer.key("records"),
            layer.key("addresses"),
        );
        for ((buurt, kind), cell) in &released {
            let Released::Shown { records, addresses } = cell else {
                continue;
            };
            let Some((_, p)) = buurten.iter().find(|(c, _)| c == buurt) else {
                continue;
            };
            layer.geometry.point(tr.apply(*p));
            let code = buurt.to_string();
            let tags = [
                (k_buurt, layer.push_value(&Value::Str(&code))),
                (k_type, layer.push_value(&Value::Str(kind))),
                (
                    k_records,
                    layer.push_value(&Value::Uint(u64::from(*records))),
                ),
                (
                    k_addresses,
                    layer.push_value(&Value::Uint(u64::from(*addresses))),
                ),
            ];
            layer.feature(None, GeomType::Point, &tags);
        }
        if !layer.is_empty() {
            layer.finish(out);
        }
    }
}
