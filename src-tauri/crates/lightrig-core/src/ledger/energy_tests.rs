//! Energy rollups in the ledger: parts of a minute merge, hour rows are the sum of their
//! minutes, totals never mix currencies and never turn "not available" into 0.

use super::*;
use crate::energy::{Currency, Energy, EnergyAccount, PowerKind, PowerReading, Price, Tariff};
use crate::ledger::test_support::temp_ledger;
use crate::model::Provenance;

/// An hour boundary in late 2023.
const H: i64 = 1_699_999_200_000;

fn eur() -> Currency {
    Currency::parse("EUR").expect("EUR")
}

fn minute(bucket_ms: i64, energy_uj: i64, cost: Option<i64>) -> EnergyRow {
    EnergyRow {
        res_ms: MINUTE_MS,
        node_id: "n1".into(),
        bucket_ms,
        samples: 60,
        covered_ms: 60_000,
        energy_uj: Some(energy_uj),
        uncosted_ms: if cost.is_some() { 0 } else { 60_000 },
        cost_nano: cost,
        currency: cost.map(|_| "EUR".into()),
        price_micro_per_kwh: cost.map(|_| 300_000),
        power_kind: Some("cpu-package".into()),
        power_source: Some("RAPL package-0 (intel-rapl:0)".into()),
        ..EnergyRow::default()
    }
}

/// Runs an account at `watts` for `secs` samples from `start`, storing every closed minute.
fn run_account(ledger: &Ledger, start: i64, secs: i64, watts: f64) {
    let tariff = Tariff::flat(eur(), Price::from_micros(300_000));
    let mut account = EnergyAccount::new(Some(tariff), 60_000, 10_000).expect("account");
    let reading = PowerReading::measured(watts, PowerKind::CpuPackage, "RAPL package-0");
    for s in 0..=secs {
        if let Some(r) = account.record(start + s * 1_000, &reading, None) {
            ledger.record_energy(&[EnergyRow::from_rollup("n1", &r, Some("flat"))]).expect("write");
        }
    }
    if let Some(r) = account.flush() {
        ledger.record_energy(&[EnergyRow::from_rollup("n1", &r, Some("flat"))]).expect("write");
    }
}

#[test]
fn hour_rows_are_the_sum_of_their_minute_rows() {
    let (_dir, ledger) = temp_ledger();
    // 2 h 10 min at 100 W from H − 10 min: three hour rows, 130 minute rows.
    run_account(&ledger, H - 600_000, 7_800, 100.0);
    let minutes = ledger.energy_rows(None, Resolution::Minute, 0, i64::MAX).expect("minutes");
    let hours = ledger.energy_rows(None, Resolution::Hour, 0, i64::MAX).expect("hours");
    assert_eq!(minutes.len(), 130);
    assert_eq!(
        hours.iter().map(|h| h.bucket_ms).collect::<Vec<_>>(),
        [H - 3_600_000, H, H + 3_600_000]
    );
    for hour in &hours {
        let parts: Vec<_> =
            minutes.iter().filter(|m| m.bucket_ms / HOUR_MS * HOUR_MS == hour.bucket_ms).collect();
        let sum = |f: fn(&EnergyRow) -> i64| parts.iter().map(|m| f(m)).sum::<i64>();
        assert_eq!(hour.covered_ms, sum(|m| m.covered_ms));
        assert_eq!(hour.samples, sum(|m| m.samples));
        assert_eq!(hour.energy_uj, Some(sum(|m| m.energy_uj.unwrap_or(0))));
        assert_eq!(hour.cost_nano, Some(sum(|m| m.cost_nano.unwrap_or(0))));
    }
    // A full minute at 100 W: 6,000 J = 6e9 µJ; at 0.30 EUR/kWh: 6e9 × 3e5 / 3.6e9 = 500,000
    // billionths (0.0005 EUR).
    let full = &minutes[1];
    assert_eq!((full.energy_uj, full.cost_nano), (Some(6_000_000_000), Some(500_000)));
    assert_eq!(full.price_micro_per_kwh, Some(300_000));
    assert_eq!(full.power_kind.as_deref(), Some("cpu-package"));
}

#[test]
fn parts_of_a_minute_merge_and_keep_not_available_apart_from_zero() {
    let mut a = minute(H, 1_000, Some(100));
    let mut b = minute(H, 3_000, None);
    b.covered_ms = 20_000;
    b.uncosted_ms = 20_000;
    b.marginal_energy_uj = Some(5);
    a.merge(&b);
    assert_eq!(a.energy_uj, Some(4_000));
    assert_eq!(a.cost_nano, Some(100), "the part without a price adds nothing to the cost");
    assert_eq!(a.covered_ms - a.uncosted_ms, 60_000, "cost covers the first part's time only");
    assert_eq!(a.marginal_energy_uj, None, "one covered part lacked a marginal figure");
    // A part that covered nothing changes neither the kind nor the marginal figure.
    let mut c = minute(H, 1_000, Some(10));
    c.marginal_energy_uj = Some(7);
    let empty =
        EnergyRow { covered_ms: 0, energy_uj: None, power_kind: None, ..minute(H, 0, None) };
    c.merge(&empty);
    assert_eq!((c.marginal_energy_uj, c.power_kind.as_deref()), (Some(7), Some("cpu-package")));
    // A change of kind within the row: the kind is not available, the energy still adds.
    let mut d = minute(H, 1_000, Some(10));
    d.merge(&EnergyRow { power_kind: Some("model".into()), ..minute(H, 2_000, Some(20)) });
    assert_eq!((d.power_kind, d.energy_uj, d.cost_nano), (None, Some(3_000), Some(30)));
    // Another currency is never added: that part counts as uncosted.
    let mut e = minute(H, 1_000, Some(10));
    e.merge(&EnergyRow { currency: Some("USD".into()), ..minute(H, 1_000, Some(99)) });
    assert_eq!(
        (e.cost_nano, e.uncosted_ms, e.currency.as_deref()),
        (Some(10), 60_000, Some("EUR"))
    );
}

#[test]
fn totals_read_whole_hours_and_minute_edges_alike() {
    let (_dir, ledger) = temp_ledger();
    run_account(&ledger, H - 600_000, 7_800, 100.0);
    let minutes = ledger.energy_rows(None, Resolution::Minute, 0, i64::MAX).expect("minutes");
    // From 17 minutes into the first hour to 13 minutes into the third: minute edges + hours.
    let (from, to) = (H - 3_600_000 + 17 * 60_000 + 500, H + 3_600_000 + 13 * 60_000);
    let totals = ledger.energy_totals(Some("n1"), from, to).expect("totals");
    let inside: Vec<_> =
        minutes.iter().filter(|m| m.bucket_ms >= from && m.bucket_ms < to).collect();
    let energy: i64 = inside.iter().filter_map(|m| m.energy_uj).sum();
    let cost: i64 = inside.iter().filter_map(|m| m.cost_nano).sum();
    assert_eq!(totals.energy, Some(Energy(energy)));
    let line = totals.cost_in("EUR").expect("EUR line");
    assert_eq!(line.cost_nanos, i128::from(cost));
    assert_eq!(totals.kinds, ["cpu-package"]);
    assert_eq!(totals.provenance(), Some(Provenance::Measured));
    assert_eq!(totals.latest_source.as_deref(), Some("RAPL package-0"));
    assert_eq!(totals.marginal_energy, None, "no baseline was set");
    // Nothing recorded: not available, not 0.
    let empty = ledger.energy_totals(Some("n1"), 0, 1_000).expect("empty");
    assert_eq!((empty.energy, empty.costs.len()), (None, 0));
    assert!(ledger.energy_totals(Some("other"), 0, i64::MAX).expect("other").energy.is_none());
}

#[test]
fn chart_points_add_the_nodes_of_a_bucket() {
    let (_dir, ledger) = temp_ledger();
    let mut machine = minute(H, 1_000, Some(10));
    machine.node_id = String::new();
    ledger.record_energy(&[minute(H, 2_000, Some(20)), machine]).expect("write");
    let points = ledger.energy_series(None, Resolution::Minute, H, H + 60_000).expect("points");
    let [p] = points.as_slice() else { panic!("one point: {points:?}") };
    assert_eq!((p.energy, p.cost_nanos, p.covered_ms), (Some(Energy(3_000)), Some(30), 120_000));
    let hours = ledger.energy_series(Some("n1"), Resolution::Hour, 0, i64::MAX).expect("hours");
    assert_eq!(hours.len(), 1);
    assert_eq!(hours[0].energy, Some(Energy(2_000)));
}

#[test]
fn only_minute_rows_are_accepted_for_writing() {
    let (_dir, ledger) = temp_ledger();
    let hour = EnergyRow { res_ms: HOUR_MS, ..minute(H, 1, None) };
    assert!(ledger.record_energy(&[hour]).is_err());
}

#[test]
fn hour_rows_of_a_range_are_read_oldest_first_with_their_nulls() {
    let (_dir, ledger) = temp_ledger();
    let hour = |node: &str, bucket_ms: i64, energy_uj: Option<i64>| EnergyRow {
        res_ms: HOUR_MS,
        node_id: node.into(),
        energy_uj,
        ..minute(bucket_ms, 0, None)
    };
    let stored = [
        hour("b", H + HOUR_MS, Some(5)),
        hour("a", H + HOUR_MS, None),
        hour("a", H, Some(7)),
        hour("a", H + 2 * HOUR_MS, Some(9)),
        EnergyRow { res_ms: MINUTE_MS, ..hour("a", H + 60_000, Some(1)) },
    ];
    for row in &stored {
        upsert(&ledger.writer(), row).expect("store");
    }
    let rows = ledger.energy_rows(None, Resolution::Hour, H, H + 2 * HOUR_MS).expect("hours");
    let seen: Vec<_> =
        rows.iter().map(|r| (r.node_id.as_str(), r.bucket_ms, r.energy_uj)).collect();
    assert_eq!(seen, [("a", H, Some(7)), ("a", H + HOUR_MS, None), ("b", H + HOUR_MS, Some(5))]);
    assert_eq!(rows[1], stored[1], "every column read back as stored");
}
