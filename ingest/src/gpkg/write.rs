//! Writing a fresh GeoPackage 1.3 with features layers, fast: one transaction, prepared statements,
//! no journal, and the R-tree spatial index filled from the envelopes computed on the way in.
//!
//! The file is written as `<path>.part` and renamed to `path` by [`GeoPackageWriter::finish`], so a
//! failed or abandoned write never leaves a half-written GeoPackage under the real name (the
//! `.part` file is removed when the writer is dropped unfinished).
//!
//! The R-tree (`rtree_<table>_<geom>`, registered in `gpkg_extensions`) is filled by the writer
//! itself from the envelopes it computes. The standard's triggers that keep it current under later
//! edits are created by [`GeoPackageWriter::finish`], after the last insert: they call `ST_*` SQL
//! functions that GDAL registers and plain SQLite lacks, so they must not fire on our own inserts.
//! (Editing the finished file with plain SQLite therefore fails, as it does for GDAL's files.)

use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};

use super::blob::encode_blob_into;
use super::layer_spec::{FieldValue, LayerSpec};
use super::schema::{
    APPLICATION_ID, CORE_TABLES, RTREE_DEFINITION, RTREE_EXTENSION, SPATIAL_REF_SYS, USER_VERSION,
};
use super::{GpkgError, quote_ident};

/// A layer created by [`GeoPackageWriter::create_layer`], to insert into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayerId(usize);

#[derive(Debug)]
struct LayerState {
    name: String,
    /// The integer primary key column (`fid` unless told otherwise).
    key: String,
    srs_id: i32,
    columns: usize,
    insert_sql: String,
    rtree_sql: String,
    /// `[min_x, min_y, max_x, max_y]` of everything inserted.
    bounds: Option<[f64; 4]>,
    /// The fid of the last row inserted (0 before the first).
    last_fid: i64,
}

/// Removes the `.part` file unless the write finished.
#[derive(Debug)]
struct PartFile {
    path: PathBuf,
    done: bool,
}

impl Drop for PartFile {
    fn drop(&mut self) {
        if !self.done {
            // Best effort: an abandoned write leaves nothing behind.
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Writes a new GeoPackage: [`create`](Self::create), [`create_layer`](Self::create_layer),
/// [`insert`](Self::insert) rows, [`finish`](Self::finish).
///
/// ```
/// use ingest::{ColumnType, FieldValue, GeoPackage, GeoPackageWriter, GeometryKind, LayerSpec};
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("points_epsg28992.gpkg");
/// let mut w = GeoPackageWriter::create(&path).unwrap();
/// let layer = w.create_layer(&LayerSpec {
///     name: "places", geometry: GeometryKind::Point, srs_id: 28992,
///     columns: &[("naam", ColumnType::Text)], description: "",
/// }).unwrap();
/// let wkb = domain::wkb::write_point(&geo::Point::new(155_000.0, 463_000.0));
/// w.insert(layer, Some(&wkb), &[FieldValue::Text("Amersfoort")]).unwrap();
/// w.finish().unwrap();
/// assert_eq!(GeoPackage::open(&path).unwrap().count("places").unwrap(), 1);
/// ```
#[derive(Debug)]
pub struct GeoPackageWriter {
    // Declared before `part` so that the connection closes before an unfinished file is removed.
    conn: Connection,
    path: PathBuf,
    layers: Vec<LayerState>,
    blob: Vec<u8>,
    last_change: Option<String>,
    part: PartFile,
}

impl GeoPackageWriter {
    /// Starts a new GeoPackage that [`finish`](Self::finish) puts at `path`, replacing any file there.
    pub fn create(path: &Path) -> Result<Self, GpkgError> {
        let mut part_name = path.as_os_str().to_owned();
        part_name.push(".part");
        let part = PartFile {
            path: PathBuf::from(part_name),
            done: false,
        };
        match std::fs::remove_file(&part.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(GpkgError::Io {
                    path: part.path.clone(),
                    source: e,
                });
            }
            _ => {}
        }
        let sqlite = |source| GpkgError::Sqlite {
            path: path.to_owned(),
            source,
        };
        let conn = Connection::open(&part.path).map_err(sqlite)?;
        conn.execute_batch(&format!(
            "PRAGMA page_size = 4096;
             PRAGMA application_id = {APPLICATION_ID};
             PRAGMA user_version = {USER_VERSION};
             PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             PRAGMA locking_mode = EXCLUSIVE;
             PRAGMA cache_size = -65536;
             BEGIN;
             {CORE_TABLES}"
        ))
        .map_err(sqlite)?;
        {
            let mut srs = conn
                .prepare("INSERT INTO gpkg_spatial_ref_sys VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .map_err(sqlite)?;
            for r in SPATIAL_REF_SYS {
                srs.execute(params![
                    r.name,
                    r.srs_id,
                    r.organization,
                    r.code,
                    r.definition,
                    r.description
                ])
                .map_err(sqlite)?;
            }
        }
        Ok(Self {
            conn,
            path: path.to_owned(),
            layers: Vec::new(),
            blob: Vec::new(),
            last_change: None,
            part,
        })
    }

    /// The path the GeoPackage will have once finished.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Sets `gpkg_contents.last_change` of every layer (ISO 8601, e.g. `2024-01-01T00:00:00.000Z`)
    /// instead of the time of writing, so that the same input gives the same bytes.
    pub fn set_last_change(&mut self, timestamp: &str) {
        self.last_change = Some(timestamp.to_owned());
    }

    fn sqlite(&self, source: rusqlite::Error) -> GpkgError {
        GpkgError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Creates a features layer with its R-tree spatial index.
    pub fn create_layer(&mut self, spec: &LayerSpec<'_>) -> Result<LayerId, GpkgError> {
        self.create_layer_keyed(spec, "fid")
    }

    /// Creates a features layer whose integer primary key is `key` instead of `fid` (3DBAG's
    /// `lod22_2d` has a `fid` column of its own that refers to layer `pand`).
    pub fn create_layer_keyed(
        &mut self,
        spec: &LayerSpec<'_>,
        key: &str,
    ) -> Result<LayerId, GpkgError> {
        if self
            .layers
            .iter()
            .any(|l| l.name.eq_ignore_ascii_case(spec.name))
        {
            return Err(GpkgError::LayerExists {
                path: self.path.clone(),
                layer: spec.name.to_owned(),
            });
        }
        if !SPATIAL_REF_SYS.iter().any(|s| s.srs_id == spec.srs_id) {
            return Err(GpkgError::UnknownSrs {
                path: self.path.clone(),
                layer: spec.name.to_owned(),
                srs_id: spec.srs_id,
            });
        }
        let table = quote_ident(spec.name);
        let rtree = quote_ident(&format!("rtree_{}_geom", spec.name));
        let mut defs = vec![
            format!(
                "{} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL",
                quote_ident(key)
            ),
            format!("\"geom\" {}", spec.geometry.as_str()),
        ];
        defs.extend(
            spec.columns
                .iter()
                .map(|(name, ty)| format!("{} {}", quote_ident(name), ty.as_str())),
        );
        let mut names = vec![quote_ident("geom")];
        names.extend(spec.columns.iter().map(|(name, _)| quote_ident(name)));
        let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
        let ddl = format!(
            "CREATE TABLE {table} ({});
             CREATE VIRTUAL TABLE {rtree} USING rtree(id, minx, maxx, miny, maxy);",
            defs.join(", ")
        );
        let insert_sql = format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            names.join(", "),
            placeholders.join(", ")
        );
        self.conn.execute_batch(&ddl).map_err(|e| self.sqlite(e))?;
        self.conn
            .execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
                 VALUES (?1, 'features', ?1, ?2, ?3)",
                params![spec.name, spec.description, spec.srs_id],
            )
            .and_then(|_| {
                self.conn.execute(
                    "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, ?3, 0, 0)",
                    params![spec.name, spec.geometry.as_str(), spec.srs_id],
                )
            })
            .and_then(|_| {
                self.conn.execute(
                    "INSERT INTO gpkg_extensions VALUES (?1, 'geom', ?2, ?3, 'write-only')",
                    params![spec.name, RTREE_EXTENSION, RTREE_DEFINITION],
                )
            })
            .map_err(|e| self.sqlite(e))?;
        self.layers.push(LayerState {
            name: spec.name.to_owned(),
            key: key.to_owned(),
            srs_id: spec.srs_id,
            columns: spec.columns.len(),
            insert_sql,
            rtree_sql: format!("INSERT INTO {rtree} VALUES (?1, ?2, ?3, ?4, ?5)"),
            bounds: None,
            last_fid: 0,
        });
        Ok(LayerId(self.layers.len() - 1))
    }

    /// Inserts a row; returns its fid. `wkb` is the geometry (`None` for NULL); its envelope is
    /// computed here, which [`domain::wkb`] can do for points and (multi)polygons. `fields` follow
    /// the layer's columns in order.
    pub fn insert(
        &mut self,
        layer: LayerId,
        wkb: Option<&[u8]>,
        fields: &[FieldValue<'_>],
    ) -> Result<i64, GpkgError> {
        let envelope = match wkb.map(wkb_envelope) {
            None => None,
            Some(Ok(e)) => e,
            Some(Err(reason)) => {
                let state = &self.layers[layer.0];
                return Err(GpkgError::BadGeometry {
                    path: self.path.clone(),
                    layer: state.name.clone(),
                    fid: state.last_fid + 1,
                    reason,
                });
            }
        };
        self.insert_with_envelope(layer, wkb, envelope, fields)
    }

    /// [`insert`](Self::insert) with the envelope `[min_x, min_y, max_x, max_y]` given by the
    /// caller, who knows it already (it must be right: the R-tree is filled from it). `None` means
    /// the geometry is NULL or empty and is left out of the index.
    pub fn insert_with_envelope(
        &mut self,
        layer: LayerId,
        wkb: Option<&[u8]>,
        envelope: Option<[f64; 4]>,
        fields: &[FieldValue<'_>],
    ) -> Result<i64, GpkgError> {
        let Self {
            conn,
            path,
            layers,
            blob,
            ..
        } = self;
        let sqlite = |source| GpkgError::Sqlite {
            path: path.clone(),
            source,
        };
        let state = &mut layers[layer.0];
        if fields.len() != state.columns {
            return Err(GpkgError::FieldCount {
                path: path.clone(),
                layer: state.name.clone(),
                expected: state.columns,
                found: fields.len(),
            });
        }
        let mut insert = conn.prepare_cached(&state.insert_sql).map_err(sqlite)?;
        match wkb {
            Some(w) => {
                // Points go without an envelope in the blob, as GDAL writes them: it is the point.
                let is_point = domain::wkb::geometry_type(w) == Ok(1);
                let in_blob = envelope.filter(|_| !is_point);
                encode_blob_into(blob, state.srs_id, w, in_blob);
                insert.raw_bind_parameter(1, &blob[..])
            }
            None => insert.raw_bind_parameter(1, rusqlite::types::Null),
        }
        .map_err(sqlite)?;
        for (i, v) in fields.iter().enumerate() {
            insert.raw_bind_parameter(i + 2, v).map_err(sqlite)?;
        }
        insert.raw_execute().map_err(sqlite)?;
        let fid = conn.last_insert_rowid();
        state.last_fid = fid;
        if let (Some(e), Some(_)) = (envelope, wkb) {
            let mut rtree = conn.prepare_cached(&state.rtree_sql).map_err(sqlite)?;
            rtree
                .execute(params![fid, e[0], e[2], e[1], e[3]])
                .map_err(sqlite)?;
            state.bounds = Some(match state.bounds {
                None => e,
                Some(b) => [
                    b[0].min(e[0]),
                    b[1].min(e[1]),
                    b[2].max(e[2]),
                    b[3].max(e[3]),
                ],
            });
        }
        Ok(fid)
    }

    /// Records each layer's bounds in `gpkg_contents`, commits and moves the file into place.
    pub fn finish(self) -> Result<(), GpkgError> {
        let Self {
            conn,
            path,
            layers,
            last_change,
            mut part,
            ..
        } = self;
        let sqlite = |source| GpkgError::Sqlite {
            path: path.clone(),
            source,
        };
        for l in &layers {
            let [min_x, min_y, max_x, max_y] = match l.bounds {
                Some(b) => b.map(Some),
                None => [None; 4],
            };
            conn.execute(
                "UPDATE gpkg_contents SET min_x = ?1, min_y = ?2, max_x = ?3, max_y = ?4 WHERE table_name = ?5",
                params![min_x, min_y, max_x, max_y, l.name],
            )
            .map_err(sqlite)?;
        }
        // The standard's triggers that keep the R-tree current under later edits, created last so
        // that our own inserts (which fill the R-tree directly) do not fire them: they call ST_*
        // functions that GDAL provides and plain SQLite lacks.
        let triggers: String = layers
            .iter()
            .map(|l| rtree_triggers(&l.name, &l.key))
            .collect();
        conn.execute_batch(&triggers).map_err(sqlite)?;
        if let Some(ts) = &last_change {
            conn.execute("UPDATE gpkg_contents SET last_change = ?1", [ts])
                .map_err(sqlite)?;
        }
        conn.execute_batch("COMMIT").map_err(sqlite)?;
        conn.close().map_err(|(_, e)| sqlite(e))?;
        std::fs::rename(&part.path, &path).map_err(|source| GpkgError::Io {
            path: path.clone(),
            source,
        })?;
        part.done = true;
        Ok(())
    }
}

/// The six triggers of the R-tree extension (GeoPackage 1.3, Annex F.3) for `table`.`geom`, whose
/// primary key is `key`.
fn rtree_triggers(table: &str, key: &str) -> String {
    let t = quote_ident(table);
    let k = quote_ident(key);
    let r = quote_ident(&format!("rtree_{table}_geom"));
    let name = |suffix: &str| quote_ident(&format!("rtree_{table}_geom_{suffix}"));
    let bounds = "ST_MinX(NEW.\"geom\"), ST_MaxX(NEW.\"geom\"), ST_MinY(NEW.\"geom\"), ST_MaxY(NEW.\"geom\")";
    let present = "NEW.\"geom\" NOTNULL AND NOT ST_IsEmpty(NEW.\"geom\")";
    let absent = "NEW.\"geom\" ISNULL OR ST_IsEmpty(NEW.\"geom\")";
    format!(
        "CREATE TRIGGER {insert} AFTER INSERT ON {t} WHEN ({present})
         BEGIN INSERT OR REPLACE INTO {r} VALUES (NEW.{k}, {bounds}); END;
         CREATE TRIGGER {update1} AFTER UPDATE OF \"geom\" ON {t} WHEN OLD.{k} = NEW.{k} AND ({present})
         BEGIN INSERT OR REPLACE INTO {r} VALUES (NEW.{k}, {bounds}); END;
         CREATE TRIGGER {update2} AFTER UPDATE OF \"geom\" ON {t} WHEN OLD.{k} = NEW.{k} AND ({absent})
         BEGIN DELETE FROM {r} WHERE id = OLD.{k}; END;
         CREATE TRIGGER {update3} AFTER UPDATE ON {t} WHEN OLD.{k} != NEW.{k} AND ({present})
         BEGIN DELETE FROM {r} WHERE id = OLD.{k}; INSERT OR REPLACE INTO {r} VALUES (NEW.{k}, {bounds}); END;
         CREATE TRIGGER {update4} AFTER UPDATE ON {t} WHEN OLD.{k} != NEW.{k} AND ({absent})
         BEGIN DELETE FROM {r} WHERE id IN (OLD.{k}, NEW.{k}); END;
         CREATE TRIGGER {delete} AFTER DELETE ON {t} WHEN OLD.\"geom\" NOT NULL
         BEGIN DELETE FROM {r} WHERE id = OLD.{k}; END;\n",
        insert = name("insert"),
        update1 = name("update1"),
        update2 = name("update2"),
        update3 = name("update3"),
        update4 = name("update4"),
        delete = name("delete"),
    )
}

/// `[min_x, min_y, max_x, max_y]` of a point or (multi)polygon; `None` when it is empty.
fn wkb_envelope(wkb: &[u8]) -> Result<Option<[f64; 4]>, String> {
    let code = domain::wkb::geometry_type(wkb).map_err(|e| e.to_string())?;
    match code {
        1 => {
            let p = domain::wkb::read_point(wkb).map_err(|e| e.to_string())?;
            Ok((!p.x().is_nan() && !p.y().is_nan()).then(|| [p.x(), p.y(), p.x(), p.y()]))
        }
        3 | 6 => {
            let mp = domain::wkb::read_multi_polygon(wkb).map_err(|e| e.to_string())?;
            let mut bounds: Option<[f64; 4]> = None;
            for c in mp.0.iter().flat_map(|p| p.exterior().0.iter()) {
                bounds = Some(match bounds {
                    None => [c.x, c.y, c.x, c.y],
                    Some(b) => [b[0].min(c.x), b[1].min(c.y), b[2].max(c.x), b[3].max(c.y)],
                });
            }
            Ok(bounds)
        }
        other => Err(format!(
            "WKB geometry type {other}: the writer computes envelopes of points and (multi)polygons only; \
             pass the envelope with insert_with_envelope"
        )),
    }
}

#[cfg(test)]
#[path = "write_tests.rs"]
mod tests;
