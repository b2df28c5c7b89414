//! `[prices]` and `[price_feed]` in `config.toml`: the coin prices the user sets, and the
//! opt-in price feed. Rewards are valued with these (net result, break-even price, tax
//! exports); nothing is fetched unless the user turns the feed on.
//!
//! ```toml
//! [prices.XMR]
//! price = "151.20"             # one whole coin, in `currency`
//! currency = "EUR"
//! set_at = "2026-05-01T10:00:00Z"
//!
//! [price_feed]
//! enabled = false              # off unless the user turns it on
//! url = "https://api.coingecko.com/api/v3/simple/price"
//! refresh_minutes = 15         # at least 5
//! ```
//!
//! A price is stored with its currency because the settings currency can change later: a price
//! typed in EUR is never read as USD.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::energy::units::{Currency, Money};
use crate::model::UnixMillis;

/// The feed address used when the user turns the feed on without giving one: CoinGecko's
/// public "simple price" endpoint.
pub const DEFAULT_FEED_URL: &str = "https://api.coingecko.com/api/v3/simple/price";
/// The feed never asks more often than this (public feeds rate-limit, and a coin price a few
/// minutes old values a day's rewards just as well).
pub const MIN_REFRESH_MINUTES: u64 = 5;
pub const DEFAULT_REFRESH_MINUTES: u64 = 15;
/// Once a day is the slowest refresh that still keeps feed prices inside their 7-day validity.
pub const MAX_REFRESH_MINUTES: u64 = 24 * 60;
/// Above a billion per coin is a typo (a misplaced decimal point), not a price.
const MAX_PRICE_NANOS: i128 = 1_000_000_000 * 1_000_000_000;

/// A coin price the user set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoinPrice {
    /// One whole coin, in the currency it was typed in.
    pub per_unit: Money,
    /// When the user set it (`None` for a price written into the file by hand without
    /// `set_at`); it holds until they change it.
    pub set_at: Option<UnixMillis>,
}

/// The opt-in price feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceFeedSettings {
    pub enabled: bool,
    /// https (or loopback http, which only tests may use: see `price::FeedClient`).
    pub url: String,
    pub refresh: Duration,
}

impl Default for PriceFeedSettings {
    fn default() -> Self {
        PriceFeedSettings {
            enabled: false,
            url: DEFAULT_FEED_URL.into(),
            refresh: Duration::from_secs(DEFAULT_REFRESH_MINUTES * 60),
        }
    }
}

/// Every price setting, validated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriceSettings {
    /// Asset code ("XMR", "STORJ", "MYST"...) → the price the user set.
    pub coins: BTreeMap<String, CoinPrice>,
    pub feed: PriceFeedSettings,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCoinPrice {
    /// A decimal text ("151.20"); a TOML number is accepted too.
    price: Option<toml::Value>,
    currency: Option<String>,
    set_at: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPriceFeed {
    enabled: Option<bool>,
    url: Option<String>,
    refresh_minutes: Option<u64>,
}

/// A bad price setting: the dotted field and what to do.
pub(crate) type FieldError = (String, String);

/// Asset codes: 2 to 10 capital letters or digits, starting with a letter (XMR, STORJ, USDC).
pub fn check_asset_code(code: &str) -> Result<(), String> {
    let ok = (2..=10).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_uppercase())
        && code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{code}` is not a coin code: use its ticker in capital letters, such as XMR, STORJ \
             or MYST"
        ))
    }
}

/// A coin price typed by the user: a decimal above 0 and below a billion, at most 9 decimals.
pub fn parse_coin_price(currency: Currency, text: &str) -> Result<Money, String> {
    let t = text.trim();
    let plain = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let money = plain
        .then(|| Money::parse(currency, t).ok())
        .flatten()
        .ok_or_else(|| format!("`{text}` is not a price: write it like 151.20"))?;
    if money.nanos <= 0 {
        return Err(format!("{text} {currency} is not a price: a coin price is above 0"));
    }
    if money.nanos >= MAX_PRICE_NANOS {
        return Err(format!(
            "{text} {currency} per coin is not believable: check the decimal point"
        ));
    }
    Ok(money)
}

/// A feed address: https, or http to this computer (127.0.0.1, ::1, localhost), which the
/// feed still refuses unless a test allowed it. No user name or password in it.
pub fn check_feed_url(url: &str) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url.trim())
        .map_err(|e| format!("`{url}` is not a web address ({e}): use an https:// address"))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("the feed address must not contain a user name or password".into());
    }
    match parsed.scheme() {
        "https" if parsed.host_str().is_some_and(|h| !h.is_empty()) => Ok(()),
        "http" if is_loopback(&parsed) => Ok(()),
        _ => Err(format!(
            "`{url}` is not an https address: the price feed is fetched over https only"
        )),
    }
}

/// True for http(s) addresses on this computer.
pub fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else { return false };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn parse_time(text: &str) -> Result<UnixMillis, String> {
    text.trim()
        .parse::<jiff::Timestamp>()
        .map(|t| t.as_millisecond())
        .map_err(|e| format!("`{text}` is not a time ({e}): write it like 2026-05-01T10:00:00Z"))
}

fn format_time(ms: UnixMillis) -> Option<String> {
    jiff::Timestamp::from_millisecond(ms).ok().map(|t| t.to_string())
}

/// Validates the two sections. `currency` is the settings currency, used for a price written
/// without one.
pub(crate) fn parse(
    coins: Option<BTreeMap<String, RawCoinPrice>>,
    feed: Option<RawPriceFeed>,
    currency: &str,
) -> Result<PriceSettings, FieldError> {
    let mut out = PriceSettings::default();
    for (code, raw) in coins.unwrap_or_default() {
        let field = |name: &str| format!("prices.{code}.{name}");
        check_asset_code(&code).map_err(|m| (format!("prices.{code}"), m))?;
        let currency_text = raw.currency.as_deref().unwrap_or(currency);
        crate::config::check_currency(currency_text).map_err(|m| (field("currency"), m))?;
        let cur = Currency::parse(currency_text).map_err(|m| (field("currency"), m))?;
        let text = match raw.price {
            Some(toml::Value::String(t)) => t,
            Some(toml::Value::Float(f)) => f.to_string(),
            Some(toml::Value::Integer(i)) => i.to_string(),
            Some(_) => {
                return Err((field("price"), "write the price as a number like \"151.20\"".into()));
            }
            None => {
                return Err((
                    field("price"),
                    format!("{code} has no price: add price = \"151.20\""),
                ));
            }
        };
        let per_unit = parse_coin_price(cur, &text).map_err(|m| (field("price"), m))?;
        let set_at =
            raw.set_at.as_deref().map(parse_time).transpose().map_err(|m| (field("set_at"), m))?;
        out.coins.insert(code, CoinPrice { per_unit, set_at });
    }
    if let Some(f) = feed {
        if let Some(url) = f.url {
            check_feed_url(&url).map_err(|m| ("price_feed.url".to_owned(), m))?;
            out.feed.url = url.trim().to_owned();
        }
        if let Some(m) = f.refresh_minutes {
            check_refresh_minutes(m).map_err(|e| ("price_feed.refresh_minutes".to_owned(), e))?;
            out.feed.refresh = Duration::from_secs(m * 60);
        }
        out.feed.enabled = f.enabled.unwrap_or(false);
    }
    Ok(out)
}

pub fn check_refresh_minutes(m: u64) -> Result<(), String> {
    if (MIN_REFRESH_MINUTES..=MAX_REFRESH_MINUTES).contains(&m) {
        Ok(())
    } else {
        Err(format!(
            "every {m} minutes is out of range: use {MIN_REFRESH_MINUTES} to {MAX_REFRESH_MINUTES} \
             minutes (public price feeds limit how often they may be asked)"
        ))
    }
}

/// The raw sections to write back.
pub(crate) fn raw(
    p: &PriceSettings,
) -> (Option<BTreeMap<String, RawCoinPrice>>, Option<RawPriceFeed>) {
    let coins: BTreeMap<String, RawCoinPrice> = p
        .coins
        .iter()
        .map(|(code, c)| {
            let raw = RawCoinPrice {
                price: Some(toml::Value::String(decimal(c.per_unit.nanos))),
                currency: Some(c.per_unit.currency.to_string()),
                set_at: c.set_at.and_then(format_time),
            };
            (code.clone(), raw)
        })
        .collect();
    let feed = RawPriceFeed {
        enabled: Some(p.feed.enabled),
        url: Some(p.feed.url.clone()),
        refresh_minutes: Some(p.feed.refresh.as_secs() / 60),
    };
    ((!coins.is_empty()).then_some(coins), Some(feed))
}

/// Billionths as the shortest exact decimal ("151.2" for 151_200_000_000).
pub fn decimal(nanos: i128) -> String {
    let sign = if nanos < 0 { "-" } else { "" };
    let abs = nanos.unsigned_abs();
    let whole = abs / 1_000_000_000;
    let frac = format!("{:09}", abs % 1_000_000_000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() { format!("{sign}{whole}") } else { format!("{sign}{whole}.{frac}") }
}

#[cfg(test)]
#[path = "prices_tests.rs"]
mod tests;
