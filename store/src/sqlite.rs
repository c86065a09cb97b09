//! The embedded default store: one SQLite file in WAL mode.
//!
//! Writes are durable when they return (`synchronous = FULL`). Migrations are the numbered files in
//! `migrations/`, applied in order inside one transaction each and tracked in `PRAGMA user_version`.

mod accounts;
mod audit;
mod households;
mod observation_records;
pub(crate) mod observation_writer;
pub(crate) mod observations;
pub(crate) mod people;
mod reporters;
mod rows;
mod sessions;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use domain::{Address, Area, AreaRefs, Building};
use rusqlite::{Connection, OpenFlags, params};

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
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {sql}; PRAGMA user_version = {}; COMMIT;",
            i + 1
        ))
        .map_err(|source| Error::Open {
            path: path.to_path_buf(),
            source,
        })?;
    }
    Ok(())
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

    fn sources(&self) -> Result<Vec<SourceRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT key, kind, format, location, imported_at, buildings, addresses, areas FROM source ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            let kind: String = r.get(1)?;
            Ok(SourceRecord {
                info: SourceInfo {
                    key: r.get(0)?,
                    kind: if kind == "cbs" {
                        SourceKind::Cbs
                    } else {
                        SourceKind::Bag
                    },
                    format: r.get(2)?,
                    location: r.get(3)?,
                },
                imported_at: r.get(4)?,
                counts: Counts {
                    buildings: r.get(5)?,
                    addresses: r.get(6)?,
                    areas: r.get(7)?,
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
            for table in ["building", "address", "area"] {
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
            "UPDATE source SET buildings = ?2, addresses = ?3, areas = ?4 WHERE id = ?1",
            params![self.source_id, c.buildings, c.addresses, c.areas],
        )?;
        // Sources that lost all their rows to a newer source are forgotten.
        self.conn.execute(
            "DELETE FROM source WHERE id != ?1 AND NOT EXISTS (SELECT 1 FROM building WHERE source_id = source.id) \
             AND NOT EXISTS (SELECT 1 FROM address WHERE source_id = source.id) \
             AND NOT EXISTS (SELECT 1 FROM area WHERE source_id = source.id)",
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
