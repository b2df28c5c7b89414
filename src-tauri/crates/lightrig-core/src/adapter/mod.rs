//! Adapters are the only code that knows a node's API. Everything above them sees one
//! vocabulary: work rate with its unit, shares, rewards with their state, paused or not.

mod custom;
#[cfg(test)]
pub(crate) mod fake;
mod monerod;
mod mysterium;
mod p2pool;
mod practice;
mod storj;
mod xmrig;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Reward, UnixMillis, WorkRate};
use crate::profile::AdapterKind;
use crate::secret::Sensitive;
use crate::supervisor::launch::RenderedStatus;

pub use custom::CustomAdapter;
pub use monerod::MonerodAdapter;
pub use mysterium::MysteriumAdapter;
pub use p2pool::P2poolAdapter;
pub use practice::PracticeAdapter;
pub use storj::StorjAdapter;
pub use xmrig::{
    XMRIG_MAX_DONATE_LEVEL, XMRIG_MAX_THREADS, XMRIG_MIN_DONATE_LEVEL, XmrigAdapter, XmrigApiAuth,
    XmrigSettings, effective_donate_level, xmrig_args, xmrig_http_config,
};

/// What an adapter is given for one run of its node: the rendered `[status]` section of the
/// profile. `url` is already checked to be on loopback.
#[derive(Debug, Clone)]
pub struct AdapterConfig {
    pub node_id: String,
    pub url: Option<String>,
    pub token: Option<Sensitive<String>>,
    pub options: BTreeMap<String, String>,
}

/// Network-wide figures a node exposes (Monero: difficulty and block reward), used by the
/// yield estimate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
pub struct NetworkInfo {
    /// Ticker of the chain, e.g. "XMR".
    pub asset: String,
    pub height: Option<u64>,
    /// Network difficulty (hashes per block on average). Stored as f64 for the UI; Monero's
    /// fits exactly well beyond today's values.
    pub difficulty: Option<f64>,
    /// Reward of the last block, in atomic units (piconero).
    #[ts(type = "number | null")]
    pub block_reward_atomic: Option<u64>,
    /// Average seconds between blocks (120 for Monero).
    pub block_time_secs: Option<u32>,
}

/// The pool's side of a miner's work: P2Pool's PPLNS window and what a found block would pay.
/// Each figure is `None` ("not available") when P2Pool's files do not give it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
pub struct PoolInfo {
    /// Ticker of what the pool pays, e.g. "XMR".
    pub asset: String,
    /// Hashes one share needs on average (P2Pool's side-chain difficulty).
    pub share_difficulty: Option<f64>,
    /// Shares (side-chain blocks) in the PPLNS window, everyone's.
    #[ts(type = "number | null")]
    pub window_size: Option<u64>,
    /// Your part of the window's payout weight, in percent (0 to 100), as P2Pool reports it.
    pub window_share_percent: Option<f64>,
    /// About how many of the window's shares are yours: your percent of the window's size
    /// (P2Pool does not write the count). An estimate, since shares differ in difficulty, and
    /// fractional: below 1 means less than one share's worth.
    pub window_shares_estimate: Option<f64>,
    /// Average seconds to find one share at your work rate (share difficulty ÷ H/s).
    pub expected_share_secs: Option<f64>,
    /// What a block found by the pool now would pay you, in atomic units of `asset`: the
    /// network's block reward times your percent of the window. An estimate.
    #[ts(type = "number | null")]
    pub payout_per_block_atomic: Option<u64>,
    /// The whole pool's work rate.
    pub pool_rate: Option<WorkRate>,
}

/// What a node reports about its work, in the engine's vocabulary. A figure the node did not
/// give, or gave in a form we could not trust, is `None` ("not available"), never 0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
pub struct NodeMetrics {
    pub at_ms: UnixMillis,
    /// Work rate over the shortest window the node reports (10 s for the practice node).
    pub work_rate: Option<WorkRate>,
    pub work_rate_60s: Option<WorkRate>,
    pub work_rate_15m: Option<WorkRate>,
    /// Total work done by this run of the node (hashes for miners).
    pub total_work: Option<u64>,
    pub shares_accepted: Option<u64>,
    pub threads: Option<u32>,
    pub paused: Option<bool>,
    pub uptime_secs: Option<u64>,
    /// True when the rewards are simulated (practice node).
    pub simulated: bool,
    /// How far the node has synced its chain, 0.0 to 1.0, where the node reports it.
    pub sync_progress: Option<f64>,
    /// Network-wide figures, where the node exposes them.
    pub network: Option<NetworkInfo>,
    /// The pool's figures (P2Pool), where the node exposes them.
    pub pool: Option<PoolInfo>,
    /// Things the user can fix, in plain words (e.g. "huge pages are not allocated: ...").
    pub hints: Vec<String>,
}

/// One poll's result: metrics, plus rewards not seen before (the ledger still dedupes by key).
#[derive(Debug, Clone, Default)]
pub struct Poll {
    pub metrics: NodeMetrics,
    pub rewards: Vec<Reward>,
}

#[derive(Debug, thiserror::Error)]
pub enum AdapterError {
    #[error("the node's API did not answer: {0}")]
    Unreachable(String),
    #[error("the node's API answered with something Lightrig cannot read: {0}")]
    Malformed(String),
    #[error("the node's API refused the request: {0}")]
    Refused(String),
    #[error("this node cannot pause; stop it instead")]
    Unsupported,
    #[error("the profile's status settings are wrong: {0}")]
    Config(String),
}

/// The adapter for one run of a node.
#[derive(Debug)]
pub enum Adapter {
    Practice(PracticeAdapter),
    Xmrig(XmrigAdapter),
    P2pool(P2poolAdapter),
    Monerod(MonerodAdapter),
    Storj(StorjAdapter),
    Mysterium(MysteriumAdapter),
    Custom(CustomAdapter),
    /// A node Lightrig supervises but cannot read (a custom command).
    None,
}

/// Calls the same method on whichever adapter this is.
macro_rules! each {
    ($self:ident, $a:ident => $e:expr, none => $n:expr) => {
        match $self {
            Adapter::Practice($a) => $e,
            Adapter::Xmrig($a) => $e,
            Adapter::P2pool($a) => $e,
            Adapter::Monerod($a) => $e,
            Adapter::Storj($a) => $e,
            Adapter::Mysterium($a) => $e,
            Adapter::Custom($a) => $e,
            Adapter::None => $n,
        }
    };
}

impl Adapter {
    /// Builds the adapter a profile asks for. A profile whose adapter options are wrong is an
    /// error the user sees before the node starts.
    pub fn for_run(
        node_id: &str,
        status: Option<&RenderedStatus>,
    ) -> Result<Adapter, AdapterError> {
        let Some(s) = status else { return Ok(Adapter::None) };
        let cfg = AdapterConfig {
            node_id: node_id.to_owned(),
            url: s.url.clone(),
            token: s.token.clone(),
            options: s.options.clone(),
        };
        Ok(match s.adapter {
            AdapterKind::Practice => match &cfg.url {
                Some(url) => Adapter::Practice(PracticeAdapter::new(node_id, url, cfg.token)),
                None => Adapter::None,
            },
            AdapterKind::Xmrig => Adapter::Xmrig(XmrigAdapter::new(&cfg)?),
            AdapterKind::P2pool => Adapter::P2pool(P2poolAdapter::new(&cfg)?),
            AdapterKind::Monerod => Adapter::Monerod(MonerodAdapter::new(&cfg)?),
            AdapterKind::Storj => Adapter::Storj(StorjAdapter::new(&cfg)?),
            AdapterKind::Mysterium => Adapter::Mysterium(MysteriumAdapter::new(&cfg)?),
            AdapterKind::Custom => Adapter::Custom(CustomAdapter::new(&cfg)?),
            AdapterKind::None => Adapter::None,
        })
    }

    pub fn can_pause(&self) -> bool {
        each!(self, a => a.can_pause(), none => false)
    }

    pub async fn poll(&mut self) -> Result<Option<Poll>, AdapterError> {
        each!(self, a => a.poll().await.map(Some), none => Ok(None))
    }

    pub async fn pause(&mut self) -> Result<(), AdapterError> {
        each!(self, a => a.pause().await, none => Err(AdapterError::Unsupported))
    }

    pub async fn resume(&mut self) -> Result<(), AdapterError> {
        each!(self, a => a.resume().await, none => Err(AdapterError::Unsupported))
    }
}

/// Reads a response body up to `cap` bytes; a larger (or endless) body is an error, not a
/// memory spike.
pub(crate) async fn read_capped(
    mut res: reqwest::Response,
    cap: usize,
) -> Result<Vec<u8>, AdapterError> {
    if res.content_length().is_some_and(|n| n > cap as u64) {
        return Err(AdapterError::Malformed(format!("answer larger than {cap} bytes")));
    }
    let mut body = Vec::new();
    while let Some(chunk) =
        res.chunk().await.map_err(|e| AdapterError::Unreachable(e.to_string()))?
    {
        if body.len() + chunk.len() > cap {
            return Err(AdapterError::Malformed(format!("answer larger than {cap} bytes")));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
