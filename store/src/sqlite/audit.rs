//! The append-only audit log and retention. Part of [`SqliteStore`]; every write is one statement or one transaction, durable
//! when it returns (WAL, `synchronous = FULL`).

use rusqlite::params;

use super::SqliteStore;
use crate::Result;
use crate::people::{AuditRecord, RetentionOutcome, RetentionRules};

impl SqliteStore {
    // ----- audit log ------------------------------------------------------------------------

    /// Appends to the audit log; durable when it returns.
    pub fn audit(
        &self,
        at: i64,
        actor: &str,
        action: &str,
        target: &str,
        detail: &str,
    ) -> Result<()> {
        self.lock()
            .prepare_cached(
                "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![at, actor, action, target, detail])?;
        Ok(())
    }

    /// Audit entries, newest first, older than `before_id` when given.
    pub fn audit_events(&self, limit: u32, before_id: Option<i64>) -> Result<Vec<AuditRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT id, at, actor, action, target, detail FROM audit_log \
             WHERE id < ?1 ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![before_id.unwrap_or(i64::MAX), limit], |r| {
            Ok(AuditRecord {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                target: r.get(4)?,
                detail: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    // ----- retention ------------------------------------------------------------------------

    /// Applies every retention rule at `now`, in one transaction, and records what each removed
    /// (counts only) in `retention_runs`.
    pub fn run_retention(&self, rules: &RetentionRules, now: i64) -> Result<Vec<RetentionOutcome>> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let mut out = Vec::new();
        for (kind, keep) in rules.entries() {
            let Some(keep) = keep else { continue };
            let cutoff = now - keep;
            let removed = match kind {
                "sessions" => tx.execute(
                    "DELETE FROM sessions WHERE expires_at <= ?1",
                    [cutoff],
                )?,
                "login_tokens" => tx.execute(
                    "DELETE FROM login_tokens WHERE expires_at <= ?1",
                    [cutoff],
                )?,
                "address_codes" => tx.execute(
                    "DELETE FROM address_codes WHERE expires_at <= ?1",
                    [cutoff],
                )?,
                // Anonymise: the contact row goes; the pseudonymous reporter and its reports stay.
                "reporter_contacts" => tx.execute(
                    "DELETE FROM reporter_contacts WHERE reporter_id IN ( \
                        SELECT reporter_id FROM observations GROUP BY reporter_id \
                        HAVING count(*) = count(closed_at) AND max(closed_at) <= ?1) \
                     OR (updated_at <= ?1 AND NOT EXISTS ( \
                        SELECT 1 FROM observations o WHERE o.reporter_id = reporter_contacts.reporter_id))",
                    [cutoff],
                )?,
                "device_reporters" => tx.execute(
                    "DELETE FROM reporters WHERE user_id IS NULL AND created_at <= ?1 \
                     AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.reporter_id = reporters.id)",
                    [cutoff],
                )?,
                "closed_reports" => {
                    let doomed = "SELECT id FROM observations WHERE closed_at IS NOT NULL AND closed_at <= ?1";
                    tx.execute(
                        &format!("UPDATE observations SET merged_into = NULL WHERE merged_into IN ({doomed})"),
                        [cutoff],
                    )?;
                    tx.execute(
                        &format!("UPDATE observations SET split_from = NULL WHERE split_from IN ({doomed})"),
                        [cutoff],
                    )?;
                    tx.execute(
                        "DELETE FROM observations WHERE closed_at IS NOT NULL AND closed_at <= ?1",
                        [cutoff],
                    )?
                }
                "talent_offers" => tx.execute(
                    "DELETE FROM talent_offer WHERE updated_at <= ?1",
                    [cutoff],
                )?,
                "campaign_visits" => {
                    let ended = "SELECT id FROM campaign WHERE ends_on <> '' AND ends_on <= date(?1, 'unixepoch')";
                    tx.execute(
                        &format!("DELETE FROM visit_outcome WHERE campaign_id IN ({ended})"),
                        [cutoff],
                    )? + tx.execute(
                        &format!("DELETE FROM visit_door WHERE campaign_id IN ({ended})"),
                        [cutoff],
                    )?
                }
                "work_status" => {
                    // Items whose newest status is closed and older than the cutoff.
                    let closed = "SELECT max(id) FROM work_status GROUP BY kind, target_kind, target_id";
                    let old = format!(
                        "SELECT id FROM work_status WHERE id IN ({closed}) \
                         AND status IN ('done', 'not_wanted', 'not_applicable') AND at <= ?1"
                    );
                    let earlier = tx.execute(
                        &format!(
                            "DELETE FROM work_status WHERE id NOT IN ({closed}) AND EXISTS ( \
                                SELECT 1 FROM work_status last WHERE last.id IN ({old}) \
                                AND last.kind = work_status.kind \
                                AND last.target_kind = work_status.target_kind \
                                AND last.target_id = work_status.target_id)"
                        ),
                        [cutoff],
                    )?;
                    earlier
                        + tx.execute(
                            &format!(
                                "UPDATE work_status SET by_user = NULL, note = '', evidence = '{{}}' \
                                 WHERE id IN ({old}) \
                                 AND (by_user IS NOT NULL OR note <> '' OR evidence <> '{{}}')"
                            ),
                            [cutoff],
                        )?
                }
                "talent_invitations" => tx.execute(
                    "DELETE FROM talent_invitation WHERE closed_at IS NOT NULL AND closed_at <= ?1",
                    [cutoff],
                )?,
                "audit_log" => {
                    tx.execute("INSERT INTO retention_gate (open) VALUES (1)", [])?;
                    let n = tx.execute("DELETE FROM audit_log WHERE at <= ?1", [cutoff])?;
                    tx.execute("DELETE FROM retention_gate", [])?;
                    n
                }
                _ => 0,
            } as u64;
            tx.execute(
                "INSERT INTO retention_runs (at, kind, cutoff, removed) VALUES (?1, ?2, ?3, ?4)",
                params![now, kind, cutoff, removed],
            )?;
            out.push(RetentionOutcome {
                kind: kind.to_owned(),
                cutoff,
                removed,
                at: now,
            });
        }
        tx.commit()?;
        Ok(out)
    }

    /// The newest run of each retention kind.
    pub fn last_retention_runs(&self) -> Result<Vec<RetentionOutcome>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT kind, cutoff, removed, at FROM retention_runs WHERE id IN \
             (SELECT max(id) FROM retention_runs GROUP BY kind) ORDER BY kind",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(RetentionOutcome {
                kind: r.get(0)?,
                cutoff: r.get(1)?,
                removed: r.get(2)?,
                at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
