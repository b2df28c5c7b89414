//! Starting and ending a node's whole process tree.
//!
//! - Unix: the node leads its own process group, so the tree is signalled as one. A small
//!   companion, `lightrig-lifeline`, holds a pipe from us; if we die in any way (even SIGKILL)
//!   the pipe closes and it ends the group. The pid file lets the next start recognise a
//!   leftover by pid + executable + start time, never by name.
//! - Windows: the node is created suspended inside a Job object with kill-on-close, then
//!   resumed (process-wrap does this), so closing our handle, however we exit, ends the tree.

use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use process_wrap::tokio::{ChildWrapper, CommandWrap, KillOnDrop};
use serde::{Deserialize, Serialize};
use tokio::process::{ChildStderr, ChildStdout};

use super::launch::LaunchPlan;

/// A running node tree.
#[derive(Debug)]
pub struct NodeProcess {
    pub pid: u32,
    child: Box<dyn ChildWrapper>,
    #[cfg(unix)]
    lifeline: Option<tokio::process::Child>,
}

#[derive(Debug, thiserror::Error)]
pub enum SpawnError {
    #[error("could not start {program}: {source}")]
    Start { program: String, source: std::io::Error },
    #[error("the node started but reported no process id")]
    NoPid,
    #[error(
        "lightrig-lifeline, which makes sure no node outlives Lightrig, is missing at {0}: reinstall Lightrig"
    )]
    LifelineMissing(PathBuf),
    #[error("could not start lightrig-lifeline: {0}")]
    Lifeline(std::io::Error),
}

/// Spawns the node from `plan` with piped stdout/stderr and no stdin.
pub fn spawn(
    plan: &LaunchPlan,
    lifeline: Option<&Path>,
    grace: Duration,
) -> Result<(NodeProcess, Option<ChildStdout>, Option<ChildStderr>), SpawnError> {
    #[cfg(unix)]
    if let Some(l) = lifeline
        && !l.is_file()
    {
        return Err(SpawnError::LifelineMissing(l.to_owned()));
    }
    let mut cmd = CommandWrap::with_new(&plan.program, |c| {
        c.args(&plan.args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(false);
        for (k, v) in &plan.env {
            c.env(k, v.expose());
        }
    });
    #[cfg(unix)]
    cmd.wrap(process_wrap::tokio::ProcessGroup::leader());
    #[cfg(windows)]
    {
        use windows::Win32::System::Threading::{CREATE_NEW_PROCESS_GROUP, CREATE_NO_WINDOW};
        // No console window for the node, and its own console process group so CTRL_BREAK
        // can be aimed at it alone.
        cmd.wrap(process_wrap::tokio::JobObject);
        cmd.wrap(process_wrap::tokio::CreationFlags(CREATE_NO_WINDOW | CREATE_NEW_PROCESS_GROUP));
    }
    cmd.wrap(KillOnDrop);
    let mut child = cmd.spawn().map_err(|source| SpawnError::Start {
        program: plan.program.display().to_string(),
        source,
    })?;
    let pid = child.id().ok_or(SpawnError::NoPid)?;
    let stdout = child.stdout().take();
    let stderr = child.stderr().take();
    #[cfg(unix)]
    let lifeline = match lifeline {
        Some(path) => match spawn_lifeline(path, pid, grace) {
            Ok(l) => Some(l),
            Err(e) => {
                let _ = child.start_kill();
                return Err(SpawnError::Lifeline(e));
            }
        },
        None => None,
    };
    #[cfg(not(unix))]
    let _ = (lifeline, grace);
    Ok((
        NodeProcess {
            pid,
            child,
            #[cfg(unix)]
            lifeline,
        },
        stdout,
        stderr,
    ))
}

#[cfg(unix)]
fn spawn_lifeline(
    path: &Path,
    pgid: u32,
    grace: Duration,
) -> std::io::Result<tokio::process::Child> {
    let mut c = tokio::process::Command::new(path);
    c.arg(pgid.to_string())
        .arg(grace.as_millis().to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Its own group: a Ctrl-C in the terminal must reach us (to stop politely), not it.
        .process_group(0)
        .kill_on_drop(true);
    c.spawn()
}

impl NodeProcess {
    /// Waits for the node to exit; after the node itself exits, the rest of its group is
    /// killed so no grandchild lingers.
    pub async fn wait(&mut self) -> std::io::Result<ExitStatus> {
        let status = self.child.wait().await;
        self.kill_tree();
        status
    }

    /// The polite request: SIGTERM to the whole group (CTRL_BREAK on Windows).
    pub fn terminate(&self) {
        #[cfg(unix)]
        signal_group(self.pid, libc::SIGTERM);
        #[cfg(windows)]
        // SAFETY: plain FFI call with the console process group we created for the node.
        // Best effort: it reaches the node only when both share a console; otherwise the
        // grace period runs out and the Job object ends the tree.
        unsafe {
            let _ = windows::Win32::System::Console::GenerateConsoleCtrlEvent(
                windows::Win32::System::Console::CTRL_BREAK_EVENT,
                self.pid,
            );
        }
    }

    /// Kills the whole tree at once (SIGKILL to the group; TerminateJobObject on Windows).
    pub fn kill_tree(&mut self) {
        #[cfg(unix)]
        signal_group(self.pid, libc::SIGKILL);
        #[cfg(not(unix))]
        let _ = self.child.start_kill();
    }

    /// After the tree is gone: release the lifeline (it would find an empty group anyway).
    pub async fn release(&mut self) {
        #[cfg(unix)]
        if let Some(mut l) = self.lifeline.take() {
            let _ = l.start_kill();
            let _ = l.wait().await;
        }
    }
}

/// Sends `sig` to process group `pgid`; a group that no longer exists is not an error.
#[cfg(unix)]
pub fn signal_group(pgid: u32, sig: i32) {
    let Ok(pgid) = i32::try_from(pgid) else { return };
    if pgid <= 1 {
        return;
    }
    // SAFETY: killpg has no memory-safety preconditions; pgid > 1 never targets init or us.
    unsafe {
        libc::killpg(pgid, sig);
    }
}

/// True while any live (non-zombie) process remains in group `pgid`.
#[cfg(unix)]
pub fn group_alive(pgid: u32) -> bool {
    let Ok(p) = i32::try_from(pgid) else { return false };
    // SAFETY: signal 0 only checks for existence.
    let exists = unsafe { libc::killpg(p, 0) } == 0;
    if !exists {
        return false;
    }
    #[cfg(target_os = "linux")]
    {
        // Zombies still count for killpg until their parent reaps them; they run nothing.
        if let Ok(dir) = std::fs::read_dir("/proc") {
            for e in dir.flatten() {
                let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                    continue;
                };
                if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
                    // Fields after the ")" of the command name: state ppid pgrp ...
                    if let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) {
                        let f: Vec<&str> = rest.split_whitespace().collect();
                        if f.len() > 2 && f[2] == p.to_string() && f[0] != "Z" && f[0] != "X" {
                            return true;
                        }
                    }
                }
            }
        }
        false
    }
    #[cfg(not(target_os = "linux"))]
    true
}

/// What the pid file records about a running node: enough to recognise it after a crash
/// without ever matching by name (a user's own, separately run miner is never touched).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PidRecord {
    pub pid: u32,
    pub exe: PathBuf,
    /// Process start time in seconds since the epoch, as the OS reports it.
    pub start_time: u64,
}

pub fn write_pid_file(path: &Path, pid: u32) -> std::io::Result<Option<PidRecord>> {
    let Some((exe, start_time)) = process_identity(pid) else { return Ok(None) };
    let rec = PidRecord { pid, exe, start_time };
    let json = serde_json::to_vec(&rec).map_err(std::io::Error::other)?;
    crate::paths::write_atomic(path, &json)?;
    Ok(Some(rec))
}

/// The executable and start time of `pid`, if it exists.
pub fn process_identity(pid: u32) -> Option<(PathBuf, u64)> {
    use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System, UpdateKind};
    let mut sys = System::new().ok()?;
    let p = Pid::from_u32(pid);
    sys.refresh_processes_specifics(
        ProcessesToUpdate::Some(&[p]),
        true,
        ProcessRefreshKind::nothing().with_exe(UpdateKind::Always),
    );
    let proc_ = sys.process(p)?;
    Some((proc_.exe()?.to_owned(), proc_.start_time()))
}

/// What the sweep at start found in a pid file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Leftover {
    None,
    /// The recorded process is gone, or the pid now belongs to another program.
    Stale(PidRecord),
    /// Our node from an earlier run was still running and has been stopped.
    Stopped(PidRecord),
}

/// Reads the pid file; if the recorded node still runs (same pid, executable and start time),
/// stops its tree: SIGTERM, `grace`, then SIGKILL. The pid file is removed afterwards.
pub async fn reap_leftover(path: &Path, grace: Duration) -> Leftover {
    let Ok(bytes) = std::fs::read(path) else { return Leftover::None };
    let _ = std::fs::remove_file(path);
    let Ok(rec) = serde_json::from_slice::<PidRecord>(&bytes) else { return Leftover::None };
    match process_identity(rec.pid) {
        Some((exe, start)) if exe == rec.exe && start == rec.start_time => {
            #[cfg(unix)]
            {
                signal_group(rec.pid, libc::SIGTERM);
                let deadline = tokio::time::Instant::now() + grace;
                while group_alive(rec.pid) && tokio::time::Instant::now() < deadline {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                signal_group(rec.pid, libc::SIGKILL);
            }
            #[cfg(not(unix))]
            {
                let _ = grace;
                let Ok(mut sys) = sysinfo::System::new() else { return Leftover::Stale(rec) };
                let p = sysinfo::Pid::from_u32(rec.pid);
                sys.refresh_processes(sysinfo::ProcessesToUpdate::Some(&[p]), true);
                if let Some(proc_) = sys.process(p) {
                    proc_.kill();
                }
            }
            Leftover::Stopped(rec)
        }
        _ => Leftover::Stale(rec),
    }
}
