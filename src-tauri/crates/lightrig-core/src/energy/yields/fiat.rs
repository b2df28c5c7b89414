//! Coin → money at a price the user sets or a feed supplies. No feed is built in: a network
//! feed is an opt-in the user turns on, and it implements [`PriceFeed`]; tests use a fixture.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{EstimatedAmount, EstimatedMoney};
use crate::energy::units::{Currency, Money, div_round};
use crate::model::{Asset, UnixMillis};

/// The price of one whole coin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiatPrice {
    pub asset_code: String,
    pub per_unit: Money,
    /// E.g. "set by you" or the feed's name.
    pub source: String,
    pub at: UnixMillis,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum PriceFeedError {
    #[error("no {currency} price for {asset} from {feed}: {reason}")]
    Unavailable { feed: String, asset: String, currency: String, reason: String },
}

/// Anything that can price a coin: the user's own figure, or a feed the user turned on.
pub trait PriceFeed {
    fn price(&self, asset: &Asset, currency: Currency) -> Result<FiatPrice, PriceFeedError>;
}

impl FiatPrice {
    /// Money for an atomic amount: atomic × price ÷ 10^decimals, rounded to billionths.
    pub fn convert(&self, asset: &Asset, atomic: i128) -> Money {
        let scale = 10i128.pow(u32::from(asset.decimals));
        Money {
            currency: self.per_unit.currency,
            nanos: div_round(atomic.saturating_mul(self.per_unit.nanos), scale),
        }
    }

    /// An estimate converted at this price; the band converts with it.
    pub fn convert_estimate(&self, estimate: &EstimatedAmount) -> EstimatedMoney {
        let convert = |atomic| self.convert(&estimate.asset, atomic);
        EstimatedMoney {
            money: convert(estimate.atomic),
            low: estimate.low.map(convert),
            high: estimate.high.map(convert),
            period_ms: estimate.period_ms,
            source: format!(
                "{} at {} per {} ({})",
                estimate.source, self.per_unit, self.asset_code, self.source
            ),
            at: Some(self.at),
        }
    }
}

/// A price the user typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPrice {
    price: FiatPrice,
}

impl UserPrice {
    /// `per_unit` like "312.50" in `currency`, for `asset_code`.
    pub fn new(
        asset_code: &str,
        currency: Currency,
        per_unit: &str,
        at: UnixMillis,
    ) -> Result<UserPrice, String> {
        let per_unit = Money::parse(currency, per_unit)?;
        if per_unit.nanos < 0 {
            return Err(format!("a coin price cannot be negative ({per_unit})"));
        }
        Ok(UserPrice {
            price: FiatPrice {
                asset_code: asset_code.to_owned(),
                per_unit,
                source: "set by you".into(),
                at,
            },
        })
    }
}

impl PriceFeed for UserPrice {
    fn price(&self, asset: &Asset, currency: Currency) -> Result<FiatPrice, PriceFeedError> {
        if asset.code != self.price.asset_code || currency != self.price.per_unit.currency {
            return Err(PriceFeedError::Unavailable {
                feed: "your price setting".into(),
                asset: asset.code.clone(),
                currency: currency.to_string(),
                reason: format!(
                    "you set a price for {} in {}",
                    self.price.asset_code, self.price.per_unit.currency
                ),
            });
        }
        Ok(self.price.clone())
    }
}
