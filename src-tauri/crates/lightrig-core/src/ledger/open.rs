//! Opening the ledger file safely: pragmas, the damage check, moving a damaged file aside, and
//! the schema version check.
//!
//! Order matters. The schema version is read before anything can write, so a file from a newer
//! Lightrig is refused byte-for-byte untouched (switching a rollback-journal file to WAL would
//! rewrite its header). `journal_mode=WAL` is set outside any transaction, because SQLite
//! silently ignores it inside one (for example inside a migration), and the answer is checked.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode};

use super::error::LedgerError;
use super::schema::{LATEST_VERSION, MIGRATIONS};

/// What `Ledger::open` found and did on the way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenReport {
    /// Where a damaged ledger was moved before a fresh one was created. The UI tells the user,
    /// since the old records are no longer shown.
    pub moved_aside: Option<PathBuf>,
}

/// Why preparing a connection stopped: the file is damaged (move it aside) or something else
/// went wrong (report it, leave the file alone).
enum Stop {
    Damaged(String),
    Failed(LedgerError),
}

/// Is this SQLite error a sign that the file itself is damaged (as opposed to locked,
/// unreadable or full)?
fn is_damage(error: &rusqlite::Error) -> bool {
    matches!(error.sqlite_error_code(), Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt))
}

fn stop(path: &Path, source: rusqlite::Error) -> Stop {
    if is_damage(&source) {
        Stop::Damaged(source.to_string())
    } else {
        Stop::Failed(LedgerError::Open { path: path.to_path_buf(), source })
    }
}

/// Opens the writer connection: creates the folder, checks the file, moves a damaged file aside
/// and starts over once, migrates.
pub(super) fn open_writer(
    path: &Path,
    busy_timeout: Duration,
) -> Result<(Connection, OpenReport), LedgerError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|source| LedgerError::CreateDir { path: parent.to_path_buf(), source })?;
    }
    match prepare_writer(path, busy_timeout) {
        Ok(conn) => Ok((conn, OpenReport::default())),
        Err(Stop::Failed(error)) => Err(error),
        Err(Stop::Damaged(reason)) => {
            let target = move_aside(path, &reason)?;
            tracing::warn!(
                path = %path.display(),
                moved_to = %target.display(),
                %reason,
                "the ledger was damaged; it was moved aside and a new one was created"
            );
            match prepare_writer(path, busy_timeout) {
                Ok(conn) => Ok((conn, OpenReport { moved_aside: Some(target) })),
                Err(Stop::Failed(error)) => Err(error),
                Err(Stop::Damaged(reason)) => {
                    Err(LedgerError::StillDamaged { path: path.to_path_buf(), reason })
                }
            }
        }
    }
}

/// Every step of opening the writer. The connection is dropped (closed) on any early return,
/// so a damaged file can be renamed afterwards, on Windows too.
fn prepare_writer(path: &Path, busy_timeout: Duration) -> Result<Connection, Stop> {
    let mut conn = Connection::open(path).map_err(|e| stop(path, e))?;
    // Until the file has passed every check, closing this connection must not checkpoint a WAL
    // into the database or delete the WAL: a damaged or newer file, and its WAL (which may hold
    // its latest records), are kept exactly as found.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
        .map_err(|e| stop(path, e))?;
    conn.busy_timeout(busy_timeout).map_err(|e| stop(path, e))?;

    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|e| stop(path, e))?;
    if version > LATEST_VERSION {
        return Err(Stop::Failed(LedgerError::NewerVersion {
            path: path.to_path_buf(),
            found: version,
            supported: LATEST_VERSION,
        }));
    }

    let problems = quick_check(&conn).map_err(|e| stop(path, e))?;
    if problems.len() != 1 || problems[0] != "ok" {
        let mut reason = problems.into_iter().take(3).collect::<Vec<_>>().join("; ");
        if reason.is_empty() {
            reason = "quick_check returned nothing".into();
        }
        return Err(Stop::Damaged(format!("quick_check: {reason}")));
    }

    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(|e| stop(path, e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Stop::Failed(LedgerError::WalRefused { path: path.to_path_buf(), mode }));
    }
    // FULL: in WAL mode a commit is synced to disk before it returns, so an acknowledged
    // reward survives power loss, not only an app crash. Rewards are rare; the cost is small.
    conn.pragma_update(None, "synchronous", "FULL").map_err(|e| stop(path, e))?;
    conn.pragma_update(None, "foreign_keys", "ON").map_err(|e| stop(path, e))?;

    MIGRATIONS.to_latest(&mut conn).map_err(|source| match &source {
        rusqlite_migration::Error::RusqliteError { err, .. } if is_damage(err) => {
            Stop::Damaged(err.to_string())
        }
        _ => Stop::Failed(LedgerError::Migrate { path: path.to_path_buf(), source }),
    })?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false)
        .map_err(|e| stop(path, e))?;
    Ok(conn)
}

fn quick_check(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA quick_check")?;
    let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
    rows.collect()
}

/// Opens a further connection to a ledger the writer has already prepared.
/// `synchronous` is per connection: the sample connection uses NORMAL (see `Ledger`).
pub(super) fn open_extra(
    path: &Path,
    busy_timeout: Duration,
    synchronous: &str,
    query_only: bool,
) -> Result<Connection, LedgerError> {
    let open_error = |source| LedgerError::Open { path: path.to_path_buf(), source };
    let conn = Connection::open(path).map_err(open_error)?;
    conn.busy_timeout(busy_timeout).map_err(open_error)?;
    conn.pragma_update(None, "synchronous", synchronous).map_err(open_error)?;
    conn.pragma_update(None, "foreign_keys", "ON").map_err(open_error)?;
    if query_only {
        conn.pragma_update(None, "query_only", "ON").map_err(open_error)?;
    }
    Ok(conn)
}

/// The file SQLite keeps next to the database: `<db>-wal` or `<db>-shm`.
fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Moves a damaged database and its -wal/-shm files to `<name>.damaged-<UTC stamp>`. Nothing is
/// overwritten (a numbered name is chosen if that one exists) and nothing is deleted: the user
/// or a recovery tool may still get records out of it. The -wal goes too, because a stale WAL
/// left next to a new database could be replayed into it.
fn move_aside(path: &Path, reason: &str) -> Result<PathBuf, LedgerError> {
    let stamp = utc_stamp();
    let free = (0u32..1000).find_map(|attempt| {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".damaged-{stamp}"));
        if attempt > 0 {
            name.push(format!("-{attempt}"));
        }
        let target = PathBuf::from(name);
        let taken = [&target, &companion(&target, "-wal"), &companion(&target, "-shm")]
            .iter()
            .any(|p| p.try_exists().unwrap_or(true));
        (!taken).then_some(target)
    });
    let Some(target) = free else {
        return Err(LedgerError::MoveAside {
            path: path.to_path_buf(),
            target: path.with_extension(format!("damaged-{stamp}")),
            reason: reason.to_string(),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "a thousand damaged copies already carry this name",
            ),
        });
    };
    let moves = [
        (path.to_path_buf(), target.clone()),
        (companion(path, "-wal"), companion(&target, "-wal")),
        (companion(path, "-shm"), companion(&target, "-shm")),
    ];
    for (from, to) in moves {
        if !from.try_exists().unwrap_or(true) {
            continue;
        }
        std::fs::rename(&from, &to).map_err(|source| LedgerError::MoveAside {
            path: from.clone(),
            target: to.clone(),
            reason: reason.to_string(),
            source,
        })?;
    }
    Ok(target)
}

/// Now in UTC as `yyyyMMddTHHmmssZ`, for file names.
fn utc_stamp() -> String {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let now = time::OffsetDateTime::now_utc();
    now.format(format).unwrap_or_else(|_| format!("{}Z", now.unix_timestamp()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_stamp_has_the_documented_shape() {
        let stamp = utc_stamp();
        assert_eq!(stamp.len(), 16, "{stamp}");
        assert_eq!(&stamp[8..9], "T");
        assert!(stamp.ends_with('Z'));
    }

    #[test]
    fn move_aside_never_overwrites_an_earlier_copy() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ledger.sqlite");
        std::fs::write(&db, b"first").unwrap();
        std::fs::write(companion(&db, "-wal"), b"first wal").unwrap();
        let first = move_aside(&db, "test").unwrap();
        std::fs::write(&db, b"second").unwrap();
        let second = move_aside(&db, "test").unwrap();
        assert_ne!(first, second);
        assert_eq!(std::fs::read(&first).unwrap(), b"first");
        assert_eq!(std::fs::read(companion(&first, "-wal")).unwrap(), b"first wal");
        assert_eq!(std::fs::read(&second).unwrap(), b"second");
        assert!(!db.exists());
        assert!(!companion(&db, "-wal").exists());
    }
}
