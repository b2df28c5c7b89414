//! The ledger's own price history as a [`PriceBook`]: each reward is valued with the price in
//! force at the moment it was received (`ledger::prices`: the user's price until they changed
//! it, a feed price for 7 days after it was fetched), in one currency. Without such a price the
//! fiat columns stay empty and the tax tools value the income themselves.

use jiff::Timestamp;

use super::{Date, FiatPrice, PriceBook, TimeZone, UnitPrice};
use crate::ledger::{Ledger, PriceKind};

/// Prices from the ledger, in `currency`.
#[derive(Debug, Clone)]
pub struct LedgerPrices<'a> {
    ledger: &'a Ledger,
    currency: String,
}

impl<'a> LedgerPrices<'a> {
    pub fn new(ledger: &'a Ledger, currency: &str) -> LedgerPrices<'a> {
        LedgerPrices { ledger, currency: currency.to_owned() }
    }
}

/// Billionths as the shortest exact [`UnitPrice`] (151_200_000_000 → 151.2).
fn unit_price(nanos: i64) -> Option<UnitPrice> {
    let mut mantissa = u64::try_from(nanos).ok()?;
    let mut scale = 9u8;
    while scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    UnitPrice::new(mantissa, scale)
}

impl PriceBook for LedgerPrices<'_> {
    /// A day without a moment: the price in force at the day's last millisecond (UTC).
    fn price(&self, asset: &str, day: Date) -> Option<FiatPrice> {
        let end = day.tomorrow().ok()?.to_zoned_datetime(TimeZone::UTC).ok()?.timestamp();
        let last = Timestamp::from_millisecond(end.as_millisecond() - 1).ok()?;
        self.price_at(asset, last)
    }

    fn price_at(&self, asset: &str, at: Timestamp) -> Option<FiatPrice> {
        let seen = match self.ledger.price_at(asset, &self.currency, at.as_millisecond()) {
            Ok(seen) => seen?,
            Err(e) => {
                tracing::warn!(error = %e, asset, "could not read prices for the export");
                return None;
            }
        };
        let when = Timestamp::from_millisecond(seen.at_ms).ok()?;
        let how = match seen.kind {
            PriceKind::User => "set",
            PriceKind::Feed => "fetched",
        };
        Some(FiatPrice {
            price: unit_price(seen.price_nano?)?,
            currency: self.currency.clone(),
            source: format!("{}, {how} {when}", seen.source),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_exact_and_short() {
        assert_eq!(unit_price(151_200_000_000).unwrap().to_string(), "151.2");
        assert_eq!(unit_price(1).unwrap().to_string(), "0.000000001");
        assert_eq!(unit_price(3_000_000_000).unwrap().to_string(), "3");
        assert!(unit_price(-1).is_none());
    }
}
