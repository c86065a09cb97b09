//! The live reports in memory: what the map shows (status class per building, public-space points),
//! updated as reports change, read by tile rendering.

use std::collections::HashMap;

use domain::{AreaRefs, WorldPoint};

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

/// Live reports by id.
#[derive(Debug, Default)]
pub struct ReportIndex {
    by_id: HashMap<i64, LiveReport>,
}

impl ReportIndex {
    /// Adds or replaces a report.
    pub fn upsert(&mut self, r: LiveReport) {
        self.by_id.insert(r.id, r);
    }

    /// Removes a report (closed or hidden).
    pub fn remove(&mut self, id: i64) -> Option<LiveReport> {
        self.by_id.remove(&id)
    }

    /// A report.
    pub fn get(&self, id: i64) -> Option<&LiveReport> {
        self.by_id.get(&id)
    }

    /// Reports whose point lies in `[lo, hi)`, by id.
    pub fn in_box(&self, lo: WorldPoint, hi: WorldPoint) -> Vec<&LiveReport> {
        let mut v: Vec<&LiveReport> = self
            .by_id
            .values()
            .filter(|r| {
                r.point[0] >= lo[0]
                    && r.point[0] < hi[0]
                    && r.point[1] >= lo[1]
                    && r.point[1] < hi[1]
            })
            .collect();
        v.sort_by_key(|r| r.id);
        v
    }

    /// Every live report, by id.
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
    use super::*;

    #[test]
    fn older_observations_count_less() {
        assert!((freshness(0) - 1.0).abs() < 1e-9);
        assert!((freshness(180 * 86_400) - 0.5).abs() < 1e-9);
        assert!(freshness(400 * 86_400) < freshness(10 * 86_400));
        assert!((weight(0, 2) - 3.0).abs() < 1e-9);
    }
}
