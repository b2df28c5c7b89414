//! Lightrig's behaviour list, checked so that a later change cannot quietly break it. Lightrig
//! is the opposite of covert mining:
//! 1. autostart and start-minimised are off until the user turns them on;
//! 2. the node runs under its real executable name, with its real path and arguments visible
//!    to any process viewer, in its own process (not renamed, not injected);
//! 3. no code anywhere adds an antivirus exclusion, hides a process, renames one, or registers
//!    itself to start with the system behind the user's back.
//!    The desktop end-to-end test checks the fourth item in the real app: the tray icon is present
//!    and no autostart entry is written at launch.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lightrig_core::config::Settings;

use crate::support::*;

#[test]
fn autostart_and_start_minimised_are_off_until_the_user_turns_them_on() {
    let s = Settings::default();
    assert!(!s.autostart, "autostart must be off by default");
    assert!(!s.start_minimised, "a first start must show the window");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_runs_under_its_real_name_and_path() {
    require_practice_binary();
    let h = spawn(config(practice("")));
    h.start().await.unwrap();
    let st = wait_for(&h, Duration::from_secs(30), "running", is("running")).await;
    let pid = st.pid.unwrap();

    // The executable is the real file, named as shipped.
    let exe = std::fs::read_link(format!("/proc/{pid}/exe")).unwrap();
    assert_eq!(exe.file_name().unwrap(), "lightrig-practice-node", "exe {exe:?}");
    // The name process viewers show (comm is cut to 15 bytes by the kernel) is that name.
    let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap();
    assert!("lightrig-practice-node".starts_with(comm.trim()), "comm {comm:?} was renamed");
    // argv[0] is the program's path, not a disguise, and the arguments are visible.
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap();
    let argv: Vec<String> = cmdline
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    assert!(argv[0].ends_with("lightrig-practice-node"), "argv[0] {:?}", argv[0]);
    assert!(argv.iter().any(|a| a == "--threads"), "arguments hidden: {argv:?}");

    h.stop().await.unwrap();
    assert!(!alive(pid));
}

/// Code patterns that would make Lightrig stealthy. Each entry says why it is banned.
const BANNED: &[(&str, &str)] = &[
    ("Add-MpPreference", "adds a Windows Defender exclusion"),
    ("Set-MpPreference", "changes Windows Defender settings"),
    ("ExclusionPath", "a Defender exclusion path"),
    ("ExclusionProcess", "a Defender process exclusion"),
    ("DisableRealtimeMonitoring", "turns Defender off"),
    ("PR_SET_NAME", "renames a process"),
    ("setproctitle", "rewrites a process title"),
    ("SW_HIDE", "hides a window"),
    ("schtasks", "registers a scheduled task"),
    ("CurrentVersion\\Run", "writes a Run key for autostart"),
    ("LaunchAgents", "writes a launch agent for autostart"),
    ("/etc/xdg/autostart", "system-wide autostart"),
    ("ld.so.preload", "injects into other processes"),
];

fn sources(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root) else { return };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name();
        let name = name.to_string_lossy();
        if p.is_dir() {
            if !matches!(name.as_ref(), "target" | "node_modules" | "gen" | "dist" | ".git") {
                sources(&p, out);
            }
        } else if ["rs", "ts", "tsx", "json", "toml", "sh", "mjs"]
            .iter()
            .any(|ext| name.ends_with(&format!(".{ext}")))
        {
            out.push(p);
        }
    }
}

#[test]
fn no_code_adds_antivirus_exclusions_hides_or_renames_processes_or_autostarts_itself() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let this_file = Path::new(file!()).file_name().unwrap().to_owned();
    let mut files = Vec::new();
    for dir in ["src-tauri", "ui/src", "scripts", "tests"] {
        sources(&repo.join(dir), &mut files);
    }
    assert!(files.len() > 50, "the scan found only {} files: wrong root?", files.len());
    let mut found = Vec::new();
    for f in &files {
        if f.file_name() == Some(this_file.as_os_str()) {
            continue; // the list of banned patterns itself
        }
        let Ok(text) = std::fs::read_to_string(f) else { continue };
        for (pattern, why) in BANNED {
            if text.contains(pattern) {
                found.push(format!("{}: `{pattern}` ({why})", f.display()));
            }
        }
    }
    assert!(found.is_empty(), "stealth behaviour found:\n{}", found.join("\n"));
}
