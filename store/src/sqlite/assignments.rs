//! Assignments from system partners (`migrations/0006_assignments.sql`): the terms as they stand,
//! the events that led there (append-only), the work items planned under an accepted one and the
//! units delivered. Every change is one transaction, together with the work items' statuses it
//! moves, so nothing is half-written.

use rusqlite::{OptionalExtension, Transaction, params};

use super::SqliteStore;
use super::people::is_unique_violation;
use crate::{Error, Result};

/// What a partner offers (and revises).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentTerms {
    /// Title, in the partner's words.
    pub title: String,
    /// Work kind (a rule's name).
    pub kind: String,
    /// CBS code of the area.
    pub area: String,
    /// CQL2 text narrowing the work items; empty for all of the kind in the area.
    pub criteria: String,
    /// Units wanted.
    pub units: i64,
    /// Fee per unit, euro cents.
    pub fee_cents: i64,
    /// At most this much in total, euro cents.
    pub budget_cents: Option<i64>,
    /// `YYYY-MM-DD`.
    pub deadline: String,
    /// What counts as one delivered unit.
    pub delivered_when: String,
}

/// An assignment as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentRow {
    /// Id.
    pub id: i64,
    /// The partner's organisation.
    pub organisation: String,
    /// The account that offered it.
    pub offered_by: Option<i64>,
    /// The terms.
    pub terms: AssignmentTerms,
    /// `offered`, `changes_proposed`, `accepted`, `declined`, `withdrawn`, `completed`.
    pub status: String,
    /// Offered, Unix seconds.
    pub created_at: i64,
    /// Last changed, Unix seconds.
    pub updated_at: i64,
    /// Residents' hours on it are paid from its fee (else volunteered), as the wijkondernemer
    /// decided.
    pub helpers_paid: bool,
}

/// One step in an assignment's life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentEvent {
    /// `offered`, `revised`, `changes_proposed`, `accepted`, `declined`, `withdrawn`,
    /// `completed`.
    pub action: String,
    /// When, Unix seconds.
    pub at: i64,
    /// Who.
    pub by_user: Option<i64>,
    /// The note that came with it (proposed changes, a reason).
    pub note: String,
}

/// A work item planned under an assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedItem {
    /// `pand`, `verblijfsobject` or `public_space`.
    pub target_kind: String,
    /// The target's id.
    pub target_id: i64,
    /// CBS buurt code of the target.
    pub buurt: String,
}

/// A delivered unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRow {
    /// Id.
    pub id: i64,
    /// Its assignment.
    pub assignment_id: i64,
    /// The work item's target.
    pub item: PlannedItem,
    /// When, Unix seconds.
    pub at: i64,
    /// Who recorded it.
    pub by_user: Option<i64>,
    /// `report`, `confirmation`, `visit`, `photo` or `note`.
    pub evidence: String,
    /// The report (for `report`, `confirmation`, `photo`).
    pub evidence_ref: Option<i64>,
    /// The team's note.
    pub note: String,
    /// `delivered`, `accepted` or `rejected`.
    pub status: String,
    /// When the partner decided, Unix seconds.
    pub decided_at: Option<i64>,
}

const COLUMNS: &str = "id, organisation, offered_by, title, kind, area, criteria, units, fee_cents, \
                       budget_cents, deadline, delivered_when, status, created_at, updated_at, \
                       helpers_paid";

fn assignment_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AssignmentRow> {
    Ok(AssignmentRow {
        id: r.get(0)?,
        organisation: r.get(1)?,
        offered_by: r.get(2)?,
        terms: AssignmentTerms {
            title: r.get(3)?,
            kind: r.get(4)?,
            area: r.get(5)?,
            criteria: r.get(6)?,
            units: r.get(7)?,
            fee_cents: r.get(8)?,
            budget_cents: r.get(9)?,
            deadline: r.get(10)?,
            delivered_when: r.get(11)?,
        },
        status: r.get(12)?,
        created_at: r.get(13)?,
        updated_at: r.get(14)?,
        helpers_paid: r.get::<_, i64>(15)? == 1,
    })
}

const DELIVERY_COLUMNS: &str = "id, assignment_id, target_kind, target_id, buurt, at, by_user, \
                                evidence, evidence_ref, note, status, decided_at";

fn delivery_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeliveryRow> {
    Ok(DeliveryRow {
        id: r.get(0)?,
        assignment_id: r.get(1)?,
        item: PlannedItem {
            target_kind: r.get(2)?,
            target_id: r.get(3)?,
            buurt: r.get(4)?,
        },
        at: r.get(5)?,
        by_user: r.get(6)?,
        evidence: r.get(7)?,
        evidence_ref: r.get(8)?,
        note: r.get(9)?,
        status: r.get(10)?,
        decided_at: r.get(11)?,
    })
}

fn event(
    tx: &Transaction<'_>,
    id: i64,
    action: &str,
    at: i64,
    by: Option<i64>,
    note: &str,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO assignment_event (assignment_id, action, at, by_user, note) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, action, at, by, note])?;
    Ok(())
}

/// The status now, checked against what the caller saw (`expected`): a change made meanwhile by
/// someone else is a conflict, not silently overwritten.
fn check_status(tx: &Transaction<'_>, id: i64, expected: &[&str]) -> Result<String> {
    let status: Option<String> = tx
        .query_row("SELECT status FROM assignment WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    let status = status.ok_or_else(|| Error::Conflict(format!("no assignment {id}")))?;
    if !expected.contains(&status.as_str()) {
        return Err(Error::Conflict(format!(
            "the assignment is {status}, not {}",
            expected.join(" or ")
        )));
    }
    Ok(status)
}

fn work_status(
    tx: &Transaction<'_>,
    kind: &str,
    item: &PlannedItem,
    status: &str,
    at: i64,
    by: Option<i64>,
    note: &str,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO work_status (kind, target_kind, target_id, status, at, by_user, note) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        kind,
        item.target_kind,
        item.target_id,
        status,
        at,
        by,
        note
    ])?;
    Ok(())
}

impl SqliteStore {
    /// Records an offer; durable when it returns. Returns its id.
    pub fn offer_assignment(
        &self,
        organisation: &str,
        terms: &AssignmentTerms,
        at: i64,
        by: Option<i64>,
    ) -> Result<i64> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        tx.execute(
            "INSERT INTO assignment (organisation, offered_by, title, kind, area, criteria, units, \
             fee_cents, budget_cents, deadline, delivered_when, status, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'offered', ?12, ?12)",
            params![
                organisation,
                by,
                terms.title,
                terms.kind,
                terms.area,
                terms.criteria,
                terms.units,
                terms.fee_cents,
                terms.budget_cents,
                terms.deadline,
                terms.delivered_when,
                at
            ],
        )?;
        let id = tx.last_insert_rowid();
        event(&tx, id, "offered", at, by, "")?;
        tx.commit()?;
        Ok(id)
    }

    /// The assignment with this id.
    pub fn assignment(&self, id: i64) -> Result<Option<AssignmentRow>> {
        Ok(self
            .lock()
            .query_row(
                &format!("SELECT {COLUMNS} FROM assignment WHERE id = ?1"),
                [id],
                assignment_row,
            )
            .optional()?)
    }

    /// Every assignment, newest first (the caller filters by the policy; they are few).
    pub fn assignments(&self) -> Result<Vec<AssignmentRow>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM assignment ORDER BY id DESC"
        ))?;
        let rows = stmt
            .query_map([], assignment_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The partner's new terms, after the wijkbedrijf proposed changes (or before anyone
    /// answered): the offer stands again.
    pub fn revise_assignment(
        &self,
        id: i64,
        terms: &AssignmentTerms,
        at: i64,
        by: Option<i64>,
        note: &str,
    ) -> Result<()> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        check_status(&tx, id, &["offered", "changes_proposed"])?;
        tx.execute(
            "UPDATE assignment SET title = ?2, kind = ?3, area = ?4, criteria = ?5, units = ?6, \
             fee_cents = ?7, budget_cents = ?8, deadline = ?9, delivered_when = ?10, \
             status = 'offered', updated_at = ?11 WHERE id = ?1",
            params![
                id,
                terms.title,
                terms.kind,
                terms.area,
                terms.criteria,
                terms.units,
                terms.fee_cents,
                terms.budget_cents,
                terms.deadline,
                terms.delivered_when,
                at
            ],
        )?;
        event(&tx, id, "revised", at, by, note)?;
        tx.commit()?;
        Ok(())
    }

    /// Moves an assignment from one of `from` to `to` with an event. On `accepted`, `items` are
    /// planned under it and their work status becomes `planned`, in the same transaction.
    #[allow(
        clippy::too_many_arguments,
        reason = "one step of the assignment, with what it plans"
    )]
    pub fn move_assignment(
        &self,
        id: i64,
        from: &[&str],
        to: &str,
        at: i64,
        by: Option<i64>,
        note: &str,
        items: &[PlannedItem],
    ) -> Result<()> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        check_status(&tx, id, from)?;
        tx.execute(
            "UPDATE assignment SET status = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, to, at],
        )?;
        event(&tx, id, to, at, by, note)?;
        if !items.is_empty() {
            let (kind, title): (String, String) = tx.query_row(
                "SELECT kind, title FROM assignment WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let note = format!("opdracht: {title}");
            for it in items {
                tx.prepare_cached(
                    "INSERT INTO assignment_item (assignment_id, target_kind, target_id, buurt) \
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![id, it.target_kind, it.target_id, it.buurt])?;
                work_status(&tx, &kind, it, "planned", at, by, &note)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// What happened to an assignment, oldest first.
    pub fn assignment_events(&self, id: i64) -> Result<Vec<AssignmentEvent>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT action, at, by_user, note FROM assignment_event WHERE assignment_id = ?1 ORDER BY id",
        )?;
        let rows = stmt
            .query_map([id], |r| {
                Ok(AssignmentEvent {
                    action: r.get(0)?,
                    at: r.get(1)?,
                    by_user: r.get(2)?,
                    note: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The work items planned under an assignment.
    pub fn assignment_items(&self, id: i64) -> Result<Vec<PlannedItem>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT target_kind, target_id, buurt FROM assignment_item WHERE assignment_id = ?1 \
             ORDER BY buurt, target_kind, target_id",
        )?;
        let rows = stmt
            .query_map([id], |r| {
                Ok(PlannedItem {
                    target_kind: r.get(0)?,
                    target_id: r.get(1)?,
                    buurt: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Records a delivered unit for a planned item and marks the work item done, in one
    /// transaction. A second delivery of the same item is a conflict.
    #[allow(clippy::too_many_arguments, reason = "one delivery, column by column")]
    pub fn record_delivery(
        &self,
        assignment_id: i64,
        item: &PlannedItem,
        at: i64,
        by: Option<i64>,
        evidence: &str,
        evidence_ref: Option<i64>,
        note: &str,
    ) -> Result<i64> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        check_status(&tx, assignment_id, &["accepted"])?;
        let planned: Option<String> = tx
            .query_row(
                "SELECT buurt FROM assignment_item WHERE assignment_id = ?1 AND target_kind = ?2 AND target_id = ?3",
                params![assignment_id, item.target_kind, item.target_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(buurt) = planned else {
            return Err(Error::Conflict(
                "the work item is not planned under this assignment".into(),
            ));
        };
        match tx.execute(
            "INSERT INTO delivery (assignment_id, target_kind, target_id, buurt, at, by_user, evidence, evidence_ref, note) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![assignment_id, item.target_kind, item.target_id, buurt, at, by, evidence, evidence_ref, note],
        ) {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => {
                return Err(Error::Conflict("this work item was delivered already".into()));
            }
            Err(e) => return Err(e.into()),
        }
        let id = tx.last_insert_rowid();
        let (kind, title): (String, String) = tx.query_row(
            "SELECT kind, title FROM assignment WHERE id = ?1",
            [assignment_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        work_status(
            &tx,
            &kind,
            item,
            "done",
            at,
            by,
            &format!("geleverd: {title}"),
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// The partner accepts or rejects a delivered unit (once).
    pub fn decide_delivery(
        &self,
        assignment_id: i64,
        delivery_id: i64,
        status: &str,
        at: i64,
        by: Option<i64>,
    ) -> Result<bool> {
        let n = self.lock().execute(
            "UPDATE delivery SET status = ?3, decided_at = ?4, decided_by = ?5 \
             WHERE id = ?2 AND assignment_id = ?1 AND status = 'delivered'",
            params![assignment_id, delivery_id, status, at, by],
        )?;
        Ok(n > 0)
    }

    /// The units delivered on an assignment, oldest first.
    pub fn deliveries(&self, assignment_id: i64) -> Result<Vec<DeliveryRow>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM delivery WHERE assignment_id = ?1 ORDER BY id"
        ))?;
        let rows = stmt
            .query_map([assignment_id], delivery_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// One delivery.
    pub fn delivery(&self, assignment_id: i64, delivery_id: i64) -> Result<Option<DeliveryRow>> {
        Ok(self
            .lock()
            .query_row(
                &format!(
                    "SELECT {DELIVERY_COLUMNS} FROM delivery WHERE id = ?2 AND assignment_id = ?1"
                ),
                params![assignment_id, delivery_id],
                delivery_row,
            )
            .optional()?)
    }
}
