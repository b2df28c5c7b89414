//! The energy account: rollups per minute with energy, cost, price used, marginal energy, work
//! per joule, gaps and honest "not available".

use super::{eur, fixture, ms};
use crate::energy::account::{AccountError, EnergyAccount};
use crate::energy::baseline::Baseline;
use crate::energy::reading::{PowerKind, PowerReading};
use crate::energy::tariff::{RawTariff, Tariff};
use crate::energy::units::{Energy, Price};
use crate::model::{Provenance, WorkRate};

fn wall(w: f64) -> PowerReading {
    PowerReading::measured(w, PowerKind::Wall, "plug meter")
}

fn flat() -> Tariff {
    Tariff::flat(eur(), Price::from_micros(300_000))
}

#[test]
fn a_minute_at_100_w_on_a_flat_tariff() {
    let mut account = EnergyAccount::new(Some(flat()), 60_000, 10_000).expect("account");
    let hashes = WorkRate { value: 1_000.0, unit: "H/s".into() };
    let mut closed = Vec::new();
    for s in 0..=61 {
        closed.extend(account.record(s * 1_000, &wall(100.0), Some(&hashes)));
    }
    let [minute] = closed.as_slice() else { panic!("one closed minute, got {closed:?}") };
    // 100 W × 60 s = 6,000 J = 1/600 kWh; × 0.30 EUR = 0.0005 EUR.
    assert_eq!((minute.start, minute.covered_ms, minute.gap_ms), (0, 60_000, 0));
    assert_eq!(minute.energy, Some(Energy(6_000_000_000)));
    assert_eq!(minute.mean_w, Some(100.0));
    assert_eq!(minute.cost.map(|m| m.nanos), Some(500_000));
    let price = minute.price.expect("price used");
    assert_eq!(
        (price.min, price.max, price.mean),
        (Price::from_micros(300_000), Price::from_micros(300_000), Price::from_micros(300_000))
    );
    assert_eq!(minute.kind, Some(PowerKind::Wall));
    assert_eq!(minute.provenance, Some(Provenance::Measured));
    assert_eq!(minute.sources, ["plug meter"]);
    // 1,000 H/s × 60 s = 60,000 hashes over 6,000 J = 10 H/J.
    let work = minute.work.as_ref().expect("work");
    assert_eq!((work.amount, work.per_joule), (60_000.0, Some(10.0)));
    assert_eq!(minute.marginal_energy, None, "no baseline, no marginal figure");
    let rest = account.flush().expect("the open minute");
    assert_eq!(rest.covered_ms, 1_000);
    assert_eq!(account.total_cost().map(|m| m.nanos), Some(508_333));
}

#[test]
fn gaps_are_counted_not_filled() {
    let mut account = EnergyAccount::new(Some(flat()), 60_000, 10_000).expect("account");
    for s in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 40, 41] {
        let _ = account.record(s * 1_000, &wall(50.0), None);
    }
    // A NaN from a broken sensor is a gap too.
    let _ = account.record(42_000, &wall(f64::NAN), None);
    let minute = account.flush().expect("minute");
    assert_eq!(minute.covered_ms, 11_000);
    assert_eq!(minute.gap_ms, 31_000);
    assert_eq!(minute.energy, Some(Energy::from_power(50_000, 11_000)));
    // Nothing covered at all → "not available", never 0 Wh.
    let mut empty = EnergyAccount::new(None, 60_000, 10_000).expect("account");
    let _ = empty.record(0, &wall(10.0), None);
    let _ = empty.record(30_000, &wall(10.0), None);
    let minute = empty.flush().expect("gap only");
    assert_eq!((minute.energy, minute.cost, minute.mean_w), (None, None, None));
}

#[test]
fn marginal_energy_against_a_baseline_of_the_same_kind() {
    let mut account = EnergyAccount::new(Some(flat()), 60_000, 10_000).expect("account");
    let baseline = Baseline {
        watts: 40.0,
        kind: PowerKind::Wall,
        samples: 30,
        measured_at: 0,
        source: "plug meter".into(),
    };
    account.set_baseline(Some(&baseline));
    for s in 0..=60 {
        let _ = account.record(s * 1_000, &wall(100.0), None);
    }
    let minute = account.flush().expect("minute");
    // (100 − 40) W × 60 s = 3,600 J → 0.001 kWh × 0.30 = 0.0003 EUR.
    assert_eq!(minute.marginal_energy, Some(Energy(3_600_000_000)));
    assert_eq!(minute.marginal_cost.map(|m| m.nanos), Some(300_000));
    // A package reading cannot be compared with a wall baseline.
    let mut account = EnergyAccount::new(None, 60_000, 10_000).expect("account");
    account.set_baseline(Some(&baseline));
    let package = PowerReading::measured(60.0, PowerKind::CpuPackage, "RAPL");
    let _ = account.record(0, &package, None);
    let _ = account.record(1_000, &package, None);
    assert_eq!(account.flush().expect("minute").marginal_energy, None);
}

#[test]
fn tou_prices_change_within_a_rollup_at_the_dst_change() {
    let text = std::fs::read_to_string(fixture("tariff_berlin_tou.toml")).expect("fixture");
    let tariff = RawTariff::from_toml(&text).and_then(|r| r.validate()).expect("tariff");
    let mut account = EnergyAccount::new(Some(tariff.clone()), 3_600_000, 10_000).expect("account");
    // 1 kW from 01:30 CET to 03:30 CEST on 29 March 2026 (one real hour), sampled every 5 s.
    let (from, to) = (ms("2026-03-29T01:30:00+01:00"), ms("2026-03-29T03:30:00+02:00"));
    let mut closed = Vec::new();
    let mut at = from;
    while at <= to {
        closed.extend(account.record(at, &wall(1_000.0), None));
        at += 5_000;
    }
    closed.extend(account.flush());
    // The UTC hour 00:00–01:00Z holds 01:30–02:00 CET at 0.10 (0.05 EUR); the next holds
    // 03:00–03:30 CEST at 0.30 (0.15 EUR).
    let costs: Vec<i128> = closed.iter().filter_map(|r| r.cost.map(|m| m.nanos)).collect();
    assert_eq!(costs, [50_000_000, 150_000_000]);
    let expected = tariff.cost(from, to, 1_000_000).expect("priced").cost;
    assert_eq!(account.totals().cost, expected);
}

#[test]
fn time_without_a_price_is_uncosted_not_zero() {
    let text = std::fs::read_to_string(fixture("prices_berlin_2026-10-25.csv")).expect("fixture");
    let tariff = Tariff::hourly(eur(), "Europe/Berlin", &text).expect("list");
    let mut account = EnergyAccount::new(Some(tariff), 60_000, 10_000).expect("account");
    let start = ms("2026-10-25T05:00:10+01:00");
    for s in 0..=20 {
        let _ = account.record(start + s * 1_000, &wall(100.0), None);
    }
    let minute = account.flush().expect("minute");
    assert_eq!(minute.uncosted_ms, 20_000);
    assert_eq!(minute.cost, None);
    assert_eq!(minute.energy, Some(Energy::from_power(100_000, 20_000)));
    assert_eq!(account.totals().uncosted_ms, 20_000);
}

#[test]
fn mixed_sources_are_reported_as_such() {
    let mut account = EnergyAccount::new(None, 60_000, 10_000).expect("account");
    let model = PowerReading {
        watts: 70.0,
        kind: PowerKind::Model,
        provenance: Provenance::Estimated,
        source: "model".into(),
        range_w: None,
    };
    let _ = account.record(0, &wall(80.0), None);
    let _ = account.record(1_000, &wall(80.0), None);
    let _ = account.record(2_000, &model, None);
    let minute = account.flush().expect("minute");
    assert_eq!(minute.kind, None);
    assert_eq!(minute.provenance, Some(Provenance::Estimated));
    assert_eq!(minute.sources, ["plug meter", "model"]);
}

#[test]
fn bad_config_is_rejected() {
    assert_eq!(
        EnergyAccount::new(None, 60_000, 120_000).expect_err("gap above bucket"),
        AccountError::BadConfig { bucket_ms: 60_000, max_gap_ms: 120_000 }
    );
}
