//! One stored row of `energy_rollups` and how parts of an interval merge into it.

use serde::{Deserialize, Serialize};

use crate::energy::{Energy, EnergyRollup};
use crate::model::{Provenance, UnixMillis};

/// Longest text kept in the `tariff` and `power_source` columns of a merged row.
const MAX_TEXT: usize = 240;

/// One row of `energy_rollups`, in the table's units: integers as the energy account keeps
/// them, energy in microjoules, money in billionths of the currency unit, prices in millionths
/// per kWh. `None` is "not available" (no power reading, no tariff, or part of the interval
/// without a price), never 0.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnergyRow {
    /// 60,000 for a minute row, 3,600,000 for an hour row.
    pub res_ms: i64,
    /// '' for time without a node (machine only), as in the sample tables.
    pub node_id: String,
    /// Start of the interval, Unix milliseconds (UTC).
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
    /// Covered time left out of the cost: no price, or priced in another currency.
    pub uncosted_ms: i64,
    /// ISO 4217 code of the costs' currency.
    pub currency: Option<String>,
    pub price_micro_per_kwh: Option<i64>,
    /// How the price was set, e.g. "flat 0.3 EUR/kWh (your setting)".
    pub tariff: Option<String>,
    pub power_kind: Option<String>,
    pub power_source: Option<String>,
}

impl EnergyRow {
    /// The minute row for a closed interval of the energy account. `node_id` is '' for
    /// machine-only time; `tariff` describes the tariff in force, if any.
    pub fn from_rollup(node_id: &str, rollup: &EnergyRollup, tariff: Option<&str>) -> EnergyRow {
        let cost = rollup.cost.and_then(|m| i64::try_from(m.nanos).ok());
        let marginal_cost = rollup.marginal_cost.and_then(|m| i64::try_from(m.nanos).ok());
        let currency = rollup.cost.map(|m| m.currency).or(rollup.price.map(|p| p.currency));
        let sources = rollup.sources.join("; ");
        EnergyRow {
            res_ms: rollup.bucket_ms,
            node_id: node_id.to_owned(),
            bucket_ms: rollup.start,
            samples: i64::from(rollup.samples),
            covered_ms: rollup.covered_ms,
            gap_ms: rollup.gap_ms,
            energy_uj: rollup.energy.map(Energy::microjoules),
            marginal_energy_uj: rollup.marginal_energy.map(Energy::microjoules),
            uncosted_ms: if cost.is_some() { 0 } else { rollup.covered_ms },
            cost_nano: cost,
            marginal_cost_nano: marginal_cost,
            currency: currency.map(|c| c.code().to_owned()),
            price_micro_per_kwh: rollup.price.map(|p| p.mean.micros_per_kwh),
            tariff: tariff.map(str::to_owned),
            power_kind: rollup.kind.map(|k| k.as_str().to_owned()),
            power_source: (!sources.is_empty()).then_some(sources),
        }
    }

    /// Adds another part of the same interval (same node; the bucket is not checked).
    pub fn merge(&mut self, other: &EnergyRow) {
        let (a, b) = (self.covered_ms > 0, other.covered_ms > 0);
        self.marginal_energy_uj =
            all_or_nothing(a, self.marginal_energy_uj, b, other.marginal_energy_uj);
        self.marginal_cost_nano = if self.currency.is_none()
            || other.currency.is_none()
            || self.currency == other.currency
        {
            all_or_nothing(a, self.marginal_cost_nano, b, other.marginal_cost_nano)
        } else {
            None
        };
        self.merge_cost(other);
        self.energy_uj = sum_some(self.energy_uj, other.energy_uj);
        self.power_kind = match (a, b) {
            (_, false) => self.power_kind.take(),
            (false, true) => other.power_kind.clone(),
            (true, true) if self.power_kind == other.power_kind => self.power_kind.take(),
            (true, true) => None,
        };
        self.tariff = join_text(self.tariff.take(), other.tariff.as_deref());
        self.power_source = join_text(self.power_source.take(), other.power_source.as_deref());
        self.samples = self.samples.saturating_add(other.samples);
        self.covered_ms = self.covered_ms.saturating_add(other.covered_ms);
        self.gap_ms = self.gap_ms.saturating_add(other.gap_ms);
    }

    /// Costs add within one currency; a part priced in another currency (the user changed it
    /// within the interval) is left out and its time counted as uncosted.
    fn merge_cost(&mut self, other: &EnergyRow) {
        let other_costed = other.covered_ms - other.uncosted_ms;
        let same = match (&self.currency, &other.currency) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        };
        if !same && other.cost_nano.is_some() {
            self.uncosted_ms = self.uncosted_ms.saturating_add(other.covered_ms);
            return;
        }
        let weight = |row: &EnergyRow| {
            let costed = row.covered_ms - row.uncosted_ms;
            row.energy_uj.filter(|e| *e > 0).unwrap_or(costed).max(0)
        };
        self.price_micro_per_kwh = match (self.price_micro_per_kwh, other.price_micro_per_kwh) {
            (Some(p), Some(q)) if other_costed > 0 => {
                let (wa, wb) = (i128::from(weight(self)), i128::from(weight(other)));
                let mean = if wa + wb > 0 {
                    (i128::from(p) * wa + i128::from(q) * wb) / (wa + wb)
                } else {
                    i128::from(q)
                };
                i64::try_from(mean).ok()
            }
            (p, q) => p.or(q),
        };
        self.cost_nano = sum_some(self.cost_nano, other.cost_nano);
        self.uncosted_ms = self.uncosted_ms.saturating_add(other.uncosted_ms);
        if self.currency.is_none() {
            self.currency.clone_from(&other.currency);
        }
    }

    /// The energy as the account's type.
    pub fn energy(&self) -> Option<Energy> {
        self.energy_uj.map(Energy)
    }
}

fn sum_some(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.saturating_add(y)),
        (x, y) => x.or(y),
    }
}

/// Sum when every covered part has a value; `None` as soon as one covered part has none.
fn all_or_nothing(a_covered: bool, a: Option<i64>, b_covered: bool, b: Option<i64>) -> Option<i64> {
    match (a_covered, b_covered) {
        (false, false) => None,
        (true, false) => a,
        (false, true) => b,
        (true, true) => Some(a?.saturating_add(b?)),
    }
}

/// "a; b" without repeating a part already there, cut at [`MAX_TEXT`].
fn join_text(mine: Option<String>, other: Option<&str>) -> Option<String> {
    let Some(other) = other.filter(|o| !o.is_empty()) else { return mine };
    let Some(mut mine) = mine.filter(|m| !m.is_empty()) else { return Some(other.to_owned()) };
    for part in other.split("; ") {
        if mine.split("; ").any(|p| p == part) || mine.len() + part.len() + 2 > MAX_TEXT {
            continue;
        }
        mine.push_str("; ");
        mine.push_str(part);
    }
    Some(mine)
}

/// Measured or estimated, from the kind of reading. Models and plug-meter calibrations (the
/// only sources of wall power Lightrig has) are estimates; sensors are measurements.
pub fn provenance_of_kind(kind: &str) -> Option<Provenance> {
    match kind {
        "model" | "wall" => Some(Provenance::Estimated),
        "cpu-package" | "gpu" | "battery" | "process" => Some(Provenance::Measured),
        _ => None,
    }
}
