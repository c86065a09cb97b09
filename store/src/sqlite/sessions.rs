//! Sessions and sign-in codes. Part of [`SqliteStore`]; every write is one statement or one transaction, durable
//! when it returns (WAL, `synchronous = FULL`).

use rusqlite::{OptionalExtension, params};

use super::SqliteStore;
use super::people::MAX_CODE_ATTEMPTS;
use crate::Result;
use crate::people::{Redeemed, SessionRecord};

impl SqliteStore {
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
                 WHERE link_hash = ?1 AND purpose = 'sign_in' AND used_at IS NULL \
                 AND expires_at > ?2 AND attempts < ?3 \
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
                             AND purpose = 'sign_in' AND used_at IS NULL AND expires_at > ?3 AND attempts < ?4 \
                             ORDER BY id DESC LIMIT 1) \
                 RETURNING email",
                params![email, code_hash, now, MAX_CODE_ATTEMPTS],
                |r| r.get(0),
            )
            .optional()?;
        if hit.is_none() {
            tx.execute(
                "UPDATE login_tokens SET attempts = attempts + 1 \
                 WHERE email = ?1 AND purpose = 'sign_in' AND used_at IS NULL AND expires_at > ?2",
                params![email, now],
            )?;
        }
        tx.commit()?;
        Ok(hit.map_or(Redeemed::Invalid, Redeemed::Email))
    }

    // ----- password links -------------------------------------------------------------------

    /// Stores a one-time link to set the password of the account with `email`, and voids any
    /// earlier unused one of that account (only the newest mail works). One transaction.
    pub fn add_password_link(
        &self,
        email: &str,
        link_hash: &[u8],
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        let mut conn = self.lock();
        let tx = super::write_tx(&mut conn)?;
        tx.execute(
            "UPDATE login_tokens SET used_at = ?2 \
             WHERE email = ?1 AND purpose = 'password' AND used_at IS NULL",
            params![email, now],
        )?;
        // A password link has no code: the code hash is the empty blob, which no typed code
        // hashes to, and code sign-in looks at sign-in rows only.
        tx.execute(
            "INSERT INTO login_tokens (email, link_hash, code_hash, created_at, expires_at, purpose) \
             VALUES (?1, ?2, x'', ?3, ?4, 'password')",
            params![email, link_hash, now, expires_at],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Redeems a password link: valid once, before it expires. The account's address, or
    /// [`Redeemed::Invalid`].
    pub fn redeem_password_link(&self, link_hash: &[u8], now: i64) -> Result<Redeemed> {
        let email: Option<String> = self
            .lock()
            .query_row(
                "UPDATE login_tokens SET used_at = ?2 \
                 WHERE link_hash = ?1 AND purpose = 'password' AND used_at IS NULL \
                 AND expires_at > ?2 \
                 RETURNING email",
                params![link_hash, now],
                |r| r.get(0),
            )
            .optional()?;
        Ok(email.map_or(Redeemed::Invalid, Redeemed::Email))
    }
}
