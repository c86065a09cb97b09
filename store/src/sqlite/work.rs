//! The status history of work items (`migrations/0005_work.sql`): appended, never changed.

use rusqlite::params;

use super::SqliteStore;
use crate::Result;

/// One entry of a work item's status history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkStatusRow {
    /// Id (order of writing).
    pub id: i64,
    /// The work kind (the rule's name).
    pub kind: String,
    /// `pand`, `verblijfsobject`, `public_space` or `tree`.
    pub target_kind: String,
    /// The target's id.
    pub target_id: i64,
    /// The status set.
    pub status: String,
    /// When, Unix seconds.
    pub at: i64,
    /// Who (an account id), `None` for the system or a deleted account.
    pub by_user: Option<i64>,
    /// Note.
    pub note: String,
    /// Evidence as JSON.
    pub evidence: String,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<WorkStatusRow> {
    Ok(WorkStatusRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        target_kind: r.get(2)?,
        target_id: r.get(3)?,
        status: r.get(4)?,
        at: r.get(5)?,
        by_user: r.get(6)?,
        note: r.get(7)?,
        evidence: r.get(8)?,
    })
}

const COLUMNS: &str = "id, kind, target_kind, target_id, status, at, by_user, note, evidence";

impl SqliteStore {
    /// Appends a status to a work item's history; durable when it returns. Returns its id.
    #[allow(
        clippy::too_many_arguments,
        reason = "one row of the history, column by column"
    )]
    pub fn record_work_status(
        &self,
        kind: &str,
        target_kind: &str,
        target_id: i64,
        status: &str,
        at: i64,
        by_user: Option<i64>,
        note: &str,
        evidence: &str,
    ) -> Result<i64> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        tx.prepare_cached(
            "INSERT INTO work_status (kind, target_kind, target_id, status, at, by_user, note, evidence) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![kind, target_kind, target_id, status, at, by_user, note, evidence])?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    /// The newest status of every work item that has one.
    pub fn work_statuses(&self) -> Result<Vec<WorkStatusRow>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM work_status WHERE id IN \
             (SELECT max(id) FROM work_status GROUP BY kind, target_kind, target_id) ORDER BY id"
        ))?;
        let rows = stmt.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One work item's history, oldest first.
    pub fn work_history(
        &self,
        kind: &str,
        target_kind: &str,
        target_id: i64,
    ) -> Result<Vec<WorkStatusRow>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM work_status WHERE kind = ?1 AND target_kind = ?2 AND target_id = ?3 ORDER BY id"
        ))?;
        let rows = stmt.query_map(params![kind, target_kind, target_id], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl SqliteStore {
    /// Keeps a rule file the wijkondernemer loaded; durable when it returns.
    pub fn save_work_rules(&self, text: &str, at: i64, by_user: Option<i64>) -> Result<()> {
        self.lock()
            .prepare_cached("INSERT INTO work_rules (text, at, by_user) VALUES (?1, ?2, ?3)")?
            .execute(params![text, at, by_user])?;
        Ok(())
    }

    /// The newest rule file loaded, if any.
    pub fn work_rules(&self) -> Result<Option<String>> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare_cached("SELECT text FROM work_rules ORDER BY id DESC LIMIT 1")?;
        let mut rows = stmt.query([])?;
        Ok(match rows.next()? {
            Some(r) => Some(r.get(0)?),
            None => None,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use crate::SqliteStore;

    #[test]
    fn history_is_appended_and_the_newest_status_wins() {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStore::open(dir.path().join("w.sqlite")).unwrap();
        s.record_work_status("solar", "pand", 1, "planned", 10, None, "", "{}")
            .unwrap();
        s.record_work_status("solar", "pand", 1, "done", 20, None, "klaar", "{}")
            .unwrap();
        s.record_work_status("solar", "pand", 2, "not_wanted", 30, None, "", "{}")
            .unwrap();
        let now: Vec<(i64, String)> = s
            .work_statuses()
            .unwrap()
            .into_iter()
            .map(|r| (r.target_id, r.status))
            .collect();
        assert_eq!(
            now,
            vec![(1, "done".to_owned()), (2, "not_wanted".to_owned())]
        );
        let h = s.work_history("solar", "pand", 1).unwrap();
        assert_eq!(
            h.iter().map(|r| r.status.as_str()).collect::<Vec<_>>(),
            ["planned", "done"]
        );
        assert_eq!(h[1].note, "klaar");
        assert!(
            s.record_work_status("solar", "pand", 1, "finished", 40, None, "", "{}")
                .is_err()
        );
        assert!(
            s.record_work_status("solar", "boom", 1, "done", 40, None, "", "{}")
                .is_err()
        );
        assert_eq!(
            s.work_history("solar", "pand", 1).unwrap().len(),
            2,
            "a refused row leaves nothing"
        );
        assert_eq!(s.work_rules().unwrap(), None);
        s.save_work_rules("a", 1, None).unwrap();
        s.save_work_rules("b", 2, None).unwrap();
        assert_eq!(s.work_rules().unwrap().as_deref(), Some("b"));
    }
}
