//! The expected time to the first payout, shown with today's estimate (energy.md §4.2: variance
//! is what small CPUs feel). It rests on the node's work rate now and what the node reports:
//!
//! - monerod mines solo: the wait for one block, network difficulty ÷ H/s, exponential.
//! - P2Pool: the wait for the first share in the PPLNS window, side-chain difficulty ÷ H/s;
//!   from then P2Pool pays at each block the pool finds while the share is in the window.
//! - XMRig to a pool: not available. The pool's payout threshold decides it, and Lightrig does
//!   not know it; a made-up threshold would be a made-up wait.
//! - Storj and Mysterium pay per period, not per block found; the practice node's rewards are
//!   simulated; a custom node's payout rules are unknown.
//!
//! A missing input gives a reason code, never a wait of 0 or of infinity.

use super::dto::FirstPayoutView;
use crate::adapter::{NetworkInfo, PoolInfo};
use crate::energy::yields::{
    MiningSetup, MoneroNetwork, PayoutMode, PayoutTime, YieldError, hashrate_of,
    time_to_first_payout,
};
use crate::model::WorkRate;
use crate::profile::AdapterKind;

/// What the wait is computed from.
#[derive(Debug, Clone, Copy, Default)]
pub struct PayoutInputs<'a> {
    /// The node's status adapter: it says how the node is paid.
    pub adapter: Option<AdapterKind>,
    pub simulated: bool,
    /// The node's work rate now; `None` while it is not running.
    pub work_rate: Option<&'a WorkRate>,
    pub network: Option<&'a NetworkInfo>,
    pub pool: Option<&'a PoolInfo>,
}

fn not_available(reason: &str) -> FirstPayoutView {
    FirstPayoutView {
        event: None,
        expected_secs: None,
        p5_secs: None,
        p95_secs: None,
        source: None,
        unavailable: Some(reason.to_owned()),
    }
}

fn reason_of(e: &YieldError) -> &'static str {
    match e {
        YieldError::WrongUnit { .. } => "not-hashes",
        YieldError::BadInput { field: "hashrate", .. } => "no-work-rate",
        YieldError::BadInput { field: "sidechain_difficulty", .. } => "no-share-difficulty",
        YieldError::BadInput { .. } => "no-network",
    }
}

/// The expected wait for the first payout, or why there is none.
pub fn first_payout(i: &PayoutInputs<'_>) -> FirstPayoutView {
    let solo = match i.adapter {
        _ if i.simulated => return not_available("simulated"),
        Some(AdapterKind::Monerod) => true,
        Some(AdapterKind::P2pool) => false,
        Some(AdapterKind::Xmrig) => return not_available("pool-threshold"),
        Some(AdapterKind::Storj | AdapterKind::Mysterium) => return not_available("not-mining"),
        Some(AdapterKind::Practice) => return not_available("simulated"),
        Some(AdapterKind::Custom | AdapterKind::None) | None => {
            return not_available("unknown-node");
        }
    };
    match wait(i, solo) {
        Ok((event, t, source)) => FirstPayoutView {
            event: Some(event.to_owned()),
            expected_secs: Some(t.expected_s),
            p5_secs: Some(t.p5_s),
            p95_secs: Some(t.p95_s),
            source: Some(source),
            unavailable: None,
        },
        Err(reason) => not_available(reason),
    }
}

fn wait(
    i: &PayoutInputs<'_>,
    solo: bool,
) -> Result<(&'static str, PayoutTime, String), &'static str> {
    let rate = i.work_rate.ok_or("no-work-rate")?;
    let hashrate = hashrate_of(rate).map_err(|e| reason_of(&e))?;
    let net = i.network.filter(|n| n.asset == "XMR").ok_or("no-network")?;
    let network = MoneroNetwork {
        difficulty: net.difficulty.ok_or("no-network")?,
        block_reward_atomic: net.block_reward_atomic.ok_or("no-network")?,
        block_time_s: f64::from(net.block_time_secs.unwrap_or(120)),
    };
    // The rate is measured where the work arrives (monerod's own miner; P2Pool's stratum),
    // after any XMRig donation, so nothing is taken off it again. With P2Pool this matches
    // the pool card's "average time to a share" exactly.
    let setup = MiningSetup { hashrate, donate: 0.0, pool_fee: 0.0, stale_rate: 0.0 };
    let (event, mode, source) = if solo {
        let source = format!("network difficulty {:.4e} ÷ {hashrate:.0} H/s", network.difficulty);
        ("block", PayoutMode::Solo, source)
    } else {
        let d = i.pool.and_then(|p| p.share_difficulty).ok_or("no-share-difficulty")?;
        let source = format!("P2Pool side-chain difficulty {d:.4e} ÷ {hashrate:.0} H/s");
        ("share", PayoutMode::P2Pool { sidechain_difficulty: d }, source)
    };
    let t = time_to_first_payout(&network, &setup, &mode).map_err(|e| reason_of(&e))?;
    // A wait too long for f64 (a rate of a few H/s against a huge difficulty) is not shown.
    if !(t.expected_s.is_finite() && t.p95_s.is_finite()) {
        return Err("no-work-rate");
    }
    Ok((event, t, source))
}

#[cfg(test)]
#[path = "first_payout_tests.rs"]
mod tests;
