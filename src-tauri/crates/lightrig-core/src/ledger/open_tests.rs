//! Opening: pragmas, damaged files, files from a newer Lightrig.

use std::path::{Path, PathBuf};

use super::schema::LATEST_VERSION;
use super::*;
use crate::model::{Asset, Reward, RewardState};

fn reward(key: &str) -> Reward {
    Reward {
        node_id: "practice".into(),
        key: key.into(),
        at: 1_000,
        asset: Asset::simulated(),
        atomic: 42,
        state: RewardState::Estimated,
        source: "practice-node /status".into(),
        simulated: true,
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn pragma(conn: &Connection, name: &str) -> String {
    conn.query_row(&format!("PRAGMA {name}"), [], |row| {
        Ok(match row.get_ref(0)? {
            rusqlite::types::ValueRef::Integer(i) => i.to_string(),
            other => other.as_str()?.to_string(),
        })
    })
    .unwrap()
}

#[test]
fn fresh_ledger_uses_wal_full_sync_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/ledger.sqlite");
    let (ledger, report) = Ledger::open(&path).unwrap();
    assert_eq!(report.moved_aside, None);
    assert!(path.exists(), "the parent folders are created");
    assert_eq!(pragma(&ledger.reader(), "journal_mode"), "wal");
    assert_eq!(pragma(&ledger.writer(), "synchronous"), "2", "FULL on the writer");
    assert_eq!(pragma(&ledger.sampler(), "synchronous"), "1", "NORMAL for samples");
    assert_eq!(pragma(&ledger.writer(), "foreign_keys"), "1");
    assert_eq!(pragma(&ledger.writer(), "user_version"), LATEST_VERSION.to_string());
}

#[test]
fn reopening_keeps_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    {
        let (ledger, _) = Ledger::open(&path).unwrap();
        ledger.record_reward(&reward("r1")).unwrap();
    }
    let (ledger, report) = Ledger::open(&path).unwrap();
    assert_eq!(report.moved_aside, None);
    assert_eq!(ledger.rewards(None, 0, i64::MAX, 10).unwrap().len(), 1);
}

fn assert_moved_aside(path: &Path, moved: &Path, original: &[u8]) {
    let name = moved.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("ledger.sqlite.damaged-"), "{name}");
    let stamp = name.trim_start_matches("ledger.sqlite.damaged-");
    assert_eq!(stamp.len(), 16, "yyyyMMddTHHmmssZ: {stamp}");
    assert_eq!(std::fs::read(moved).unwrap(), original, "the damaged bytes are kept as they were");
    assert!(path.exists(), "a fresh ledger took its place");
}

#[test]
fn garbage_file_is_moved_aside_with_its_wal_and_a_fresh_ledger_works() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 + 3) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    std::fs::write(&wal, b"not a wal either").unwrap();

    let (ledger, report) = Ledger::open(&path).unwrap();
    let moved = report.moved_aside.expect("the damaged file is reported");
    assert_moved_aside(&path, &moved, &garbage);
    let moved_wal = PathBuf::from(format!("{}-wal", moved.display()));
    assert_eq!(std::fs::read(moved_wal).unwrap(), b"not a wal either");

    assert_eq!(ledger.record_reward(&reward("r1")).unwrap(), RewardWrite::Inserted);
    assert_eq!(ledger.rewards(None, 0, i64::MAX, 10).unwrap().len(), 1);
}

/// A real ledger with rewards, closed, then bytes from `from_page` (1-based) to the end
/// overwritten. Returns the damaged bytes.
fn ledger_with_scribbled_pages(path: &Path, from_page: usize) -> Vec<u8> {
    {
        let (ledger, _) = Ledger::open(path).unwrap();
        let rewards: Vec<Reward> = (0..2000).map(|i| reward(&format!("r{i}"))).collect();
        ledger.record_rewards(&rewards).unwrap();
    } // closed: the WAL is checkpointed into the main file
    let mut bytes = std::fs::read(path).unwrap();
    let page_size = 4096;
    assert!(bytes.len() > 40 * page_size, "the test needs many pages");
    for (i, byte) in bytes.iter_mut().enumerate().skip((from_page - 1) * page_size) {
        *byte = (i % 251) as u8;
    }
    std::fs::write(path, &bytes).unwrap();
    bytes
}

#[test]
fn ledger_with_a_scribbled_schema_is_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    // Page 1 (header) stays, so SQLite opens the file; the schema continues on later pages.
    let bytes = ledger_with_scribbled_pages(&path, 2);
    let (ledger, report) = Ledger::open(&path).unwrap();
    let moved = report.moved_aside.expect("the damaged file is reported");
    assert_moved_aside(&path, &moved, &bytes);
    assert!(ledger.rewards(None, 0, i64::MAX, 10).unwrap().is_empty(), "a fresh ledger");
}

#[test]
fn ledger_with_scribbled_data_pages_fails_quick_check_and_is_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    // Only the last pages (reward rows and indexes) are damaged: the schema reads fine, so
    // only quick_check can tell.
    let bytes = ledger_with_scribbled_pages(&path, 30);
    {
        let conn = Connection::open(&path).unwrap();
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, LATEST_VERSION, "the schema still reads");
    }
    let (_ledger, report) = Ledger::open(&path).unwrap();
    let moved = report.moved_aside.expect("the damaged file is reported");
    assert_moved_aside(&path, &moved, &bytes);
}

#[test]
fn ledger_from_a_newer_lightrig_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    {
        // A rollback-journal file, as a future version might write: switching it to WAL would
        // rewrite its header, so this also checks nothing is switched before the version check.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = DELETE; CREATE TABLE future (x); PRAGMA user_version = 99;",
        )
        .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let listing = files_in(dir.path());

    let err = Ledger::open(&path).unwrap_err();
    assert!(matches!(err, LedgerError::NewerVersion { found: 99, .. }), "{err}");
    assert!(err.to_string().contains("newer Lightrig"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "byte-for-byte untouched");
    assert_eq!(files_in(dir.path()), listing, "nothing moved aside or created");
}

/// The newer version number sits in the WAL, not yet checkpointed: closing our probe must not
/// checkpoint it into the file or delete the WAL.
#[test]
fn newer_wal_ledger_is_refused_and_left_untouched_with_its_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    drop(Ledger::open(&path).unwrap());
    {
        let conn = Connection::open(&path).unwrap();
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)
            .unwrap();
        conn.pragma_update(None, "user_version", LATEST_VERSION + 1).unwrap();
    }
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    let before = (std::fs::read(&path).unwrap(), std::fs::read(&wal).unwrap());
    assert!(!before.1.is_empty(), "the test needs frames in the WAL");
    let listing = files_in(dir.path());

    let err = Ledger::open(&path).unwrap_err();
    assert!(matches!(err, LedgerError::NewerVersion { .. }), "{err}");
    assert_eq!((std::fs::read(&path).unwrap(), std::fs::read(&wal).unwrap()), before);
    assert_eq!(files_in(dir.path()), listing);
}

#[test]
fn ledger_handle_is_send_sync_and_clones_share_the_file() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Ledger>();
    let (_dir, ledger) = test_support::temp_ledger();
    let other = ledger.clone();
    std::thread::spawn(move || other.record_reward(&reward("from-thread")).unwrap())
        .join()
        .unwrap();
    assert_eq!(ledger.rewards(None, 0, i64::MAX, 10).unwrap().len(), 1);
}
