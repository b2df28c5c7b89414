//! `lightrig report`: uptime, work done, rewards by state (never added together), energy.

use serde::Serialize;

use crate::ledger::{Ledger, LedgerError, RewardTotal};
use crate::model::Asset;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RewardLine {
    pub asset: String,
    pub state: String,
    pub simulated: bool,
    pub atomic: String,
    /// Decimal amount, formatted from atomic units without floats.
    pub amount: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub node_id: String,
    pub from_ms: i64,
    pub to_ms: i64,
    pub uptime_ms: u64,
    pub work_done: Option<u64>,
    pub rewards: Vec<RewardLine>,
    /// Energy used by the node, when a power source was measured or estimated. `None` means
    /// "not available", never 0.
    pub energy_kwh: Option<f64>,
    pub energy_note: String,
}

fn line(t: &RewardTotal) -> RewardLine {
    let asset = Asset { code: t.asset_code.clone(), decimals: t.decimals };
    RewardLine {
        asset: t.asset_code.clone(),
        state: t.state.as_str().to_owned(),
        simulated: t.simulated,
        atomic: t.atomic.to_string(),
        amount: asset.format_atomic(t.atomic),
        count: t.count,
    }
}

pub fn build(ledger: &Ledger, node: &str, from_ms: i64, to_ms: i64) -> Result<Report, LedgerError> {
    let now = crate::model::now_millis();
    let uptime_ms = ledger.uptime_ms(node, from_ms, to_ms, now)?;
    let work_done = ledger.work_done(Some(node), from_ms, to_ms)?;
    let rewards = ledger.reward_totals(Some(node), from_ms, to_ms)?.iter().map(line).collect();
    Ok(Report {
        node_id: node.to_owned(),
        from_ms,
        to_ms,
        uptime_ms,
        work_done,
        rewards,
        energy_kwh: None,
        energy_note: "not available: no power source has been measured on this computer yet".into(),
    })
}
