//! Read queries for records and exports (`crate::export`): rewards a page at a time, oldest
//! first. The hourly energy rows of a range are [`Ledger::energy_rows`]. Nothing here writes.

use rusqlite::params;

use super::error::{LedgerError, SqlContext};
use super::rewards::{COLUMNS as REWARD_COLUMNS, read_record};
use super::{Ledger, RewardRecord};
use crate::model::UnixMillis;

/// Where a page of rewards ended: the last row's time and id.
pub type RewardCursor = (UnixMillis, i64);

impl Ledger {
    /// Rewards dated in `[from_ms, to_ms)`, oldest first (then by id), at most `limit`,
    /// starting after `after` (the last row of the previous page). Paging keeps an export of a
    /// year of share-level rewards from holding them all, or the reader, at once.
    pub fn rewards_page(
        &self,
        from_ms: UnixMillis,
        to_ms: UnixMillis,
        after: Option<RewardCursor>,
        limit: u32,
    ) -> Result<Vec<RewardRecord>, LedgerError> {
        let (after_at, after_id) = after.unwrap_or((i64::MIN, i64::MIN));
        let conn = self.reader();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {REWARD_COLUMNS} FROM rewards \
                 WHERE at_ms >= ?1 AND at_ms < ?2 AND (at_ms > ?3 OR (at_ms = ?3 AND id > ?4)) \
                 ORDER BY at_ms, id LIMIT ?5"
            ))
            .ctx("preparing to read rewards for an export")?;
        let rows = stmt
            .query_map(params![from_ms, to_ms, after_at, after_id, limit], read_record)
            .ctx("reading rewards for an export")?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| match e {
            rusqlite::Error::FromSqlConversionFailure(_, _, reason) => {
                LedgerError::BadRow { table: "rewards", reason: reason.to_string() }
            }
            source => LedgerError::Sqlite { action: "reading rewards for an export", source },
        })
    }
}

/// Test helper: stores one `energy_rollups` row at its own resolution (`res_ms`), as the
/// energy account's writer does (merged into a row already at its key), for the tests of the
/// exports, which need hour rows without running an account for hours.
#[cfg(test)]
pub(crate) fn insert_energy_row(ledger: &Ledger, row: &super::EnergyRow) {
    super::energy::upsert(&ledger.writer(), row).unwrap();
}

#[cfg(test)]
mod tests {
    use crate::ledger::test_support::temp_ledger;
    use crate::model::{Asset, Reward, RewardState};

    #[test]
    fn reward_pages_are_oldest_first_and_split_rows_of_one_instant_cleanly() {
        let (_dir, ledger) = temp_ledger();
        let reward = |key: &str, at: i64| Reward {
            node_id: "n".into(),
            key: key.into(),
            at,
            asset: Asset { code: "MYST".into(), decimals: 18 },
            atomic: 98_765_432_109_876_543_210_123,
            state: RewardState::Paid,
            source: "s".into(),
            simulated: false,
        };
        // Three rewards at one instant, one before, one after, one outside.
        let list: Vec<_> = [("d", 20), ("a", 10), ("b", 10), ("c", 10), ("e", 5), ("x", 30)]
            .into_iter()
            .map(|(k, at)| reward(k, at))
            .collect();
        ledger.record_rewards(&list).unwrap();
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = ledger.rewards_page(5, 30, after, 2).unwrap();
            let Some(last) = page.last() else { break };
            after = Some((last.reward.at, last.id));
            seen.extend(page.into_iter().map(|r| (r.reward.key, r.reward.atomic)));
        }
        let keys: Vec<&str> = seen.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["e", "a", "b", "c", "d"], "each once, in time order, none outside");
        assert!(seen.iter().all(|(_, a)| *a == 98_765_432_109_876_543_210_123));
    }
}
