//! What households said: address verification by letter code, opt-outs per purpose, and the consent ledger. Part of [`SqliteStore`]; every write is one statement or one transaction, durable
//! when it returns (WAL, `synchronous = FULL`).

use rusqlite::{OptionalExtension, params};

use super::SqliteStore;
use crate::Result;
use crate::people::ConsentRecord;

impl SqliteStore {
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
}
