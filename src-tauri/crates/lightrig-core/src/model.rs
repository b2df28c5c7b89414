//! The engine's shared vocabulary. Adapters translate each node's API into these types; every
//! layer above them (supervisor, ledger, reports, UI) speaks only this.

use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch, UTC. The ledger and every event use this one clock unit.
pub type UnixMillis = i64;

/// Now, as [`UnixMillis`].
pub fn now_millis() -> UnixMillis {
    let now = time::OffsetDateTime::now_utc();
    (now.unix_timestamp_nanos() / 1_000_000) as UnixMillis
}

/// What kind of participation a node is. Compliance notes are keyed by this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Activity {
    PowMining,
    Staking,
    Storage,
    Bandwidth,
    Compute,
}

impl Activity {
    pub const ALL: [Activity; 5] =
        [Self::PowMining, Self::Staking, Self::Storage, Self::Bandwidth, Self::Compute];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PowMining => "pow-mining",
            Self::Staking => "staking",
            Self::Storage => "storage",
            Self::Bandwidth => "bandwidth",
            Self::Compute => "compute",
        }
    }
}

/// Whether a figure was measured, estimated by a model, or simulated (practice node).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provenance {
    Measured,
    Estimated,
    Simulated,
}

/// A node's rate of work, with its unit ("H/s" for hash-based miners, "B/s" for bandwidth...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct WorkRate {
    pub value: f64,
    pub unit: String,
}

/// The state of a reward. The three are never added together anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RewardState {
    /// Computed from work done; nothing has been credited yet.
    Estimated,
    /// Credited by the pool or network but not yet paid out.
    Pending,
    /// Paid to the user's address.
    Paid,
}

impl RewardState {
    pub const ALL: [RewardState; 3] = [Self::Estimated, Self::Pending, Self::Paid];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Estimated => "estimated",
            Self::Pending => "pending",
            Self::Paid => "paid",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "estimated" => Some(Self::Estimated),
            "pending" => Some(Self::Pending),
            "paid" => Some(Self::Paid),
            _ => None,
        }
    }
}

/// An asset a reward is paid in, with how many atomic units make one whole unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Asset {
    /// Ticker, e.g. "XMR", "STORJ", or "SIM" for the practice node's simulated coin.
    pub code: String,
    /// Decimal places: XMR has 12 (piconero), SIM has 8.
    pub decimals: u8,
}

impl Asset {
    pub fn simulated() -> Self {
        Asset { code: "SIM".into(), decimals: 8 }
    }

    /// Formats an atomic amount as a decimal string without going through floats.
    pub fn format_atomic(&self, atomic: i128) -> String {
        let neg = atomic < 0;
        let abs = atomic.unsigned_abs();
        let scale = 10u128.pow(u32::from(self.decimals));
        let whole = abs / scale;
        let frac = abs % scale;
        let sign = if neg { "-" } else { "" };
        if self.decimals == 0 {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}.{frac:0width$}", width = usize::from(self.decimals))
        }
    }
}

/// One reward as an adapter reports it. `key` is unique per reward at its source (tx hash,
/// share id, payout id), so polling the same reward again never counts it twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reward {
    pub node_id: String,
    pub key: String,
    pub at: UnixMillis,
    pub asset: Asset,
    /// Integer atomic units (piconero, satoshi-like). Never a float.
    pub atomic: i128,
    pub state: RewardState,
    /// Where the figure came from, e.g. "practice-node /status" or "p2pool local/stratum".
    pub source: String,
    /// True for the practice node: these rewards are not money.
    pub simulated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_atomic_never_uses_floats() {
        let xmr = Asset { code: "XMR".into(), decimals: 12 };
        assert_eq!(xmr.format_atomic(1), "0.000000000001");
        assert_eq!(xmr.format_atomic(1_500_000_000_000), "1.500000000000");
        assert_eq!(xmr.format_atomic(-25), "-0.000000000025");
        let whole = Asset { code: "PTS".into(), decimals: 0 };
        assert_eq!(whole.format_atomic(42), "42");
    }
}
