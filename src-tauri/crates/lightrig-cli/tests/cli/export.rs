//! `lightrig export` on a seeded data folder: real binary, real ledger file.

use std::path::Path;

use lightrig_core::ledger::Ledger;
use lightrig_core::model::{Asset, Reward, RewardState};
use lightrig_core::paths::Paths;

use crate::*;

const TX: &str = "9f3c1a0e5b7d2c4f6a8b0c1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6f7";

fn ms(text: &str) -> i64 {
    text.parse::<lightrig_core::export::Timestamp>().unwrap().as_millisecond()
}

/// A user profile, so the catalog knows the `xmrig` node is a miner.
const PROFILE: &str = "schema = 1\nid = \"xmrig\"\nname = \"My miner\"\nactivity = \"pow-mining\"\n\
[binary]\nsource = \"search-path\"\nname = \"xmrig\"\n[launch]\nargs = []\n[health]\ncheck = \"alive\"\n";

/// A data folder whose ledger holds a paid XMR reward, an estimated one and a simulated one,
/// with a profile for the XMR node.
fn seeded() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let profiles = dir.path().join("config/profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    std::fs::write(profiles.join("xmrig.toml"), PROFILE).unwrap();
    let (ledger, _) = Ledger::open(Paths::under(dir.path()).ledger_file()).unwrap();
    let reward = |key: &str, at: &str, atomic: i128, state: RewardState| Reward {
        node_id: "xmrig".into(),
        key: key.into(),
        at: ms(at),
        asset: Asset { code: "XMR".into(), decimals: 12 },
        atomic,
        state,
        source: "p2pool local/stratum".into(),
        simulated: false,
    };
    let mut sim = reward("share-42", "2026-03-29T08:00:00Z", 150_000_000, RewardState::Paid);
    sim.node_id = "practice".into();
    sim.asset = Asset::simulated();
    sim.simulated = true;
    ledger
        .record_rewards(&[
            reward(TX, "2026-03-29T01:30:00Z", 1_234_567_890_123, RewardState::Paid),
            reward("share-7", "2026-03-29T02:00:00Z", 5_000_000, RewardState::Estimated),
            sim,
        ])
        .unwrap();
    dir
}

fn export_cmd(data: &Path, format: &str) -> std::process::Command {
    let mut c = lightrig(data);
    c.args(["export", "--format", format, "--from", "2026-03-28", "--to", "2026-03-30"]);
    c.args(["--tz", "Europe/Berlin"]);
    c
}

#[test]
fn export_writes_koinly_csv_of_paid_real_rewards_to_stdout() {
    let dir = seeded();
    let out = run_ok(&mut export_cmd(dir.path(), "koinly"));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "Date,Sent Amount,Sent Currency,Received Amount,Received Currency,Fee Amount,Fee Currency,Net Worth Amount,Net Worth Currency,Label,Description,TxHash"
    );
    assert_eq!(lines.len(), 2, "one paid, real reward:\n{text}");
    assert!(
        lines[1].starts_with("2026-03-29 01:30 UTC,,,1.234567890123,XMR,,,,,mining,"),
        "{text}"
    );
    assert!(lines[1].ends_with(TX));
}

#[test]
fn export_full_shows_local_time_and_simulated_rows() {
    let dir = seeded();
    let out = run_ok(&mut export_cmd(dir.path(), "full"));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 4, "header and three rewards:\n{text}");
    assert!(text.contains("2026-03-29T03:30:00+02:00"), "{text}");
    assert!(text.contains(",SIM,1.50000000,150000000,8,paid,true,"), "{text}");
}

#[test]
fn export_to_a_file_refuses_to_overwrite_without_force() {
    let dir = seeded();
    let file = dir.path().join("summary.html");
    let mut c = export_cmd(dir.path(), "summary");
    c.arg("--out").arg(&file).args(["--lang", "zh-CN"]);
    run_ok(&mut c);
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains("这是一份记录，不是税务建议。"), "{html}");

    std::fs::write(&file, "keep me").unwrap();
    let mut again = export_cmd(dir.path(), "summary");
    let out = again.arg("--out").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me", "left untouched");

    let mut forced = export_cmd(dir.path(), "summary");
    run_ok(forced.arg("--out").arg(&file).arg("--force"));
    assert!(std::fs::read_to_string(&file).unwrap().contains("This is a record, not tax advice."));
}

#[test]
fn export_bad_input_is_a_usage_error_that_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &["--format", "pdf", "--from", "2026-01-01", "--to", "2026-12-31"],
            "full, koinly, cointracker, bittytax, summary",
        ),
        (&["--format", "full", "--from", "2026-02-30", "--to", "2026-12-31"], "2026-02-30"),
        (&["--format", "full", "--from", "01/02/2026", "--to", "2026-12-31"], "YYYY-MM-DD"),
        (
            &["--format", "full", "--from", "2026-12-31", "--to", "2026-01-01"],
            "swap --from and --to",
        ),
        (
            &[
                "--format",
                "full",
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
                "--tz",
                "Mars/Olympus",
            ],
            "IANA",
        ),
    ];
    for (args, expected) in cases {
        let out = lightrig(dir.path()).arg("export").args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}

#[test]
fn export_reports_in_json_when_asked() {
    let dir = seeded();
    let out = lightrig(dir.path())
        .args([
            "--json",
            "export",
            "--format",
            "full",
            "--from",
            "2026-12-31",
            "--to",
            "2026-01-01",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "export.reversed_range");

    let file = dir.path().join("bittytax.csv");
    let mut c = export_cmd(dir.path(), "bittytax");
    let out = run_ok(c.arg("--json").arg("--out").arg(&file));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["format"], "bittytax");
    assert_eq!(v["bytes"].as_u64().unwrap(), std::fs::metadata(&file).unwrap().len());
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("Type,Buy Quantity,Buy Asset,"));
}
