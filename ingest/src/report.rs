//! What an import did: the [`ImportReport`] every importer fills in.

use std::collections::BTreeMap;
use std::time::Duration;

use domain::{Building, BuildingStatus};
use store::Counts;

use crate::detect::SourceFormat;

/// At most this many warnings are kept word for word; the rest are only counted.
const MAX_WARNINGS: usize = 100;

/// What an import did.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    /// The format read.
    pub format: SourceFormat,
    /// The source key in the store (same file → same key → replaced on re-import).
    pub source_key: String,
    /// Buildings written (all statuses).
    pub buildings: u64,
    /// Addresses written.
    pub addresses: u64,
    /// Areas written.
    pub areas: u64,
    /// Buildings and addresses already in the store whose areas were recomputed because areas
    /// changed.
    pub rejoined: u64,
    /// Buildings written per status (demolished and not-realised panden are stored too; the model
    /// leaves them out when drawing).
    pub building_status_counts: BTreeMap<BuildingStatus, u64>,
    /// 3DBAG: panden written.
    pub buildings_3d: u64,
    /// 3DBAG: roof parts written.
    pub roof_parts: u64,
    /// 3DBAG: panden written that are not (yet) among the store's buildings.
    pub buildings_3d_unknown: u64,
    /// EP-Online: data rows read.
    pub label_rows: u64,
    /// EP-Online: labels written (the newest per verblijfsobject).
    pub energy_labels: u64,
    /// EP-Online: rows of a verblijfsobject that has another label in the file (older ones
    /// are dropped).
    pub labels_superseded: u64,
    /// EP-Online: rows naming a verblijfsobject the store does not hold (left out).
    pub labels_unknown_address: u64,
    /// EP-Online: rows without a verblijfsobject id or without a class (left out).
    pub labels_without_address: u64,
    /// Tree registers: trees written.
    pub trees: u64,
    /// Records and layers left out, with the reason (the first 100).
    pub skipped: Vec<String>,
    /// How many records and layers were left out in all.
    pub skipped_total: u64,
    /// What the source holds in the store after the commit.
    pub stored: Counts,
    /// Wall-clock time of the whole import.
    pub elapsed: Duration,
}

impl ImportReport {
    pub(crate) fn new(format: SourceFormat, source_key: String) -> Self {
        Self {
            format,
            source_key,
            buildings: 0,
            addresses: 0,
            areas: 0,
            rejoined: 0,
            building_status_counts: BTreeMap::new(),
            buildings_3d: 0,
            roof_parts: 0,
            buildings_3d_unknown: 0,
            label_rows: 0,
            energy_labels: 0,
            labels_superseded: 0,
            labels_unknown_address: 0,
            labels_without_address: 0,
            trees: 0,
            skipped: Vec::new(),
            skipped_total: 0,
            stored: Counts::default(),
            elapsed: Duration::ZERO,
        }
    }

    /// Records a warning about something left out.
    pub(crate) fn skip(&mut self, why: String) {
        self.skipped_total += 1;
        if self.skipped.len() < MAX_WARNINGS {
            tracing::warn!("{why}");
            self.skipped.push(why);
        }
    }

    pub(crate) fn count_building(&mut self, b: &Building) {
        self.buildings += 1;
        *self.building_status_counts.entry(b.status).or_default() += 1;
    }
}
