//! When to restart a crashed node. Pure logic, no I/O and no clock of its own, so every rule is
//! tested with plain numbers.
//!
//! - Only abnormal exits restart; a user stop never does (the actor decides that).
//! - Delays use full jitter: uniform between 1 s and min(5 min, 1 s × 2^attempt), so a fleet
//!   of machines that crash together do not restart in lockstep.
//! - 10 minutes of healthy running resets the attempt count.
//! - More than 5 crashes inside 10 minutes is a crash loop: give up with Failed.

use std::collections::VecDeque;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrashPolicy {
    pub base: Duration,
    pub cap: Duration,
    pub healthy_reset: Duration,
    pub window: Duration,
    pub max_crashes_in_window: usize,
}

impl Default for CrashPolicy {
    fn default() -> Self {
        CrashPolicy {
            base: Duration::from_secs(1),
            cap: Duration::from_secs(300),
            healthy_reset: Duration::from_secs(600),
            window: Duration::from_secs(600),
            max_crashes_in_window: 5,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    RetryAfter(Duration),
    GiveUp,
}

/// Crash history of one node. Times are offsets from any fixed origin (the actor uses tokio's
/// `Instant` minus its start).
#[derive(Debug, Clone, Default)]
pub struct CrashTracker {
    policy: CrashPolicy,
    crashes: VecDeque<Duration>,
    attempt: u32,
}

impl CrashTracker {
    pub fn new(policy: CrashPolicy) -> Self {
        CrashTracker { policy, crashes: VecDeque::new(), attempt: 0 }
    }

    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Crashes counted in the window ending at `now`.
    pub fn recent(&self, now: Duration) -> usize {
        self.crashes.iter().filter(|&&t| now.saturating_sub(t) <= self.policy.window).count()
    }

    /// The node has run healthily for `healthy_for` before this point.
    pub fn healthy(&mut self, healthy_for: Duration) {
        if healthy_for >= self.policy.healthy_reset {
            self.attempt = 0;
        }
    }

    /// A user start clears the history: the user has seen the failure and tries again.
    pub fn reset(&mut self) {
        self.crashes.clear();
        self.attempt = 0;
    }

    /// Records a crash at `now`; `random` is a uniform sample in [0, 1).
    pub fn crashed(&mut self, now: Duration, random: f64) -> Decision {
        let window = self.policy.window;
        self.crashes.retain(|&t| now.saturating_sub(t) <= window);
        self.crashes.push_back(now);
        if self.crashes.len() > self.policy.max_crashes_in_window {
            return Decision::GiveUp;
        }
        let ceiling = self.ceiling(self.attempt);
        self.attempt = self.attempt.saturating_add(1);
        let base = self.policy.base.as_secs_f64();
        let span = (ceiling.as_secs_f64() - base).max(0.0);
        let r = if random.is_finite() { random.clamp(0.0, 1.0) } else { 0.0 };
        Decision::RetryAfter(Duration::from_secs_f64(base + span * r))
    }

    fn ceiling(&self, attempt: u32) -> Duration {
        let factor = 2u32.checked_pow(attempt.min(30)).unwrap_or(u32::MAX);
        self.policy.base.saturating_mul(factor).min(self.policy.cap)
    }
}

/// A uniform sample in [0, 1) from the OS's random source (0.5 if it fails: jitter is a
/// courtesy, never a reason to stop restarting).
pub fn jitter() -> f64 {
    let mut b = [0u8; 8];
    if getrandom::fill(&mut b).is_err() {
        return 0.5;
    }
    (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn delays_grow_exponentially_within_full_jitter_bounds() {
        let mut t =
            CrashTracker::new(CrashPolicy { max_crashes_in_window: 100, ..Default::default() });
        // With random = 1 the delay is the ceiling: 1, 2, 4, ... capped at 300 s.
        let mut seen = vec![];
        for i in 0..12 {
            match t.crashed(S(i * 10_000), 0.999_999_999) {
                Decision::RetryAfter(d) => seen.push(d.as_secs_f64().round() as u64),
                Decision::GiveUp => panic!("gave up"),
            }
        }
        assert_eq!(seen, vec![1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
        // With random = 0 the delay is the 1 s floor.
        assert_eq!(t.crashed(S(200_000), 0.0), Decision::RetryAfter(S(1)));
    }

    #[test]
    fn sixth_crash_within_ten_minutes_gives_up() {
        let mut t = CrashTracker::new(CrashPolicy::default());
        for i in 0..5 {
            assert!(matches!(t.crashed(S(i * 60), 0.5), Decision::RetryAfter(_)), "crash {i}");
        }
        assert_eq!(t.crashed(S(5 * 60), 0.5), Decision::GiveUp);
    }

    #[test]
    fn crashes_older_than_the_window_do_not_count() {
        let mut t = CrashTracker::new(CrashPolicy::default());
        for i in 0..5 {
            t.crashed(S(i * 60), 0.5);
        }
        // Ten minutes after the first crash, it falls out of the window.
        assert!(matches!(t.crashed(S(601), 0.5), Decision::RetryAfter(_)));
        assert_eq!(t.recent(S(601)), 5);
    }

    #[test]
    fn ten_minutes_healthy_resets_the_attempt_count() {
        let mut t = CrashTracker::new(CrashPolicy::default());
        for i in 0..4 {
            t.crashed(S(i), 0.0);
        }
        assert_eq!(t.attempt(), 4);
        t.healthy(S(599));
        assert_eq!(t.attempt(), 4);
        t.healthy(S(600));
        assert_eq!(t.attempt(), 0);
        assert_eq!(t.crashed(S(2000), 0.999_999), Decision::RetryAfter(S(1)));
    }
}
