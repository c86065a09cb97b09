//! Register files into wijkwerk's store (stage 1 of the data flow).
//!
//! The only crate that knows source formats and RD New. It must not serve, tile or keep state
//! between imports; it reads a file and writes domain values (WGS84) through [`store::Store`].
//!
//! Steps of one [`import`]:
//! 1. [`detect`] the format by content (`detect.rs`): GeoPackage → bag-light, 3DBAG or CBS by its
//!    layers; BAG 2.0 XML (file, folder or zip); a CityJSON header line; an EP-Online CSV (or a zip
//!    holding one); a shapefile (or a zip holding one); with the `gdal` feature anything else OGR
//!    opens;
//! 2. open **one** store transaction for the source (`import.rs`); its key is format + file name, so
//!    importing the same file again replaces what it brought;
//! 3. read the records: bag-light `pand`/`verblijfsobject` (`bag_light.rs`), BAG XML (`bag_xml/`),
//!    CBS `buurten`/`wijken`/`gemeenten` (`cbs.rs`), OGR layers by their fields (`gdal_source.rs`);
//!    the enrichment sources: 3DBAG per pand (`three_d_bag/`: CityJSONSeq and GeoPackage),
//!    EP-Online's energy labels (`ep_online/`, streamed), tree registers (`trees/`, shapefiles);
//!    GeoPackages through our own reader (`gpkg/`), in overlapping read → convert → write stages
//!    (`pipeline.rs`);
//! 4. check and convert each record to domain types and reproject RD New → WGS84 once per vertex
//!    (`rd.rs`, `crs.rs`), in parallel batches;
//! 5. join buildings and addresses to the smallest CBS area containing them (`join.rs`, `sink.rs`);
//!    after importing areas, join everything already stored again;
//! 6. commit, and return an [`ImportReport`]. Any error returns before the commit: the transaction
//!    is dropped, and the store is as it was.

mod bag_light;
mod bag_xml;
mod cbs;
mod crs;
mod detect;
mod ep_online;
mod error;
#[cfg(feature = "gdal")]
mod gdal_source;
mod gpkg;
mod import;
mod join;
mod lines;
mod pipeline;
mod progress;
mod rd;
#[cfg(test)]
#[path = "../tests/support/real_samples.rs"]
mod real_samples;
mod report;
mod sink;
mod three_d_bag;
mod trees;

pub use bag_xml::{
    BagSink, BagXmlError, BagXmlPart, BagXmlSummary, looks_like_bag_xml, read_bag_xml,
};
pub use detect::{SourceFormat, detect};
pub use error::{Error, Result};
pub use gpkg::{
    BlobError, BlobHeader, ColumnType, Envelope, Feature, FieldValue, GeoPackage, GeoPackageWriter,
    GeometryKind, GpkgError, LayerId, LayerInfo, LayerSpec, decode_blob, decode_header,
    encode_blob,
};
pub use import::{ImportOptions, import, source_key};
pub use join::AreaIndex;
pub use progress::{NoProgress, Progress};
pub use rd::{RD_NEW, RdToWgs84};
pub use report::ImportReport;
pub use trees::{ID_COLUMNS, SPECIES_COLUMNS, TreeColumns, YEAR_COLUMNS};
