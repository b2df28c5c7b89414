//! Which blocks this node's miner found, by height (see the module above for when a block
//! counts as found).

use std::collections::VecDeque;
use std::ops::Range;

/// Stretches of found blocks waiting to be read (one per mining run between looks).
const MAX_PENDING: usize = 64;

/// Which blocks were found by this node's miner, by height. Blocks below `seen` have been
/// decided; `pending` holds the heights decided to be ours and not yet read.
#[derive(Debug, Default)]
pub(super) struct Found {
    /// Chain height at the last look; `None` before the first.
    seen: Option<u64>,
    /// At the last look, the node was offline and mining to our address.
    ours: bool,
    pub(super) pending: VecDeque<Range<u64>>,
    /// Blocks given up because too many stretches were waiting.
    pub(super) dropped: u64,
}

impl Found {
    /// A look at the chain: `height` blocks, and whether the miner now mines offline to our
    /// address. Blocks since the last look are ours only if it did at both looks.
    pub(super) fn look(&mut self, height: u64, ours_now: bool) {
        if let Some(seen) = self.seen {
            if height < seen {
                // The chain got shorter (blocks popped): forget what is no longer there.
                self.truncate(height);
            } else if self.ours && ours_now {
                self.push(seen..height);
            }
        }
        self.seen = Some(height);
        self.ours = ours_now;
    }

    /// The miner was started at `height`, to our address.
    pub(super) fn started(&mut self, height: u64, offline: bool) {
        self.look(height, offline);
    }

    /// The miner was stopped; `height` is the chain height right after, if known.
    pub(super) fn stopped(&mut self, height: Option<u64>) {
        if let Some(height) = height {
            let ours = self.ours;
            self.look(height, ours);
        }
        self.ours = false;
    }

    fn push(&mut self, range: Range<u64>) {
        if range.is_empty() {
            return;
        }
        match self.pending.back_mut() {
            Some(last) if last.end == range.start => last.end = range.end,
            _ => self.pending.push_back(range),
        }
        while self.pending.len() > MAX_PENDING {
            if let Some(old) = self.pending.pop_front() {
                self.dropped += old.end - old.start;
            }
        }
    }

    fn truncate(&mut self, height: u64) {
        for r in &mut self.pending {
            r.end = r.end.min(height);
        }
        self.pending.retain(|r| !r.is_empty());
    }

    /// The next heights to read, at most `cap`.
    pub(super) fn next(&self, cap: u64) -> Option<Range<u64>> {
        let first = self.pending.front()?;
        Some(first.start..first.end.min(first.start.saturating_add(cap)))
    }

    /// `range` (from [`Found::next`]) has been read.
    pub(super) fn done(&mut self, range: &Range<u64>) {
        if let Some(first) = self.pending.front_mut()
            && first.start == range.start
        {
            first.start = range.end.min(first.end);
            if first.is_empty() {
                self.pending.pop_front();
            }
        }
    }
}
