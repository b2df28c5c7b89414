//! The supervisor's public vocabulary: states (each with its reason), status, commands, and
//! the recorder through which it reports to the ledger.

use std::fmt;

use serde::Serialize;
use tokio::sync::oneshot;

use crate::adapter::NodeMetrics;
use crate::model::{Reward, UnixMillis};

/// Where a node is in its life. Every state carries the reason a person would ask for.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum NodeState {
    Stopped { reason: String },
    Starting { since_ms: UnixMillis, attempt: u32 },
    Running { since_ms: UnixMillis },
    Paused { since_ms: UnixMillis, reason: String },
    Stopping { reason: String },
    Backoff { until_ms: UnixMillis, attempt: u32, reason: String },
    Failed { reason: String, exit: Option<String>, last_lines: Vec<String> },
}

impl NodeState {
    pub fn name(&self) -> &'static str {
        match self {
            NodeState::Stopped { .. } => "stopped",
            NodeState::Starting { .. } => "starting",
            NodeState::Running { .. } => "running",
            NodeState::Paused { .. } => "paused",
            NodeState::Stopping { .. } => "stopping",
            NodeState::Backoff { .. } => "backoff",
            NodeState::Failed { .. } => "failed",
        }
    }

    /// The reason carried by the state, if any.
    pub fn reason(&self) -> Option<&str> {
        match self {
            NodeState::Stopped { reason }
            | NodeState::Paused { reason, .. }
            | NodeState::Stopping { reason }
            | NodeState::Backoff { reason, .. }
            | NodeState::Failed { reason, .. } => Some(reason),
            NodeState::Starting { .. } | NodeState::Running { .. } => None,
        }
    }
}

impl fmt::Display for NodeState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeState::Starting { attempt, .. } if *attempt > 0 => {
                write!(f, "starting (attempt {})", attempt + 1)
            }
            NodeState::Backoff { until_ms, reason, .. } => {
                let secs = (until_ms - crate::model::now_millis()).max(0) / 1000;
                write!(f, "backoff: {reason}; retry in {secs} s")
            }
            other => match other.reason() {
                Some(r) => write!(f, "{}: {r}", other.name()),
                None => f.write_str(other.name()),
            },
        }
    }
}

/// What the UI and the CLI show: the state and the latest figures.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct NodeStatus {
    pub node_id: String,
    pub profile_name: String,
    pub simulated: bool,
    pub state: NodeState,
    pub pid: Option<u32>,
    /// Restarts after crashes since the user last pressed Start.
    pub restarts: u32,
    pub metrics: Option<NodeMetrics>,
    /// Why the last status poll gave no figures, if it failed.
    pub metrics_error: Option<String>,
    pub updated_ms: UnixMillis,
}

/// Why a command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error("the node is not running")]
    NotRunning,
    #[error("{0}")]
    Adapter(String),
    #[error("the supervisor has shut down")]
    Gone,
}

impl CommandError {
    pub fn code(&self) -> &'static str {
        match self {
            CommandError::NotRunning => "node.not_running",
            CommandError::Adapter(_) => "node.adapter",
            CommandError::Gone => "node.gone",
        }
    }
}

pub type Reply = oneshot::Sender<Result<(), CommandError>>;

#[derive(Debug)]
pub enum Command {
    Start(Reply),
    /// Replies once the whole tree is gone.
    Stop(Reply),
    Pause(Reply),
    Resume(Reply),
    /// Stop, then end the supervisor. Replies once the tree is gone.
    Shutdown(Reply),
}

/// Where the supervisor reports what must be remembered. The engine implements it over the
/// ledger; `rewards` must be durable when it returns.
pub trait Recorder: Send + Sync + fmt::Debug + 'static {
    fn state_changed(&self, node_id: &str, at_ms: UnixMillis, state: &NodeState);
    fn rewards(&self, rewards: &[Reward]) -> Result<(), String>;
}

/// A recorder that keeps nothing (tests and one-off runs).
#[derive(Debug, Default)]
pub struct NoRecorder;

impl Recorder for NoRecorder {
    fn state_changed(&self, _: &str, _: UnixMillis, _: &NodeState) {}
    fn rewards(&self, _: &[Reward]) -> Result<(), String> {
        Ok(())
    }
}
