//! The book of accepted shares and their simulated rewards.

use std::collections::VecDeque;

/// Reward items kept in memory; older ones still count in the totals.
pub const MAX_ITEMS: usize = 1024;

/// One simulated reward, numbered from 1 within a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RewardItem {
    pub n: u64,
    pub at_ms: u64,
    pub atomic: u64,
}

/// Accepted shares and rewards for this run.
#[derive(Debug, Default)]
pub struct ShareBook {
    accepted: u64,
    last_at_ms: Option<u64>,
    atomic_total: u64,
    items: VecDeque<RewardItem>,
}

/// What the API shows of the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookView {
    pub accepted: u64,
    pub last_at_ms: Option<u64>,
    pub atomic_total: u64,
    /// Oldest first.
    pub items: Vec<RewardItem>,
}

impl ShareBook {
    /// Records a share found at `at_ms` and returns its number.
    pub fn accept(&mut self, at_ms: u64, atomic: u64) -> u64 {
        self.accepted += 1;
        self.last_at_ms = Some(at_ms);
        // Saturate rather than wrap: a wrapped total would be a lie; a stuck one is visible.
        self.atomic_total = self.atomic_total.saturating_add(atomic);
        if self.items.len() == MAX_ITEMS {
            self.items.pop_front();
        }
        self.items.push_back(RewardItem { n: self.accepted, at_ms, atomic });
        self.accepted
    }

    /// A copy of the book with only the items numbered above `since`.
    pub fn view(&self, since: u64) -> BookView {
        BookView {
            accepted: self.accepted,
            last_at_ms: self.last_at_ms,
            atomic_total: self.atomic_total,
            items: self.items.iter().filter(|item| item.n > since).copied().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_latest_items_and_all_totals() {
        let mut book = ShareBook::default();
        for i in 0..(MAX_ITEMS as u64 + 10) {
            assert_eq!(book.accept(1_000 + i, 5), i + 1);
        }
        let view = book.view(0);
        assert_eq!(view.accepted, MAX_ITEMS as u64 + 10);
        assert_eq!(view.atomic_total, 5 * (MAX_ITEMS as u64 + 10));
        assert_eq!(view.items.len(), MAX_ITEMS);
        assert_eq!(view.items[0].n, 11);
        assert_eq!(view.last_at_ms, Some(1_000 + MAX_ITEMS as u64 + 9));
    }

    #[test]
    fn since_filters_items_but_not_totals() {
        let mut book = ShareBook::default();
        for i in 0..5 {
            book.accept(i, 1);
        }
        let view = book.view(3);
        assert_eq!(view.items.iter().map(|i| i.n).collect::<Vec<_>>(), vec![4, 5]);
        assert_eq!(view.accepted, 5);
        assert!(book.view(5).items.is_empty());
    }
}
