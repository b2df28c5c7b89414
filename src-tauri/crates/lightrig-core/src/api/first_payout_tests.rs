//! The expected wait for the first payout: hand-computed cases, and a reason for every missing
//! input (never a wait of 0).

use super::*;

fn network(difficulty: Option<f64>) -> NetworkInfo {
    NetworkInfo {
        asset: "XMR".into(),
        height: Some(3_000_000),
        difficulty,
        block_reward_atomic: Some(600_000_000_000),
        block_time_secs: Some(120),
    }
}

fn pool(share_difficulty: Option<f64>) -> PoolInfo {
    PoolInfo { asset: "XMR".into(), share_difficulty, ..PoolInfo::default() }
}

fn rate(value: f64, unit: &str) -> WorkRate {
    WorkRate { value, unit: unit.into() }
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() <= b.abs() * 1e-9)
}

#[test]
fn solo_mining_waits_difficulty_over_hashrate_for_one_block() {
    let net = network(Some(300e9));
    let r = rate(10.0, "kH/s");
    let i = PayoutInputs {
        adapter: Some(AdapterKind::Monerod),
        work_rate: Some(&r),
        network: Some(&net),
        ..PayoutInputs::default()
    };
    let v = first_payout(&i);
    assert_eq!((v.event.as_deref(), v.unavailable.as_deref()), (Some("block"), None), "{v:?}");
    // 3·10¹¹ hashes per block ÷ 10⁴ H/s = 3·10⁷ s (about 347 days), exponential:
    // 5th percentile −ln(0.95) × mean, 95th percentile ln(20) × mean.
    assert!(close(v.expected_secs, 3e7), "{v:?}");
    assert!(close(v.p5_secs, 3e7 * -(0.95f64.ln())), "{v:?}");
    assert!(close(v.p95_secs, 3e7 * 20f64.ln()), "{v:?}");
    assert_eq!(v.source.as_deref(), Some("network difficulty 3.0000e11 ÷ 10000 H/s"));
}

#[test]
fn p2pool_waits_for_the_first_share_in_the_window() {
    let net = network(Some(300e9));
    let p = pool(Some(3e9));
    let r = rate(10_000.0, "H/s");
    let i = PayoutInputs {
        adapter: Some(AdapterKind::P2pool),
        work_rate: Some(&r),
        network: Some(&net),
        pool: Some(&p),
        ..PayoutInputs::default()
    };
    let v = first_payout(&i);
    assert_eq!(v.event.as_deref(), Some("share"), "{v:?}");
    // Side-chain difficulty 3·10⁹ ÷ 10⁴ H/s = 3·10⁵ s (about 3.5 days), the same as P2Pool's
    // "average time to a share"; 5 % to 95 %: 15,388 s to 898,720 s.
    assert!(close(v.expected_secs, 3e5), "{v:?}");
    assert!((v.p5_secs.unwrap_or(0.0) - 15_388.0).abs() < 1.0, "{v:?}");
    assert!((v.p95_secs.unwrap_or(0.0) - 898_720.0).abs() < 1.0, "{v:?}");
    assert!(v.source.as_deref().is_some_and(|s| s.contains("side-chain difficulty 3.0000e9")));
}

#[test]
fn each_missing_input_gives_its_reason_and_no_figure() {
    let net = network(Some(300e9));
    let no_difficulty = network(None);
    let p = pool(Some(3e9));
    let no_share = pool(None);
    let r = rate(10_000.0, "H/s");
    let bytes = rate(5.0, "MB/s");
    let p2pool = PayoutInputs {
        adapter: Some(AdapterKind::P2pool),
        work_rate: Some(&r),
        network: Some(&net),
        pool: Some(&p),
        ..PayoutInputs::default()
    };
    let cases: [(&str, PayoutInputs<'_>); 11] = [
        ("no-work-rate", PayoutInputs { work_rate: None, ..p2pool }),
        ("not-hashes", PayoutInputs { work_rate: Some(&bytes), ..p2pool }),
        ("no-network", PayoutInputs { network: None, ..p2pool }),
        ("no-network", PayoutInputs { network: Some(&no_difficulty), ..p2pool }),
        ("no-share-difficulty", PayoutInputs { pool: None, ..p2pool }),
        ("no-share-difficulty", PayoutInputs { pool: Some(&no_share), ..p2pool }),
        ("pool-threshold", PayoutInputs { adapter: Some(AdapterKind::Xmrig), ..p2pool }),
        ("not-mining", PayoutInputs { adapter: Some(AdapterKind::Storj), ..p2pool }),
        ("not-mining", PayoutInputs { adapter: Some(AdapterKind::Mysterium), ..p2pool }),
        ("simulated", PayoutInputs { simulated: true, ..p2pool }),
        ("unknown-node", PayoutInputs { adapter: Some(AdapterKind::Custom), ..p2pool }),
    ];
    for (reason, i) in cases {
        let v = first_payout(&i);
        assert_eq!(v.unavailable.as_deref(), Some(reason), "{i:?}");
        assert_eq!((v.expected_secs, v.p5_secs, v.p95_secs), (None, None, None), "{reason}");
        assert_eq!(v.event, None, "{reason}");
    }
    // A stopped monerod (no rate) is a reason too, not a wait of 0 or of forever.
    let stopped = PayoutInputs {
        adapter: Some(AdapterKind::Monerod),
        network: Some(&net),
        ..PayoutInputs::default()
    };
    assert_eq!(first_payout(&stopped).unavailable.as_deref(), Some("no-work-rate"));
}
