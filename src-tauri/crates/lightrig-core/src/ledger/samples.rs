//! Samples: one row about every second while Lightrig runs, and the chart queries over them.

use std::sync::LazyLock;

use rusqlite::{Row, params};
use serde::{Deserialize, Serialize};

use super::Ledger;
use super::error::{LedgerError, SqlContext};
use super::schema::STAT_FIELDS;
use crate::model::UnixMillis;

/// One telemetry reading. `None` means "not available" and is stored as NULL: a missing sensor
/// is never recorded as 0, and every average ignores it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    pub at_ms: UnixMillis,
    /// The node this reading belongs to, or `None` for a machine-only reading.
    pub node_id: Option<String>,
    /// Whole-machine CPU use, 0–100.
    pub cpu_percent: Option<f32>,
    pub mem_used_bytes: Option<u64>,
    /// The node process tree's CPU use.
    pub node_cpu_percent: Option<f32>,
    pub node_rss_bytes: Option<u64>,
    pub work_rate: Option<f64>,
    /// Unit of `work_rate`, e.g. "H/s".
    pub work_unit: Option<String>,
    /// The node's running counter of work done (hashes, bytes...). It restarts from 0 when the
    /// node restarts; the ledger handles that.
    pub total_work: Option<u64>,
    pub cpu_temp_c: Option<f32>,
    pub power_w: Option<f32>,
    /// Where `power_w` came from, e.g. "RAPL package power" or "model: 65 W TDP".
    pub power_source: Option<String>,
    pub on_battery: Option<bool>,
}

/// Which rows a chart reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Resolution {
    /// Raw samples; kept only for the raw window (two hours by default).
    Raw,
    /// 1-minute rollups, kept for ever.
    Minute,
    /// 1-hour rollups, kept for ever.
    Hour,
    /// UTC days, added up from the hour rollups when read: nothing is stored per day, so a
    /// year's chart is 365 points computed in SQL from about 8,760 hour rows. Days are UTC
    /// (midnight to midnight in Unix time), so daylight-saving changes play no part.
    Day,
}

impl Resolution {
    /// Bucket width in milliseconds; `None` for raw samples.
    pub fn bucket_ms(self) -> Option<i64> {
        match self {
            Self::Raw => None,
            Self::Minute => Some(MINUTE_MS),
            Self::Hour => Some(HOUR_MS),
            Self::Day => Some(DAY_MS),
        }
    }

    /// The stored rollup rows (their `res_ms`) a query of this resolution reads, and whether
    /// they are grouped into wider buckets on the way out; `None` for raw samples.
    pub(crate) fn stored(self) -> Option<(i64, bool)> {
        match self {
            Self::Raw => None,
            Self::Minute => Some((MINUTE_MS, false)),
            Self::Hour => Some((HOUR_MS, false)),
            Self::Day => Some((HOUR_MS, true)),
        }
    }
}

pub(crate) const MINUTE_MS: i64 = 60_000;
pub(crate) const HOUR_MS: i64 = 3_600_000;
pub(crate) const DAY_MS: i64 = 86_400_000;

/// SQL for the UTC day a `bucket_ms` falls in (a floor that also holds before 1970).
pub(crate) const DAY_OF_BUCKET: &str =
    "(bucket_ms - ((bucket_ms % 86400000) + 86400000) % 86400000)";

/// Average, minimum and maximum of the available values of one field in a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    pub avg: f64,
    pub min: f64,
    pub max: f64,
}

/// One point of a chart: a raw sample (count 1, avg = min = max) or a rollup bucket.
/// Each field is `None` when no sample in the bucket had it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SampleRow {
    /// The sample's time, or the bucket's start.
    pub at_ms: UnixMillis,
    /// How many raw samples this row stands for.
    pub count: u64,
    pub cpu_percent: Option<Stat>,
    pub mem_used_bytes: Option<Stat>,
    pub node_cpu_percent: Option<Stat>,
    pub node_rss_bytes: Option<Stat>,
    pub work_rate: Option<Stat>,
    pub cpu_temp_c: Option<Stat>,
    pub power_w: Option<Stat>,
    /// avg is the share of samples taken on battery.
    pub on_battery: Option<Stat>,
    pub work_unit: Option<String>,
    pub power_source: Option<String>,
    /// Last value of the node's work counter in the bucket.
    pub total_work: Option<u64>,
    /// Work done in the bucket (counter increases, restarts handled); rollups only.
    pub work_done: Option<u64>,
    /// Energy in watt-hours estimated from `power_w` over time; rollups only.
    pub energy_wh: Option<f64>,
}

impl SampleRow {
    pub(crate) fn with_stats(mut self, stats: [Option<Stat>; 8]) -> Self {
        let [cpu, mem, node_cpu, node_rss, rate, temp, power, battery] = stats;
        self.cpu_percent = cpu;
        self.mem_used_bytes = mem;
        self.node_cpu_percent = node_cpu;
        self.node_rss_bytes = node_rss;
        self.work_rate = rate;
        self.cpu_temp_c = temp;
        self.power_w = power;
        self.on_battery = battery;
        self
    }
}

/// A raw sample row as the rollup reads it: the stat fields as f64 in [`STAT_FIELDS`] order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawRow {
    pub at_ms: i64,
    pub node_id: String,
    pub stats: [Option<f64>; 8],
    pub work_unit: Option<String>,
    pub total_work: Option<u64>,
    pub power_source: Option<String>,
}

/// Columns of `samples_raw` in [`RawRow`] order.
pub(crate) const RAW_COLUMNS: &str = "at_ms, node_id, cpu_percent, mem_used_bytes, \
    node_cpu_percent, node_rss_bytes, work_rate, cpu_temp_c, power_w, on_battery, \
    work_unit, total_work, power_source";

pub(crate) fn read_raw(row: &Row<'_>) -> rusqlite::Result<RawRow> {
    let mut stats = [None; 8];
    for (i, stat) in stats.iter_mut().enumerate() {
        *stat = row.get(2 + i)?;
    }
    Ok(RawRow {
        at_ms: row.get(0)?,
        node_id: row.get(1)?,
        stats,
        work_unit: row.get(10)?,
        total_work: get_u64(row, 11)?,
        power_source: row.get(12)?,
    })
}

const INSERT_RAW: &str = "INSERT INTO samples_raw (at_ms, node_id, cpu_percent, mem_used_bytes, \
    node_cpu_percent, node_rss_bytes, work_rate, cpu_temp_c, power_w, on_battery, work_unit, \
    total_work, power_source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

/// The rollup chart query: rows of every matching node in a bucket are merged (sums and counts
/// add up, so the merged average is exact).
static ROLLUP_QUERY: LazyLock<String> = LazyLock::new(|| {
    let stats: Vec<String> = STAT_FIELDS
        .iter()
        .map(|f| format!("SUM({f}_sum), SUM({f}_n), MIN({f}_min), MAX({f}_max)"))
        .collect();
    format!(
        "SELECT bucket_ms, SUM(samples), {}, \
         CASE WHEN COUNT(*) = 1 THEN MAX(work_unit) END, MAX(power_source), \
         CASE WHEN COUNT(*) = 1 THEN MAX(total_work_last) END, SUM(work_done), SUM(energy_wh) \
         FROM sample_rollups WHERE res_ms = ?1 AND bucket_ms >= ?2 AND bucket_ms < ?3 \
         AND (?4 IS NULL OR node_id = ?4) GROUP BY bucket_ms ORDER BY bucket_ms",
        stats.join(", ")
    )
});

/// The day chart query: the hour rows of a UTC day (of every matching node) merged into one
/// row, in the same column order as [`ROLLUP_QUERY`]. Averages stay exact (sums and counts add
/// up), minimum of minimums, maximum of maximums, work and energy summed. A day without hour
/// rows has no row at all: a gap, never a 0. The work counter's last value is read from the
/// day's latest hour that had one, and only when a single node made up the day.
static DAY_QUERY: LazyLock<String> = LazyLock::new(|| {
    let inner: Vec<String> = STAT_FIELDS
        .iter()
        .enumerate()
        .map(|(i, f)| {
            format!(
                "SUM({f}_sum) AS s{i}, SUM({f}_n) AS n{i}, MIN({f}_min) AS lo{i}, \
                 MAX({f}_max) AS hi{i}"
            )
        })
        .collect();
    let outer: Vec<String> =
        (0..STAT_FIELDS.len()).map(|i| format!("s{i}, n{i}, lo{i}, hi{i}")).collect();
    format!(
        "SELECT day, samples, {}, unit, source, \
         (SELECT r.total_work_last FROM sample_rollups r WHERE r.res_ms = ?1 \
          AND r.node_id = g.only_node AND r.bucket_ms >= MAX(g.day, ?2) \
          AND r.bucket_ms < MIN(g.day + {DAY_MS}, ?3) AND r.total_work_last IS NOT NULL \
          ORDER BY r.bucket_ms DESC LIMIT 1), \
         done, wh FROM (\
           SELECT {DAY_OF_BUCKET} AS day, SUM(samples) AS samples, {}, \
           CASE WHEN COUNT(DISTINCT node_id) = 1 THEN MAX(work_unit) END AS unit, \
           MAX(power_source) AS source, \
           CASE WHEN COUNT(DISTINCT node_id) = 1 THEN MAX(node_id) END AS only_node, \
           SUM(work_done) AS done, SUM(energy_wh) AS wh \
           FROM sample_rollups WHERE res_ms = ?1 AND bucket_ms >= ?2 AND bucket_ms < ?3 \
           AND (?4 IS NULL OR node_id = ?4) GROUP BY day\
         ) g ORDER BY day",
        outer.join(", "),
        inner.join(", ")
    )
});

/// Reads a stored counter back as u64. Negative values cannot be written, so one here means
/// the file was edited elsewhere.
pub(crate) fn get_u64(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<u64>> {
    let value: Option<i64> = row.get(idx)?;
    value
        .map(|v| {
            u64::try_from(v).map_err(|_| {
                rusqlite::Error::FromSqlConversionFailure(
                    idx,
                    rusqlite::types::Type::Integer,
                    format!("negative counter {v}").into(),
                )
            })
        })
        .transpose()
}

/// Turns a row-reading error into a [`LedgerError`], naming bad stored values as such.
pub(crate) fn read_error(action: &'static str) -> impl Fn(rusqlite::Error) -> LedgerError {
    move |source| match source {
        rusqlite::Error::FromSqlConversionFailure(_, _, reason) => {
            LedgerError::BadRow { table: "samples", reason: reason.to_string() }
        }
        source => LedgerError::Sqlite { action, source },
    }
}

fn to_i64(at_ms: i64, field: &str, value: Option<u64>) -> Result<Option<i64>, LedgerError> {
    value
        .map(|v| {
            i64::try_from(v).map_err(|_| LedgerError::InvalidSample {
                at_ms,
                reason: format!("{field} = {v} is larger than the ledger can store (2^63 - 1)"),
            })
        })
        .transpose()
}

/// A non-finite reading (NaN, infinity) is a broken sensor, so it is stored as "not available".
fn finite(value: Option<f64>) -> Option<f64> {
    value.filter(|v| v.is_finite())
}

fn read_rollup(row: &Row<'_>) -> rusqlite::Result<SampleRow> {
    let mut stats = [None; 8];
    for (i, stat) in stats.iter_mut().enumerate() {
        let base = 2 + 4 * i;
        let sum: Option<f64> = row.get(base)?;
        let n: Option<i64> = row.get(base + 1)?;
        let min: Option<f64> = row.get(base + 2)?;
        let max: Option<f64> = row.get(base + 3)?;
        *stat = match (sum, n, min, max) {
            (Some(sum), Some(n), Some(min), Some(max)) if n > 0 => {
                Some(Stat { avg: sum / n as f64, min, max })
            }
            _ => None,
        };
    }
    let tail = 2 + 4 * STAT_FIELDS.len();
    let row = SampleRow {
        at_ms: row.get(0)?,
        count: get_u64(row, 1)?.unwrap_or(0),
        work_unit: row.get(tail)?,
        power_source: row.get(tail + 1)?,
        total_work: get_u64(row, tail + 2)?,
        work_done: get_u64(row, tail + 3)?,
        energy_wh: row.get(tail + 4)?,
        ..SampleRow::default()
    };
    Ok(row.with_stats(stats))
}

impl Ledger {
    /// Records one sample. Cheap: one cached prepared INSERT on the sample connection, without
    /// a disk sync (see the module notes).
    pub fn record_sample(&self, sample: &Sample) -> Result<(), LedgerError> {
        let at = sample.at_ms;
        let node_id = sample.node_id.as_deref().unwrap_or("");
        let conn = self.sampler();
        conn.prepare_cached(INSERT_RAW)
            .ctx("preparing to record a sample")?
            .execute(params![
                at,
                node_id,
                finite(sample.cpu_percent.map(f64::from)),
                to_i64(at, "mem_used_bytes", sample.mem_used_bytes)?,
                finite(sample.node_cpu_percent.map(f64::from)),
                to_i64(at, "node_rss_bytes", sample.node_rss_bytes)?,
                finite(sample.work_rate),
                finite(sample.cpu_temp_c.map(f64::from)),
                finite(sample.power_w.map(f64::from)),
                sample.on_battery,
                sample.work_unit,
                to_i64(at, "total_work", sample.total_work)?,
                sample.power_source,
            ])
            .ctx("recording a sample")?;
        Ok(())
    }

    /// Chart rows in `[from_ms, to_ms)`, oldest first. `node_id: None` reads every node's and
    /// machine-only samples: raw rows are returned as they are, rollup buckets are merged.
    /// Rollups only hold minutes (hours) that [`Ledger::maintain`] has already rolled up; a
    /// [`Resolution::Day`] point stands for the day's rolled-up hours within the range.
    pub fn samples(
        &self,
        node_id: Option<&str>,
        resolution: Resolution,
        from_ms: UnixMillis,
        to_ms: UnixMillis,
    ) -> Result<Vec<SampleRow>, LedgerError> {
        let conn = self.reader();
        let Some((stored, grouped)) = resolution.stored() else {
            let sql = format!(
                "SELECT {RAW_COLUMNS} FROM samples_raw WHERE at_ms >= ?1 AND at_ms < ?2 \
                 AND (?3 IS NULL OR node_id = ?3) ORDER BY at_ms, id"
            );
            let mut stmt = conn.prepare_cached(&sql).ctx("preparing to read samples")?;
            let rows = stmt
                .query_map(params![from_ms, to_ms, node_id], |row| {
                    let raw = read_raw(row)?;
                    let stats = raw.stats.map(|v| v.map(|v| Stat { avg: v, min: v, max: v }));
                    Ok(SampleRow {
                        at_ms: raw.at_ms,
                        count: 1,
                        work_unit: raw.work_unit,
                        power_source: raw.power_source,
                        total_work: raw.total_work,
                        ..SampleRow::default()
                    }
                    .with_stats(stats))
                })
                .ctx("reading samples")?;
            return rows.collect::<Result<_, _>>().map_err(read_error("reading samples"));
        };
        let sql: &str = if grouped { &DAY_QUERY } else { &ROLLUP_QUERY };
        let mut stmt = conn.prepare_cached(sql).ctx("preparing to read rollups")?;
        let rows = stmt
            .query_map(params![stored, from_ms, to_ms, node_id], read_rollup)
            .ctx("reading rollups")?;
        rows.collect::<Result<_, _>>().map_err(read_error("reading rollups"))
    }
}

#[cfg(test)]
#[path = "day_tests.rs"]
mod day_tests;
