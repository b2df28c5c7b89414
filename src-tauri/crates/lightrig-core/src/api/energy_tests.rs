//! The energy view: "not available" (null) without a power source, the net's basis moving from
//! total to marginal once a baseline covers the day, the RAPL permission as commands to copy,
//! CO₂ for the user's country, and the `/metrics` lines.

use super::*;
use crate::energy::carbon::GridIntensityTable;
use crate::energy::sysfs::rapl_permission_help;
use crate::energy::{
    Baseline, BaselineStatus, Currency, EnergyAccount, PowerKind, PowerReading, PowerStatus, Price,
    Tariff,
};
use crate::engine::EnergyLive;
use crate::ledger::{EnergyRow, Ledger};

/// 2023-11-14T22:00:00Z; "today" starts at 00:00 UTC that day.
const H: i64 = 1_699_999_200_000;
const NOW: i64 = H + 30 * 60_000;

fn temp_ledger() -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ledger, _) = Ledger::open(dir.path().join("ledger.sqlite")).expect("ledger");
    (dir, ledger)
}

fn baseline(watts: f64) -> Baseline {
    Baseline {
        watts,
        kind: PowerKind::CpuPackage,
        samples: 30,
        measured_at: H,
        source: "RAPL package-0".into(),
    }
}

fn live(reading: Option<PowerReading>, base: Option<Baseline>) -> EnergyLive {
    let rungs = match &reading {
        Some(r) => vec![("RAPL".to_owned(), PowerStatus::Reading(r.clone()))],
        None => vec![
            (
                "RAPL".to_owned(),
                PowerStatus::NotAvailable {
                    source: "RAPL".into(),
                    reason: "no RAPL package zone under /sys/class/powercap".into(),
                },
            ),
            (
                "model".to_owned(),
                PowerStatus::NotAvailable {
                    source: "model".into(),
                    reason: "the CPU load is not known yet".into(),
                },
            ),
        ],
    };
    EnergyLive {
        at_ms: NOW,
        marginal_w: match (&reading, &base) {
            (Some(r), Some(b)) => Some(r.watts - b.watts),
            _ => None,
        },
        marginal_psu: None,
        reading,
        rungs,
        gpu: None,
        permission: None,
        baseline: match base {
            Some(baseline) => BaselineStatus::Ready { baseline, age_ms: 0 },
            None => BaselineStatus::Missing { have: 0, need: 30 },
        },
        baseline_need: 30,
        idle_samples: 0,
        tariff: Some("flat 0.3 EUR/kWh (your setting)".into()),
        tariff_problem: None,
        price_now: None,
    }
}

fn inputs<'a>(
    live: Option<&'a EnergyLive>,
    grid: Option<&'a GridIntensityTable>,
) -> EnergyInputs<'a> {
    EnergyInputs {
        node: "xmrig",
        currency: "EUR",
        jurisdiction: Some("DE"),
        simulated: false,
        live,
        work_rate: None,
        grid,
        network: None,
        pool: None,
        adapter: None,
    }
}

/// Records `secs` seconds at 40 W from `start` for node xmrig, with a 10 W baseline if given.
fn record(ledger: &Ledger, start: i64, secs: i64, base: Option<&Baseline>) {
    let tariff = Tariff::flat(Currency::parse("EUR").expect("EUR"), Price::from_micros(300_000));
    let mut account = EnergyAccount::new(Some(tariff), 60_000, 10_000).expect("account");
    account.set_baseline(base);
    let reading = PowerReading::measured(40.0, PowerKind::CpuPackage, "RAPL package-0");
    let mut rows = Vec::new();
    for s in 0..=secs {
        rows.extend(account.record(start + s * 1_000, &reading, None));
    }
    rows.extend(account.flush());
    let rows: Vec<_> =
        rows.iter().map(|r| EnergyRow::from_rollup("xmrig", r, Some("flat"))).collect();
    ledger.record_energy(&rows).expect("write");
}

#[test]
fn with_no_power_source_every_figure_is_not_available() {
    let (_dir, ledger) = temp_ledger();
    let grid = GridIntensityTable::bundled().expect("grid table");
    let l = live(None, None);
    let view = energy_view(&ledger, &inputs(Some(&l), Some(&grid)), NOW).expect("view");
    assert_eq!(view.power, None);
    assert_eq!(view.source, "not available: model: the CPU load is not known yet");
    assert_eq!(view.sources.len(), 2);
    assert_eq!(view.sources[0].status, "not-available");
    for p in [&view.today, &view.week, &view.all_time] {
        assert_eq!(
            (p.kwh, p.cost, p.marginal_kwh, p.provenance.as_deref()),
            (None, None, None, None)
        );
    }
    assert_eq!(view.net.cost, None);
    assert_eq!(view.net.unavailable.as_deref(), Some("no-power"));
    assert_eq!(view.net.simulated_net, None);
    assert_eq!(view.hashes_per_joule, None);
    assert_eq!(view.efficiency_unavailable.as_deref(), Some("no-work-rate"));
    assert_eq!(view.break_even_price, None);
    assert_eq!(view.break_even_unavailable.as_deref(), Some("no-energy"));
    let co2 = view.co2.expect("the grid figure is known even without energy");
    assert_eq!((co2.grams_today, co2.region.as_str(), co2.country_specific), (None, "DE", true));
    // Before the first sample there is no live state at all: still null, never 0.
    let view = energy_view(&ledger, &inputs(None, None), NOW).expect("view");
    assert_eq!(view.power, None);
    assert!(view.source.starts_with("not available: the first power reading"), "{}", view.source);
    assert_eq!(view.baseline.state, "missing");
}

#[test]
fn net_basis_moves_from_total_to_marginal_once_a_baseline_covers_the_day() {
    let reading = PowerReading::measured(40.0, PowerKind::CpuPackage, "RAPL package-0");
    // No baseline: today's cost is the total, and the view says why.
    let (_d1, ledger) = temp_ledger();
    record(&ledger, H, 600, None);
    let l = live(Some(reading.clone()), None);
    let view = energy_view(&ledger, &inputs(Some(&l), None), NOW).expect("view");
    assert_eq!(
        (view.net.basis.as_str(), view.net.basis_reason.as_deref()),
        ("total", Some("no-baseline"))
    );
    // 40 W × 600 s = 24,000 J = 1/150 kWh; × 0.30 EUR = 0.002 EUR.
    assert!((view.net.cost.expect("cost") - 0.002).abs() < 1e-12);
    assert_eq!(view.net.unavailable.as_deref(), Some("no-rewards"), "nothing earned to value");
    let power = view.power.expect("power");
    assert_eq!((power.kind.as_str(), power.provenance.as_str()), ("cpu-package", "measured"));
    // A baseline measured after part of today ran: still total, "partial".
    let base = baseline(10.0);
    record(&ledger, H + 900_000, 300, Some(&base));
    let l = live(Some(reading.clone()), Some(base.clone()));
    let view = energy_view(&ledger, &inputs(Some(&l), None), NOW).expect("view");
    assert_eq!(
        (view.net.basis.as_str(), view.net.basis_reason.as_deref()),
        ("total", Some("partial"))
    );
    assert_eq!(view.power.and_then(|p| p.marginal_w), Some(30.0));
    let coverage = view.today.marginal_coverage.expect("coverage");
    assert!((coverage - 300.0 / 900.0).abs() < 1e-9, "{coverage}");
    // A day wholly against the baseline: the net uses the marginal cost, 30 W instead of 40 W.
    let (_d2, ledger) = temp_ledger();
    record(&ledger, H, 600, Some(&base));
    let view = energy_view(&ledger, &inputs(Some(&l), None), NOW).expect("view");
    assert_eq!((view.net.basis.as_str(), view.net.basis_reason.as_deref()), ("marginal", None));
    assert!((view.net.cost.expect("cost") - 0.0015).abs() < 1e-12);
    assert!((view.today.marginal_kwh.expect("marginal") - 0.005).abs() < 1e-12);
    assert_eq!(view.today.cost_coverage, Some(1.0));
    assert_eq!(view.baseline.state, "ready");
    // The practice node: simulated rewards are worth nothing, so the net is minus the cost.
    let practice = EnergyInputs { simulated: true, ..inputs(Some(&l), None) };
    let view = energy_view(&ledger, &practice, NOW).expect("view");
    assert_eq!(view.net.simulated_net, view.net.cost.map(|c| -c));
    assert_eq!(view.net.unavailable, None);
}

#[test]
fn hashes_per_joule_rest_on_the_marginal_power_when_known() {
    let (_dir, ledger) = temp_ledger();
    let reading = PowerReading::measured(40.0, PowerKind::CpuPackage, "RAPL package-0");
    let rate = crate::model::WorkRate { value: 3.0, unit: "kH/s".into() };
    let l = live(Some(reading), Some(baseline(10.0)));
    let view = energy_view(
        &ledger,
        &EnergyInputs { work_rate: Some(&rate), ..inputs(Some(&l), None) },
        NOW,
    )
    .expect("view");
    // 3,000 H/s over 30 W above idle = 100 H/J.
    assert_eq!(view.hashes_per_joule, Some(100.0));
    assert_eq!(view.efficiency_basis.as_deref(), Some("marginal"));
    let bytes = crate::model::WorkRate { value: 3.0, unit: "B/s".into() };
    let view = energy_view(
        &ledger,
        &EnergyInputs { work_rate: Some(&bytes), ..inputs(Some(&l), None) },
        NOW,
    )
    .expect("view");
    assert_eq!(view.efficiency_unavailable.as_deref(), Some("not-hashes"));
}

#[test]
fn rapl_permission_is_explained_with_the_commands_to_run_once() {
    let (_dir, ledger) = temp_ledger();
    let mut l = live(None, None);
    let help =
        rapl_permission_help(std::path::Path::new("/sys/class/powercap/intel-rapl:0/energy_uj"));
    l.rungs.insert(0, ("RAPL".into(), PowerStatus::PermissionNeeded(help.clone())));
    l.permission = Some(help);
    let view = energy_view(&ledger, &inputs(Some(&l), None), NOW).expect("view");
    let p = view.permission.expect("permission");
    assert_eq!(p.commands.len(), 2, "{:?}", p.commands);
    assert!(p.commands[0].starts_with("sudo chmod 0444 /sys/class/powercap/"), "{:?}", p.commands);
    assert!(p.commands[1].contains("70-lightrig-rapl.rules"), "{:?}", p.commands);
    assert!(p.how.contains("never asks for root"));
    assert_eq!(view.sources[0].status, "permission-needed");
}

#[test]
fn co2_uses_the_country_or_says_it_is_the_world_average() {
    let (_dir, ledger) = temp_ledger();
    record(&ledger, H, 600, None);
    let grid = GridIntensityTable::bundled().expect("grid table");
    let l = live(None, None);
    let de =
        energy_view(&ledger, &inputs(Some(&l), Some(&grid)), NOW).expect("view").co2.expect("co2");
    let g = grid.lookup("DE").expect("DE");
    assert!((de.grams_today.expect("grams") - g.g_per_kwh / 150.0).abs() < 1e-9);
    assert_eq!((de.year, de.country_specific), (g.year, true));
    assert!(de.source.contains("Ember"), "{}", de.source);
    let eu = EnergyInputs { jurisdiction: Some("EU"), ..inputs(Some(&l), Some(&grid)) };
    let world = energy_view(&ledger, &eu, NOW).expect("view").co2.expect("co2");
    assert_eq!((world.region.as_str(), world.country_specific), ("world", false));
}

#[test]
fn metrics_show_power_with_its_kind_and_energy_and_cost_totals() {
    let (_dir, ledger) = temp_ledger();
    record(&ledger, H, 600, None);
    let reading = PowerReading {
        source: "model: unknown CPU, generic 65 W TDP, 43 % load".into(),
        provenance: crate::model::Provenance::Estimated,
        ..PowerReading::measured(27.9, PowerKind::Model, "")
    };
    let figures = super::super::metrics::EnergyFigures {
        live: Some(live(Some(reading), None)),
        totals: ledger.energy_totals(None, 0, i64::MAX).ok(),
    };
    let status = crate::supervisor::NodeStatus {
        node_id: "xmrig".into(),
        profile_name: "XMRig".into(),
        simulated: false,
        state: crate::supervisor::NodeState::Running { since_ms: 0 },
        pid: None,
        restarts: 0,
        metrics: None,
        metrics_error: None,
        updated_ms: 0,
    };
    let text = super::super::metrics::render(&status, None, &[], &figures);
    assert!(
        text.contains(
            "lightrig_power_watts{kind=\"model\",provenance=\"estimated\",source=\"model: unknown CPU, generic 65 W TDP\"} 27.9"
        ),
        "the load is left out of the label so the series stays one series:\n{text}"
    );
    assert!(text.contains("lightrig_energy_kwh_total 0.00666"), "{text}");
    assert!(text.contains("lightrig_energy_cost_total{currency=\"EUR\"} 0.002"), "{text}");
    assert!(!text.contains("lightrig_power_marginal_watts"), "no baseline, no marginal line");
    let empty = super::super::metrics::render(&status, None, &[], &Default::default());
    assert!(!empty.contains("lightrig_power_watts") && !empty.contains("lightrig_energy"));
}

#[path = "valuation_tests.rs"]
mod valuation;

#[test]
fn the_marginal_power_says_which_psu_efficiency_turned_it_into_wall_power() {
    let (_d, ledger) = temp_ledger();
    let reading = PowerReading::measured(40.0, PowerKind::CpuPackage, "RAPL package-0");
    let mut l = live(Some(reading.clone()), Some(baseline(10.0)));
    l.marginal_psu = Some(0.9);
    let view = energy_view(&ledger, &inputs(Some(&l), None), NOW).expect("view");
    let power = view.power.expect("power");
    assert_eq!((power.marginal_w, power.marginal_psu), (Some(30.0), Some(0.9)));
    // No marginal figure (no baseline yet): nothing was converted, so no efficiency is named.
    let mut l = live(Some(reading), None);
    l.marginal_psu = Some(0.9);
    let view = energy_view(&ledger, &inputs(Some(&l), None), NOW).expect("view");
    let power = view.power.expect("power");
    assert_eq!((power.marginal_w, power.marginal_psu), (None, None));
}
