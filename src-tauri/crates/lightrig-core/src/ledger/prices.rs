//! Coin prices as they were known, so a reward is valued with the price in force when it
//! arrived, not today's.
//!
//! Which price is in force at a time `t` (for one asset in one currency):
//! - the user's own price holds from when it was set until they change or remove it;
//! - a feed price holds for [`FEED_PRICE_VALID_MS`] (7 days) after it was fetched: a feed that
//!   has been off for a week says nothing about today's price;
//! - when both exist, the newer observation wins (turning the feed on after setting a price
//!   lets the feed take over; setting a price while the feed runs takes over until the next
//!   fetch).
//!
//! Nothing else is guessed: no price in force means "not available", never 0.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::Ledger;
use super::error::{LedgerError, SqlContext};
use crate::model::UnixMillis;

/// How long a feed price stays in force after it was fetched.
pub const FEED_PRICE_VALID_MS: i64 = 7 * 86_400_000;

/// Where a price came from, which decides how long it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PriceKind {
    /// Set by the user; holds until changed.
    User,
    /// Fetched from the price feed; holds for 7 days.
    Feed,
}

impl PriceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PriceKind::User => "user",
            PriceKind::Feed => "feed",
        }
    }
}

/// One price observation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceObservation {
    /// When the price was set or fetched.
    pub at_ms: UnixMillis,
    /// Asset code, e.g. "XMR".
    pub asset: String,
    /// ISO 4217 code.
    pub currency: String,
    /// Billionths of `currency` per whole coin; `None` records the user removing their price.
    pub price_nano: Option<i64>,
    pub kind: PriceKind,
    /// Shown next to every value: "your setting" or the feed's name and address.
    pub source: String,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PriceObservation> {
    let kind: String = r.get(4)?;
    Ok(PriceObservation {
        at_ms: r.get(0)?,
        asset: r.get(1)?,
        currency: r.get(2)?,
        price_nano: r.get(3)?,
        kind: if kind == "feed" { PriceKind::Feed } else { PriceKind::User },
        source: r.get(5)?,
    })
}

const COLUMNS: &str = "at_ms, asset, currency, price_nano, kind, source";

impl Ledger {
    /// Appends a price observation. Synced to disk when this returns.
    pub fn record_price(&self, p: &PriceObservation) -> Result<(), LedgerError> {
        let conn = self.writer();
        conn.prepare_cached(
            "INSERT INTO prices (at_ms, asset, currency, price_nano, kind, source, \
             recorded_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )
        .ctx("preparing to record a price")?
        .execute(params![
            p.at_ms,
            p.asset,
            p.currency,
            p.price_nano,
            p.kind.as_str(),
            p.source,
            crate::model::now_millis()
        ])
        .ctx("recording a price")?;
        Ok(())
    }

    /// The newest observation of `kind` at or before `at_ms` (for the user's kind, a removal
    /// counts too: it ends the price before it).
    pub fn latest_price(
        &self,
        asset: &str,
        currency: &str,
        kind: PriceKind,
        at_ms: UnixMillis,
    ) -> Result<Option<PriceObservation>, LedgerError> {
        let conn = self.reader();
        conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM prices WHERE asset = ?1 AND currency = ?2 AND kind = ?3 \
             AND at_ms <= ?4 ORDER BY at_ms DESC, id DESC LIMIT 1"
        ))
        .ctx("preparing to read prices")?
        .query_row(params![asset, currency, kind.as_str(), at_ms], row)
        .optional()
        .ctx("reading prices")
    }

    /// The price in force for `asset` in `currency` at `at_ms` (see the module's rules).
    pub fn price_at(
        &self,
        asset: &str,
        currency: &str,
        at_ms: UnixMillis,
    ) -> Result<Option<PriceObservation>, LedgerError> {
        let user = self
            .latest_price(asset, currency, PriceKind::User, at_ms)?
            .filter(|p| p.price_nano.is_some());
        let feed = self
            .latest_price(asset, currency, PriceKind::Feed, at_ms)?
            .filter(|p| at_ms.saturating_sub(p.at_ms) <= FEED_PRICE_VALID_MS);
        Ok(match (user, feed) {
            (Some(u), Some(f)) => Some(if f.at_ms > u.at_ms { f } else { u }),
            (u, f) => u.or(f),
        })
    }
}

#[cfg(test)]
#[path = "prices_tests.rs"]
mod tests;
