//! Reporters: the pseudonym an observation carries (an account's or a device session's) and the contact details kept apart from it. Part of [`SqliteStore`]; every write is one statement or one transaction, durable
//! when it returns (WAL, `synchronous = FULL`).

use rusqlite::{OptionalExtension, params};

use super::SqliteStore;
use crate::Result;
use crate::people::ReporterContact;

impl SqliteStore {
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
}
