//! Coin prices in the app's API: the user's own prices (each change appended to the ledger, so
//! a reward is later valued with the price in force when it arrived) and the opt-in feed, which
//! starts, restarts or stops as soon as its settings are saved.

use std::collections::BTreeMap;
use std::time::Duration;

use super::AppService;
use super::dto::*;
use crate::config::prices::{
    CoinPrice, MIN_REFRESH_MINUTES, PriceFeedSettings, PriceSettings, check_asset_code,
    check_feed_url, check_refresh_minutes, decimal, parse_coin_price,
};
use crate::energy::units::Currency;
use crate::ledger::{Ledger, LedgerError, PriceKind, PriceObservation};
use crate::model::{UnixMillis, now_millis};
use crate::price::feed_ids;

/// Shown as the source of the user's own prices.
pub const USER_SOURCE: &str = "your setting";

fn user_row(
    asset: &str,
    currency: &str,
    price_nano: Option<i64>,
    at_ms: UnixMillis,
) -> PriceObservation {
    PriceObservation {
        at_ms,
        asset: asset.to_owned(),
        currency: currency.to_owned(),
        price_nano,
        kind: PriceKind::User,
        source: USER_SOURCE.into(),
    }
}

fn nanos(c: &CoinPrice) -> Option<i64> {
    i64::try_from(c.per_unit.nanos).ok()
}

/// Appends to the ledger every user price that differs from what it holds: new or changed
/// prices from `new`, and a removal for each coin `old` had and `new` has not.
pub(crate) fn record_user_prices(
    ledger: &Ledger,
    old: &BTreeMap<String, CoinPrice>,
    new: &BTreeMap<String, CoinPrice>,
    now: UnixMillis,
) -> Result<(), LedgerError> {
    for (asset, c) in new {
        let currency = c.per_unit.currency.to_string();
        let held = ledger.latest_price(asset, &currency, PriceKind::User, now)?;
        if held.as_ref().and_then(|h| h.price_nano) == nanos(c) {
            continue;
        }
        // A price the ledger never saw keeps the time the user set it; a change counts from now.
        let at = if held.is_none() { c.set_at.unwrap_or(now).min(now) } else { now };
        ledger.record_price(&user_row(asset, &currency, nanos(c), at))?;
    }
    for (asset, c) in old.iter().filter(|(a, _)| !new.contains_key(*a)) {
        ledger.record_price(&user_row(asset, &c.per_unit.currency.to_string(), None, now))?;
    }
    Ok(())
}

/// Validates an edit against the settings in force.
pub(crate) fn apply_edit(
    old: &PriceSettings,
    currency: &str,
    edit: &PricesEdit,
    now: UnixMillis,
) -> Result<PriceSettings, ApiError> {
    let bad = |field: &str, m: String| ApiError::field("prices.invalid", field, m);
    let cur = Currency::parse(currency).map_err(|m| bad("currency", m))?;
    let mut coins = BTreeMap::new();
    for c in &edit.coins {
        let asset = c.asset.trim().to_ascii_uppercase();
        let field = format!("prices.{asset}");
        check_asset_code(&asset).map_err(|m| bad(&field, m))?;
        let per_unit = parse_coin_price(cur, &c.price).map_err(|m| bad(&field, m))?;
        let set_at = match old.coins.get(&asset) {
            Some(prev) if prev.per_unit == per_unit => prev.set_at,
            _ => Some(now),
        };
        if coins.insert(asset.clone(), CoinPrice { per_unit, set_at }).is_some() {
            return Err(bad(&field, format!("{asset} is listed twice: keep one price per coin")));
        }
    }
    let url = edit.feed_url.trim();
    check_feed_url(url).map_err(|m| bad("feed_url", m))?;
    let minutes = u64::from(edit.refresh_minutes);
    check_refresh_minutes(minutes).map_err(|m| bad("refresh_minutes", m))?;
    Ok(PriceSettings {
        coins,
        feed: PriceFeedSettings {
            enabled: edit.feed_enabled,
            url: url.to_owned(),
            refresh: Duration::from_secs(minutes * 60),
        },
    })
}

impl AppService {
    /// At open: records the file's prices the ledger does not hold yet (a price written into
    /// the file by hand), then starts the feed if the user has it on.
    pub(super) async fn start_prices(&self) {
        let settings = self.engine.settings();
        let ledger = self.engine.ledger().clone();
        let coins = settings.prices.coins.clone();
        let synced = tokio::task::spawn_blocking(move || {
            record_user_prices(&ledger, &BTreeMap::new(), &coins, now_millis())
        })
        .await;
        if let Ok(Err(e)) = synced {
            tracing::warn!(error = %e, "could not record the prices from the settings file");
        }
        self.price_feed.apply(&settings.prices.feed, &settings.currency, self.engine.ledger());
    }

    /// Lets the price feed use http on 127.0.0.1, for tests that serve a fixture feed. Never
    /// used by the app itself.
    pub fn allow_loopback_price_feed(&self, allow: bool) {
        self.price_feed.allow_loopback_http(allow);
        let s = self.engine.settings();
        self.price_feed.apply(&s.prices.feed, &s.currency, self.engine.ledger());
    }

    pub fn prices(&self) -> PricesView {
        let s = self.engine.settings();
        let status = self.price_feed.status();
        let host = reqwest::Url::parse(&s.prices.feed.url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        PricesView {
            currency: s.currency.clone(),
            coins: s
                .prices
                .coins
                .iter()
                .map(|(asset, c)| CoinPriceView {
                    asset: asset.clone(),
                    price: decimal(c.per_unit.nanos),
                    currency: c.per_unit.currency.to_string(),
                    set_at_ms: c.set_at,
                })
                .collect(),
            feed: PriceFeedView {
                enabled: s.prices.feed.enabled,
                url: s.prices.feed.url.clone(),
                host,
                refresh_minutes: u32::try_from(s.prices.feed.refresh.as_secs() / 60)
                    .unwrap_or(u32::MAX),
                min_refresh_minutes: MIN_REFRESH_MINUTES as u32,
                assets: feed_ids().into_keys().collect(),
                running: status.running,
                last_attempt_ms: status.last_attempt_ms,
                last_success_ms: status.last_success_ms,
                last_error: status.last_error,
                problems: status.problems,
                priced: status.priced,
            },
        }
    }

    /// Saves the prices and the feed's settings; each changed price is appended to the ledger
    /// and the feed starts, restarts or stops at once.
    pub async fn save_prices(&self, edit: PricesEdit) -> Result<PricesView, ApiError> {
        let mut settings = self.engine.settings();
        let now = now_millis();
        let new = apply_edit(&settings.prices, &settings.currency, &edit, now)?;
        let old = std::mem::replace(&mut settings.prices, new.clone());
        let currency = settings.currency.clone();
        self.engine.save_settings(settings).await?;
        let ledger = self.engine.ledger().clone();
        tokio::task::spawn_blocking(move || {
            record_user_prices(&ledger, &old.coins, &new.coins, now)
        })
        .await
        .map_err(|e| ApiError::new("internal", e.to_string()))?
        .map_err(|e| ApiError::new("ledger.write", e.to_string()))?;
        let feed = self.engine.settings().prices.feed;
        self.price_feed.apply(&feed, &currency, self.engine.ledger());
        Ok(self.prices())
    }
}

#[cfg(test)]
#[path = "prices_tests.rs"]
mod tests;
