//! One hashing thread. It hashes SHA-256 over (run id, thread index, nonce) for `intensity`
//! percent of every 100 ms slice and rests for the remainder, so the CPU load, temperature and
//! power the user sees respond to the intensity setting for real. While paused it parks on a
//! condition variable and costs nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use super::{Control, Shared, lock};

/// Length of one duty-cycle slice.
const SLICE: Duration = Duration::from_millis(100);
/// Hashes between clock and control checks: cheap enough to be responsive, rare enough that
/// reading the clock and taking the control lock cost nothing measurable.
const BATCH: u64 = 1024;

/// Everything a worker thread needs; moved into the thread.
pub(super) struct Worker {
    pub index: u32,
    pub first_nonce: u64,
    /// Set (under the control lock) to retire this one worker when the thread count drops.
    pub stop: Arc<AtomicBool>,
    pub shared: Arc<Shared>,
}

#[derive(Debug, PartialEq, Eq)]
enum Gate {
    Run,
    Paused,
    Stop,
}

impl Worker {
    fn gate(&self, control: &Control) -> Gate {
        if control.shutdown || self.stop.load(Ordering::Relaxed) {
            Gate::Stop
        } else if control.paused {
            Gate::Paused
        } else {
            Gate::Run
        }
    }

    fn gate_now(&self) -> Gate {
        self.gate(&lock(&self.shared.control))
    }

    /// The thread body: hash, rest, park while paused, return when stopped.
    pub fn run(self) {
        let shared = Arc::clone(&self.shared);
        let prefix = Sha256::new()
            .chain_update(shared.run_id.as_bytes())
            .chain_update(self.index.to_le_bytes());
        let busy = SLICE * u32::from(shared.intensity) / 100;
        let mut nonce = self.first_nonce;
        loop {
            if !self.wait_while_paused() {
                return;
            }
            let slice_start = Instant::now();
            loop {
                for _ in 0..BATCH {
                    let digest = prefix.clone().chain_update(nonce.to_le_bytes()).finalize();
                    let mut head = [0u8; 8];
                    head.copy_from_slice(&digest[..8]);
                    if u64::from_be_bytes(head) < shared.target {
                        shared.record_share();
                    }
                    nonce = nonce.wrapping_add(1);
                }
                shared.total_hashes.fetch_add(BATCH, Ordering::Relaxed);
                if slice_start.elapsed() >= busy || self.gate_now() != Gate::Run {
                    break;
                }
            }
            self.rest_until(slice_start + SLICE);
        }
    }

    /// Parks while paused. Returns false when the worker must stop.
    fn wait_while_paused(&self) -> bool {
        let mut control = lock(&self.shared.control);
        loop {
            match self.gate(&control) {
                Gate::Run => return true,
                Gate::Stop => return false,
                Gate::Paused => {
                    control = self
                        .shared
                        .wake
                        .wait(control)
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                }
            }
        }
    }

    /// Rests for the idle part of the slice, waking early on any control change.
    fn rest_until(&self, deadline: Instant) {
        let mut control = lock(&self.shared.control);
        loop {
            let now = Instant::now();
            if now >= deadline || self.gate(&control) != Gate::Run {
                return;
            }
            control = match self.shared.wake.wait_timeout(control, deadline - now) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }
}
