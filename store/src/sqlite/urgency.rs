//! Daily snapshots of the released urgency indicator values (`migrations/0009_urgency.sql`):
//! aggregates only, as they were released that day.

use rusqlite::params;

use crate::Result;
use crate::sqlite::{SqliteStore, write_tx};

/// One released cell value of one day.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotRow {
    /// `YYYY-MM-DD`, UTC.
    pub day: String,
    /// The level (`buurt`, `grid100`, `h3-9`, …).
    pub level: String,
    /// The cell's name.
    pub cell: String,
    /// The indicator.
    pub indicator: String,
    /// Withheld that day.
    pub suppressed: bool,
    /// The rounded numerator.
    pub numerator: Option<u32>,
    /// The rounded denominator.
    pub denominator: Option<u32>,
    /// The value.
    pub value: Option<f64>,
}

impl SqliteStore {
    /// Has a snapshot been kept for `day`?
    pub fn urgency_snapshot_exists(&self, day: &str) -> Result<bool> {
        let conn = self.lock();
        let n: i64 = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM urgency_snapshot WHERE day = ?1)")?
            .query_row([day], |r| r.get(0))?;
        Ok(n == 1)
    }

    /// Keeps the snapshot of one day (replacing one kept earlier that day), in one transaction.
    pub fn put_urgency_snapshot(&self, day: &str, rows: &[SnapshotRow]) -> Result<()> {
        let mut conn = self.lock();
        let tx = write_tx(&mut conn)?;
        tx.execute("DELETE FROM urgency_snapshot WHERE day = ?1", [day])?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO urgency_snapshot \
                 (day, level, cell, indicator, suppressed, numerator, denominator, value) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for r in rows {
                ins.execute(params![
                    day,
                    r.level,
                    r.cell,
                    r.indicator,
                    i64::from(r.suppressed),
                    r.numerator,
                    r.denominator,
                    r.value
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The series of one cell and indicator from `from_day` on, oldest first.
    pub fn urgency_series(
        &self,
        indicator: &str,
        level: &str,
        cell: &str,
        from_day: &str,
    ) -> Result<Vec<SnapshotRow>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT day, suppressed, numerator, denominator, value FROM urgency_snapshot \
             WHERE indicator = ?1 AND level = ?2 AND cell = ?3 AND day >= ?4 ORDER BY day",
        )?;
        let rows = stmt
            .query_map(params![indicator, level, cell, from_day], |r| {
                Ok(SnapshotRow {
                    day: r.get(0)?,
                    level: level.to_owned(),
                    cell: cell.to_owned(),
                    indicator: indicator.to_owned(),
                    suppressed: r.get::<_, i64>(1)? == 1,
                    numerator: r.get(2)?,
                    denominator: r.get(3)?,
                    value: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The index weights `user` saved (a JSON object), if any.
    pub fn urgency_weights(&self, user: i64) -> Result<Option<String>> {
        use rusqlite::OptionalExtension as _;
        let conn = self.lock();
        Ok(conn
            .prepare_cached("SELECT weights FROM urgency_weights WHERE user_id = ?1")?
            .query_row([user], |r| r.get(0))
            .optional()?)
    }

    /// Saves `user`'s index weights (a JSON object), replacing earlier ones.
    pub fn put_urgency_weights(&self, user: i64, weights: &str, now: i64) -> Result<()> {
        let mut conn = self.lock();
        let tx = write_tx(&mut conn)?;
        tx.execute(
            "INSERT INTO urgency_weights (user_id, weights, updated_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (user_id) DO UPDATE SET weights = excluded.weights, updated_at = excluded.updated_at",
            params![user, weights, now],
        )?;
        tx.commit()?;
        Ok(())
    }
}
