//! A tree from a municipal tree register.

use std::fmt;

use geo::Point;

/// wijkwerk's id of a tree: stable across imports of the same register file (its source and its
/// record number), unique across registers. Registers' own numbers are not: Leeuwarden numbers its
/// trees per place, so the same number stands on several trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TreeId(pub u64);

impl TreeId {
    /// The id of record `record` (1-based) of the register whose source key hashes to `source`.
    pub fn new(source: u32, record: u32) -> Self {
        Self((u64::from(source) << 32) | u64::from(record))
    }

    /// The id as a number (the tile feature id).
    pub fn get(self) -> u64 {
        self.0
    }

    /// A 32-bit hash of a source key (FNV-1a), the upper half of its trees' ids.
    ///
    /// ```
    /// assert_eq!(domain::TreeId::source_hash("trees:bomen.shp"), domain::TreeId::source_hash("trees:bomen.shp"));
    /// assert_ne!(domain::TreeId::source_hash("trees:a.shp"), domain::TreeId::source_hash("trees:b.shp"));
    /// ```
    pub fn source_hash(key: &str) -> u32 {
        key.bytes().fold(0x811c_9dc5_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        })
    }
}

impl fmt::Display for TreeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A tree, at its place in WGS84 lon/lat.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    /// wijkwerk's id.
    pub id: TreeId,
    /// The register's own number (`BOOMNUMMER`, `ELEMENTNR`, …), as text.
    pub number: String,
    /// Species as the register writes it (often the scientific name).
    pub species: Option<String>,
    /// Year planted.
    pub planting_year: Option<u16>,
    /// Where it stands.
    pub location_wgs84: Point<f64>,
}
