//! A custom node: its figures come from a Prometheus text endpoint or from JSON paths, where
//! the profile's `[status.options]` say.
//!
//! | option | meaning |
//! |---|---|
//! | `format` | `prometheus` or `json` (required) |
//! | `path` | URL path under the status `url`: default `/metrics` (prometheus), required (json) |
//! | `work_rate` | where the work rate is |
//! | `work_unit` | its unit, e.g. `H/s` (default `units/s`) |
//! | `shares_accepted` | where the count of accepted shares (or jobs, or results) is |
//! | `uptime_secs` | where the node's uptime in seconds is |
//!
//! "Where" is, for prometheus, a metric name with optional label values that must match:
//! `miner_hashrate{window="10s"}`; for json, a JSON pointer: `/hashrate/total/0`. A figure
//! that is absent, not a number, `NaN`, infinite or negative is "not available" for that poll
//! and the poll still succeeds; a hint names the option so a typo is easy to find. When several
//! series match, the first is used and a hint says so. A status `token` is sent as
//! `Authorization: Bearer`. A custom node cannot be paused by Lightrig, and its earnings are not
//! known, so it gives no rewards.

use std::time::Duration;

use serde_json::Value;

use super::{AdapterConfig, AdapterError, NodeMetrics, Poll, read_capped};
use crate::model::{UnixMillis, WorkRate, now_millis};
use crate::secret::Sensitive;

mod prom;

use prom::Selector;

const BODY_CAP: usize = 4 * 1024 * 1024;
const TIMEOUT: Duration = Duration::from_secs(2);
const OPTIONS: [&str; 6] =
    ["format", "path", "work_rate", "work_unit", "shares_accepted", "uptime_secs"];
const DEFAULT_UNIT: &str = "units/s";

/// Where one figure is, checked when the adapter is built.
#[derive(Debug, Clone)]
enum Locator {
    Prometheus(Selector),
    JsonPointer(String),
}

#[derive(Debug)]
pub struct CustomAdapter {
    /// `prometheus` text, else `json`.
    prometheus: bool,
    url: String,
    path: String,
    token: Option<Sensitive<String>>,
    client: reqwest::Client,
    work_rate: Option<Locator>,
    work_unit: String,
    shares_accepted: Option<Locator>,
    uptime_secs: Option<Locator>,
    /// Tests pin the clock; `None` is the real one.
    fixed_now: Option<UnixMillis>,
}

fn config(msg: String) -> AdapterError {
    AdapterError::Config(msg)
}

/// A usable figure: finite and not negative.
fn usable(v: f64) -> Option<f64> {
    (v.is_finite() && v >= 0.0).then_some(v)
}

fn json_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl CustomAdapter {
    pub fn new(cfg: &AdapterConfig) -> Result<Self, AdapterError> {
        let opts = &cfg.options;
        if let Some(name) = opts.keys().find(|k| !OPTIONS.contains(&k.as_str())) {
            return Err(config(format!(
                "the custom adapter has no option `{name}` (it takes: {})",
                OPTIONS.join(", ")
            )));
        }
        let prometheus = match opts.get("format").map(|f| f.trim()) {
            Some("prometheus") => true,
            Some("json") => false,
            Some(other) => {
                return Err(config(format!(
                    "option `format` must be `prometheus` or `json`, not `{other}`"
                )));
            }
            None => return Err(config("option `format` is required: prometheus or json".into())),
        };
        let path = match opts.get("path").map(|p| p.trim()) {
            Some(p) if p.starts_with('/') && !p.contains(char::is_whitespace) => p.to_owned(),
            Some(p) => {
                return Err(config(format!(
                    "option `path` must be a URL path starting with `/`, not `{p}`"
                )));
            }
            None if prometheus => "/metrics".to_owned(),
            None => return Err(config("option `path` is required when `format` is json".into())),
        };
        let locate = |name: &str| -> Result<Option<Locator>, AdapterError> {
            let Some(raw) = opts.get(name).map(|s| s.trim()) else { return Ok(None) };
            if prometheus {
                Selector::parse(raw)
                    .map(|s| Some(Locator::Prometheus(s)))
                    .map_err(|why| config(format!("option `{name}` = `{raw}`: {why}")))
            } else if raw.is_empty() || raw.starts_with('/') {
                Ok(Some(Locator::JsonPointer(raw.to_owned())))
            } else {
                Err(config(format!(
                    "option `{name}` = `{raw}` must be a JSON pointer such as /hashrate/total/0"
                )))
            }
        };
        let url = cfg
            .url
            .as_deref()
            .ok_or_else(|| config("the custom adapter needs the status `url` of the node".into()))?
            .trim_end_matches('/')
            .to_owned();
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| config(format!("cannot set up HTTP: {e}")))?;
        let work_unit = opts.get("work_unit").map_or(DEFAULT_UNIT, |u| u.trim());
        if work_unit.is_empty() {
            return Err(config("option `work_unit` is empty".into()));
        }
        Ok(CustomAdapter {
            prometheus,
            url,
            path,
            token: cfg.token.clone(),
            client,
            work_rate: locate("work_rate")?,
            work_unit: work_unit.to_owned(),
            shares_accepted: locate("shares_accepted")?,
            uptime_secs: locate("uptime_secs")?,
            fixed_now: None,
        })
    }

    pub fn can_pause(&self) -> bool {
        false
    }

    pub async fn pause(&mut self) -> Result<(), AdapterError> {
        Err(AdapterError::Unsupported)
    }

    pub async fn resume(&mut self) -> Result<(), AdapterError> {
        Err(AdapterError::Unsupported)
    }

    pub async fn poll(&mut self) -> Result<Poll, AdapterError> {
        let at_ms = self.fixed_now.unwrap_or_else(now_millis);
        let mut req = self.client.get(format!("{}{}", self.url, self.path));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t.expose());
        }
        let res = req.send().await.map_err(|e| AdapterError::Unreachable(e.to_string()))?;
        if !res.status().is_success() {
            return Err(AdapterError::Refused(format!(
                "GET {} answered {}: check the `path` option",
                self.path,
                res.status()
            )));
        }
        let body = read_capped(res, BODY_CAP).await?;
        let doc = Document::read(&body, self.prometheus)?;
        let mut hints = Vec::new();
        let mut figure = |option: &str, at: &Option<Locator>| {
            at.as_ref().and_then(|at| doc.figure(option, at, &mut hints))
        };
        let work_rate = figure("work_rate", &self.work_rate)
            .map(|value| WorkRate { value, unit: self.work_unit.clone() });
        let shares_accepted = figure("shares_accepted", &self.shares_accepted).map(|v| v as u64);
        let uptime_secs = figure("uptime_secs", &self.uptime_secs).map(|v| v as u64);
        let metrics = NodeMetrics {
            at_ms,
            work_rate,
            shares_accepted,
            uptime_secs,
            hints,
            ..NodeMetrics::default()
        };
        Ok(Poll { metrics, rewards: Vec::new() })
    }
}

/// The node's answer, read once per poll.
enum Document {
    Text(String),
    Json(Value),
}

impl Document {
    fn read(body: &[u8], prometheus: bool) -> Result<Document, AdapterError> {
        if prometheus {
            let text = std::str::from_utf8(body).map_err(|e| {
                AdapterError::Malformed(format!("the metrics are not UTF-8 text: {e}"))
            })?;
            Ok(Document::Text(text.to_owned()))
        } else {
            serde_json::from_slice(body)
                .map(Document::Json)
                .map_err(|e| AdapterError::Malformed(format!("not JSON: {e}")))
        }
    }

    fn figure(&self, option: &str, at: &Locator, hints: &mut Vec<String>) -> Option<f64> {
        let (found, count) = match (self, at) {
            (Document::Text(text), Locator::Prometheus(sel)) => sel.find(text),
            (Document::Json(doc), Locator::JsonPointer(p)) => {
                let v = doc.pointer(p);
                (v.and_then(json_number), usize::from(v.is_some()))
            }
            _ => (None, 0),
        };
        if count == 0 {
            hints.push(format!("The node's answer has nothing where option `{option}` points."));
        } else if count > 1 {
            hints.push(format!(
                "{count} series match option `{option}`; Lightrig used the first. Add label \
                 values to pick one."
            ));
        }
        found.and_then(usable)
    }
}

#[cfg(test)]
#[path = "custom_tests.rs"]
mod tests;
