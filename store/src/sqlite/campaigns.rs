//! Door-to-door campaigns (`migrations/0008_campaigns.sql`): a campaign with its turfs made in
//! one transaction, who holds a turf, and the visits a phone sends — each operation applied once
//! (its idempotency key), in one transaction per batch, with the opt-out of a "do not knock again"
//! in the same transaction.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::SqliteStore;
use crate::{Error, Result};

/// What an organiser decides about a campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignSpec {
    /// Title.
    pub title: String,
    /// What it is about, for the volunteers.
    pub topic: String,
    /// CBS code of the area.
    pub area: String,
    /// CQL2 text over the fields of an address; empty for every address.
    pub criteria: String,
    /// Only addresses with open work of this kind.
    pub work_kind: Option<String>,
    /// The assignment it delivers on.
    pub assignment_id: Option<i64>,
    /// The questions at the door, JSON.
    pub questions: String,
    /// About this many doors per turf.
    pub turf_size: i64,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// `YYYY-MM-DD`.
    pub ends_on: String,
}

/// A campaign as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignRow {
    /// Id.
    pub id: i64,
    /// What was decided.
    pub spec: CampaignSpec,
    /// Who made it.
    pub created_by: Option<i64>,
    /// When, Unix seconds.
    pub created_at: i64,
    /// Doors left out because their household opted out of canvassing.
    pub opted_out: i64,
}

/// A turf to store: its buurt and its doors in walking order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTurf {
    /// CBS buurt code.
    pub buurt: String,
    /// Address ids in walking order.
    pub doors: Vec<u64>,
}

/// A turf as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurfRow {
    /// Id.
    pub id: i64,
    /// Its campaign.
    pub campaign_id: i64,
    /// 1, 2, … within the campaign.
    pub number: i64,
    /// CBS buurt code.
    pub buurt: String,
    /// Who holds it.
    pub holder: Option<i64>,
    /// Since when, Unix seconds.
    pub held_since: Option<i64>,
    /// How many doors.
    pub doors: i64,
}

/// One visit as a phone sends it, checked by the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitOp {
    /// The phone's idempotency key.
    pub key: String,
    /// The door.
    pub address: u64,
    /// `not_home`, `interested`, `not_interested`, `signed_up`, `do_not_knock`.
    pub outcome: String,
    /// Kept per address: the resident consented (or signed up).
    pub keep: bool,
    /// Answers kept per address (not sensitive), JSON; only with `keep`.
    pub answers: String,
    /// Every answer, counted per turf: (question, value).
    pub counted: Vec<(String, String)>,
    /// A note (kept only with `keep`).
    pub note: String,
}

/// What became of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpOutcome {
    /// Applied now, or earlier under the same key: the result then (JSON).
    Result(String),
    /// Not applied, nothing written: the turf is not the sender's (any more).
    NotHolder,
    /// Not applied, nothing written: the door is not in the turf.
    NotInTurf,
}

/// Per turf: (outcome → count).
pub type TurfCounts = HashMap<i64, HashMap<String, i64>>;

const CAMPAIGN_COLUMNS: &str = "id, title, topic, area, criteria, work_kind, assignment_id, questions, \
    turf_size, starts_on, ends_on, created_by, created_at, opted_out";

fn campaign_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CampaignRow> {
    Ok(CampaignRow {
        id: r.get(0)?,
        spec: CampaignSpec {
            title: r.get(1)?,
            topic: r.get(2)?,
            area: r.get(3)?,
            criteria: r.get(4)?,
            work_kind: r.get(5)?,
            assignment_id: r.get(6)?,
            questions: r.get(7)?,
            turf_size: r.get(8)?,
            starts_on: r.get(9)?,
            ends_on: r.get(10)?,
        },
        created_by: r.get(11)?,
        created_at: r.get(12)?,
        opted_out: r.get(13)?,
    })
}

const TURF_COLUMNS: &str = "t.id, t.campaign_id, t.number, t.buurt, t.holder, t.held_since, \
    (SELECT count(*) FROM turf_door d WHERE d.turf_id = t.id)";

fn turf_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TurfRow> {
    Ok(TurfRow {
        id: r.get(0)?,
        campaign_id: r.get(1)?,
        number: r.get(2)?,
        buurt: r.get(3)?,
        holder: r.get(4)?,
        held_since: r.get(5)?,
        doors: r.get(6)?,
    })
}

impl SqliteStore {
    /// Stores a campaign with its turfs, in one transaction. Returns its id.
    pub fn create_campaign(
        &self,
        spec: &CampaignSpec,
        turfs: &[NewTurf],
        opted_out: i64,
        by: Option<i64>,
        at: i64,
    ) -> Result<i64> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        tx.execute(
            "INSERT INTO campaign (title, topic, area, criteria, work_kind, assignment_id, questions, \
             turf_size, starts_on, ends_on, created_by, created_at, opted_out) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                spec.title,
                spec.topic,
                spec.area,
                spec.criteria,
                spec.work_kind,
                spec.assignment_id,
                spec.questions,
                spec.turf_size,
                spec.starts_on,
                spec.ends_on,
                by,
                at,
                opted_out
            ],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut turf = tx.prepare_cached(
                "INSERT INTO turf (campaign_id, number, buurt) VALUES (?1, ?2, ?3)",
            )?;
            let mut door = tx.prepare_cached(
                "INSERT INTO turf_door (turf_id, position, address_id) VALUES (?1, ?2, ?3)",
            )?;
            for (n, t) in turfs.iter().enumerate() {
                turf.execute(params![id, n as i64 + 1, t.buurt])?;
                let turf_id = tx.last_insert_rowid();
                for (p, a) in t.doors.iter().enumerate() {
                    door.execute(params![turf_id, p as i64, a])?;
                }
            }
        }
        tx.commit()?;
        Ok(id)
    }

    /// One campaign.
    pub fn campaign(&self, id: i64) -> Result<Option<CampaignRow>> {
        Ok(self
            .lock()
            .query_row(
                &format!("SELECT {CAMPAIGN_COLUMNS} FROM campaign WHERE id = ?1"),
                [id],
                campaign_row,
            )
            .optional()?)
    }

    /// Every campaign, newest first (the caller keeps those the policy lets it see).
    pub fn campaigns(&self) -> Result<Vec<CampaignRow>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaign ORDER BY id DESC"
        ))?;
        let rows = stmt.query_map([], campaign_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The turfs of a campaign, by number.
    pub fn turfs(&self, campaign: i64) -> Result<Vec<TurfRow>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {TURF_COLUMNS} FROM turf t WHERE t.campaign_id = ?1 ORDER BY t.number"
        ))?;
        let rows = stmt.query_map([campaign], turf_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The turfs someone holds, in any campaign.
    pub fn turfs_held_by(&self, user: i64) -> Result<Vec<TurfRow>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {TURF_COLUMNS} FROM turf t WHERE t.holder = ?1 ORDER BY t.campaign_id DESC, t.number"
        ))?;
        let rows = stmt.query_map([user], turf_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The doors of a turf in walking order.
    pub fn turf_doors(&self, turf: i64) -> Result<Vec<u64>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT address_id FROM turf_door WHERE turf_id = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map([turf], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Gives a turf to `holder` (or frees it with `None`). `expected` is who the caller saw holding
    /// it: a turf taken meanwhile by someone else is a conflict, not silently taken over.
    pub fn set_turf_holder(
        &self,
        turf: i64,
        expected: Option<i64>,
        holder: Option<i64>,
        at: i64,
    ) -> Result<()> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let now: Option<Option<i64>> = tx
            .query_row("SELECT holder FROM turf WHERE id = ?1", [turf], |r| {
                r.get(0)
            })
            .optional()?;
        let now = now.ok_or_else(|| Error::Conflict(format!("no turf {turf}")))?;
        if now != expected {
            return Err(Error::Conflict(
                "someone else changed who walks this turf meanwhile; look again".into(),
            ));
        }
        tx.execute(
            "UPDATE turf SET holder = ?2, held_since = CASE WHEN ?2 IS NULL THEN NULL ELSE ?3 END \
             WHERE id = ?1",
            params![turf, holder, at],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Applies a batch of visits on `turf` sent by `by`, in one transaction: an operation already
    /// applied (its key) gets its first result; one on a turf `by` does not hold, or for a door not
    /// in the turf, is refused and writes nothing. `result` turns "was the door new" into the JSON
    /// kept with the key.
    pub fn apply_visits(
        &self,
        campaign: i64,
        turf: i64,
        by: i64,
        ops: &[VisitOp],
        at: i64,
        result: impl Fn(bool) -> String,
    ) -> Result<Vec<OpOutcome>> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let holder: Option<i64> = tx
            .query_row(
                "SELECT holder FROM turf WHERE id = ?1 AND campaign_id = ?2",
                params![turf, campaign],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let mut out = Vec::with_capacity(ops.len());
        for op in ops {
            let earlier: Option<String> = tx
                .prepare_cached("SELECT result FROM visit_op WHERE campaign_id = ?1 AND key = ?2")?
                .query_row(params![campaign, op.key], |r| r.get(0))
                .optional()?;
            if let Some(r) = earlier {
                out.push(OpOutcome::Result(r));
                continue;
            }
            if holder != Some(by) {
                out.push(OpOutcome::NotHolder);
                continue;
            }
            let in_turf = tx
                .prepare_cached("SELECT 1 FROM turf_door WHERE turf_id = ?1 AND address_id = ?2")?
                .query_row(params![turf, op.address], |_| Ok(()))
                .optional()?
                .is_some();
            if !in_turf {
                out.push(OpOutcome::NotInTurf);
                continue;
            }
            let answered = op.outcome != "not_home";
            let door: Option<bool> = tx
                .prepare_cached(
                    "SELECT answered FROM visit_door WHERE campaign_id = ?1 AND address_id = ?2",
                )?
                .query_row(params![campaign, op.address], |r| r.get::<_, i64>(0))
                .optional()?
                .map(|a| a == 1);
            // A door answered before (by this phone or another) counts once: the later visit is
            // kept in the log as a conflict, not counted.
            let fresh = door != Some(true);
            if fresh {
                tx.prepare_cached(
                    "INSERT INTO visit_door (campaign_id, address_id, answered, at, by_user, signed_up) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                     ON CONFLICT (campaign_id, address_id) DO UPDATE SET answered = excluded.answered, \
                     attempts = attempts + 1, at = excluded.at, by_user = excluded.by_user, \
                     signed_up = excluded.signed_up",
                )?
                .execute(params![
                    campaign,
                    op.address,
                    i64::from(answered),
                    at,
                    by,
                    i64::from(op.outcome == "signed_up")
                ])?;
                // Not-home is counted once per door, however often it was tried.
                if answered || door.is_none() {
                    if door == Some(false) {
                        tx.prepare_cached(
                            "UPDATE turf_count SET n = n - 1 WHERE turf_id = ?1 AND outcome = 'not_home'",
                        )?
                        .execute([turf])?;
                    }
                    tx.prepare_cached(
                        "INSERT INTO turf_count (turf_id, outcome, n) VALUES (?1, ?2, 1) \
                         ON CONFLICT (turf_id, outcome) DO UPDATE SET n = n + 1",
                    )?
                    .execute(params![turf, op.outcome])?;
                }
                for (q, a) in &op.counted {
                    tx.prepare_cached(
                        "INSERT INTO turf_answer_count (turf_id, question, answer, n) VALUES (?1, ?2, ?3, 1) \
                         ON CONFLICT (turf_id, question, answer) DO UPDATE SET n = n + 1",
                    )?
                    .execute(params![turf, q, a])?;
                }
                if op.keep {
                    tx.prepare_cached(
                        "INSERT INTO visit_outcome (campaign_id, turf_id, address_id, outcome, answers, note, at, by_user) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    )?
                    .execute(params![campaign, turf, op.address, op.outcome, op.answers, op.note, at, by])?;
                }
                if op.outcome == "do_not_knock" {
                    tx.prepare_cached(
                        "INSERT OR IGNORE INTO opt_outs (address_id, purpose, created_at) VALUES (?1, 'canvassing', ?2)",
                    )?
                    .execute(params![op.address, at])?;
                }
            }
            let r = result(fresh);
            tx.prepare_cached(
                "INSERT INTO visit_op (campaign_id, key, turf_id, result, at, by_user) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![campaign, op.key, turf, r, at, by])?;
            out.push(OpOutcome::Result(r));
        }
        tx.commit()?;
        Ok(out)
    }

    /// Per turf of the campaign: visits by outcome.
    pub fn turf_counts(&self, campaign: i64) -> Result<TurfCounts> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT c.turf_id, c.outcome, c.n FROM turf_count c JOIN turf t ON t.id = c.turf_id \
             WHERE t.campaign_id = ?1",
        )?;
        let mut out: TurfCounts = HashMap::new();
        for row in stmt.query_map([campaign], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })? {
            let (t, o, n) = row?;
            out.entry(t).or_default().insert(o, n);
        }
        Ok(out)
    }

    /// Per turf of the campaign: answers by question and value.
    pub fn turf_answer_counts(&self, campaign: i64) -> Result<Vec<(i64, String, String, i64)>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT c.turf_id, c.question, c.answer, c.n FROM turf_answer_count c \
             JOIN turf t ON t.id = c.turf_id WHERE t.campaign_id = ?1 ORDER BY 1, 2, 3",
        )?;
        let rows = stmt.query_map([campaign], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The doors of a campaign knocked on: address → answered.
    pub fn visited_doors(&self, campaign: i64) -> Result<HashMap<u64, bool>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached("SELECT address_id, answered FROM visit_door WHERE campaign_id = ?1")?;
        let rows = stmt.query_map([campaign], |r| {
            Ok((r.get::<_, u64>(0)?, r.get::<_, i64>(1)? == 1))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The newest outcome kept (with consent) per address of the campaign.
    pub fn kept_outcomes(&self, campaign: i64) -> Result<HashMap<u64, String>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT address_id, outcome FROM visit_outcome WHERE campaign_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([campaign], |r| {
            Ok((r.get::<_, u64>(0)?, r.get::<_, String>(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// An outcome kept with consent, as an export shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptOutcome {
    /// The address.
    pub address: u64,
    /// The turf.
    pub turf_id: i64,
    /// The outcome.
    pub outcome: String,
    /// Non-sensitive answers, JSON.
    pub answers: String,
    /// The note.
    pub note: String,
    /// When, Unix seconds.
    pub at: i64,
}

impl SqliteStore {
    /// The newest outcome kept (with consent) per address of the campaign, by address.
    pub fn kept_outcome_rows(&self, campaign: i64) -> Result<Vec<KeptOutcome>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT address_id, turf_id, outcome, answers, note, at FROM visit_outcome o \
             WHERE campaign_id = ?1 AND id = (SELECT max(id) FROM visit_outcome p \
             WHERE p.campaign_id = o.campaign_id AND p.address_id = o.address_id) ORDER BY address_id",
        )?;
        let rows = stmt.query_map([campaign], |r| {
            Ok(KeptOutcome {
                address: r.get(0)?,
                turf_id: r.get(1)?,
                outcome: r.get(2)?,
                answers: r.get(3)?,
                note: r.get(4)?,
                at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl SqliteStore {
    /// Whether a turf may be reshaped: nobody holds it and nobody has visited a door of it.
    fn reshapable(tx: &rusqlite::Transaction<'_>, turf: i64) -> Result<()> {
        let (holder, visits): (Option<i64>, i64) = tx
            .query_row(
                "SELECT holder, (SELECT count(*) FROM visit_op v WHERE v.turf_id = t.id) FROM turf t WHERE t.id = ?1",
                [turf],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| Error::Conflict(format!("no turf {turf}")))?;
        if holder.is_some() {
            return Err(Error::Conflict(
                "a route someone walks is not reshaped: free it first".into(),
            ));
        }
        if visits > 0 {
            return Err(Error::Conflict(
                "a route with visits is not reshaped: its counts belong to it".into(),
            ));
        }
        Ok(())
    }

    /// Splits a turf in two at `at` doors (walking order kept): the second half becomes a new turf
    /// with the next free number. Returns the new turf's id.
    pub fn split_turf(&self, campaign: i64, turf: i64, at: usize) -> Result<i64> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        Self::reshapable(&tx, turf)?;
        let doors: i64 = tx.query_row(
            "SELECT count(*) FROM turf_door WHERE turf_id = ?1",
            [turf],
            |r| r.get(0),
        )?;
        let at = at as i64;
        if at < 1 || at >= doors {
            return Err(Error::Conflict(format!(
                "a route of {doors} doors splits after 1 to {} doors",
                doors - 1
            )));
        }
        let buurt: String =
            tx.query_row("SELECT buurt FROM turf WHERE id = ?1", [turf], |r| r.get(0))?;
        let number: i64 = tx.query_row(
            "SELECT coalesce(max(number), 0) + 1 FROM turf WHERE campaign_id = ?1",
            [campaign],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO turf (campaign_id, number, buurt) VALUES (?1, ?2, ?3)",
            params![campaign, number, buurt],
        )?;
        let new = tx.last_insert_rowid();
        tx.execute(
            "UPDATE turf_door SET turf_id = ?2, position = position - ?3 WHERE turf_id = ?1 AND position >= ?3",
            params![turf, new, at],
        )?;
        tx.commit()?;
        Ok(new)
    }

    /// Appends the doors of `other` to `turf` (in their walking order) and removes `other`.
    /// Redraws routes by hand: moves `addresses` (doors of other routes of `campaign`) to the end
    /// of `turf`, in the order given. Every route involved must be reshapable (nobody walks it, no
    /// visits); a route left without doors is removed. All or nothing. Returns the doors moved.
    pub fn move_doors(&self, campaign: i64, turf: i64, addresses: &[u64]) -> Result<usize> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let here: Option<i64> = tx
            .query_row("SELECT campaign_id FROM turf WHERE id = ?1", [turf], |r| {
                r.get(0)
            })
            .optional()?;
        if here != Some(campaign) {
            return Err(Error::Conflict(format!(
                "no turf {turf} in campaign {campaign}"
            )));
        }
        Self::reshapable(&tx, turf)?;
        let mut from: Vec<i64> = Vec::new();
        for a in addresses {
            let of: Option<i64> = tx
                .query_row(
                    "SELECT d.turf_id FROM turf_door d JOIN turf t ON t.id = d.turf_id \
                     WHERE t.campaign_id = ?1 AND d.address_id = ?2",
                    params![campaign, a],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(of) = of else {
                return Err(Error::Conflict(format!(
                    "address {a} is on no route of this campaign"
                )));
            };
            if of == turf {
                continue;
            }
            if !from.contains(&of) {
                Self::reshapable(&tx, of)?;
                from.push(of);
            }
        }
        let mut next: i64 = tx.query_row(
            "SELECT COALESCE(MAX(position), -1) + 1 FROM turf_door WHERE turf_id = ?1",
            [turf],
            |r| r.get(0),
        )?;
        let mut moved = 0;
        for a in addresses {
            let n = tx.execute(
                "UPDATE turf_door SET turf_id = ?1, position = ?2 \
                 WHERE address_id = ?3 AND turf_id IN (SELECT id FROM turf WHERE campaign_id = ?4) \
                 AND turf_id <> ?1",
                params![turf, next, a, campaign],
            )?;
            if n > 0 {
                next += 1;
                moved += n;
            }
        }
        for t in from {
            let left: i64 = tx.query_row(
                "SELECT count(*) FROM turf_door WHERE turf_id = ?1",
                [t],
                |r| r.get(0),
            )?;
            if left == 0 {
                tx.execute("DELETE FROM turf WHERE id = ?1", [t])?;
            }
        }
        tx.commit()?;
        Ok(moved)
    }

    pub fn merge_turfs(&self, campaign: i64, turf: i64, other: i64) -> Result<()> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        if turf == other {
            return Err(Error::Conflict("a route is not merged with itself".into()));
        }
        for t in [turf, other] {
            let here: Option<i64> = tx
                .query_row("SELECT campaign_id FROM turf WHERE id = ?1", [t], |r| {
                    r.get(0)
                })
                .optional()?;
            if here != Some(campaign) {
                return Err(Error::Conflict(format!(
                    "no turf {t} in campaign {campaign}"
                )));
            }
            Self::reshapable(&tx, t)?;
        }
        let len: i64 = tx.query_row(
            "SELECT count(*) FROM turf_door WHERE turf_id = ?1",
            [turf],
            |r| r.get(0),
        )?;
        tx.execute(
            "UPDATE turf_door SET turf_id = ?2, position = position + ?3 WHERE turf_id = ?1",
            params![other, turf, len],
        )?;
        tx.execute("DELETE FROM turf WHERE id = ?1", [other])?;
        tx.commit()?;
        Ok(())
    }
}

/// A door on a campaign route, as the urgency indicators read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoorRecord {
    /// Knocked on in some campaign.
    pub visited: bool,
    /// Someone answered.
    pub answered: bool,
    /// The household signed up.
    pub signed_up: bool,
    /// The account that knocked last, when known.
    pub visitor: Option<i64>,
}

impl SqliteStore {
    /// Every address on a route of any campaign with what the campaigns know of it (for the
    /// urgency indicators): knocked on, answered, signed up, and who knocked last.
    pub fn campaign_door_states(&self) -> Result<Vec<(u64, DoorRecord)>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT d.address_id, \
                    COALESCE(MAX(v.address_id IS NOT NULL), 0), \
                    COALESCE(MAX(v.answered), 0), \
                    COALESCE(MAX(v.signed_up), 0), \
                    (SELECT v2.by_user FROM visit_door v2 WHERE v2.address_id = d.address_id \
                     ORDER BY v2.at DESC LIMIT 1) \
             FROM (SELECT DISTINCT address_id FROM turf_door) d \
             LEFT JOIN visit_door v ON v.address_id = d.address_id \
             GROUP BY d.address_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, u64>(0)?,
                    DoorRecord {
                        visited: r.get::<_, i64>(1)? == 1,
                        answered: r.get::<_, i64>(2)? == 1,
                        signed_up: r.get::<_, i64>(3)? == 1,
                        visitor: r.get(4)?,
                    },
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
