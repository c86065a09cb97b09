//! Where a selection lies, for the map beside the offer form (issue 12 §3). Who may see the work
//! items in the area (the policy's `Allow` for work items on the map: wijkondernemer,
//! communitybuilder in scope, admin) gets a point per open item, as the campaign preview does.
//! Everyone else who may preview (a partner: `AggregateOnly`) gets cells of a fixed partition —
//! CBS 100 m squares or H3 hexagons, as the urgency map has them — each shown only with at least
//! k households behind it and its count rounded, as `domain::privacy` releases a cell.
//!
//! What a partner's cells count is what its count counts: the buildings, addresses or trees
//! whose **open data** meet the criteria (ADR 17) — never work items (which follow from what
//! residents reported) and never the opt-out register, so no sequence of previews can be
//! differenced into a fact about one household; k and rounding keep the map from pointing at a
//! home even so.

use std::collections::BTreeMap;

use domain::privacy::{KAnonymity, Released, release_counts};
use domain::rd::wgs84_to_rd;
use domain::{AreaKind, Model, WorldPoint, world_to_lonlat};
use h3o::{LatLng, Resolution};
use serde_json::{Value, json};
use urgency::{Cell, Level};

/// Most points a preview draws (as the campaign preview).
pub(super) const MAX_POINTS: usize = 20_000;

/// `[lon, lat]`, to 1e-5° (about a metre).
fn lonlat(p: WorldPoint) -> [f64; 2] {
    let (lon, lat) = world_to_lonlat(p);
    [(lon * 1e5).round() / 1e5, (lat * 1e5).round() / 1e5]
}

/// The map of those who may see the items: the first [`MAX_POINTS`] open items' points.
pub(super) fn points_json(points: impl Iterator<Item = WorldPoint>) -> Value {
    let points: Vec<[f64; 2]> = points.take(MAX_POINTS).map(lonlat).collect();
    json!({ "kind": "points", "points": points })
}

/// The fixed partition a selection in an area of `kind` is shown on: fine enough to see where in
/// the area it lies, coarse enough that most cells hold k households. It follows from the request
/// alone, never from the data, so which level answers tells nothing.
pub(super) fn level_for(kind: AreaKind) -> Level {
    match kind {
        AreaKind::Buurt => Level::Grid100,
        AreaKind::Wijk => Level::H3r9,
        AreaKind::Gemeente => Level::H3r8,
    }
}

/// The cell of `level` a point lies in: the CBS square of its RD New coordinates, or its H3 cell
/// (as the urgency engine places an address).
fn cell_of(level: Level, p: WorldPoint) -> Option<Cell> {
    let (lon, lat) = world_to_lonlat(p);
    let res = match level {
        Level::Grid100 => {
            let (x, y) = wgs84_to_rd(lon, lat);
            return Some(Cell::Square {
                e: (x / 100.0).floor() as i32,
                n: (y / 100.0).floor() as i32,
            });
        }
        Level::H3r8 => Resolution::Eight,
        Level::H3r9 => Resolution::Nine,
        Level::H3r10 => Resolution::Ten,
        Level::Gemeente | Level::Wijk | Level::Buurt => return None,
    };
    LatLng::new(lat, lon)
        .ok()
        .map(|ll| Cell::H3(u64::from(ll.to_cell(res))))
}

/// The selection's targets per cell, before release.
pub(super) struct CellTally {
    level: Level,
    /// Per cell: targets, and the households behind them.
    cells: BTreeMap<Cell, (u32, u32)>,
}

impl CellTally {
    pub(super) fn new(level: Level) -> Self {
        Self {
            level,
            cells: BTreeMap::new(),
        }
    }

    /// One target at `p` with `households` behind it (the addresses of a pand, one for an
    /// address; a tree stands behind no home and counts as one, so a cell of trees needs k
    /// trees).
    pub(super) fn add(&mut self, p: WorldPoint, households: u32) {
        if let Some(c) = cell_of(self.level, p) {
            let e = self.cells.entry(c).or_default();
            e.0 += 1;
            e.1 += households;
        }
    }

    /// The cells released under `rule`: those with at least k households, their counts rounded;
    /// the others are left out, without a trace.
    pub(super) fn release(self, rule: KAnonymity, model: &Model) -> Value {
        let mut cells = Vec::new();
        for (cell, (targets, households)) in self.cells {
            let Released::Shown { records, .. } =
                release_counts(rule, targets, households, households)
            else {
                continue;
            };
            let Some(ring) = cell.outline(model).into_iter().flatten().next() else {
                continue;
            };
            let ring: Vec<[f64; 2]> = ring
                .into_iter()
                .map(|[lon, lat]| [(lon * 1e6).round() / 1e6, (lat * 1e6).round() / 1e6])
                .collect();
            cells.push(json!({ "count": records, "outline": ring }));
        }
        json!({
            "kind": "cells",
            "level": self.level.as_str(),
            "k": rule.k,
            "round_to": rule.round_to,
            "cells": cells,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lon: f64, lat: f64) -> WorldPoint {
        domain::lonlat_to_world(lon, lat)
    }

    #[test]
    fn a_cell_under_k_households_is_left_out_and_counts_are_rounded() {
        let model = Model::empty();
        let rule = KAnonymity { k: 5, round_to: 5 };
        let mut t = CellTally::new(Level::Grid100);
        // Seven addresses in one square, four in another 1 km away.
        for i in 0..7 {
            t.add(at(5.0 + f64::from(i) * 1e-5, 52.0), 1);
        }
        for i in 0..4 {
            t.add(at(5.015 + f64::from(i) * 1e-5, 52.0), 1);
        }
        let v = t.release(rule, &model);
        let cells = v["cells"].as_array().unwrap();
        assert_eq!(cells.len(), 1, "{v}");
        assert_eq!(cells[0]["count"], 5, "{v}");
        assert_eq!(v["k"], 5);
        // A square: a closed ring of five corners about 100 m apart.
        let ring = cells[0]["outline"].as_array().unwrap();
        assert_eq!(ring.len(), 5, "{v}");
        assert_eq!(ring[0], ring[4]);
    }

    #[test]
    fn households_not_targets_decide_release() {
        let model = Model::empty();
        let rule = KAnonymity { k: 5, round_to: 5 };
        // One building with six homes: shown (as about five buildings, never fewer than
        // round_to); three trees (no homes, one each): withheld.
        let mut t = CellTally::new(Level::H3r9);
        t.add(at(5.0, 52.0), 6);
        for i in 0..3 {
            t.add(at(5.1 + f64::from(i) * 1e-5, 52.0), 1);
        }
        let v = t.release(rule, &model);
        let cells = v["cells"].as_array().unwrap();
        assert_eq!(cells.len(), 1, "{v}");
        assert_eq!(cells[0]["count"], 5, "{v}");
        // A hexagon: six corners and the first again.
        assert_eq!(cells[0]["outline"].as_array().unwrap().len(), 7, "{v}");
        assert_eq!(v["level"], "h3-9");
    }
}
