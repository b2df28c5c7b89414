//! The opt-in coin price feed: off unless the user turns it on, https only, and it asks one
//! address for the prices of the coins Lightrig's nodes are paid in ([`feed`]). While it is on,
//! [`runner::FeedRunner`] asks every few minutes and appends each price to the ledger, where
//! the net result, the break-even price and the tax exports read it.

pub mod feed;
pub mod runner;

pub use feed::{FeedClient, FeedError, FeedPrices, feed_ids};
pub use runner::{FeedRunner, FeedStatus};

use crate::energy::units::{Currency, Money};
use crate::energy::yields::FiatPrice;
use crate::ledger::{Ledger, LedgerError};
use crate::model::{Asset, UnixMillis};

/// The price of one whole `asset` in force at `at` in `currency` (the ledger's rules: the
/// user's price until changed, a feed price for 7 days), or 1 when the node reports the reward
/// in the currency itself (Storj reports USD). `None`: no price, never 0.
pub fn in_force(
    ledger: &Ledger,
    asset: &Asset,
    currency: Currency,
    at: UnixMillis,
) -> Result<Option<FiatPrice>, LedgerError> {
    if asset.code == currency.code() {
        return Ok(Some(FiatPrice {
            asset_code: asset.code.clone(),
            per_unit: Money { currency, nanos: 1_000_000_000 },
            source: format!("the node reports it in {currency}"),
            at,
        }));
    }
    let seen = ledger.price_at(&asset.code, currency.code(), at)?;
    Ok(seen.and_then(|p| {
        Some(FiatPrice {
            asset_code: p.asset,
            per_unit: Money { currency, nanos: i128::from(p.price_nano?) },
            source: p.source,
            at: p.at_ms,
        })
    }))
}
