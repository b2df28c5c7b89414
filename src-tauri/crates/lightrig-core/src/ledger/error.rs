//! The ledger's one error type. Every message says what happened and what the user can do, so
//! the UI can show it as is.

use std::path::PathBuf;

/// Everything that can go wrong in the ledger.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(
        "could not create the ledger folder {path}: {source}. Check that the folder is writable \
         or choose another data folder."
    )]
    CreateDir { path: PathBuf, source: std::io::Error },

    #[error(
        "could not open the ledger {path}: {source}. Check that the file is readable and writable \
         and that no other program holds it."
    )]
    Open { path: PathBuf, source: rusqlite::Error },

    #[error(
        "the ledger {path} was written by a newer Lightrig (schema version {found}; this version \
         knows up to {supported}). It was left untouched: update Lightrig to use it, or move the \
         file away to start a new ledger."
    )]
    NewerVersion { path: PathBuf, found: i64, supported: i64 },

    #[error(
        "SQLite refused write-ahead logging for {path} (journal mode stayed \"{mode}\"). The \
         folder may be on a network or read-only drive; choose a local data folder."
    )]
    WalRefused { path: PathBuf, mode: String },

    #[error(
        "the ledger {path} is damaged ({reason}) and could not be moved aside to {target}: \
         {source}. Move the file away by hand, then start Lightrig again."
    )]
    MoveAside { path: PathBuf, target: PathBuf, reason: String, source: std::io::Error },

    #[error(
        "a new ledger created at {path} reports damage too ({reason}). The disk or folder may be \
         failing; choose another data folder."
    )]
    StillDamaged { path: PathBuf, reason: String },

    #[error(
        "could not bring the ledger {path} up to date: {source}. The file was not changed; \
         report this together with the file."
    )]
    Migrate { path: PathBuf, source: rusqlite_migration::Error },

    #[error(
        "ledger database error while {action}: {source}. If it repeats, check free disk space \
         and restart Lightrig."
    )]
    Sqlite { action: &'static str, source: rusqlite::Error },

    #[error("reward {key:?} of node {node_id:?} was not recorded: {reason}")]
    InvalidReward { node_id: String, key: String, reason: String },

    #[error("sample at {at_ms} was not recorded: {reason}")]
    InvalidSample { at_ms: i64, reason: String },

    #[error(
        "a stored row in table {table} could not be read: {reason}. The ledger file may have \
         been edited by another program."
    )]
    BadRow { table: &'static str, reason: String },

    #[error(
        "the total of {asset} ({state}) does not fit in 128 bits; the ledger holds implausible \
         amounts for this asset. Check the rewards recorded for it."
    )]
    TotalOverflow { asset: String, state: &'static str },
}

/// Attaches what the ledger was doing to a SQLite error.
pub(crate) trait SqlContext<T> {
    fn ctx(self, action: &'static str) -> Result<T, LedgerError>;
}

impl<T> SqlContext<T> for Result<T, rusqlite::Error> {
    fn ctx(self, action: &'static str) -> Result<T, LedgerError> {
        self.map_err(|source| LedgerError::Sqlite { action, source })
    }
}
