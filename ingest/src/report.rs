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
