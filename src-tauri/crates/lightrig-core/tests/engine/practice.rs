//! The supervisor and the practice adapter against the real practice node and its fault
//! switches.

use std::sync::Arc;
use std::time::Duration;

use lightrig_core::profile::FieldValue;
use lightrig_core::supervisor::{CrashPolicy, NodeState};

use crate::support::*;

const T: Duration = Duration::from_secs(30);

fn quick(
    mut cfg: lightrig_core::supervisor::SupervisorConfig,
) -> lightrig_core::supervisor::SupervisorConfig {
    cfg.policy = CrashPolicy {
        base: Duration::from_millis(300),
        cap: Duration::from_millis(600),
        ..CrashPolicy::default()
    };
    cfg.settings.insert("difficulty".into(), FieldValue::Int(20_000));
    cfg
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn practice_node_runs_reports_simulated_rewards_pauses_and_stops() {
    require_practice_binary();
    let collect = Arc::new(Collect::default());
    let mut cfg = quick(config(practice("")));
    cfg.recorder = collect.clone();
    let h = spawn(cfg);
    h.start().await.unwrap();
    let st = wait_for(&h, T, "work rate", |s| {
        s.metrics.as_ref().and_then(|m| m.work_rate.as_ref()).is_some_and(|r| r.value > 0.0)
    })
    .await;
    let m = st.metrics.unwrap();
    assert!(m.simulated && st.simulated);
    assert_eq!(m.work_rate.unwrap().unit, "H/s");
    let pid = st.pid.unwrap();
    eventually(T, "simulated rewards recorded", || !collect.rewards.lock().unwrap().is_empty())
        .await;
    {
        let rewards = collect.rewards.lock().unwrap();
        assert!(
            rewards
                .iter()
                .all(|r| r.simulated && r.asset.code == "SIM" && r.key.starts_with("practice:"))
        );
        let mut keys: Vec<_> = rewards.iter().map(|r| r.key.clone()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), rewards.len(), "a reward was reported twice");
    }
    h.pause().await.unwrap();
    assert!(matches!(h.status().state, NodeState::Paused { .. }));
    wait_for(&h, T, "paused in metrics", |s| {
        s.metrics.as_ref().and_then(|m| m.paused) == Some(true)
    })
    .await;
    h.resume().await.unwrap();
    wait_for(&h, T, "running again", |s| {
        s.state.name() == "running" && s.metrics.as_ref().and_then(|m| m.paused) == Some(false)
    })
    .await;
    h.stop().await.unwrap();
    assert!(!alive(pid));
    assert_eq!(h.status().metrics, None, "a stopped node shows no live figures");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_at_start_and_crash_after_are_crashes_with_their_exit_codes() {
    require_practice_binary();
    let h = spawn(quick(config(practice("exit-at-start=4"))));
    h.start().await.unwrap();
    let b = wait_for(&h, T, "backoff", is("backoff")).await;
    assert!(b.state.reason().unwrap().contains("exited with code 4"), "{:?}", b.state);
    h.stop().await.unwrap();

    let h = spawn(quick(config(practice("crash-after=2"))));
    h.start().await.unwrap();
    wait_for(&h, T, "running", is("running")).await;
    let b = wait_for(&h, T, "backoff", is("backoff")).await;
    assert!(b.state.reason().unwrap().contains("exited with code 101"), "{:?}", b.state);
    let log: Vec<String> = h.logs().tail(100).into_iter().map(|l| l.text).collect();
    assert!(log.iter().any(|l| l.contains("simulated crash")), "{log:?}");
    h.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hung_api_fails_health_checks_and_the_node_is_restarted() {
    require_practice_binary();
    let h = spawn(quick(config(practice("hang-api=3"))));
    h.start().await.unwrap();
    let first = wait_for(&h, T, "running", is("running")).await.pid.unwrap();
    let b = wait_for(&h, T, "backoff", is("backoff")).await;
    assert!(
        b.state.reason().unwrap().contains("stopped answering its health check"),
        "{:?}",
        b.state
    );
    assert!(!alive(first), "the hung node was not ended");
    h.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_status_is_not_available_rather_than_wrong_numbers() {
    require_practice_binary();
    let h = spawn(quick(config(practice("malformed-json"))));
    h.start().await.unwrap();
    let st = wait_for(&h, T, "metrics error", |s| s.metrics_error.is_some()).await;
    assert_eq!(st.state.name(), "running", "a bad status answer does not stop a healthy node");
    assert!(st.metrics.is_none());
    assert!(st.metrics_error.unwrap().contains("cannot read"));
    h.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_ends_a_node_that_ignores_sigterm_and_its_grandchild() {
    require_practice_binary();
    let h = spawn(quick(config(practice("ignore-sigterm,spawn-grandchild"))));
    h.start().await.unwrap();
    let pid = wait_for(&h, T, "running", is("running")).await.pid.unwrap();
    let mut kids = Vec::new();
    eventually(T, "grandchild", || {
        kids = children(pid);
        !kids.is_empty()
    })
    .await;
    h.stop().await.unwrap();
    assert!(!alive(pid));
    for k in kids {
        assert!(!alive(k), "grandchild {k} survived");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_never_reaches_the_log() {
    require_practice_binary();
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = quick(config(practice("")));
    cfg.log_file = Some(dir.path().join("node.log"));
    let h = spawn(cfg);
    h.start().await.unwrap();
    let pid = wait_for(&h, T, "running", is("running")).await.pid.unwrap();
    let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap();
    let token = environ
        .split(|b| *b == 0)
        .find_map(|kv| {
            std::str::from_utf8(kv)
                .ok()?
                .strip_prefix("LIGHTRIG_PRACTICE_TOKEN=")
                .map(str::to_owned)
        })
        .expect("token passed in the environment");
    let cmdline = std::fs::read_to_string(format!("/proc/{pid}/cmdline")).unwrap();
    assert!(!cmdline.contains(&token), "the token is on the command line");
    h.stop().await.unwrap();
    let file = std::fs::read_to_string(dir.path().join("node.log")).unwrap();
    assert!(!file.contains(&token));
    assert!(h.logs().tail(1000).iter().all(|l| !l.text.contains(&token)));
    assert!(!format!("{:?}", h.status()).contains(&token));
}
