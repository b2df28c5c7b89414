//! `lightrig report`: uptime, work done, rewards by state (never added together), energy and
//! its cost (per currency, never converted), and which cost a net result would rest on.

use serde::Serialize;

use crate::ledger::{EnergyTotals, Ledger, LedgerError, RewardTotal};
use crate::model::{Asset, Provenance};

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
    /// Energy while the node ran or was paused, from the ledger's energy rollups (whole minutes
    /// starting in the range). `None` means "not available", never 0.
    pub energy_kwh: Option<f64>,
    /// How the energy was obtained and what it covers, or why it is not available.
    pub energy_note: String,
    /// measured or estimated; `None` without energy.
    pub energy_provenance: Option<String>,
    /// What the readings covered: wall, cpu-package (not the whole computer), model...
    pub power_kinds: Vec<String>,
    pub power_source: Option<String>,
    /// Time with a power reading.
    pub covered_ms: i64,
    /// Energy above the idle baseline Lightrig measured with the node stopped or paused.
    pub marginal_kwh: Option<f64>,
    /// Share (0–1) of `covered_ms` that has a marginal figure.
    pub marginal_coverage: Option<f64>,
    /// Electricity cost per currency (a currency change is never converted or added).
    pub costs: Vec<CostLine>,
    /// The cost a net result for this range rests on: "marginal" (only what the node added
    /// above idle) when every costed minute has a marginal cost, else "total".
    pub net_basis: String,
    pub net_basis_note: String,
    /// The reward lines in money at the coin price in force at the end of the range (filled
    /// by `report_prices::value`); one per asset and state, never added together.
    pub valued: Vec<super::report_prices::ValuedLine>,
    /// Assets with rewards in the range but no price in the settings currency.
    pub unpriced: Vec<String>,
    /// The expected wait for the first payout at the rate of the node running now (filled by
    /// `report_prices::first_payout`); not available, with a reason, when it is not running.
    pub first_payout: crate::api::FirstPayoutView,
}

/// The cost of the range's energy in one currency.
#[derive(Debug, Clone, Serialize)]
pub struct CostLine {
    pub currency: String,
    /// Exact, in billionths rounded once: e.g. "0.000508333".
    pub cost: String,
    pub marginal_cost: Option<String>,
    /// Covered time whose energy is in `cost`; the rest had no price and is left out.
    pub costed_ms: i64,
    pub marginal_costed_ms: i64,
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
    let energy = ledger.energy_totals(Some(node), from_ms, to_ms)?;
    let (net_basis, net_basis_note) = net_basis(&energy);
    Ok(Report {
        node_id: node.to_owned(),
        from_ms,
        to_ms,
        uptime_ms,
        work_done,
        rewards,
        energy_kwh: energy.energy.map(|e| e.kwh()),
        energy_note: energy_note(&energy),
        energy_provenance: energy.provenance().map(|p| provenance_name(p).to_owned()),
        power_kinds: energy.kinds.clone(),
        power_source: energy.latest_source.clone(),
        covered_ms: energy.covered_ms,
        marginal_kwh: energy
            .marginal_energy
            .filter(|_| energy.marginal_covered_ms > 0)
            .map(|e| e.kwh()),
        marginal_coverage: (energy.covered_ms > 0)
            .then(|| energy.marginal_covered_ms as f64 / energy.covered_ms as f64),
        costs: energy
            .costs
            .iter()
            .map(|c| CostLine {
                currency: c.currency.clone(),
                cost: decimal(c.cost_nanos),
                marginal_cost: c.marginal_cost_nanos.map(decimal),
                costed_ms: c.costed_ms,
                marginal_costed_ms: c.marginal_costed_ms,
            })
            .collect(),
        net_basis,
        net_basis_note,
        valued: Vec::new(),
        unpriced: Vec::new(),
        first_payout: super::report_prices::first_payout(None, node, None, false),
    })
}

fn provenance_name(p: Provenance) -> &'static str {
    match p {
        Provenance::Measured => "measured",
        Provenance::Estimated => "estimated",
        Provenance::Simulated => "simulated",
    }
}

/// Billionths of a currency unit as an exact decimal.
fn decimal(nanos: i128) -> String {
    Asset { code: String::new(), decimals: 9 }.format_atomic(nanos)
}

fn energy_note(e: &EnergyTotals) -> String {
    if e.energy.is_none() {
        return "not available: no power was measured or estimated while this node ran".into();
    }
    let how = e.provenance().map_or("mixed", provenance_name);
    let package = e.kinds.iter().any(|k| k == "cpu-package" || k == "model");
    let covers = if package {
        "the CPU package only, not the whole computer (PSU, board, RAM, drives and fans draw more)"
    } else {
        "what the source sees"
    };
    match &e.latest_source {
        Some(source) => format!("{how} ({source}); covers {covers}"),
        None => format!("{how}; covers {covers}"),
    }
}

/// Marginal when every costed minute also has a marginal cost, else total, with the reason.
fn net_basis(e: &EnergyTotals) -> (String, String) {
    let full_marginal = !e.costs.is_empty()
        && e.costs
            .iter()
            .all(|c| c.marginal_cost_nanos.is_some() && c.marginal_costed_ms == c.costed_ms);
    if full_marginal {
        (
            "marginal".into(),
            "only what the node added above the idle baseline Lightrig measured".into(),
        )
    } else if e.costs.is_empty() {
        ("total".into(), "no cost: no electricity price was set while the node ran".into())
    } else if e.marginal_covered_ms == 0 {
        (
            "total".into(),
            "everything the source saw: no idle baseline was measured (stop or pause the node \
             for half a minute and Lightrig measures one)"
                .into(),
        )
    } else {
        (
            "total".into(),
            "everything the source saw: part of the range has no idle baseline to compare with"
                .into(),
        )
    }
}
