//! The energy account: power samples in (about one a second), energy, cost and marginal energy
//! out, per rolled-up interval (a minute by default) and in total.
//!
//! Each sample's power is taken as the average over the interval that ends with it — which is
//! exactly what a counter-based reading (RAPL, EMI, IOReport: Δenergy/Δt) is. Intervals are
//! split at interval boundaries and at every price boundary of the tariff, in integer units
//! (see `energy::units`), so nothing drifts and splits add up exactly. Gaps longer than
//! `max_gap_ms` (sampler stopped, machine asleep) are not integrated: they are counted as gaps,
//! never filled with a guess.
//!
//! The hot path does no allocation and no time-zone work: the price span is cached until the
//! tariff says the price may change.

mod rollup;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use rollup::{EnergyRollup, PriceUsed, WorkDone};

use super::baseline::{Baseline, PsuEfficiency};
use super::reading::{PowerKind, PowerReading};
use super::tariff::{PriceSpan, Tariff};
use super::units::{Cost, Energy, Money, milliwatts};
use crate::model::{UnixMillis, WorkRate};
use rollup::Acc;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum AccountError {
    #[error(
        "an energy account needs 0 < max_gap_ms <= bucket_ms (got max_gap_ms = {max_gap_ms}, \
         bucket_ms = {bucket_ms}); use e.g. 10000 and 60000"
    )]
    BadConfig { bucket_ms: i64, max_gap_ms: i64 },
}

/// Running totals since the account was created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountTotals {
    pub covered_ms: i64,
    pub energy: Energy,
    /// Exact; convert with `Cost::to_money`.
    pub cost: Cost,
    pub uncosted_ms: i64,
    pub marginal_energy: Energy,
}

#[derive(Debug, Clone)]
pub struct EnergyAccount {
    tariff: Option<Tariff>,
    bucket_ms: i64,
    max_gap_ms: i64,
    baseline: Option<(i64, PowerKind)>,
    /// Turns a package-only marginal into wall power; `None` keeps it as the source sees it.
    psu: Option<PsuEfficiency>,
    last_at: Option<UnixMillis>,
    /// The cached price and the instant it was looked up at.
    span: Option<(UnixMillis, PriceSpan)>,
    open: Option<Acc>,
    totals: AccountTotals,
}

impl EnergyAccount {
    /// `bucket_ms`: the rollup interval (60,000 for minutes); `max_gap_ms`: the longest pause
    /// between samples still integrated (10,000 suits a 1 Hz sampler).
    pub fn new(
        tariff: Option<Tariff>,
        bucket_ms: i64,
        max_gap_ms: i64,
    ) -> Result<EnergyAccount, AccountError> {
        if bucket_ms <= 0 || max_gap_ms <= 0 || max_gap_ms > bucket_ms {
            return Err(AccountError::BadConfig { bucket_ms, max_gap_ms });
        }
        Ok(EnergyAccount {
            tariff,
            bucket_ms,
            max_gap_ms,
            baseline: None,
            psu: None,
            last_at: None,
            span: None,
            open: None,
            totals: AccountTotals::default(),
        })
    }

    /// Uses an idle baseline for marginal energy from now on (`None` stops). Readings of
    /// another kind than the baseline's get no marginal figure.
    pub fn set_baseline(&mut self, baseline: Option<&Baseline>) {
        self.baseline = baseline.and_then(|b| Some((milliwatts(b.watts)?, b.kind)));
    }

    /// Counts marginal energy at the wall: a package-only marginal is divided by the PSU
    /// efficiency (energy.md §3.3: marginal wall ≈ Δpackage ÷ η).
    pub fn set_psu(&mut self, psu: Option<PsuEfficiency>) {
        self.psu = psu;
    }

    pub fn totals(&self) -> AccountTotals {
        self.totals
    }

    /// The total cost so far in the tariff's currency, `None` without a tariff.
    pub fn total_cost(&self) -> Option<Money> {
        self.tariff.as_ref().map(|t| self.totals.cost.to_money(t.currency()))
    }

    /// Adds one sample. `work` is the node's work rate at this moment, `None` while it is not
    /// working. Returns the interval this sample closed, if any. Samples not after the previous
    /// one (clock stepped back) are ignored.
    pub fn record(
        &mut self,
        at: UnixMillis,
        reading: &PowerReading,
        work: Option<&WorkRate>,
    ) -> Option<EnergyRollup> {
        let Some(last) = self.last_at else {
            self.last_at = Some(at);
            self.open = Some(self.new_acc(at));
            return None;
        };
        if at <= last {
            return None;
        }
        self.last_at = Some(at);
        let mw = milliwatts(reading.watts);
        let dt = at - last;
        if dt > self.max_gap_ms || mw.is_none() {
            return self.gap(last, at);
        }
        let mw = mw.unwrap_or(0);
        let bucket_end = self.open.as_ref().map_or(at, |a| a.start + self.bucket_ms);
        let mut closed = None;
        if at > bucket_end {
            self.integrate(last, bucket_end, mw, reading, work);
            if let Some(acc) = self.open.as_mut() {
                acc.note_reading(reading);
            }
            closed = self.roll(bucket_end);
            self.integrate(bucket_end, at, mw, reading, work);
        } else {
            self.integrate(last, at, mw, reading, work);
        }
        if let Some(acc) = self.open.as_mut() {
            acc.note_reading(reading);
        }
        closed
    }

    /// Closes the open interval (at shutdown), if it holds anything.
    pub fn flush(&mut self) -> Option<EnergyRollup> {
        let currency = self.tariff.as_ref().map(Tariff::currency);
        let acc = self.open.take()?;
        self.last_at = None;
        (acc.samples > 0 || acc.gap_ms > 0).then(|| acc.close(self.bucket_ms, currency))
    }

    fn new_acc(&self, at: UnixMillis) -> Acc {
        Acc::new(at - at.rem_euclid(self.bucket_ms), self.baseline.is_some())
    }

    /// Closes the open interval and opens the one starting at `start`.
    fn roll(&mut self, start: UnixMillis) -> Option<EnergyRollup> {
        let currency = self.tariff.as_ref().map(Tariff::currency);
        let next = self.new_acc(start);
        let closed = self.open.replace(next)?;
        Some(closed.close(self.bucket_ms, currency))
    }

    /// Records `[from, to)` as a gap, closing the open interval if `to` lies beyond it.
    fn gap(&mut self, from: UnixMillis, to: UnixMillis) -> Option<EnergyRollup> {
        let Some(acc) = self.open.as_mut() else {
            self.open = Some(self.new_acc(to));
            return None;
        };
        let end = acc.start + self.bucket_ms;
        if to <= end {
            acc.gap_ms += to - from;
            return None;
        }
        acc.gap_ms += end - from;
        let closed = self.roll(to);
        if let Some(next) = self.open.as_mut() {
            next.gap_ms += to - next.start;
        }
        closed
    }

    /// Integrates a constant power over `[from, to)` inside the open interval.
    fn integrate(
        &mut self,
        from: UnixMillis,
        to: UnixMillis,
        mw: i64,
        reading: &PowerReading,
        work: Option<&WorkRate>,
    ) {
        if to <= from {
            return;
        }
        let marginal_mw = match self.baseline {
            Some((base, kind)) if kind == reading.kind => Some(match self.psu {
                // Rounded to the milliwatt, far below any sensor's resolution.
                Some(psu) => psu.marginal_at_wall(kind, (mw - base) as f64).round() as i64,
                None => mw - base,
            }),
            _ => None,
        };
        let energy = Energy::from_power(mw, to - from);
        let Some(acc) = self.open.as_mut() else { return };
        acc.covered_ms += to - from;
        acc.energy += energy;
        self.totals.covered_ms += to - from;
        self.totals.energy += energy;
        match marginal_mw {
            Some(m) => {
                let e = Energy::from_power(m, to - from);
                acc.marginal += e;
                self.totals.marginal_energy += e;
            }
            None => acc.marginal_ok = false,
        }
        if let Some(rate) = work.filter(|w| w.value.is_finite()) {
            let ms = to - from;
            acc.note_work(&rate.unit, rate.value * ms as f64 / 1000.0, ms, energy);
        }
        let Some(tariff) = &self.tariff else { return };
        let mut at = from;
        while at < to {
            let span = match self.span {
                Some((looked_up, span)) if looked_up <= at && span.covers(at) => Some(span),
                _ => match tariff.price_at(at) {
                    Ok(span) => {
                        self.span = Some((at, span));
                        Some(span)
                    }
                    Err(_) => None,
                },
            };
            let Some(acc) = self.open.as_mut() else { return };
            let Some(span) = span else {
                // No price here (outside an imported list): this time stays uncosted. The
                // next price may start within the interval, so look again a second later.
                let step = (to - at).min(1_000);
                acc.uncosted_ms += step;
                self.totals.uncosted_ms += step;
                at += step;
                continue;
            };
            let end = span.until.map_or(to, |u| u.min(to)).max(at + 1);
            let part = Energy::from_power(mw, end - at);
            let cost = span.price.cost_of(part);
            acc.cost += cost;
            self.totals.cost += cost;
            if let Some(m) = marginal_mw {
                acc.marginal_cost += span.price.cost_of(Energy::from_power(m, end - at));
            }
            acc.note_price(span.price);
            at = end;
        }
    }
}
