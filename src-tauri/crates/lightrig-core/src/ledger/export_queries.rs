//! Read queries for records and exports (`crate::export`): rewards a page at a time, oldest
//! first, and the hourly energy rows of a range. Nothing here writes.

use rusqlite::{Row, params};
use serde::Serialize;

use super::error::{LedgerError, SqlContext};
use super::rewards::{COLUMNS as REWARD_COLUMNS, read_record};
use super::{Ledger, RewardRecord};
use crate::model::UnixMillis;

/// Width of an hourly energy row.
const HOUR_MS: i64 = 3_600_000;

/// One hourly row of `energy_rollups`, as stored. Integers as the energy account keeps them:
/// energy in microjoules, money in billionths of the currency unit, prices in millionths per
/// kWh. `None` is "not available" (no power reading, no tariff, or part of the hour without a
/// price), never 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnergyHour {
    /// '' for machine-only time (no node running).
    pub node_id: String,
    /// Start of the hour, Unix milliseconds (UTC).
    pub bucket_ms: UnixMillis,
    pub samples: i64,
    /// Time with a power reading.
    pub covered_ms: i64,
    /// Time without one.
    pub gap_ms: i64,
    pub energy_uj: Option<i64>,
    pub marginal_energy_uj: Option<i64>,
    pub cost_nano: Option<i64>,
    pub marginal_cost_nano: Option<i64>,
    /// Covered time that had no price.
    pub uncosted_ms: i64,
    /// ISO 4217 code of the tariff's currency.
    pub currency: Option<String>,
    pub price_micro_per_kwh: Option<i64>,
    /// The tariff's label.
    pub tariff: Option<String>,
    pub power_kind: Option<String>,
    pub power_source: Option<String>,
}

fn read_hour(row: &Row<'_>) -> rusqlite::Result<EnergyHour> {
    Ok(EnergyHour {
        node_id: row.get(0)?,
        bucket_ms: row.get(1)?,
        samples: row.get(2)?,
        covered_ms: row.get(3)?,
        gap_ms: row.get(4)?,
        energy_uj: row.get(5)?,
        marginal_energy_uj: row.get(6)?,
        cost_nano: row.get(7)?,
        marginal_cost_nano: row.get(8)?,
        uncosted_ms: row.get(9)?,
        currency: row.get(10)?,
        price_micro_per_kwh: row.get(11)?,
        tariff: row.get(12)?,
        power_kind: row.get(13)?,
        power_source: row.get(14)?,
    })
}

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

    /// Hourly energy rows whose hour starts in `[from_ms, to_ms)`, oldest first (then by node).
    pub fn energy_hours(
        &self,
        from_ms: UnixMillis,
        to_ms: UnixMillis,
    ) -> Result<Vec<EnergyHour>, LedgerError> {
        let conn = self.reader();
        let mut stmt = conn
            .prepare_cached(
                "SELECT node_id, bucket_ms, samples, covered_ms, gap_ms, energy_uj, \
                 marginal_energy_uj, cost_nano, marginal_cost_nano, uncosted_ms, currency, \
                 price_micro_per_kwh, tariff, power_kind, power_source FROM energy_rollups \
                 WHERE res_ms = ?1 AND bucket_ms >= ?2 AND bucket_ms < ?3 \
                 ORDER BY bucket_ms, node_id",
            )
            .ctx("preparing to read energy rows")?;
        let rows = stmt
            .query_map(params![HOUR_MS, from_ms, to_ms], read_hour)
            .ctx("reading energy rows")?;
        rows.collect::<Result<Vec<_>, _>>().ctx("reading energy rows")
    }
}

/// Test helper: writes one `energy_rollups` row as the engine would (the engine's writer is
/// another engineer's module; the tests of the exports need rows now).
#[cfg(test)]
pub(crate) fn insert_energy_row(ledger: &Ledger, res_ms: i64, hour: &EnergyHour) {
    let conn = ledger.writer();
    conn.execute(
        "INSERT INTO energy_rollups (res_ms, node_id, bucket_ms, samples, covered_ms, gap_ms, \
         energy_uj, marginal_energy_uj, cost_nano, marginal_cost_nano, uncosted_ms, currency, \
         price_micro_per_kwh, tariff, power_kind, power_source) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        params![
            res_ms,
            hour.node_id,
            hour.bucket_ms,
            hour.samples,
            hour.covered_ms,
            hour.gap_ms,
            hour.energy_uj,
            hour.marginal_energy_uj,
            hour.cost_nano,
            hour.marginal_cost_nano,
            hour.uncosted_ms,
            hour.currency,
            hour.price_micro_per_kwh,
            hour.tariff,
            hour.power_kind,
            hour.power_source,
        ],
    )
    .unwrap();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::test_support::temp_ledger;
    use crate::model::{Asset, Reward, RewardState};

    fn hour(node: &str, bucket_ms: i64, energy_uj: Option<i64>) -> EnergyHour {
        EnergyHour {
            node_id: node.into(),
            bucket_ms,
            samples: 3600,
            covered_ms: HOUR_MS,
            gap_ms: 0,
            energy_uj,
            marginal_energy_uj: None,
            cost_nano: None,
            marginal_cost_nano: None,
            uncosted_ms: 0,
            currency: None,
            price_micro_per_kwh: None,
            tariff: None,
            power_kind: None,
            power_source: None,
        }
    }

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

    #[test]
    fn energy_hours_reads_hour_rows_in_range_oldest_first_and_keeps_nulls() {
        let (_dir, ledger) = temp_ledger();
        let h = 1_800_000_000_000 - 1_800_000_000_000 % HOUR_MS;
        insert_energy_row(&ledger, HOUR_MS, &hour("b", h + HOUR_MS, Some(5)));
        insert_energy_row(&ledger, HOUR_MS, &hour("a", h + HOUR_MS, None));
        insert_energy_row(&ledger, HOUR_MS, &hour("a", h, Some(7)));
        insert_energy_row(&ledger, HOUR_MS, &hour("a", h + 2 * HOUR_MS, Some(9)));
        insert_energy_row(&ledger, 60_000, &hour("a", h + 60_000, Some(1)));
        let rows = ledger.energy_hours(h, h + 2 * HOUR_MS).unwrap();
        let seen: Vec<_> =
            rows.iter().map(|r| (r.node_id.as_str(), r.bucket_ms, r.energy_uj)).collect();
        assert_eq!(
            seen,
            [("a", h, Some(7)), ("a", h + HOUR_MS, None), ("b", h + HOUR_MS, Some(5))]
        );
    }
}
