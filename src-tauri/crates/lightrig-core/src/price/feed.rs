//! One request to a CoinGecko-style "simple price" endpoint:
//! `GET <url>?ids=monero,storj,mysterium&vs_currencies=eur` answers
//! `{"monero":{"eur":151.2},"storj":{"eur":0.31},...}`.
//!
//! Everything in the answer is checked before it becomes a price: the body is capped, every
//! figure must be a finite number above 0 and below a billion per coin, and a coin or currency
//! the answer lacks is named in the error rather than guessed.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::config::prices::is_loopback;
use crate::energy::units::{Currency, Money};

/// The whole request, connection included, must finish in this time.
pub const TIMEOUT: Duration = Duration::from_secs(15);
/// A simple-price answer for a few coins is well under a kilobyte; anything this large is not one.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Prices at or above this (per coin) are refused as not believable.
const MAX_PRICE: f64 = 1e9;

/// Asset code → feed id, from `ids.toml` shipped with Lightrig.
pub fn feed_ids() -> BTreeMap<String, String> {
    toml::from_str(include_str!("ids.toml")).unwrap_or_default()
}

/// Why a fetch gave no prices at all. Each message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    #[error("`{0}` is not a usable address: {1}")]
    BadUrl(String, String),
    #[error(
        "the price feed is fetched over https only; `{0}` was refused (change it to an https \
         address)"
    )]
    NotHttps(String),
    #[error("the price feed did not answer in {secs} s: {detail}. Lightrig tries again later")]
    Timeout { secs: u64, detail: String },
    #[error("the price feed could not be reached: {0}. Check the address and your connection")]
    Unreachable(String),
    #[error("the price feed answered HTTP {0}: check the address (too many requests wait out)")]
    Status(u16),
    #[error("the price feed's answer is larger than {MAX_BODY_BYTES} bytes, so it was not read")]
    TooLarge,
    #[error("the price feed's answer is not the expected JSON: {0}")]
    Malformed(String),
    #[error(
        "the price feed has no price in {currency} for any coin: choose a currency it quotes \
         (its answer had: {had})"
    )]
    UnknownCurrency { currency: String, had: String },
}

/// What one fetch found: a price per coin, and what was wrong with the coins it lacked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedPrices {
    /// Asset code → price of one whole coin.
    pub prices: BTreeMap<String, Money>,
    /// One line per coin without a usable price, e.g. "MYST: no price in the answer".
    pub problems: Vec<String>,
}

/// An HTTP client for the feed with a timeout, no redirects and a body cap.
#[derive(Debug, Clone)]
pub struct FeedClient {
    http: reqwest::Client,
    allow_loopback_http: bool,
    timeout: Duration,
}

impl FeedClient {
    /// `allow_loopback_http` lets tests serve the feed from 127.0.0.1; the app never sets it.
    pub fn new(allow_loopback_http: bool) -> Result<FeedClient, FeedError> {
        FeedClient::with_timeout(allow_loopback_http, TIMEOUT)
    }

    /// Like [`FeedClient::new`] with another time limit (tests use a short one).
    pub fn with_timeout(
        allow_loopback_http: bool,
        timeout: Duration,
    ) -> Result<FeedClient, FeedError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            // A redirect could lead to plain http or another host; the user chose this one.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Lightrig/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| FeedError::Unreachable(e.to_string()))?;
        Ok(FeedClient { http, allow_loopback_http, timeout })
    }

    /// The request address for `assets` in `currency`.
    pub fn request_url(
        &self,
        base: &str,
        assets: &[(String, String)],
        currency: Currency,
    ) -> Result<reqwest::Url, FeedError> {
        let mut url = reqwest::Url::parse(base.trim())
            .map_err(|e| FeedError::BadUrl(base.to_owned(), e.to_string()))?;
        let allowed = match url.scheme() {
            "https" => true,
            "http" => self.allow_loopback_http && is_loopback(&url),
            _ => false,
        };
        if !allowed {
            return Err(FeedError::NotHttps(base.to_owned()));
        }
        let ids: Vec<&str> = assets.iter().map(|(_, id)| id.as_str()).collect();
        url.query_pairs_mut()
            .append_pair("ids", &ids.join(","))
            .append_pair("vs_currencies", &currency.code().to_ascii_lowercase());
        Ok(url)
    }

    /// Asks `base` for the price of each `(asset code, feed id)` in `currency`.
    pub async fn fetch(
        &self,
        base: &str,
        assets: &[(String, String)],
        currency: Currency,
    ) -> Result<FeedPrices, FeedError> {
        let url = self.request_url(base, assets, currency)?;
        let timeout = |e: &reqwest::Error| FeedError::Timeout {
            secs: self.timeout.as_secs(),
            detail: e.to_string(),
        };
        let net = |e: reqwest::Error| {
            if e.is_timeout() { timeout(&e) } else { FeedError::Unreachable(e.to_string()) }
        };
        let mut response = self.http.get(url).send().await.map_err(net)?;
        if !response.status().is_success() {
            return Err(FeedError::Status(response.status().as_u16()));
        }
        if response.content_length().is_some_and(|n| n > MAX_BODY_BYTES as u64) {
            return Err(FeedError::TooLarge);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(net)? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(FeedError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        parse(&body, assets, currency)
    }
}

/// Reads a simple-price answer.
pub fn parse(
    body: &[u8],
    assets: &[(String, String)],
    currency: Currency,
) -> Result<FeedPrices, FeedError> {
    let json: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| FeedError::Malformed(e.to_string()))?;
    let root = json
        .as_object()
        .ok_or_else(|| FeedError::Malformed("the answer is not a JSON object".into()))?;
    let key = currency.code().to_ascii_lowercase();
    let mut out = FeedPrices::default();
    let mut currencies = std::collections::BTreeSet::new();
    for (asset, id) in assets {
        let Some(coin) = root.get(id) else {
            out.problems.push(format!("{asset}: the answer has no `{id}`"));
            continue;
        };
        let Some(quotes) = coin.as_object() else {
            out.problems.push(format!("{asset}: `{id}` is not an object of prices"));
            continue;
        };
        currencies.extend(quotes.keys().map(|k| k.to_ascii_uppercase()));
        let Some(value) = quotes.get(&key) else {
            out.problems.push(format!("{asset}: no price in {currency}"));
            continue;
        };
        match value.as_f64().filter(|v| v.is_finite() && *v > 0.0 && *v < MAX_PRICE) {
            Some(v) => {
                let nanos = (v * 1e9).round() as i128;
                if nanos > 0 {
                    out.prices.insert(asset.clone(), Money { currency, nanos });
                } else {
                    out.problems.push(format!("{asset}: {v} {currency} rounds to 0"));
                }
            }
            None => out.problems.push(format!(
                "{asset}: {value} is not a price (a number above 0 and below a billion)"
            )),
        }
    }
    if out.prices.is_empty() && !currencies.is_empty() && !currencies.contains(currency.code()) {
        return Err(FeedError::UnknownCurrency {
            currency: currency.to_string(),
            had: currencies.into_iter().collect::<Vec<_>>().join(", "),
        });
    }
    Ok(out)
}

#[cfg(test)]
#[path = "feed_tests.rs"]
mod tests;
