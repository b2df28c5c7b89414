//! The P2Pool adapter against a folder of recorded data-api files (and broken ones).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use serde_json::json;

use super::*;
use crate::model::{Reward, RewardState};

const NETWORK: &str = include_str!("fixtures/p2pool/network-stats.json");
const POOL: &str = include_str!("fixtures/p2pool/pool-stats.json");
const BLOCKS: &str = include_str!("fixtures/p2pool/pool-blocks.json");
const STRATUM: &str = include_str!("fixtures/p2pool/local-stratum.json");
const P2P: &str = include_str!("fixtures/p2pool/local-p2p.json");
const MINER: &str = include_str!("fixtures/p2pool/local-miner.json");

/// A data-api folder in a temporary directory.
struct Dir(tempfile::TempDir);

impl Dir {
    fn empty() -> Dir {
        Dir(tempfile::tempdir().unwrap())
    }

    /// The files P2Pool wrote while XMRig mined to it (no built-in miner).
    fn recorded() -> Dir {
        let d = Dir::empty();
        for (name, body) in [
            ("network/stats", NETWORK),
            ("pool/stats", POOL),
            ("pool/blocks", BLOCKS),
            ("local/stratum", STRATUM),
            ("local/p2p", P2P),
        ] {
            d.write(name, body);
        }
        d
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.0.path().join(name)
    }

    fn write(&self, name: &str, body: &str) {
        let path = self.path(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }

    /// Makes `name` look written `secs` seconds ago.
    fn age(&self, name: &str, secs: u64) {
        let file = std::fs::File::options().write(true).open(self.path(name)).unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(secs)).unwrap();
    }

    fn config(&self) -> AdapterConfig {
        let mut options = BTreeMap::new();
        options.insert("data_dir".to_owned(), self.0.path().to_str().unwrap().to_owned());
        AdapterConfig { node_id: "p2pool".into(), url: None, token: None, options }
    }

    fn adapter(&self) -> P2poolAdapter {
        P2poolAdapter::new(&self.config()).unwrap()
    }
}

/// The recorded file with `edit` applied to its JSON.
fn edited(body: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(body).unwrap();
    edit(&mut v);
    v.to_string()
}

fn h(value: f64) -> Option<WorkRate> {
    Some(WorkRate { value, unit: "H/s".into() })
}

fn now_secs() -> u64 {
    unix_secs(SystemTime::now())
}

fn hash(fill: &str) -> String {
    fill.repeat(64 / fill.len())
}

/// `pool/blocks` with `new` (height, hash, ts) in front of the recorded blocks.
fn blocks_with(new: &[(u64, &str, u64)]) -> String {
    let mut list: Vec<Value> =
        new.iter().map(|(h, x, ts)| json!({"height": h, "hash": x, "difficulty": 457853214693u64, "totalHashes": 1483960000000000u64, "ts": ts})).collect();
    list.extend(serde_json::from_str::<Vec<Value>>(BLOCKS).unwrap());
    Value::Array(list).to_string()
}

fn tip(height: u64, hash: &str, reward: u64) -> String {
    json!({"difficulty": 457853214693u64, "hash": hash, "height": height, "reward": reward, "timestamp": now_secs()}).to_string()
}

fn error<T: std::fmt::Debug>(r: Result<T, AdapterError>) -> AdapterError {
    r.expect_err("expected an error")
}

// ---- metrics ----

#[tokio::test]
async fn recorded_files_map_to_metrics() {
    let d = Dir::recorded();
    let mut a = d.adapter();
    let poll = a.poll().await.unwrap();
    let m = &poll.metrics;
    assert_eq!(m.work_rate, h(4481.0), "P2Pool's shortest window is 15 minutes");
    assert_eq!(m.work_rate_15m, h(4481.0));
    assert_eq!(m.work_rate_60s, None);
    assert_eq!(m.shares_accepted, Some(1));
    assert_eq!(m.total_work, Some(16_702_391));
    assert_eq!(m.uptime_secs, Some(3730));
    assert_eq!((m.threads, m.paused), (None, None), "XMRig's threads; P2Pool has no pause");
    assert_eq!(
        m.network,
        Some(NetworkInfo {
            asset: "XMR".into(),
            height: Some(3_648_213),
            difficulty: Some(457_853_214_693.0),
            block_reward_atomic: Some(607_350_142_000),
            block_time_secs: Some(120),
        })
    );
    assert!(m.hints.is_empty(), "{:?}", m.hints);
    assert!(!m.simulated);
    assert!(poll.rewards.is_empty(), "blocks found before this run are not this run's");
    assert!(!a.can_pause());
}

#[tokio::test]
async fn recorded_builtin_miner_counts_when_no_miner_connects() {
    let d = Dir::recorded();
    d.write(
        "local/stratum",
        &edited(STRATUM, |v| {
            v["connections"] = json!(0);
            v["hashrate_15m"] = json!(0);
            v["workers"] = json!([]);
        }),
    );
    d.write("local/miner", MINER);
    let m = d.adapter().poll().await.unwrap().metrics;
    assert_eq!(m.work_rate, h(3921.0));
    assert_eq!(m.work_rate_15m, None, "the built-in miner reports no 15-minute average");
    assert_eq!(m.threads, Some(6));
    assert_eq!(m.total_work, Some(16_702_391 + 7_059_213));
    assert_eq!(m.shares_accepted, Some(1));
}

#[tokio::test]
async fn recorded_stratum_wins_over_a_builtin_miner_while_miners_connect() {
    let d = Dir::recorded();
    d.write("local/miner", MINER);
    let m = d.adapter().poll().await.unwrap().metrics;
    assert_eq!(m.work_rate, h(4481.0));
    assert_eq!(m.total_work, Some(16_702_391 + 7_059_213), "both did work");
}

#[tokio::test]
async fn recorded_file_missing_a_field_reads_not_available() {
    let d = Dir::recorded();
    d.write(
        "local/stratum",
        &edited(STRATUM, |v| {
            v.as_object_mut().unwrap().remove("hashrate_15m");
        }),
    );
    d.write(
        "network/stats",
        &edited(NETWORK, |v| {
            v.as_object_mut().unwrap().remove("reward");
        }),
    );
    let m = d.adapter().poll().await.unwrap().metrics;
    assert_eq!((m.work_rate, m.work_rate_15m), (None, None));
    assert_eq!(m.shares_accepted, Some(1));
    let net = m.network.unwrap();
    assert_eq!((net.height, net.block_reward_atomic), (Some(3_648_213), None));
}

#[tokio::test]
async fn negative_and_nan_figures_are_not_available_not_zero() {
    let d = Dir::recorded();
    // As P2Pool really prints undefined figures: bare nan / -nan(ind) / inf.
    let stratum = edited(STRATUM, |v| {
        v["hashrate_15m"] = json!(-5);
        v["total_hashes"] = json!(-1);
    })
    .replace("\"current_effort\":41.2051", "\"current_effort\":-nan(ind)")
    .replace("\"block_reward_share_percent\":0.0213", "\"block_reward_share_percent\":nan")
    .replace("\"average_effort\":87.312", "\"average_effort\":inf");
    assert!(stratum.contains(":nan,"), "{stratum}");
    d.write("local/stratum", &stratum);
    d.write("network/stats", &edited(NETWORK, |v| v["difficulty"] = json!(-1)));
    let mut a = d.adapter();
    let m = a.poll().await.unwrap().metrics;
    assert_eq!((m.work_rate, m.total_work), (None, None));
    assert_eq!(m.shares_accepted, Some(1));
    assert_eq!(m.network.unwrap().difficulty, None);
    let snap = files::read_snapshot(d.0.path(), &a.limits).unwrap();
    assert_eq!(Mining::from(&snap).share_percent, None, "nan is no share");
}

#[test]
fn undefined_numbers_become_null_outside_strings_only() {
    let src = r#"{"a":nan,"b":[inf,-inf,-nan(ind),NaN,Infinity],"w":"nan","q":"x\"nan","n":null,"t":true,"c":-1.5}"#;
    let out = String::from_utf8(files::undefined_to_null(src.as_bytes()).into_owned()).unwrap();
    assert_eq!(
        out,
        r#"{"a":null,"b":[null,null,null,null,null],"w":"nan","q":"x\"nan","n":null,"t":true,"c":-1.5}"#
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["w"], "nan");
}

// ---- rewards ----

#[tokio::test]
async fn recorded_block_found_during_the_run_is_one_estimated_reward() {
    let d = Dir::recorded();
    let mut a = d.adapter();
    assert!(a.poll().await.unwrap().rewards.is_empty());
    let (height, found, ts) = (3_648_214, hash("ab"), now_secs());
    d.write("pool/blocks", &blocks_with(&[(height, &found, ts)]));
    assert!(a.poll().await.unwrap().rewards.is_empty(), "its reward is not known yet");
    d.write("network/stats", &tip(height, &found, 607_350_142_000));
    let rewards: Vec<Reward> = a.poll().await.unwrap().rewards;
    assert_eq!(rewards.len(), 1);
    let r = &rewards[0];
    assert_eq!(r.key, format!("p2pool:block:{height}:{found}"));
    // 607 350 142 000 piconero × 0.0213 % = 129 365 580.246, rounded down.
    assert_eq!(r.atomic, 129_365_580);
    assert_eq!(r.state, RewardState::Estimated);
    assert_eq!(r.at, i64::try_from(ts).unwrap() * 1000);
    assert_eq!((r.asset.code.as_str(), r.asset.decimals), ("XMR", 12));
    assert_eq!(r.node_id, "p2pool");
    assert!(!r.simulated);
    assert!(a.poll().await.unwrap().rewards.is_empty(), "counted once");
}

#[tokio::test]
async fn recorded_block_replaced_on_chain_or_without_a_share_gives_nothing() {
    let d = Dir::recorded();
    let mut a = d.adapter();
    a.poll().await.unwrap();
    let now = now_secs();
    // The chain holds another block at that height.
    d.write("pool/blocks", &blocks_with(&[(3_648_214, &hash("ab"), now)]));
    d.write("network/stats", &tip(3_648_214, &hash("cd"), 607_350_142_000));
    assert!(a.poll().await.unwrap().rewards.is_empty());
    // P2Pool printed the share as 0.000: unknown, so nothing is claimed.
    d.write("local/stratum", &edited(STRATUM, |v| v["block_reward_share_percent"] = json!(0.0)));
    d.write(
        "pool/blocks",
        &blocks_with(&[(3_648_215, &hash("ef"), now), (3_648_214, &hash("ab"), now)]),
    );
    d.write("network/stats", &tip(3_648_215, &hash("ef"), 600_000_000_000));
    assert!(a.poll().await.unwrap().rewards.is_empty());
}

#[tokio::test]
async fn recorded_blocks_from_before_the_run_are_not_rewards() {
    let d = Dir::recorded();
    let mut a = d.adapter();
    a.poll().await.unwrap();
    // Five minutes before the run: recent enough to wait for a reward, but not this run's.
    let old = now_secs() - 300;
    d.write("pool/blocks", &blocks_with(&[(3_648_190, &hash("ab"), old)]));
    d.write("network/stats", &tip(3_648_190, &hash("ab"), 607_350_142_000));
    assert!(a.poll().await.unwrap().rewards.is_empty());
}

// ---- bad files ----

#[tokio::test]
async fn malformed_file_is_an_error_naming_it() {
    let d = Dir::recorded();
    d.write("local/stratum", "{\"hashrate_15m\":");
    match error(d.adapter().poll().await) {
        AdapterError::Malformed(m) => assert!(m.contains("local/stratum"), "{m}"),
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[tokio::test]
async fn huge_file_is_refused_fast_without_reading_it() {
    let d = Dir::recorded();
    let file = std::fs::File::options().write(true).open(d.path("local/stratum")).unwrap();
    file.set_len(100 << 20).unwrap();
    let started = Instant::now();
    match error(d.adapter().poll().await) {
        AdapterError::Malformed(m) => assert!(m.contains("larger than"), "{m}"),
        other => panic!("expected Malformed, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[cfg(unix)]
#[tokio::test]
async fn a_pipe_in_place_of_a_file_is_refused_not_waited_on() {
    let d = Dir::recorded();
    std::fs::remove_file(d.path("local/p2p")).unwrap();
    nix::unistd::mkfifo(&d.path("local/p2p"), nix::sys::stat::Mode::S_IRWXU).unwrap();
    let started = Instant::now();
    match error(d.adapter().poll().await) {
        AdapterError::Malformed(m) => assert!(m.contains("not a plain file"), "{m}"),
        other => panic!("expected Malformed, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

fn slow_reader(dir: &Path, limits: &Limits) -> Result<Snapshot, AdapterError> {
    std::thread::sleep(Duration::from_secs(4));
    files::read_snapshot(dir, limits)
}

#[tokio::test]
async fn slow_disk_gives_up_within_the_timeout_and_readers_do_not_pile_up() {
    let d = Dir::recorded();
    let mut a = d.adapter();
    a.reader = slow_reader;
    let started = Instant::now();
    assert!(matches!(error(a.poll().await), AdapterError::Unreachable(m) if m.contains("longer")));
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    match error(a.poll().await) {
        AdapterError::Unreachable(m) => assert!(m.contains("not finished"), "{m}"),
        other => panic!("expected Unreachable, got {other:?}"),
    }
    a.reader = files::read_snapshot;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(a.poll().await.is_ok(), "the slow read ended and let go");
}

#[tokio::test]
async fn stale_local_files_read_not_available_and_say_so() {
    let d = Dir::recorded();
    let mut a = d.adapter();
    a.limits.since = SystemTime::now() - Duration::from_secs(3600);
    d.age("local/stratum", 600);
    d.age("local/p2p", 600);
    let m = a.poll().await.unwrap().metrics;
    assert_eq!((m.work_rate, m.shares_accepted, m.uptime_secs), (None, None, None));
    assert_eq!(m.network.unwrap().height, Some(3_648_213), "network figures keep");
    assert_eq!(m.hints.len(), 1, "{:?}", m.hints);
    assert!(m.hints[0].contains("10 minutes"), "{:?}", m.hints);
}

#[tokio::test]
async fn local_files_from_an_earlier_run_are_ignored_quietly() {
    let d = Dir::recorded();
    d.age("local/stratum", 100);
    d.age("local/p2p", 100);
    d.age("network/stats", 100);
    let m = d.adapter().poll().await.unwrap().metrics;
    assert_eq!((m.work_rate, m.uptime_secs), (None, None));
    assert_eq!(m.network, None, "last run's tip is not today's");
    assert!(m.hints.is_empty(), "P2Pool is only starting: {:?}", m.hints);
}

#[tokio::test]
async fn without_local_api_the_user_is_told_how_to_turn_it_on() {
    let d = Dir::empty();
    d.write("network/stats", NETWORK);
    d.write("pool/stats", POOL);
    let m = d.adapter().poll().await.unwrap().metrics;
    assert_eq!(m.work_rate, None);
    assert_eq!(m.hints.len(), 1);
    assert!(m.hints[0].contains("--local-api"), "{:?}", m.hints);
}

#[tokio::test]
async fn missing_or_empty_folder_is_unreachable() {
    let d = Dir::empty();
    let mut cfg = d.config();
    cfg.options.insert("data_dir".into(), d.path("not-yet").to_str().unwrap().into());
    let mut missing = P2poolAdapter::new(&cfg).unwrap();
    assert!(
        matches!(error(missing.poll().await), AdapterError::Unreachable(m) if m.contains("does not exist"))
    );
    assert!(
        matches!(error(d.adapter().poll().await), AdapterError::Unreachable(m) if m.contains("not written"))
    );
}

// ---- configuration ----

fn config_error(cfg: &AdapterConfig) -> String {
    match P2poolAdapter::new(cfg) {
        Err(AdapterError::Config(m)) => m,
        other => panic!("expected Config, got {other:?}"),
    }
}

#[test]
fn options_are_checked() {
    let d = Dir::empty();
    let mut cfg = d.config();
    cfg.options.clear();
    assert!(config_error(&cfg).contains("\"data_dir\""));
    cfg.options.insert("data_dir".into(), "relative/api".into());
    assert!(config_error(&cfg).contains("full path"));
    let mut cfg = d.config();
    cfg.options.insert("data-api".into(), "/tmp".into());
    assert!(config_error(&cfg).contains("\"data-api\""));
    for bad in ["5", "soon", "100000"] {
        let mut cfg = d.config();
        cfg.options.insert("stale_after_secs".into(), bad.into());
        assert!(config_error(&cfg).contains("stale_after_secs"), "{bad}");
    }
    let mut cfg = d.config();
    cfg.options.insert("stale_after_secs".into(), "60".into());
    cfg.url = Some("http://127.0.0.1:3333".into());
    assert_eq!(P2poolAdapter::new(&cfg).unwrap().limits.stale_after, Duration::from_secs(60));
}

#[tokio::test]
async fn p2pool_cannot_pause() {
    let mut a = Dir::recorded().adapter();
    assert!(matches!(a.pause().await, Err(AdapterError::Unsupported)));
    assert!(matches!(a.resume().await, Err(AdapterError::Unsupported)));
}
