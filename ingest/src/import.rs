//! One import: detect → open one store transaction → read, convert, join, write → commit.
//!
//! Any error returns before `commit`; the transaction is then dropped, which rolls it back, so a
//! failed import leaves the store exactly as it was. The source key is derived from the format and
//! the file's canonical name, so importing the same file again replaces what it brought before.

use std::path::Path;
use std::time::Instant;

use store::{SourceInfo, Store};

use crate::join::rejoin;
use crate::report::ImportReport;
use crate::sink::StoreSink;
use crate::trees::TreeColumns;
use crate::{
    AreaIndex, Error, Progress, RdToWgs84, Result, SourceFormat, bag_light, bag_xml, cbs, detect,
    ep_online, three_d_bag, trees,
};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Read the source as this format instead of detecting it.
    pub format: Option<SourceFormat>,
    /// The columns of a tree register, where they are not among the built-in names.
    pub tree_columns: TreeColumns,
}

/// The stable key of a source: format and canonical file (or folder) name, e.g.
/// `bag-light:bag-light.gpkg`.
pub fn source_key(format: SourceFormat, path: &Path) -> Result<String> {
    let canonical = path.canonicalize().map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let name = canonical
        .file_name()
        .map_or_else(|| canonical.to_string_lossy(), |n| n.to_string_lossy());
    Ok(format!("{}:{name}", format.as_str()))
}

/// Imports `path` into `store` in one transaction: detect, read, reproject, join, write, commit.
pub fn import(
    path: &Path,
    store: &dyn Store,
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    let started = Instant::now();
    let format = match options.format {
        Some(f) => f,
        None => detect(path)?,
    };
    let key = source_key(format, path)?;
    let kind = match format {
        #[cfg(feature = "gdal")]
        SourceFormat::Ogr => crate::gdal_source::source_kind(path)?,
        _ => format.kind(),
    };
    let info = SourceInfo {
        key: key.clone(),
        kind,
        format: format.description().to_owned(),
        location: path.display().to_string(),
    };
    let rd = RdToWgs84::new()?;
    let mut report = ImportReport::new(format, key.clone());
    tracing::info!(path = %path.display(), %format, key = %report.source_key, "import started");

    let mut tx = store.begin_import(&info)?;
    match format {
        SourceFormat::BagLightGpkg => {
            let areas = AreaIndex::new(&tx.areas()?);
            let mut sink = StoreSink::new(&mut *tx, &areas, &mut report);
            bag_light::import(path, &rd, &mut sink, progress)?;
        }
        SourceFormat::BagXml => {
            let areas = AreaIndex::new(&tx.areas()?);
            let mut sink = StoreSink::new(&mut *tx, &areas, &mut report);
            let summary = bag_xml::read_bag_xml(path, &rd, progress, &mut sink)?;
            sink.finish()?;
            for warning in summary.warnings {
                report.skip(warning);
            }
        }
        SourceFormat::CbsGpkg => {
            let none = AreaIndex::new(&[]);
            let mut sink = StoreSink::new(&mut *tx, &none, &mut report);
            cbs::import(path, &rd, &mut sink, progress)?;
            report.rejoined = rejoin(&mut *tx, progress)?;
        }
        SourceFormat::ThreeDBagCityJson => {
            three_d_bag::import_cityjson(path, &mut *tx, &mut report, progress)?;
        }
        SourceFormat::ThreeDBagGpkg => {
            three_d_bag::import_gpkg(path, &mut *tx, &mut report, progress)?;
        }
        SourceFormat::EpOnline => {
            ep_online::import(path, &mut *tx, &mut report, progress)?;
        }
        SourceFormat::TreeRegister => {
            trees::import(
                path,
                &key,
                &options.tree_columns,
                &rd,
                &mut *tx,
                &mut report,
                progress,
            )?;
        }
        #[cfg(feature = "gdal")]
        SourceFormat::Ogr => {
            crate::gdal_source::import(path, &rd, &mut *tx, &mut report, progress)?;
        }
    }
    report.stored = tx.commit()?;
    report.elapsed = started.elapsed();
    tracing::info!(
        key = %report.source_key,
        buildings = report.buildings,
        addresses = report.addresses,
        areas = report.areas,
        buildings_3d = report.buildings_3d,
        energy_labels = report.energy_labels,
        trees = report.trees,
        elapsed_ms = report.elapsed.as_millis() as u64,
        "import committed"
    );
    Ok(report)
}
