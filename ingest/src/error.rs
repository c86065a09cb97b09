//! Errors of the ingest crate. Every error names the file and, where there is one, the record.

use std::path::PathBuf;

/// What went wrong importing a source.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The coordinate transformation failed.
    #[error("projection: {0}")]
    Projection(String),
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is none of the formats this build reads.
    #[error("{path} is not {expected}: {found}")]
    UnknownFormat {
        /// The file.
        path: PathBuf,
        /// The formats it was checked against, as a phrase ("a GeoPackage, a BAG 2.0 extract or …").
        expected: String,
        /// What it is instead, as far as we could tell.
        found: String,
    },
    /// A zip file that cannot be opened as one: cut off (a download or copy that stopped early) or
    /// corrupt.
    #[error("{path}: the zip file is damaged or truncated ({reason})")]
    DamagedZip {
        /// The file.
        path: PathBuf,
        /// What the zip reader found.
        reason: String,
    },
    /// A GeoPackage has none of the layers the (detected or requested) format needs.
    #[error("{path} is not a {format}: it has no layer {wanted} (its layers: {found})")]
    MissingLayers {
        /// The file.
        path: PathBuf,
        /// The format that was expected.
        format: &'static str,
        /// The layers looked for.
        wanted: String,
        /// The layers it has, comma separated.
        found: String,
    },
    /// A layer whose coordinate reference system is neither RD New nor WGS84.
    #[error(
        "{path}, layer {layer}: unsupported coordinate reference system {srs} (expected EPSG:28992 RD New or EPSG:4326/CRS84)"
    )]
    UnsupportedCrs {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
        /// The CRS as the source names it (e.g. `srs_id 3857`).
        srs: String,
    },
    /// A layer lacks a column the importer cannot do without.
    #[error("{path}, layer {layer}: missing required column {column}")]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
        /// The column.
        column: String,
    },
    /// One record cannot be imported; the whole import is refused.
    #[error("{path}, layer {layer}, fid {fid}: {reason}")]
    InvalidRecord {
        /// The file.
        path: PathBuf,
        /// The layer (or object type).
        layer: String,
        /// The feature id (row id) in that layer.
        fid: i64,
        /// What is wrong with it.
        reason: String,
    },
    /// One line of a text source (an EP-Online CSV, a CityJSONSeq) cannot be imported; the whole
    /// import is refused.
    #[error("{path}{entry}, line {line}: {reason}")]
    InvalidLine {
        /// The file.
        path: PathBuf,
        /// `, entry NAME` for a file inside a zip, else empty.
        entry: String,
        /// The line (1-based).
        line: u64,
        /// What is wrong with it (values cut short).
        reason: String,
    },
    /// A source lacks the columns an importer cannot do without; the message lists those it has.
    #[error("{path}: {missing}; its columns are: {found}")]
    MissingColumns {
        /// The file.
        path: PathBuf,
        /// What is missing, as a phrase.
        missing: String,
        /// The columns it has, comma separated.
        found: String,
    },
    /// GDAL failed to open or read the source.
    #[cfg(feature = "gdal")]
    #[error("GDAL cannot read {path}: {source}")]
    Gdal {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: gdal::errors::GdalError,
    },
    /// The store refused the import.
    #[error("store: {0}")]
    Store(#[from] store::Error),
    /// Reading (or writing) a GeoPackage failed; the error names the file, layer and fid.
    #[error(transparent)]
    Gpkg(#[from] crate::gpkg::GpkgError),
    /// Reading a BAG 2.0 extract failed; the error names the file, zip entry and object.
    #[error(transparent)]
    BagXml(#[from] crate::bag_xml::BagXmlError),
}

/// Result with the ingest [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
