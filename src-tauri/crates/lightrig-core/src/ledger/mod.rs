//! The ledger: Lightrig's memory of what each node did and earned, in one SQLite file.
//!
//! - **Append-only** events (start, stop, crash, state changes, notes) and rewards. A reward is
//!   keyed by `(node, key, state)`: replaying the same reward is ignored, and a reward moving from
//!   pending to paid is a second row, so both facts stay on record.
//! - **Integer atomic units** for money, stored losslessly (see `schema.rs`) and summed in Rust
//!   with checked i128 arithmetic. Different assets or states are never added together.
//! - **Samples** (about one a second) are kept raw for a short window and rolled up into 1-minute
//!   and 1-hour rows that are kept for ever, so a chart of a year reads a few thousand rows.
//!
//! Durability: WAL journal, `synchronous=FULL` on the writer connection, so a reward or event is
//! on disk when the call returns. Samples go through their own connection with
//! `synchronous=NORMAL`: still crash-consistent, but a power cut may lose the last seconds of
//! telemetry, which is a fair price for not syncing the disk every second while a node runs.
//!
//! The API is synchronous; async callers use `spawn_blocking`. All time ranges are half-open,
//! `[from_ms, to_ms)`, in Unix milliseconds.

mod acks;
mod bucket;
mod energy;
mod error;
mod events;
pub mod export_queries;
mod open;
mod prices;
mod rewards;
mod rollup;
mod samples;
mod schema;

#[cfg(test)]
mod crash_test;
#[cfg(test)]
mod open_tests;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::Connection;

pub use acks::Acknowledgement;
pub use energy::{CostTotal, EnergyPoint, EnergyRow, EnergyTotals, provenance_of_kind};
pub use error::LedgerError;
pub use events::{EventKind, EventRecord, NodeEvent};
pub use open::OpenReport;
pub use prices::{FEED_PRICE_VALID_MS, PriceKind, PriceObservation};
pub use rewards::{RewardRecord, RewardTotal, RewardWrite};
pub use rollup::MaintainReport;
pub use samples::{Resolution, Sample, SampleRow, Stat};

/// Tunables with sensible defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerOptions {
    /// How long raw (about 1 s) samples are kept after they are rolled up. Default: 2 hours.
    pub raw_window_ms: i64,
    /// How long 1-minute rollups (samples and energy) are kept once their hour is rolled up.
    /// Default: 35 days, enough for the 24-hour chart and every "today"/"7 days" figure;
    /// older history reads the hour rows, which are kept for ever. Keeping minutes for ever
    /// made a year's ledger 267 MB (docs/benchmarks.md).
    pub minute_window_ms: i64,
    /// How long a connection waits for another one's lock before giving up. Default: 5 s.
    pub busy_timeout: Duration,
}

impl Default for LedgerOptions {
    fn default() -> Self {
        LedgerOptions {
            raw_window_ms: 2 * 60 * 60 * 1000,
            minute_window_ms: 35 * 24 * 60 * 60 * 1000,
            busy_timeout: Duration::from_secs(5),
        }
    }
}

/// A handle on the ledger. Cheap to clone; every clone talks to the same file. Send + Sync.
#[derive(Debug, Clone)]
pub struct Ledger {
    inner: Arc<Inner>,
}

/// Three connections, each behind its own lock, so a chart query never waits for a reward write
/// and a reward write never queues behind a stream of samples.
#[derive(Debug)]
struct Inner {
    path: PathBuf,
    options: LedgerOptions,
    /// Rewards, events and maintenance; `synchronous=FULL`.
    writer: Mutex<Connection>,
    /// Raw samples only; `synchronous=NORMAL`.
    sampler: Mutex<Connection>,
    /// Queries; `query_only=ON`.
    reader: Mutex<Connection>,
}

impl Ledger {
    /// Opens (or creates) the ledger at `path` with default options. See [`Ledger::open_with`].
    pub fn open(path: impl AsRef<Path>) -> Result<(Ledger, OpenReport), LedgerError> {
        Self::open_with(path, LedgerOptions::default())
    }

    /// Opens (or creates) the ledger at `path`, creating its folder. A damaged file is moved
    /// aside and replaced by a new ledger (reported in [`OpenReport`]); a file from a newer
    /// Lightrig is refused and left untouched.
    pub fn open_with(
        path: impl AsRef<Path>,
        options: LedgerOptions,
    ) -> Result<(Ledger, OpenReport), LedgerError> {
        let path = path.as_ref();
        let (writer, report) = open::open_writer(path, options.busy_timeout)?;
        let sampler = open::open_extra(path, options.busy_timeout, "NORMAL", false)?;
        let reader = open::open_extra(path, options.busy_timeout, "FULL", true)?;
        let inner = Inner {
            path: path.to_path_buf(),
            options,
            writer: Mutex::new(writer),
            sampler: Mutex::new(sampler),
            reader: Mutex::new(reader),
        };
        Ok((Ledger { inner: Arc::new(inner) }, report))
    }

    /// The file this ledger lives in.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The options it was opened with.
    pub fn options(&self) -> &LedgerOptions {
        &self.inner.options
    }

    fn writer(&self) -> MutexGuard<'_, Connection> {
        lock(&self.inner.writer)
    }

    fn sampler(&self) -> MutexGuard<'_, Connection> {
        lock(&self.inner.sampler)
    }

    fn reader(&self) -> MutexGuard<'_, Connection> {
        lock(&self.inner.reader)
    }
}

/// Takes a connection's lock, recovering from a poisoned one. A panic while the lock was held
/// cannot leave a half-done write behind: an open rusqlite `Transaction` rolls back when it is
/// dropped during unwinding, and single statements are atomic. So the connection stays usable.
fn lock(mutex: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// A ledger in a fresh temporary folder; keep the `TempDir` alive as long as the ledger.
    pub(crate) fn temp_ledger() -> (tempfile::TempDir, Ledger) {
        let dir = tempfile::tempdir().unwrap();
        let (ledger, report) = Ledger::open(dir.path().join("ledger.sqlite")).unwrap();
        assert_eq!(report, OpenReport::default());
        (dir, ledger)
    }
}
