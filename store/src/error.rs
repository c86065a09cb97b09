//! Errors of the store.

use std::path::PathBuf;

/// What went wrong reading or writing the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database file could not be opened or migrated.
    #[error("cannot open store {path}: {source}")]
    Open {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: rusqlite::Error,
    },
    /// The database was written by a newer wijkwerk.
    #[error("store {path} has schema version {found}; this wijkwerk knows up to {known}")]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Version found.
        found: i64,
        /// Newest version this build knows.
        known: i64,
    },
    /// Another import holds the write lock.
    #[error("the store is busy with another import")]
    Busy,
    /// A stored row does not decode (the file was changed by something else).
    #[error("corrupt row in table {table}, id {id}: {reason}")]
    CorruptRow {
        /// Table.
        table: &'static str,
        /// Row id.
        id: String,
        /// Why.
        reason: String,
    },
    /// A unique value (e.g. an e-mail address) is already taken.
    #[error("{0}")]
    Conflict(String),
    /// SQLite failed.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// Result with the store [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
