//! The people side of [`SqliteStore`]: accounts, sessions, reporters, observations, the privacy
//! registers, the audit log and retention. Every write is one statement or one transaction, durable
//! when it returns (WAL, `synchronous = FULL`).

use rusqlite::{OptionalExtension, Row, params};

use super::SqliteStore;
use crate::people::{
    AuditRecord, ConsentRecord, ContestRecord, CustomAreaRecord, NewObservation, ObservationRecord,
    Redeemed, ReporterContact, RetentionOutcome, RetentionRules, SessionRecord, UserRecord,
};
use crate::{Error, Result};

/// Wrong codes allowed per sign-in mail before it is void.
pub const MAX_CODE_ATTEMPTS: i64 = 5;

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
}

const USER_COLUMNS: &str = "id, email, display_name, password_hash, totp_secret, totp_pending, \
                            totp_last_step, disabled, created_at";

fn user_row(r: &Row<'_>) -> rusqlite::Result<UserRecord> {
    Ok(UserRecord {
        id: r.get(0)?,
        email: r.get(1)?,
        display_name: r.get(2)?,
        password_hash: r.get(3)?,
        totp_secret: r.get(4)?,
        totp_pending: r.get(5)?,
        totp_last_step: r.get(6)?,
        disabled: r.get(7)?,
        created_at: r.get(8)?,
        roles: Vec::new(),
    })
}

const OBSERVATION_COLUMNS: &str = "id, type, building_id, address_id, lon, lat, buurtcode, \
     observed_at, created_at, source, reporter_id, status, closed_at, answers";

pub(super) fn observation_row(r: &Row<'_>) -> rusqlite::Result<ObservationRecord> {
    Ok(ObservationRecord {
        id: r.get(0)?,
        observation: NewObservation {
            kind: r.get(1)?,
            building_id: r.get(2)?,
            address_id: r.get(3)?,
            lonlat: [r.get(4)?, r.get(5)?],
            buurtcode: r.get(6)?,
            observed_at: r.get(7)?,
            source: r.get(9)?,
            reporter_id: r.get(10)?,
            answers: r.get(13)?,
        },
        created_at: r.get(8)?,
        status: r.get(11)?,
        closed_at: r.get(12)?,
    })
}

impl SqliteStore {
    // ----- accounts -------------------------------------------------------------------------

    /// Creates an account. Fails with [`Error::Conflict`] when the e-mail address is taken.
    pub fn create_user(
        &self,
        email: &str,
        display_name: &str,
        password_hash: Option<&str>,
        roles: &[(String, String)],
        now: i64,
    ) -> Result<i64> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let id = match tx.execute(
            "INSERT INTO users (email, display_name, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![email, display_name, password_hash, now],
        ) {
            Ok(_) => tx.last_insert_rowid(),
            Err(e) if is_unique_violation(&e) => {
                return Err(Error::Conflict(format!("an account for {email} exists")));
            }
            Err(e) => return Err(e.into()),
        };
        for (role, scope) in roles {
            tx.execute(
                "INSERT OR IGNORE INTO user_roles (user_id, role, scope) VALUES (?1, ?2, ?3)",
                params![id, role, scope],
            )?;
        }
        tx.commit()?;
        Ok(id)
    }

    fn with_roles(&self, mut user: UserRecord) -> Result<UserRecord> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT role, scope FROM user_roles WHERE user_id = ?1 ORDER BY role, scope",
        )?;
        user.roles = stmt
            .query_map([user.id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(user)
    }

    /// The account with this id.
    pub fn user(&self, id: i64) -> Result<Option<UserRecord>> {
        let user = self
            .lock()
            .query_row(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"),
                [id],
                user_row,
            )
            .optional()?;
        user.map(|u| self.with_roles(u)).transpose()
    }

    /// The account with this e-mail address (case-insensitive).
    pub fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>> {
        let user = self
            .lock()
            .query_row(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE email = ?1"),
                [email],
                user_row,
            )
            .optional()?;
        user.map(|u| self.with_roles(u)).transpose()
    }

    /// Every account, by id.
    pub fn users(&self) -> Result<Vec<UserRecord>> {
        let users: Vec<UserRecord> = {
            let conn = self.lock();
            let mut stmt =
                conn.prepare(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY id"))?;
            stmt.query_map([], user_row)?
                .collect::<rusqlite::Result<_>>()?
        };
        users.into_iter().map(|u| self.with_roles(u)).collect()
    }

    /// Replaces the roles of an account. Returns false when there is no such account.
    pub fn set_roles(&self, user_id: i64, roles: &[(String, String)]) -> Result<bool> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1)",
            [user_id],
            |r| r.get(0),
        )?;
        if !exists {
            return Ok(false);
        }
        tx.execute("DELETE FROM user_roles WHERE user_id = ?1", [user_id])?;
        for (role, scope) in roles {
            tx.execute(
                "INSERT OR IGNORE INTO user_roles (user_id, role, scope) VALUES (?1, ?2, ?3)",
                params![user_id, role, scope],
            )?;
        }
        tx.commit()?;
        Ok(true)
    }

    /// Disables or enables an account; disabling ends all its sessions. False when missing.
    pub fn set_disabled(&self, user_id: i64, disabled: bool) -> Result<bool> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let n = tx.execute(
            "UPDATE users SET disabled = ?2 WHERE id = ?1",
            params![user_id, disabled],
        )?;
        if disabled {
            tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])?;
        }
        tx.commit()?;
        Ok(n == 1)
    }

    /// Sets the password hash.
    pub fn set_password(&self, user_id: i64, hash: &str) -> Result<()> {
        self.lock().execute(
            "UPDATE users SET password_hash = ?2 WHERE id = ?1",
            params![user_id, hash],
        )?;
        Ok(())
    }

    /// Sets (or clears) the TOTP secret being enrolled.
    pub fn set_totp_pending(&self, user_id: i64, secret: Option<&str>) -> Result<()> {
        self.lock().execute(
            "UPDATE users SET totp_pending = ?2 WHERE id = ?1",
            params![user_id, secret],
        )?;
        Ok(())
    }

    /// Makes the pending TOTP secret the confirmed one, remembering the step used.
    pub fn confirm_totp(&self, user_id: i64, step: i64) -> Result<()> {
        self.lock().execute(
            "UPDATE users SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = ?2 \
             WHERE id = ?1 AND totp_pending IS NOT NULL",
            params![user_id, step],
        )?;
        Ok(())
    }

    /// Records a used TOTP step; false when this or a later step was used before (replay).
    pub fn use_totp_step(&self, user_id: i64, step: i64) -> Result<bool> {
        let n = self.lock().execute(
            "UPDATE users SET totp_last_step = ?2 \
             WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)",
            params![user_id, step],
        )?;
        Ok(n == 1)
    }

    // ----- custom areas ---------------------------------------------------------------------

    /// Stores a drawn area (WKB, WGS84).
    pub fn add_custom_area(&self, name: &str, wkb: &[u8], now: i64) -> Result<i64> {
        let conn = self.lock();
        conn.execute(
            "INSERT INTO custom_areas (name, geometry, created_at) VALUES (?1, ?2, ?3)",
            params![name, wkb, now],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// Every drawn area.
    pub fn custom_areas(&self) -> Result<Vec<CustomAreaRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare("SELECT id, name, geometry FROM custom_areas ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(CustomAreaRecord {
                id: r.get(0)?,
                name: r.get(1)?,
                wkb: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ----- reporters ------------------------------------------------------------------------

    /// The pseudonymous reporter of an account, created on first use.
    pub fn reporter_for_user(&self, user_id: i64, now: i64) -> Result<i64> {
        let conn = self.lock();
        conn.execute(
            "INSERT OR IGNORE INTO reporters (user_id, created_at) VALUES (?1, ?2)",
            params![user_id, now],
        )?;
        Ok(conn.query_row(
            "SELECT id FROM reporters WHERE user_id = ?1",
            [user_id],
            |r| r.get(0),
        )?)
    }

    /// A new device reporter (no account).
    pub fn new_device_reporter(&self, now: i64) -> Result<i64> {
        let conn = self.lock();
        conn.execute("INSERT INTO reporters (created_at) VALUES (?1)", [now])?;
        Ok(conn.last_insert_rowid())
    }

    /// Sets a reporter's contact details.
    pub fn set_reporter_contact(
        &self,
        reporter_id: i64,
        contact: &ReporterContact,
        now: i64,
    ) -> Result<()> {
        self.lock().execute(
            "INSERT INTO reporter_contacts (reporter_id, name, email, phone, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (reporter_id) DO UPDATE SET \
             name = excluded.name, email = excluded.email, phone = excluded.phone, \
             updated_at = excluded.updated_at",
            params![reporter_id, contact.name, contact.email, contact.phone, now],
        )?;
        Ok(())
    }

    /// A reporter's contact details, if any are kept.
    pub fn reporter_contact(&self, reporter_id: i64) -> Result<Option<ReporterContact>> {
        Ok(self
            .lock()
            .query_row(
                "SELECT name, email, phone FROM reporter_contacts WHERE reporter_id = ?1",
                [reporter_id],
                |r| {
                    Ok(ReporterContact {
                        name: r.get(0)?,
                        email: r.get(1)?,
                        phone: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// The account behind a reporter, if any.
    pub fn reporter_user(&self, reporter_id: i64) -> Result<Option<i64>> {
        Ok(self
            .lock()
            .query_row(
                "SELECT user_id FROM reporters WHERE id = ?1",
                [reporter_id],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()?
            .flatten())
    }

    // ----- sessions -------------------------------------------------------------------------

    /// Stores a new session.
    pub fn create_session(&self, s: &SessionRecord) -> Result<()> {
        self.lock().execute(
            "INSERT INTO sessions (token_hash, user_id, reporter_id, csrf, created_at, last_seen_at, expires_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![s.token_hash, s.user_id, s.reporter_id, s.csrf, s.created_at, s.last_seen_at, s.expires_at],
        )?;
        Ok(())
    }

    /// The live session with this token hash at `now`.
    pub fn session(&self, token_hash: &[u8], now: i64) -> Result<Option<SessionRecord>> {
        Ok(self
            .lock()
            .prepare_cached(
                "SELECT token_hash, user_id, reporter_id, csrf, created_at, last_seen_at, expires_at \
                 FROM sessions WHERE token_hash = ?1 AND expires_at > ?2",
            )?
            .query_row(params![token_hash, now], |r| {
                Ok(SessionRecord {
                    token_hash: r.get(0)?,
                    user_id: r.get(1)?,
                    reporter_id: r.get(2)?,
                    csrf: r.get(3)?,
                    created_at: r.get(4)?,
                    last_seen_at: r.get(5)?,
                    expires_at: r.get(6)?,
                })
            })
            .optional()?)
    }

    /// Extends a session (sliding expiry).
    pub fn touch_session(&self, token_hash: &[u8], now: i64, expires_at: i64) -> Result<()> {
        self.lock()
            .prepare_cached(
                "UPDATE sessions SET last_seen_at = ?2, expires_at = ?3 WHERE token_hash = ?1",
            )?
            .execute(params![token_hash, now, expires_at])?;
        Ok(())
    }

    /// Ends a session.
    pub fn delete_session(&self, token_hash: &[u8]) -> Result<()> {
        self.lock()
            .execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }

    /// Ends every session of an account; returns how many.
    pub fn delete_user_sessions(&self, user_id: i64) -> Result<u64> {
        Ok(self
            .lock()
            .execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])? as u64)
    }

    /// Ends every session of an account but one; returns how many ended.
    pub fn delete_user_sessions_except(&self, user_id: i64, keep: &[u8]) -> Result<u64> {
        Ok(self.lock().execute(
            "DELETE FROM sessions WHERE user_id = ?1 AND token_hash <> ?2",
            params![user_id, keep],
        )? as u64)
    }

    /// The live sessions of an account, newest first.
    pub fn user_sessions(&self, user_id: i64, now: i64) -> Result<Vec<SessionRecord>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT token_hash, user_id, reporter_id, csrf, created_at, last_seen_at, expires_at \
             FROM sessions WHERE user_id = ?1 AND expires_at > ?2 ORDER BY created_at DESC",
        )?;
        let rows = stmt.query_map(params![user_id, now], |r| {
            Ok(SessionRecord {
                token_hash: r.get(0)?,
                user_id: r.get(1)?,
                reporter_id: r.get(2)?,
                csrf: String::new(),
                created_at: r.get(4)?,
                last_seen_at: r.get(5)?,
                expires_at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ----- sign-in codes --------------------------------------------------------------------

    /// Stores a sign-in link and code for `email`.
    pub fn add_login_token(
        &self,
        email: &str,
        link_hash: &[u8],
        code_hash: &[u8],
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        self.lock().execute(
            "INSERT INTO login_tokens (email, link_hash, code_hash, created_at, expires_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![email, link_hash, code_hash, now, expires_at],
        )?;
        Ok(())
    }

    /// Redeems a sign-in link: valid once, before it expires.
    pub fn redeem_login_link(&self, link_hash: &[u8], now: i64) -> Result<Redeemed> {
        let conn = self.lock();
        let email: Option<String> = conn
            .query_row(
                "UPDATE login_tokens SET used_at = ?2 \
                 WHERE link_hash = ?1 AND used_at IS NULL AND expires_at > ?2 AND attempts < ?3 \
                 RETURNING email",
                params![link_hash, now, MAX_CODE_ATTEMPTS],
                |r| r.get(0),
            )
            .optional()?;
        Ok(email.map_or(Redeemed::Invalid, Redeemed::Email))
    }

    /// Redeems a code for `email`: valid once, before it expires, and void after
    /// [`MAX_CODE_ATTEMPTS`] wrong tries on the live codes of that address.
    pub fn redeem_login_code(&self, email: &str, code_hash: &[u8], now: i64) -> Result<Redeemed> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let hit: Option<String> = tx
            .query_row(
                "UPDATE login_tokens SET used_at = ?3 \
                 WHERE id = (SELECT id FROM login_tokens WHERE email = ?1 AND code_hash = ?2 \
                             AND used_at IS NULL AND expires_at > ?3 AND attempts < ?4 \
                             ORDER BY id DESC LIMIT 1) \
                 RETURNING email",
                params![email, code_hash, now, MAX_CODE_ATTEMPTS],
                |r| r.get(0),
            )
            .optional()?;
        if hit.is_none() {
            tx.execute(
                "UPDATE login_tokens SET attempts = attempts + 1 \
                 WHERE email = ?1 AND used_at IS NULL AND expires_at > ?2",
                params![email, now],
            )?;
        }
        tx.commit()?;
        Ok(hit.map_or(Redeemed::Invalid, Redeemed::Email))
    }

    // ----- address verification -------------------------------------------------------------

    /// Sets the letter code of an address, replacing an earlier one.
    pub fn set_address_code(
        &self,
        address_id: u64,
        code_hash: &[u8],
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        self.lock().execute(
            "INSERT INTO address_codes (address_id, code_hash, created_at, expires_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (address_id) DO UPDATE SET code_hash = excluded.code_hash, \
             created_at = excluded.created_at, expires_at = excluded.expires_at",
            params![address_id, code_hash, now, expires_at],
        )?;
        Ok(())
    }

    /// Redeems a letter code for an account: the account becomes a verified resident of the
    /// address. The code stays valid for other members of the household until it expires.
    pub fn redeem_address_code(
        &self,
        code_hash: &[u8],
        user_id: i64,
        now: i64,
    ) -> Result<Option<u64>> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        let address: Option<u64> = tx
            .query_row(
                "SELECT address_id FROM address_codes WHERE code_hash = ?1 AND expires_at > ?2",
                params![code_hash, now],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(a) = address {
            tx.execute(
                "INSERT OR IGNORE INTO address_residents (user_id, address_id, verified_at) VALUES (?1, ?2, ?3)",
                params![user_id, a, now],
            )?;
        }
        tx.commit()?;
        Ok(address)
    }

    /// Addresses an account verified.
    pub fn verified_addresses(&self, user_id: i64) -> Result<Vec<u64>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT address_id FROM address_residents WHERE user_id = ?1 ORDER BY address_id",
        )?;
        let rows = stmt.query_map([user_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // ----- opt-outs and consents ------------------------------------------------------------

    /// Registers an opt-out of `purpose` for an address (idempotent).
    pub fn set_opt_out(&self, address_id: u64, purpose: &str, now: i64) -> Result<()> {
        self.lock().execute(
            "INSERT OR IGNORE INTO opt_outs (address_id, purpose, created_at) VALUES (?1, ?2, ?3)",
            params![address_id, purpose, now],
        )?;
        Ok(())
    }

    /// Withdraws an opt-out (idempotent).
    pub fn clear_opt_out(&self, address_id: u64, purpose: &str) -> Result<()> {
        self.lock().execute(
            "DELETE FROM opt_outs WHERE address_id = ?1 AND purpose = ?2",
            params![address_id, purpose],
        )?;
        Ok(())
    }

    /// Every opt-out: (address, purpose).
    pub fn opt_outs(&self) -> Result<Vec<(u64, String)>> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare("SELECT address_id, purpose FROM opt_outs ORDER BY address_id, purpose")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Appends to the consent ledger.
    pub fn add_consent(&self, user_id: i64, purpose: &str, given: bool, now: i64) -> Result<()> {
        self.lock().execute(
            "INSERT INTO consents (user_id, purpose, given, at) VALUES (?1, ?2, ?3, ?4)",
            params![user_id, purpose, given, now],
        )?;
        Ok(())
    }

    /// The whole ledger of an account, oldest first.
    pub fn consent_history(&self, user_id: i64) -> Result<Vec<ConsentRecord>> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare("SELECT purpose, given, at FROM consents WHERE user_id = ?1 ORDER BY id")?;
        let rows = stmt.query_map([user_id], |r| {
            Ok(ConsentRecord {
                purpose: r.get(0)?,
                given: r.get(1)?,
                at: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Has the account behind a reporter consented to `purpose` (newest ledger entry)?
    pub fn reporter_consents(&self, reporter_id: i64, purpose: &str) -> Result<bool> {
        Ok(self
            .lock()
            .query_row(
                "SELECT c.given FROM consents c JOIN reporters r ON r.user_id = c.user_id \
                 WHERE r.id = ?1 AND c.purpose = ?2 ORDER BY c.id DESC LIMIT 1",
                params![reporter_id, purpose],
                |r| r.get::<_, bool>(0),
            )
            .optional()?
            .unwrap_or(false))
    }

    // ----- observations ---------------------------------------------------------------------

    /// Stores an observation; durable when it returns.
    pub fn insert_observation(&self, o: &NewObservation, now: i64) -> Result<i64> {
        let conn = self.lock();
        conn.prepare_cached(
            "INSERT INTO observations (type, building_id, address_id, lon, lat, buurtcode, observed_at, \
             created_at, source, reporter_id, answers) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
            o.answers
        ])?;
        Ok(conn.last_insert_rowid())
    }

    /// One observation.
    pub fn observation(&self, id: i64) -> Result<Option<ObservationRecord>> {
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
    pub fn close_observation(&self, id: i64, status: &str, now: i64) -> Result<bool> {
        Ok(self.lock().execute(
            "UPDATE observations SET status = ?2, closed_at = ?3 WHERE id = ?1",
            params![id, status, now],
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    const DAY: i64 = 86_400;

    fn store() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStore::open(dir.path().join("s.sqlite")).unwrap();
        (dir, s)
    }

    fn obs(reporter_id: i64) -> NewObservation {
        NewObservation {
            kind: "solar_panels".into(),
            building_id: Some(1),
            address_id: Some(2),
            lonlat: [5.0, 52.0],
            buurtcode: Some("BU19990101".into()),
            observed_at: 0,
            source: "resident".into(),
            reporter_id,
            answers: "{}".into(),
        }
    }

    #[test]
    fn users_are_unique_by_email_case_insensitively() {
        let (_d, s) = store();
        let id = s
            .create_user("A@x.nl", "A", None, &[("resident".into(), "all".into())], 1)
            .unwrap();
        assert!(matches!(
            s.create_user("a@X.nl", "B", None, &[], 1),
            Err(Error::Conflict(_))
        ));
        let u = s.user_by_email("a@x.NL").unwrap().unwrap();
        assert_eq!(u.id, id);
        assert_eq!(u.roles, vec![("resident".to_owned(), "all".to_owned())]);
    }

    #[test]
    fn login_codes_are_single_use_expire_and_lock_after_attempts() {
        let (_d, s) = store();
        s.add_login_token("r@x.nl", b"link", b"code", 100, 200)
            .unwrap();
        assert_eq!(
            s.redeem_login_code("r@x.nl", b"code", 250).unwrap(),
            Redeemed::Invalid
        );
        s.add_login_token("r@x.nl", b"link2", b"code2", 300, 400)
            .unwrap();
        assert_eq!(
            s.redeem_login_code("r@x.nl", b"code2", 350).unwrap(),
            Redeemed::Email("r@x.nl".into())
        );
        assert_eq!(
            s.redeem_login_code("r@x.nl", b"code2", 351).unwrap(),
            Redeemed::Invalid
        );
        assert_eq!(
            s.redeem_login_link(b"link2", 351).unwrap(),
            Redeemed::Invalid
        );
        s.add_login_token("r@x.nl", b"link3", b"code3", 400, 500)
            .unwrap();
        for _ in 0..MAX_CODE_ATTEMPTS {
            assert_eq!(
                s.redeem_login_code("r@x.nl", b"nope", 401).unwrap(),
                Redeemed::Invalid
            );
        }
        assert_eq!(
            s.redeem_login_code("r@x.nl", b"code3", 402).unwrap(),
            Redeemed::Invalid
        );
        assert_eq!(
            s.redeem_login_link(b"link3", 402).unwrap(),
            Redeemed::Invalid
        );
    }

    #[test]
    fn audit_log_is_append_only_except_for_retention() {
        let (_d, s) = store();
        s.audit(10, "user:1", "sign_in", "", "").unwrap();
        assert!(s.lock().execute("DELETE FROM audit_log", []).is_err());
        assert!(
            s.lock()
                .execute("UPDATE audit_log SET actor = 'x'", [])
                .is_err()
        );
        let rules = RetentionRules {
            audit_log: Some(5),
            ..RetentionRules::default()
        };
        let out = s.run_retention(&rules, 100).unwrap();
        assert!(out.iter().any(|o| o.kind == "audit_log" && o.removed == 1));
        assert!(s.audit_events(10, None).unwrap().is_empty());
        assert!(
            s.lock().execute("DELETE FROM audit_log", []).is_ok(),
            "gate closed again, table empty"
        );
        s.audit(10, "user:1", "sign_in", "", "").unwrap();
        assert!(s.lock().execute("DELETE FROM audit_log", []).is_err());
    }

    #[test]
    fn consent_ledger_keeps_history_and_newest_wins() {
        let (_d, s) = store();
        let u = s.create_user("c@x.nl", "", None, &[], 0).unwrap();
        let rep = s.reporter_for_user(u, 0).unwrap();
        assert!(!s.reporter_consents(rep, "contact").unwrap());
        s.add_consent(u, "contact", true, 1).unwrap();
        assert!(s.reporter_consents(rep, "contact").unwrap());
        s.add_consent(u, "contact", false, 2).unwrap();
        assert!(!s.reporter_consents(rep, "contact").unwrap());
        assert_eq!(s.consent_history(u).unwrap().len(), 2);
        assert!(
            s.lock()
                .execute("UPDATE consents SET given = 1", [])
                .is_err()
        );
    }

    #[test]
    fn retention_anonymises_contacts_365_days_after_the_last_report_closed() {
        let (_d, s) = store();
        let closed = s.new_device_reporter(0).unwrap();
        let open = s.new_device_reporter(0).unwrap();
        let contact = ReporterContact {
            email: Some("me@x.nl".into()),
            ..ReporterContact::default()
        };
        s.set_reporter_contact(closed, &contact, 0).unwrap();
        s.set_reporter_contact(open, &contact, 0).unwrap();
        let a = s.insert_observation(&obs(closed), 0).unwrap();
        s.insert_observation(&obs(open), 0).unwrap();
        s.close_observation(a, "resolved", 10 * DAY).unwrap();
        let rules = RetentionRules::default();
        // 364 days after closing: kept.
        s.run_retention(&rules, 374 * DAY).unwrap();
        assert!(s.reporter_contact(closed).unwrap().is_some());
        // 365 days after closing: gone; the open reporter's contact stays; the report stays.
        let out = s.run_retention(&rules, 375 * DAY).unwrap();
        assert!(s.reporter_contact(closed).unwrap().is_none());
        assert!(s.reporter_contact(open).unwrap().is_some());
        assert!(s.observation(a).unwrap().is_some());
        let c = out.iter().find(|o| o.kind == "reporter_contacts").unwrap();
        assert_eq!(c.removed, 1);
        assert_eq!(s.last_retention_runs().unwrap().len(), 7);
    }

    #[test]
    fn retention_removes_idle_device_reporters_and_expired_sessions() {
        let (_d, s) = store();
        let idle = s.new_device_reporter(0).unwrap();
        let active = s.new_device_reporter(0).unwrap();
        s.insert_observation(&obs(active), 0).unwrap();
        s.create_session(&SessionRecord {
            token_hash: vec![1],
            user_id: None,
            reporter_id: Some(idle),
            csrf: "c".into(),
            created_at: 0,
            last_seen_at: 0,
            expires_at: DAY,
        })
        .unwrap();
        s.run_retention(&RetentionRules::default(), 91 * DAY)
            .unwrap();
        assert!(s.session(&[1], 0).unwrap().is_none());
        let left: Vec<i64> = s
            .lock()
            .prepare("SELECT id FROM reporters")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(left, vec![active]);
    }

    #[test]
    fn letter_codes_verify_residents_until_they_expire() {
        let (_d, s) = store();
        let u = s.create_user("v@x.nl", "", None, &[], 0).unwrap();
        s.set_address_code(42, b"h", 0, 100).unwrap();
        assert_eq!(s.redeem_address_code(b"h", u, 101).unwrap(), None);
        s.set_address_code(42, b"h2", 200, 300).unwrap();
        assert_eq!(
            s.redeem_address_code(b"h", u, 201).unwrap(),
            None,
            "replaced"
        );
        assert_eq!(s.redeem_address_code(b"h2", u, 201).unwrap(), Some(42));
        assert_eq!(s.verified_addresses(u).unwrap(), vec![42]);
    }
}
