//! The live reports in memory: what the map shows (status class per building, public-space points),
//! updated as reports change, read by tile rendering.

use std::collections::HashMap;

use domain::{AreaCode, AreaRefs, WorldPoint};

/// A report as the map needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveReport {
    /// Id.
    pub id: i64,
    /// Type name.
    pub kind: String,
    /// Status class for the map (from the type's status field).
    pub status_class: String,
    /// Observed, Unix seconds.
    pub observed_at: i64,
    /// Confirmations.
    pub confirmations: u32,
    /// Where it is drawn.
    pub point: WorldPoint,
    /// WGS84.
    pub lonlat: [f64; 2],
    /// The building it is about.
    pub building: Option<u64>,
    /// The address it is about.
    pub address: Option<u64>,
    /// Its areas.
    pub areas: AreaRefs,
    /// About public space.
    pub public_space: bool,
    /// Pseudonymous reporter (for k-anonymity; never in a tile).
    pub reporter: i64,
}

/// Side of a grid cell in world units: a zoom-14 tile (2^17 units, about 2.4 km at the equator,
/// 1.5 km in the Netherlands). A zoom-12 tile reads 16 cells, a zoom-18 tile one.
const CELL_BITS: u32 = domain::WORLD_BITS - 14;

fn cell_of(p: WorldPoint) -> (i32, i32) {
    (p[0] >> CELL_BITS, p[1] >> CELL_BITS)
}

/// Live reports by id, with a grid for tile boxes and a list per buurt for the aggregates, so a
/// tile render reads the reports near it, not all of them.
#[derive(Debug, Default)]
pub struct ReportIndex {
    by_id: HashMap<i64, LiveReport>,
    grid: HashMap<(i32, i32), Vec<i64>>,
    by_buurt: HashMap<AreaCode, Vec<i64>>,
}

fn drop_id<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<i64>>, key: &K, id: i64) {
    if let Some(ids) = map.get_mut(key) {
        ids.retain(|i| *i != id);
        if ids.is_empty() {
            map.remove(key);
        }
    }
}

impl ReportIndex {
    /// Adds or replaces a report.
    pub fn upsert(&mut self, r: LiveReport) {
        self.remove(r.id);
        self.grid.entry(cell_of(r.point)).or_default().push(r.id);
        if let Some(b) = r.areas.buurt {
            self.by_buurt.entry(b).or_default().push(r.id);
        }
        self.by_id.insert(r.id, r);
    }

    /// Removes a report (closed or hidden).
    pub fn remove(&mut self, id: i64) -> Option<LiveReport> {
        let old = self.by_id.remove(&id)?;
        drop_id(&mut self.grid, &cell_of(old.point), id);
        if let Some(b) = old.areas.buurt {
            drop_id(&mut self.by_buurt, &b, id);
        }
        Some(old)
    }

    /// A report.
    pub fn get(&self, id: i64) -> Option<&LiveReport> {
        self.by_id.get(&id)
    }

    /// Reports whose point lies in `[lo, hi)`, by id.
    pub fn in_box(&self, lo: WorldPoint, hi: WorldPoint) -> Vec<&LiveReport> {
        let inside = |r: &&LiveReport| {
            r.point[0] >= lo[0] && r.point[0] < hi[0] && r.point[1] >= lo[1] && r.point[1] < hi[1]
        };
        let (c0, c1) = (
            cell_of(lo),
            cell_of([hi[0].saturating_sub(1), hi[1].saturating_sub(1)]),
        );
        let cells =
            (i64::from(c1.0) - i64::from(c0.0) + 1) * (i64::from(c1.1) - i64::from(c0.1) + 1);
        let mut v: Vec<&LiveReport> = if cells > self.grid.len() as i64 {
            // A box wider than the occupied cells: look at the occupied cells instead.
            self.grid
                .iter()
                .filter(|((x, y), _)| (c0.0..=c1.0).contains(x) && (c0.1..=c1.1).contains(y))
                .flat_map(|(_, ids)| ids)
                .filter_map(|id| self.by_id.get(id))
                .filter(inside)
                .collect()
        } else {
            (c0.1..=c1.1)
                .flat_map(|y| (c0.0..=c1.0).map(move |x| (x, y)))
                .filter_map(|c| self.grid.get(&c))
                .flatten()
                .filter_map(|id| self.by_id.get(id))
                .filter(inside)
                .collect()
        };
        v.sort_by_key(|r| r.id);
        v
    }

    /// The live reports in a buurt.
    pub fn in_buurt(&self, buurt: AreaCode) -> impl Iterator<Item = &LiveReport> {
        self.by_buurt
            .get(&buurt)
            .into_iter()
            .flatten()
            .filter_map(|id| self.by_id.get(id))
    }

    /// Every live report, in no particular order.
    pub fn all(&self) -> impl Iterator<Item = &LiveReport> {
        self.by_id.values()
    }

    /// Number of live reports.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// No live reports.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

/// Freshness of an observation `age_secs` old: halves every 180 days.
pub fn freshness(age_secs: i64) -> f64 {
    const HALF_LIFE_DAYS: f64 = 180.0;
    let days = (age_secs.max(0) as f64) / 86_400.0;
    0.5_f64.powf(days / HALF_LIFE_DAYS)
}

/// Weight of a report in the timeline: freshness × (1 + confirmations).
pub fn weight(age_secs: i64, confirmations: u32) -> f64 {
    freshness(age_secs) * f64::from(1 + confirmations)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn live(id: i64, point: WorldPoint, buurt: Option<&str>) -> LiveReport {
        LiveReport {
            id,
            kind: "solar_panels".into(),
            status_class: "unknown".into(),
            observed_at: 0,
            confirmations: 0,
            point,
            lonlat: [0.0, 0.0],
            building: None,
            address: None,
            areas: buurt
                .map(|b| AreaRefs::from_code(b.parse().unwrap()))
                .unwrap_or_default(),
            public_space: false,
            reporter: 1,
        }
    }

    #[test]
    fn boxes_and_buurten_find_exactly_their_reports_as_they_move_and_go() {
        let cell = 1 << CELL_BITS;
        let mut idx = ReportIndex::default();
        idx.upsert(live(1, [10, 10], Some("BU19990101")));
        idx.upsert(live(2, [cell + 5, 10], Some("BU19990101")));
        idx.upsert(live(3, [5 * cell, 5 * cell], Some("BU19990102")));
        let ids = |v: Vec<&LiveReport>| v.iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(ids(idx.in_box([0, 0], [cell + 6, 11])), [1, 2]);
        assert_eq!(
            ids(idx.in_box([0, 0], [cell + 5, 11])),
            [1],
            "hi is exclusive"
        );
        assert_eq!(ids(idx.in_box([11, 0], [i32::MAX, i32::MAX])), [2, 3]);
        assert_eq!(ids(idx.in_box([0, 0], [i32::MAX, i32::MAX])), [1, 2, 3]);
        // Moved to another cell and buurt.
        idx.upsert(live(1, [5 * cell + 1, 5 * cell], Some("BU19990102")));
        assert_eq!(ids(idx.in_box([0, 0], [cell, cell])), Vec::<i64>::new());
        assert_eq!(
            ids(idx.in_box([5 * cell, 5 * cell], [6 * cell, 6 * cell])),
            [1, 3]
        );
        let buurt = |idx: &ReportIndex, b: &str| {
            let mut v: Vec<i64> = idx.in_buurt(b.parse().unwrap()).map(|r| r.id).collect();
            v.sort_unstable();
            v
        };
        assert_eq!(buurt(&idx, "BU19990101"), [2]);
        assert_eq!(buurt(&idx, "BU19990102"), [1, 3]);
        idx.remove(3);
        assert_eq!(buurt(&idx, "BU19990102"), [1]);
        assert_eq!(idx.len(), 2);
        idx.remove(1);
        idx.remove(2);
        assert!(idx.grid.is_empty() && idx.by_buurt.is_empty());
    }

    #[test]
    fn older_observations_count_less() {
        assert!((freshness(0) - 1.0).abs() < 1e-9);
        assert!((freshness(180 * 86_400) - 0.5).abs() < 1e-9);
        assert!(freshness(400 * 86_400) < freshness(10 * 86_400));
        assert!((weight(0, 2) - 3.0).abs() < 1e-9);
    }
}
