//! Blocks P2Pool finds while Lightrig watches, turned into estimated rewards.
//!
//! P2Pool pays on-chain: every Monero block it finds pays each miner in its PPLNS window
//! directly, by the miner's share of the window. Its files tell which blocks were found
//! (`pool/blocks`, height and hash), the reward of the Monero tip (`network/stats`) and the
//! user's share of the reward of a block found now (`block_reward_share_percent`, printed to
//! three decimals, so 0.021 % may be anything from 0.0205 to 0.0215). A found block becomes an
//! `Estimated` reward of tip reward × share, keyed by its height and hash, only when:
//!
//! - it was found after this run began (older blocks were paid, or not, before Lightrig
//!   watched);
//! - the tip P2Pool reported at that height had the same hash, so the reward is that block's;
//! - P2Pool reported a share above zero (a share printed as 0.000 is unknown, not nothing).
//!
//! Otherwise nothing is recorded: the payment itself is in the user's wallet either way.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::model::{Asset, Reward, RewardState};

/// Tips remembered (one per Monero block, every two minutes or so).
const TIPS_KEPT: usize = 64;
/// Found blocks remembered so none is counted twice (P2Pool lists the last 51).
const SEEN_KEPT: usize = 256;
/// How long a found block may wait for its tip and a share figure before it is let go.
const PENDING_SECS: u64 = 15 * 60;
/// Blocks P2Pool stamped this close before the run began still count (clocks differ).
const START_SLACK_SECS: u64 = 60;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Found {
    height: u64,
    hash: String,
    ts: u64,
}

#[derive(Debug, Default)]
pub(super) struct FoundBlocks {
    started_secs: u64,
    /// Set once the first list was read: everything in it is from before.
    baseline: bool,
    seen: BTreeSet<(u64, String)>,
    pending: Vec<Found>,
    /// Monero tips P2Pool reported: height → (hash, reward in piconero).
    tips: BTreeMap<u64, (String, u64)>,
}

impl FoundBlocks {
    pub(super) fn new(started_secs: u64) -> Self {
        FoundBlocks { started_secs, ..FoundBlocks::default() }
    }

    /// Remembers the tip from `network/stats`.
    pub(super) fn tip(&mut self, network: Option<&Value>) {
        let Some(n) = network else { return };
        let height = n.get("height").and_then(Value::as_u64);
        let hash = n.get("hash").and_then(Value::as_str).and_then(block_hash);
        let reward = n.get("reward").and_then(Value::as_u64);
        if let (Some(height), Some(hash), Some(reward)) = (height, hash, reward) {
            self.tips.insert(height, (hash, reward));
            while self.tips.len() > TIPS_KEPT {
                self.tips.pop_first();
            }
        }
    }

    /// Takes the list from `pool/blocks`; blocks new since the first list wait for a reward.
    pub(super) fn found(&mut self, blocks: Option<&Value>) {
        let listed = blocks.and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        for b in listed {
            let height = b.get("height").and_then(Value::as_u64);
            let hash = b.get("hash").and_then(Value::as_str).and_then(block_hash);
            let ts = b.get("ts").and_then(Value::as_u64);
            let (Some(height), Some(hash), Some(ts)) = (height, hash, ts) else { continue };
            if !self.seen.insert((height, hash.clone())) {
                continue;
            }
            if self.baseline && ts + START_SLACK_SECS >= self.started_secs {
                self.pending.push(Found { height, hash, ts });
            }
        }
        while self.seen.len() > SEEN_KEPT {
            self.seen.pop_first();
        }
        self.baseline = true;
    }

    /// Rewards for the waiting blocks that can now be estimated; `share_percent` is P2Pool's
    /// `block_reward_share_percent` from this look at its files, if it had one.
    pub(super) fn rewards(
        &mut self,
        share_percent: Option<f64>,
        now_secs: u64,
        node_id: &str,
    ) -> Vec<Reward> {
        let mut out = Vec::new();
        let tips = &self.tips;
        self.pending.retain(|f| {
            if now_secs > f.ts + PENDING_SECS {
                tracing::debug!(height = f.height, "P2Pool block left without an estimate");
                return false;
            }
            let Some((tip_hash, reward)) = tips.get(&f.height) else { return true };
            if *tip_hash != f.hash {
                // The chain at that height holds another block: this one paid nothing.
                return false;
            }
            let Some(share) = share_percent.filter(|p| p.is_finite()) else { return true };
            if share > 0.0 && share <= 100.0 {
                out.push(estimate(f, *reward, share, node_id));
            }
            false
        });
        out
    }
}

fn estimate(f: &Found, reward: u64, share_percent: f64, node_id: &str) -> Reward {
    // The share has three decimals; the result is an estimate, rounded down to a piconero.
    let atomic = (reward as f64 * share_percent / 100.0).floor() as i128;
    Reward {
        node_id: node_id.to_owned(),
        key: format!("p2pool:block:{}:{}", f.height, f.hash),
        at: i64::try_from(f.ts).unwrap_or(i64::MAX / 1000).saturating_mul(1000),
        asset: Asset { code: "XMR".into(), decimals: 12 },
        atomic,
        state: RewardState::Estimated,
        source: "p2pool pool/blocks + network/stats reward × local block_reward_share_percent"
            .into(),
        simulated: false,
    }
}

/// A block hash as P2Pool prints it: 64 hex digits (kept lowercase so keys compare).
fn block_hash(text: &str) -> Option<String> {
    (text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| text.to_ascii_lowercase())
}
