//! Accounts, roles and the custom areas admins draw. Part of [`SqliteStore`]; every write is one statement or one transaction, durable
//! when it returns (WAL, `synchronous = FULL`).

use rusqlite::{OptionalExtension, params};

use super::SqliteStore;
use super::people::{USER_COLUMNS, is_unique_violation, user_row};
use crate::people::{CustomAreaRecord, UserRecord};
use crate::{Error, Result};

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

    /// Sets the organisation an account acts for (a partner's); empty for none. False when there
    /// is no such account.
    pub fn set_organisation(&self, id: i64, organisation: &str) -> Result<bool> {
        let n = self.lock().execute(
            "UPDATE users SET organisation = ?2 WHERE id = ?1",
            params![id, organisation],
        )?;
        Ok(n > 0)
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

    /// The installation's secret `name`: the one kept, or `made` kept now (the first caller's
    /// wins when two race). Durable when it returns.
    pub fn install_secret(&self, name: &str, made: &[u8]) -> Result<Vec<u8>> {
        let conn = self.lock();
        conn.execute(
            "INSERT OR IGNORE INTO install_secret (name, value) VALUES (?1, ?2)",
            params![name, made],
        )?;
        Ok(conn.query_row(
            "SELECT value FROM install_secret WHERE name = ?1",
            [name],
            |r| r.get(0),
        )?)
    }
}
