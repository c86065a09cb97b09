//! Errors of the sample-data generator.

use std::path::PathBuf;

/// Why a sample could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An option is out of range (the message says which and why).
    #[error("invalid sample options: {0}")]
    InvalidOptions(String),
    /// The buildings do not fit in the extent asked for.
    #[error(
        "buurt {buurt}: {buildings} buildings do not fit in {cell_m:.0} m × {cell_m:.0} m; \
         give a larger extent (or none, to have it sized for the number of buildings)"
    )]
    TooDense {
        /// The buurt code.
        buurt: String,
        /// Buildings it had to hold.
        buildings: u64,
        /// Its side.
        cell_m: f64,
    },
    /// The sequence part of the BAG ids (7 digits) ran out.
    #[error("more than 9,999,999 {what}: the sample's BAG ids have room for no more")]
    TooMany {
        /// `panden` or `verblijfsobjecten`.
        what: &'static str,
    },
    /// The output folder could not be created.
    #[error("cannot create {path}: {source}")]
    Io {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Writing a GeoPackage failed.
    #[error(transparent)]
    Gpkg(#[from] ingest::GpkgError),
}
