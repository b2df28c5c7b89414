//! The pieces a rollup is built from: per-field aggregates, a bucket (one rollup row in the
//! making), and a node's sample stream, which carries the previous sample across batches so a
//! batch boundary changes nothing.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::error::{LedgerError, SqlContext};
use super::samples::{HOUR_MS, RawRow, get_u64, read_error};
use super::schema::STAT_FIELDS;

/// Energy: each power reading stands for the time since the previous sample of its node, at
/// most this long (a gap means nothing was measured), or the nominal period if it is the first.
pub(super) const MAX_GAP_MS: i64 = 5_000;
pub(super) const NOMINAL_PERIOD_MS: i64 = 1_000;
/// Work counters: a reading is compared with the node's previous one only if that is at most
/// this old; otherwise it starts a new series. This keeps results independent of pruning.
pub(super) const COUNTER_GAP_MS: i64 = 10 * 60_000;
/// Position of `power_w` in [`STAT_FIELDS`].
pub(super) const POWER_W: usize = 6;

/// Running sum, count, min and max of one field's available values.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct FieldAgg {
    sum: f64,
    n: u64,
    min: f64,
    max: f64,
}

impl FieldAgg {
    fn merge(&mut self, sum: f64, n: u64, min: f64, max: f64) {
        if n == 0 {
            return;
        }
        if self.n == 0 {
            (self.min, self.max) = (min, max);
        } else {
            (self.min, self.max) = (self.min.min(min), self.max.max(max));
        }
        self.sum += sum;
        self.n += n;
    }

    fn add(&mut self, value: f64) {
        self.merge(value, 1, value, value);
    }
}

/// One rollup row being built.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Bucket {
    samples: u64,
    fields: [FieldAgg; 8],
    work_unit: Option<String>,
    power_source: Option<String>,
    total_work_last: Option<u64>,
    pub(super) work_done: Option<u64>,
    energy_wh: Option<f64>,
}

/// Adds two optional work counts; `None` (no counter seen) only if both are `None`.
pub(super) fn add_work(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.saturating_add(b)),
        (a, b) => a.or(b),
    }
}

impl Bucket {
    /// Folds a later bucket of the same node into this one.
    pub(super) fn merge(&mut self, later: Bucket) {
        self.samples += later.samples;
        for (field, other) in self.fields.iter_mut().zip(later.fields) {
            field.merge(other.sum, other.n, other.min, other.max);
        }
        self.work_unit = later.work_unit.or(self.work_unit.take());
        self.power_source = later.power_source.or(self.power_source.take());
        self.total_work_last = later.total_work_last.or(self.total_work_last);
        self.work_done = add_work(self.work_done, later.work_done);
        self.energy_wh = match (self.energy_wh, later.energy_wh) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
    }

    /// Reads a stored rollup row whose `samples` column is at `at`.
    pub(super) fn read(row: &Row<'_>, at: usize) -> rusqlite::Result<Bucket> {
        let mut bucket = Bucket { samples: get_u64(row, at)?.unwrap_or(0), ..Bucket::default() };
        for (i, field) in bucket.fields.iter_mut().enumerate() {
            let base = at + 1 + 4 * i;
            let n = get_u64(row, base + 1)?.unwrap_or(0);
            if let (Some(sum), Some(min), Some(max)) =
                (row.get(base)?, row.get(base + 2)?, row.get(base + 3)?)
            {
                field.merge(sum, n, min, max);
            }
        }
        let tail = at + 1 + 4 * STAT_FIELDS.len();
        bucket.work_unit = row.get(tail)?;
        bucket.power_source = row.get(tail + 1)?;
        bucket.total_work_last = get_u64(row, tail + 2)?;
        bucket.work_done = get_u64(row, tail + 3)?;
        bucket.energy_wh = row.get(tail + 4)?;
        Ok(bucket)
    }

    pub(super) fn into_params(self, res_ms: i64, node_id: String, bucket_ms: i64) -> Vec<Value> {
        let int = |v: u64| Value::Integer(i64::try_from(v).unwrap_or(i64::MAX));
        let mut values = vec![
            Value::Integer(res_ms),
            Value::Text(node_id),
            Value::Integer(bucket_ms),
            int(self.samples),
        ];
        for field in self.fields {
            if field.n == 0 {
                values.extend([Value::Null, int(0), Value::Null, Value::Null]);
            } else {
                values.extend([
                    Value::Real(field.sum),
                    int(field.n),
                    Value::Real(field.min),
                    Value::Real(field.max),
                ]);
            }
        }
        let text = |v: Option<String>| v.map_or(Value::Null, Value::Text);
        values.extend([
            text(self.work_unit),
            text(self.power_source),
            self.total_work_last.map_or(Value::Null, int),
            self.work_done.map_or(Value::Null, int),
            self.energy_wh.map_or(Value::Null, Value::Real),
        ]);
        values
    }
}

/// What a node's sample stream looked like just before the sample being folded in.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Stream {
    prev_at: Option<i64>,
    prev_total: Option<(i64, u64)>,
}

/// A counter's increase from `prev` to `cur`. A smaller value means the node restarted and the
/// counter began again at 0, so all of `cur` is new work.
pub(super) fn increase(prev: u64, cur: u64) -> u64 {
    if cur >= prev { cur - prev } else { cur }
}

impl Stream {
    /// The node's last samples before `before_ms`, so the first sample of a batch gets the same
    /// counter increase and energy interval as it would in a longer batch.
    pub(super) fn before(
        conn: &Connection,
        node_id: &str,
        before_ms: i64,
    ) -> Result<Stream, LedgerError> {
        let prev_at: Option<i64> = conn
            .prepare_cached("SELECT MAX(at_ms) FROM samples_raw WHERE node_id = ?1 AND at_ms < ?2")
            .ctx("preparing to roll up samples")?
            .query_row(params![node_id, before_ms], |row| row.get(0))
            .ctx("rolling up samples")?;
        let prev_total = conn
            .prepare_cached(
                "SELECT at_ms, total_work FROM samples_raw WHERE node_id = ?1 AND at_ms < ?2 \
                 AND at_ms >= ?3 AND total_work IS NOT NULL ORDER BY at_ms DESC, id DESC LIMIT 1",
            )
            .ctx("preparing to roll up samples")?
            .query_row(
                params![node_id, before_ms, before_ms.saturating_sub(COUNTER_GAP_MS)],
                |row| Ok((row.get::<_, i64>(0)?, get_u64(row, 1)?)),
            )
            .optional()
            .map_err(read_error("rolling up samples"))?
            .and_then(|(at, total)| total.map(|t| (at, t)));
        Ok(Stream { prev_at, prev_total })
    }

    /// Folds one raw sample into `bucket`.
    pub(super) fn step(&mut self, row: &RawRow, bucket: &mut Bucket) {
        bucket.samples += 1;
        for (field, value) in bucket.fields.iter_mut().zip(row.stats) {
            if let Some(value) = value {
                field.add(value);
            }
        }
        if row.work_unit.is_some() {
            bucket.work_unit.clone_from(&row.work_unit);
        }
        if row.power_source.is_some() {
            bucket.power_source.clone_from(&row.power_source);
        }
        if let Some(cur) = row.total_work {
            let gained = match self.prev_total {
                Some((at, prev)) if row.at_ms - at <= COUNTER_GAP_MS => increase(prev, cur),
                _ => 0,
            };
            bucket.work_done = Some(bucket.work_done.unwrap_or(0).saturating_add(gained));
            bucket.total_work_last = Some(cur);
            self.prev_total = Some((row.at_ms, cur));
        }
        if let Some(watts) = row.stats[POWER_W] {
            let dt =
                self.prev_at.map_or(NOMINAL_PERIOD_MS, |p| (row.at_ms - p).clamp(0, MAX_GAP_MS));
            let wh = watts * dt as f64 / HOUR_MS as f64;
            bucket.energy_wh = Some(bucket.energy_wh.unwrap_or(0.0) + wh);
        }
        self.prev_at = Some(row.at_ms);
    }
}
