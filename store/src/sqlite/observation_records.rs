//! Observation rows as the people side reads them (one address's observations, contests), and the row shape the observation queries share. Part of [`SqliteStore`]; every write is one statement or one transaction, durable
//! when it returns (WAL, `synchronous = FULL`).

use rusqlite::{OptionalExtension, params};

use super::SqliteStore;
use super::people::{OBSERVATION_COLUMNS, observation_row};
use crate::Result;
use crate::people::{ContestRecord, NewObservation, ObservationRecord};

impl SqliteStore {
    // ----- observations ---------------------------------------------------------------------

    /// Stores an observation; durable when it returns.
    pub fn insert_observation(&self, o: &NewObservation, now: i64) -> Result<i64> {
        let conn = self.lock();
        let pending = super::observation_writer::PendingObservation {
            observation: o.clone(),
            type_version: 1,
            tree_id: None,
            pii_suspected: false,
            idempotency_key: None,
        };
        super::observation_writer::insert_row(&conn, &pending, now)?;
        Ok(conn.last_insert_rowid())
    }

    /// One observation.
    pub fn observation_record(&self, id: i64) -> Result<Option<ObservationRecord>> {
        Ok(self
            .lock()
            .query_row(
                &format!("SELECT {OBSERVATION_COLUMNS} FROM observations WHERE id = ?1"),
                [id],
                observation_row,
            )
            .optional()?)
    }

    /// Observations about an address or the buildings it lies in, newest first.
    pub fn observations_about(
        &self,
        address_id: u64,
        building_ids: &[u64],
    ) -> Result<Vec<ObservationRecord>> {
        let conn = self.lock();
        let mut out = Vec::new();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {OBSERVATION_COLUMNS} FROM observations WHERE address_id = ?1 \
             OR (address_id IS NULL AND building_id = ?2) ORDER BY observed_at DESC, id DESC"
        ))?;
        let mut seen = std::collections::HashSet::new();
        for b in building_ids.iter().copied().map(Some).chain([None]) {
            if b.is_none() && !building_ids.is_empty() {
                break;
            }
            for r in stmt.query_map(params![address_id, b], observation_row)? {
                let r = r?;
                if seen.insert(r.id) {
                    out.push(r);
                }
            }
        }
        out.sort_by_key(|o| std::cmp::Reverse((o.observation.observed_at, o.id)));
        Ok(out)
    }

    /// Every visible observation of a type, for aggregates: (observation, address or building key).
    pub fn observations_of_type(&self, kind: &str) -> Result<Vec<ObservationRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {OBSERVATION_COLUMNS} FROM observations WHERE type = ?1 AND status <> 'hidden' ORDER BY id"
        ))?;
        let rows = stmt.query_map([kind], observation_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Closes an observation (resolved or rejected) at `now`.
    pub fn close_observation(
        &self,
        id: i64,
        status: domain::observations::ObservationStatus,
        now: i64,
    ) -> Result<bool> {
        Ok(self.lock().execute(
            "UPDATE observations SET status = ?2, closed_at = ?3 WHERE id = ?1",
            params![id, status.as_str(), now],
        )? == 1)
    }

    /// Records a contest by a verified resident.
    pub fn add_contest(
        &self,
        observation_id: i64,
        user_id: i64,
        address_id: u64,
        reason: &str,
        now: i64,
    ) -> Result<i64> {
        let conn = self.lock();
        conn.execute(
            "INSERT INTO contests (observation_id, user_id, address_id, reason, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![observation_id, user_id, address_id, reason, now],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// Contests about an address.
    pub fn contests_of_address(&self, address_id: u64) -> Result<Vec<ContestRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT id, observation_id, address_id, reason, status, created_at FROM contests \
             WHERE address_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([address_id], |r| {
            Ok(ContestRecord {
                id: r.get(0)?,
                observation_id: r.get(1)?,
                address_id: r.get(2)?,
                reason: r.get(3)?,
                status: r.get(4)?,
                created_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
