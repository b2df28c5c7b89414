//! Energy and its cost per minute and hour (`energy_rollups`), as the energy account closes
//! them, and the queries the dashboard, the report and `/metrics` read.
//!
//! How rows are written: the sampler hands over each minute the account closes. The minute row
//! is stored, and the same part is added into its hour row, in one transaction, so an hour row
//! always equals the sum of its minute rows and survives a restart mid-hour. A minute can arrive
//! in parts (the node changed, the tariff changed, Lightrig restarted): parts are merged.
//!
//! What a stored value means (NULL is "not available", never 0):
//! - `energy_uj`: energy over `covered_ms`; NULL when nothing was covered.
//! - `cost_nano` covers the energy of `covered_ms − uncosted_ms` in `currency`: time without a
//!   tariff, without a price in the tariff, or priced in another currency is counted in
//!   `uncosted_ms` and left out, never guessed. NULL when no part had a cost.
//! - `marginal_energy_uj` / `marginal_cost_nano` (energy above the idle baseline, and its cost)
//!   are all-or-nothing per row: NULL unless every covered part had one. So a row either has
//!   a marginal figure for all its covered time or none, and totals can say how much of the
//!   time they cover.
//! - `power_kind` is NULL when the kind of reading changed within the row.
//! - `price_micro_per_kwh` is the energy-weighted mean price of the row.
//!
//! Provenance is not a column: it follows from the kind (see [`provenance_of_kind`]).

mod row;
mod totals;

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

pub use row::{EnergyRow, provenance_of_kind};
pub use totals::{CostTotal, EnergyPoint, EnergyTotals};

use super::Ledger;
use super::error::{LedgerError, SqlContext};
use super::samples::{HOUR_MS, MINUTE_MS, Resolution};
use crate::model::UnixMillis;

const COLUMNS: &str = "res_ms, node_id, bucket_ms, samples, covered_ms, gap_ms, energy_uj, \
    marginal_energy_uj, cost_nano, marginal_cost_nano, uncosted_ms, currency, \
    price_micro_per_kwh, tariff, power_kind, power_source";

fn read_row(row: &Row<'_>) -> rusqlite::Result<EnergyRow> {
    Ok(EnergyRow {
        res_ms: row.get(0)?,
        node_id: row.get(1)?,
        bucket_ms: row.get(2)?,
        samples: row.get(3)?,
        covered_ms: row.get(4)?,
        gap_ms: row.get(5)?,
        energy_uj: row.get(6)?,
        marginal_energy_uj: row.get(7)?,
        cost_nano: row.get(8)?,
        marginal_cost_nano: row.get(9)?,
        uncosted_ms: row.get(10)?,
        currency: row.get(11)?,
        price_micro_per_kwh: row.get(12)?,
        tariff: row.get(13)?,
        power_kind: row.get(14)?,
        power_source: row.get(15)?,
    })
}

fn bad_row(source: rusqlite::Error) -> LedgerError {
    match source {
        rusqlite::Error::FromSqlConversionFailure(_, _, reason) => {
            LedgerError::BadRow { table: "energy_rollups", reason: reason.to_string() }
        }
        source => LedgerError::Sqlite { action: "reading energy rollups", source },
    }
}

/// Adds `part` into the stored row at its key (or stores it).
pub(super) fn upsert(conn: &Connection, part: &EnergyRow) -> Result<(), LedgerError> {
    let stored = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM energy_rollups WHERE res_ms = ?1 AND node_id = ?2 \
             AND bucket_ms = ?3"
        ))
        .ctx("preparing to read an energy rollup")?
        .query_row(params![part.res_ms, part.node_id, part.bucket_ms], read_row)
        .optional()
        .map_err(bad_row)?;
    let row = match stored {
        Some(mut row) => {
            row.merge(part);
            row
        }
        None => part.clone(),
    };
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO energy_rollups ({COLUMNS}) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
    ))
    .ctx("preparing to store an energy rollup")?
    .execute(params![
        row.res_ms,
        row.node_id,
        row.bucket_ms,
        row.samples,
        row.covered_ms,
        row.gap_ms,
        row.energy_uj,
        row.marginal_energy_uj,
        row.cost_nano,
        row.marginal_cost_nano,
        row.uncosted_ms,
        row.currency,
        row.price_micro_per_kwh,
        row.tariff,
        row.power_kind,
        row.power_source,
    ])
    .ctx("storing an energy rollup")?;
    Ok(())
}

fn floor_to(t: i64, width: i64) -> i64 {
    t.div_euclid(width) * width
}

impl Ledger {
    /// Stores closed minute rows (from [`EnergyRow::from_rollup`]) and adds each into its hour
    /// row, all in one transaction. A part of a minute already on record is merged into it.
    pub fn record_energy(&self, minutes: &[EnergyRow]) -> Result<(), LedgerError> {
        if minutes.is_empty() {
            return Ok(());
        }
        let mut conn = self.sampler();
        // Immediate: the write lock is taken before the stored rows are read, so another
        // connection's commit in between cannot make the merge fail (or merge stale rows).
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .ctx("starting to record energy")?;
        for minute in minutes {
            if minute.res_ms != MINUTE_MS {
                return Err(LedgerError::InvalidSample {
                    at_ms: minute.bucket_ms,
                    reason: format!(
                        "an energy rollup of {} ms was given where minutes are stored",
                        minute.res_ms
                    ),
                });
            }
            upsert(&tx, minute)?;
            let hour = EnergyRow {
                res_ms: HOUR_MS,
                bucket_ms: floor_to(minute.bucket_ms, HOUR_MS),
                ..minute.clone()
            };
            upsert(&tx, &hour)?;
        }
        tx.commit().ctx("committing energy rollups")
    }

    /// Stored rows of one resolution in `[from_ms, to_ms)`, oldest first (tests, exports).
    pub fn energy_rows(
        &self,
        node_id: Option<&str>,
        resolution: Resolution,
        from_ms: UnixMillis,
        to_ms: UnixMillis,
    ) -> Result<Vec<EnergyRow>, LedgerError> {
        let Some(res) = resolution.bucket_ms() else { return Ok(Vec::new()) };
        let conn = self.reader();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM energy_rollups WHERE res_ms = ?1 AND bucket_ms >= ?2 \
                 AND bucket_ms < ?3 AND (?4 IS NULL OR node_id = ?4) ORDER BY bucket_ms, node_id"
            ))
            .ctx("preparing to read energy rollups")?;
        let rows = stmt
            .query_map(params![res, from_ms, to_ms, node_id], read_row)
            .ctx("reading energy rollups")?;
        rows.collect::<Result<_, _>>().map_err(bad_row)
    }
}

#[cfg(test)]
#[path = "energy_tests.rs"]
mod tests;
