//! One rolled-up interval of the energy account, shaped for the ledger: it can store energy,
//! cost and the price used per minute or hour.

use serde::{Deserialize, Serialize};

use crate::energy::reading::{PowerKind, PowerReading};
use crate::energy::units::{Cost, Currency, Energy, Money, Price};
use crate::model::{Provenance, UnixMillis};

/// Prices that applied within an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceUsed {
    pub currency: Currency,
    pub min: Price,
    pub max: Price,
    /// Cost ÷ energy: the energy-weighted average price.
    pub mean: Price,
}

/// Work the node did in an interval and the energy spent while it worked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkDone {
    /// Rate × time, e.g. hashes.
    pub amount: f64,
    /// The rate's unit, e.g. "H/s" (so `amount` is in hashes).
    pub rate_unit: String,
    pub working_ms: i64,
    pub working_energy: Energy,
    /// Work per joule of the energy drawn while working (H/J for a miner).
    pub per_joule: Option<f64>,
}

/// One closed interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnergyRollup {
    pub start: UnixMillis,
    pub bucket_ms: i64,
    pub samples: u32,
    /// Time with a power reading, integrated.
    pub covered_ms: i64,
    /// Time without one (sampler stopped, machine asleep, sensor failed): not integrated and
    /// not guessed.
    pub gap_ms: i64,
    /// `None` when nothing was covered: "not available", not 0 Wh.
    pub energy: Option<Energy>,
    pub mean_w: Option<f64>,
    /// Energy above the idle baseline; `None` without a comparable baseline.
    pub marginal_energy: Option<Energy>,
    /// `None` without a tariff, or when some covered time had no price (`uncosted_ms`).
    pub cost: Option<Money>,
    pub marginal_cost: Option<Money>,
    pub uncosted_ms: i64,
    pub price: Option<PriceUsed>,
    /// The sensor kind, `None` if it changed within the interval.
    pub kind: Option<PowerKind>,
    /// `Estimated` if any part was estimated.
    pub provenance: Option<Provenance>,
    /// Every source used, in order of first use.
    pub sources: Vec<String>,
    pub work: Option<WorkDone>,
}

/// The open interval being filled.
#[derive(Debug, Clone)]
pub(super) struct Acc {
    pub start: UnixMillis,
    pub samples: u32,
    pub covered_ms: i64,
    pub gap_ms: i64,
    pub energy: Energy,
    pub marginal: Energy,
    pub marginal_ok: bool,
    pub cost: Cost,
    pub marginal_cost: Cost,
    pub uncosted_ms: i64,
    pub min_price: Option<Price>,
    pub max_price: Option<Price>,
    pub kind: Option<PowerKind>,
    pub kind_mixed: bool,
    pub provenance: Option<Provenance>,
    pub sources: Vec<String>,
    pub work_amount: f64,
    pub work_unit: Option<String>,
    pub work_mixed: bool,
    pub working_ms: i64,
    pub working_energy: Energy,
}

impl Acc {
    pub fn new(start: UnixMillis, has_baseline: bool) -> Acc {
        Acc {
            start,
            samples: 0,
            covered_ms: 0,
            gap_ms: 0,
            energy: Energy(0),
            marginal: Energy(0),
            marginal_ok: has_baseline,
            cost: Cost(0),
            marginal_cost: Cost(0),
            uncosted_ms: 0,
            min_price: None,
            max_price: None,
            kind: None,
            kind_mixed: false,
            provenance: None,
            sources: Vec::new(),
            work_amount: 0.0,
            work_unit: None,
            work_mixed: false,
            working_ms: 0,
            working_energy: Energy(0),
        }
    }

    /// Notes what kind of reading this sample was. Allocates only when the source changes.
    pub fn note_reading(&mut self, reading: &PowerReading) {
        self.samples += 1;
        match self.kind {
            None if !self.kind_mixed => self.kind = Some(reading.kind),
            Some(k) if k != reading.kind => {
                self.kind = None;
                self.kind_mixed = true;
            }
            _ => {}
        }
        self.provenance = Some(match (self.provenance, reading.provenance) {
            (Some(Provenance::Measured) | None, p) => p,
            (Some(worse), _) => worse,
        });
        if self.sources.last() != Some(&reading.source) && !self.sources.contains(&reading.source) {
            self.sources.push(reading.source.clone());
        }
    }

    pub fn note_price(&mut self, price: Price) {
        self.min_price = Some(self.min_price.map_or(price, |p| p.min(price)));
        self.max_price = Some(self.max_price.map_or(price, |p| p.max(price)));
    }

    pub fn note_work(&mut self, unit: &str, amount: f64, ms: i64, energy: Energy) {
        match &self.work_unit {
            None if !self.work_mixed => self.work_unit = Some(unit.to_owned()),
            Some(u) if u != unit => {
                self.work_unit = None;
                self.work_mixed = true;
            }
            _ => {}
        }
        self.work_amount += amount;
        self.working_ms += ms;
        self.working_energy += energy;
    }

    pub fn close(self, bucket_ms: i64, currency: Option<Currency>) -> EnergyRollup {
        let covered = self.covered_ms > 0;
        let costed = covered && self.uncosted_ms == 0;
        let money = |c: Cost| currency.filter(|_| costed).map(|cur| c.to_money(cur));
        let price = match (currency, self.min_price, self.max_price) {
            (Some(currency), Some(min), Some(max)) if costed => {
                let uj = i128::from(self.energy.microjoules());
                let mean = if uj != 0 {
                    Price::from_micros(i64::try_from(self.cost.0 / uj).unwrap_or(0))
                } else {
                    min
                };
                Some(PriceUsed { currency, min, max, mean })
            }
            _ => None,
        };
        let work = self.work_unit.map(|rate_unit| WorkDone {
            amount: self.work_amount,
            rate_unit,
            working_ms: self.working_ms,
            working_energy: self.working_energy,
            per_joule: (self.working_energy.microjoules() > 0)
                .then(|| self.work_amount / self.working_energy.joules()),
        });
        EnergyRollup {
            start: self.start,
            bucket_ms,
            samples: self.samples,
            covered_ms: self.covered_ms,
            gap_ms: self.gap_ms,
            energy: covered.then_some(self.energy),
            mean_w: covered.then(|| self.energy.joules() / (self.covered_ms as f64 / 1000.0)),
            marginal_energy: (covered && self.marginal_ok).then_some(self.marginal),
            cost: money(self.cost),
            marginal_cost: if self.marginal_ok { money(self.marginal_cost) } else { None },
            uncosted_ms: self.uncosted_ms,
            price,
            kind: self.kind,
            provenance: self.provenance,
            sources: self.sources,
            work,
        }
    }
}
