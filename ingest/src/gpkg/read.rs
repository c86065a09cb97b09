//! Opening a GeoPackage read-only, listing its features layers and streaming their rows.

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::feature::{Feature, RowContext};
use super::{GpkgError, quote_ident};

/// A features layer as `gpkg_contents` and `gpkg_geometry_columns` describe it.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerInfo {
    /// Table name, as the file spells it.
    pub name: String,
    /// The geometry column (usually `geom` or `geometry`).
    pub geometry_column: String,
    /// The declared geometry type, upper case as stored (`MULTIPOLYGON`, `POINT`, `GEOMETRY`, …).
    pub geometry_type: String,
    /// The spatial reference system id (see `gpkg_spatial_ref_sys`; 28992 is RD New).
    pub srs_id: i32,
    /// Attribute columns (name, declared type) in table order, without the fid and geometry columns.
    pub columns: Vec<(String, String)>,
    /// The integer primary key column (`fid` by convention), `None` when the table has none and
    /// rows are read by SQLite rowid.
    pub fid_column: Option<String>,
    /// The layer's bounds from `gpkg_contents` as `[min_x, min_y, max_x, max_y]`, when recorded.
    pub bounds: Option<[f64; 4]>,
}

/// A GeoPackage opened read-only. Reading never writes next to the file: no journal, WAL or
/// shared-memory side files are created.
#[derive(Debug)]
pub struct GeoPackage {
    conn: Connection,
    path: PathBuf,
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

impl GeoPackage {
    /// Opens `path` read-only.
    ///
    /// Fails with [`GpkgError::NotAGeoPackage`] when the file is no SQLite database or has no
    /// `gpkg_contents` table, and with [`GpkgError::Truncated`] when it is shorter than its header says.
    pub fn open(path: &Path) -> Result<Self, GpkgError> {
        let io = |source| GpkgError::Io {
            path: path.to_owned(),
            source,
        };
        let not_gpkg = || GpkgError::NotAGeoPackage {
            path: path.to_owned(),
        };
        let mut file = std::fs::File::open(path).map_err(io)?;
        let actual_bytes = file.metadata().map_err(io)?.len();
        let mut header = [0u8; 100];
        if file.read_exact(&mut header).is_err() || &header[..16] != SQLITE_MAGIC {
            return Err(not_gpkg());
        }
        drop(file);
        if let Some(expected_bytes) = promised_size(&header)
            && actual_bytes < expected_bytes
        {
            return Err(GpkgError::Truncated {
                path: path.to_owned(),
                expected_bytes,
                actual_bytes,
            });
        }

        let sqlite = |source| GpkgError::Sqlite {
            path: path.to_owned(),
            source,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        // A WAL-mode file needs a -shm file beside it even to be read; when no -wal file is
        // pending, everything is in the main file, and opening it immutable reads it without one.
        let wal_mode = header[18] == 2 && header[19] == 2;
        let conn = if wal_mode && !side_file(path, "-wal").exists() {
            Connection::open_with_flags(immutable_uri(path), flags | OpenFlags::SQLITE_OPEN_URI)
        } else {
            Connection::open_with_flags(path, flags)
        }
        .map_err(sqlite)?;
        let has_contents = conn
            .query_row(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_contents'",
                [],
                |_| Ok(()),
            )
            .optional();
        match has_contents {
            Ok(Some(())) => Ok(Self {
                conn,
                path: path.to_owned(),
            }),
            Ok(None) => Err(not_gpkg()),
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
                Err(not_gpkg())
            }
            Err(e) => Err(sqlite(e)),
        }
    }

    /// The file this GeoPackage was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn sqlite_error(&self, source: rusqlite::Error) -> GpkgError {
        GpkgError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// The features layers, by table name.
    pub fn layers(&self) -> Result<Vec<LayerInfo>, GpkgError> {
        self.query_layers(None)
    }

    /// One features layer by name (compared case-insensitively, as SQLite compares table names).
    pub fn layer(&self, name: &str) -> Result<Option<LayerInfo>, GpkgError> {
        Ok(self.query_layers(Some(name))?.into_iter().next())
    }

    fn query_layers(&self, name: Option<&str>) -> Result<Vec<LayerInfo>, GpkgError> {
        if !self.has_table("gpkg_geometry_columns")? {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare(
                "SELECT c.table_name, g.column_name, upper(g.geometry_type_name), g.srs_id,
                        c.min_x, c.min_y, c.max_x, c.max_y
                 FROM gpkg_contents c JOIN gpkg_geometry_columns g ON lower(g.table_name) = lower(c.table_name)
                 WHERE lower(c.data_type) = 'features' AND (?1 IS NULL OR lower(c.table_name) = lower(?1))
                 ORDER BY c.table_name",
            )
            .map_err(|e| self.sqlite_error(e))?;
        let rows = stmt
            .query_map([name], |r| {
                let bounds = match (r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?) {
                    (Some(a), Some(b), Some(c), Some(d)) => Some([a, b, c, d]),
                    _ => None,
                };
                Ok(LayerInfo {
                    name: r.get(0)?,
                    geometry_column: r.get(1)?,
                    geometry_type: r.get(2)?,
                    srs_id: r.get(3)?,
                    columns: Vec::new(),
                    fid_column: None,
                    bounds,
                })
            })
            .and_then(Iterator::collect::<rusqlite::Result<Vec<_>>>)
            .map_err(|e| self.sqlite_error(e))?;
        rows.into_iter()
            .map(|layer| self.with_columns(layer))
            .collect()
    }

    fn has_table(&self, name: &str) -> Result<bool, GpkgError> {
        self.conn
            .query_row(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [name],
                |_| Ok(()),
            )
            .optional()
            .map(|o| o.is_some())
            .map_err(|e| self.sqlite_error(e))
    }

    fn with_columns(&self, mut layer: LayerInfo) -> Result<LayerInfo, GpkgError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid")
            .map_err(|e| self.sqlite_error(e))?;
        let table: Vec<(String, String, i64)> = stmt
            .query_map([&layer.name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(Iterator::collect)
            .map_err(|e| self.sqlite_error(e))?;
        let primary_keys = table.iter().filter(|c| c.2 > 0).count();
        for (name, declared, pk) in table {
            if primary_keys == 1 && pk == 1 && declared.eq_ignore_ascii_case("INTEGER") {
                layer.fid_column = Some(name);
            } else if !name.eq_ignore_ascii_case(&layer.geometry_column) {
                layer.columns.push((name, declared));
            }
        }
        Ok(layer)
    }

    fn require_layer(&self, layer: &str) -> Result<LayerInfo, GpkgError> {
        self.layer(layer)?.ok_or_else(|| GpkgError::MissingLayer {
            path: self.path.clone(),
            layer: layer.to_owned(),
        })
    }

    /// The number of rows in a layer.
    pub fn count(&self, layer: &str) -> Result<u64, GpkgError> {
        let info = self.require_layer(layer)?;
        let sql = format!("SELECT count(*) FROM {}", quote_ident(&info.name));
        let n: i64 = self
            .conn
            .query_row(&sql, [], |r| r.get(0))
            .map_err(|e| self.sqlite_error(e))?;
        Ok(n.max(0) as u64)
    }

    /// Streams rows in fid order; `columns` are the attribute columns wanted, in that order
    /// (matched case-insensitively), read with [`Feature::text`], [`Feature::int`] and
    /// [`Feature::real`] by their index in `columns`.
    ///
    /// An error returned by `f` stops the scan and is returned as it is ([`GpkgError::Stopped`]
    /// is there for callbacks that simply want to stop).
    pub fn for_each_feature(
        &self,
        layer: &str,
        columns: &[&str],
        f: &mut dyn FnMut(&Feature<'_>) -> Result<(), GpkgError>,
    ) -> Result<(), GpkgError> {
        let info = self.require_layer(layer)?;
        let mut names = Vec::with_capacity(columns.len());
        for wanted in columns {
            let found = info
                .columns
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(wanted));
            let Some((name, _)) = found else {
                return Err(GpkgError::MissingColumn {
                    path: self.path.clone(),
                    layer: info.name.clone(),
                    column: (*wanted).to_owned(),
                });
            };
            names.push(name.clone());
        }
        let fid = info
            .fid_column
            .as_deref()
            .map_or_else(|| "rowid".to_owned(), quote_ident);
        let mut select = vec![fid.clone(), quote_ident(&info.geometry_column)];
        select.extend(names.iter().map(|n| quote_ident(n)));
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {fid}",
            select.join(", "),
            quote_ident(&info.name)
        );

        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.sqlite_error(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.sqlite_error(e))?;
        let context = RowContext {
            path: &self.path,
            layer: &info.name,
            columns: &names,
        };
        while let Some(row) = rows.next().map_err(|e| self.sqlite_error(e))? {
            let fid: i64 = row.get(0).map_err(|e| self.sqlite_error(e))?;
            f(&Feature::new(row, fid, &context))?;
        }
        Ok(())
    }
}

/// The database size the header promises, when the header's size field is valid (it is when the
/// "version-valid-for" number equals the change counter, as SQLite ≥ 3.7.0 writes it).
fn promised_size(header: &[u8; 100]) -> Option<u64> {
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    let pages = u64::from(be32(28));
    (pages > 0 && be32(24) == be32(92)).then_some(page_size * pages)
}

fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// A `file:` URI opening `path` read-only and immutable (percent-encoding what URIs reserve).
fn immutable_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'%' | b'?' | b'#' | b' ' | 0x80.. => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                uri.push('%');
                uri.push(char::from(HEX[usize::from(b >> 4)]));
                uri.push(char::from(HEX[usize::from(b & 0xF)]));
            }
            _ => uri.push(b as char),
        }
    }
    uri.push_str("?mode=ro&immutable=1");
    uri
}

#[cfg(test)]
#[path = "read_tests.rs"]
mod tests;
