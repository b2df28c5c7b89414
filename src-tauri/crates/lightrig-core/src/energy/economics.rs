//! Net result, break-even electricity price, work per joule, energy and CO₂ — the numbers a
//! participant asks for ("what do I really make after electricity?").
//!
//! Every figure says which power it rests on ([`CostBasis`]: the whole machine as the source
//! sees it, or only the node's increment above idle). Revenue is an estimate and stays one:
//! the net is "estimated revenue − measured-or-estimated cost", never mixed with payouts.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::baseline::CostBasis;
use super::carbon::GridIntensity;
use super::units::{Energy, Money, Price, milliwatts};

const DAY_MS: i64 = 86_400_000;
/// A month in these figures is 30 days (the WhatToMine/NiceHash "per 30 days" convention,
/// energy.md §4.4); the UI says so.
pub const DAYS_PER_MONTH: i128 = 30;

#[derive(Debug, Error, PartialEq)]
pub enum EconomicsError {
    #[error(
        "revenue is in {revenue} but the tariff is in {tariff}: set the coin price in the \
         tariff's currency"
    )]
    CurrencyMismatch { revenue: String, tariff: String },
    #[error("power {watts} W cannot be used: it must be a number of watts, 0 or more")]
    BadPower { watts: f64 },
}

/// What the figures are computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct EconomicsInput<'a> {
    /// Estimated revenue per day in money (already after pool fee and donation).
    pub revenue_per_day: Money,
    /// The power the cost rests on, and which basis that is.
    pub watts: f64,
    pub basis: CostBasis,
    /// Price per kWh in the revenue's currency (for a time-of-use tariff: the average over the
    /// hours the node runs).
    pub price: Price,
    /// Node hashrate in H/s, for hashes per joule.
    pub hashrate: Option<f64>,
    pub grid: Option<&'a GridIntensity>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Economics {
    pub basis: CostBasis,
    pub watts: f64,
    pub energy_per_day: Energy,
    pub cost_per_day: Money,
    pub revenue_per_day: Money,
    /// Revenue − cost; negative when the node loses money.
    pub net_per_hour: Money,
    pub net_per_day: Money,
    pub net_per_month: Money,
    /// The electricity price at which the net is zero; `None` at 0 W.
    pub break_even_price: Option<Price>,
    /// Hashes per joule (H/s ÷ W), the hardware number that decides profitability.
    pub hashes_per_joule: Option<f64>,
    pub co2_grams_per_day: Option<f64>,
}

pub fn economics(input: &EconomicsInput<'_>) -> Result<Economics, EconomicsError> {
    let currency = input.revenue_per_day.currency;
    let mw = milliwatts(input.watts)
        .filter(|mw| *mw >= 0)
        .ok_or(EconomicsError::BadPower { watts: input.watts })?;
    let energy_per_day = Energy::from_power(mw, DAY_MS);
    let cost_per_day = input.price.cost_of(energy_per_day).to_money(currency);
    let cost_per_hour = input.price.cost_of(Energy::from_power(mw, DAY_MS / 24)).to_money(currency);
    let revenue = input.revenue_per_day;
    let mismatch = || EconomicsError::CurrencyMismatch {
        revenue: revenue.currency.to_string(),
        tariff: currency.to_string(),
    };
    let net_per_day = revenue.checked_sub(cost_per_day).ok_or_else(mismatch)?;
    let net_per_hour = revenue.div_round(24).checked_sub(cost_per_hour).ok_or_else(mismatch)?;
    Ok(Economics {
        basis: input.basis,
        watts: input.watts,
        energy_per_day,
        cost_per_day,
        revenue_per_day: revenue,
        net_per_hour,
        net_per_day,
        net_per_month: net_per_day.times(DAYS_PER_MONTH),
        break_even_price: break_even_price(revenue, energy_per_day),
        hashes_per_joule: input
            .hashrate
            .filter(|h| h.is_finite() && input.watts > 0.0)
            .map(|h| h / input.watts),
        co2_grams_per_day: input.grid.map(|g| g.grams(energy_per_day)),
    })
}

/// Revenue ÷ energy: the price per kWh at which the electricity eats exactly the revenue.
pub fn break_even_price(revenue: Money, energy: Energy) -> Option<Price> {
    let uj = i128::from(energy.microjoules());
    if uj <= 0 {
        return None;
    }
    // micros/kWh = nanos ÷ 1000 ÷ (µJ ÷ 3.6e12) = nanos × 3.6e9 ÷ µJ.
    let micros = super::units::div_round(revenue.nanos.saturating_mul(3_600_000_000), uj);
    i64::try_from(micros).ok().map(Price::from_micros)
}

/// The closed form of energy.md §0.2 for a PoW coin, for cross-checks and quick what-ifs:
/// break-even price per kWh = H/J × 3.6·10⁶ × R × coin price ÷ D (R in whole coins).
pub fn break_even_from_efficiency(
    hashes_per_joule: f64,
    reward: f64,
    coin_price: f64,
    difficulty: f64,
) -> f64 {
    hashes_per_joule * 3.6e6 * reward * coin_price / difficulty
}
