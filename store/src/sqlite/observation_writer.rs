//! The group-commit writer of observations: one connection, one transaction per batch, a savepoint
//! per observation, idempotency keys in the same transaction.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::people::NewObservation;
use crate::{Error, Result};

/// A report waiting to be written, with what the people module's `NewObservation` does not carry.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingObservation {
    /// The observation.
    pub observation: NewObservation,
    /// Version of its type.
    pub type_version: u32,
    /// Tree register id (greenery).
    pub tree_id: Option<String>,
    /// Free text looks like it holds personal data.
    pub pii_suspected: bool,
    /// Idempotency key sent by the client.
    pub idempotency_key: Option<String>,
}

/// Outcome of writing one pending report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// The report's id.
    pub id: i64,
    /// True when the idempotency key was seen before: `id` is the earlier report, nothing new.
    pub replayed: bool,
}

/// One write the group-commit writer takes: a new report, or a confirmation of an open report by
/// another reporter (a repeat report that is stored as a confirmation).
#[derive(Debug, Clone, PartialEq)]
pub enum PendingWrite {
    /// A new report.
    Report(PendingObservation),
    /// A confirmation of report `id` by `reporter_id`.
    Confirmation {
        /// The report confirmed.
        id: i64,
        /// Who confirms it.
        reporter_id: i64,
    },
}

/// Outcome of one [`PendingWrite`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    /// The report, written (or replayed).
    Report(Written),
    /// Whether the confirmation was added (false: the reporter confirmed already, or it is theirs).
    Confirmed(bool),
}

/// Writes reports in batches: one transaction (one fsync with `synchronous = FULL`) per batch, so
/// many concurrent reports cost one disk flush, and every report of a batch is durable when
/// [`write_batch`](Self::write_batch) returns. It has its own connection to the store's file.
#[derive(Debug)]
pub struct ObservationWriter {
    conn: Connection,
}

impl ObservationWriter {
    /// Opens a writer on the store at `path` (the schema must be current: open the store first).
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| Error::Open {
            path: path.to_path_buf(),
            source,
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
        )?;
        Ok(Self { conn })
    }

    /// Writes `batch` in one transaction. Each report gets its own savepoint, so one bad report
    /// (e.g. an unknown reporter) fails alone and the others are written.
    pub fn write_batch(
        &mut self,
        batch: &[PendingObservation],
        now: i64,
    ) -> Result<Vec<Result<Written>>> {
        let writes: Vec<PendingWrite> = batch.iter().cloned().map(PendingWrite::Report).collect();
        Ok(self
            .write_mixed(&writes, now)?
            .into_iter()
            .map(|r| {
                r.map(|o| match o {
                    WriteOutcome::Report(w) => w,
                    WriteOutcome::Confirmed(_) => unreachable!("only reports were written"),
                })
            })
            .collect())
    }

    /// Writes reports and confirmations in one transaction (one fsync), each in its own
    /// savepoint, so one that fails fails alone.
    pub fn write_mixed(
        &mut self,
        batch: &[PendingWrite],
        now: i64,
    ) -> Result<Vec<Result<WriteOutcome>>> {
        // IMMEDIATE: take the write lock up front, so a busy store makes us wait (busy_timeout)
        // instead of failing when the first read would have to upgrade to a write.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut out = Vec::with_capacity(batch.len());
        for w in batch {
            let p = match w {
                PendingWrite::Report(p) => p,
                PendingWrite::Confirmation { id, reporter_id } => {
                    out.push(confirm(&tx, *id, *reporter_id, now).map(WriteOutcome::Confirmed));
                    continue;
                }
            };
            let one = (|| -> Result<Written> {
                let sp = tx.unchecked_transaction_savepoint()?;
                let o = &p.observation;
                if let Some(key) = &p.idempotency_key {
                    let seen: Option<i64> = sp
                        .prepare_cached(
                            "SELECT observation_id FROM idempotency_keys WHERE reporter_id = ?1 AND key = ?2",
                        )?
                        .query_row(params![o.reporter_id, key], |r| r.get(0))
                        .optional()?;
                    if let Some(id) = seen {
                        return Ok(Written { id, replayed: true });
                    }
                }
                insert_row(&sp, p, now)?;
                let id = sp.last_insert_rowid();
                if let Some(key) = &p.idempotency_key {
                    sp.prepare_cached(
                        "INSERT INTO idempotency_keys (reporter_id, key, observation_id, created_at) \
                         VALUES (?1, ?2, ?3, ?4)",
                    )?
                    .execute(params![o.reporter_id, key, id, now])?;
                }
                sp.commit()?;
                Ok(Written {
                    id,
                    replayed: false,
                })
            })();
            out.push(one.map(WriteOutcome::Report));
        }
        tx.commit()?;
        Ok(out)
    }
}

/// A confirmation of report `id` by `reporter_id`, in its own savepoint: not of one's own report,
/// once per reporter; the first one moves a new report to confirmed.
fn confirm(tx: &rusqlite::Transaction<'_>, id: i64, reporter_id: i64, now: i64) -> Result<bool> {
    let sp = tx.unchecked_transaction_savepoint()?;
    let own: bool = sp
        .prepare_cached("SELECT reporter_id = ?2 FROM observations WHERE id = ?1")?
        .query_row(params![id, reporter_id], |r| r.get(0))
        .optional()?
        .unwrap_or(true);
    if own {
        return Ok(false);
    }
    let n = sp
        .prepare_cached(
            "INSERT OR IGNORE INTO confirmations (observation_id, reporter_id, at) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, reporter_id, now])?;
    if n == 1 {
        sp.prepare_cached(
            "UPDATE observations SET status = 'confirmed' WHERE id = ?1 AND status = 'new'",
        )?
        .execute([id])?;
    }
    sp.commit()?;
    Ok(n == 1)
}

/// Savepoints on a shared borrow of a transaction (rusqlite's `savepoint` needs `&mut`).
trait SavepointExt {
    fn unchecked_transaction_savepoint(&self) -> rusqlite::Result<Savepoint<'_>>;
}

/// A savepoint that rolls back unless committed.
struct Savepoint<'a> {
    conn: &'a Connection,
    done: bool,
}

impl std::ops::Deref for Savepoint<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Savepoint<'_> {
    fn commit(mut self) -> rusqlite::Result<()> {
        self.done = true;
        self.conn.execute_batch("RELEASE report")
    }
}

impl Drop for Savepoint<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self
                .conn
                .execute_batch("ROLLBACK TO report; RELEASE report");
        }
    }
}

impl SavepointExt for rusqlite::Transaction<'_> {
    fn unchecked_transaction_savepoint(&self) -> rusqlite::Result<Savepoint<'_>> {
        self.execute_batch("SAVEPOINT report")?;
        Ok(Savepoint {
            conn: self,
            done: false,
        })
    }
}

/// Inserts one observation row (status `new`), in whatever transaction `conn` is in; the new id is
/// the connection's `last_insert_rowid`.
pub(super) fn insert_row(
    conn: &Connection,
    p: &PendingObservation,
    now: i64,
) -> rusqlite::Result<usize> {
    let o = &p.observation;
    conn.prepare_cached(
        "INSERT INTO observations (type, building_id, address_id, lon, lat, buurtcode, \
         observed_at, created_at, source, reporter_id, answers, type_version, tree_id, \
         pii_suspected, status) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 'new')",
    )?
    .execute(params![
        o.kind,
        o.building_id,
        o.address_id,
        o.lonlat[0],
        o.lonlat[1],
        o.buurtcode,
        o.observed_at,
        now,
        o.source,
        o.reporter_id,
        o.answers,
        p.type_version,
        p.tree_id,
        p.pii_suspected,
    ])
}
