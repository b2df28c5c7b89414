//! The actor loop: idle → launch → run → (stopped | backoff | failed).

use std::process::ExitStatus;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::io::AsyncRead;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::Instant;

use super::backoff::{CrashTracker, Decision, jitter};
use super::launch::{self, LaunchPlan, RenderedProbe};
use super::logs::{LogLine, LogRing, RotatingFile, Stream};
use super::process::{self, Leftover};
use super::pump::{Ctl, describe_exit, pump_lines, waiter};
use super::state::{Command, CommandError, NodeState, NodeStatus, Reply};
use super::{SupervisorConfig, health};
use crate::adapter::Adapter;
use crate::model::now_millis;

enum Phase {
    Idle,
    Launch,
    Backoff(Instant),
    Exit,
}

/// How a run ended.
enum Ended {
    /// Stopped on request; `then` says whether the supervisor ends too.
    Stopped {
        shutdown: bool,
    },
    Crashed {
        reason: String,
        exit: Option<String>,
    },
    /// Could not start at all (bad settings, missing program): retrying will not help.
    Unstartable(String),
}

pub(super) struct Actor {
    cfg: SupervisorConfig,
    cmd_rx: mpsc::Receiver<Command>,
    status_tx: watch::Sender<NodeStatus>,
    logs: LogRing,
    file: Option<std::sync::mpsc::Sender<LogLine>>,
    tracker: CrashTracker,
    origin: Instant,
    restarts: u32,
    /// Replies owed once the current stop completes.
    owed: Vec<Reply>,
}

impl Actor {
    pub(super) fn new(
        cfg: SupervisorConfig,
        cmd_rx: mpsc::Receiver<Command>,
        status_tx: watch::Sender<NodeStatus>,
        logs: LogRing,
    ) -> Actor {
        let file = cfg.log_file.as_ref().map(|path| {
            let (tx, rx) = std::sync::mpsc::channel::<LogLine>();
            let mut f = RotatingFile::new(path, cfg.log_max_bytes);
            // A plain thread: file writes never block the async runtime.
            let _ = std::thread::Builder::new().name("node-log".into()).spawn(move || {
                while let Ok(line) = rx.recv() {
                    if let Err(e) = f.write_line(&line) {
                        tracing::warn!(error = %e, "cannot write the node log file");
                    }
                }
            });
            tx
        });
        let tracker = CrashTracker::new(cfg.policy);
        Actor {
            cfg,
            cmd_rx,
            status_tx,
            logs,
            file,
            tracker,
            origin: Instant::now(),
            restarts: 0,
            owed: Vec::new(),
        }
    }

    fn note(&self, text: &str) {
        let line = self.logs.push(Stream::Lightrig, text);
        if let Some(f) = &self.file {
            let _ = f.send(line);
        }
    }

    fn set_state(&mut self, state: NodeState, pid: Option<u32>) {
        let node_id = self.cfg.profile.id.clone();
        let at = now_millis();
        tracing::info!(node = %node_id, state = %state, "node state");
        self.note(&format!("state: {state}"));
        let recorder = self.cfg.recorder.clone();
        let recorded = state.clone();
        tokio::task::spawn_blocking(move || recorder.state_changed(&node_id, at, &recorded));
        let restarts = self.restarts;
        self.status_tx.send_modify(|s| {
            if !matches!(state, NodeState::Running { .. } | NodeState::Paused { .. }) {
                s.metrics = None;
                s.metrics_error = None;
            }
            s.state = state;
            s.pid = pid;
            s.restarts = restarts;
            s.updated_ms = at;
        });
    }

    fn pay_owed(&mut self, result: Result<(), CommandError>) {
        for r in self.owed.drain(..) {
            let _ = r.send(result.clone());
        }
    }

    pub(super) async fn run(mut self) {
        if let Some(pf) = self.cfg.pid_file.clone() {
            match process::reap_leftover(&pf, self.cfg.profile.stop.grace).await {
                Leftover::Stopped(rec) => {
                    let msg = format!(
                        "stopped a node left running by an earlier Lightrig (pid {}, {})",
                        rec.pid,
                        rec.exe.display()
                    );
                    tracing::warn!("{msg}");
                    self.note(&msg);
                }
                Leftover::Stale(rec) => tracing::debug!(pid = rec.pid, "pid file was stale"),
                Leftover::None => {}
            }
        }
        let mut phase = Phase::Idle;
        loop {
            phase = match phase {
                Phase::Idle => self.idle().await,
                Phase::Launch => self.launch_and_run().await,
                Phase::Backoff(until) => self.backoff(until).await,
                Phase::Exit => return,
            };
        }
    }

    async fn idle(&mut self) -> Phase {
        match self.cmd_rx.recv().await {
            None => Phase::Exit,
            Some(Command::Start(reply)) => {
                self.tracker.reset();
                self.restarts = 0;
                let _ = reply.send(Ok(()));
                Phase::Launch
            }
            Some(Command::Stop(reply)) => {
                let _ = reply.send(Ok(()));
                Phase::Idle
            }
            Some(Command::Pause(reply) | Command::Resume(reply)) => {
                let _ = reply.send(Err(CommandError::NotRunning));
                Phase::Idle
            }
            Some(Command::Shutdown(reply)) => {
                let _ = reply.send(Ok(()));
                Phase::Exit
            }
        }
    }

    async fn backoff(&mut self, until: Instant) -> Phase {
        tokio::select! {
            _ = tokio::time::sleep_until(until) => Phase::Launch,
            cmd = self.cmd_rx.recv() => match cmd {
                None => Phase::Exit,
                Some(Command::Start(reply)) => {
                    self.tracker.reset();
                    let _ = reply.send(Ok(()));
                    Phase::Launch
                }
                Some(Command::Stop(reply)) => {
                    self.set_state(NodeState::Stopped { reason: "stopped by you while waiting to restart".into() }, None);
                    let _ = reply.send(Ok(()));
                    Phase::Idle
                }
                Some(Command::Shutdown(reply)) => {
                    self.set_state(NodeState::Stopped { reason: "Lightrig is closing".into() }, None);
                    let _ = reply.send(Ok(()));
                    Phase::Exit
                }
                Some(Command::Pause(reply) | Command::Resume(reply)) => {
                    let _ = reply.send(Err(CommandError::NotRunning));
                    Phase::Backoff(until)
                }
            },
        }
    }

    async fn launch_and_run(&mut self) -> Phase {
        let attempt = self.tracker.attempt();
        self.set_state(NodeState::Starting { since_ms: now_millis(), attempt }, None);
        let ended = match self.make_plan().await {
            Ok(plan) => self.run_plan(plan).await,
            Err(e) => Ended::Unstartable(e.to_string()),
        };
        match ended {
            Ended::Stopped { shutdown } => {
                let reason = if shutdown { "Lightrig is closing" } else { "stopped by you" };
                self.set_state(NodeState::Stopped { reason: reason.into() }, None);
                self.pay_owed(Ok(()));
                if shutdown { Phase::Exit } else { Phase::Idle }
            }
            Ended::Unstartable(reason) => {
                self.set_state(
                    NodeState::Failed { reason, exit: None, last_lines: self.last_lines() },
                    None,
                );
                Phase::Idle
            }
            Ended::Crashed { reason, exit } => {
                let now = Instant::now().duration_since(self.origin);
                match self.tracker.crashed(now, jitter()) {
                    Decision::RetryAfter(delay) => {
                        self.restarts += 1;
                        let until_ms =
                            now_millis() + i64::try_from(delay.as_millis()).unwrap_or(i64::MAX);
                        self.set_state(
                            NodeState::Backoff {
                                until_ms,
                                attempt: self.tracker.attempt(),
                                reason,
                            },
                            None,
                        );
                        Phase::Backoff(Instant::now() + delay)
                    }
                    Decision::GiveUp => {
                        let n = self.tracker.recent(now);
                        let reason = format!(
                            "crashed {n} times in 10 minutes; last: {reason}. Check the log, then press Start to try again"
                        );
                        self.set_state(
                            NodeState::Failed { reason, exit, last_lines: self.last_lines() },
                            None,
                        );
                        Phase::Idle
                    }
                }
            }
        }
    }

    /// The launch plan. A real node's token fields come from the keychain (the same token for
    /// every run of this install), and so do its password fields (typed once by the user);
    /// keychain calls can block (D-Bus, an unlock prompt), so they run off the async threads.
    /// Without a reachable keychain the run still starts, with a token kept in memory for this
    /// run only and no saved password, and the log says why: nothing is ever written to a
    /// settings file instead. The practice node always gets a fresh token per run. A run's
    /// private files (XMRig's API token) go next to the pid file.
    async fn make_plan(&mut self) -> Result<LaunchPlan, launch::LaunchError> {
        let run_dir = self.cfg.pid_file.as_deref().and_then(|p| p.parent()).map(|p| p.to_owned());
        let without_store = |cfg: &SupervisorConfig| {
            launch::plan_in(
                &cfg.profile,
                &cfg.settings,
                cfg.bundled_dir.as_deref(),
                cfg.nodes_dir.as_deref(),
                None,
                run_dir.as_deref(),
            )
        };
        let store = match &self.cfg.secrets {
            Some(store) if !self.cfg.profile.simulated => store.clone(),
            _ => return without_store(&self.cfg),
        };
        let (profile, settings) = (self.cfg.profile.clone(), self.cfg.settings.clone());
        let (bundled, nodes) = (self.cfg.bundled_dir.clone(), self.cfg.nodes_dir.clone());
        let dir = run_dir.clone();
        let planned = tokio::task::spawn_blocking(move || {
            launch::plan_in(
                &profile,
                &settings,
                bundled.as_deref(),
                nodes.as_deref(),
                Some(&store),
                dir.as_deref(),
            )
        })
        .await;
        match planned {
            Ok(Err(launch::LaunchError::Secret(e))) => {
                self.note(&format!(
                    "{e}. This run's API token is kept in memory only and changes at each start, \
                     and a password saved for this node cannot be read."
                ));
                without_store(&self.cfg)
            }
            Ok(result) => result,
            Err(_) => without_store(&self.cfg),
        }
    }

    fn last_lines(&self) -> Vec<String> {
        self.logs
            .tail(20)
            .into_iter()
            .filter(|l| l.stream != Stream::Lightrig)
            .map(|l| l.text)
            .collect()
    }

    async fn run_plan(&mut self, plan: LaunchPlan) -> Ended {
        let grace = self.cfg.profile.stop.grace;
        // The adapter is built before the node starts, so a wrong status option stops the
        // start with a reason instead of leaving a node running that nobody can read.
        let adapter = match Adapter::for_run(&self.cfg.profile.id, plan.status.as_ref()) {
            Ok(a) => a,
            Err(e) => return Ended::Unstartable(e.to_string()),
        };
        if let Err(e) = launch::write_run_files(&plan) {
            launch::remove_run_files(&plan);
            return Ended::Unstartable(format!(
                "cannot write the node's private start-up file in {}: {e}; check that Lightrig's \
                 data folder is writable",
                plan.files_dir.as_deref().unwrap_or(std::path::Path::new("?")).display()
            ));
        }
        let (proc_, stdout, stderr) =
            match process::spawn(&plan, self.cfg.lifeline.as_deref(), grace) {
                Ok(x) => x,
                Err(e) => {
                    launch::remove_run_files(&plan);
                    return Ended::Unstartable(e.to_string());
                }
            };
        let pid = proc_.pid;
        self.note(&format!("started {} (pid {pid})", plan.program.display()));
        if let Some(pf) = &self.cfg.pid_file
            && let Err(e) = process::write_pid_file(pf, pid)
        {
            tracing::warn!(error = %e, "cannot write the pid file");
        }
        let log_seen = Arc::new(AtomicBool::new(false));
        let pattern = match &plan.health {
            RenderedProbe::Log(re) => Some(re.clone()),
            _ => None,
        };
        for (stream, reader) in [
            (Stream::Stdout, stdout.map(|s| Box::new(s) as Box<dyn AsyncRead + Unpin + Send>)),
            (Stream::Stderr, stderr.map(|s| Box::new(s) as Box<dyn AsyncRead + Unpin + Send>)),
        ] {
            if let Some(reader) = reader {
                tokio::spawn(pump_lines(
                    reader,
                    stream,
                    self.logs.clone(),
                    self.file.clone(),
                    plan.secrets.clone(),
                    pattern.clone(),
                    log_seen.clone(),
                ));
            }
        }
        let (exit_tx, mut exit_rx) = oneshot::channel();
        let (ctl_tx, ctl_rx) = mpsc::channel(4);
        tokio::spawn(waiter(proc_, ctl_rx, exit_tx));
        let ended = self.watch_run(&plan, adapter, pid, &ctl_tx, &mut exit_rx, &log_seen).await;
        launch::remove_run_files(&plan);
        if let Some(pf) = &self.cfg.pid_file {
            let _ = std::fs::remove_file(pf);
        }
        ended
    }

    async fn watch_run(
        &mut self,
        plan: &LaunchPlan,
        mut adapter: Adapter,
        pid: u32,
        ctl: &mpsc::Sender<Ctl>,
        exit_rx: &mut oneshot::Receiver<std::io::Result<ExitStatus>>,
        log_seen: &AtomicBool,
    ) -> Ended {
        let hc = self.cfg.profile.health.clone();
        let client = reqwest::Client::builder().no_proxy().build().unwrap_or_default();
        let poll_every =
            self.cfg.profile.status.as_ref().map_or(Duration::from_secs(5), |s| s.interval);
        let started = Instant::now();
        let mut running_since: Option<Instant> = None;
        let mut paused = false;
        let mut fails = 0u32;
        let mut unhealthy: Option<String> = None;
        let mut stopping: Option<bool> = None; // Some(shutdown?)
        let mut kill_at: Option<Instant> = None;
        let mut next_check = Instant::now() + Duration::from_millis(200);
        let mut next_poll = Instant::now();
        let mut cmd_open = true;

        loop {
            let checking = stopping.is_none() && unhealthy.is_none();
            let polling = checking && running_since.is_some();
            tokio::select! {
                res = &mut *exit_rx => {
                    let exit = match res {
                        Ok(Ok(status)) => Some(describe_exit(status)),
                        Ok(Err(e)) => Some(format!("could not be waited for: {e}")),
                        Err(_) => None,
                    };
                    if let Some(ok) = exit.as_deref() {
                        self.note(&format!("node {ok}"));
                    }
                    if let Some(shutdown) = stopping {
                        return Ended::Stopped { shutdown };
                    }
                    if let Some(since) = running_since {
                        self.tracker.healthy(since.elapsed());
                    }
                    let reason = match unhealthy.take() {
                        Some(u) => u,
                        None => format!("the node {}", exit.clone().unwrap_or_else(|| "ended".into())),
                    };
                    return Ended::Crashed { reason, exit };
                }
                cmd = self.cmd_rx.recv(), if cmd_open && stopping.is_none() => {
                    match cmd {
                        None => { cmd_open = false; stopping = Some(true); }
                        Some(Command::Stop(reply)) => { self.owed.push(reply); stopping = Some(false); }
                        Some(Command::Shutdown(reply)) => { self.owed.push(reply); stopping = Some(true); }
                        Some(Command::Start(reply)) => { let _ = reply.send(Ok(())); }
                        Some(Command::Pause(reply)) => {
                            let r = if running_since.is_none() || paused { Err(CommandError::NotRunning) } else {
                                adapter.pause().await.map_err(|e| CommandError::Adapter(e.to_string()))
                            };
                            if r.is_ok() {
                                paused = true;
                                self.set_state(NodeState::Paused { since_ms: now_millis(), reason: "paused by you".into() }, Some(pid));
                            }
                            let _ = reply.send(r);
                        }
                        Some(Command::Resume(reply)) => {
                            let r = if !paused { Err(CommandError::NotRunning) } else {
                                adapter.resume().await.map_err(|e| CommandError::Adapter(e.to_string()))
                            };
                            if r.is_ok() {
                                paused = false;
                                self.set_state(NodeState::Running { since_ms: now_millis() }, Some(pid));
                            }
                            let _ = reply.send(r);
                        }
                    }
                    if let Some(shutdown) = stopping {
                        let reason = if shutdown { "Lightrig is closing" } else { "stopped by you" };
                        self.set_state(NodeState::Stopping { reason: reason.into() }, Some(pid));
                        self.polite_stop(plan, &client, ctl).await;
                        kill_at = Some(Instant::now() + self.cfg.profile.stop.grace);
                    }
                }
                _ = tokio::time::sleep_until(next_check), if checking => {
                    let result = health::probe(&client, &plan.health, hc.timeout, log_seen.load(Ordering::Relaxed), started.elapsed(), hc.startup_grace).await;
                    match (running_since, result) {
                        (None, Ok(())) => {
                            running_since = Some(Instant::now());
                            self.set_state(NodeState::Running { since_ms: now_millis() }, Some(pid));
                            next_check = Instant::now() + hc.interval;
                            next_poll = Instant::now();
                        }
                        (None, Err(e)) => {
                            if started.elapsed() >= hc.startup_grace {
                                let reason = format!("did not become healthy within {} s ({e})", hc.startup_grace.as_secs());
                                self.note(&reason);
                                unhealthy = Some(reason);
                                let _ = ctl.send(Ctl::Kill).await;
                            } else {
                                next_check = Instant::now() + Duration::from_millis(500).min(hc.interval);
                            }
                        }
                        (Some(_), Ok(())) => { fails = 0; next_check = Instant::now() + hc.interval; }
                        (Some(_), Err(e)) => {
                            fails += 1;
                            self.note(&format!("health check failed ({fails}/{}): {e}", hc.failures));
                            if fails >= hc.failures {
                                let reason = format!("stopped answering its health check ({e})");
                                unhealthy = Some(reason);
                                let _ = ctl.send(Ctl::Kill).await;
                            }
                            next_check = Instant::now() + hc.interval;
                        }
                    }
                }
                _ = tokio::time::sleep_until(next_poll), if polling => {
                    next_poll = Instant::now() + poll_every;
                    self.poll(&mut adapter).await;
                }
                _ = async { match kill_at { Some(t) => tokio::time::sleep_until(t).await, None => std::future::pending().await } } => {
                    self.note(&format!("the node did not stop within {} s; ending its process tree", self.cfg.profile.stop.grace.as_secs()));
                    kill_at = None;
                    let _ = ctl.send(Ctl::Kill).await;
                }
            }
        }
    }

    async fn polite_stop(
        &self,
        plan: &LaunchPlan,
        client: &reqwest::Client,
        ctl: &mpsc::Sender<Ctl>,
    ) {
        if let launch::RenderedStop::HttpPost(url) = &plan.polite_stop {
            let sent = tokio::time::timeout(Duration::from_secs(2), client.post(url).send()).await;
            if matches!(sent, Ok(Ok(ref r)) if r.status().is_success()) {
                return;
            }
            self.note("the node's stop request failed; sending a termination signal");
        }
        let _ = ctl.send(Ctl::Terminate).await;
    }

    async fn poll(&mut self, adapter: &mut Adapter) {
        match adapter.poll().await {
            Ok(Some(poll)) => {
                if !poll.rewards.is_empty() {
                    let recorder = self.cfg.recorder.clone();
                    let rewards = poll.rewards;
                    let res = tokio::task::spawn_blocking(move || recorder.rewards(&rewards)).await;
                    match res {
                        Ok(Ok(())) => {}
                        Ok(Err(e)) => tracing::error!(error = %e, "rewards could not be recorded"),
                        Err(e) => tracing::error!(error = %e, "reward recording task failed"),
                    }
                }
                self.status_tx.send_modify(|s| {
                    s.metrics = Some(poll.metrics);
                    s.metrics_error = None;
                    s.updated_ms = now_millis();
                });
            }
            Ok(None) => {}
            Err(e) => {
                let msg = e.to_string();
                let changed =
                    self.status_tx.borrow().metrics_error.as_deref() != Some(msg.as_str());
                if changed {
                    self.note(&format!("status: {msg}"));
                }
                self.status_tx.send_modify(|s| {
                    s.metrics = None;
                    s.metrics_error = Some(msg);
                    s.updated_ms = now_millis();
                });
            }
        }
    }
}

#[cfg(test)]
#[path = "run_secret_tests.rs"]
mod secret_tests;
