//! Runs the feed while the user has it on: a tokio task started when the feed is turned on,
//! restarted when its address, interval or the currency change, and stopped when it is turned
//! off, so a settings change applies at once without a restart. Nothing runs while it is off.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::Serialize;

use super::feed::{FeedClient, FeedPrices, feed_ids};
use crate::config::prices::PriceFeedSettings;
use crate::energy::units::Currency;
use crate::ledger::{Ledger, PriceKind, PriceObservation};
use crate::model::{UnixMillis, now_millis};

/// What the feed did last, for the settings screen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FeedStatus {
    /// True while the task runs.
    pub running: bool,
    pub last_attempt_ms: Option<UnixMillis>,
    pub last_success_ms: Option<UnixMillis>,
    /// The last attempt's error, cleared by the next success.
    pub last_error: Option<String>,
    /// Coins the last answer lacked, in plain words.
    pub problems: Vec<String>,
    /// Asset codes priced by the last successful fetch.
    pub priced: Vec<String>,
}

/// What the task runs with; a change restarts it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RunConfig {
    url: String,
    refresh: Duration,
    currency: Currency,
}

#[derive(Debug, Default)]
struct Inner {
    task: Option<(RunConfig, tokio::task::JoinHandle<()>)>,
    allow_loopback_http: bool,
}

/// Owns the feed task. One per app.
#[derive(Debug, Default)]
pub struct FeedRunner {
    inner: Mutex<Inner>,
    status: Arc<Mutex<FeedStatus>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The source recorded with every feed price: the feed's host, so the user sees where a
/// figure came from.
pub fn source_name(url: &str) -> String {
    let host = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| url.to_owned());
    format!("price feed ({host})")
}

impl FeedRunner {
    pub fn new() -> FeedRunner {
        FeedRunner::default()
    }

    /// Lets the feed use http on 127.0.0.1: for tests that serve a fixture. Never used by the
    /// app itself.
    pub fn allow_loopback_http(&self, allow: bool) {
        let mut inner = lock(&self.inner);
        inner.allow_loopback_http = allow;
        // A running task keeps its client; the next apply builds one with the new rule.
        if let Some((_, task)) = inner.task.take() {
            task.abort();
        }
    }

    pub fn status(&self) -> FeedStatus {
        let mut s = lock(&self.status).clone();
        s.running = lock(&self.inner).task.as_ref().is_some_and(|(_, t)| !t.is_finished());
        s
    }

    /// Starts, restarts or stops the task to match the settings. Call after every save.
    pub fn apply(&self, feed: &PriceFeedSettings, currency: &str, ledger: &Ledger) {
        let mut inner = lock(&self.inner);
        let wanted = Currency::parse(currency)
            .ok()
            .filter(|_| feed.enabled)
            .map(|currency| RunConfig { url: feed.url.clone(), refresh: feed.refresh, currency });
        let same = matches!((&inner.task, &wanted), (Some((cfg, t)), Some(w)) if cfg == w && !t.is_finished());
        if same {
            return;
        }
        if let Some((_, task)) = inner.task.take() {
            task.abort();
        }
        let Some(cfg) = wanted else { return };
        let client = match FeedClient::new(inner.allow_loopback_http) {
            Ok(c) => c,
            Err(e) => {
                lock(&self.status).last_error = Some(e.to_string());
                return;
            }
        };
        let status = self.status.clone();
        let ledger = ledger.clone();
        let run = cfg.clone();
        let task = tokio::spawn(async move {
            loop {
                fetch_once(&client, &run, &ledger, &status).await;
                tokio::time::sleep(run.refresh).await;
            }
        });
        inner.task = Some((cfg, task));
    }

    /// Stops the task (app shutdown).
    pub fn stop(&self) {
        if let Some((_, task)) = lock(&self.inner).task.take() {
            task.abort();
        }
    }
}

impl Drop for FeedRunner {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn fetch_once(
    client: &FeedClient,
    cfg: &RunConfig,
    ledger: &Ledger,
    status: &Arc<Mutex<FeedStatus>>,
) {
    let assets: Vec<(String, String)> = feed_ids().into_iter().collect();
    let started = now_millis();
    lock(status).last_attempt_ms = Some(started);
    let result = client.fetch(&cfg.url, &assets, cfg.currency).await;
    let recorded = match result {
        Ok(found) => record(ledger, &cfg.url, started, found).await,
        Err(e) => Err(e.to_string()),
    };
    let mut s = lock(status);
    match recorded {
        Ok(found) => {
            s.last_success_ms = Some(started);
            s.last_error = None;
            s.priced = found.prices.keys().cloned().collect();
            s.problems = found.problems;
        }
        Err(e) => {
            tracing::warn!(error = %e, "price feed fetch failed");
            s.last_error = Some(e);
        }
    }
}

/// Appends each price to the ledger.
async fn record(
    ledger: &Ledger,
    url: &str,
    at_ms: UnixMillis,
    found: FeedPrices,
) -> Result<FeedPrices, String> {
    let ledger = ledger.clone();
    let source = source_name(url);
    tokio::task::spawn_blocking(move || {
        for (asset, money) in &found.prices {
            let price_nano = i64::try_from(money.nanos).map_err(|e| e.to_string())?;
            ledger
                .record_price(&PriceObservation {
                    at_ms,
                    asset: asset.clone(),
                    currency: money.currency.to_string(),
                    price_nano: Some(price_nano),
                    kind: PriceKind::Feed,
                    source: source.clone(),
                })
                .map_err(|e| e.to_string())?;
        }
        Ok(found)
    })
    .await
    .map_err(|e| e.to_string())?
}
