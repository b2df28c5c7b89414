//! Each clause of the supervisor contract, against plain shell commands.

use std::time::Duration;

use lightrig_core::profile::HealthProbe;
use lightrig_core::supervisor::{CrashPolicy, NodeState};

use crate::support::*;

const T: Duration = Duration::from_secs(20);

fn log_probe(p: &str) -> Option<HealthProbe> {
    Some(HealthProbe::Log { pattern: regex::Regex::new(p).unwrap() })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn running_only_once_the_health_check_passes() {
    let mut p = script_profile(
        "echo booting; sleep 1.5; echo ready; exec sleep 600",
        log_probe("^ready$"),
        Duration::from_secs(10),
    );
    p.health.interval = Duration::from_secs(1);
    let h = spawn(config(p));
    h.start().await.unwrap();
    let starting = wait_for(&h, T, "starting", is("starting")).await;
    assert!(starting.pid.is_none() || starting.pid.is_some());
    let t0 = std::time::Instant::now();
    // Still Starting while the node has not said "ready".
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(h.status().state.name(), "starting", "Running before the health check passed");
    let running = wait_for(&h, T, "running", is("running")).await;
    assert!(t0.elapsed() >= Duration::from_millis(700));
    let pid = running.pid.expect("a running node has a pid");
    assert!(alive(pid));
    h.stop().await.unwrap();
    assert_eq!(h.status().state, NodeState::Stopped { reason: "stopped by you".into() });
    assert!(!alive(pid));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_ends_the_whole_tree_even_when_it_ignores_sigterm() {
    // The node ignores SIGTERM and so does its grandchild (ignored signals are inherited).
    let script = "trap '' TERM; sleep 600 & echo ready; wait; wait";
    let h = spawn(config(script_profile(script, log_probe("ready"), Duration::from_secs(10))));
    h.start().await.unwrap();
    let st = wait_for(&h, T, "running", is("running")).await;
    let pid = st.pid.unwrap();
    let mut kids = Vec::new();
    eventually(T, "grandchild appears", || {
        kids = children(pid);
        !kids.is_empty()
    })
    .await;
    let t0 = std::time::Instant::now();
    h.stop().await.unwrap();
    // stop() returns once the tree is gone: the grace (1 s) ran out and the group was killed.
    assert!(t0.elapsed() >= Duration::from_millis(900), "SIGTERM should have been ignored");
    assert!(!alive(pid), "node survived stop");
    for k in kids {
        assert!(!alive(k), "grandchild {k} survived stop");
    }
    let log: Vec<String> = h.logs().tail(50).into_iter().map(|l| l.text).collect();
    assert!(log.iter().any(|l| l.contains("did not stop within")), "{log:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_restarts_with_backoff_and_a_user_stop_never_does() {
    let mut cfg = config(script_profile(
        "echo up; sleep 0.3; echo bye >&2; exit 3",
        log_probe("up"),
        Duration::from_secs(10),
    ));
    cfg.policy = CrashPolicy {
        base: Duration::from_millis(200),
        cap: Duration::from_millis(400),
        ..CrashPolicy::default()
    };
    let h = spawn(cfg);
    h.start().await.unwrap();
    let b = wait_for(&h, T, "backoff", is("backoff")).await;
    match &b.state {
        NodeState::Backoff { reason, attempt, .. } => {
            assert!(reason.contains("exited with code 3"), "{reason}");
            assert_eq!(*attempt, 1);
        }
        other => panic!("{other:?}"),
    }
    // It comes back by itself.
    let again =
        wait_for(&h, T, "restart", |s| s.restarts >= 1 && s.state.name() == "running").await;
    assert!(again.pid.is_some());
    h.stop().await.unwrap();
    // A user stop is final: nothing restarts it.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(h.status().state.name(), "stopped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_loop_ends_in_failed_with_the_exit_status_and_last_lines() {
    let mut cfg = config(script_profile(
        "echo 'cannot open wallet file' >&2; exit 7",
        None,
        Duration::from_secs(5),
    ));
    cfg.policy = CrashPolicy {
        base: Duration::from_millis(10),
        cap: Duration::from_millis(50),
        ..CrashPolicy::default()
    };
    let h = spawn(cfg);
    h.start().await.unwrap();
    let f = wait_for(&h, T, "failed", is("failed")).await;
    match f.state {
        NodeState::Failed { reason, exit, last_lines } => {
            assert!(reason.contains("crashed 6 times in 10 minutes"), "{reason}");
            assert_eq!(exit.as_deref(), Some("exited with code 7"));
            assert!(
                last_lines.iter().any(|l| l.contains("cannot open wallet file")),
                "{last_lines:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(f.restarts, 5);
    // Start after Failed clears the history and tries again.
    h.start().await.unwrap();
    wait_for(&h, T, "starting again", |s| s.state.name() != "failed").await;
    h.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_that_never_becomes_healthy_is_killed_and_retried() {
    let mut p = script_profile("exec sleep 600", Some(HealthProbe::Alive), Duration::from_secs(1));
    // An HTTP check against a port nobody listens on.
    p.health.probe = HealthProbe::Tcp { port: lightrig_core::profile::Template::literal("9") };
    p.health.startup_grace = Duration::from_secs(1);
    let mut cfg = config(p);
    cfg.policy = CrashPolicy {
        base: Duration::from_secs(30),
        cap: Duration::from_secs(60),
        ..CrashPolicy::default()
    };
    let h = spawn(cfg);
    h.start().await.unwrap();
    let st = wait_for(&h, T, "starting with pid", |s| s.state.name() == "starting").await;
    let b = wait_for(&h, T, "backoff", is("backoff")).await;
    assert!(
        b.state.reason().unwrap().contains("did not become healthy within 1 s"),
        "{:?}",
        b.state
    );
    let _ = st;
    h.stop().await.unwrap();
    assert_eq!(h.status().state.name(), "stopped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_program_fails_at_once_with_what_to_do() {
    let p = lightrig_core::profile::Profile::custom(
        "/nonexistent/miner".into(),
        vec![],
        None,
        Duration::from_secs(1),
    );
    let h = spawn(config(p));
    h.start().await.unwrap();
    let f = wait_for(&h, T, "failed", is("failed")).await;
    let reason = f.state.reason().unwrap().to_string();
    assert!(
        reason.contains("/nonexistent/miner") && reason.contains("choose it again"),
        "{reason}"
    );
    assert_eq!(f.restarts, 0, "a missing program is not retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pause_is_refused_for_a_node_that_cannot_pause() {
    let h = spawn(config(script_profile(
        "echo ready; exec sleep 600",
        log_probe("ready"),
        Duration::from_secs(5),
    )));
    assert_eq!(h.pause().await.unwrap_err().code(), "node.not_running");
    h.start().await.unwrap();
    wait_for(&h, T, "running", is("running")).await;
    let e = h.pause().await.unwrap_err();
    assert!(e.to_string().contains("cannot pause"), "{e}");
    h.shutdown().await.unwrap();
}
