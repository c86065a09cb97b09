//! One row of a features layer, as [`GeoPackage::for_each_feature`](super::GeoPackage::for_each_feature)
//! hands it out: typed accessors that name the file, layer, fid and column when a value does not fit.

use std::path::Path;

use rusqlite::Row;
use rusqlite::types::ValueRef;

use super::GpkgError;
use super::blob::{decode_header, wkb_is_empty};

/// What a row needs to name itself in errors.
pub(crate) struct RowContext<'a> {
    pub(crate) path: &'a Path,
    pub(crate) layer: &'a str,
    /// The attribute columns selected, in order (index `i` of the accessors).
    pub(crate) columns: &'a [String],
}

/// One feature: its fid, geometry and the attribute columns asked for. Borrowed from the row
/// being read; copy out what must outlive the callback.
pub struct Feature<'a> {
    row: &'a Row<'a>,
    fid: i64,
    context: &'a RowContext<'a>,
}

/// Column 0 is the fid, column 1 the geometry; attributes follow.
const FIRST_ATTRIBUTE: usize = 2;

impl<'a> Feature<'a> {
    pub(crate) fn new(row: &'a Row<'a>, fid: i64, context: &'a RowContext<'a>) -> Self {
        Self { row, fid, context }
    }

    /// The feature id (the layer's integer primary key, or its rowid).
    pub fn fid(&self) -> i64 {
        self.fid
    }

    /// The geometry as WKB with the GeoPackage header stripped; `None` when NULL or empty.
    pub fn wkb(&self) -> Result<Option<&[u8]>, GpkgError> {
        let blob = match self.row.get_ref(1).map_err(|e| self.sqlite(e))? {
            ValueRef::Null => return Ok(None),
            ValueRef::Blob(b) => b,
            other => {
                return Err(
                    self.bad_geometry(format!("a {} value instead of a blob", type_name(other)))
                );
            }
        };
        let header = decode_header(blob).map_err(|e| self.bad_geometry(e.to_string()))?;
        let wkb = &blob[header.wkb_offset..];
        if header.empty || wkb_is_empty(wkb) {
            return Ok(None);
        }
        Ok(Some(wkb))
    }

    /// A TEXT value (`i` indexes the `columns` asked for); `None` when NULL. Any other storage
    /// class is an error, so that an integer identificatie that lost its leading zeros is noticed
    /// (read it with [`int`](Self::int) instead).
    pub fn text(&self, i: usize) -> Result<Option<String>, GpkgError> {
        match self.value(i)? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(t) => match std::str::from_utf8(t) {
                Ok(s) => Ok(Some(s.to_owned())),
                Err(e) => Err(self.bad_value(i, format!("text that is not UTF-8 ({e})"))),
            },
            other => Err(self.bad_value(i, format!("expected text, found {}", type_name(other)))),
        }
    }

    /// An integer; `None` when NULL or blank text. Accepts INTEGER, numeric TEXT (`" 12 "`,
    /// `"1990.0"`) and REAL without a fraction.
    pub fn int(&self, i: usize) -> Result<Option<i64>, GpkgError> {
        match self.value(i)? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(n) => Ok(Some(n)),
            ValueRef::Real(r) => real_to_int(r)
                .map(Some)
                .ok_or_else(|| self.bad_value(i, format!("{r} is not an integer"))),
            ValueRef::Text(t) => {
                let s = String::from_utf8_lossy(t);
                let s = s.trim();
                if s.is_empty() {
                    return Ok(None);
                }
                s.parse::<i64>()
                    .ok()
                    .or_else(|| s.parse::<f64>().ok().and_then(real_to_int))
                    .map(Some)
                    .ok_or_else(|| {
                        let s = domain::excerpt(s);
                        self.bad_value(i, format!("text {s:?} is not an integer"))
                    })
            }
            ValueRef::Blob(_) => {
                Err(self.bad_value(i, "expected an integer, found a blob".to_owned()))
            }
        }
    }

    /// A number; `None` when NULL or blank text. Accepts REAL, INTEGER and numeric TEXT.
    pub fn real(&self, i: usize) -> Result<Option<f64>, GpkgError> {
        match self.value(i)? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(n) => Ok(Some(n as f64)),
            ValueRef::Real(r) => Ok(Some(r)),
            ValueRef::Text(t) => {
                let s = String::from_utf8_lossy(t);
                let s = s.trim();
                if s.is_empty() {
                    return Ok(None);
                }
                s.parse::<f64>().map(Some).map_err(|_| {
                    let s = domain::excerpt(s);
                    self.bad_value(i, format!("text {s:?} is not a number"))
                })
            }
            ValueRef::Blob(_) => {
                Err(self.bad_value(i, "expected a number, found a blob".to_owned()))
            }
        }
    }

    fn value(&self, i: usize) -> Result<ValueRef<'a>, GpkgError> {
        if i >= self.context.columns.len() {
            return Err(self.bad_value(
                i,
                format!(
                    "column index {i} beyond the {} asked for",
                    self.context.columns.len()
                ),
            ));
        }
        self.row
            .get_ref(FIRST_ATTRIBUTE + i)
            .map_err(|e| self.sqlite(e))
    }

    fn sqlite(&self, source: rusqlite::Error) -> GpkgError {
        GpkgError::Sqlite {
            path: self.context.path.to_owned(),
            source,
        }
    }

    fn bad_geometry(&self, reason: String) -> GpkgError {
        GpkgError::BadGeometry {
            path: self.context.path.to_owned(),
            layer: self.context.layer.to_owned(),
            fid: self.fid,
            reason,
        }
    }

    fn bad_value(&self, i: usize, reason: String) -> GpkgError {
        GpkgError::BadValue {
            path: self.context.path.to_owned(),
            layer: self.context.layer.to_owned(),
            fid: self.fid,
            column: self
                .context
                .columns
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("#{i}")),
            reason,
        }
    }
}

fn real_to_int(r: f64) -> Option<i64> {
    // Beyond ±2^53 a double no longer holds every integer; such values are not counts or years.
    (r.fract() == 0.0 && r.abs() <= 9_007_199_254_740_992.0).then_some(r as i64)
}

fn type_name(v: ValueRef<'_>) -> &'static str {
    match v {
        ValueRef::Null => "NULL",
        ValueRef::Integer(_) => "integer",
        ValueRef::Real(_) => "real",
        ValueRef::Text(_) => "text",
        ValueRef::Blob(_) => "blob",
    }
}
