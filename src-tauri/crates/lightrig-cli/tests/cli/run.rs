//! `lightrig run` under signals: SIGTERM stops politely; kill -9 leaves nothing behind.

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::*;

struct Guard(Child);
impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            let st =
                s.rsplit_once(')').and_then(|(_, r)| r.split_whitespace().next()).unwrap_or("");
            st != "Z" && st != "X"
        })
        .unwrap_or(false)
}

fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat"))
            && let Some((_, rest)) = stat.rsplit_once(')')
            && rest.split_whitespace().nth(1).and_then(|x| x.parse::<u32>().ok()) == Some(pid)
        {
            out.push(p);
        }
    }
    out
}

fn wait_until(limit: Duration, what: &str, mut f: impl FnMut() -> bool) {
    let t0 = Instant::now();
    while !f() {
        assert!(t0.elapsed() < limit, "timed out: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Starts `lightrig run` and waits until `lightrig status` reports the node running.
fn start(dir: &Path, faults: &str) -> (Guard, u32) {
    let child = lightrig(dir)
        .args(["run", "--set", "difficulty=20000"])
        .env("LIGHTRIG_PRACTICE_FAULTS", faults)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let guard = Guard(child);
    let mut node_pid = 0;
    wait_until(Duration::from_secs(30), "node running", || {
        let out = lightrig(dir).args(["status", "--json"]).output().unwrap();
        let Ok(v) = serde_json::from_slice::<serde_json::Value>(&out.stdout) else { return false };
        if v["node"]["state"]["kind"] == "running" {
            node_pid = v["node"]["pid"].as_u64().unwrap() as u32;
            true
        } else {
            false
        }
    });
    (guard, node_pid)
}

use std::path::Path;

#[test]
fn kill_9_of_lightrig_leaves_no_node_nor_grandchild() {
    let dir = tempfile::tempdir().unwrap();
    let (mut guard, node) = start(dir.path(), "spawn-grandchild,ignore-sigterm");
    let mut kids = Vec::new();
    wait_until(Duration::from_secs(15), "grandchild", || {
        kids = children(node);
        !kids.is_empty()
    });
    // SAFETY: plain kill(2) of our own child.
    unsafe { libc::kill(guard.0.id() as i32, libc::SIGKILL) };
    let _ = guard.0.wait();
    // The node ignores SIGTERM, so the lifeline's grace (5 s for the practice node) runs out
    // before SIGKILL; allow for that plus 5 s.
    wait_until(Duration::from_secs(10), "node tree gone after kill -9", || {
        !alive(node) && kids.iter().all(|k| !alive(*k))
    });
}

#[test]
fn kill_9_with_a_well_behaved_node_is_cleaned_within_5_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let (mut guard, node) = start(dir.path(), "spawn-grandchild");
    let mut kids = Vec::new();
    wait_until(Duration::from_secs(15), "grandchild", || {
        kids = children(node);
        !kids.is_empty()
    });
    unsafe { libc::kill(guard.0.id() as i32, libc::SIGKILL) };
    let _ = guard.0.wait();
    std::thread::sleep(Duration::from_secs(5));
    assert!(!alive(node), "node {node} outlived lightrig by 5 s");
    for k in kids {
        assert!(!alive(k), "grandchild {k} outlived lightrig by 5 s");
    }
}

#[test]
fn sigterm_stops_politely_exits_0_and_the_run_is_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let (mut guard, node) = start(dir.path(), "");
    std::thread::sleep(Duration::from_secs(3));
    unsafe { libc::kill(guard.0.id() as i32, libc::SIGTERM) };
    let status = guard.0.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(!alive(node));
    let out = run_ok(lightrig(dir.path()).args(["report", "--json"]));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["uptime_ms"].as_u64().unwrap() >= 1000, "{v}");
    assert!(v["work_done"].as_u64().unwrap() > 0, "{v}");
    for r in v["rewards"].as_array().unwrap() {
        assert_eq!(r["simulated"], true, "practice rewards must say simulated: {r}");
    }
}

#[test]
fn a_bad_config_is_kept_aside_and_defaults_are_used() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("config/config.toml");
    std::fs::create_dir_all(cfg.parent().unwrap()).unwrap();
    std::fs::write(&cfg, "[telemetry]\nsample_interval_ms = \"fast\"\n").unwrap();
    let (mut guard, _) = start(dir.path(), "");
    unsafe { libc::kill(guard.0.id() as i32, libc::SIGTERM) };
    let _ = guard.0.wait();
    let kept: Vec<_> = std::fs::read_dir(cfg.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("config.toml.bad-"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        std::fs::read_to_string(kept[0].path()).unwrap(),
        "[telemetry]\nsample_interval_ms = \"fast\"\n"
    );
}

#[test]
fn a_second_run_on_the_same_data_folder_exits_5_and_leaves_the_first_node_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (_guard, node) = start(dir.path(), "");
    let out = lightrig(dir.path()).args(["run"]).stdin(Stdio::null()).output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already using") && err.contains("quit it"), "{err}");
    std::thread::sleep(Duration::from_millis(500));
    assert!(alive(node), "the second run stopped the first one's node");
}
