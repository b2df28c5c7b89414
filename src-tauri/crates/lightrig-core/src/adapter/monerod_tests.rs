//! The monerod adapter against a fake node that answers with responses recorded from Debian's
//! monerod 0.18.0.0 (`--regtest --offline --fixed-difficulty 1`, mining with one thread), and
//! variations of them: missing, negative and non-numeric figures, malformed, huge, endless and
//! slow answers.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sha3::{Digest, Keccak256};

use super::found::Found;
use super::*;
use crate::adapter::fake::{FakeServer, Reply};
use crate::address::base58;
use crate::secret::Sensitive;

/// The address the recorded node mined to (the Monero General Fund's published address).
const ADDRESS: &str = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";
/// Heights and hashes of the blocks in `get_block_headers_range.json`.
const RANGE: [(u64, &str, i128); 3] = [
    (40, "38afb7b7ba0fcefcab679ebb70a218d1e8ca631e3d9a821620a8b4f0f1f2a83f", 35181721386045),
    (41, "010938b54c8374b33ff2eb422ee8f87cf2cbd9d266cba664005abe0403b6bcea", 35181654282237),
    (42, "400defa025a93345bd66cd8ae968397f44183f981c13b9a8b4d95b7191e4c136", 35181587178557),
];
/// The reward in `get_last_block_header.json`.
const LAST_REWARD: u64 = 35178836037865;
/// Every answer here must come well within this, however the fake misbehaves.
const BOUND: Duration = Duration::from_secs(5);

macro_rules! recorded {
    ($name:literal) => {
        serde_json::from_str::<Value>(include_str!(concat!("fixtures/monerod/", $name, ".json")))
            .unwrap()
    };
}

fn json_reply(v: &Value) -> Reply {
    Reply::Json(v.to_string())
}

/// `v` with `key` set to `new` (or removed, for `Value::Null`), also inside a JSON-RPC result.
fn with(mut v: Value, key: &str, new: Value) -> Value {
    let target = match v.get_mut("result") {
        Some(r) => r,
        None => &mut v,
    };
    let map = target.as_object_mut().unwrap();
    if new.is_null() {
        map.remove(key);
    } else {
        map.insert(key.into(), new);
    }
    v
}

fn cfg(url: Option<&str>, options: &[(&str, &str)]) -> AdapterConfig {
    AdapterConfig {
        node_id: "monerod".into(),
        url: url.map(str::to_owned),
        token: None,
        options: options.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
    }
}

fn adapter(fake: &FakeServer, options: &[(&str, &str)]) -> MonerodAdapter {
    MonerodAdapter::new(&cfg(Some(&fake.base), options)).unwrap()
}

/// A fake node: `get_info` at `height`, the miner `active` or idle, and one JSON-RPC answer.
async fn node(height: u64, active: bool, rpc: Value) -> FakeServer {
    let mining =
        if active { recorded!("mining_status_active") } else { recorded!("mining_status_idle") };
    FakeServer::start(vec![
        ("POST /get_info", json_reply(&with(recorded!("get_info"), "height", json!(height)))),
        ("POST /mining_status", json_reply(&mining)),
        ("POST /json_rpc", json_reply(&rpc)),
        ("POST /start_mining", json_reply(&recorded!("start_mining_ok"))),
        ("POST /stop_mining", json_reply(&recorded!("stop_mining_ok"))),
    ])
    .await
}

fn requests(fake: &FakeServer, path: &str) -> Vec<Value> {
    fake.seen()
        .into_iter()
        .filter(|s| s.target == path)
        .map(|s| serde_json::from_slice(&s.body).unwrap())
        .collect()
}

fn rpc_methods(fake: &FakeServer) -> Vec<String> {
    requests(fake, "/json_rpc").iter().map(|b| b["method"].as_str().unwrap().to_owned()).collect()
}

/// The recorded address's keys with another network prefix, plus `extra` bytes (an integrated
/// address's payment ID), and a fresh checksum.
fn address_with_prefix(prefix: u8, extra: &[u8]) -> String {
    let mut bytes = base58::decode(ADDRESS).unwrap();
    bytes.truncate(bytes.len() - 4);
    bytes[0] = prefix;
    bytes.extend_from_slice(extra);
    let checksum = Keccak256::digest(&bytes);
    bytes.extend_from_slice(&checksum[..4]);
    base58::encode(&bytes)
}

#[tokio::test]
async fn recorded_answers_of_a_mining_node_map_to_metrics() {
    let fake = node(84, true, recorded!("get_last_block_header")).await;
    let mut a = adapter(&fake, &[("miner_address", ADDRESS)]);
    let poll = a.poll().await.unwrap();
    let m = poll.metrics;
    assert_eq!(m.work_rate, Some(WorkRate { value: 11.0, unit: "H/s".into() }));
    assert_eq!(m.threads, Some(1));
    assert_eq!(m.paused, Some(false));
    assert_eq!(m.sync_progress, Some(1.0));
    assert!(m.simulated, "a regtest chain's coins are not money");
    assert!(m.uptime_secs.is_some());
    assert_eq!(
        m.network,
        Some(NetworkInfo {
            asset: "XMR".into(),
            height: Some(84),
            difficulty: Some(1.0),
            block_reward_atomic: Some(LAST_REWARD),
            block_time_secs: Some(120),
        })
    );
    assert!(m.hints.is_empty(), "{:?}", m.hints);
    assert!(poll.rewards.is_empty(), "blocks before the first look are not ours to claim");
    assert_eq!(rpc_methods(&fake), ["get_last_block_header"]);
    assert!(requests(&fake, "/start_mining").is_empty(), "it was already mining");
}

#[tokio::test]
async fn recorded_mainnet_answers_are_money_and_wide_difficulty_wins() {
    let info = with(recorded!("get_info"), "nettype", json!("mainnet"));
    let info = with(info, "difficulty", json!(1234));
    let info = with(info, "wide_difficulty", json!("0x1d4bc73c4ba1f"));
    let fake = FakeServer::start(vec![
        ("POST /get_info", json_reply(&info)),
        ("POST /mining_status", json_reply(&recorded!("mining_status_idle"))),
    ])
    .await;
    let mut a = adapter(&fake, &[]);
    let m = a.poll().await.unwrap().metrics;
    assert!(!m.simulated);
    assert_eq!(m.network.unwrap().difficulty, Some(515_380_837_923_359.0));
    assert_eq!(m.paused, None, "a node Lightrig does not mine with is never paused");
    assert!(!a.can_pause());
}

#[tokio::test]
async fn recorded_idle_miner_is_a_real_zero_and_lightrig_starts_it_once_synced() {
    let fake = node(84, false, recorded!("get_last_block_header")).await;
    let mut a = adapter(&fake, &[("miner_address", ADDRESS), ("threads", "2")]);
    let m = a.poll().await.unwrap().metrics;
    assert_eq!(m.work_rate, Some(WorkRate { value: 0.0, unit: "H/s".into() }));
    assert_eq!(m.threads, Some(0));
    assert_eq!(m.paused, Some(true));
    assert_eq!(
        requests(&fake, "/start_mining"),
        [json!({
            "miner_address": ADDRESS,
            "threads_count": 2,
            "do_background_mining": false,
            "ignore_battery": true,
        })]
    );
    // Paused by the user: the miner stays off until Resume.
    a.pause().await.unwrap();
    a.poll().await.unwrap();
    assert_eq!(requests(&fake, "/start_mining").len(), 1);
    a.resume().await.unwrap();
    assert_eq!(requests(&fake, "/start_mining").len(), 2);
}

#[tokio::test]
async fn fake_syncing_node_reports_progress_and_is_not_mined_on_yet() {
    let info = with(recorded!("get_info"), "height", json!(1500));
    let info = with(info, "target_height", json!(3000));
    let info = with(info, "synchronized", json!(false));
    let info = with(info, "busy_syncing", json!(true));
    let fake = FakeServer::start(vec![
        ("POST /get_info", json_reply(&info)),
        ("POST /mining_status", json_reply(&recorded!("mining_status_idle"))),
    ])
    .await;
    let mut a = adapter(&fake, &[("miner_address", ADDRESS)]);
    let m = a.poll().await.unwrap().metrics;
    assert_eq!(m.sync_progress, Some(0.5));
    assert!(m.hints.iter().any(|h| h.contains("1500 of 3000 blocks")), "{:?}", m.hints);
    assert!(requests(&fake, "/start_mining").is_empty());
}

#[tokio::test]
async fn fake_malformed_json_is_an_error_and_a_bad_mining_status_only_a_gap() {
    let fake = FakeServer::start(vec![(
        "POST /get_info",
        Reply::Raw {
            status: 200,
            content_type: "application/json",
            body: b"{\"height\": 8".to_vec(),
        },
    )])
    .await;
    let err = adapter(&fake, &[]).poll().await.unwrap_err();
    assert!(matches!(err, AdapterError::Malformed(_)), "{err}");

    let fake = node(84, true, recorded!("get_last_block_header")).await;
    fake.set("POST /mining_status", Reply::Json("[1, 2".into()));
    let m = adapter(&fake, &[]).poll().await.unwrap().metrics;
    assert_eq!(m.work_rate, None);
    assert_eq!(m.network.unwrap().height, Some(84));
    assert!(m.hints.iter().any(|h| h.contains("mining status is not available")), "{:?}", m.hints);

    // A node started with --restricted-rpc has no /mining_status at all.
    fake.set(
        "POST /mining_status",
        Reply::Raw { status: 404, content_type: "text/plain", body: Vec::new() },
    );
    let m = adapter(&fake, &[]).poll().await.unwrap().metrics;
    assert_eq!(m.work_rate, None);
}

#[tokio::test]
async fn fake_missing_fields_are_not_available() {
    let fake = FakeServer::start(vec![
        ("POST /get_info", Reply::Json(r#"{"status": "OK"}"#.into())),
        ("POST /mining_status", Reply::Json(r#"{"status": "OK"}"#.into())),
        ("POST /json_rpc", Reply::Json(r#"{"id": "0", "jsonrpc": "2.0", "result": {}}"#.into())),
    ])
    .await;
    let mut a = adapter(&fake, &[("miner_address", ADDRESS)]);
    let m = a.poll().await.unwrap().metrics;
    assert_eq!(m.work_rate, None);
    assert_eq!(m.threads, None);
    assert_eq!(m.paused, None);
    assert_eq!(m.sync_progress, None);
    assert_eq!(m.uptime_secs, None);
    assert!(m.simulated, "an answer that does not name its chain is not counted as money");
    let n = m.network.unwrap();
    assert_eq!((n.height, n.difficulty, n.block_reward_atomic), (None, None, None));
    assert!(requests(&fake, "/start_mining").is_empty(), "not known to be synced");
}

#[tokio::test]
async fn fake_negative_and_non_numeric_figures_are_not_available() {
    let info = with(recorded!("get_info"), "height", json!(-3));
    let info = with(info, "wide_difficulty", json!("0xnot-hex"));
    let info = with(info, "difficulty", json!(-1));
    let info = with(info, "target_height", json!(-7));
    let info = with(info, "start_time", json!("NaN"));
    let mining = with(recorded!("mining_status_active"), "speed", json!(-11.5));
    let mining = with(mining, "threads_count", json!(1.5));
    let header = recorded!("get_last_block_header");
    let mut header_bad = header.clone();
    header_bad["result"]["block_header"]["reward"] = json!(-1);
    let fake = FakeServer::start(vec![
        ("POST /get_info", json_reply(&info)),
        ("POST /mining_status", json_reply(&mining)),
        ("POST /json_rpc", json_reply(&header_bad)),
    ])
    .await;
    let mut a = adapter(&fake, &[]);
    let m = a.poll().await.unwrap().metrics;
    assert_eq!(m.work_rate, None);
    assert_eq!(m.threads, None);
    assert_eq!(m.sync_progress, None);
    assert_eq!(m.uptime_secs, None);
    let n = m.network.unwrap();
    assert_eq!((n.height, n.difficulty, n.block_reward_atomic), (None, None, None));

    fake.set("POST /mining_status", json_reply(&with(mining, "speed", json!("NaN"))));
    fake.set("POST /get_info", json_reply(&with(recorded!("get_info"), "difficulty", json!(0))));
    fake.set("POST /json_rpc", json_reply(&header));
    let m = a.poll().await.unwrap().metrics;
    assert_eq!(m.work_rate, None);
    // `wide_difficulty` still says 1; a zero in the narrow field does not override it.
    assert_eq!(m.network.unwrap().difficulty, Some(1.0));
}

#[tokio::test]
async fn fake_100_mb_answer_is_refused_without_reading_it() {
    let fake = FakeServer::start(vec![("POST /get_info", Reply::Huge(100 * 1024 * 1024))]).await;
    let t0 = Instant::now();
    let err = adapter(&fake, &[]).poll().await.unwrap_err();
    assert!(matches!(err, AdapterError::Malformed(_)), "{err}");
    assert!(t0.elapsed() < BOUND);
}

#[tokio::test]
async fn fake_endless_and_slow_answers_are_bounded() {
    let slow = Reply::Slow(Duration::from_secs(30), Box::new(json_reply(&recorded!("get_info"))));
    for bad in [Reply::Endless, slow.clone(), Reply::Close] {
        let fake = FakeServer::start(vec![("POST /get_info", bad)]).await;
        let t0 = Instant::now();
        let err = adapter(&fake, &[]).poll().await.unwrap_err();
        assert!(t0.elapsed() < BOUND, "took {:?}", t0.elapsed());
        assert!(matches!(err, AdapterError::Unreachable(_)), "{err}");
    }
    // Every answer but get_info misbehaves: the poll still ends in time, with what it has.
    let fake = node(84, true, json!({})).await;
    fake.set("POST /mining_status", Reply::Endless);
    fake.set("POST /json_rpc", slow);
    let t0 = Instant::now();
    let m = adapter(&fake, &[]).poll().await.unwrap().metrics;
    assert!(t0.elapsed() < BOUND, "took {:?}", t0.elapsed());
    assert_eq!(m.work_rate, None);
    assert_eq!(m.network.unwrap().height, Some(84));
}

#[tokio::test]
async fn fake_pause_and_resume_send_stop_and_start_mining() {
    let fake = node(84, false, recorded!("get_last_block_header")).await;
    let mut a = adapter(&fake, &[("miner_address", ADDRESS), ("threads", "3"), ("mine", "true")]);
    assert!(a.can_pause());
    a.resume().await.unwrap();
    a.pause().await.unwrap();
    assert_eq!(
        requests(&fake, "/start_mining"),
        [json!({
            "miner_address": ADDRESS,
            "threads_count": 3,
            "do_background_mining": false,
            "ignore_battery": true,
        })]
    );
    assert_eq!(requests(&fake, "/stop_mining"), [json!({})]);

    // "Mining never started": stopping an idle miner is done.
    fake.set("POST /stop_mining", json_reply(&recorded!("stop_mining_never")));
    a.pause().await.unwrap();
    // "Already mining" to our address: starting is done too.
    fake.set("POST /start_mining", json_reply(&recorded!("start_mining_already")));
    fake.set("POST /mining_status", json_reply(&recorded!("mining_status_active")));
    a.resume().await.unwrap();
    // ...but not when it is mining to someone else.
    let other =
        with(recorded!("mining_status_active"), "address", json!(address_with_prefix(19, &[7; 8])));
    fake.set("POST /mining_status", json_reply(&other));
    let err = a.resume().await.unwrap_err();
    assert!(err.to_string().contains("another address"), "{err}");
    // A refusal monerod explains is passed on.
    fake.set("POST /start_mining", json_reply(&recorded!("start_mining_wrong_address")));
    fake.set("POST /mining_status", json_reply(&recorded!("mining_status_idle")));
    let err = a.resume().await.unwrap_err();
    assert!(err.to_string().contains("Failed, wrong address"), "{err}");
}

#[tokio::test]
async fn fake_node_that_only_reads_cannot_pause() {
    let fake = node(84, true, recorded!("get_last_block_header")).await;
    let mut a = adapter(&fake, &[("miner_address", ADDRESS), ("mine", "false")]);
    assert!(!a.can_pause());
    assert!(matches!(a.pause().await, Err(AdapterError::Unsupported)));
    assert!(matches!(a.resume().await, Err(AdapterError::Unsupported)));
    a.poll().await.unwrap();
    assert!(fake.seen().iter().all(|s| !s.target.contains("_mining")));
}

#[tokio::test]
async fn fake_address_of_another_network_is_never_sent_to_the_node() {
    let testnet = address_with_prefix(53, &[]);
    let fake = node(84, false, recorded!("get_last_block_header")).await;
    let mut a = adapter(&fake, &[("miner_address", &testnet)]);
    let m = a.poll().await.unwrap().metrics;
    assert!(m.hints.iter().any(|h| h.contains("testnet address")), "{:?}", m.hints);
    let err = a.resume().await.unwrap_err();
    assert!(matches!(err, AdapterError::Config(_)), "{err}");
    assert!(requests(&fake, "/start_mining").is_empty());
}

#[tokio::test]
async fn recorded_blocks_found_offline_are_recorded_once_each() {
    let fake = node(40, true, recorded!("get_last_block_header")).await;
    let mut a = adapter(&fake, &[("miner_address", ADDRESS)]);
    assert!(a.poll().await.unwrap().rewards.is_empty());

    fake.set("POST /get_info", json_reply(&with(recorded!("get_info"), "height", json!(43))));
    fake.set("POST /json_rpc", json_reply(&recorded!("get_block_headers_range")));
    let poll = a.poll().await.unwrap();
    let asked = requests(&fake, "/json_rpc").pop().unwrap();
    assert_eq!(asked["method"], "get_block_headers_range");
    assert_eq!(asked["params"], json!({"start_height": 40, "end_height": 42}));
    let got: Vec<(String, i128)> = poll.rewards.iter().map(|r| (r.key.clone(), r.atomic)).collect();
    let want: Vec<(String, i128)> =
        RANGE.iter().map(|(_, hash, atomic)| (format!("block:{hash}"), *atomic)).collect();
    assert_eq!(got, want);
    for r in &poll.rewards {
        assert_eq!(r.state, RewardState::Estimated);
        assert_eq!(r.asset, Asset { code: "XMR".into(), decimals: 12 });
        assert!(r.simulated, "regtest coins are not money");
        assert!(r.source.contains("unverified"), "{}", r.source);
        assert_eq!(r.at, 1_795_556_046_000);
    }
    // The fake gave the page for `get_last_block_header` too: the page's top block still
    // gave the reward.
    assert_eq!(poll.metrics.network.unwrap().block_reward_atomic, Some(35181587178557));

    // Nothing new: nothing recorded again.
    fake.set("POST /json_rpc", json_reply(&recorded!("get_last_block_header")));
    assert!(a.poll().await.unwrap().rewards.is_empty());
    assert_eq!(
        rpc_methods(&fake),
        [
            "get_last_block_header",
            "get_last_block_header",
            "get_block_headers_range",
            "get_last_block_header"
        ]
    );
}

#[tokio::test]
async fn recorded_blocks_found_before_a_pause_are_settled() {
    let fake = node(40, true, recorded!("get_last_block_header")).await;
    let mut a = adapter(&fake, &[("miner_address", ADDRESS)]);
    a.poll().await.unwrap();
    // Three blocks, then the user pauses before the next look.
    fake.set("POST /get_info", json_reply(&with(recorded!("get_info"), "height", json!(43))));
    a.pause().await.unwrap();
    fake.set("POST /mining_status", json_reply(&recorded!("mining_status_idle")));
    fake.set("POST /json_rpc", json_reply(&recorded!("get_block_headers_range")));
    assert_eq!(a.poll().await.unwrap().rewards.len(), 3);
    assert!(requests(&fake, "/start_mining").is_empty(), "paused by the user");
}

#[tokio::test]
async fn fake_blocks_of_a_connected_node_are_not_claimed() {
    let fake = node(40, true, recorded!("get_last_block_header")).await;
    fake.set(
        "POST /get_info",
        json_reply(&with(
            with(recorded!("get_info"), "height", json!(40)),
            "offline",
            json!(false),
        )),
    );
    let mut a = adapter(&fake, &[("miner_address", ADDRESS)]);
    a.poll().await.unwrap();
    let info = with(with(recorded!("get_info"), "height", json!(43)), "offline", json!(false));
    fake.set("POST /get_info", json_reply(&info));
    fake.set("POST /json_rpc", json_reply(&recorded!("get_block_headers_range")));
    let poll = a.poll().await.unwrap();
    assert!(poll.rewards.is_empty());
    assert!(poll.metrics.hints.iter().any(|h| h.contains("connected to other nodes")));
    assert!(!rpc_methods(&fake).contains(&"get_block_headers_range".to_owned()));
}

#[tokio::test]
async fn fake_refused_header_page_is_skipped_and_a_hint_says_so() {
    let fake = node(40, true, recorded!("get_last_block_header")).await;
    let mut a = adapter(&fake, &[("miner_address", ADDRESS)]);
    a.poll().await.unwrap();
    fake.set("POST /get_info", json_reply(&with(recorded!("get_info"), "height", json!(43))));
    fake.set("POST /json_rpc", json_reply(&recorded!("get_block_headers_range_invalid")));
    let poll = a.poll().await.unwrap();
    assert!(poll.rewards.is_empty());
    assert!(poll.metrics.hints.iter().any(|h| h.contains("Invalid start/end heights")));
    // Not asked for again and again.
    a.poll().await.unwrap();
    let ranges = rpc_methods(&fake).into_iter().filter(|m| m == "get_block_headers_range");
    assert_eq!(ranges.count(), 1);
}

#[test]
fn options_are_checked_before_the_node_starts() {
    let url = Some("http://127.0.0.1:18081");
    let bad = |options: &[(&str, &str)]| match MonerodAdapter::new(&cfg(url, options)) {
        Err(AdapterError::Config(message)) => message,
        other => panic!("{options:?} was accepted: {other:?}"),
    };
    assert!(bad(&[("miner_address", "44AFFq5k")]).contains("miner_address"));
    assert!(bad(&[("miner_address", &address_with_prefix(42, &[]))]).contains("subaddress"));
    for threads in ["0", "257", "two", "-1"] {
        assert!(bad(&[("threads", threads)]).contains("1 to 256"));
    }
    assert!(bad(&[("mine", "yes")]).contains("true or false"));
    assert!(bad(&[("mine", "true")]).contains("needs miner_address"));
    assert!(bad(&[("thread", "2")]).contains("no option `thread`"));
    match MonerodAdapter::new(&cfg(None, &[])) {
        Err(AdapterError::Config(message)) => assert!(message.contains("url")),
        other => panic!("{other:?}"),
    }
    let mut with_token = cfg(url, &[]);
    with_token.token = Some(Sensitive::new("user:pass".into()));
    assert!(matches!(MonerodAdapter::new(&with_token), Err(AdapterError::Config(_))));

    let ok = |options: &[(&str, &str)]| MonerodAdapter::new(&cfg(url, options)).unwrap();
    assert!(ok(&[("miner_address", ADDRESS), ("threads", "256")]).can_pause());
    assert!(!ok(&[("miner_address", ADDRESS), ("mine", "false")]).can_pause());
    assert!(!ok(&[("miner_address", ""), ("threads", "")]).can_pause());
    assert!(ok(&[("miner_address", &address_with_prefix(19, &[7; 8]))]).can_pause(), "integrated");
}

#[test]
fn found_blocks_need_mining_to_our_address_at_both_looks() {
    let mut f = Found::default();
    f.look(10, true);
    assert_eq!(f.next(1000), None, "the first look only sets where counting starts");
    f.look(15, true);
    assert_eq!(f.next(1000), Some(10..15));
    f.look(20, false);
    assert_eq!(f.next(1000), Some(10..15), "mining stopped somewhere in 15..20");
    f.look(25, true);
    f.look(27, true);
    assert_eq!(f.pending, [10..15, 25..27], "blocks 15..25 are not known to be ours");
    f.done(&(10..15));
    assert_eq!(f.next(1000), Some(25..27));
    f.done(&(25..27));
    assert_eq!(f.next(1000), None);
}

#[test]
fn found_blocks_are_read_in_pages_and_survive_a_shorter_chain() {
    let mut f = Found::default();
    f.look(0, true);
    f.look(2500, true);
    assert_eq!(f.next(1000), Some(0..1000));
    f.done(&(0..1000));
    assert_eq!(f.next(1000), Some(1000..2000));
    f.look(1500, true);
    assert_eq!((f.pending.len(), f.next(u64::MAX)), (1, Some(1000..1500)));
    // Stopped, then started again: the stretch in between is not ours.
    f.stopped(Some(1600));
    f.started(1700, true);
    f.look(1750, true);
    assert_eq!(f.pending, [1000..1600, 1700..1750]);
}

#[test]
fn found_backlog_is_bounded() {
    let mut f = Found::default();
    for i in 0..100u64 {
        f.look(i * 10 + 2, true);
        f.look(i * 10 + 5, true);
        f.look(i * 10 + 10, false);
    }
    assert_eq!(f.pending.len(), 64);
    assert_eq!(f.dropped, 36 * 3);
    assert_eq!(f.next(1000), Some(362..365));
}
