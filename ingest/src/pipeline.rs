//! Reading a GeoPackage layer in three overlapping stages, so that a national file keeps both
//! cores busy:
//!
//! 1. a reader thread streams rows in fid order and copies the wanted values out ([`Extract`]);
//! 2. a converter thread turns each batch into domain values on the rayon pool (parse, validate,
//!    reproject; [`Convert`]);
//! 3. the calling thread writes the converted batches, in order, through `write` (the store
//!    transaction is not `Send`, so writing stays where the import began).
//!
//! Bounded channels keep at most a few batches in flight. The first error stops all stages: the
//! writer returns it, dropping its receiver; upstream sends then fail and the threads end.

use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use rayon::prelude::*;

use crate::gpkg::{Feature, GeoPackage, GpkgError, LayerInfo};
use crate::sink::BATCH;
use crate::{Error, Progress, Result};

/// Copies one row's values out of the GeoPackage (runs on the reader thread).
pub(crate) type Extract<R> = fn(&Feature<'_>, &[Option<usize>]) -> Result<R, GpkgError>;

/// What became of one record.
pub(crate) enum Outcome<T> {
    /// Converted.
    Keep(T),
    /// Left out, for the reason given (it becomes a warning in the report).
    Skip(String),
}

/// A converted batch: rows read, records kept, warnings for those left out.
type Converted<T> = (u64, Vec<T>, Vec<String>);

/// Batches in flight between two stages.
const IN_FLIGHT: usize = 2;

/// A layer to stream, and the columns to read from it.
pub(crate) struct LayerSource<'a> {
    /// The GeoPackage.
    pub(crate) path: &'a Path,
    /// The layer, as the file spells it.
    pub(crate) layer: &'a str,
    /// Which columns, and where each of the importer's fields is among them.
    pub(crate) plan: &'a ColumnPlan,
}

/// Streams `source` through `extract` → `convert` → `write`. `extract` gets each row and the
/// plan's slots (the index of each of the importer's fields among the columns read, `None` when absent).
/// `write` gets each batch's kept records and the warnings of those left out. Returns the number
/// of rows read.
pub(crate) fn run_layer<R, T, C, W>(
    source: &LayerSource<'_>,
    extract: Extract<R>,
    convert: C,
    mut write: W,
    progress: &dyn Progress,
) -> Result<u64>
where
    R: Send,
    T: Send,
    C: Fn(R) -> Result<Outcome<T>> + Sync,
    W: FnMut(Vec<T>, Vec<String>) -> Result<()>,
{
    std::thread::scope(|scope| {
        let (raw_tx, raw_rx) = sync_channel::<Vec<R>>(IN_FLIGHT);
        let (done_tx, done_rx) = sync_channel::<Result<Converted<T>>>(IN_FLIGHT);
        let reader = scope.spawn(move || read(source, extract, &raw_tx));
        let convert = &convert;
        scope.spawn(move || convert_batches(&raw_rx, &done_tx, convert));

        let mut rows = 0u64;
        for batch in done_rx {
            let (read, batch, skipped) = batch?;
            write(batch, skipped)?;
            rows += read;
            progress.advance(read);
        }
        // The converter is done: either the reader finished, or it failed and hung up.
        match reader.join() {
            Ok(Ok(()) | Err(ReadEnd::Stopped)) => Ok(rows),
            Ok(Err(ReadEnd::Gpkg(e))) => Err(e.into()),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Why the reader stopped early.
enum ReadEnd {
    /// The GeoPackage failed.
    Gpkg(GpkgError),
    /// Downstream hung up (it failed and reports its own error).
    Stopped,
}

fn read<R>(
    source: &LayerSource<'_>,
    extract: Extract<R>,
    out: &SyncSender<Vec<R>>,
) -> Result<(), ReadEnd> {
    let gpkg = GeoPackage::open(source.path).map_err(ReadEnd::Gpkg)?;
    let columns: Vec<&str> = source.plan.columns.iter().map(String::as_str).collect();
    let slots = &source.plan.slots;
    let mut batch = Vec::with_capacity(BATCH);
    let mut hung_up = false;
    let result = gpkg.for_each_feature(source.layer, &columns, &mut |f| {
        batch.push(extract(f, slots)?);
        if batch.len() >= BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if out.send(full).is_err() {
                hung_up = true;
                return Err(GpkgError::Stopped);
            }
        }
        Ok(())
    });
    if hung_up {
        return Err(ReadEnd::Stopped);
    }
    result.map_err(ReadEnd::Gpkg)?;
    if !batch.is_empty() && out.send(batch).is_err() {
        return Err(ReadEnd::Stopped);
    }
    Ok(())
}

fn convert_batches<R, T, C>(
    input: &Receiver<Vec<R>>,
    out: &SyncSender<Result<Converted<T>>>,
    convert: &C,
) where
    R: Send,
    T: Send,
    C: Fn(R) -> Result<Outcome<T>> + Sync,
{
    for raw in input {
        let read = raw.len() as u64;
        let converted: Result<Vec<Outcome<T>>> = raw.into_par_iter().map(convert).collect();
        let failed = converted.is_err();
        let split = converted.map(|outcomes| {
            let mut kept = Vec::with_capacity(outcomes.len());
            let mut skipped = Vec::new();
            for o in outcomes {
                match o {
                    Outcome::Keep(t) => kept.push(t),
                    Outcome::Skip(why) => skipped.push(why),
                }
            }
            (read, kept, skipped)
        });
        if out.send(split).is_err() || failed {
            return;
        }
    }
}

/// Whether an importer cannot do without a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// The import fails without it.
    Required,
    /// Left empty when the layer lacks it.
    Optional,
}

/// The columns to read from a layer, and where each field the importer wants ended up.
#[derive(Debug)]
pub(crate) struct ColumnPlan {
    /// Column names as the layer spells them, in read order.
    pub(crate) columns: Vec<String>,
    /// For each wanted field, its index in `columns`, or `None` if the layer lacks it.
    pub(crate) slots: Vec<Option<usize>>,
}

impl ColumnPlan {
    /// Matches `fields` (case-insensitively) against the layer's columns.
    pub(crate) fn new(path: &Path, layer: &LayerInfo, fields: &[(&str, Need)]) -> Result<Self> {
        let mut columns = Vec::new();
        let mut slots = Vec::with_capacity(fields.len());
        for (field, need) in fields {
            match layer
                .columns
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(field))
            {
                Some((name, _)) => {
                    slots.push(Some(columns.len()));
                    columns.push(name.clone());
                }
                None if *need == Need::Required => {
                    return Err(Error::MissingColumn {
                        path: path.to_owned(),
                        layer: layer.name.clone(),
                        column: (*field).to_owned(),
                    });
                }
                None => slots.push(None),
            }
        }
        Ok(Self { columns, slots })
    }
}

/// A text value, trimmed, `None` when absent, NULL or blank. Integer columns are read as their
/// decimal text.
pub(crate) fn text(f: &Feature<'_>, slot: Option<usize>) -> Result<Option<String>, GpkgError> {
    let Some(i) = slot else { return Ok(None) };
    let s = match f.text(i) {
        Ok(s) => s,
        Err(text_err) => match f.int(i) {
            Ok(n) => n.map(|n| n.to_string()),
            Err(_) => return Err(text_err),
        },
    };
    Ok(s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()))
}

/// A BAG identificatie as its 16-digit text, whether the column holds text or an integer (which
/// loses the leading zeros, restored here).
pub(crate) fn bag_id_text(
    f: &Feature<'_>,
    slot: Option<usize>,
) -> Result<Option<String>, GpkgError> {
    let Some(i) = slot else { return Ok(None) };
    match f.text(i) {
        Ok(s) => Ok(s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())),
        Err(text_err) => match f.int(i) {
            Ok(n) => Ok(n.map(|n| format!("{n:016}"))),
            Err(_) => Err(text_err),
        },
    }
}

/// An integer value; `None` when absent or NULL.
pub(crate) fn int(f: &Feature<'_>, slot: Option<usize>) -> Result<Option<i64>, GpkgError> {
    slot.map_or(Ok(None), |i| f.int(i))
}

/// The geometry as WKB, copied out of the row.
pub(crate) fn wkb(f: &Feature<'_>) -> Result<Option<Vec<u8>>, GpkgError> {
    Ok(f.wkb()?.map(<[u8]>::to_vec))
}
