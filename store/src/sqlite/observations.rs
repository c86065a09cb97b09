//! Observations in [`SqliteStore`]: reading them, confirmations, flags, photos, moderation and
//! observation types (schema in `migrations/0003_reports.sql`); the group-commit writer is in
//! `observation_writer.rs`.

use domain::observations::ObservationStatus;
use rusqlite::{OptionalExtension, Row, params};

use super::SqliteStore;
use crate::people::NewObservation;
use crate::{Error, Result};

/// A stored report with everything the API shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// Id.
    pub id: i64,
    /// The observation.
    pub observation: NewObservation,
    /// Type version.
    pub type_version: u32,
    /// Tree register id.
    pub tree_id: Option<String>,
    /// Stored at.
    pub created_at: i64,
    /// Last changed by its reporter.
    pub updated_at: Option<i64>,
    /// `new`, `confirmed`, `resolved`, `rejected`, `hidden`, `withdrawn`, `merged`.
    pub status: ObservationStatus,
    /// Closed at (resolved, rejected, withdrawn, merged).
    pub closed_at: Option<i64>,
    /// Free text looked like personal data.
    pub pii_suspected: bool,
    /// Merged into that report.
    pub merged_into: Option<i64>,
    /// Split off that report.
    pub split_from: Option<i64>,
    /// Other reporters who confirmed it.
    pub confirmations: u32,
    /// Abuse flags.
    pub flags: u32,
    /// Photo ids.
    pub photos: Vec<i64>,
    /// Its reporter signed in with an account (an e-mail address or a staff login), rather than a
    /// device session that costs nothing to make: only such reporters count towards k-anonymity
    /// thresholds and abuse flags (docs/privacy.md, "Cheap identities").
    pub accountable: bool,
}

const FULL_COLUMNS: &str = "o.id, o.type, o.building_id, o.address_id, o.lon, o.lat, o.buurtcode, \
     o.observed_at, o.created_at, o.source, o.reporter_id, o.status, o.closed_at, o.answers, \
     o.type_version, o.tree_id, o.updated_at, o.pii_suspected, o.merged_into, o.split_from, \
     (SELECT count(*) FROM confirmations c WHERE c.observation_id = o.id), \
     (SELECT count(*) FROM flags f WHERE f.observation_id = o.id), \
     (SELECT group_concat(p.id) FROM photos p WHERE p.observation_id = o.id), \
     EXISTS (SELECT 1 FROM reporters rp WHERE rp.id = o.reporter_id AND rp.user_id IS NOT NULL)";

/// A report row: the observation's columns in the order of `observation_row`, then its own.
fn full_row(r: &Row<'_>) -> rusqlite::Result<Observation> {
    let photos: Option<String> = r.get(22)?;
    let base = super::people::observation_row(r)?;
    Ok(Observation {
        id: base.id,
        observation: base.observation,
        created_at: base.created_at,
        status: base.status,
        closed_at: base.closed_at,
        type_version: r.get(14)?,
        tree_id: r.get(15)?,
        updated_at: r.get(16)?,
        pii_suspected: r.get(17)?,
        merged_into: r.get(18)?,
        split_from: r.get(19)?,
        confirmations: r.get(20)?,
        flags: r.get(21)?,
        photos: photos
            .map(|s| s.split(',').filter_map(|p| p.parse().ok()).collect())
            .unwrap_or_default(),
        accountable: r.get(23)?,
    })
}

impl SqliteStore {
    fn observations_where(
        &self,
        clause: &str,
        p: impl rusqlite::Params,
    ) -> Result<Vec<Observation>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {FULL_COLUMNS} FROM observations o WHERE {clause} ORDER BY o.id"
        ))?;
        let rows = stmt.query_map(p, full_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One report.
    pub fn observation(&self, id: i64) -> Result<Option<Observation>> {
        Ok(self
            .observations_where("o.id = ?1", [id])?
            .into_iter()
            .next())
    }

    /// Observations that are on the map: not closed, not hidden (for the in-memory index at start).
    pub fn live_observations(&self) -> Result<Vec<Observation>> {
        self.observations_where(
            "o.status NOT IN ('resolved', 'rejected', 'withdrawn', 'merged', 'hidden')",
            [],
        )
    }

    /// Every report of one reporter, newest first.
    pub fn observations_of_reporter(&self, reporter_id: i64) -> Result<Vec<Observation>> {
        let mut v = self.observations_where("o.reporter_id = ?1", [reporter_id])?;
        v.reverse();
        Ok(v)
    }

    /// Observations about a building (or any of its addresses), oldest first.
    pub fn observations_of_building(
        &self,
        building_id: u64,
        address_ids: &[u64],
    ) -> Result<Vec<Observation>> {
        let mut v = self.observations_where("o.building_id = ?1", [building_id])?;
        for a in address_ids {
            for r in self.observations_where(
                "o.address_id = ?1 AND (o.building_id IS NULL OR o.building_id <> ?2)",
                params![a, building_id],
            )? {
                v.push(r);
            }
        }
        v.sort_by_key(|r| (r.observation.observed_at, r.id));
        Ok(v)
    }

    /// The moderation queue: flagged, hidden by flags, or free text that looks like personal data.
    pub fn moderation_queue(&self) -> Result<Vec<Observation>> {
        self.observations_where(
            "o.status NOT IN ('resolved', 'rejected', 'withdrawn', 'merged') AND \
             (o.pii_suspected = 1 OR o.status = 'hidden' OR EXISTS (SELECT 1 FROM flags f WHERE f.observation_id = o.id))",
            [],
        )
    }

    /// Changes answers and observed time, by its reporter, while the report is open. False when it
    /// is not theirs or is closed.
    pub fn update_report(
        &self,
        id: i64,
        reporter_id: i64,
        answers: &str,
        observed_at: i64,
        pii_suspected: bool,
        now: i64,
    ) -> Result<bool> {
        Ok(self.lock().execute(
            "UPDATE observations SET answers = ?3, observed_at = ?4, pii_suspected = ?5, updated_at = ?6 \
             WHERE id = ?1 AND reporter_id = ?2 AND status IN ('new', 'confirmed')",
            params![id, reporter_id, answers, observed_at, pii_suspected, now],
        )? == 1)
    }

    /// Sets a report's status if it now has one of `from` (closing statuses also set
    /// `closed_at`); logs who did it. Setting `new` on a report that other residents confirmed
    /// gives it `confirmed` back (an unhidden report keeps its confirmations). False when the
    /// report is missing or in another status.
    pub fn set_observation_status(
        &self,
        id: i64,
        from: &[ObservationStatus],
        status: ObservationStatus,
        actor: &str,
        now: i64,
    ) -> Result<bool> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let closes = status.is_closed();
        let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
        let n = tx.execute(
            "UPDATE observations SET \
               status = CASE WHEN ?2 = 'new' AND EXISTS \
                   (SELECT 1 FROM confirmations WHERE observation_id = ?1) THEN 'confirmed' ELSE ?2 END, \
               closed_at = CASE WHEN ?3 THEN ?4 ELSE NULL END \
             WHERE id = ?1 AND instr(',' || ?5 || ',', ',' || status || ',') > 0",
            params![id, status.as_str(), closes, now, from.join(",")],
        )?;
        if n == 1 {
            tx.execute(
                "INSERT INTO moderation_log (observation_id, actor, action, at) VALUES (?1, ?2, ?3, ?4)",
                params![id, actor, status.as_str(), now],
            )?;
        }
        tx.commit()?;
        Ok(n == 1)
    }

    /// A moderator releases a report's free text that looked like personal data: others see it
    /// from now on. False when there was nothing to release (or no such report). Logged.
    pub fn release_free_text(&self, id: i64, actor: &str, now: i64) -> Result<bool> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let n = tx.execute(
            "UPDATE observations SET pii_suspected = 0 WHERE id = ?1 AND pii_suspected = 1",
            [id],
        )?;
        if n == 1 {
            tx.execute(
                "INSERT INTO moderation_log (observation_id, actor, action, at) \
                 VALUES (?1, ?2, 'free_text_released', ?3)",
                params![id, actor, now],
            )?;
        }
        tx.commit()?;
        Ok(n == 1)
    }

    /// Adds a confirmation by another reporter. False when they confirmed already or it is theirs.
    pub fn add_confirmation(&self, id: i64, reporter_id: i64, now: i64) -> Result<bool> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let own: bool = tx
            .query_row(
                "SELECT reporter_id = ?2 FROM observations WHERE id = ?1",
                params![id, reporter_id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(true);
        if own {
            return Ok(false);
        }
        let n = tx.execute(
            "INSERT OR IGNORE INTO confirmations (observation_id, reporter_id, at) VALUES (?1, ?2, ?3)",
            params![id, reporter_id, now],
        )?;
        if n == 1 {
            tx.execute(
                "UPDATE observations SET status = 'confirmed' WHERE id = ?1 AND status = 'new'",
                [id],
            )?;
        }
        tx.commit()?;
        Ok(n == 1)
    }

    /// Adds an abuse flag; hides the report when it reaches `hide_at` flags from reporters with an
    /// account. Returns the flag count (all flags).
    pub fn add_flag(
        &self,
        id: i64,
        reporter_id: i64,
        reason: &str,
        hide_at: u32,
        now: i64,
    ) -> Result<u32> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        tx.execute(
            "INSERT OR IGNORE INTO flags (observation_id, reporter_id, reason, at) VALUES (?1, ?2, ?3, ?4)",
            params![id, reporter_id, reason, now],
        )?;
        let n: u32 = tx.query_row(
            "SELECT count(*) FROM flags WHERE observation_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        // Only flags from reporters with an account hide a report: device sessions cost nothing
        // to make, so their flags go to the moderation queue but cannot silence a report alone.
        let accountable: u32 = tx.query_row(
            "SELECT count(*) FROM flags f JOIN reporters rp ON rp.id = f.reporter_id \
             WHERE f.observation_id = ?1 AND rp.user_id IS NOT NULL",
            [id],
            |r| r.get(0),
        )?;
        if accountable >= hide_at {
            let hidden = tx.execute(
                "UPDATE observations SET status = 'hidden' WHERE id = ?1 AND status IN ('new', 'confirmed')",
                [id],
            )?;
            if hidden == 1 {
                tx.execute(
                    "INSERT INTO moderation_log (observation_id, actor, action, detail, at) \
                     VALUES (?1, 'system', 'hidden', ?2, ?3)",
                    params![id, format!("{n} flags"), now],
                )?;
            }
        }
        tx.commit()?;
        Ok(n)
    }

    /// Merges report `id` into `into`: `id` closes as `merged`, its reporter and confirmers become
    /// confirmations of `into`. False when either is missing or they are the same.
    pub fn merge_observations(&self, id: i64, into: i64, actor: &str, now: i64) -> Result<bool> {
        if id == into {
            return Ok(false);
        }
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let reporters: Vec<i64> = {
            let mut stmt = tx.prepare(
                "SELECT reporter_id FROM observations WHERE id = ?1 \
                 UNION SELECT reporter_id FROM confirmations WHERE observation_id = ?1",
            )?;
            stmt.query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let target_reporter: Option<i64> = tx
            .query_row(
                "SELECT reporter_id FROM observations WHERE id = ?1",
                [into],
                |r| r.get(0),
            )
            .optional()?;
        let Some(target_reporter) = target_reporter else {
            return Ok(false);
        };
        if reporters.is_empty() {
            return Ok(false);
        }
        for r in reporters.into_iter().filter(|r| *r != target_reporter) {
            tx.execute(
                "INSERT OR IGNORE INTO confirmations (observation_id, reporter_id, at, via_merge_of) VALUES (?1, ?2, ?3, ?4)",
                params![into, r, now, id],
            )?;
        }
        tx.execute(
            "UPDATE observations SET status = 'merged', closed_at = ?2, merged_into = ?3 WHERE id = ?1",
            params![id, now, into],
        )?;
        tx.execute(
            "UPDATE observations SET status = 'confirmed' WHERE id = ?1 AND status = 'new'",
            [into],
        )?;
        tx.execute(
            "INSERT INTO moderation_log (observation_id, actor, action, detail, at) VALUES (?1, ?2, 'merge', ?3, ?4)",
            params![id, actor, format!("into {into}"), now],
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// Splits a new report off `id` with other answers (same place, reporter and time; provenance
    /// in `split_from`). Returns the new id.
    pub fn split_observation(
        &self,
        id: i64,
        answers: &str,
        actor: &str,
        now: i64,
    ) -> Result<Option<i64>> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let n = tx.execute(
            "INSERT INTO observations (type, building_id, address_id, lon, lat, buurtcode, observed_at, \
             created_at, source, reporter_id, answers, type_version, tree_id, split_from, status) \
             SELECT type, building_id, address_id, lon, lat, buurtcode, observed_at, ?2, source, \
             reporter_id, ?3, type_version, tree_id, id, 'new' FROM observations WHERE id = ?1",
            params![id, now, answers],
        )?;
        if n == 0 {
            return Ok(None);
        }
        let new_id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO moderation_log (observation_id, actor, action, detail, at) VALUES (?1, ?2, 'split', ?3, ?4)",
            params![id, actor, format!("into {new_id}"), now],
        )?;
        tx.commit()?;
        Ok(Some(new_id))
    }

    /// Stores a photo of a report unless it has `max` already. Returns its id, or `None` when full.
    pub fn add_photo(
        &self,
        observation_id: i64,
        jpeg: &[u8],
        width: u32,
        height: u32,
        max: u32,
        now: i64,
    ) -> Result<Option<i64>> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let n: u32 = tx.query_row(
            "SELECT count(*) FROM photos WHERE observation_id = ?1",
            [observation_id],
            |r| r.get(0),
        )?;
        if n >= max {
            return Ok(None);
        }
        tx.execute(
            "INSERT INTO photos (observation_id, jpeg, width, height, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![observation_id, jpeg, width, height, now],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(Some(id))
    }

    /// A photo: (observation id, JPEG bytes).
    pub fn photo(&self, id: i64) -> Result<Option<(i64, Vec<u8>)>> {
        Ok(self
            .lock()
            .query_row(
                "SELECT observation_id, jpeg FROM photos WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Observation types added by admins: (name, version, definition JSON), oldest first.
    pub fn observation_types(&self) -> Result<Vec<(String, u32, String)>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT name, version, definition FROM observation_types ORDER BY name, version",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stores a type definition; [`Error::Conflict`] when that name and version exist.
    pub fn add_observation_type(
        &self,
        name: &str,
        version: u32,
        definition: &str,
        now: i64,
    ) -> Result<()> {
        match self.lock().execute(
            "INSERT INTO observation_types (name, version, definition, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![name, version, definition, now],
        ) {
            Ok(_) => Ok(()),
            Err(rusqlite::Error::SqliteFailure(f, _))
                if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
            {
                Err(Error::Conflict(format!("type {name} version {version} exists")))
            }
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
#[path = "observations_tests.rs"]
mod tests;
