//! The `/status` document. Field order and names are a contract with the engine's practice
//! adapter: change them only together with it.

use serde::Serialize;

use super::AppState;

/// Asset code of the simulated coin; it is not money and every consumer labels it so.
const ASSET: &str = "SIM";
const DECIMALS: u8 = 8;

#[derive(Debug, Serialize)]
pub struct Status {
    version: &'static str,
    simulated: bool,
    run_id: String,
    uptime_secs: u64,
    paused: bool,
    threads: usize,
    intensity: u8,
    difficulty: u64,
    hashrate: Hashrate,
    total_hashes: u64,
    shares: Shares,
    rewards: Rewards,
}

#[derive(Debug, Serialize)]
struct Hashrate {
    #[serde(rename = "10s")]
    s10: Option<f64>,
    #[serde(rename = "60s")]
    s60: Option<f64>,
    #[serde(rename = "15m")]
    m15: Option<f64>,
}

#[derive(Debug, Serialize)]
struct Shares {
    accepted: u64,
    last_at_ms: Option<u64>,
}

#[derive(Debug, Serialize)]
struct Rewards {
    asset: &'static str,
    decimals: u8,
    per_share: u64,
    atomic_total: u64,
    items: Vec<Item>,
}

#[derive(Debug, Serialize)]
struct Item {
    id: String,
    at_ms: u64,
    atomic: u64,
}

impl Status {
    /// A snapshot of the node, with reward items numbered above `since`.
    pub fn capture(state: &AppState, since: u64) -> Self {
        let miner = &state.miner;
        let rates = miner.rates();
        let book = miner.book(since);
        let run_id = miner.run_id().to_owned();
        Status {
            version: env!("CARGO_PKG_VERSION"),
            simulated: true,
            uptime_secs: state.started.elapsed().as_secs(),
            paused: miner.paused(),
            threads: miner.threads(),
            intensity: miner.intensity(),
            difficulty: miner.difficulty(),
            hashrate: Hashrate { s10: rates.s10, s60: rates.s60, m15: rates.m15 },
            total_hashes: miner.total_hashes(),
            shares: Shares { accepted: book.accepted, last_at_ms: book.last_at_ms },
            rewards: Rewards {
                asset: ASSET,
                decimals: DECIMALS,
                per_share: miner.reward_per_share(),
                atomic_total: book.atomic_total,
                items: book
                    .items
                    .iter()
                    .map(|item| Item {
                        id: format!("{run_id}-{}", item.n),
                        at_ms: item.at_ms,
                        atomic: item.atomic,
                    })
                    .collect(),
            },
            run_id,
        }
    }
}
