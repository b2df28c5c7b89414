//! What a node can be expected to earn, kept apart from what was credited or paid.
//!
//! Estimated, pending and paid amounts are different types. Each adds only to its own kind,
//! and [`Earnings`] holds them in separate fields with no total, so adding an estimate to money
//! already credited does not compile:
//!
//! ```compile_fail
//! use lightrig_core::energy::yields::{EstimatedAmount, PendingAmount};
//! fn mix(e: &EstimatedAmount, p: &PendingAmount) {
//!     let _ = e.checked_add(p); // expected `&EstimatedAmount`, found `&PendingAmount`
//! }
//! ```

mod fiat;
mod monero;
pub mod poisson;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use fiat::{FiatPrice, PriceFeed, PriceFeedError, UserPrice};
pub use monero::{
    MiningSetup, MoneroNetwork, PayoutMode, PayoutTime, Spread, XMR_DECIMALS, expected,
    hashrate_of, per_day, spread, time_to_first_payout,
};

use crate::energy::units::{Currency, Money};
use crate::model::{Asset, UnixMillis};

/// Input to a yield estimate that cannot be used.
#[derive(Debug, Error, PartialEq)]
pub enum YieldError {
    #[error("{field} = {value} cannot be used: {problem}")]
    BadInput { field: &'static str, value: f64, problem: &'static str },
    #[error(
        "the work rate is in '{unit}', but this estimate needs hashes per second (H/s, kH/s, MH/s)"
    )]
    WrongUnit { unit: String },
}

pub(crate) fn positive(field: &'static str, value: f64) -> Result<f64, YieldError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(YieldError::BadInput { field, value, problem: "it must be a number above 0" })
    }
}

pub(crate) fn fraction(field: &'static str, value: f64) -> Result<f64, YieldError> {
    if value.is_finite() && (0.0..1.0).contains(&value) {
        Ok(value)
    } else {
        Err(YieldError::BadInput {
            field,
            value,
            problem: "it must be a fraction from 0 to below 1",
        })
    }
}

/// An amount a model expects (never credited), with the band it very likely falls in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstimatedAmount {
    pub asset: Asset,
    /// Expected atomic units over `period_ms`.
    pub atomic: i128,
    /// 5th and 95th percentile over the period, where a spread is known.
    pub low: Option<i128>,
    pub high: Option<i128>,
    pub period_ms: i64,
    /// How it was computed, e.g. "12.0 kH/s × 86400 × 0.6 XMR / difficulty 3.6e11".
    pub source: String,
}

/// Credited by the pool or network, not yet paid out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingAmount {
    pub asset: Asset,
    pub atomic: i128,
    pub source: String,
}

/// Paid to the user's address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaidAmount {
    pub asset: Asset,
    pub atomic: i128,
    pub source: String,
}

macro_rules! same_state_add {
    ($ty:ident) => {
        impl $ty {
            /// The sum of two amounts of this same state, or `None` for different assets.
            pub fn checked_add(&self, other: &$ty) -> Option<$ty> {
                (self.asset == other.asset).then(|| {
                    let mut sum = self.clone();
                    sum.atomic = self.atomic.saturating_add(other.atomic);
                    sum
                })
            }
        }
    };
}
same_state_add!(PendingAmount);
same_state_add!(PaidAmount);

impl EstimatedAmount {
    /// The sum of two estimates of the same asset over the same period length; the bands add
    /// too (a conservative band: percentiles of a sum are not sums of percentiles).
    pub fn checked_add(&self, other: &EstimatedAmount) -> Option<EstimatedAmount> {
        (self.asset == other.asset && self.period_ms == other.period_ms).then(|| EstimatedAmount {
            asset: self.asset.clone(),
            atomic: self.atomic.saturating_add(other.atomic),
            low: self.low.zip(other.low).map(|(a, b)| a.saturating_add(b)),
            high: self.high.zip(other.high).map(|(a, b)| a.saturating_add(b)),
            period_ms: self.period_ms,
            source: format!("{} + {}", self.source, other.source),
        })
    }
}

/// A node's earnings in their three states, side by side and never summed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Earnings {
    pub estimated: Option<EstimatedAmount>,
    pub pending: Option<PendingAmount>,
    pub paid: Option<PaidAmount>,
}

/// An estimate already in money: a node's own fiat estimate (Storj), or an
/// [`EstimatedAmount`] converted at a price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstimatedMoney {
    pub money: Money,
    pub low: Option<Money>,
    pub high: Option<Money>,
    pub period_ms: i64,
    pub source: String,
    pub at: Option<UnixMillis>,
}

/// Storj's own estimate passed through: the node's `currentMonthExpectations` (US cents,
/// a linear extrapolation of this month's payout to month end, energy.md §4.7). Lightrig does
/// not re-derive it; Storj pays in STORJ tokens at the time of payout.
pub fn storj_estimate(
    current_month_expectations_cents: f64,
    month_ms: i64,
    at: UnixMillis,
) -> Result<EstimatedMoney, YieldError> {
    let cents = current_month_expectations_cents;
    if !cents.is_finite() || cents < 0.0 {
        return Err(YieldError::BadInput {
            field: "currentMonthExpectations",
            value: cents,
            problem: "the node reported a negative or non-numeric estimate",
        });
    }
    let usd = Currency::parse("USD").map_err(|_| YieldError::WrongUnit { unit: "USD".into() })?;
    Ok(EstimatedMoney {
        money: Money { currency: usd, nanos: (cents * 1e7).round() as i128 },
        low: None,
        high: None,
        period_ms: month_ms,
        source: "storagenode estimated payout (currentMonthExpectations), passed through".into(),
        at: Some(at),
    })
}
