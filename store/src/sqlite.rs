//! The embedded default store: one SQLite file in WAL mode.
//!
//! Writes are durable when they return (`synchronous = FULL`). Migrations are the numbered files in
//! `migrations/`, applied in order inside one transaction each and tracked in `PRAGMA user_version`.

mod accounts;
pub(crate) mod assignments;
mod audit;
pub(crate) mod campaigns;
mod enrichment;
mod households;
mod observation_records;
pub(crate) mod observation_writer;
pub(crate) mod observations;
pub(crate) mod people;
mod reporters;
mod rows;
mod sessions;
pub(crate) mod talent;
pub(crate) mod urgency;
pub(crate) mod work;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use domain::{Address, Area, AreaRefs, Building, Building3d, EnergyLabel, Tree};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::{Counts, Error, ImportTx, Result, SourceInfo, SourceKind, SourceRecord, Store};

/// Page cache while importing, in KiB as `PRAGMA cache_size` takes it (negative).
const IMPORT_CACHE_KIB: i64 = -262_144;
/// Page cache otherwise.
const READ_CACHE_KIB: i64 = -16_384;

/// Migrations in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_registers.sql"),
    include_str!("../migrations/0002_people.sql"),
    include_str!("../migrations/0003_reports.sql"),
    include_str!("../migrations/0004_enrichment.sql"),
    include_str!("../migrations/0005_work.sql"),
    include_str!("../migrations/0006_assignments.sql"),
    include_str!("../migrations/0007_talent.sql"),
    include_str!("../migrations/0008_campaigns.sql"),
    include_str!("../migrations/0009_urgency.sql"),
    include_str!("../migrations/0010_password_links.sql"),
    include_str!("../migrations/0011_tree_targets.sql"),
    include_str!("../migrations/0012_install_secrets.sql"),
    include_str!("../migrations/0013_area_context.sql"),
];

/// The tables whose rows record their source, and which an import of that source replaces.
const SOURCED_TABLES: [&str; 6] = [
    "building",
    "address",
    "area",
    "building_3d",
    "energy_label",
    "tree",
];

/// An SQLite file as the store.
#[derive(Debug)]
pub struct SqliteStore {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let open_err = |source| Error::Open {
            path: path.clone(),
            source,
        };
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(open_err)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
             PRAGMA temp_store = MEMORY;",
        )
        .map_err(open_err)?;
        conn.execute_batch(&format!("PRAGMA cache_size = {READ_CACHE_KIB}"))
            .map_err(open_err)?;
        migrate(&conn, &path)?;
        Ok(Self {
            path,
            conn: Mutex::new(conn),
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll back),
        // so a poisoned lock is still usable.
        self.conn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A write transaction that takes the write lock at once (`BEGIN IMMEDIATE`), so that a busy store
/// makes it wait (busy timeout) instead of failing. A deferred transaction that reads first and then
/// writes cannot wait: SQLite answers "database is locked" at once when another connection wrote in
/// between (a snapshot cannot be upgraded), which a concurrent import or report batch makes likely.
pub(crate) fn write_tx(conn: &mut Connection) -> rusqlite::Result<rusqlite::Transaction<'_>> {
    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
}

fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(Error::TooNew {
            path: path.to_path_buf(),
            found: version,
            known,
        });
    }
    let open_err = |source| Error::Open {
        path: path.to_path_buf(),
        source,
    };
    // A migration may rebuild a table others refer to (SQLite's way to change a constraint): it
    // runs with foreign keys off, and commits only when every reference still resolves.
    conn.execute_batch("PRAGMA foreign_keys = OFF")
        .map_err(open_err)?;
    let result = MIGRATIONS
        .iter()
        .enumerate()
        .skip(version as usize)
        .try_for_each(|(i, sql)| apply(conn, sql, i + 1));
    if result.is_err() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    conn.execute_batch("PRAGMA foreign_keys = ON")
        .map_err(open_err)?;
    result.map_err(open_err)
}

/// Applies migration `sql`, bringing the schema to `version`, in one transaction.
fn apply(conn: &Connection, sql: &str, version: usize) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "BEGIN IMMEDIATE; {sql}; PRAGMA user_version = {version};"
    ))?;
    let dangling: Option<String> = conn
        .query_row(
            "SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(table) = dangling {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT),
            Some(format!(
                "migration {version} left rows of {table} referring to nothing"
            )),
        ));
    }
    conn.execute_batch("COMMIT")
}

/// Now as RFC 3339 UTC.
fn now_rfc3339() -> String {
    domain::rfc3339_utc(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    )
}

impl Store for SqliteStore {
    fn begin_import<'a>(&'a self, source: &SourceInfo) -> Result<Box<dyn ImportTx + 'a>> {
        let conn = self.lock();
        // A big page cache speeds up the index updates of a large import; reads (loading the model
        // once) stream and need little, and a large cache would stay in the server's memory.
        conn.execute_batch(&format!("PRAGMA cache_size = {IMPORT_CACHE_KIB}"))?;
        match conn.execute_batch("BEGIN IMMEDIATE") {
            Ok(()) => {}
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy =>
            {
                return Err(Error::Busy);
            }
            Err(e) => return Err(e.into()),
        }
        let mut tx = SqliteImport {
            conn,
            source_id: 0,
            done: false,
        };
        tx.source_id = tx.replace_source(source)?;
        Ok(Box::new(tx))
    }

    fn for_each_building(&self, f: &mut dyn FnMut(Building)) -> Result<()> {
        let conn = self.lock();
        let mut stmt = conn.prepare(rows::SELECT_BUILDINGS)?;
        let mut q = stmt.query([])?;
        while let Some(row) = q.next()? {
            f(rows::building(row)?);
        }
        Ok(())
    }

    fn for_each_address(&self, f: &mut dyn FnMut(Address)) -> Result<()> {
        let conn = self.lock();
        let mut stmt = conn.prepare(rows::SELECT_ADDRESSES)?;
        let mut q = stmt.query([])?;
        while let Some(row) = q.next()? {
            f(rows::address(row)?);
        }
        Ok(())
    }

    fn areas(&self) -> Result<Vec<Area>> {
        rows::all_areas(&self.lock())
    }

    fn for_each_building_3d(&self, f: &mut dyn FnMut(Building3d)) -> Result<()> {
        enrichment::for_each_building_3d(&self.lock(), f)
    }

    fn for_each_energy_label(&self, f: &mut dyn FnMut(EnergyLabel)) -> Result<()> {
        enrichment::for_each_energy_label(&self.lock(), f)
    }

    fn for_each_tree(&self, f: &mut dyn FnMut(Tree)) -> Result<()> {
        enrichment::for_each_tree(&self.lock(), f)
    }

    fn sources(&self) -> Result<Vec<SourceRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT key, kind, format, location, imported_at, buildings, addresses, areas, enrichment \
             FROM source ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            let kind: String = r.get(1)?;
            let kind = SourceKind::from_stored(&kind);
            let enrichment: u64 = r.get(8)?;
            let of = |k: SourceKind| if kind == k { enrichment } else { 0 };
            Ok(SourceRecord {
                info: SourceInfo {
                    key: r.get(0)?,
                    kind,
                    format: r.get(2)?,
                    location: r.get(3)?,
                },
                imported_at: r.get(4)?,
                counts: Counts {
                    buildings: r.get(5)?,
                    addresses: r.get(6)?,
                    areas: r.get(7)?,
                    buildings_3d: of(SourceKind::ThreeDBag),
                    energy_labels: of(SourceKind::EnergyLabels),
                    trees: of(SourceKind::Trees),
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn counts(&self) -> Result<Counts> {
        counts(&self.lock(), None)
    }

    fn building_status_counts(&self) -> Result<Vec<(String, u64)>> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare("SELECT status, count(*) FROM building GROUP BY status ORDER BY status")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn counts(conn: &Connection, source_id: Option<i64>) -> Result<Counts> {
    let count = |table: &str| -> Result<u64> {
        let n: u64 = match source_id {
            Some(id) => conn.query_row(
                &format!("SELECT count(*) FROM {table} WHERE source_id = ?1"),
                [id],
                |r| r.get(0),
            )?,
            None => conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?,
        };
        Ok(n)
    };
    Ok(Counts {
        buildings: count("building")?,
        addresses: count("address")?,
        areas: count("area")?,
        buildings_3d: count("building_3d")?,
        energy_labels: count("energy_label")?,
        trees: count("tree")?,
    })
}

/// An import holding the connection with an open `BEGIN IMMEDIATE` transaction.
struct SqliteImport<'a> {
    conn: MutexGuard<'a, Connection>,
    source_id: i64,
    done: bool,
}

impl SqliteImport<'_> {
    fn replace_source(&mut self, s: &SourceInfo) -> Result<i64> {
        let existing: Option<i64> = self
            .conn
            .query_row("SELECT id FROM source WHERE key = ?1", [&s.key], |r| {
                r.get(0)
            })
            .ok();
        let now = now_rfc3339();
        if let Some(id) = existing {
            enrichment::delete_roof_parts(&self.conn, id)?;
            for table in SOURCED_TABLES {
                self.conn
                    .execute(&format!("DELETE FROM {table} WHERE source_id = ?1"), [id])?;
            }
            self.conn.execute(
                "UPDATE source SET kind = ?2, format = ?3, location = ?4, imported_at = ?5 WHERE id = ?1",
                params![id, s.kind.as_str(), s.format, s.location, now],
            )?;
            Ok(id)
        } else {
            self.conn.execute(
                "INSERT INTO source (key, kind, format, location, imported_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![s.key, s.kind.as_str(), s.format, s.location, now],
            )?;
            Ok(self.conn.last_insert_rowid())
        }
    }
}

impl ImportTx for SqliteImport<'_> {
    fn put_building(&mut self, b: &Building) -> Result<()> {
        rows::put_building(&self.conn, self.source_id, b)
    }

    fn put_address(&mut self, a: &Address) -> Result<()> {
        rows::put_address(&self.conn, self.source_id, a)
    }

    fn put_area(&mut self, a: &Area) -> Result<()> {
        rows::put_area(&self.conn, self.source_id, a)
    }

    fn areas(&mut self) -> Result<Vec<Area>> {
        rows::all_areas(&self.conn)
    }

    fn put_building_3d(&mut self, b: &Building3d) -> Result<()> {
        enrichment::put_building_3d(&self.conn, self.source_id, b)
    }

    fn put_energy_label(&mut self, l: &EnergyLabel) -> Result<()> {
        enrichment::put_energy_label(&self.conn, self.source_id, l)
    }

    fn put_tree(&mut self, t: &Tree) -> Result<()> {
        enrichment::put_tree(&self.conn, self.source_id, t)
    }

    fn address_ids(&mut self) -> Result<Vec<u64>> {
        enrichment::address_ids(&self.conn)
    }

    fn building_ids(&mut self) -> Result<Vec<u64>> {
        enrichment::building_ids(&self.conn)
    }

    fn rejoin(
        &mut self,
        building: &mut dyn FnMut(&Building) -> AreaRefs,
        address: &mut dyn FnMut(&Address) -> AreaRefs,
    ) -> Result<u64> {
        rows::rejoin(&self.conn, building, address)
    }

    fn commit(mut self: Box<Self>) -> Result<Counts> {
        let c = counts(&self.conn, Some(self.source_id))?;
        self.conn.execute(
            "UPDATE source SET buildings = ?2, addresses = ?3, areas = ?4, enrichment = ?5 WHERE id = ?1",
            params![
                self.source_id,
                c.buildings,
                c.addresses,
                c.areas,
                c.buildings_3d + c.energy_labels + c.trees
            ],
        )?;
        // Sources that lost all their rows to a newer source are forgotten.
        let none_left: Vec<String> = SOURCED_TABLES
            .iter()
            .map(|t| format!("NOT EXISTS (SELECT 1 FROM {t} WHERE source_id = source.id)"))
            .collect();
        self.conn.execute(
            &format!(
                "DELETE FROM source WHERE id != ?1 AND {}",
                none_left.join(" AND ")
            ),
            [self.source_id],
        )?;
        self.conn.execute_batch("COMMIT")?;
        self.done = true;
        self.conn.execute_batch(&format!(
            "PRAGMA cache_size = {READ_CACHE_KIB}; PRAGMA shrink_memory;"
        ))?;
        Ok(c)
    }
}

impl Drop for SqliteImport<'_> {
    fn drop(&mut self) {
        if !self.done
            && let Err(e) = self.conn.execute_batch("ROLLBACK")
        {
            tracing::error!(error = %e, "rolling back an import failed");
        }
        if !self.done {
            let _ = self.conn.execute_batch(&format!(
                "PRAGMA cache_size = {READ_CACHE_KIB}; PRAGMA shrink_memory;"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use geo::{MultiPolygon, polygon};

    use super::*;

    /// A store made before the CBS context columns (schema 12) opens with its areas intact and
    /// the new figures missing; writing them afterwards keeps them.
    #[test]
    fn areas_stored_before_the_context_columns_load_without_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.sqlite");
        let square = MultiPolygon(vec![polygon![
            (x: 5.0, y: 52.0), (x: 5.01, y: 52.0), (x: 5.01, y: 52.01), (x: 5.0, y: 52.01), (x: 5.0, y: 52.0)
        ]]);
        {
            let conn = Connection::open(&path).unwrap();
            for (i, sql) in MIGRATIONS.iter().take(12).enumerate() {
                apply(&conn, sql, i + 1).unwrap();
            }
            conn.execute_batch(
                "INSERT INTO source (id, key, kind, format, location, imported_at) \
                 VALUES (1, 'cbs:w.gpkg', 'cbs', 'gpkg', 'w.gpkg', '2026-01-01T00:00:00Z')",
            )
            .unwrap();
            conn.execute(
                "INSERT INTO area (code, source_id, kind, name, residents, households, boundary) \
                 VALUES ('BU19990101', 1, 'buurt', 'Kern', 2000, 900, ?1)",
                [domain::wkb::write_multi_polygon(&square)],
            )
            .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let areas = store.areas().unwrap();
        assert_eq!(areas.len(), 1);
        let a = &areas[0];
        assert_eq!(
            (a.residents, a.households, a.share_65_plus, a.density),
            (Some(2_000), Some(900), None, None)
        );

        let mut tx = store
            .begin_import(&SourceInfo {
                key: "cbs:w.gpkg".into(),
                kind: SourceKind::Cbs,
                format: "gpkg".into(),
                location: "w.gpkg".into(),
            })
            .unwrap();
        let filled = Area {
            share_65_plus: Some(23),
            density: Some(1_349),
            ..a.clone()
        };
        tx.put_area(&filled).unwrap();
        tx.commit().unwrap();
        assert_eq!(store.areas().unwrap(), vec![filled]);
    }
}
