//! Errors of the GeoPackage reader and writer. Each names the file and, where there is one, the
//! layer and the feature id.

use std::path::PathBuf;

use super::blob::BlobError;

/// What went wrong reading or writing a GeoPackage.
#[derive(Debug, thiserror::Error)]
pub enum GpkgError {
    /// The file is not an SQLite database, or one without a `gpkg_contents` table.
    #[error("{} is not a GeoPackage", path.display())]
    NotAGeoPackage {
        /// The file.
        path: PathBuf,
    },
    /// The file is shorter than its SQLite header says: a copy or download was cut off.
    #[error("{} is truncated: its header promises {expected_bytes} bytes, the file has {actual_bytes}", path.display())]
    Truncated {
        /// The file.
        path: PathBuf,
        /// Page size × page count from the SQLite header.
        expected_bytes: u64,
        /// The file's length.
        actual_bytes: u64,
    },
    /// The file could not be opened, created or renamed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// SQLite failed on the file (corrupt page, locked file, full disk, …).
    #[error("{}: SQLite: {source}", path.display())]
    Sqlite {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: rusqlite::Error,
    },
    /// No features layer of that name (layer names compare case-insensitively).
    #[error("{}: no features layer {layer}", path.display())]
    MissingLayer {
        /// The file.
        path: PathBuf,
        /// The layer asked for.
        layer: String,
    },
    /// The layer has no column of that name.
    #[error("{}, layer {layer}: no column {column}", path.display())]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
        /// The column asked for.
        column: String,
    },
    /// A geometry blob that is not a valid GeoPackage geometry (or, when writing, whose envelope
    /// cannot be computed).
    #[error("{}, layer {layer}, fid {fid}: bad geometry: {reason}", path.display())]
    BadGeometry {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
        /// The feature id (when writing: the fid the row would have had).
        fid: i64,
        /// What is wrong.
        reason: String,
    },
    /// An attribute value of a type the accessor does not convert (e.g. `int` on `"12a"`).
    #[error("{}, layer {layer}, fid {fid}, column {column}: {reason}", path.display())]
    BadValue {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
        /// The feature id.
        fid: i64,
        /// The column.
        column: String,
        /// What was found instead.
        reason: String,
    },
    /// A geometry blob decoded on its own (no file or row to name) is invalid.
    #[error("bad GeoPackage geometry blob: {0}")]
    Blob(#[from] BlobError),
    /// The writer was asked to create a layer that exists already.
    #[error("{}: layer {layer} exists already", path.display())]
    LayerExists {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
    },
    /// The writer knows only the spatial reference systems it creates (-1, 0, 4326, 28992).
    #[error("{}, layer {layer}: srs_id {srs_id} is not defined in this GeoPackage", path.display())]
    UnknownSrs {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
        /// The srs_id asked for.
        srs_id: i32,
    },
    /// A row with more or fewer attribute values than the layer has columns.
    #[error("{}, layer {layer}: {found} values for {expected} columns", path.display())]
    FieldCount {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
        /// Columns of the layer.
        expected: usize,
        /// Values given.
        found: usize,
    },
    /// The callback of [`for_each_feature`](super::GeoPackage::for_each_feature) asked to stop
    /// early; returned to the caller as it is.
    #[error("stopped by the caller")]
    Stopped,
}
