//! One import: detect → open one store transaction → read, convert, join, write → commit.
//!
//! Any error returns before `commit`; the transaction is then dropped, which rolls it back, so a
//! failed import leaves the store exactly as it was. The source key is derived from the format and
//! the file's canonical name, so importing the same file again replaces what it brought before.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use domain::{Building, BuildingStatus};
use store::{Counts, ImportTx, SourceInfo, Store};

use crate::sink::StoreSink;
use crate::{
    AreaIndex, Error, Progress, RdToWgs84, Result, SourceFormat, bag_light, bag_xml, cbs, detect,
};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Read the source as this format instead of detecting it.
    pub format: Option<SourceFormat>,
}

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
    fn new(format: SourceFormat, source_key: String) -> Self {
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
    let mut report = ImportReport::new(format, key);
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
        elapsed_ms = report.elapsed.as_millis() as u64,
        "import committed"
    );
    Ok(report)
}

/// Gives every building and address in the store the areas it lies in now (after areas changed).
pub(crate) fn rejoin(tx: &mut dyn ImportTx, progress: &dyn Progress) -> Result<u64> {
    let areas = AreaIndex::new(&tx.areas()?);
    progress.phase("spatial join", None);
    let n = tx.rejoin(&mut |b| areas.building_refs(b), &mut |a| {
        areas.address_refs(a)
    })?;
    progress.advance(n);
    Ok(n)
}
