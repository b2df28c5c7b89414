//! "At this rate": the net per hour, day and month (30 days) if the node kept the work rate,
//! power and prices of now (energy.md §4.4). The participant's question is "what does this
//! make me, after electricity?", and today's net alone cannot answer it at 9 in the morning.
//!
//! - Revenue: the node's work rate now × 86,400 s × block reward ÷ network difficulty
//!   ([`expected`]), valued at the coin price in force now (`ledger::prices`). Only nodes that
//!   report difficulty and reward give one (monerod, P2Pool); for the others a made-up network
//!   figure would be a made-up revenue, so the reason says so.
//! - Cost: the power above the idle baseline when one exists (marginal), else everything the
//!   source sees (total), at the electricity price in force now (the meter's tariff lookup).
//! - Net: revenue − cost through [`economics`], so these figures and the break-even price rest
//!   on the same arithmetic. Pending and paid rewards never enter it.
//!
//! Anything missing gives a reason code, never 0.

use super::dto::ProjectionView;
use super::energy::EnergyInputs;
use crate::energy::BaselineStatus;
use crate::energy::baseline::CostBasis;
use crate::energy::economics::{DAYS_PER_MONTH, EconomicsError, EconomicsInput, economics};
use crate::energy::units::{Currency, Money};
use crate::energy::yields::{
    EstimatedAmount, MiningSetup, MoneroNetwork, PayoutMode, YieldError, expected, hashrate_of,
};
use crate::ledger::{Ledger, LedgerError};
use crate::model::UnixMillis;
use crate::profile::AdapterKind;

const DAY_S: f64 = 86_400.0;

fn f(m: Money) -> f64 {
    m.as_f64()
}

fn empty() -> ProjectionView {
    ProjectionView {
        basis: None,
        basis_reason: None,
        watts: None,
        price_per_kwh: None,
        price_until_ms: None,
        asset: None,
        coin_price: None,
        coin_price_source: None,
        revenue_per_hour: None,
        revenue_per_day: None,
        revenue_per_month: None,
        revenue_low_per_day: None,
        revenue_high_per_day: None,
        cost_per_hour: None,
        cost_per_day: None,
        cost_per_month: None,
        net_per_hour: None,
        net_per_day: None,
        net_per_month: None,
        days_per_month: DAYS_PER_MONTH as u32,
        source: None,
        unavailable: None,
    }
}

fn not_available(view: ProjectionView, reason: &str) -> ProjectionView {
    ProjectionView { unavailable: Some(reason.to_owned()), ..view }
}

/// How the node's work turns into coins: which donation is still to come off its rate, and
/// whether a day's payout has a known spread.
struct Payout {
    donate: f64,
    /// Solo mining: one block pays all, so a day's revenue has a Poisson band.
    band: bool,
}

fn payout_of(i: &EnergyInputs<'_>) -> Result<Payout, &'static str> {
    match i.adapter {
        _ if i.simulated => Err("simulated"),
        Some(AdapterKind::Practice) => Err("simulated"),
        // monerod's own miner donates nothing and mines solo.
        Some(AdapterKind::Monerod) => Ok(Payout { donate: 0.0, band: true }),
        // P2Pool measures the rate where the work arrives, after any XMRig donation. Its payout
        // spread depends on the PPLNS window, not on a Poisson count alone: no band.
        Some(AdapterKind::P2pool) => Ok(Payout { donate: 0.0, band: false }),
        // XMRig's own rate is before its 1 % donation. To a pool it reports no network data,
        // and the pool's fee is unknown; only a network figure from the node makes this work.
        Some(AdapterKind::Xmrig) if i.network.is_some() => Ok(Payout { donate: 0.01, band: false }),
        Some(
            AdapterKind::Xmrig
            | AdapterKind::Storj
            | AdapterKind::Mysterium
            | AdapterKind::Custom
            | AdapterKind::None,
        )
        | None => Err("no-network"),
    }
}

/// Expected coins per day at the node's rate now.
fn coins_per_day(i: &EnergyInputs<'_>) -> Result<(EstimatedAmount, f64), &'static str> {
    let payout = payout_of(i)?;
    let rate = i.work_rate.ok_or("no-work-rate")?;
    let hashrate = hashrate_of(rate).map_err(|e| match e {
        YieldError::WrongUnit { .. } => "not-hashes",
        YieldError::BadInput { .. } => "no-work-rate",
    })?;
    let net = i.network.filter(|n| n.asset == "XMR").ok_or("no-network")?;
    let network = MoneroNetwork {
        difficulty: net.difficulty.ok_or("no-network")?,
        block_reward_atomic: net.block_reward_atomic.ok_or("no-network")?,
        block_time_s: f64::from(net.block_time_secs.unwrap_or(120)),
    };
    let setup = MiningSetup { hashrate, donate: payout.donate, pool_fee: 0.0, stale_rate: 0.0 };
    let mut e = expected(&network, &setup, &PayoutMode::Solo, DAY_S).map_err(|e| match e {
        YieldError::BadInput { field: "hashrate", .. } => "no-work-rate",
        _ => "no-network",
    })?;
    if !payout.band {
        e.low = None;
        e.high = None;
    }
    Ok((e, hashrate))
}

/// The power the cost rests on: marginal when a baseline of the same kind exists, else total.
fn power(i: &EnergyInputs<'_>) -> Option<(f64, CostBasis, Option<&'static str>)> {
    let live = i.live?;
    let reading = live.reading.as_ref()?;
    let has_baseline = !matches!(live.baseline, BaselineStatus::Missing { .. });
    // A marginal figure below 0 is measurement noise around idle, not negative power: the
    // node's increment is then too small to tell, and the total is the honest figure.
    match live.marginal_w.filter(|w| has_baseline && w.is_finite() && *w >= 0.0) {
        Some(w) => Some((w, CostBasis::Marginal, None)),
        None => {
            let why = (!has_baseline).then_some("no-baseline");
            Some((reading.watts, CostBasis::Total, why))
        }
    }
}

fn basis_name(b: CostBasis) -> &'static str {
    match b {
        CostBasis::Marginal => "marginal",
        CostBasis::Total => "total",
    }
}

/// Revenue, cost and net per hour, day and month at the node's rate now, or why not.
pub(super) fn projection(
    ledger: &Ledger,
    i: &EnergyInputs<'_>,
    now: UnixMillis,
) -> Result<ProjectionView, LedgerError> {
    let mut view = empty();
    let (estimate, hashrate) = match coins_per_day(i) {
        Ok(e) => e,
        Err(reason) => return Ok(not_available(view, reason)),
    };
    view.asset = Some(estimate.asset.code.clone());
    let Ok(currency) = Currency::parse(i.currency) else {
        return Ok(not_available(view, "no-price"));
    };
    let Some(coin) = crate::price::in_force(ledger, &estimate.asset, currency, now)? else {
        return Ok(not_available(view, "no-price"));
    };
    let revenue = coin.convert_estimate(&estimate);
    view.coin_price = Some(f(coin.per_unit));
    view.coin_price_source = Some(coin.source.clone());
    view.revenue_per_hour = Some(f(revenue.money.div_round(24)));
    view.revenue_per_day = Some(f(revenue.money));
    view.revenue_per_month = Some(f(revenue.money.times(DAYS_PER_MONTH)));
    view.revenue_low_per_day = revenue.low.map(f);
    view.revenue_high_per_day = revenue.high.map(f);
    view.source = Some(revenue.source.clone());
    let Some((watts, basis, basis_reason)) = power(i) else {
        return Ok(not_available(view, "no-power"));
    };
    view.watts = Some(watts);
    view.basis = Some(basis_name(basis).to_owned());
    view.basis_reason = basis_reason.map(str::to_owned);
    let Some(price) = i.live.and_then(|l| l.price_now).filter(|p| p.currency == currency) else {
        return Ok(not_available(view, "no-tariff"));
    };
    view.price_per_kwh = Some(price.per_kwh());
    view.price_until_ms = price.until_ms;
    let input = EconomicsInput {
        revenue_per_day: revenue.money,
        watts,
        basis,
        price: price.price,
        hashrate: Some(hashrate),
        grid: None,
    };
    let e = match economics(&input) {
        Ok(e) => e,
        Err(EconomicsError::BadPower { .. }) => return Ok(not_available(view, "no-power")),
        Err(EconomicsError::CurrencyMismatch { .. }) => {
            return Ok(not_available(view, "no-tariff"));
        }
    };
    // Cost per hour is what the hour's net leaves of the hour's revenue, so the three hour
    // figures agree to the billionth.
    let revenue_hour = revenue.money.div_round(24);
    view.cost_per_hour = revenue_hour.checked_sub(e.net_per_hour).map(f);
    view.cost_per_day = Some(f(e.cost_per_day));
    view.cost_per_month = Some(f(e.cost_per_day.times(DAYS_PER_MONTH)));
    view.net_per_hour = Some(f(e.net_per_hour));
    view.net_per_day = Some(f(e.net_per_day));
    view.net_per_month = Some(f(e.net_per_month));
    Ok(view)
}

#[cfg(test)]
#[path = "projection_tests.rs"]
mod tests;
