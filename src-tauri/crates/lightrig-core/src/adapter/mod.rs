//! Adapters are the only code that knows a node's API. Everything above them sees one
//! vocabulary: work rate with its unit, shares, rewards with their state, paused or not.

mod practice;

use serde::Serialize;

use crate::model::{Reward, UnixMillis, WorkRate};
use crate::profile::AdapterKind;
use crate::supervisor::launch::RenderedStatus;

pub use practice::PracticeAdapter;

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
}

/// The adapter for one run of a node.
#[derive(Debug)]
pub enum Adapter {
    Practice(PracticeAdapter),
    /// A node Lightrig supervises but cannot read (a custom command).
    None,
}

impl Adapter {
    pub fn for_run(node_id: &str, status: Option<&RenderedStatus>) -> Adapter {
        match status {
            Some(s) if s.adapter == AdapterKind::Practice => match (&s.url, &s.token) {
                (Some(url), token) => {
                    Adapter::Practice(PracticeAdapter::new(node_id, url, token.clone()))
                }
                _ => Adapter::None,
            },
            _ => Adapter::None,
        }
    }

    pub fn can_pause(&self) -> bool {
        matches!(self, Adapter::Practice(_))
    }

    pub async fn poll(&mut self) -> Result<Option<Poll>, AdapterError> {
        match self {
            Adapter::Practice(a) => a.poll().await.map(Some),
            Adapter::None => Ok(None),
        }
    }

    pub async fn pause(&mut self) -> Result<(), AdapterError> {
        match self {
            Adapter::Practice(a) => a.command("pause").await,
            Adapter::None => Err(AdapterError::Unsupported),
        }
    }

    pub async fn resume(&mut self) -> Result<(), AdapterError> {
        match self {
            Adapter::Practice(a) => a.command("resume").await,
            Adapter::None => Err(AdapterError::Unsupported),
        }
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
