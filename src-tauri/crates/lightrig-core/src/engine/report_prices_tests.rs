//! `lightrig report`'s wait for the first payout: read from the live status file exactly as the
//! sampler writes it (a real `NodeStatus` serialized), and put in words.

use super::*;
use crate::adapter::NodeMetrics;
use crate::supervisor::{NodeState, NodeStatus};

fn live(node: &str, state: NodeState) -> LiveStatus {
    let metrics = NodeMetrics {
        work_rate: Some(WorkRate { value: 10.0, unit: "kH/s".into() }),
        network: Some(NetworkInfo {
            asset: "XMR".into(),
            height: Some(3_000_000),
            difficulty: Some(300e9),
            block_reward_atomic: Some(600_000_000_000),
            block_time_secs: Some(120),
        }),
        pool: Some(PoolInfo {
            asset: "XMR".into(),
            share_difficulty: Some(3e9),
            ..PoolInfo::default()
        }),
        ..NodeMetrics::default()
    };
    let status = NodeStatus {
        node_id: node.into(),
        profile_name: node.into(),
        simulated: false,
        state,
        pid: Some(4242),
        restarts: 0,
        metrics: Some(metrics),
        metrics_error: None,
        updated_ms: 1,
    };
    LiveStatus {
        engine_pid: 1,
        written_ms: 1,
        node: serde_json::to_value(&status).expect("status"),
        telemetry: None,
    }
}

#[test]
fn the_report_reads_the_running_nodes_live_figures() {
    let running = live("monerod", NodeState::Running { since_ms: 0 });
    let v = first_payout(Some(&running), "monerod", Some(AdapterKind::Monerod), false);
    // 3·10¹¹ ÷ 10⁴ H/s = 3·10⁷ s = 347.2 days; 5 %: 1.54·10⁶ s = 17.8 days; 95 %: 1,040 days.
    assert_eq!(v.expected_secs, Some(3e7), "{v:?}");
    assert_eq!(
        describe_first_payout(&v),
        "about 347 days (18 days to 2.8 years, 90 % range) to the first block found (solo \
         mining pays the whole block reward); network difficulty 3.0000e11 ÷ 10000 H/s"
    );
    let p2pool = live("p2pool", NodeState::Running { since_ms: 0 });
    let v = first_payout(Some(&p2pool), "p2pool", Some(AdapterKind::P2pool), false);
    // 3·10⁹ ÷ 10⁴ = 3·10⁵ s = 3.5 days; 15,388 s = 4.3 hours; 898,720 s = 10 days.
    assert!(
        describe_first_payout(&v).starts_with(
            "about 3.5 days (4.3 hours to 10 days, 90 % range) to the first share in P2Pool's"
        ),
        "{}",
        describe_first_payout(&v)
    );
}

#[test]
fn without_a_running_engine_on_that_node_the_wait_is_not_available() {
    let stopped = live("monerod", NodeState::Stopped { reason: "stopped by you".into() });
    let other = live("p2pool", NodeState::Running { since_ms: 0 });
    for l in [None, Some(&stopped), Some(&other)] {
        let v = first_payout(l, "monerod", Some(AdapterKind::Monerod), false);
        assert_eq!(v.unavailable.as_deref(), Some("no-work-rate"));
        assert_eq!(
            describe_first_payout(&v),
            "not available: the node is not running here now, or reports no work rate"
        );
    }
    let xmrig = live("xmrig", NodeState::Running { since_ms: 0 });
    let v = first_payout(Some(&xmrig), "xmrig", Some(AdapterKind::Xmrig), false);
    assert_eq!(
        describe_first_payout(&v),
        "not available: the pool's payout threshold decides it, and Lightrig does not know it"
    );
}
