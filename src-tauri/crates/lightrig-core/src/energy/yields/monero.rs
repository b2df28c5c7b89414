//! Monero yield from the miner's live hashrate and live network data (energy.md §4.1–4.2):
//!
//! ```text
//! XMR/day = H_eff / (D / 120) × 720 × R = H_eff × 86400 × R / D
//! H_eff   = H × (1 − donate) × (1 − pool fee) × (1 − stale/reject rate)
//! ```
//! D is in hashes per block (Monero's difficulty needs no 2³² factor), R is the real block
//! reward (tail emission 0.6 XMR plus fees; use `get_last_block_header`'s `reward`). The block
//! time (`DIFFICULTY_TARGET_V2` = 120 s) cancels out of the expectation; it only turns D into a
//! network hashrate. Never hard-coded H/s → XMR: RandomX v2 moves hashrates and difficulty.

use serde::{Deserialize, Serialize};

use super::poisson::{poisson_quantile, time_to_nth_event};
use super::{EstimatedAmount, YieldError, fraction, positive};
use crate::model::{Asset, WorkRate};

/// Piconero per XMR: 10¹².
pub const XMR_DECIMALS: u8 = 12;
const DAY_S: f64 = 86_400.0;

/// Live network data.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MoneroNetwork {
    /// Hashes per block.
    pub difficulty: f64,
    /// Atomic units (piconero) per block, fees included.
    pub block_reward_atomic: u64,
    /// 120 s on mainnet (`DIFFICULTY_TARGET_V2`).
    pub block_time_s: f64,
}

impl MoneroNetwork {
    pub fn network_hashrate(&self) -> f64 {
        self.difficulty / self.block_time_s
    }
}

/// The miner and what stands between its hashes and the user's reward.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MiningSetup {
    /// Hashes per second as the miner reports them.
    pub hashrate: f64,
    /// XMRig's donate level as a fraction; its default and minimum is 1 % (0.01).
    pub donate: f64,
    /// Pool fee as a fraction (P2Pool: 0).
    pub pool_fee: f64,
    /// Share of work lost to stale or rejected shares.
    pub stale_rate: f64,
}

/// How rewards arrive.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "kebab-case")]
pub enum PayoutMode {
    /// Every block found pays the whole reward.
    Solo,
    /// A pool crediting shares of `share_difficulty` and paying out at `threshold_atomic`.
    Pool { share_difficulty: f64, threshold_atomic: u64 },
    /// P2Pool: a share on the sidechain (difficulty `sidechain_difficulty`) puts the miner in
    /// the PPLNS window; the payout comes with the next P2Pool block. The first share is the
    /// wait users feel (energy.md §4.2: time to first share ≈ sidechain difficulty / H).
    P2Pool { sidechain_difficulty: f64 },
}

/// Poisson spread of events (blocks or shares) over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// "blocks" or "shares".
    pub event: String,
    pub expected: f64,
    pub p5: u64,
    pub p95: u64,
}

/// Time until the first payout (solo: the first block; pool: reaching the threshold; P2Pool:
/// the first sidechain share).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayoutTime {
    pub expected_s: f64,
    pub p5_s: f64,
    pub p95_s: f64,
    /// Events (blocks/shares) that have to be found first.
    pub events_needed: u64,
}

/// Hashes per second from a node's work rate ("H/s", "kH/s", "MH/s", "GH/s").
pub fn hashrate_of(rate: &WorkRate) -> Result<f64, YieldError> {
    let scale = match rate.unit.trim() {
        "H/s" => 1.0,
        "kH/s" | "KH/s" => 1e3,
        "MH/s" => 1e6,
        "GH/s" => 1e9,
        other => return Err(YieldError::WrongUnit { unit: other.to_owned() }),
    };
    positive("hashrate", rate.value * scale)
}

impl MiningSetup {
    /// XMRig's default: 1 % donation, no pool fee, no stale shares.
    pub fn xmrig_default(hashrate: f64) -> MiningSetup {
        MiningSetup { hashrate, donate: 0.01, pool_fee: 0.0, stale_rate: 0.0 }
    }

    /// H_eff, after validating every input.
    pub fn effective_hashrate(&self) -> Result<f64, YieldError> {
        let h = positive("hashrate", self.hashrate)?;
        let keep = (1.0 - fraction("donate", self.donate)?)
            * (1.0 - fraction("pool_fee", self.pool_fee)?)
            * (1.0 - fraction("stale_rate", self.stale_rate)?);
        Ok(h * keep)
    }
}

fn check(net: &MoneroNetwork) -> Result<(), YieldError> {
    positive("difficulty", net.difficulty)?;
    positive("block_time_s", net.block_time_s)?;
    positive("block_reward", net.block_reward_atomic as f64)?;
    Ok(())
}

fn xmr() -> Asset {
    Asset { code: "XMR".into(), decimals: XMR_DECIMALS }
}

/// Expected XMR over `period_s` (a day: 86,400), with the 5th–95th percentile band of what
/// `mode` actually pays in such a period.
pub fn expected(
    net: &MoneroNetwork,
    setup: &MiningSetup,
    mode: &PayoutMode,
    period_s: f64,
) -> Result<EstimatedAmount, YieldError> {
    check(net)?;
    let period_s = positive("period_s", period_s)?;
    let h_eff = setup.effective_hashrate()?;
    let reward = net.block_reward_atomic as f64;
    let atomic = h_eff * period_s * reward / net.difficulty;
    let spread = spread(net, setup, mode, period_s)?;
    let per_event = match mode {
        PayoutMode::Solo => reward,
        PayoutMode::Pool { share_difficulty: s, .. }
        | PayoutMode::P2Pool { sidechain_difficulty: s } => reward * s / net.difficulty,
    };
    Ok(EstimatedAmount {
        asset: xmr(),
        atomic: atomic.round() as i128,
        low: Some((spread.p5 as f64 * per_event).round() as i128),
        high: Some((spread.p95 as f64 * per_event).round() as i128),
        period_ms: (period_s * 1000.0).round() as i64,
        source: format!(
            "{:.0} H/s effective × {period_s:.0} s × {} XMR / difficulty {:.4e}",
            h_eff,
            xmr().format_atomic(i128::from(net.block_reward_atomic)),
            net.difficulty
        ),
    })
}

/// How many blocks (solo) or shares (pool, P2Pool) a period brings: Poisson, 5th–95th
/// percentile.
pub fn spread(
    net: &MoneroNetwork,
    setup: &MiningSetup,
    mode: &PayoutMode,
    period_s: f64,
) -> Result<Spread, YieldError> {
    check(net)?;
    let h_eff = setup.effective_hashrate()?;
    let (event, difficulty) = match mode {
        PayoutMode::Solo => ("blocks", net.difficulty),
        PayoutMode::Pool { share_difficulty, .. } => {
            ("shares", positive("share_difficulty", *share_difficulty)?)
        }
        PayoutMode::P2Pool { sidechain_difficulty } => {
            ("shares", positive("sidechain_difficulty", *sidechain_difficulty)?)
        }
    };
    let lambda = h_eff * period_s / difficulty;
    Ok(Spread {
        event: event.into(),
        expected: lambda,
        p5: poisson_quantile(lambda, 0.05),
        p95: poisson_quantile(lambda, 0.95),
    })
}

/// Expected time to the first payout, with its 5th–95th percentile.
pub fn time_to_first_payout(
    net: &MoneroNetwork,
    setup: &MiningSetup,
    mode: &PayoutMode,
) -> Result<PayoutTime, YieldError> {
    check(net)?;
    let h_eff = setup.effective_hashrate()?;
    let (rate, n) = match mode {
        PayoutMode::Solo => (h_eff / net.difficulty, 1),
        PayoutMode::P2Pool { sidechain_difficulty } => {
            (h_eff / positive("sidechain_difficulty", *sidechain_difficulty)?, 1)
        }
        PayoutMode::Pool { share_difficulty, threshold_atomic } => {
            let s = positive("share_difficulty", *share_difficulty)?;
            let per_share = net.block_reward_atomic as f64 * s / net.difficulty;
            let n = (*threshold_atomic as f64 / per_share).ceil().max(1.0);
            (h_eff / s, n as u64)
        }
    };
    Ok(PayoutTime {
        expected_s: n as f64 / rate,
        p5_s: time_to_nth_event(n, rate, 0.05),
        p95_s: time_to_nth_event(n, rate, 0.95),
        events_needed: n,
    })
}

/// Expected XMR per day, the headline figure (no spread).
pub fn per_day(net: &MoneroNetwork, setup: &MiningSetup) -> Result<EstimatedAmount, YieldError> {
    expected(net, setup, &PayoutMode::Solo, DAY_S).map(|mut e| {
        e.low = None;
        e.high = None;
        e
    })
}
