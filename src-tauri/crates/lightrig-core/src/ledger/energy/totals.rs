//! Reading energy back: totals over a range (whole hours from hour rows, the edges from
//! minute rows) and chart points per bucket.

use std::sync::LazyLock;

use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use super::row::provenance_of_kind;
use super::{bad_row, floor_to};
use crate::energy::Energy;
use crate::ledger::error::SqlContext;
use crate::ledger::samples::{DAY_OF_BUCKET, HOUR_MS, MINUTE_MS, Resolution};
use crate::ledger::{Ledger, LedgerError};
use crate::model::{Provenance, UnixMillis};

/// Energy totals over a range, per currency for the cost (currencies are never added).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EnergyTotals {
    pub samples: i64,
    pub covered_ms: i64,
    pub gap_ms: i64,
    /// `None` when nothing in the range was covered.
    pub energy: Option<Energy>,
    /// Energy above the idle baseline over `marginal_covered_ms` of the covered time.
    pub marginal_energy: Option<Energy>,
    pub marginal_covered_ms: i64,
    pub costs: Vec<CostTotal>,
    /// The kinds of reading in the range (wall, cpu-package, model...), in name order.
    pub kinds: Vec<String>,
    /// Some covered time had readings of more than one kind within one row.
    pub mixed_kind: bool,
    /// The last power source in the range.
    pub latest_source: Option<String>,
}

/// Cost in one currency.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostTotal {
    pub currency: String,
    pub cost_nanos: i128,
    /// Covered time whose energy this cost covers.
    pub costed_ms: i64,
    /// Cost of the energy above the idle baseline; `None` when no row had it.
    pub marginal_cost_nanos: Option<i128>,
    pub marginal_costed_ms: i64,
}

impl EnergyTotals {
    /// The cost line in `currency`, if any time was costed in it.
    pub fn cost_in(&self, currency: &str) -> Option<&CostTotal> {
        self.costs.iter().find(|c| c.currency == currency)
    }

    /// Measured, estimated, or `None` when nothing was covered or the kinds were mixed with
    /// different provenances.
    pub fn provenance(&self) -> Option<Provenance> {
        let mut out = None;
        for kind in &self.kinds {
            let p = provenance_of_kind(kind)?;
            match out {
                None => out = Some(p),
                Some(q) if q != p => return Some(Provenance::Estimated),
                _ => {}
            }
        }
        if self.mixed_kind { out.map(|_| Provenance::Estimated) } else { out }
    }
}

/// One point of an energy chart: a bucket's energy and cost, all nodes' rows added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnergyPoint {
    pub bucket_ms: UnixMillis,
    pub covered_ms: i64,
    pub energy: Option<Energy>,
    pub marginal_energy: Option<Energy>,
    pub cost_nanos: Option<i64>,
    pub currency: Option<String>,
}

impl EnergyPoint {
    /// Mean power over the covered time, in watts.
    pub fn mean_w(&self) -> Option<f64> {
        let e = self.energy?;
        (self.covered_ms > 0).then(|| e.joules() / (self.covered_ms as f64 / 1000.0))
    }
}

const TOTALS_QUERY: &str = "SELECT currency, power_kind, SUM(samples), SUM(covered_ms), \
    SUM(gap_ms), SUM(energy_uj), SUM(marginal_energy_uj), \
    SUM(CASE WHEN marginal_energy_uj IS NOT NULL THEN covered_ms ELSE 0 END), \
    SUM(cost_nano), SUM(CASE WHEN cost_nano IS NOT NULL THEN covered_ms - uncosted_ms ELSE 0 END), \
    SUM(marginal_cost_nano), \
    SUM(CASE WHEN marginal_cost_nano IS NOT NULL THEN covered_ms ELSE 0 END), \
    SUM(CASE WHEN covered_ms > 0 AND power_kind IS NULL THEN 1 ELSE 0 END) \
    FROM energy_rollups WHERE res_ms = ?1 AND bucket_ms >= ?2 AND bucket_ms < ?3 \
    AND (?4 IS NULL OR node_id = ?4) GROUP BY currency, power_kind";

/// The chart query, grouped by `point`: the stored bucket, or the UTC day it falls in.
/// Energy and cost are summed; the marginal energy only when every covered row of the point has
/// one; the cost only when the point's rows share one currency. A point without rows is a gap.
fn series_query(point: &str) -> String {
    format!(
        "SELECT {point} AS point, SUM(covered_ms), SUM(energy_uj), \
         CASE WHEN SUM(covered_ms > 0 AND marginal_energy_uj IS NULL) = 0 \
              THEN SUM(marginal_energy_uj) END, \
         CASE WHEN COUNT(DISTINCT currency) <= 1 THEN SUM(cost_nano) END, MAX(currency) \
         FROM energy_rollups WHERE res_ms = ?1 AND bucket_ms >= ?2 AND bucket_ms < ?3 \
         AND (?4 IS NULL OR node_id = ?4) GROUP BY point ORDER BY point"
    )
}

static SERIES_QUERY: LazyLock<String> = LazyLock::new(|| series_query("bucket_ms"));
static DAY_SERIES_QUERY: LazyLock<String> = LazyLock::new(|| series_query(DAY_OF_BUCKET));

fn add_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.saturating_add(y)),
        (x, y) => x.or(y),
    }
}

impl EnergyTotals {
    fn add_group(&mut self, g: Group) {
        self.samples = self.samples.saturating_add(g.samples);
        self.covered_ms = self.covered_ms.saturating_add(g.covered_ms);
        self.gap_ms = self.gap_ms.saturating_add(g.gap_ms);
        self.energy = add_opt(self.energy.map(Energy::microjoules), g.energy_uj).map(Energy);
        self.marginal_energy =
            add_opt(self.marginal_energy.map(Energy::microjoules), g.marginal_uj).map(Energy);
        self.marginal_covered_ms = self.marginal_covered_ms.saturating_add(g.marginal_covered_ms);
        if g.mixed > 0 {
            self.mixed_kind = true;
        }
        if let Some(kind) = g.kind.filter(|_| g.covered_ms > 0)
            && !self.kinds.contains(&kind)
        {
            self.kinds.push(kind);
            self.kinds.sort();
        }
        let (Some(currency), Some(cost)) = (g.currency, g.cost_nano) else { return };
        let line = match self.costs.iter_mut().position(|c| c.currency == currency) {
            Some(i) => &mut self.costs[i],
            None => {
                self.costs.push(CostTotal { currency, ..CostTotal::default() });
                let last = self.costs.len() - 1;
                &mut self.costs[last]
            }
        };
        line.cost_nanos = line.cost_nanos.saturating_add(i128::from(cost));
        line.costed_ms = line.costed_ms.saturating_add(g.costed_ms);
        if let Some(m) = g.marginal_cost_nano {
            line.marginal_cost_nanos =
                Some(line.marginal_cost_nanos.unwrap_or(0).saturating_add(i128::from(m)));
            line.marginal_costed_ms = line.marginal_costed_ms.saturating_add(g.marginal_costed_ms);
        }
    }
}

/// One `GROUP BY currency, power_kind` row of [`TOTALS_QUERY`].
struct Group {
    currency: Option<String>,
    kind: Option<String>,
    samples: i64,
    covered_ms: i64,
    gap_ms: i64,
    energy_uj: Option<i64>,
    marginal_uj: Option<i64>,
    marginal_covered_ms: i64,
    cost_nano: Option<i64>,
    costed_ms: i64,
    marginal_cost_nano: Option<i64>,
    marginal_costed_ms: i64,
    mixed: i64,
}

fn read_group(row: &Row<'_>) -> rusqlite::Result<Group> {
    Ok(Group {
        currency: row.get(0)?,
        kind: row.get(1)?,
        samples: row.get::<_, Option<i64>>(2)?.unwrap_or(0),
        covered_ms: row.get::<_, Option<i64>>(3)?.unwrap_or(0),
        gap_ms: row.get::<_, Option<i64>>(4)?.unwrap_or(0),
        energy_uj: row.get(5)?,
        marginal_uj: row.get(6)?,
        marginal_covered_ms: row.get::<_, Option<i64>>(7)?.unwrap_or(0),
        cost_nano: row.get(8)?,
        costed_ms: row.get::<_, Option<i64>>(9)?.unwrap_or(0),
        marginal_cost_nano: row.get(10)?,
        marginal_costed_ms: row.get::<_, Option<i64>>(11)?.unwrap_or(0),
        mixed: row.get::<_, Option<i64>>(12)?.unwrap_or(0),
    })
}

impl Ledger {
    /// Totals over `[from_ms, to_ms)`, counting whole minutes that start in the range. Whole
    /// hours are read from hour rows (fast over a year), the edges from minute rows.
    pub fn energy_totals(
        &self,
        node_id: Option<&str>,
        from_ms: UnixMillis,
        to_ms: UnixMillis,
    ) -> Result<EnergyTotals, LedgerError> {
        let mut conn = self.reader();
        // One read transaction: every part comes from the same snapshot.
        let tx = conn.transaction().ctx("starting to read energy totals")?;
        let mut totals = EnergyTotals::default();
        if from_ms >= to_ms {
            return Ok(totals);
        }
        let first_hour = floor_to(from_ms.saturating_add(HOUR_MS - 1), HOUR_MS);
        let last_hour = floor_to(to_ms, HOUR_MS);
        let parts = if first_hour < last_hour {
            vec![
                (MINUTE_MS, from_ms, first_hour),
                (HOUR_MS, first_hour, last_hour),
                (MINUTE_MS, last_hour, to_ms),
            ]
        } else {
            vec![(MINUTE_MS, from_ms, to_ms)]
        };
        {
            let mut stmt =
                tx.prepare_cached(TOTALS_QUERY).ctx("preparing to read energy totals")?;
            for (res, from, to) in parts {
                if from >= to {
                    continue;
                }
                let groups = stmt
                    .query_map(params![res, from, to, node_id], read_group)
                    .ctx("reading energy totals")?;
                for g in groups {
                    totals.add_group(g.map_err(bad_row)?);
                }
            }
            totals.latest_source = tx
                .prepare_cached(
                    "SELECT power_source FROM energy_rollups WHERE res_ms = ?1 \
                     AND bucket_ms >= ?2 AND bucket_ms < ?3 AND (?4 IS NULL OR node_id = ?4) \
                     AND power_source IS NOT NULL ORDER BY bucket_ms DESC LIMIT 1",
                )
                .ctx("preparing to read the latest power source")?
                .query_row(params![MINUTE_MS, from_ms, to_ms, node_id], |r| r.get(0))
                .optional()
                .ctx("reading the latest power source")?;
        }
        Ok(totals)
    }

    /// Chart points of one resolution in `[from_ms, to_ms)`, oldest first; every matching
    /// node's row of a bucket is added into one point. [`Resolution::Day`] adds up the hour
    /// rows of each UTC day in SQL, so a year is 365 points read in one pass.
    pub fn energy_series(
        &self,
        node_id: Option<&str>,
        resolution: Resolution,
        from_ms: UnixMillis,
        to_ms: UnixMillis,
    ) -> Result<Vec<EnergyPoint>, LedgerError> {
        let Some((res, grouped)) = resolution.stored() else { return Ok(Vec::new()) };
        let sql: &str = if grouped { &DAY_SERIES_QUERY } else { &SERIES_QUERY };
        let conn = self.reader();
        let mut stmt = conn.prepare_cached(sql).ctx("preparing to read energy points")?;
        let rows = stmt
            .query_map(params![res, from_ms, to_ms, node_id], |row| {
                Ok(EnergyPoint {
                    bucket_ms: row.get(0)?,
                    covered_ms: row.get::<_, Option<i64>>(1)?.unwrap_or(0),
                    energy: row.get::<_, Option<i64>>(2)?.map(Energy),
                    marginal_energy: row.get::<_, Option<i64>>(3)?.map(Energy),
                    cost_nanos: row.get(4)?,
                    currency: row.get(5)?,
                })
            })
            .ctx("reading energy points")?;
        rows.collect::<Result<_, _>>().map_err(bad_row)
    }
}
