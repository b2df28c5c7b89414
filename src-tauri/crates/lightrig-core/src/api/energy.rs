//! The energy part of the earnings view: power now from the sampler, energy and cost from the
//! ledger's energy rollups, and the net result on a stated basis. Nothing here adds estimated,
//! pending and paid rewards together, and nothing missing becomes 0.

use super::dto::*;
use super::first_payout::{PayoutInputs, first_payout};
use super::valuation::{self, Today, Valued};
use crate::adapter::{NetworkInfo, PoolInfo};
use crate::energy::carbon::GridIntensityTable;
use crate::energy::units::{Currency, Money};
use crate::energy::yields::{YieldError, hashrate_of};
use crate::energy::{BaselineStatus, Energy, PowerReading, PowerStatus};
use crate::engine::EnergyLive;
use crate::ledger::{EnergyPoint, EnergyTotals, Ledger, LedgerError, Resolution};
use crate::model::{Provenance, UnixMillis, WorkRate};
use crate::profile::AdapterKind;

const DAY_MS: i64 = 86_400_000;

/// What the energy view is computed from, besides the ledger.
#[derive(Debug, Clone, Copy)]
pub struct EnergyInputs<'a> {
    /// The current node; the view's totals count its time only.
    pub node: &'a str,
    pub currency: &'a str,
    /// The user's jurisdiction (a country code, or "EU"), for the grid's CO₂ intensity.
    pub jurisdiction: Option<&'a str>,
    /// The node's rewards are simulated (the practice node): they are worth nothing.
    pub simulated: bool,
    pub live: Option<&'a EnergyLive>,
    /// The node's work rate now, while it runs.
    pub work_rate: Option<&'a WorkRate>,
    pub grid: Option<&'a GridIntensityTable>,
    /// Network difficulty and block reward, where the node exposes them (for the estimate).
    pub network: Option<&'a NetworkInfo>,
    /// The pool's figures (P2Pool's share difficulty), for the wait to the first payout.
    pub pool: Option<&'a PoolInfo>,
    /// The node's status adapter: it says how the node is paid.
    pub adapter: Option<AdapterKind>,
}

pub fn provenance_name(p: Provenance) -> &'static str {
    match p {
        Provenance::Measured => "measured",
        Provenance::Estimated => "estimated",
        Provenance::Simulated => "simulated",
    }
}

fn money(nanos: i128) -> f64 {
    nanos as f64 / 1e9
}

fn share(part_ms: i64, whole_ms: i64) -> Option<f64> {
    (whole_ms > 0).then(|| (part_ms as f64 / whole_ms as f64).clamp(0.0, 1.0))
}

pub fn period(t: &EnergyTotals, currency: &str) -> EnergyPeriodView {
    let line = t.cost_in(currency);
    let marginal_known = t.marginal_covered_ms > 0;
    EnergyPeriodView {
        kwh: t.energy.map(Energy::kwh),
        marginal_kwh: t.marginal_energy.filter(|_| marginal_known).map(Energy::kwh),
        marginal_coverage: t.energy.and(share(t.marginal_covered_ms, t.covered_ms)),
        cost: line.map(|l| money(l.cost_nanos)),
        marginal_cost: line.and_then(|l| l.marginal_cost_nanos).map(money),
        cost_coverage: t.energy.and(share(line.map_or(0, |l| l.costed_ms), t.covered_ms)),
        covered_secs: t.covered_ms as f64 / 1000.0,
        provenance: t.provenance().map(|p| provenance_name(p).to_owned()),
        kinds: t.kinds.clone(),
    }
}

fn power_view(r: &PowerReading, live: Option<&EnergyLive>, at_ms: UnixMillis) -> PowerView {
    let marginal_w = live.and_then(|l| l.marginal_w);
    PowerView {
        watts: r.watts,
        kind: r.kind.as_str().to_owned(),
        provenance: provenance_name(r.provenance).to_owned(),
        source: r.source.clone(),
        low_w: r.range_w.map(|(lo, _)| lo),
        high_w: r.range_w.map(|(_, hi)| hi),
        marginal_w,
        marginal_psu: live.and_then(|l| l.marginal_psu).filter(|_| marginal_w.is_some()),
        at_ms,
    }
}

fn source_view((name, status): &(String, PowerStatus)) -> PowerSourceView {
    let (status, detail) = match status {
        PowerStatus::Reading(r) => ("reading", r.source.clone()),
        PowerStatus::WarmingUp { source } => {
            ("warming-up", format!("{source}: the first figure needs a second reading"))
        }
        PowerStatus::NotAvailable { reason, .. } => ("not-available", reason.clone()),
        PowerStatus::PermissionNeeded(p) => ("permission-needed", p.what.clone()),
    };
    PowerSourceView { name: name.clone(), status: status.into(), detail }
}

/// "not available: …" for the card when no rung had a reading: the reason of the last rung
/// tried (the model's, usually), and a word about a permission a better sensor needs.
fn no_power_reason(live: Option<&EnergyLive>) -> String {
    let Some(live) = live else {
        return "not available: the first power reading has not been taken yet".into();
    };
    let last = live.rungs.last().map(|(name, status)| match status {
        PowerStatus::NotAvailable { reason, .. } => format!("{name}: {reason}"),
        PowerStatus::WarmingUp { .. } => format!("{name}: warming up, a figure follows shortly"),
        PowerStatus::PermissionNeeded(p) => format!("{name}: {} needs a permission", p.what),
        PowerStatus::Reading(r) => r.source.clone(),
    });
    format!("not available: {}", last.unwrap_or_else(|| "no power source on this computer".into()))
}

fn permission_view(live: Option<&EnergyLive>) -> Option<PermissionView> {
    let p = live?.permission.as_ref()?;
    let commands = p
        .how
        .lines()
        .filter(|l| l.starts_with("  ") && !l.trim().is_empty())
        .map(|l| l.trim().to_owned())
        .collect();
    Some(PermissionView { what: p.what.clone(), how: p.how.clone(), commands })
}

fn baseline_view(live: Option<&EnergyLive>) -> BaselineView {
    let mut view = BaselineView {
        state: "missing".into(),
        watts: None,
        kind: None,
        source: None,
        measured_at_ms: None,
        samples: 0,
        need: live.map_or(0, |l| l.baseline_need),
        collecting: live.map_or(0, |l| l.idle_samples),
    };
    let Some(live) = live else { return view };
    let (state, b) = match &live.baseline {
        BaselineStatus::Missing { need, .. } => {
            view.need = *need;
            return view;
        }
        BaselineStatus::Ready { baseline, .. } => ("ready", baseline),
        BaselineStatus::Stale { baseline, .. } => ("stale", baseline),
    };
    view.state = state.into();
    view.watts = Some(b.watts);
    view.kind = Some(b.kind.as_str().to_owned());
    view.source = Some(b.source.clone());
    view.measured_at_ms = Some(b.measured_at);
    view.samples = b.samples;
    view
}

/// Today's cost on a stated basis: marginal when a baseline exists and every costed second of
/// today has a marginal cost, else total. Returns (basis, why total, cost in nanos, energy).
fn cost_basis(
    today: &EnergyTotals,
    currency: &str,
    has_baseline: bool,
) -> (&'static str, Option<String>, Option<i128>, Option<Energy>) {
    let line = today.cost_in(currency);
    let marginal = line.and_then(|l| {
        l.marginal_cost_nanos.filter(|_| has_baseline && l.marginal_costed_ms == l.costed_ms)
    });
    match (marginal, line) {
        (Some(m), _) => ("marginal", None, Some(m), today.marginal_energy),
        (None, l) => {
            let why = if has_baseline { "partial" } else { "no-baseline" };
            ("total", Some(why.to_owned()), l.map(|l| l.cost_nanos), today.energy)
        }
    }
}

/// Today's net: each valued line with its own net, never summed across states.
fn net_view(
    today: &EnergyTotals,
    inputs: &EnergyInputs<'_>,
    has_baseline: bool,
    valued: Valued,
) -> NetView {
    let (basis, basis_reason, cost, _) = cost_basis(today, inputs.currency, has_baseline);
    let cost = cost.map(money);
    let unavailable = if inputs.simulated {
        today.energy.is_none().then_some("no-power").or(cost.is_none().then_some("no-tariff"))
    } else if today.energy.is_none() {
        Some("no-power")
    } else if cost.is_none() {
        Some("no-tariff")
    } else if !valued.lines.is_empty() {
        None
    } else if valued.unpriced.is_empty() {
        // Nothing earned or estimated today: there is nothing to value.
        Some("no-rewards")
    } else {
        Some("no-price")
    };
    NetView {
        basis: basis.into(),
        basis_reason,
        cost,
        lines: if inputs.simulated { Vec::new() } else { valued.lines },
        unpriced: if inputs.simulated { Vec::new() } else { valued.unpriced },
        simulated_net: cost.filter(|_| inputs.simulated).map(|c| -c),
        unavailable: unavailable.map(str::to_owned),
    }
}

fn co2_view(
    grid: &GridIntensityTable,
    jurisdiction: Option<&str>,
    today: &EnergyTotals,
) -> Co2View {
    let specific = jurisdiction.and_then(|j| grid.lookup(j));
    let country_specific = specific.is_some();
    let g = specific.unwrap_or_else(|| grid.world());
    Co2View {
        grams_today: today.energy.map(|e| g.grams(e)),
        marginal_grams_today: today
            .marginal_energy
            .filter(|_| today.marginal_covered_ms > 0)
            .map(|e| g.grams(e)),
        g_per_kwh: g.g_per_kwh,
        region: g.code.clone(),
        region_name: g.name.clone(),
        country_specific,
        year: g.year,
        source: g.source.clone(),
    }
}

/// Hashes per joule now, on the marginal basis when the node's increment is known.
fn efficiency(inputs: &EnergyInputs<'_>) -> (Option<f64>, Option<String>, Option<String>) {
    let Some(rate) = inputs.work_rate else { return (None, None, Some("no-work-rate".into())) };
    let hashes = match hashrate_of(rate) {
        Ok(h) => h,
        Err(YieldError::WrongUnit { .. }) => return (None, None, Some("not-hashes".into())),
        Err(_) => return (None, None, Some("no-work-rate".into())),
    };
    let Some(live) = inputs.live else { return (None, None, Some("no-power".into())) };
    let Some(reading) = live.reading.as_ref() else {
        return (None, None, Some("no-power".into()));
    };
    let (watts, basis) = match live.marginal_w.filter(|w| *w > 0.5) {
        Some(w) => (w, "marginal"),
        None => (reading.watts, "total"),
    };
    if watts > 0.0 && watts.is_finite() {
        (Some(hashes / watts), Some(basis.into()), None)
    } else {
        (None, None, Some("no-power".into()))
    }
}

/// The whole energy view.
pub fn energy_view(
    ledger: &Ledger,
    inputs: &EnergyInputs<'_>,
    now: UnixMillis,
) -> Result<EnergyView, LedgerError> {
    let node = Some(inputs.node);
    let midnight = now - now.rem_euclid(DAY_MS);
    let today = ledger.energy_totals(node, midnight, now + 1)?;
    let week = ledger.energy_totals(node, now - 7 * DAY_MS, now + 1)?;
    let all_time = ledger.energy_totals(node, 0, now + 1)?;
    let live = inputs.live;
    let reading = live.and_then(|l| l.reading.as_ref());
    let gpu = live.and_then(|l| l.gpu.as_ref());
    let has_baseline = live.is_some_and(|l| !matches!(l.baseline, BaselineStatus::Missing { .. }));
    let (hashes_per_joule, efficiency_basis, efficiency_unavailable) = efficiency(inputs);
    let valued = if inputs.simulated {
        Valued::default()
    } else {
        let (_, _, cost, _) = cost_basis(&today, inputs.currency, has_baseline);
        let today_rewards = ledger.reward_totals(node, midnight, now + 1)?;
        let money_cost = Currency::parse(inputs.currency)
            .ok()
            .and_then(|c| cost.map(|nanos| Money { currency: c, nanos }));
        let t = Today {
            ledger,
            node: inputs.node,
            currency: inputs.currency,
            network: inputs.network,
            hashes: ledger.work_done(node, midnight, now + 1)?,
            cost: money_cost,
            now,
        };
        valuation::value_today(&t, &today_rewards)?
    };
    let (_, _, _, basis_energy) = cost_basis(&today, inputs.currency, has_baseline);
    let break_even_price =
        valued.estimate_value.and_then(|v| valuation::break_even(v, basis_energy));
    let break_even_unavailable = match () {
        _ if break_even_price.is_some() => None,
        _ if inputs.simulated => Some("simulated"),
        _ if basis_energy.is_none_or(|e| e.microjoules() <= 0) => Some("no-energy"),
        _ if valued.estimate_unpriced => Some("no-price"),
        _ => Some("no-estimate"),
    };
    Ok(EnergyView {
        power: reading.map(|r| power_view(r, live, live.map_or(now, |l| l.at_ms))),
        source: reading.map_or_else(|| no_power_reason(live), |r| r.source.clone()),
        gpu_w: gpu.map(|g| g.reading.watts),
        gpu_source: gpu.map(|g| g.reading.source.clone()),
        gpu_share: gpu.map(|g| g.share.as_str().to_owned()),
        sources: live.map(|l| l.rungs.iter().map(source_view).collect()).unwrap_or_default(),
        permission: permission_view(live),
        baseline: baseline_view(live),
        net: net_view(&today, inputs, has_baseline, valued),
        co2: inputs.grid.map(|g| co2_view(g, inputs.jurisdiction, &today)),
        today: period(&today, inputs.currency),
        week: period(&week, inputs.currency),
        all_time: period(&all_time, inputs.currency),
        currency: inputs.currency.to_owned(),
        tariff: live.and_then(|l| l.tariff.clone()),
        hashes_per_joule,
        efficiency_basis,
        efficiency_unavailable,
        break_even_price,
        break_even_unavailable: break_even_unavailable.map(str::to_owned),
        first_payout: first_payout(&PayoutInputs {
            adapter: inputs.adapter,
            simulated: inputs.simulated,
            work_rate: inputs.work_rate,
            network: inputs.network,
            pool: inputs.pool,
        }),
        projection: super::projection::projection(ledger, inputs, now)?,
    })
}

/// The chart's energy points: minutes for `Resolution::Minute`, hours for `Resolution::Hour`.
pub fn energy_series(points: &[EnergyPoint], step_secs: u32) -> EnergySeries {
    let currency = points.iter().rev().find_map(|p| p.currency.clone());
    EnergySeries {
        step_secs,
        t: points.iter().map(|p| p.bucket_ms as f64 / 1000.0).collect(),
        wh: points.iter().map(|p| p.energy.map(Energy::watt_hours)).collect(),
        marginal_wh: points.iter().map(|p| p.marginal_energy.map(Energy::watt_hours)).collect(),
        cost: points
            .iter()
            .map(|p| p.cost_nanos.filter(|_| p.currency == currency).map(|n| money(i128::from(n))))
            .collect(),
        currency,
    }
}

/// The resolution energy charts read for a series of `step_secs`.
pub fn energy_resolution(step_secs: u32) -> Resolution {
    if step_secs >= 3600 { Resolution::Hour } else { Resolution::Minute }
}

#[cfg(test)]
#[path = "energy_tests.rs"]
mod tests;
