use std::path::PathBuf;

use std::time::Duration;

use lightrig_core::profile::{HealthProbe, Profile};
use lightrig_core::supervisor::{NodeStatus, SupervisorConfig, SupervisorHandle};

pub fn lifeline() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_lightrig-lifeline"))
}

/// A node made of a shell script, run as is: the same path a user's custom command takes.
pub fn script_profile(script: &str, health: Option<HealthProbe>, grace: Duration) -> Profile {
    let mut p =
        Profile::custom(PathBuf::from("/bin/sh"), vec!["-c".into(), script.into()], health, grace);
    p.stop.grace = Duration::from_secs(1);
    p
}

pub fn config(profile: Profile) -> SupervisorConfig {
    let mut c = SupervisorConfig::new(profile);
    c.lifeline = Some(lifeline());
    c
}

pub fn spawn(config: SupervisorConfig) -> SupervisorHandle {
    SupervisorHandle::spawn(config)
}

/// Waits until the status satisfies `pred`, or fails the test with the states seen.
pub async fn wait_for(
    h: &SupervisorHandle,
    timeout: Duration,
    what: &str,
    pred: impl Fn(&NodeStatus) -> bool,
) -> NodeStatus {
    let mut rx = h.watch();
    let mut seen = Vec::new();
    let res = tokio::time::timeout(timeout, async {
        loop {
            let s = rx.borrow_and_update().clone();
            seen.push(s.state.to_string());
            if pred(&s) {
                return s;
            }
            if rx.changed().await.is_err() {
                panic!("supervisor ended while waiting for {what}");
            }
        }
    })
    .await;
    match res {
        Ok(s) => s,
        Err(_) => panic!(
            "timed out waiting for {what}; states seen: {seen:?}; log: {:?}",
            h.logs().tail(30)
        ),
    }
}

pub fn is(state: &'static str) -> impl Fn(&NodeStatus) -> bool {
    move |s| s.state.name() == state
}

/// True while `pid` exists and is not a zombie.
pub fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            let state =
                stat.rsplit_once(')').and_then(|(_, r)| r.split_whitespace().next()).unwrap_or("");
            state != "Z" && state != "X"
        }
        Err(_) => false,
    }
}

/// Children of `pid` (direct), from /proc.
pub fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for e in dir.flatten() {
            let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            if let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat"))
                && let Some((_, rest)) = stat.rsplit_once(')')
            {
                let f: Vec<&str> = rest.split_whitespace().collect();
                if f.get(1).and_then(|x| x.parse::<u32>().ok()) == Some(pid) {
                    out.push(p);
                }
            }
        }
    }
    out
}

pub async fn eventually(timeout: Duration, what: &str, mut f: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + timeout;
    while !f() {
        if tokio::time::Instant::now() > deadline {
            panic!("timed out: {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The built-in practice profile, with faults switched on through its environment and quicker
/// health checks so fault tests finish in seconds.
pub fn practice(faults: &str) -> lightrig_core::profile::Profile {
    use lightrig_core::profile::{Template, builtin_profiles};
    let mut p = builtin_profiles().into_iter().find(|p| p.id == "practice").unwrap();
    if !faults.is_empty() {
        p.launch.env.push(("LIGHTRIG_PRACTICE_FAULTS".into(), Template::literal(faults)));
    }
    p.health.interval = Duration::from_secs(1);
    p.health.timeout = Duration::from_millis(500);
    p.stop.grace = Duration::from_secs(2);
    p
}

/// Fails with a clear message when the practice node has not been built (it is built by
/// `cargo nextest run --workspace`).
pub fn require_practice_binary() {
    assert!(
        lightrig_core::supervisor::launch::sibling_binary("lightrig-practice-node").is_some(),
        "lightrig-practice-node is not built: run the suite with --workspace"
    );
}

/// Collects what the supervisor records, like the ledger would.
#[derive(Debug, Default)]
pub struct Collect {
    pub rewards: std::sync::Mutex<Vec<lightrig_core::model::Reward>>,
    pub states: std::sync::Mutex<Vec<String>>,
}

impl lightrig_core::supervisor::Recorder for Collect {
    fn state_changed(&self, _: &str, _: i64, s: &lightrig_core::supervisor::NodeState) {
        self.states.lock().unwrap().push(s.name().into());
    }
    fn rewards(&self, r: &[lightrig_core::model::Reward]) -> Result<(), String> {
        self.rewards.lock().unwrap().extend_from_slice(r);
        Ok(())
    }
}
