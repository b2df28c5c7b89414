//! Day points of the year chart: hour rows of each UTC day merged in SQL. Averages are weighted
//! by sample count, minimums and maximums come from the hours' own, work and energy add up, and
//! a day with nothing recorded has no point at all (a gap, not a 0). Days are UTC, so
//! daylight-saving changes cannot shift or split them; nothing here depends on a time zone.

use crate::energy::Energy;
use crate::ledger::test_support::temp_ledger;
use crate::ledger::{EnergyRow, Ledger, Resolution, Sample, Stat};

use super::{DAY_MS, HOUR_MS, MINUTE_MS};

/// A UTC midnight in November 2023.
const D: i64 = 1_699_920_000_000;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn assert_stat(stat: Option<Stat>, avg: f64, min: f64, max: f64) {
    let stat = stat.expect("a value");
    assert!(close(stat.avg, avg) && close(stat.min, min) && close(stat.max, max), "{stat:?}");
}

fn sample(node: &str, at_ms: i64, cpu: Option<f32>, total_work: Option<u64>) -> Sample {
    Sample {
        at_ms,
        node_id: Some(node.into()),
        cpu_percent: cpu,
        total_work,
        power_w: cpu.map(|c| c + 10.0),
        work_unit: Some("H/s".into()),
        ..Sample::default()
    }
}

/// Day 0: two samples in hour 1 (cpu 10 and 20), two in hour 5 (cpu 60 and none; no
/// temperature), a counter that rises 100 → 130, then 500 → 540 (hours apart: a new series). Day 1: nothing. Day 2: n1 and n2 in hour 0.
fn record_three_days(ledger: &Ledger) {
    let samples = [
        sample("n1", D + HOUR_MS, Some(10.0), Some(100)),
        Sample {
            cpu_temp_c: Some(40.0),
            ..sample("n1", D + HOUR_MS + 1_000, Some(20.0), Some(130))
        },
        sample("n1", D + 5 * HOUR_MS, Some(60.0), Some(500)),
        sample("n1", D + 5 * HOUR_MS + 1_000, None, Some(540)),
        sample("n1", D + 2 * DAY_MS, Some(40.0), None),
        Sample { work_unit: Some("B/s".into()), ..sample("n2", D + 2 * DAY_MS, Some(80.0), None) },
    ];
    for s in &samples {
        ledger.record_sample(s).expect("sample");
    }
    ledger.maintain(D + 3 * DAY_MS).expect("maintain");
}

#[test]
fn day_points_weight_averages_by_count_and_keep_min_max_and_gaps() {
    let (_dir, ledger) = temp_ledger();
    record_three_days(&ledger);
    let hours = ledger.samples(None, Resolution::Hour, D, D + 3 * DAY_MS).expect("hours");
    assert_eq!(hours.len(), 3, "hour rows exist: {hours:?}");

    let days = ledger.samples(None, Resolution::Day, D, D + 3 * DAY_MS).expect("days");
    // Day 1 had nothing recorded: no point, so the chart shows a gap rather than a 0.
    assert_eq!(days.iter().map(|d| d.at_ms).collect::<Vec<_>>(), [D, D + 2 * DAY_MS]);
    let d0 = &days[0];
    assert_eq!(d0.count, 4);
    // (10 + 20 + 60) / 3 readings, not the mean of the hours' means (15 and 60 → 37.5); the
    // sample without a reading does not count as 0.
    assert_stat(d0.cpu_percent, 30.0, 10.0, 60.0);
    assert_stat(d0.power_w, 40.0, 20.0, 70.0);
    // Only one sample had a temperature: the others do not count as 0.
    assert_stat(d0.cpu_temp_c, 40.0, 40.0, 40.0);
    assert_eq!(d0.work_unit.as_deref(), Some("H/s"));
    // Work summed over the day's hours; the counter's last value is the day's last.
    assert_eq!((d0.work_done, d0.total_work), (Some(30 + 40), Some(540)));

    // Two nodes in a day: one merged point, no single unit or counter to report.
    let d2 = &days[1];
    assert_eq!(d2.count, 2);
    assert_stat(d2.cpu_percent, 60.0, 40.0, 80.0);
    assert_eq!((d2.work_unit.as_deref(), d2.total_work), (None, None));

    // One node only.
    let n2 = ledger.samples(Some("n2"), Resolution::Day, D, D + 3 * DAY_MS).expect("n2");
    assert_eq!(n2.len(), 1);
    assert_eq!(n2[0].work_unit.as_deref(), Some("B/s"));
}

#[test]
fn a_day_point_covers_only_the_hours_inside_the_range() {
    let (_dir, ledger) = temp_ledger();
    record_three_days(&ledger);
    let days = ledger.samples(None, Resolution::Day, D + 2 * HOUR_MS, D + DAY_MS).expect("days");
    let [d0] = days.as_slice() else { panic!("one point: {days:?}") };
    assert_eq!((d0.at_ms, d0.count), (D, 2));
    assert_stat(d0.cpu_percent, 60.0, 60.0, 60.0);
    assert_eq!(d0.total_work, Some(540));
}

fn minute(node: &str, bucket_ms: i64, energy_uj: i64, cost: Option<(i64, &str)>) -> EnergyRow {
    EnergyRow {
        res_ms: MINUTE_MS,
        node_id: node.into(),
        bucket_ms,
        samples: 60,
        covered_ms: 60_000,
        energy_uj: Some(energy_uj),
        marginal_energy_uj: Some(energy_uj / 2),
        uncosted_ms: if cost.is_some() { 0 } else { 60_000 },
        cost_nano: cost.map(|(c, _)| c),
        currency: cost.map(|(_, cur)| cur.into()),
        power_kind: Some("model".into()),
        ..EnergyRow::default()
    }
}

#[test]
fn energy_day_points_sum_hours_and_leave_gaps_and_unknowns_unknown() {
    let (_dir, ledger) = temp_ledger();
    let no_marginal =
        EnergyRow { marginal_energy_uj: None, ..minute("n1", D + 2 * DAY_MS, 5, Some((3, "EUR"))) };
    ledger
        .record_energy(&[
            // Day 0: three minutes in two hours, two nodes.
            minute("n1", D, 1_000, Some((10, "EUR"))),
            minute("n1", D + 23 * HOUR_MS, 2_000, Some((20, "EUR"))),
            minute("", D + 23 * HOUR_MS + MINUTE_MS, 3_000, Some((30, "EUR"))),
            // Day 2: one minute without a marginal figure, another priced in another currency.
            no_marginal,
            minute("n1", D + 2 * DAY_MS + HOUR_MS, 7, Some((1, "USD"))),
            // Day 3 starts: its own point.
            minute("n1", D + 3 * DAY_MS, 9, Some((2, "EUR"))),
        ])
        .expect("write");
    let days = ledger.energy_series(None, Resolution::Day, D, D + 4 * DAY_MS).expect("days");
    let at: Vec<i64> = days.iter().map(|p| p.bucket_ms).collect();
    assert_eq!(at, [D, D + 2 * DAY_MS, D + 3 * DAY_MS], "day 1 is a gap");

    let d0 = &days[0];
    assert_eq!(d0.energy, Some(Energy(6_000)));
    assert_eq!(d0.marginal_energy, Some(Energy(3_000)));
    assert_eq!((d0.cost_nanos, d0.currency.as_deref()), (Some(60), Some("EUR")));
    assert_eq!(d0.covered_ms, 180_000);

    let d2 = &days[1];
    assert_eq!(d2.energy, Some(Energy(12)));
    // One covered minute had no marginal figure: the day has none rather than a partial one.
    assert_eq!(d2.marginal_energy, None);
    // Two currencies are never added.
    assert_eq!(d2.cost_nanos, None);

    // The day point equals the sum of the same day's hour points.
    let hours = ledger.energy_series(None, Resolution::Hour, D, D + DAY_MS).expect("hours");
    let sum: i64 = hours.iter().filter_map(|p| p.energy.map(Energy::microjoules)).sum();
    assert_eq!(sum, 6_000);
    assert_eq!(hours.len(), 2);
}

#[test]
fn days_are_utc_midnights_also_before_1970() {
    let (_dir, ledger) = temp_ledger();
    let before = -DAY_MS - HOUR_MS; // 1969-12-30T23:00Z, in the day starting 1969-12-30
    ledger.record_energy(&[minute("n1", before, 1, None)]).expect("write");
    let days = ledger.energy_series(None, Resolution::Day, i64::MIN, i64::MAX).expect("days");
    assert_eq!(days.iter().map(|p| p.bucket_ms).collect::<Vec<_>>(), [-2 * DAY_MS]);
}
