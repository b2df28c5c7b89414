//! Coin prices and the opt-in price feed, as the Settings screen shows and edits them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The coin prices the user set, the feed's settings and what it did last.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PricesView {
    /// The settings currency: prices typed now are in it.
    pub currency: String,
    pub coins: Vec<CoinPriceView>,
    pub feed: PriceFeedView,
}

/// A price the user set for one whole coin.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CoinPriceView {
    pub asset: String,
    /// Exact decimal, e.g. "151.2".
    pub price: String,
    /// The currency it was typed in (may differ from today's settings currency: then it does
    /// not value anything until set again).
    pub currency: String,
    /// When the user set it; null for a price written into the settings file by hand.
    #[ts(type = "number | null")]
    pub set_at_ms: Option<i64>,
}

/// The opt-in price feed. Off unless the user turns it on.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PriceFeedView {
    pub enabled: bool,
    pub url: String,
    /// The host the feed contacts, for the sentence saying so.
    pub host: String,
    pub refresh_minutes: u32,
    pub min_refresh_minutes: u32,
    /// The coins it asks for (asset codes).
    pub assets: Vec<String>,
    /// True while the feed's task runs.
    pub running: bool,
    #[ts(type = "number | null")]
    pub last_attempt_ms: Option<i64>,
    #[ts(type = "number | null")]
    pub last_success_ms: Option<i64>,
    /// The last attempt's error, in plain words; null after a success.
    pub last_error: Option<String>,
    /// Coins the last answer lacked or gave bad figures for.
    pub problems: Vec<String>,
    /// Coins the last successful fetch priced.
    pub priced: Vec<String>,
}

/// A price edit from the Settings screen: the whole list (a coin left out is removed).
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
pub struct PricesEdit {
    pub coins: Vec<CoinPriceEdit>,
    pub feed_enabled: bool,
    pub feed_url: String,
    pub refresh_minutes: u32,
}

/// One coin's price, typed in the settings currency.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
pub struct CoinPriceEdit {
    pub asset: String,
    pub price: String,
}
