//! The engine with a real monerod (Debian's package, found on PATH), no fakes: started and
//! health-checked by the supervisor, mined with through the monerod adapter on a private
//! regtest chain, every block it finds recorded in the ledger exactly once, paused, resumed and
//! stopped with nothing left running.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use lightrig_core::engine::{Engine, EngineOptions, NodeChoice};
use lightrig_core::ledger::RewardRecord;
use lightrig_core::model::RewardState;
use lightrig_core::profile::FieldValue;
use serde_json::{Value, json};

use crate::support::*;

const NODE: &str = "monerod-regtest";
/// Any valid mainnet-format address will do (a regtest chain pays mainnet-format addresses and
/// its coins are worth nothing): the Monero General Fund's published address.
const ADDRESS: &str = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";
const T: Duration = Duration::from_secs(30);

fn require_monerod() -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths).map(|d| d.join("monerod")).find(|p| p.is_file())
    });
    found.unwrap_or_else(|| {
        panic!("monerod is not on PATH: install Debian's monero package (scripts/setup.sh does)")
    })
}

/// The value after `flag` on the node's command line.
fn arg_of(pid: u32, flag: &str) -> String {
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap();
    let args: Vec<String> =
        cmdline.split(|b| *b == 0).map(|a| String::from_utf8_lossy(a).into_owned()).collect();
    let at = args.iter().position(|a| a == flag).unwrap_or_else(|| panic!("{flag} in {args:?}"));
    args[at + 1].clone()
}

/// Asks monerod directly, as a check on what Lightrig recorded.
struct Rpc {
    base: String,
    client: reqwest::Client,
}

impl Rpc {
    async fn post(&self, path: &str, body: Value) -> Value {
        let res = self.client.post(format!("{}{path}", self.base)).json(&body).send().await;
        res.unwrap().json().await.unwrap()
    }

    async fn height(&self) -> u64 {
        self.post("/get_info", json!({})).await["height"].as_u64().unwrap()
    }

    /// Hashes of the blocks at heights `range`.
    async fn hashes(&self, range: std::ops::Range<u64>) -> BTreeSet<String> {
        let params = json!({"start_height": range.start, "end_height": range.end - 1});
        let body = json!({"jsonrpc": "2.0", "id": "0", "method": "get_block_headers_range", "params": params});
        let answer = self.post("/json_rpc", body).await;
        let headers = answer["result"]["headers"].as_array().unwrap();
        headers.iter().map(|h| h["hash"].as_str().unwrap().to_owned()).collect()
    }
}

fn blocks(engine: &Engine) -> Vec<RewardRecord> {
    engine.ledger().rewards(Some(NODE), 0, i64::MAX, 100_000).unwrap()
}

/// Processes whose command line names `dir` (the chain folder is unique to this test).
fn processes_using(dir: &Path) -> Vec<u32> {
    let needle = dir.display().to_string();
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()))
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&needle))
        })
        .filter(|pid| alive(*pid))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn monerod_regtest_mines_records_each_block_once_pauses_resumes_and_stops() {
    require_monerod();
    let dir = tempfile::tempdir().unwrap();
    let chain = dir.path().join("chain");
    let profile = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/engine/monerod-regtest.toml");
    let overrides = BTreeMap::from([
        ("data_dir".to_owned(), FieldValue::Text(chain.display().to_string())),
        ("miner_address".to_owned(), FieldValue::Text(ADDRESS.into())),
    ]);
    let engine = Engine::open(EngineOptions {
        data_dir: Some(dir.path().join("lightrig")),
        node: NodeChoice::File(profile),
        overrides,
        bundled_dir: None,
        lifeline: Some(lifeline()),
    })
    .await
    .unwrap();
    let node = engine.node();
    node.start().await.unwrap();

    // Running once monerod answers its health check; then the adapter starts the miner.
    let pid = wait_for(&node, T, "running", is("running")).await.pid.unwrap();
    let rpc = Rpc {
        base: format!("http://127.0.0.1:{}", arg_of(pid, "--rpc-bind-port")),
        client: reqwest::Client::builder().no_proxy().build().unwrap(),
    };
    let st = wait_for(&node, T, "mining", |s| {
        s.metrics.as_ref().is_some_and(|m| m.paused == Some(false))
    })
    .await;
    let m = st.metrics.unwrap();
    assert_eq!(m.work_rate.unwrap().unit, "H/s");
    assert_eq!(m.sync_progress, Some(1.0));
    assert!(m.simulated, "regtest coins are not money");
    assert_eq!(m.network.unwrap().asset, "XMR");

    // Blocks are found and recorded.
    eventually(T, "blocks recorded in the ledger", || blocks(&engine).len() >= 3).await;

    // Pause stops monerod's miner: the chain stops growing.
    node.pause().await.unwrap();
    let height = rpc.height().await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(rpc.height().await, height, "still mining after pause");
    wait_for(&node, T, "paused in metrics", |s| {
        s.metrics.as_ref().and_then(|m| m.paused) == Some(true)
    })
    .await;

    // Every block since the genesis block (height 0) was found by this node's miner, and each
    // is in the ledger exactly once, keyed by its hash, however many polls saw it.
    eventually(T, "all found blocks recorded", || blocks(&engine).len() as u64 == height - 1).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let recorded = blocks(&engine);
    assert_eq!(recorded.len() as u64, height - 1, "a block was recorded twice, or lost");
    let keys: BTreeSet<String> = recorded.iter().map(|r| r.reward.key.clone()).collect();
    let chain_keys: BTreeSet<String> =
        rpc.hashes(1..height).await.into_iter().map(|h| format!("block:{h}")).collect();
    assert_eq!(keys, chain_keys);
    for r in &recorded {
        assert_eq!(r.reward.state, RewardState::Estimated);
        assert_eq!((r.reward.asset.code.as_str(), r.reward.asset.decimals), ("XMR", 12));
        assert!(r.reward.simulated && r.reward.atomic > 0);
        assert!(r.reward.source.contains("unverified"), "{}", r.reward.source);
    }

    // Resume starts the miner again; new blocks are recorded too.
    node.resume().await.unwrap();
    eventually(T, "blocks after resume", || blocks(&engine).len() as u64 > height - 1).await;

    engine.shutdown().await;
    assert_eq!(node.status().state.name(), "stopped");
    assert!(!alive(pid), "monerod survived the stop");
    assert_eq!(processes_using(&chain), Vec::<u32>::new(), "a monerod process was left running");
}
