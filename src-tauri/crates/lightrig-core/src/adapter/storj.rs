//! The Storj storage node's dashboard API (default `http://127.0.0.1:14002`, no auth).
//!
//! # What is read, and how often
//! Every poll: `GET /api/sno/` (disk use, version, each satellite's standing) and
//! `GET /api/sno/estimated-payout` (this month's running estimate). About once an hour:
//! `GET /api/sno/satellites` (audit and online scores, this month's storage in byte-hours) and
//! the payout history: `GET /api/heldamount/periods`, then
//! `GET /api/heldamount/payout-history/{YYYY-MM}` for a few periods per poll, newest first, until
//! every period is read.
//!
//! # Units
//! - Money. Storj states earnings in US dollars and pays the dollar value in STORJ tokens; the
//!   node's API has the dollar figures only, so every Storj reward is `USD` with 6 decimals
//!   (micro-USD). Payout history is already integer micro-USD. The estimate is float cents
//!   rounded by the node to 2 decimals (1/100 cent = 100 micro-USD), so `cents × 10 000`
//!   rounded is exact. One asset shape for all Storj rows keeps each state on one ledger line;
//!   cents (2 decimals) would round the history.
//! - Work rate: the data the node holds now, `WorkRate { value: used bytes / 10^12, unit:
//!   "TB stored" }`. A storage node's work is keeping data, so the ledger's rollups average it
//!   into "TB stored on average this hour". TB is decimal, as Storj counts it.
//! - Storage over time: Storj pays per TB-month, where a month is 720 hours whatever the calendar
//!   says (the node divides byte-hours by 720, and so does Lightrig): 1 TB-month = 10^12 bytes
//!   held for 720 h = 7.2 × 10^14 byte-hours. See [`MonthUsage`].
//!
//! # Rewards, and why re-polling never counts one twice
//! The ledger is append-only and sums every row of a state, so a row must be an event, never a
//! running balance:
//! - `Estimated`: growth of this month's estimate while Lightrig watched, one row per rise, key
//!   `estimate:<YYYY-MM>:<from>-<to>` (the estimate before and after, in micro-USD). The adapter
//!   keeps the highest estimate seen this run and records only rises above it, so a dip (the node
//!   correcting itself) never records anything twice, and intervals of one run cannot overlap.
//!   When the month turns, the old month is closed up to the node's final `previousMonth`
//!   figure. The first poll of a run only sets the starting point: what the node earned while
//!   Lightrig was not running is not estimated (it still arrives with the paid history).
//! - `Pending`: held amounts, key `held:<satellite>:<YYYY-MM>`, and their later release as a
//!   negative row `disposed:<satellite>:<YYYY-MM>`, so the pending total is what is held now.
//! - `Paid`: a period's payout once the node has its transaction receipt, key
//!   `paid:<satellite>:<YYYY-MM>`; the amount actually sent (`distributed`, or `paid` on nodes
//!   older than that field). Dated at the start of the following month (payouts are sent during
//!   it; the API has no transfer date).

use std::collections::{BTreeSet, HashSet};
use std::time::Duration;

use serde::de::DeserializeOwned;
use tokio::time::Instant;

use super::{AdapterConfig, AdapterError, NodeMetrics, Poll, read_capped};
use crate::model::{Asset, Reward, RewardState, UnixMillis, WorkRate, now_millis};

const DEFAULT_URL: &str = "http://127.0.0.1:14002";
const BODY_CAP: usize = 1024 * 1024;
const TIMEOUT: Duration = Duration::from_secs(2);
/// A whole poll, however many requests it makes, ends within this.
const POLL_BUDGET: Duration = Duration::from_secs(4);
const SLOW_EVERY: Duration = Duration::from_secs(3600);
const SLOW_RETRY: Duration = Duration::from_secs(300);
const PERIODS_PER_POLL: usize = 6;
/// A period this many months old is not read again: its payout is settled or never will be.
const FINAL_AFTER_MONTHS: i64 = 3;
const HOURS_PER_TB_MONTH: f64 = 720.0;
const BYTES_PER_TB: f64 = 1e12;

mod api;
mod month;

use api::{Dashboard, EstimatedPayout, PayoutForPeriod, Satellites};
pub(crate) use month::Month;

/// This month's usage from `/api/sno/satellites`, refreshed with the payout history.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthUsage {
    /// Storage this month in TB-months (byte-hours / 720 / 10^12).
    pub tb_months: Option<f64>,
    /// Bytes sent to customers this month.
    pub egress_bytes: Option<f64>,
}

#[derive(Debug)]
pub struct StorjAdapter {
    node_id: String,
    base: String,
    client: reqwest::Client,
    /// This month and the highest estimate (micro-USD) seen for it by this run.
    estimate: Option<(Month, i128)>,
    /// When the slow part (scores, payout history) is next due.
    slow_due: Instant,
    /// Periods whose payout history is read for good.
    periods_done: BTreeSet<String>,
    /// History keys already handed over by this run.
    emitted: HashSet<String>,
    /// Hints from the slow part, kept until it runs again.
    slow_hints: Vec<String>,
    usage: Option<MonthUsage>,
    /// Tests pin the clock; `None` is the real one.
    fixed_now: Option<UnixMillis>,
}

fn usd() -> Asset {
    Asset { code: "USD".into(), decimals: 6 }
}

/// Cents (float, as in the estimated payout) to micro-USD. Not finite, negative or absurd
/// (over 10^13 dollars) → `None`.
pub(crate) fn cents_to_micro_usd(cents: f64) -> Option<i128> {
    (cents.is_finite() && (0.0..1e15).contains(&cents)).then(|| (cents * 10_000.0).round() as i128)
}

/// Byte-hours (Storj's storage summaries) to TB-months of 720 hours.
pub(crate) fn byte_hours_to_tb_months(byte_hours: f64) -> f64 {
    byte_hours / HOURS_PER_TB_MONTH / BYTES_PER_TB
}

fn parse_time_ms(s: &str) -> Option<UnixMillis> {
    let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()?;
    // Go's zero time ("0001-01-01T00:00:00Z") means "never".
    (t.year() >= 2000).then(|| (t.unix_timestamp_nanos() / 1_000_000) as UnixMillis)
}

impl StorjAdapter {
    pub fn new(cfg: &AdapterConfig) -> Result<Self, AdapterError> {
        if let Some(name) = cfg.options.keys().next() {
            return Err(AdapterError::Config(format!(
                "the storj adapter takes no options, but `{name}` is set"
            )));
        }
        let base = cfg.url.as_deref().unwrap_or(DEFAULT_URL).trim_end_matches('/').to_owned();
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| AdapterError::Config(format!("cannot set up HTTP: {e}")))?;
        Ok(StorjAdapter {
            node_id: cfg.node_id.clone(),
            base,
            client,
            estimate: None,
            slow_due: Instant::now(),
            periods_done: BTreeSet::new(),
            emitted: HashSet::new(),
            slow_hints: Vec::new(),
            usage: None,
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

    /// This month's storage and egress, from the last hourly read (not yet in [`NodeMetrics`]).
    pub fn month_usage(&self) -> Option<&MonthUsage> {
        self.usage.as_ref()
    }

    fn now(&self) -> UnixMillis {
        self.fixed_now.unwrap_or_else(now_millis)
    }

    /// `GET path` as JSON. `Ok(None)` when the node does not have that endpoint (404).
    async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        deadline: Instant,
    ) -> Result<Option<T>, AdapterError> {
        let url = format!("{}{path}", self.base);
        let request = async {
            let res = self
                .client
                .get(&url)
                .send()
                .await
                .map_err(|e| AdapterError::Unreachable(e.to_string()))?;
            if res.status() == reqwest::StatusCode::NOT_FOUND {
                return Ok(None);
            }
            if !res.status().is_success() {
                return Err(AdapterError::Refused(format!("{path} answered {}", res.status())));
            }
            let body = read_capped(res, BODY_CAP).await?;
            serde_json::from_slice(&body)
                .map(Some)
                .map_err(|e| AdapterError::Malformed(format!("{path}: {e}")))
        };
        tokio::time::timeout_at(deadline, request)
            .await
            .map_err(|_| AdapterError::Unreachable(format!("{path} did not answer in time")))?
    }

    pub async fn poll(&mut self) -> Result<Poll, AdapterError> {
        let deadline = Instant::now() + POLL_BUDGET;
        let now = self.now();
        let dash: Dashboard = self.get("/api/sno/", deadline).await?.ok_or_else(|| {
            AdapterError::Malformed("no /api/sno/ here: is this a Storj node?".into())
        })?;
        let mut metrics = NodeMetrics {
            at_ms: now,
            work_rate: dash
                .disk_space
                .as_ref()
                .and_then(|d| d.used)
                .map(|b| WorkRate { value: b / BYTES_PER_TB, unit: "TB stored".into() }),
            uptime_secs: dash
                .started_at
                .as_deref()
                .and_then(parse_time_ms)
                .and_then(|t| u64::try_from(now - t).ok())
                .map(|ms| ms / 1000),
            hints: dash.hints(now),
            ..NodeMetrics::default()
        };
        let mut rewards = Vec::new();
        match self.get::<EstimatedPayout>("/api/sno/estimated-payout", deadline).await {
            Ok(Some(est)) => self.accrue_estimate(now, &est, &mut rewards),
            Ok(None) => {}
            Err(e) => metrics.hints.push(format!("This month's estimate could not be read: {e}")),
        }
        if Instant::now() >= self.slow_due {
            self.slow_part(now, deadline, &mut rewards).await;
        }
        metrics.hints.extend(self.slow_hints.iter().cloned());
        // History rows come back each time a period is re-read; estimate keys never repeat.
        rewards.retain(|r| r.state == RewardState::Estimated || self.emitted.insert(r.key.clone()));
        Ok(Poll { metrics, rewards })
    }

    fn reward(&self, key: String, at: UnixMillis, atomic: i128, state: RewardState) -> Reward {
        let source = match state {
            RewardState::Estimated => "storj /api/sno/estimated-payout",
            _ => "storj /api/heldamount/payout-history",
        };
        Reward {
            node_id: self.node_id.clone(),
            key,
            at,
            asset: usd(),
            atomic,
            state,
            source: source.into(),
            simulated: false,
        }
    }

    fn estimate_row(&self, month: Month, from: i128, to: i128, at: UnixMillis) -> Reward {
        let key = format!("estimate:{month}:{from}-{to}");
        self.reward(key, at, to - from, RewardState::Estimated)
    }

    /// Records the rise of this month's estimate since the last poll (see the module docs).
    fn accrue_estimate(&mut self, now: UnixMillis, est: &EstimatedPayout, out: &mut Vec<Reward>) {
        let Some(month) = Month::at(now) else { return };
        let payout = |m: &Option<api::Monthly>| {
            m.as_ref().and_then(|m| m.payout).and_then(cents_to_micro_usd)
        };
        let Some(cur) = payout(&est.current_month) else { return };
        match self.estimate {
            Some((m, high)) if m == month => {
                if cur > high {
                    out.push(self.estimate_row(m, high, cur, now));
                    self.estimate = Some((m, cur));
                }
            }
            Some((m, high)) if m == month.prev() => {
                if let Some(last) = payout(&est.previous_month)
                    && last > high
                    && let Some(start) = month.start_ms()
                {
                    out.push(self.estimate_row(m, high, last, start - 1));
                }
                if cur > 0 {
                    out.push(self.estimate_row(month, 0, cur, now));
                }
                self.estimate = Some((month, cur));
            }
            _ => self.estimate = Some((month, cur)),
        }
    }

    /// Scores and payout history. A failure here is a hint, never a failed poll.
    async fn slow_part(&mut self, now: UnixMillis, deadline: Instant, out: &mut Vec<Reward>) {
        let mut hints = Vec::new();
        let mut failed = false;
        match self.get::<Satellites>("/api/sno/satellites", deadline).await {
            Ok(Some(s)) => {
                hints.extend(s.hints());
                self.usage = Some(MonthUsage {
                    tb_months: s.storage_summary.map(byte_hours_to_tb_months),
                    egress_bytes: s.egress_summary,
                });
            }
            Ok(None) => {}
            Err(e) => {
                failed = true;
                hints.push(format!("Satellite scores could not be read: {e}"));
            }
        }
        let backlog = match self.read_history(now, deadline, out).await {
            Ok(backlog) => backlog,
            Err(e) => {
                failed = true;
                hints.push(format!("The payout history could not be read: {e}"));
                false
            }
        };
        self.slow_due = Instant::now()
            + if backlog {
                Duration::ZERO
            } else if failed {
                SLOW_RETRY
            } else {
                SLOW_EVERY
            };
        self.slow_hints = hints;
    }

    /// Reads up to [`PERIODS_PER_POLL`] unread periods. Returns whether more are left.
    async fn read_history(
        &mut self,
        now: UnixMillis,
        deadline: Instant,
        out: &mut Vec<Reward>,
    ) -> Result<bool, AdapterError> {
        let Some(this_month) = Month::at(now) else { return Ok(false) };
        let periods: Vec<String> = self
            .get::<Option<Vec<String>>>("/api/heldamount/periods", deadline)
            .await?
            .flatten()
            .unwrap_or_default();
        let mut todo: Vec<Month> = periods
            .iter()
            .filter_map(|p| Month::parse(p))
            .filter(|m| !self.periods_done.contains(&m.to_string()))
            .collect();
        todo.sort_unstable_by(|a, b| b.cmp(a));
        todo.dedup();
        let left = todo.len().saturating_sub(PERIODS_PER_POLL);
        for period in todo.into_iter().take(PERIODS_PER_POLL) {
            let path = format!("/api/heldamount/payout-history/{period}");
            let rows: Vec<PayoutForPeriod> = self
                .get::<Option<Vec<PayoutForPeriod>>>(&path, deadline)
                .await?
                .flatten()
                .unwrap_or_default();
            let mut settled = true;
            for row in &rows {
                settled &= self.history_rows(period, row, out);
            }
            if settled || period.months_until(this_month) >= FINAL_AFTER_MONTHS {
                self.periods_done.insert(period.to_string());
            }
        }
        Ok(left > 0)
    }

    /// Rewards for one satellite's row of one period. Returns whether the row is final.
    fn history_rows(&self, period: Month, row: &PayoutForPeriod, out: &mut Vec<Reward>) -> bool {
        let Some(sat) = row.satellite_id.as_deref().filter(|s| !s.is_empty()) else {
            return true;
        };
        let (Some(end), Some(next)) =
            (period.next().start_ms().map(|t| t - 1), period.next().start_ms())
        else {
            return true;
        };
        if let Some(held) = row.held.filter(|h| *h > 0) {
            out.push(self.reward(format!("held:{sat}:{period}"), end, held, RewardState::Pending));
        }
        if let Some(disposed) = row.disposed.filter(|d| *d > 0) {
            let key = format!("disposed:{sat}:{period}");
            out.push(self.reward(key, end, -disposed, RewardState::Pending));
        }
        let sent = row.distributed.filter(|d| *d > 0).or(row.paid).unwrap_or(0);
        let receipt = row.receipt.as_deref().is_some_and(|r| !r.trim().is_empty());
        if receipt && sent > 0 {
            out.push(self.reward(format!("paid:{sat}:{period}"), next, sent, RewardState::Paid));
        }
        receipt || (sent == 0 && row.paid.unwrap_or(0) == 0)
    }
}

#[cfg(test)]
#[path = "storj_tests.rs"]
mod tests;
