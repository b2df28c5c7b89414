//! P2Pool's pool figures (PPLNS window, share difficulty, time to a share, payout per block)
//! from a folder of recorded data-api files, and from missing, broken or nonsense ones.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::*;

const NETWORK: &str = include_str!("fixtures/p2pool/network-stats.json");
const POOL: &str = include_str!("fixtures/p2pool/pool-stats.json");
const STRATUM: &str = include_str!("fixtures/p2pool/local-stratum.json");
const P2P: &str = include_str!("fixtures/p2pool/local-p2p.json");

struct Dir(tempfile::TempDir);

impl Dir {
    /// The files P2Pool wrote while XMRig mined to it, `pool/stats` as given.
    fn recorded(pool: Option<&str>) -> Dir {
        let d = Dir(tempfile::tempdir().unwrap());
        d.write("network/stats", NETWORK);
        d.write("local/stratum", STRATUM);
        d.write("local/p2p", P2P);
        if let Some(p) = pool {
            d.write("pool/stats", p);
        }
        d
    }

    fn write(&self, name: &str, body: &str) {
        let path = self.0.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }

    async fn poll(&self) -> Poll {
        let mut options = BTreeMap::new();
        options.insert("data_dir".to_owned(), self.0.path().to_str().unwrap().to_owned());
        let cfg = AdapterConfig { node_id: "p2pool".into(), url: None, token: None, options };
        P2poolAdapter::new(&cfg).unwrap().poll().await.unwrap()
    }
}

fn edited(body: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(body).unwrap();
    edit(&mut v);
    v.to_string()
}

#[tokio::test]
async fn recorded_pool_stats_give_the_window_share_time_and_payout() {
    let poll = Dir::recorded(Some(POOL)).poll().await;
    let p = poll.metrics.pool.unwrap();
    assert_eq!(p.asset, "XMR");
    assert_eq!(p.share_difficulty, Some(53_824_120.0));
    assert_eq!(p.window_size, Some(2160));
    assert_eq!(p.window_share_percent, Some(0.0213));
    // 0.0213 % of 2160 shares: less than one share's worth.
    let est = p.window_shares_estimate.unwrap();
    assert!((est - 0.460_08).abs() < 1e-9, "{est}");
    // 53 824 120 hashes per share at 4481 H/s: about 3 h 20 min.
    let secs = p.expected_share_secs.unwrap();
    assert!((secs - 53_824_120.0 / 4481.0).abs() < 1e-6, "{secs}");
    // 0.0213 % of a 0.607350142 XMR block reward.
    assert_eq!(p.payout_per_block_atomic, Some(129_365_580));
    assert_eq!(p.pool_rate, Some(WorkRate { value: 5_382_412.0, unit: "H/s".into() }));
}

#[tokio::test]
async fn missing_pool_stats_leave_those_figures_not_available() {
    let p = Dir::recorded(None).poll().await.metrics.pool.unwrap();
    assert_eq!((p.share_difficulty, p.window_size, p.pool_rate.clone()), (None, None, None));
    assert_eq!((p.window_shares_estimate, p.expected_share_secs), (None, None));
    assert_eq!(p.window_share_percent, Some(0.0213), "from local/stratum");
    assert_eq!(p.payout_per_block_atomic, Some(129_365_580), "from local/stratum and the tip");

    let d = Dir::recorded(None);
    d.write("local/stratum", &edited(STRATUM, |v| v["block_reward_share_percent"] = Value::Null));
    assert_eq!(d.poll().await.metrics.pool, None, "nothing about the pool at all");
}

#[tokio::test]
async fn malformed_pool_stats_do_not_fail_the_poll() {
    let poll = Dir::recorded(Some("{\"pool_statistics\":")).poll().await;
    let p = poll.metrics.pool.unwrap();
    assert_eq!((p.share_difficulty, p.window_size), (None, None));
    assert_eq!(poll.metrics.shares_accepted, Some(1), "the rest is still read");
}

#[tokio::test]
async fn nonsense_pool_figures_are_not_available_not_zero() {
    let pool = edited(POOL, |v| {
        v["pool_statistics"]["sidechainDifficulty"] = json!(0);
        v["pool_statistics"]["pplnsWindowSize"] = json!(-5);
        v["pool_statistics"]["hashRate"] = json!("fast");
    });
    let d = Dir::recorded(Some(&pool));
    d.write("local/stratum", &edited(STRATUM, |v| v["block_reward_share_percent"] = json!(140.0)));
    let p = d.poll().await.metrics.pool;
    assert_eq!(p, None, "{p:?}");
}

#[tokio::test]
async fn without_hashing_there_is_no_time_to_a_share() {
    let d = Dir::recorded(Some(POOL));
    d.write("local/stratum", &edited(STRATUM, |v| v["hashrate_15m"] = json!(0)));
    let p = d.poll().await.metrics.pool.unwrap();
    assert_eq!(p.expected_share_secs, None, "not infinity");
    assert_eq!(p.share_difficulty, Some(53_824_120.0));
}
