//! The Mysterium node's TequilAPI (default `http://127.0.0.1:4050`; the node's web UI proxies
//! the same API under `/tequilapi`, so a `url` ending there works too).
//!
//! # Login
//! `POST /auth/authenticate {username, password}` (older nodes: `/auth/login`, tried when the
//! first answers 404) gives a JWT, sent as `Authorization: Bearer` and kept in memory only.
//! The password is the profile's status `token`: for the built-in profile, the node password
//! the user typed on the Nodes screen, read from the keychain at start (kept in a
//! [`Sensitive`], never logged or put in an error). Without one, the node's factory password
//! is tried and a hint says to set the real one. When the node answers 401 (the JWT expired,
//! or the node restarted), Lightrig logs in again once and repeats the request; a second 401 is
//! an error, so a wrong password never loops.
//!
//! # What is read
//! Every poll: `GET /healthcheck` (uptime, no login), `GET /identities/{id}` (earnings) and
//! `GET /sessions/stats-aggregated?direction=Provided` (bytes served). Every 10 minutes:
//! `GET /transactor/settle/history` (the newest [`SETTLE_PAGE`] settlements).
//!
//! # Units
//! MYST amounts are integers of wei (10^-18 MYST): `Asset { code: "MYST", decimals: 18 }` with
//! `i128` atomic amounts, parsed exactly from the node's decimal strings and big integers, never
//! through a float. The work is bandwidth: `total_work` is bytes served (sent + received, all
//! provided sessions) and the work rate is its growth between two polls in `B/s` (not available
//! on the first poll of a run).
//!
//! # Rewards, and why re-polling never counts one twice
//! - `Paid`: each settlement with a transaction hash and no error, key `settlement:<tx hash>`,
//!   the MYST sent to the beneficiary (after fees), dated when it settled. Withdrawals settle
//!   earnings too and count the same way. A hash is unique on chain, so replays are duplicates.
//! - `Pending`: the node's unsettled balance is a running figure that drops at each settlement,
//!   so recording it (keyed by amount or by the last settlement) would either add the same
//!   MYST again each time it grew or need a row to be rewritten. Lightrig instead records growth
//!   of the identity's lifetime earnings (`earnings_total_tokens`, which only rises) seen
//!   between two polls, key `earned:<identity>:<from>-<to>` in wei. Each row is an interval of
//!   one counter and one run only records above the highest figure it has seen, so rows never
//!   overlap, and a replay has the same key. The first poll of a run only sets the starting
//!   point: what was earned while Lightrig was not watching shows up when it is settled.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use serde::de::DeserializeOwned;
use tokio::time::Instant;

use super::{AdapterConfig, AdapterError, NodeMetrics, Poll, read_capped};
use crate::model::{Asset, Reward, RewardState, UnixMillis, WorkRate, now_millis};
use crate::secret::Sensitive;

mod api;

use api::{
    AuthAnswer, Health, Identities, Identity, SettlementList, StatsAnswer, is_address,
    parse_time_ms,
};
pub(crate) use api::{go_duration_secs, parse_wei};

const DEFAULT_URL: &str = "http://127.0.0.1:4050";
const DEFAULT_USERNAME: &str = "myst";
/// What a new node accepts until its owner sets a password (public, in the node's docs).
const FACTORY_PASSWORD: &str = "mystberry";
const BODY_CAP: usize = 1024 * 1024;
const TIMEOUT: Duration = Duration::from_secs(2);
const POLL_BUDGET: Duration = Duration::from_secs(4);
const SETTLE_EVERY: Duration = Duration::from_secs(600);
const SETTLE_RETRY: Duration = Duration::from_secs(120);
/// Settlements read per refresh, newest first (about 450 bytes each).
const SETTLE_PAGE: u32 = 200;
const OPTIONS: [&str; 2] = ["username", "identity"];

fn myst() -> Asset {
    Asset { code: "MYST".into(), decimals: 18 }
}

#[derive(Debug)]
pub struct MysteriumAdapter {
    node_id: String,
    base: String,
    client: reqwest::Client,
    username: String,
    password: Sensitive<String>,
    factory_password: bool,
    jwt: Option<Sensitive<String>>,
    /// The provider identity, lowercase: from the `identity` option or the node's first one.
    identity: Option<String>,
    /// Highest lifetime earnings (wei) seen by this run.
    earned_high: Option<i128>,
    /// Bytes served at the previous poll, for the rate.
    last_bytes: Option<(UnixMillis, u64)>,
    settle_due: Instant,
    settle_hints: Vec<String>,
    emitted: HashSet<String>,
    /// Tests pin the clock; `None` is the real one.
    fixed_now: Option<UnixMillis>,
}

impl MysteriumAdapter {
    pub fn new(cfg: &AdapterConfig) -> Result<Self, AdapterError> {
        if let Some(name) = cfg.options.keys().find(|k| !OPTIONS.contains(&k.as_str())) {
            return Err(AdapterError::Config(format!(
                "the mysterium adapter has no option `{name}` (it takes: username, identity)"
            )));
        }
        let identity = match cfg.options.get("identity") {
            Some(id) if is_address(id.trim(), 40) => Some(id.trim().to_ascii_lowercase()),
            Some(id) => {
                return Err(AdapterError::Config(format!(
                    "option `identity` must be a node identity like 0x followed by 40 hex \
                     digits, not `{id}`"
                )));
            }
            None => None,
        };
        let username = cfg.options.get("username").map_or(DEFAULT_USERNAME, |u| u.trim());
        if username.is_empty() {
            return Err(AdapterError::Config("option `username` is empty".into()));
        }
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| AdapterError::Config(format!("cannot set up HTTP: {e}")))?;
        let password = cfg.token.clone().filter(|t| !t.expose().is_empty());
        Ok(MysteriumAdapter {
            node_id: cfg.node_id.clone(),
            base: cfg.url.as_deref().unwrap_or(DEFAULT_URL).trim_end_matches('/').to_owned(),
            client,
            username: username.to_owned(),
            factory_password: password.is_none(),
            password: password.unwrap_or_else(|| Sensitive::new(FACTORY_PASSWORD.to_owned())),
            jwt: None,
            identity,
            earned_high: None,
            last_bytes: None,
            settle_due: Instant::now(),
            settle_hints: Vec::new(),
            emitted: HashSet::new(),
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

    fn now(&self) -> UnixMillis {
        self.fixed_now.unwrap_or_else(now_millis)
    }

    async fn login(&mut self, deadline: Instant) -> Result<(), AdapterError> {
        self.jwt = None;
        let answer = match self.login_at("/auth/authenticate", deadline).await? {
            Some(a) => a,
            None => self.login_at("/auth/login", deadline).await?.ok_or_else(|| {
                AdapterError::Refused(
                    "the node has neither /auth/authenticate nor /auth/login: is the status url \
                     the node's TequilAPI?"
                        .into(),
                )
            })?,
        };
        match answer.token {
            Some(t) if !t.is_empty() => {
                self.jwt = Some(Sensitive::new(t));
                Ok(())
            }
            _ => Err(AdapterError::Malformed("the login answer has no token".into())),
        }
    }

    /// One login request; `Ok(None)` when the node has no such endpoint (404).
    async fn login_at(
        &self,
        path: &str,
        deadline: Instant,
    ) -> Result<Option<AuthAnswer>, AdapterError> {
        let body = serde_json::json!({
            "username": self.username,
            "password": self.password.expose(),
        });
        let req = self.client.post(format!("{}{path}", self.base)).json(&body);
        within(deadline, path, async {
            let res = req.send().await.map_err(|e| AdapterError::Unreachable(e.to_string()))?;
            match res.status().as_u16() {
                200..=299 => {}
                404 => return Ok(None),
                400 | 401 | 403 if self.factory_password => {
                    return Err(AdapterError::Refused(
                        "Mysterium refused its factory password: enter the node's password in \
                         Nodes (the one you set in the node's web UI)"
                            .into(),
                    ));
                }
                400 | 401 | 403 => {
                    return Err(AdapterError::Refused(
                        "Mysterium refused the password: set it again in Nodes".into(),
                    ));
                }
                _ => {
                    return Err(AdapterError::Refused(format!("{path} answered {}", res.status())));
                }
            }
            decode(read_capped(res, BODY_CAP).await?, path).map(Some)
        })
        .await
    }

    /// `GET path` with the JWT, logging in first if needed and once more on a 401.
    /// `Ok(None)` when the node does not have that endpoint (404).
    async fn get<T: DeserializeOwned>(
        &mut self,
        path: &str,
        deadline: Instant,
    ) -> Result<Option<T>, AdapterError> {
        if self.jwt.is_none() {
            self.login(deadline).await?;
        }
        let mut res = self.send(path, deadline).await?;
        if res.status() == reqwest::StatusCode::UNAUTHORIZED {
            self.login(deadline).await?;
            res = self.send(path, deadline).await?;
            if res.status() == reqwest::StatusCode::UNAUTHORIZED {
                self.jwt = None;
                return Err(AdapterError::Refused(format!(
                    "{path} refused Lightrig's login right after it logged in"
                )));
            }
        }
        if res.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !res.status().is_success() {
            return Err(AdapterError::Refused(format!("{path} answered {}", res.status())));
        }
        within(deadline, path, async { decode(read_capped(res, BODY_CAP).await?, path) })
            .await
            .map(Some)
    }

    async fn send(&self, path: &str, deadline: Instant) -> Result<reqwest::Response, AdapterError> {
        let mut req = self.client.get(format!("{}{path}", self.base));
        if let Some(jwt) = &self.jwt {
            req = req.bearer_auth(jwt.expose());
        }
        within(deadline, path, async {
            req.send().await.map_err(|e| AdapterError::Unreachable(e.to_string()))
        })
        .await
    }

    pub async fn poll(&mut self) -> Result<Poll, AdapterError> {
        let deadline = Instant::now() + POLL_BUDGET;
        let now = self.now();
        // The health check needs no login: it tells "node down" apart from "login refused".
        let health: Health = within(deadline, "/healthcheck", async {
            let res = self
                .client
                .get(format!("{}/healthcheck", self.base))
                .send()
                .await
                .map_err(|e| AdapterError::Unreachable(e.to_string()))?;
            if !res.status().is_success() {
                return Err(AdapterError::Refused(format!(
                    "/healthcheck answered {}",
                    res.status()
                )));
            }
            decode(read_capped(res, BODY_CAP).await?, "/healthcheck")
        })
        .await?;
        let mut metrics = NodeMetrics {
            at_ms: now,
            uptime_secs: health.uptime.as_deref().and_then(go_duration_secs),
            ..NodeMetrics::default()
        };
        let Some(id) = self.identity(deadline).await? else {
            metrics.hints.push(
                "The node has no identity yet: open the node's web UI and finish its setup.".into(),
            );
            return Ok(Poll { metrics, rewards: Vec::new() });
        };
        if self.factory_password {
            metrics.hints.push(
                "The node's API still takes its factory password: set your own in the node's web \
                 UI, then enter it in Nodes (Lightrig keeps it in your keychain)."
                    .into(),
            );
        }
        let ident: Identity = self
            .get(&format!("/identities/{id}"), deadline)
            .await?
            .ok_or_else(|| AdapterError::Malformed(format!("the node does not know {id}")))?;
        match ident.registration_status.as_deref() {
            Some("Registered") | None => {}
            Some(other) => metrics.hints.push(format!(
                "The node's identity is not registered ({other}): finish onboarding in the node's \
                 web UI; until then it earns nothing."
            )),
        }
        let mut rewards = Vec::new();
        let earned = ident.earnings_total_tokens.and_then(|t| t.wei).and_then(|w| parse_wei(&w));
        self.accrue(&id, now, earned, &mut rewards);
        self.bandwidth(now, deadline, &mut metrics).await;
        if Instant::now() >= self.settle_due {
            self.settlements(&id, now, deadline, &mut rewards).await;
        }
        metrics.hints.extend(self.settle_hints.iter().cloned());
        // Settlements come back with every refresh; earnings intervals never repeat.
        rewards.retain(|r| r.state != RewardState::Paid || self.emitted.insert(r.key.clone()));
        Ok(Poll { metrics, rewards })
    }

    async fn identity(&mut self, deadline: Instant) -> Result<Option<String>, AdapterError> {
        if let Some(id) = &self.identity {
            return Ok(Some(id.clone()));
        }
        let list: Option<Identities> = self.get("/identities", deadline).await?;
        let first = list.and_then(|l| l.identities).and_then(|l| l.into_iter().find_map(|i| i.id));
        match first {
            None => Ok(None),
            Some(id) if is_address(&id, 40) => {
                self.identity = Some(id.to_ascii_lowercase());
                Ok(self.identity.clone())
            }
            Some(id) => Err(AdapterError::Malformed(format!("identity `{id}` is not an address"))),
        }
    }

    fn reward(&self, key: String, at: UnixMillis, atomic: i128, state: RewardState) -> Reward {
        let source = match state {
            RewardState::Paid => "mysterium /transactor/settle/history",
            _ => "mysterium /identities earnings_total_tokens",
        };
        Reward {
            node_id: self.node_id.clone(),
            key,
            at,
            asset: myst(),
            atomic,
            state,
            source: source.into(),
            simulated: false,
        }
    }

    /// Records the rise of lifetime earnings since the last poll (see the module docs).
    fn accrue(&mut self, id: &str, now: UnixMillis, earned: Option<i128>, out: &mut Vec<Reward>) {
        let Some(cur) = earned else { return };
        match self.earned_high {
            Some(high) if cur > high => {
                let key = format!("earned:{id}:{high}-{cur}");
                out.push(self.reward(key, now, cur - high, RewardState::Pending));
                self.earned_high = Some(cur);
            }
            Some(_) => {}
            None => self.earned_high = Some(cur),
        }
    }

    /// Bytes served and their rate. Not available is not an error here.
    async fn bandwidth(&mut self, now: UnixMillis, deadline: Instant, m: &mut NodeMetrics) {
        let path = "/sessions/stats-aggregated?direction=Provided";
        let stats = match self.get::<StatsAnswer>(path, deadline).await {
            Ok(answer) => answer.and_then(|a| a.stats),
            Err(e) => {
                m.hints.push(format!("Session statistics could not be read: {e}"));
                None
            }
        };
        let Some(bytes) = stats.and_then(|s| s.sum_bytes_sent?.checked_add(s.sum_bytes_received?))
        else {
            return;
        };
        m.total_work = Some(bytes);
        if let Some((then, before)) = self.last_bytes
            && now > then
            && bytes >= before
        {
            let value = (bytes - before) as f64 * 1000.0 / (now - then) as f64;
            m.work_rate = Some(WorkRate { value, unit: "B/s".into() });
        }
        self.last_bytes = Some((now, bytes));
    }

    async fn settlements(
        &mut self,
        id: &str,
        now: UnixMillis,
        deadline: Instant,
        out: &mut Vec<Reward>,
    ) {
        let path =
            format!("/transactor/settle/history?provider_id={id}&page=1&page_size={SETTLE_PAGE}");
        let list = match self.get::<SettlementList>(&path, deadline).await {
            Ok(list) => list,
            Err(e) => {
                self.settle_hints = vec![format!("The settlement history could not be read: {e}")];
                self.settle_due = Instant::now() + SETTLE_RETRY;
                return;
            }
        };
        let mut failed = 0;
        let mut seen = BTreeMap::new();
        for s in list.and_then(|l| l.items).into_iter().flatten() {
            let hash = s.tx_hash.as_deref().map(str::to_ascii_lowercase).unwrap_or_default();
            let real_hash = is_address(&hash, 64) && hash.bytes().skip(2).any(|b| b != b'0');
            if !real_hash || s.error.as_deref().is_some_and(|e| !e.trim().is_empty()) {
                failed += 1;
                continue;
            }
            let Some(amount) = s.amount.filter(|a| *a > 0) else { continue };
            let at = s.settled_at.as_deref().and_then(parse_time_ms).unwrap_or(now);
            seen.insert(hash, (at, amount));
        }
        for (hash, (at, amount)) in seen {
            out.push(self.reward(format!("settlement:{hash}"), at, amount, RewardState::Paid));
        }
        self.settle_hints = if failed > 0 {
            vec![format!(
                "{failed} settlement(s) failed or could not be confirmed (the node's web UI has \
                 the details); Lightrig does not count them as paid."
            )]
        } else {
            Vec::new()
        };
        self.settle_due = Instant::now() + SETTLE_EVERY;
    }
}

fn decode<T: DeserializeOwned>(body: Vec<u8>, path: &str) -> Result<T, AdapterError> {
    serde_json::from_slice(&body).map_err(|e| AdapterError::Malformed(format!("{path}: {e}")))
}

/// Runs one request step within the poll's deadline.
async fn within<T>(
    deadline: Instant,
    path: &str,
    step: impl Future<Output = Result<T, AdapterError>>,
) -> Result<T, AdapterError> {
    tokio::time::timeout_at(deadline, step)
        .await
        .map_err(|_| AdapterError::Unreachable(format!("{path} did not answer in time")))?
}

#[cfg(test)]
#[path = "mysterium_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "mysterium_login_tests.rs"]
mod login_tests;
