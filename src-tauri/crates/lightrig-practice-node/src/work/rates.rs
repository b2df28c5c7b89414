//! Hash-rate windows. A sampler records how many hashes were done in each tick (nominally one
//! second, measured exactly); a window's rate is the sum of its ticks' hashes over the sum of
//! their real durations, so a late tick on a busy machine does not inflate the figure.

use std::collections::VecDeque;
use std::time::Duration;

/// Ticks kept: 15 minutes of one-second ticks.
const CAPACITY: usize = 15 * 60;

/// A ring of per-tick hash counts.
#[derive(Debug, Default)]
pub struct RateMeter {
    ticks: VecDeque<(Duration, u64)>,
    last_total: u64,
}

/// Rates over the three windows, in hashes per second; `None` before the first full tick.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    pub s10: Option<f64>,
    pub s60: Option<f64>,
    pub m15: Option<f64>,
}

impl RateMeter {
    /// Records one tick that lasted `elapsed`, given the running total of hashes.
    pub fn record(&mut self, elapsed: Duration, total: u64) {
        let count = total.saturating_sub(self.last_total);
        self.last_total = total;
        if self.ticks.len() == CAPACITY {
            self.ticks.pop_front();
        }
        self.ticks.push_back((elapsed, count));
    }

    /// The rate over the last `window` ticks, or over all ticks if fewer have been recorded.
    pub fn rate(&self, window: usize) -> Option<f64> {
        let take = window.min(self.ticks.len());
        let (time, hashes) = self
            .ticks
            .iter()
            .rev()
            .take(take)
            .fold((Duration::ZERO, 0u64), |(t, h), (dt, dh)| (t + *dt, h.saturating_add(*dh)));
        let secs = time.as_secs_f64();
        if take == 0 || secs <= 0.0 {
            return None;
        }
        // One decimal is all a person reads; it also keeps the JSON short.
        Some((hashes as f64 / secs * 10.0).round() / 10.0)
    }

    /// The three windows the API and the speed line report.
    pub fn rates(&self) -> Rates {
        Rates { s10: self.rate(10), s60: self.rate(60), m15: self.rate(CAPACITY) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: Duration = Duration::from_secs(1);

    #[test]
    fn no_rate_before_the_first_tick() {
        assert_eq!(RateMeter::default().rates(), Rates { s10: None, s60: None, m15: None });
    }

    #[test]
    fn unfilled_windows_report_over_the_time_elapsed() {
        let mut meter = RateMeter::default();
        meter.record(SEC, 100);
        meter.record(SEC, 300);
        let rates = meter.rates();
        assert_eq!(rates.s10, Some(150.0));
        assert_eq!(rates.m15, Some(150.0));
    }

    #[test]
    fn windows_forget_old_ticks_and_use_real_durations() {
        let mut meter = RateMeter::default();
        let mut total = 0;
        for _ in 0..10 {
            total += 1_000;
            meter.record(SEC, total);
        }
        for _ in 0..10 {
            meter.record(SEC, total);
        }
        assert_eq!(meter.rate(10), Some(0.0));
        assert_eq!(meter.rate(60), Some(500.0));
        meter.record(Duration::from_secs(2), total + 100);
        assert_eq!(meter.rate(1), Some(50.0));
    }

    #[test]
    fn ring_holds_fifteen_minutes() {
        let mut meter = RateMeter::default();
        for i in 0..(CAPACITY as u64 + 50) {
            meter.record(SEC, (i + 1) * 2);
        }
        assert_eq!(meter.ticks.len(), CAPACITY);
        assert_eq!(meter.rate(CAPACITY), Some(2.0));
    }
}
