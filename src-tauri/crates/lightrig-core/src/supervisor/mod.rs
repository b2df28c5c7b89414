//! One supervisor actor per node. Commands come in over an mpsc channel, the status goes out
//! over a watch channel; nothing else in Lightrig starts or kills node processes.
//!
//! The contract (each clause has a test in `tests/engine`):
//! - the node runs in its own process group (Unix) or a kill-on-close Job object (Windows);
//! - it is Running only once its health check passes;
//! - stop = polite request, a grace period, then the whole tree is killed; afterwards no
//!   process of the tree remains;
//! - only an abnormal exit restarts it, with full-jitter exponential backoff (1 s to 5 min,
//!   reset after 10 min healthy); more than 5 crashes in 10 min gives Failed;
//! - if Lightrig itself dies, the lifeline (Unix) or the Job object (Windows) ends the tree,
//!   and the next start stops a leftover recorded in the pid file.

pub mod backoff;
mod health;
pub mod launch;
pub mod logs;
pub mod process;
mod pump;
mod run;
mod state;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot, watch};

pub use backoff::CrashPolicy;
pub use logs::{LogLine, LogRing, Stream};
pub use state::{Command, CommandError, NoRecorder, NodeState, NodeStatus, Recorder};

use crate::profile::{FieldValue, Profile};

/// Everything one supervisor needs.
#[derive(Debug, Clone)]
pub struct SupervisorConfig {
    pub profile: Profile,
    pub settings: BTreeMap<String, FieldValue>,
    /// Where bundled node programs are (default: next to Lightrig's own executable).
    pub bundled_dir: Option<PathBuf>,
    /// The installer's folder (`installer::nodes_dir`): installed programs, and the recorded
    /// hashes every program is checked against before it starts. `None`: nothing is recorded.
    pub nodes_dir: Option<PathBuf>,
    /// The `lightrig-lifeline` program (Unix). `None` only where another mechanism guards
    /// against orphans (Windows Job objects).
    pub lifeline: Option<PathBuf>,
    pub pid_file: Option<PathBuf>,
    pub log_file: Option<PathBuf>,
    pub log_max_bytes: u64,
    pub log_ring_lines: usize,
    pub policy: CrashPolicy,
    pub recorder: Arc<dyn Recorder>,
    /// The OS keychain, for token fields that must stay the same across runs (a real node's
    /// API token is generated once per install). `None`: a fresh token for each run.
    pub secrets: Option<Arc<crate::secret::SecretStore>>,
}

impl SupervisorConfig {
    pub fn new(profile: Profile) -> Self {
        SupervisorConfig {
            profile,
            settings: BTreeMap::new(),
            bundled_dir: None,
            nodes_dir: None,
            // On Unix a missing lifeline is an error at start, never a silent downgrade.
            lifeline: if cfg!(unix) { Some(default_lifeline()) } else { None },
            pid_file: None,
            log_file: None,
            log_max_bytes: 5 * 1024 * 1024,
            log_ring_lines: 2000,
            policy: CrashPolicy::default(),
            recorder: Arc::new(NoRecorder),
            secrets: None,
        }
    }
}

fn default_lifeline() -> PathBuf {
    launch::sibling_binary("lightrig-lifeline").unwrap_or_else(|| {
        let dir = std::env::current_exe().ok().and_then(|e| e.parent().map(PathBuf::from));
        dir.unwrap_or_default().join("lightrig-lifeline")
    })
}

/// The handle the engine and front ends hold. Cloning it is cheap; when the last clone is
/// dropped the supervisor stops its node and ends.
#[derive(Debug, Clone)]
pub struct SupervisorHandle {
    cmd: mpsc::Sender<Command>,
    status: watch::Receiver<NodeStatus>,
    logs: LogRing,
}

impl SupervisorHandle {
    /// Starts the actor on the current tokio runtime. It first stops any leftover node from an
    /// earlier run recorded in the pid file.
    pub fn spawn(config: SupervisorConfig) -> SupervisorHandle {
        let (cmd_tx, cmd_rx) = mpsc::channel(32);
        let logs = LogRing::new(config.log_ring_lines);
        let initial = NodeStatus {
            node_id: config.profile.id.clone(),
            profile_name: config.profile.name.clone(),
            simulated: config.profile.simulated,
            state: NodeState::Stopped { reason: "not started yet".into() },
            pid: None,
            restarts: 0,
            metrics: None,
            metrics_error: None,
            updated_ms: crate::model::now_millis(),
        };
        let (status_tx, status_rx) = watch::channel(initial);
        tokio::spawn(run::Actor::new(config, cmd_rx, status_tx, logs.clone()).run());
        SupervisorHandle { cmd: cmd_tx, status: status_rx, logs }
    }

    async fn send(&self, make: impl FnOnce(state::Reply) -> Command) -> Result<(), CommandError> {
        let (tx, rx) = oneshot::channel();
        self.cmd.send(make(tx)).await.map_err(|_| CommandError::Gone)?;
        rx.await.map_err(|_| CommandError::Gone)?
    }

    /// Starts the node (from Stopped, Failed or Backoff). Returns once the start is under
    /// way; watch the status for Running.
    pub async fn start(&self) -> Result<(), CommandError> {
        self.send(Command::Start).await
    }

    /// Stops the node; returns once no process of its tree remains.
    pub async fn stop(&self) -> Result<(), CommandError> {
        self.send(Command::Stop).await
    }

    pub async fn pause(&self) -> Result<(), CommandError> {
        self.send(Command::Pause).await
    }

    pub async fn resume(&self) -> Result<(), CommandError> {
        self.send(Command::Resume).await
    }

    /// Stops the node and ends the supervisor.
    pub async fn shutdown(&self) -> Result<(), CommandError> {
        self.send(Command::Shutdown).await
    }

    pub fn status(&self) -> NodeStatus {
        self.status.borrow().clone()
    }

    /// A receiver that sees every status change (the UI's and the CLI's live view).
    pub fn watch(&self) -> watch::Receiver<NodeStatus> {
        self.status.clone()
    }

    pub fn logs(&self) -> &LogRing {
        &self.logs
    }
}
