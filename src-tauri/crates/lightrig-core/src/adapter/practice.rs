//! The practice node's status API: `GET /status?since=N`, `POST /pause`, `POST /resume`.

use std::time::Duration;

use serde::Deserialize;

use super::{AdapterError, NodeMetrics, Poll, read_capped};
use crate::model::{Asset, Reward, RewardState, WorkRate};
use crate::secret::Sensitive;

const BODY_CAP: usize = 1024 * 1024;
const TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug)]
pub struct PracticeAdapter {
    node_id: String,
    base: String,
    token: Option<Sensitive<String>>,
    client: reqwest::Client,
    run_id: Option<String>,
    /// Highest reward number already handed to the ledger for `run_id`.
    seen: u64,
}

#[derive(Debug, Deserialize)]
struct Status {
    simulated: bool,
    run_id: String,
    uptime_secs: u64,
    paused: bool,
    threads: u32,
    hashrate: Hashrate,
    total_hashes: u64,
    shares: Shares,
    rewards: Rewards,
}

#[derive(Debug, Deserialize)]
struct Hashrate {
    #[serde(rename = "10s")]
    s10: Option<f64>,
    #[serde(rename = "60s")]
    s60: Option<f64>,
    #[serde(rename = "15m")]
    m15: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct Shares {
    accepted: u64,
}

#[derive(Debug, Deserialize)]
struct Rewards {
    asset: String,
    decimals: u8,
    items: Vec<Item>,
}

#[derive(Debug, Deserialize)]
struct Item {
    id: String,
    at_ms: i64,
    atomic: u64,
}

fn rate(v: Option<f64>) -> Option<WorkRate> {
    // NaN, infinities and negative rates are not believable: report "not available".
    v.filter(|x| x.is_finite() && *x >= 0.0).map(|value| WorkRate { value, unit: "H/s".into() })
}

impl PracticeAdapter {
    pub fn new(node_id: &str, base: &str, token: Option<Sensitive<String>>) -> Self {
        let client =
            reqwest::Client::builder().timeout(TIMEOUT).no_proxy().build().unwrap_or_default();
        PracticeAdapter {
            node_id: node_id.to_owned(),
            base: base.trim_end_matches('/').to_owned(),
            token,
            client,
            run_id: None,
            seen: 0,
        }
    }

    fn auth(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(t) => req.bearer_auth(t.expose()),
            None => req,
        }
    }

    pub async fn poll(&mut self) -> Result<Poll, AdapterError> {
        let url = format!("{}/status?since={}", self.base, self.seen);
        let res = self
            .auth(self.client.get(&url))
            .send()
            .await
            .map_err(|e| AdapterError::Unreachable(e.to_string()))?;
        if !res.status().is_success() {
            return Err(AdapterError::Refused(res.status().to_string()));
        }
        let body = read_capped(res, BODY_CAP).await?;
        let st: Status =
            serde_json::from_slice(&body).map_err(|e| AdapterError::Malformed(e.to_string()))?;
        if !st.simulated {
            return Err(AdapterError::Malformed(
                "the practice node must report simulated rewards".into(),
            ));
        }
        if self.run_id.as_deref() != Some(st.run_id.as_str()) {
            self.run_id = Some(st.run_id.clone());
            self.seen = 0;
        }
        let asset = Asset { code: st.rewards.asset.clone(), decimals: st.rewards.decimals.min(18) };
        let mut rewards = Vec::new();
        for item in st.rewards.items {
            let n = item.id.rsplit('-').next().and_then(|n| n.parse::<u64>().ok());
            let Some(n) = n else { continue };
            if n <= self.seen || !item.id.starts_with(&st.run_id) {
                continue;
            }
            self.seen = self.seen.max(n);
            rewards.push(Reward {
                node_id: self.node_id.clone(),
                key: format!("practice:{}", item.id),
                at: item.at_ms,
                asset: asset.clone(),
                atomic: i128::from(item.atomic),
                state: RewardState::Pending,
                source: "practice node /status".into(),
                simulated: true,
            });
        }
        let metrics = NodeMetrics {
            at_ms: crate::model::now_millis(),
            work_rate: rate(st.hashrate.s10),
            work_rate_60s: rate(st.hashrate.s60),
            work_rate_15m: rate(st.hashrate.m15),
            total_work: Some(st.total_hashes),
            shares_accepted: Some(st.shares.accepted),
            threads: Some(st.threads),
            paused: Some(st.paused),
            uptime_secs: Some(st.uptime_secs),
            simulated: true,
            ..NodeMetrics::default()
        };
        Ok(Poll { metrics, rewards })
    }

    pub fn can_pause(&self) -> bool {
        true
    }

    pub async fn pause(&mut self) -> Result<(), AdapterError> {
        self.command("pause").await
    }

    pub async fn resume(&mut self) -> Result<(), AdapterError> {
        self.command("resume").await
    }

    pub async fn command(&self, what: &str) -> Result<(), AdapterError> {
        let url = format!("{}/{what}", self.base);
        let res = self
            .auth(self.client.post(&url))
            .send()
            .await
            .map_err(|e| AdapterError::Unreachable(e.to_string()))?;
        if res.status().is_success() {
            Ok(())
        } else {
            Err(AdapterError::Refused(res.status().to_string()))
        }
    }
}
