//! Rolling raw samples up into 1-minute and 1-hour rows, pruning raw rows, and the work-done
//! query that reads across both.
//!
//! Progress is kept per resolution in `rollup_progress` ("every source row before T is in"),
//! written in the same transaction as the rollup rows, so [`Ledger::maintain`] is incremental
//! and idempotent: a second run finds nothing new. Hours are built from minute rows; because
//! rollups keep sums and counts, an hour's average equals the average of its raw samples.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params, params_from_iter};
use serde::{Deserialize, Serialize};

use super::Ledger;
use super::bucket::{Bucket, Stream, add_work};
use super::error::{LedgerError, SqlContext};
use super::samples::{HOUR_MS, MINUTE_MS, RAW_COLUMNS, read_error, read_raw};
use super::schema::STAT_FIELDS;
use crate::model::UnixMillis;

/// A minute is rolled up only this long after it ends, so a sample that arrives a little late
/// still lands in its minute.
pub(crate) const GRACE_MS: i64 = 5_000;

/// What one [`Ledger::maintain`] run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaintainReport {
    pub minute_rows: usize,
    pub hour_rows: usize,
    pub pruned_raw: usize,
    /// Minute rows (samples and energy) deleted: older than the minute window, hour rolled up.
    pub pruned_minutes: usize,
}

/// Folds the raw samples in `[from_ms, to_ms)` into buckets of `width_ms` per node.
fn fold_raw(
    conn: &Connection,
    node_id: Option<&str>,
    from_ms: i64,
    to_ms: i64,
    width_ms: i64,
) -> Result<BTreeMap<(String, i64), Bucket>, LedgerError> {
    let sql = format!(
        "SELECT {RAW_COLUMNS} FROM samples_raw WHERE at_ms >= ?1 AND at_ms < ?2 \
         AND (?3 IS NULL OR node_id = ?3) ORDER BY node_id, at_ms, id"
    );
    let mut stmt = conn.prepare_cached(&sql).ctx("preparing to roll up samples")?;
    let rows = stmt.query_map(params![from_ms, to_ms, node_id], read_raw).ctx("rolling up")?;
    let mut buckets: BTreeMap<(String, i64), Bucket> = BTreeMap::new();
    let mut stream: Option<(String, Stream)> = None;
    for row in rows {
        let row = row.map_err(read_error("rolling up samples"))?;
        let state = match &mut stream {
            Some((node, state)) if *node == row.node_id => state,
            _ => {
                let state = Stream::before(conn, &row.node_id, from_ms)?;
                &mut stream.insert((row.node_id.clone(), state)).1
            }
        };
        let key = (row.node_id.clone(), floor_to(row.at_ms, width_ms));
        state.step(&row, buckets.entry(key).or_default());
    }
    Ok(buckets)
}

fn floor_to(t: i64, width: i64) -> i64 {
    t.div_euclid(width) * width
}

/// Every source row before this time is rolled up into `res_ms` rows.
fn progress(conn: &Connection, res_ms: i64) -> Result<i64, LedgerError> {
    conn.prepare_cached("SELECT done_until_ms FROM rollup_progress WHERE res_ms = ?1")
        .ctx("preparing to read rollup progress")?
        .query_row([res_ms], |row| row.get(0))
        .optional()
        .ctx("reading rollup progress")
        .map(|done| done.unwrap_or(i64::MIN))
}

static INSERT_ROLLUP: LazyLock<String> = LazyLock::new(|| {
    let stats: Vec<String> =
        STAT_FIELDS.iter().map(|f| format!("{f}_sum, {f}_n, {f}_min, {f}_max")).collect();
    let placeholders = vec!["?"; 4 + 4 * STAT_FIELDS.len() + 5].join(", ");
    format!(
        "INSERT INTO sample_rollups (res_ms, node_id, bucket_ms, samples, {}, work_unit, \
         power_source, total_work_last, work_done, energy_wh) VALUES ({placeholders})",
        stats.join(", ")
    )
});

fn write(
    conn: &Connection,
    res_ms: i64,
    buckets: BTreeMap<(String, i64), Bucket>,
    done_until_ms: i64,
) -> Result<usize, LedgerError> {
    let count = buckets.len();
    let mut insert = conn.prepare_cached(&INSERT_ROLLUP).ctx("preparing to store rollups")?;
    for ((node_id, bucket_ms), bucket) in buckets {
        insert
            .execute(params_from_iter(bucket.into_params(res_ms, node_id, bucket_ms)))
            .ctx("storing rollups")?;
    }
    conn.prepare_cached(
        "INSERT INTO rollup_progress (res_ms, done_until_ms) VALUES (?1, ?2) \
         ON CONFLICT (res_ms) DO UPDATE SET done_until_ms = excluded.done_until_ms",
    )
    .ctx("preparing to store rollup progress")?
    .execute(params![res_ms, done_until_ms])
    .ctx("storing rollup progress")?;
    Ok(count)
}

/// Folds minute rows with buckets in `[from_ms, to_ms)` into hour buckets.
fn fold_minutes(
    conn: &Connection,
    from_ms: i64,
    to_ms: i64,
) -> Result<BTreeMap<(String, i64), Bucket>, LedgerError> {
    let stats: Vec<String> =
        STAT_FIELDS.iter().map(|f| format!("{f}_sum, {f}_n, {f}_min, {f}_max")).collect();
    let sql = format!(
        "SELECT node_id, bucket_ms, samples, {}, work_unit, power_source, total_work_last, \
         work_done, energy_wh FROM sample_rollups WHERE res_ms = ?1 AND bucket_ms >= ?2 \
         AND bucket_ms < ?3 ORDER BY node_id, bucket_ms",
        stats.join(", ")
    );
    let mut stmt = conn.prepare_cached(&sql).ctx("preparing to roll up hours")?;
    let rows = stmt
        .query_map(params![MINUTE_MS, from_ms, to_ms], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?, Bucket::read(row, 2)?))
        })
        .ctx("rolling up hours")?;
    let mut hours: BTreeMap<(String, i64), Bucket> = BTreeMap::new();
    for row in rows {
        let (node_id, minute, bucket) = row.map_err(read_error("rolling up hours"))?;
        hours.entry((node_id, floor_to(minute, HOUR_MS))).or_default().merge(bucket);
    }
    Ok(hours)
}

impl Ledger {
    /// Rolls up every complete minute and hour not yet rolled up, then deletes raw samples that
    /// are both rolled up and older than the raw window. Call it about once a minute; running
    /// it again with the same `now_ms` changes nothing. One transaction: all or nothing.
    pub fn maintain(&self, now_ms: UnixMillis) -> Result<MaintainReport, LedgerError> {
        let mut conn = self.writer();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .ctx("starting maintenance")?;
        let mut report = MaintainReport::default();

        let minute_from = progress(&tx, MINUTE_MS)?;
        let minute_to = floor_to(now_ms.saturating_sub(GRACE_MS), MINUTE_MS);
        if minute_to > minute_from {
            let buckets = fold_raw(&tx, None, minute_from, minute_to, MINUTE_MS)?;
            report.minute_rows = write(&tx, MINUTE_MS, buckets, minute_to)?;
        }
        let minutes_done = minute_to.max(minute_from);

        let hour_from = progress(&tx, HOUR_MS)?;
        let hour_to = floor_to(minutes_done, HOUR_MS);
        if hour_to > hour_from {
            let buckets = fold_minutes(&tx, hour_from, hour_to)?;
            report.hour_rows = write(&tx, HOUR_MS, buckets, hour_to)?;
        }

        let window_start = now_ms.saturating_sub(self.options().raw_window_ms);
        report.pruned_raw = tx
            .prepare_cached("DELETE FROM samples_raw WHERE at_ms < ?1")
            .ctx("preparing to prune samples")?
            .execute([window_start.min(minutes_done)])
            .ctx("pruning samples")?;
        // Minute rows whose hour row exists and that are older than the minute window. Charts
        // and totals read hour rows for whole hours, so only sub-hour edges of ranges that
        // start more than the window ago lose precision.
        let minutes_before =
            now_ms.saturating_sub(self.options().minute_window_ms).min(progress(&tx, HOUR_MS)?);
        for table in ["sample_rollups", "energy_rollups"] {
            report.pruned_minutes += tx
                .prepare_cached(&format!(
                    "DELETE FROM {table} WHERE res_ms = ?1 AND bucket_ms < ?2"
                ))
                .ctx("preparing to prune minute rows")?
                .execute(params![MINUTE_MS, minutes_before])
                .ctx("pruning minute rows")?;
        }
        tx.commit().ctx("committing maintenance")?;
        Ok(report)
    }

    /// Work done in `[from_ms, to_ms)` from the nodes' work counters (increases summed, counter
    /// restarts handled), or `None` if no sample in the range had a counter. Rolled-up time is
    /// counted by whole buckets starting in the range; newer time from raw samples.
    pub fn work_done(
        &self,
        node_id: Option<&str>,
        from_ms: UnixMillis,
        to_ms: UnixMillis,
    ) -> Result<Option<u64>, LedgerError> {
        let mut conn = self.reader();
        // One read transaction: progress and rows come from the same snapshot.
        let tx = conn.transaction().ctx("starting to read work done")?;
        let minutes_done = progress(&tx, MINUTE_MS)?;
        let hours_done = progress(&tx, HOUR_MS)?;
        let sum = |res_ms: i64, from: i64, to: i64| -> Result<Option<u64>, LedgerError> {
            if from >= to {
                return Ok(None);
            }
            let total: Option<i64> = tx
                .prepare_cached(
                    "SELECT SUM(work_done) FROM sample_rollups WHERE res_ms = ?1 \
                     AND bucket_ms >= ?2 AND bucket_ms < ?3 AND (?4 IS NULL OR node_id = ?4)",
                )
                .ctx("preparing to read work done")?
                .query_row(params![res_ms, from, to, node_id], |row| row.get(0))
                .ctx("reading work done")?;
            Ok(total.map(|t| t.max(0).unsigned_abs()))
        };

        let mut total = None;
        let rolled_to = to_ms.min(minutes_done);
        if from_ms < rolled_to {
            let first_hour = floor_to(from_ms.saturating_add(HOUR_MS - 1), HOUR_MS);
            let last_hour = floor_to(rolled_to, HOUR_MS).min(hours_done);
            if first_hour < last_hour {
                total = add_work(total, sum(HOUR_MS, first_hour, last_hour)?);
                total = add_work(total, sum(MINUTE_MS, from_ms, first_hour)?);
                total = add_work(total, sum(MINUTE_MS, last_hour, rolled_to)?);
            } else {
                total = add_work(total, sum(MINUTE_MS, from_ms, rolled_to)?);
            }
        }
        let raw_from = from_ms.max(minutes_done);
        if raw_from < to_ms {
            // One bucket per node covering the whole raw range.
            for bucket in fold_raw(&tx, node_id, raw_from, to_ms, i64::MAX)?.into_values() {
                total = add_work(total, bucket.work_done);
            }
        }
        Ok(total)
    }
}

#[cfg(test)]
#[path = "rollup_tests.rs"]
mod tests;
