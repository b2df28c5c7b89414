//! The history's year range: one point per UTC day from the hour rollups, for the machine
//! figures and for energy, starting at a UTC midnight 364 days before today; days with nothing
//! recorded have no point (the UI draws a gap), never a 0.

use super::series;
use crate::api::dto::SeriesRange;
use crate::ledger::{EnergyRow, Ledger, Sample};

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;
/// A UTC midnight (2023-11-14T00:00Z); "now" is 10:30 that day.
const TODAY: i64 = 1_699_920_000_000;
const NOW: i64 = TODAY + 10 * HOUR + 30 * 60_000;

fn temp_ledger() -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ledger, _) = Ledger::open(dir.path().join("ledger.sqlite")).expect("ledger");
    (dir, ledger)
}

fn sample(at_ms: i64, watts: f32) -> Sample {
    Sample {
        at_ms,
        node_id: Some("xmrig".into()),
        cpu_percent: Some(50.0),
        power_w: Some(watts),
        work_rate: Some(1000.0),
        work_unit: Some("H/s".into()),
        ..Sample::default()
    }
}

/// One minute of energy at `wh` watt-hours costing `cost_nano` EUR nanos.
fn energy_minute(bucket_ms: i64, wh: f64, cost_nano: i64) -> EnergyRow {
    EnergyRow {
        res_ms: 60_000,
        node_id: "xmrig".into(),
        bucket_ms,
        samples: 60,
        covered_ms: 60_000,
        energy_uj: Some((wh * 3_600_000_000.0) as i64),
        cost_nano: Some(cost_nano),
        currency: Some("EUR".into()),
        power_kind: Some("model".into()),
        power_source: Some("model: generic 65 W TDP".into()),
        ..EnergyRow::default()
    }
}

#[test]
fn a_year_is_one_point_per_utc_day_from_hour_rollups_with_gaps_left_out() {
    let (_dir, ledger) = temp_ledger();
    let first_day = TODAY - 364 * DAY;
    // Before the range (day −365), its first day, two days in the middle (one empty day
    // between), and today.
    let days = [first_day - DAY, first_day, TODAY - 3 * DAY, TODAY - DAY, TODAY];
    for day in days {
        ledger.record_sample(&sample(day + HOUR, 40.0)).expect("sample");
        ledger.record_sample(&sample(day + HOUR + 1_000, 60.0)).expect("sample");
        ledger.record_sample(&sample(day + 2 * HOUR, 20.0)).expect("sample");
    }
    // Maintenance as the engine runs it, one day at a time (so minute rows exist to roll up).
    for day in days {
        ledger.maintain(day + 4 * HOUR).expect("maintain");
    }
    let energy: Vec<EnergyRow> = days
        .iter()
        .flat_map(|&d| {
            [energy_minute(d + HOUR, 1.0, 300_000), energy_minute(d + 2 * HOUR, 2.0, 600_000)]
        })
        .collect();
    ledger.record_energy(&energy).expect("energy");

    let s = series(&ledger, SeriesRange::Year, NOW).expect("series");
    assert_eq!(s.step_secs, 86_400);
    let secs = |ms: i64| ms as f64 / 1000.0;
    let want: Vec<f64> = [first_day, TODAY - 3 * DAY, TODAY - DAY, TODAY].map(secs).to_vec();
    assert_eq!(s.t, want, "the day before the range is left out; empty days have no point");
    // Two hours a day: (40 + 60) / 2 in one, 20 in the other, weighted by samples: 40 W.
    assert_eq!(s.power_w, vec![Some(40.0); 4]);
    assert_eq!(s.cpu_percent, vec![Some(50.0); 4]);
    assert_eq!(s.work_unit.as_deref(), Some("H/s"));

    assert_eq!(s.energy.step_secs, 86_400);
    assert_eq!(s.energy.t, want);
    for wh in &s.energy.wh {
        assert!((wh.expect("energy") - 3.0).abs() < 1e-6, "{wh:?}");
    }
    assert_eq!(s.energy.cost, vec![Some(0.0009); 4]);
    assert_eq!(s.energy.currency.as_deref(), Some("EUR"));
    assert_eq!(s.energy.marginal_wh, vec![None; 4], "no baseline: not known, not 0");
    assert_eq!(s.power_provenance.as_deref(), Some("estimated"));
}

#[test]
fn an_empty_ledger_gives_an_empty_year() {
    let (_dir, ledger) = temp_ledger();
    let s = series(&ledger, SeriesRange::Year, NOW).expect("series");
    assert!(s.t.is_empty() && s.energy.t.is_empty());
    assert_eq!(s.power_provenance, None);
}
