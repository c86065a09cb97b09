//! wijkwerk's vocabulary and pure logic.
//!
//! This crate is the centre of the dependency graph: it knows what a building (BAG *pand*), an address
//! (BAG *verblijfsobject*) and an area (CBS *gemeente*, *wijk*, *buurt*) are, and it holds the in-memory
//! serving [`Model`] with its R-trees. It must not do I/O, spawn threads or know any file format.
//!
//! Steps it performs for the server:
//! 1. values arrive as [`Building`], [`Address`] and [`Area`] in WGS84 lon/lat (from the store);
//! 2. [`ModelBuilder`] projects them once to fixed-point Web Mercator ([`WorldPoint`]), orients rings the
//!    way vector tiles want them and packs them into compact columns;
//! 3. [`Model`] answers spatial queries (R-tree by bounding box), lookups by id and address search.

pub mod access;
mod address;
mod area;
mod building;
mod enrichment;
mod error;
mod id;
mod mercator;
mod model;
pub mod observations;
pub mod privacy;
pub mod rd;
mod status;
mod time;
mod usage;
pub mod wkb;

pub use address::Address;
pub use area::{Area, AreaKind, AreaRefs};
pub use building::{Building, UNKNOWN_BOUWJAAR};
pub use enrichment::{
    Building3d, EnergyClass, EnergyLabel, FLAT_SLOPE_DEG, LabelDate, RoofPart, RoofType,
    SOLAR_AZIMUTH_DEG, SOLAR_MAX_SLOPE_DEG, Tree, TreeId,
};
pub use error::{EXCERPT_CHARS, Error, Result, excerpt, excerpt_bytes};
pub use id::{AddressId, AreaCode, BagId, BuildingId};
pub use mercator::{WORLD_BITS, WORLD_SIZE, WorldPoint, lonlat_to_world, world_to_lonlat};
pub use model::{
    AddressRow, AreaRow, BuildingRow, Found, GroupHit, LabelFacts, Model, ModelBuilder, ModelStats,
    Ring, RoofFacts, SearchHit, StreetLineRow, TREE_LINK_METRES, TreeRow, fold_name, near_prefix,
};
pub use status::{AddressStatus, BuildingStatus};
pub use time::{parse_rfc3339, rfc3339_utc};
pub use usage::{Usage, UsageSet};
