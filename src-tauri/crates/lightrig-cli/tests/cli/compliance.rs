//! `lightrig run` follows the app's rule: where the node's activity is prohibited or restricted
//! in the user's jurisdiction, it prints the note and starts only with `--acknowledge-note`,
//! which is recorded in the ledger (so the next run does not ask again).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::*;

/// A data folder in China (mining prohibited) with a real, non-simulated mining profile whose
/// program is `sleep`.
fn china(dir: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("config")).unwrap();
    std::fs::write(
        dir.join("config/config.toml"),
        "schema = 1\n[place]\njurisdiction = \"CN\"\n[app]\nlanguage = \"en\"\nonboarded = true\n\
         [consent]\nown_device = true\n",
    )
    .unwrap();
    let profile = dir.join("sleeper.toml");
    std::fs::write(
        &profile,
        "schema = 1\nid = \"sleeper\"\nname = \"Sleeper\"\nactivity = \"pow-mining\"\n\
         [binary]\nsource = \"path\"\npath = \"/bin/sleep\"\n[launch]\nargs = [\"30\"]\n\
         [health]\ncheck = \"alive\"\nstartup_grace_secs = 1\n",
    )
    .unwrap();
    profile
}

/// Runs `lightrig run`, waits for the "starting" line, then SIGTERMs it; returns its exit code.
fn run_until_started(dir: &Path, profile: &Path, extra: &[&str]) -> i32 {
    let mut child = lightrig(dir)
        .arg("run")
        .arg(profile)
        .args(extra)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // Drain stderr on a thread for the whole run: a closed pipe would make `run`'s own
    // messages fail.
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    // "sleeper: running" comes from the watch loop: by then `run` listens for SIGTERM.
    while !seen.iter().any(|l: &String| l.contains("sleeper: running")) {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => seen.push(line),
            Err(_) => panic!("never started: {seen:?}"),
        }
    }
    assert!(seen.iter().any(|l| l.contains("lightrig: starting Sleeper")), "{seen:?}");
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("`lightrig run` did not stop within 30 s of SIGTERM: {seen:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn run_shows_the_note_and_needs_acknowledge_note_where_mining_is_prohibited() {
    let dir = tempfile::tempdir().unwrap();
    let profile = china(dir.path());

    let out = lightrig(dir.path()).arg("run").arg(&profile).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("prohibited"), "the note's status is shown: {err}");
    assert!(err.contains("--acknowledge-note"), "says what to do: {err}");
    assert!(err.contains("not legal advice"), "{err}");
    assert!(!err.contains("starting Sleeper"), "nothing may start: {err}");

    assert_eq!(run_until_started(dir.path(), &profile, &["--acknowledge-note"]), 0);
    // Recorded: the next run starts without the flag.
    assert_eq!(run_until_started(dir.path(), &profile, &[]), 0);
}
