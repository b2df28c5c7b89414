//! The work: N hashing threads, the share book and the hash-rate meter, behind one [`Miner`].

mod rates;
mod shares;
mod worker;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use rates::Rates;
pub use shares::BookView;

use crate::out::say;
use rates::RateMeter;
use shares::ShareBook;
use worker::Worker;

/// Each worker gets its own nonce range, 2^40 wide, so workers started later (after a thread
/// count change) never repeat hashes of the ones they replace.
const NONCE_SPAN_BITS: u32 = 40;

/// Settings fixed for the life of the process.
#[derive(Debug, Clone)]
pub struct Settings {
    pub run_id: String,
    pub threads: usize,
    pub intensity: u8,
    pub difficulty: u64,
    pub reward_per_share: u64,
}

/// What workers read at every batch; changed only under the lock, then `wake` is notified.
#[derive(Debug, Default)]
struct Control {
    paused: bool,
    shutdown: bool,
}

/// State shared with the worker threads.
#[derive(Debug)]
struct Shared {
    run_id: String,
    difficulty: u64,
    /// A hash is a share when its first 8 bytes (big-endian) are below this.
    target: u64,
    intensity: u8,
    reward_per_share: u64,
    total_hashes: AtomicU64,
    control: Mutex<Control>,
    wake: Condvar,
    book: Mutex<ShareBook>,
}

impl Shared {
    fn record_share(&self) {
        let n = lock(&self.book).accept(now_ms(), self.reward_per_share);
        say!("share #{n} accepted (difficulty {})", self.difficulty);
    }
}

#[derive(Debug)]
struct WorkerHandle {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

/// The running practice miner. All methods are short and never block on hashing.
#[derive(Debug)]
pub struct Miner {
    shared: Arc<Shared>,
    workers: Mutex<Vec<WorkerHandle>>,
    next_serial: AtomicU64,
    rates: Mutex<RateMeter>,
}

impl Miner {
    /// Starts `settings.threads` workers, hashing at once.
    pub fn start(settings: Settings) -> std::io::Result<Self> {
        let shared = Arc::new(Shared {
            run_id: settings.run_id,
            difficulty: settings.difficulty,
            target: u64::MAX / settings.difficulty.max(1),
            intensity: settings.intensity,
            reward_per_share: settings.reward_per_share,
            total_hashes: AtomicU64::new(0),
            control: Mutex::new(Control::default()),
            wake: Condvar::new(),
            book: Mutex::new(ShareBook::default()),
        });
        let miner = Miner {
            shared,
            workers: Mutex::new(Vec::new()),
            next_serial: AtomicU64::new(0),
            rates: Mutex::new(RateMeter::default()),
        };
        miner.set_threads(settings.threads)?;
        Ok(miner)
    }

    pub fn run_id(&self) -> &str {
        &self.shared.run_id
    }

    pub fn intensity(&self) -> u8 {
        self.shared.intensity
    }

    pub fn difficulty(&self) -> u64 {
        self.shared.difficulty
    }

    pub fn reward_per_share(&self) -> u64 {
        self.shared.reward_per_share
    }

    pub fn paused(&self) -> bool {
        lock(&self.shared.control).paused
    }

    pub fn threads(&self) -> usize {
        lock(&self.workers).len()
    }

    pub fn total_hashes(&self) -> u64 {
        self.shared.total_hashes.load(Ordering::Relaxed)
    }

    /// Pauses or resumes every worker. Returns true when the state changed.
    pub fn set_paused(&self, paused: bool) -> bool {
        let changed = {
            let mut control = lock(&self.shared.control);
            let changed = control.paused != paused;
            control.paused = paused;
            changed
        };
        self.shared.wake.notify_all();
        changed
    }

    /// Changes the number of workers: starts new ones or retires the surplus (they finish their
    /// current batch and exit). Returns the previous count.
    pub fn set_threads(&self, threads: usize) -> std::io::Result<usize> {
        let mut workers = lock(&self.workers);
        let before = workers.len();
        if threads < before {
            let retired: Vec<WorkerHandle> = workers.drain(threads..).collect();
            {
                let _control = lock(&self.shared.control);
                for worker in &retired {
                    worker.stop.store(true, Ordering::Relaxed);
                }
            }
            self.shared.wake.notify_all();
            // Retired threads are not joined: they exit within one batch on their own.
            drop(retired);
        }
        for index in before..threads {
            let serial = self.next_serial.fetch_add(1, Ordering::Relaxed);
            let stop = Arc::new(AtomicBool::new(false));
            let worker = Worker {
                index: u32::try_from(index).unwrap_or(u32::MAX),
                first_nonce: serial << NONCE_SPAN_BITS,
                stop: Arc::clone(&stop),
                shared: Arc::clone(&self.shared),
            };
            let thread = std::thread::Builder::new()
                .name(format!("practice-worker-{index}"))
                .spawn(move || worker.run())?;
            workers.push(WorkerHandle { stop, thread });
        }
        Ok(before)
    }

    /// The share book, with reward items numbered above `since`.
    pub fn book(&self, since: u64) -> BookView {
        lock(&self.shared.book).view(since)
    }

    /// Records one rate tick of length `elapsed`; called about once a second.
    pub fn sample(&self, elapsed: Duration) -> Rates {
        let total = self.total_hashes();
        let mut meter = lock(&self.rates);
        meter.record(elapsed, total);
        meter.rates()
    }

    pub fn rates(&self) -> Rates {
        lock(&self.rates).rates()
    }

    /// Stops every worker and waits for them. Blocking: call from a blocking context.
    pub fn shutdown(&self) {
        lock(&self.shared.control).shutdown = true;
        self.shared.wake.notify_all();
        let workers: Vec<WorkerHandle> = lock(&self.workers).drain(..).collect();
        for worker in workers {
            let _ = worker.thread.join();
        }
    }
}

/// Locks a mutex, recovering the data if a thread panicked while holding it: every value kept
/// under these locks stays consistent at each step, so the data is still good.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Wall-clock milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Sixteen random hex characters naming this process run. Falls back to a hash of the clock and
/// pid if the OS random source is unavailable: uniqueness matters here, secrecy does not.
pub fn new_run_id() -> String {
    use sha2::{Digest, Sha256};
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let digest = Sha256::new()
            .chain_update(nanos.to_le_bytes())
            .chain_update(std::process::id().to_le_bytes())
            .finalize();
        bytes.copy_from_slice(&digest[..8]);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(threads: usize) -> Settings {
        Settings {
            run_id: new_run_id(),
            threads,
            intensity: 100,
            difficulty: 1_000,
            reward_per_share: 7,
        }
    }

    fn wait_for(mut condition: impl FnMut() -> bool) {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while !condition() {
            assert!(std::time::Instant::now() < deadline, "condition not reached in 30 s");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn run_ids_are_sixteen_hex_chars() {
        let id = new_run_id();
        assert_eq!(id.len(), 16);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(id, new_run_id());
    }

    #[test]
    fn hashes_shares_pauses_and_changes_threads() {
        let miner = Miner::start(settings(1)).unwrap();
        wait_for(|| miner.book(0).accepted >= 3);
        let book = miner.book(0);
        assert_eq!(book.atomic_total, 7 * book.accepted);
        assert!(miner.set_paused(true));
        assert!(!miner.set_paused(true));
        std::thread::sleep(Duration::from_millis(300));
        let frozen = miner.total_hashes();
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(miner.total_hashes(), frozen);
        assert_eq!(miner.set_threads(3).unwrap(), 1);
        assert_eq!(miner.threads(), 3);
        miner.set_paused(false);
        wait_for(|| miner.total_hashes() > frozen);
        assert_eq!(miner.set_threads(1).unwrap(), 3);
        miner.shutdown();
        assert_eq!(miner.threads(), 0);
    }
}
