//! Capacity and talent (`migrations/0007_talent.sql`): residents' offers, the invitations they
//! get and the hours they log. An offer exists only while its resident consents to the purpose
//! `talent`: giving the offer appends the consent, withdrawing deletes the offer, ends the live
//! invitations and appends the withdrawal, in one transaction each.

use rusqlite::{OptionalExtension, Transaction, params};

use super::SqliteStore;
use super::people::is_unique_violation;
use crate::{Error, Result};

/// The consent purpose an offer stands on.
const PURPOSE: &str = "talent";

/// What a resident offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TalentOffer {
    /// Skill keys.
    pub skills: Vec<String>,
    /// Anything else, in their words.
    pub other: String,
    /// Hours per week (1–40).
    pub hours_per_week: i64,
    /// Day-part keys.
    pub day_parts: Vec<String>,
    /// CBS code of the area they want to work in.
    pub area: String,
    /// `YYYY-MM-DD`, or none for until further notice.
    pub available_until: Option<String>,
}

/// An offer as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TalentOfferRow {
    /// The resident's account.
    pub user_id: i64,
    /// The offer.
    pub offer: TalentOffer,
    /// First given, Unix seconds.
    pub created_at: i64,
    /// Last changed, Unix seconds.
    pub updated_at: i64,
}

/// The work item an invitation is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitedItem {
    /// The rule's kind.
    pub kind: String,
    /// `pand`, `verblijfsobject` or `public_space`.
    pub target_kind: String,
    /// The target's id.
    pub target_id: i64,
}

/// An invitation to work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRow {
    /// Id.
    pub id: i64,
    /// The invited resident.
    pub user_id: i64,
    /// The work item, if it is about one.
    pub item: Option<InvitedItem>,
    /// The assignment, if it is under one.
    pub assignment_id: Option<i64>,
    /// CBS code access is decided on.
    pub area: String,
    /// The team's note.
    pub note: String,
    /// Who invited.
    pub invited_by: Option<i64>,
    /// `invited`, `accepted`, `declined`, `withdrawn`, `done`.
    pub status: String,
    /// Invited, Unix seconds.
    pub created_at: i64,
    /// Answered, Unix seconds.
    pub answered_at: Option<i64>,
    /// Minutes logged, paid and volunteered.
    pub minutes_paid: i64,
    /// Minutes logged as a volunteer.
    pub minutes_volunteered: i64,
}

/// Hours logged on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursRow {
    /// Id.
    pub id: i64,
    /// The invitation.
    pub invitation_id: i64,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Minutes.
    pub minutes: i64,
    /// Paid from the assignment's fee.
    pub paid: bool,
    /// Logged, Unix seconds.
    pub created_at: i64,
}

fn split(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

const OFFER_COLUMNS: &str = "user_id, skills, other, hours_per_week, day_parts, area, \
                             available_until, created_at, updated_at";

fn offer_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TalentOfferRow> {
    Ok(TalentOfferRow {
        user_id: r.get(0)?,
        offer: TalentOffer {
            skills: split(&r.get::<_, String>(1)?),
            other: r.get(2)?,
            hours_per_week: r.get(3)?,
            day_parts: split(&r.get::<_, String>(4)?),
            area: r.get(5)?,
            available_until: r.get(6)?,
        },
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

const INVITATION_COLUMNS: &str = "i.id, i.user_id, i.kind, i.target_kind, i.target_id, \
    i.assignment_id, i.area, i.note, i.invited_by, i.status, i.created_at, i.answered_at, \
    (SELECT coalesce(sum(minutes), 0) FROM talent_hours h WHERE h.invitation_id = i.id AND h.paid = 1), \
    (SELECT coalesce(sum(minutes), 0) FROM talent_hours h WHERE h.invitation_id = i.id AND h.paid = 0)";

fn invitation_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<InvitationRow> {
    let kind: Option<String> = r.get(2)?;
    let target_kind: Option<String> = r.get(3)?;
    let target_id: Option<i64> = r.get(4)?;
    Ok(InvitationRow {
        id: r.get(0)?,
        user_id: r.get(1)?,
        item: match (kind, target_kind, target_id) {
            (Some(kind), Some(target_kind), Some(target_id)) => Some(InvitedItem {
                kind,
                target_kind,
                target_id,
            }),
            _ => None,
        },
        assignment_id: r.get(5)?,
        area: r.get(6)?,
        note: r.get(7)?,
        invited_by: r.get(8)?,
        status: r.get(9)?,
        created_at: r.get(10)?,
        answered_at: r.get(11)?,
        minutes_paid: r.get(12)?,
        minutes_volunteered: r.get(13)?,
    })
}

fn consent(tx: &Transaction<'_>, user: i64, given: bool, at: i64) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO consents (user_id, purpose, given, at) VALUES (?1, ?2, ?3, ?4)",
        params![user, PURPOSE, i64::from(given), at],
    )?;
    Ok(())
}

fn consents_now(tx: &Transaction<'_>, user: i64) -> rusqlite::Result<bool> {
    Ok(tx
        .query_row(
            "SELECT given FROM consents WHERE user_id = ?1 AND purpose = ?2 ORDER BY id DESC LIMIT 1",
            params![user, PURPOSE],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        == Some(1))
}

impl SqliteStore {
    /// Gives or replaces the account's offer, and records the consent to `talent` if it is not
    /// given yet; durable when it returns.
    pub fn put_talent_offer(&self, user: i64, offer: &TalentOffer, at: i64) -> Result<()> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        if !consents_now(&tx, user)? {
            consent(&tx, user, true, at)?;
        }
        tx.execute(
            "INSERT INTO talent_offer (user_id, skills, other, hours_per_week, day_parts, area, \
             available_until, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) \
             ON CONFLICT (user_id) DO UPDATE SET skills = excluded.skills, other = excluded.other, \
             hours_per_week = excluded.hours_per_week, day_parts = excluded.day_parts, \
             area = excluded.area, available_until = excluded.available_until, \
             updated_at = excluded.updated_at",
            params![
                user,
                offer.skills.join(","),
                offer.other,
                offer.hours_per_week,
                offer.day_parts.join(","),
                offer.area,
                offer.available_until,
                at
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Withdraws the consent to `talent`: the offer is deleted, invitations still open or
    /// accepted end as withdrawn (hours already logged stay with them), and the withdrawal is
    /// appended to the consent ledger. Returns whether there was an offer.
    pub fn withdraw_talent(&self, user: i64, at: i64) -> Result<bool> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let had = tx.execute("DELETE FROM talent_offer WHERE user_id = ?1", [user])? > 0;
        tx.execute(
            "UPDATE talent_invitation SET status = 'withdrawn', closed_at = ?2 \
             WHERE user_id = ?1 AND status IN ('invited', 'accepted')",
            params![user, at],
        )?;
        consent(&tx, user, false, at)?;
        tx.commit()?;
        Ok(had)
    }

    /// The account's offer.
    pub fn talent_offer(&self, user: i64) -> Result<Option<TalentOfferRow>> {
        Ok(self
            .lock()
            .query_row(
                &format!("SELECT {OFFER_COLUMNS} FROM talent_offer WHERE user_id = ?1"),
                [user],
                offer_row,
            )
            .optional()?)
    }

    /// Every offer (the caller keeps those the policy lets it see), newest change first.
    pub fn talent_offers(&self) -> Result<Vec<TalentOfferRow>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {OFFER_COLUMNS} FROM talent_offer ORDER BY updated_at DESC, user_id"
        ))?;
        let rows = stmt.query_map([], offer_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Invites the resident with an offer; a conflict when they have none (any more) or already
    /// hold a live invitation to the same work item. Returns the invitation's id.
    #[allow(clippy::too_many_arguments)]
    pub fn invite(
        &self,
        user: i64,
        item: Option<&InvitedItem>,
        assignment_id: Option<i64>,
        area: &str,
        note: &str,
        by: Option<i64>,
        at: i64,
    ) -> Result<i64> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let has_offer = tx
            .query_row(
                "SELECT 1 FROM talent_offer WHERE user_id = ?1",
                [user],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if !has_offer {
            return Err(Error::Conflict(
                "this resident no longer offers help (the offer was withdrawn)".into(),
            ));
        }
        let inserted = tx.execute(
            "INSERT INTO talent_invitation (user_id, kind, target_kind, target_id, assignment_id, \
             area, note, invited_by, status, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'invited', ?9)",
            params![
                user,
                item.map(|i| i.kind.as_str()),
                item.map(|i| i.target_kind.as_str()),
                item.map(|i| i.target_id),
                assignment_id,
                area,
                note,
                by,
                at
            ],
        );
        match inserted {
            Err(e) if is_unique_violation(&e) => {
                return Err(Error::Conflict(
                    "this resident is already invited to this work".into(),
                ));
            }
            r => {
                r?;
            }
        }
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    /// One invitation.
    pub fn invitation(&self, id: i64) -> Result<Option<InvitationRow>> {
        Ok(self
            .lock()
            .query_row(
                &format!("SELECT {INVITATION_COLUMNS} FROM talent_invitation i WHERE i.id = ?1"),
                [id],
                invitation_row,
            )
            .optional()?)
    }

    /// The account's invitations, newest first.
    pub fn invitations_of(&self, user: i64) -> Result<Vec<InvitationRow>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {INVITATION_COLUMNS} FROM talent_invitation i WHERE i.user_id = ?1 ORDER BY i.id DESC"
        ))?;
        let rows = stmt.query_map([user], invitation_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every invitation, newest first (the caller keeps those the policy lets it see).
    pub fn invitations(&self) -> Result<Vec<InvitationRow>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {INVITATION_COLUMNS} FROM talent_invitation i ORDER BY i.id DESC"
        ))?;
        let rows = stmt.query_map([], invitation_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Moves an invitation from one of `from` to `to`; a conflict when it is in another status
    /// (someone acted first). `closes` ends it (retention counts from then).
    pub fn move_invitation(&self, id: i64, from: &[&str], to: &str, at: i64) -> Result<()> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let status: Option<String> = tx
            .query_row(
                "SELECT status FROM talent_invitation WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        let status = status.ok_or_else(|| Error::Conflict(format!("no invitation {id}")))?;
        if !from.contains(&status.as_str()) {
            return Err(Error::Conflict(format!(
                "the invitation is {status}, not {}",
                from.join(" or ")
            )));
        }
        let closes = matches!(to, "declined" | "withdrawn" | "done");
        tx.execute(
            "UPDATE talent_invitation SET status = ?2, \
             answered_at = CASE WHEN ?2 IN ('accepted', 'declined') THEN ?3 ELSE answered_at END, \
             closed_at = CASE WHEN ?4 THEN ?3 ELSE closed_at END WHERE id = ?1",
            params![id, to, at, closes],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Logs minutes on a day under an accepted invitation of `user`; paid when the invitation's
    /// assignment pays its helpers now. Returns the row.
    pub fn log_hours(
        &self,
        invitation: i64,
        user: i64,
        day: &str,
        minutes: i64,
        at: i64,
    ) -> Result<HoursRow> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let found: Option<(i64, String, i64)> = tx
            .query_row(
                "SELECT i.user_id, i.status, coalesce(a.helpers_paid, 0) FROM talent_invitation i \
                 LEFT JOIN assignment a ON a.id = i.assignment_id WHERE i.id = ?1",
                [invitation],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((owner, status, paid)) = found.filter(|f| f.0 == user) else {
            return Err(Error::Conflict(format!("no invitation {invitation}")));
        };
        debug_assert_eq!(owner, user);
        if status != "accepted" {
            return Err(Error::Conflict(format!(
                "hours are logged on accepted work; this invitation is {status}"
            )));
        }
        tx.execute(
            "INSERT INTO talent_hours (invitation_id, day, minutes, paid, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![invitation, day, minutes, paid, at],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(HoursRow {
            id,
            invitation_id: invitation,
            day: day.to_owned(),
            minutes,
            paid: paid == 1,
            created_at: at,
        })
    }

    /// The hours logged under the account's invitations, newest day first.
    pub fn hours_of(&self, user: i64) -> Result<Vec<HoursRow>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT h.id, h.invitation_id, h.day, h.minutes, h.paid, h.created_at FROM talent_hours h \
             JOIN talent_invitation i ON i.id = h.invitation_id WHERE i.user_id = ?1 \
             ORDER BY h.day DESC, h.id DESC",
        )?;
        let rows = stmt.query_map([user], |r| {
            Ok(HoursRow {
                id: r.get(0)?,
                invitation_id: r.get(1)?,
                day: r.get(2)?,
                minutes: r.get(3)?,
                paid: r.get::<_, i64>(4)? == 1,
                created_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Minutes logged on an assignment: (paid, volunteered).
    pub fn assignment_minutes(&self, assignment: i64) -> Result<(i64, i64)> {
        Ok(self.lock().query_row(
            "SELECT coalesce(sum(CASE WHEN h.paid = 1 THEN h.minutes END), 0), \
                    coalesce(sum(CASE WHEN h.paid = 0 THEN h.minutes END), 0) \
             FROM talent_hours h JOIN talent_invitation i ON i.id = h.invitation_id \
             WHERE i.assignment_id = ?1",
            [assignment],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// Whether residents' hours on the assignment are paid from its fee.
    pub fn helpers_paid(&self, assignment: i64) -> Result<bool> {
        Ok(self
            .lock()
            .query_row(
                "SELECT helpers_paid FROM assignment WHERE id = ?1",
                [assignment],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            == Some(1))
    }

    /// Decides whether residents' hours on the assignment are paid from its fee (hours logged
    /// from now on).
    pub fn set_helpers_paid(&self, assignment: i64, paid: bool) -> Result<()> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let n = tx.execute(
            "UPDATE assignment SET helpers_paid = ?2 WHERE id = ?1",
            params![assignment, i64::from(paid)],
        )?;
        if n == 0 {
            return Err(Error::Conflict(format!("no assignment {assignment}")));
        }
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, SqliteStore) {
        let d = tempfile::tempdir().unwrap();
        let s = SqliteStore::open(d.path().join("t.sqlite")).unwrap();
        (d, s)
    }

    fn offer() -> TalentOffer {
        TalentOffer {
            skills: vec!["watering".into(), "gardening".into()],
            other: "fietsen repareren".into(),
            hours_per_week: 3,
            day_parts: vec!["weekend".into()],
            area: "BU19990100".into(),
            available_until: None,
        }
    }

    fn item() -> InvitedItem {
        InvitedItem {
            kind: "greenery".into(),
            target_kind: "public_space".into(),
            target_id: 7,
        }
    }

    #[test]
    fn an_offer_stands_on_consent_and_withdrawing_ends_everything_live() {
        let (_d, s) = store();
        let u = s.create_user("a@x.nl", "", None, &[], 0).unwrap();
        s.put_talent_offer(u, &offer(), 1).unwrap();
        s.put_talent_offer(u, &offer(), 2).unwrap();
        let row = s.talent_offer(u).unwrap().unwrap();
        assert_eq!(row.offer, offer());
        assert_eq!((row.created_at, row.updated_at), (1, 2));
        // One consent entry for two saves.
        let ledger = s.consent_history(u).unwrap();
        assert_eq!(ledger.len(), 1);
        assert!(ledger[0].given && ledger[0].purpose == "talent");

        let inv = s
            .invite(u, Some(&item()), None, "BU19990100", "", None, 3)
            .unwrap();
        assert!(matches!(
            s.invite(u, Some(&item()), None, "BU19990100", "", None, 3),
            Err(Error::Conflict(_))
        ));
        s.move_invitation(inv, &["invited"], "accepted", 4).unwrap();
        // Not an assignment: volunteered.
        let h = s.log_hours(inv, u, "2026-12-01", 90, 5).unwrap();
        assert!(!h.paid);
        // Someone else's invitation is not found.
        let other = s.create_user("b@x.nl", "", None, &[], 0).unwrap();
        assert!(s.log_hours(inv, other, "2026-12-01", 90, 5).is_err());

        assert!(s.withdraw_talent(u, 6).unwrap());
        assert!(s.talent_offer(u).unwrap().is_none());
        let i = s.invitation(inv).unwrap().unwrap();
        assert_eq!(i.status, "withdrawn");
        assert_eq!((i.minutes_paid, i.minutes_volunteered), (0, 90));
        assert!(!s.consent_history(u).unwrap().last().unwrap().given);
        // No offer, no invitation.
        assert!(matches!(
            s.invite(u, Some(&item()), None, "BU19990100", "", None, 7),
            Err(Error::Conflict(_))
        ));
        // Hours only on accepted work.
        assert!(s.log_hours(inv, u, "2026-12-02", 30, 8).is_err());
    }

    #[test]
    fn retention_deletes_idle_offers_and_old_ended_invitations() {
        let (_d, s) = store();
        const DAY: i64 = 86_400;
        let u = s.create_user("a@x.nl", "", None, &[], 0).unwrap();
        s.put_talent_offer(u, &offer(), 0).unwrap();
        let inv = s
            .invite(u, Some(&item()), None, "BU19990100", "", None, 0)
            .unwrap();
        s.move_invitation(inv, &["invited"], "declined", DAY)
            .unwrap();
        let rules = crate::people::RetentionRules::default();
        s.run_retention(&rules, 364 * DAY).unwrap();
        assert!(s.talent_offer(u).unwrap().is_some());
        s.run_retention(&rules, 366 * DAY).unwrap();
        assert!(s.talent_offer(u).unwrap().is_none(), "idle for a year");
        assert!(s.invitation(inv).unwrap().is_some());
        s.run_retention(&rules, 732 * DAY).unwrap();
        assert!(s.invitation(inv).unwrap().is_none(), "ended two years ago");
    }
}
