//! A generator of a fictional Dutch gemeente in the real register formats, for demos, tests and
//! benchmarks. Seeded and deterministic: the same options give byte-identical files. Any size, from
//! a few buildings to millions; memory stays that of one buurt.
//!
//! It writes two GeoPackages (EPSG:28992 RD New) with [`ingest`]'s GeoPackage writer:
//! - `bag-light.gpkg`: layers `pand` and `verblijfsobject` as PDOK's bag-light has them;
//! - `wijkenbuurten.gpkg`: layers `buurten`, `wijken` and `gemeenten` as the CBS wijk- en buurtkaart;
//!
//! and the enrichment of the same panden and verblijfsobjecten (`enrichment/`): 3DBAG as
//! CityJSONSeq and GeoPackage, EP-Online's energy labels (a zip with RVO's preamble) and a tree
//! register (a shapefile).
//!
//! Steps ([`generate`]):
//! 1. plan the area: a grid of buurten grouped into wijken, old in the centre and new at the edge
//!    (`layout`), with street names by theme (`names`);
//! 2. per buurt: choose groups of buildings (terraced rows, semi-detached pairs, detached houses,
//!    flats, shops with flats above, a school) by its era (`groups`), place them along its streets
//!    (`street`, `placement`), build footprints and addresses (`build`, `footprint`, `address`) and
//!    write them (`bag_light`);
//! 3. estimate the CBS statistics from what was built (`statistics`) and write the areas (`cbs`).
//!
//! All data is made up by this generator; nothing is copied from real registers. See README.md.

mod address;
mod bag_light;
mod build;
mod cbs;
mod enrichment;
mod error;
mod footprint;
mod generate;
mod groups;
mod layout;
mod names;
mod options;
mod placement;
mod statistics;
mod street;

pub use enrichment::{
    EP_ONLINE_FILE, EnrichmentFiles, HEAT_FILE, INDICATORS_FILE, THREE_D_BAG_GPKG_FILE,
    THREE_D_BAG_JSONL_FILE, TREES_FILE,
};
pub use error::Error;
pub use generate::generate;
pub use options::{
    BAG_LIGHT_FILE, DEFAULT_ORIGIN_RD, GEMEENTECODE, GEMEENTENAAM, MAX_BUILDINGS, SampleOptions,
    SampleSummary, WIJKENBUURTEN_FILE, WOONPLAATS, default_extent_m,
};
