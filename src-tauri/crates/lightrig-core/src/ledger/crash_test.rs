//! Crash test: a real writer process is killed with SIGKILL in the middle of a stream of writes;
//! the file must pass `PRAGMA integrity_check` and hold every reward the writer acknowledged.
//!
//! The parent test re-runs this test binary with only the child test selected and
//! `LIGHTRIG_LEDGER_CRASH_CHILD` set; without that variable the child test returns at once.

use std::io::Write;

use super::*;
use crate::model::{Asset, Reward, RewardState};

const CHILD_ENV: &str = "LIGHTRIG_LEDGER_CRASH_CHILD";
#[cfg(unix)] // only the Unix test kills a child mid-write
const CHILD_TEST: &str = "ledger::crash_test::crash_child_writes_until_killed";

fn reward(i: u64) -> Reward {
    Reward {
        node_id: "xmrig-1".into(),
        key: format!("share-{i}"),
        at: 1_700_000_000_000 + i as i64,
        asset: Asset { code: "XMR".into(), decimals: 12 },
        atomic: 1_000_000 + i128::from(i),
        state: if i.is_multiple_of(3) { RewardState::Paid } else { RewardState::Pending },
        source: "crash test".into(),
        simulated: false,
    }
}

/// Child mode: writes rewards, samples and events as fast as it can and prints `ack <key>`
/// after each reward write has returned. Runs until killed (or 60 s, or the pipe closes).
#[test]
fn crash_child_writes_until_killed() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let (ledger, _) = Ledger::open(&path).unwrap();
    let started = std::time::Instant::now();
    let mut out = std::io::stdout().lock();
    for i in 0u64.. {
        if started.elapsed().as_secs() > 60 {
            break;
        }
        let r = reward(i);
        ledger.record_reward(&r).unwrap();
        if writeln!(out, "ack {}", r.key).and_then(|()| out.flush()).is_err() {
            break;
        }
        let at = 1_700_000_000_000 + i as i64 * 1_000;
        let sample = Sample { at_ms: at, cpu_percent: Some(50.0), ..Sample::default() };
        ledger.record_sample(&sample).unwrap();
        if i % 10 == 0 {
            let event = NodeEvent {
                at_ms: at,
                node_id: "xmrig-1".into(),
                kind: EventKind::Note,
                state: None,
                detail: Some(format!("note {i}")),
            };
            ledger.record_event(&event).unwrap();
        }
        if i % 50 == 49 {
            ledger.maintain(at).unwrap();
        }
    }
}

#[cfg(unix)]
#[test]
fn writer_killed_mid_stream_keeps_every_acknowledged_reward() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", CHILD_TEST, "--nocapture"])
        .env(CHILD_ENV, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(key) = line.strip_prefix("ack ") {
                let _ = tx.send(key.to_string());
            }
        }
    });

    let mut acked = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.len() < 300 && Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(key) => acked.push(key),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break, // the child stopped early
        }
    }
    assert!(acked.len() >= 300, "the child acknowledged only {} rewards", acked.len());
    let pid = Pid::from_raw(i32::try_from(child.id()).unwrap());
    kill(pid, Signal::SIGKILL).unwrap();
    let status = child.wait().unwrap();
    reader.join().unwrap();
    acked.extend(rx.try_iter()); // acknowledged before the kill, read after it
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(libc::SIGKILL), "the child was killed, not finished");
    }

    let conn = Connection::open(&path).unwrap();
    let check: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(check, ["ok"]);
    drop(conn);

    let (ledger, report) = Ledger::open(&path).unwrap();
    assert_eq!(report.moved_aside, None);
    let stored = ledger.rewards(Some("xmrig-1"), 0, i64::MAX, u32::MAX).unwrap();
    let keys: std::collections::HashSet<&str> =
        stored.iter().map(|r| r.reward.key.as_str()).collect();
    let missing: Vec<&String> = acked.iter().filter(|k| !keys.contains(k.as_str())).collect();
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
    for record in &stored {
        let i: u64 = record.reward.key.trim_start_matches("share-").parse().unwrap();
        assert_eq!(record.reward, reward(i), "stored exactly as written");
    }
}
