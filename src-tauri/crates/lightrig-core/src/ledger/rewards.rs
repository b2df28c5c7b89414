//! Rewards: append-only rows keyed by `(node, key, state)`, amounts in integer atomic units.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use super::Ledger;
use super::error::{LedgerError, SqlContext};
use crate::model::{Asset, Reward, RewardState, UnixMillis, now_millis};

/// What recording a reward did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RewardWrite {
    /// A new row: this reward in this state was not on record.
    Inserted,
    /// Already on record (same node, key and state); nothing was written.
    Duplicate,
}

/// A reward as stored, with the ledger's row id and when it was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardRecord {
    pub id: i64,
    pub recorded_at_ms: UnixMillis,
    pub reward: Reward,
}

/// The sum of rewards of one asset, in one state, simulated or not. Totals never add different
/// assets, states, or simulated and real rewards together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardTotal {
    pub asset_code: String,
    pub decimals: u8,
    pub state: RewardState,
    pub simulated: bool,
    /// Exact sum in atomic units.
    pub atomic: i128,
    /// How many reward rows were added up.
    pub count: u64,
}

const INSERT: &str = "INSERT INTO rewards \
    (node_id, key, at_ms, asset, decimals, atomic, state, source, simulated, recorded_at_ms) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
    ON CONFLICT (node_id, key, state) DO NOTHING";

pub(super) const COLUMNS: &str =
    "id, node_id, key, at_ms, asset, decimals, atomic, state, source, simulated, recorded_at_ms";

/// Refuses rewards the ledger could not show honestly later.
fn validate(reward: &Reward) -> Result<(), LedgerError> {
    let reason = if reward.node_id.is_empty() {
        "the node id is empty"
    } else if reward.key.is_empty() {
        "the reward key is empty, so a replay could not be recognised"
    } else if reward.asset.code.is_empty() {
        "the asset code is empty"
    } else if reward.asset.decimals > 38 {
        "the asset has more than 38 decimals, which 128-bit amounts cannot represent"
    } else {
        return Ok(());
    };
    Err(LedgerError::InvalidReward {
        node_id: reward.node_id.clone(),
        key: reward.key.clone(),
        reason: reason.into(),
    })
}

/// Inserts one reward on `conn` (a connection or an open transaction).
fn insert(conn: &Connection, reward: &Reward, now: UnixMillis) -> Result<RewardWrite, LedgerError> {
    let mut stmt = conn.prepare_cached(INSERT).ctx("preparing to record a reward")?;
    let changed = stmt
        .execute(params![
            reward.node_id,
            reward.key,
            reward.at,
            reward.asset.code,
            reward.asset.decimals,
            reward.atomic.to_string(),
            reward.state.as_str(),
            reward.source,
            reward.simulated,
            now,
        ])
        .ctx("recording a reward")?;
    if changed == 1 {
        return Ok(RewardWrite::Inserted);
    }
    warn_if_replay_differs(conn, reward)?;
    Ok(RewardWrite::Duplicate)
}

/// A replay is ignored, but if the source now reports a different amount for the same key and
/// state, that is worth a line in the log: the first figure stays on record.
fn warn_if_replay_differs(conn: &Connection, reward: &Reward) -> Result<(), LedgerError> {
    let stored: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT atomic, asset FROM rewards WHERE node_id = ?1 AND key = ?2 AND state = ?3",
        )
        .ctx("preparing to compare a replayed reward")?
        .query_row(params![reward.node_id, reward.key, reward.state.as_str()], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()
        .ctx("comparing a replayed reward")?;
    if let Some((atomic, asset)) = stored
        && (atomic != reward.atomic.to_string() || asset != reward.asset.code)
    {
        tracing::warn!(
            node_id = %reward.node_id,
            key = %reward.key,
            state = reward.state.as_str(),
            stored = %format!("{atomic} {asset}"),
            reported = %format!("{} {}", reward.atomic, reward.asset.code),
            "a replayed reward reports a different amount; the first figure is kept"
        );
    }
    Ok(())
}

fn bad_row(reason: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, reason.into())
}

/// One `rewards` row, selected as `id, node_id, key, at_ms, asset, decimals, atomic, state,
/// source, simulated, recorded_at_ms`.
pub(super) fn read_record(row: &Row<'_>) -> rusqlite::Result<RewardRecord> {
    let atomic: String = row.get(6)?;
    let state: String = row.get(7)?;
    Ok(RewardRecord {
        id: row.get(0)?,
        recorded_at_ms: row.get(10)?,
        reward: Reward {
            node_id: row.get(1)?,
            key: row.get(2)?,
            at: row.get(3)?,
            asset: Asset { code: row.get(4)?, decimals: row.get(5)? },
            atomic: atomic.parse().map_err(|_| bad_row(format!("amount {atomic:?}")))?,
            state: RewardState::parse(&state).ok_or_else(|| bad_row(format!("state {state:?}")))?,
            source: row.get(8)?,
            simulated: row.get(9)?,
        },
    })
}

fn row_error(source: rusqlite::Error) -> LedgerError {
    match source {
        rusqlite::Error::FromSqlConversionFailure(_, _, reason) => {
            LedgerError::BadRow { table: "rewards", reason: reason.to_string() }
        }
        source => LedgerError::Sqlite { action: "reading rewards", source },
    }
}

impl Ledger {
    /// Records one reward; it is on disk (synced) when this returns. A reward already on record
    /// in the same state is ignored and reported as [`RewardWrite::Duplicate`].
    pub fn record_reward(&self, reward: &Reward) -> Result<RewardWrite, LedgerError> {
        validate(reward)?;
        let conn = self.writer();
        insert(&conn, reward, now_millis())
    }

    /// Records several rewards in one transaction: all of them or none.
    pub fn record_rewards(&self, rewards: &[Reward]) -> Result<Vec<RewardWrite>, LedgerError> {
        rewards.iter().try_for_each(validate)?;
        let mut conn = self.writer();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .ctx("starting to record rewards")?;
        let now = now_millis();
        let writes = rewards.iter().map(|r| insert(&tx, r, now)).collect::<Result<Vec<_>, _>>()?;
        tx.commit().ctx("committing rewards")?;
        Ok(writes)
    }

    /// Rewards dated in `[from_ms, to_ms)`, newest first, at most `limit`. `node_id: None`
    /// lists every node's rewards.
    pub fn rewards(
        &self,
        node_id: Option<&str>,
        from_ms: UnixMillis,
        to_ms: UnixMillis,
        limit: u32,
    ) -> Result<Vec<RewardRecord>, LedgerError> {
        let conn = self.reader();
        let sql = format!(
            "SELECT {COLUMNS} FROM rewards WHERE at_ms >= ?1 AND at_ms < ?2 \
             AND (?3 IS NULL OR node_id = ?3) ORDER BY at_ms DESC, id DESC LIMIT ?4"
        );
        let mut stmt = conn.prepare_cached(&sql).ctx("preparing to list rewards")?;
        let rows = stmt
            .query_map(params![from_ms, to_ms, node_id, limit], read_record)
            .ctx("listing rewards")?;
        rows.collect::<Result<Vec<_>, _>>().map_err(row_error)
    }

    /// Totals of rewards dated in `[from_ms, to_ms)`, one per (asset, decimals, state,
    /// simulated), sorted by asset then state. Summed exactly in i128.
    pub fn reward_totals(
        &self,
        node_id: Option<&str>,
        from_ms: UnixMillis,
        to_ms: UnixMillis,
    ) -> Result<Vec<RewardTotal>, LedgerError> {
        let conn = self.reader();
        let mut stmt = conn
            .prepare_cached(
                "SELECT asset, decimals, state, simulated, atomic FROM rewards \
                 WHERE at_ms >= ?1 AND at_ms < ?2 AND (?3 IS NULL OR node_id = ?3)",
            )
            .ctx("preparing to total rewards")?;
        let rows = stmt
            .query_map(params![from_ms, to_ms, node_id], |row| {
                let columns: (String, u8, String, bool, String) =
                    (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?);
                Ok(columns)
            })
            .ctx("totalling rewards")?;
        let mut totals: BTreeMap<(String, u8, RewardState, bool), (i128, u64)> = BTreeMap::new();
        for row in rows {
            let (asset, decimals, state, simulated, atomic) = row.map_err(row_error)?;
            let state = RewardState::parse(&state).ok_or_else(|| LedgerError::BadRow {
                table: "rewards",
                reason: format!("state {state:?}"),
            })?;
            let atomic: i128 = atomic.parse().map_err(|_| LedgerError::BadRow {
                table: "rewards",
                reason: format!("amount {atomic:?}"),
            })?;
            match totals.entry((asset, decimals, state, simulated)) {
                Entry::Vacant(slot) => {
                    slot.insert((atomic, 1));
                }
                Entry::Occupied(mut slot) => {
                    let sum = slot.get().0.checked_add(atomic).ok_or_else(|| {
                        LedgerError::TotalOverflow {
                            asset: slot.key().0.clone(),
                            state: state.as_str(),
                        }
                    })?;
                    *slot.get_mut() = (sum, slot.get().1 + 1);
                }
            }
        }
        Ok(totals
            .into_iter()
            .map(|((asset_code, decimals, state, simulated), (atomic, count))| RewardTotal {
                asset_code,
                decimals,
                state,
                simulated,
                atomic,
                count,
            })
            .collect())
    }
}

#[cfg(test)]
#[path = "rewards_tests.rs"]
mod tests;
