//! GeoPackage (OGC 12-128, version 1.3) in pure Rust: SQLite through rusqlite's bundled build, no GDAL.
//!
//! Reading ([`GeoPackage`]): open read-only, list the features layers from `gpkg_contents` and
//! `gpkg_geometry_columns`, stream rows in fid order with typed accessors ([`Feature`]); geometry
//! comes out as WKB with the GeoPackage header stripped, for [`domain::wkb`] to parse.
//!
//! Writing ([`GeoPackageWriter`]): a fresh file with the core tables, RD New among the spatial
//! reference systems, features layers with an R-tree spatial index, rows inserted in one
//! transaction. Used by the sample-data generator and tests.
//!
//! The blob codec ([`encode_blob`], [`decode_blob`], [`decode_header`]) is shared by both.

mod blob;
mod error;
mod feature;
mod layer_spec;
mod read;
mod schema;
mod write;

pub use blob::{BlobError, BlobHeader, Envelope, decode_blob, decode_header, encode_blob};
pub use error::GpkgError;
pub use feature::Feature;
pub use layer_spec::{ColumnType, FieldValue, GeometryKind, LayerSpec};
pub use read::{GeoPackage, LayerInfo};
pub use write::{GeoPackageWriter, LayerId};

/// An SQL identifier in double quotes, with embedded quotes doubled.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Layer names for messages: each cut to its start, and the first 20 of them.
pub(crate) fn layer_names(layers: &[LayerInfo]) -> String {
    const SHOWN: usize = 20;
    if layers.is_empty() {
        return "none".into();
    }
    let mut names: Vec<String> = layers
        .iter()
        .take(SHOWN)
        .map(|l| domain::excerpt(&l.name))
        .collect();
    if layers.len() > SHOWN {
        names.push(format!("and {} more", layers.len() - SHOWN));
    }
    names.join(", ")
}
