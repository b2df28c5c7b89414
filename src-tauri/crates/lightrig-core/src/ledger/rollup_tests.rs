use super::*;
use crate::ledger::bucket::{POWER_W, increase};
use crate::ledger::test_support::temp_ledger;
use crate::ledger::{LedgerOptions, Resolution, Sample, SampleRow, Stat};

/// An hour boundary (so also a minute boundary) in late 2023.
const H: i64 = 1_699_999_200_000;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn assert_stat(stat: Option<Stat>, avg: f64, min: f64, max: f64) {
    let stat = stat.expect("a value");
    assert!(close(stat.avg, avg) && close(stat.min, min) && close(stat.max, max), "{stat:?}");
}

fn n1(at_ms: i64) -> Sample {
    Sample { at_ms, node_id: Some("n1".into()), ..Sample::default() }
}

/// The hand-computed set: five samples of node n1 over two minutes, one machine-only sample.
fn record_hand_set(ledger: &Ledger) {
    let samples = [
        Sample {
            cpu_percent: Some(10.0),
            power_w: Some(20.0),
            total_work: Some(100),
            on_battery: Some(false),
            work_rate: Some(100.0),
            work_unit: Some("H/s".into()),
            power_source: Some("RAPL package power".into()),
            ..n1(H)
        },
        Sample {
            cpu_percent: Some(30.0),
            power_w: Some(40.0),
            total_work: Some(150),
            cpu_temp_c: Some(50.0),
            on_battery: Some(true),
            work_rate: Some(200.0),
            ..n1(H + 1_000)
        },
        Sample { cpu_temp_c: Some(70.0), work_rate: Some(300.0), ..n1(H + 2_000) },
        // The node restarted: the counter begins again.
        Sample {
            cpu_percent: Some(50.0),
            total_work: Some(20),
            power_w: Some(10.0),
            ..n1(H + 60_000)
        },
        Sample { cpu_percent: Some(70.0), total_work: Some(30), ..n1(H + 61_000) },
        Sample { at_ms: H + 1_500, cpu_percent: Some(90.0), ..Sample::default() },
    ];
    for s in &samples {
        ledger.record_sample(s).unwrap();
    }
}

fn all(ledger: &Ledger, node: Option<&str>, resolution: Resolution) -> Vec<SampleRow> {
    ledger.samples(node, resolution, i64::MIN, i64::MAX).unwrap()
}

#[test]
fn minute_and_hour_rollups_match_hand_computed_values_and_ignore_nulls() {
    let (_dir, ledger) = temp_ledger();
    record_hand_set(&ledger);
    let now = H + HOUR_MS + GRACE_MS;
    let report = ledger.maintain(now).unwrap();
    assert_eq!(
        report,
        MaintainReport { minute_rows: 3, hour_rows: 2, pruned_raw: 0, pruned_minutes: 0 }
    );

    let minutes = all(&ledger, Some("n1"), Resolution::Minute);
    assert_eq!(minutes.len(), 2);
    let m0 = &minutes[0];
    assert_eq!((m0.at_ms, m0.count), (H, 3));
    assert_stat(m0.cpu_percent, 20.0, 10.0, 30.0);
    assert_stat(m0.cpu_temp_c, 60.0, 50.0, 70.0); // the missing reading is not a 0
    assert_stat(m0.power_w, 30.0, 20.0, 40.0);
    assert_stat(m0.on_battery, 0.5, 0.0, 1.0);
    assert_stat(m0.work_rate, 200.0, 100.0, 300.0);
    assert_eq!(m0.mem_used_bytes, None, "no sensor, no number");
    assert_eq!(m0.work_unit.as_deref(), Some("H/s"));
    assert_eq!(m0.power_source.as_deref(), Some("RAPL package power"));
    assert_eq!((m0.total_work, m0.work_done), (Some(150), Some(50)));
    // 20 W for the nominal first second, 40 W for one second.
    assert!(close(m0.energy_wh.unwrap(), 60.0 / 3600.0));

    let m1 = &minutes[1];
    assert_eq!((m1.at_ms, m1.count), (H + 60_000, 2));
    assert_stat(m1.cpu_percent, 60.0, 50.0, 70.0);
    assert_eq!((m1.total_work, m1.work_done), (Some(30), Some(30)), "restart: 20 + 10");
    // 10 W after a 58 s gap counts for the 5 s cap only.
    assert!(close(m1.energy_wh.unwrap(), 50.0 / 3600.0));
    assert_eq!(m1.cpu_temp_c, None);

    let hours = all(&ledger, Some("n1"), Resolution::Hour);
    assert_eq!(hours.len(), 1);
    let h = &hours[0];
    assert_eq!((h.at_ms, h.count), (H, 5));
    assert_stat(h.cpu_percent, 40.0, 10.0, 70.0);
    assert_stat(h.cpu_temp_c, 60.0, 50.0, 70.0);
    assert_eq!((h.total_work, h.work_done), (Some(30), Some(80)));
    assert!(close(h.energy_wh.unwrap(), 110.0 / 3600.0));

    // Every node and the machine together: the bucket merges exactly.
    let merged = all(&ledger, None, Resolution::Minute);
    assert_eq!((merged[0].at_ms, merged[0].count), (H, 4));
    assert_stat(merged[0].cpu_percent, 130.0 / 3.0, 10.0, 90.0);
    let raw = all(&ledger, None, Resolution::Raw);
    assert_eq!(raw.len(), 6);
    assert!(raw.iter().all(|r| r.count == 1));
}

#[test]
fn maintain_is_idempotent() {
    let (_dir, ledger) = temp_ledger();
    record_hand_set(&ledger);
    let now = H + HOUR_MS + GRACE_MS;
    ledger.maintain(now).unwrap();
    let snapshot = |l: &Ledger| {
        [Resolution::Raw, Resolution::Minute, Resolution::Hour].map(|r| all(l, None, r))
    };
    let before = snapshot(&ledger);
    assert_eq!(ledger.maintain(now).unwrap(), MaintainReport::default());
    assert_eq!(snapshot(&ledger), before);
}

#[test]
fn incomplete_minutes_wait_and_raw_pruning_respects_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let options = LedgerOptions { raw_window_ms: 10 * 60_000, ..LedgerOptions::default() };
    let (ledger, _) = Ledger::open_with(dir.path().join("l.sqlite"), options).unwrap();
    for i in 0..1_800 {
        ledger.record_sample(&Sample { cpu_percent: Some(1.0), ..n1(H + i * 1_000) }).unwrap();
    }
    // 30 minutes of samples; at now = H + 30 min + 3 s the last minute is still in its grace.
    let now = H + 30 * 60_000 + 3_000;
    let report = ledger.maintain(now).unwrap();
    assert_eq!(report.minute_rows, 29);
    let raw = all(&ledger, Some("n1"), Resolution::Raw);
    assert_eq!(raw[0].at_ms, now - 10 * 60_000, "nothing older than the window");
    assert_eq!(raw.len(), 597);
    assert_eq!(raw.last().unwrap().at_ms, H + 1_799_000);

    // A window longer than what is rolled up never prunes rows that are not rolled up yet.
    let dir = tempfile::tempdir().unwrap();
    let options = LedgerOptions { raw_window_ms: 0, ..LedgerOptions::default() };
    let (ledger, _) = Ledger::open_with(dir.path().join("l.sqlite"), options).unwrap();
    for i in 0..90 {
        ledger.record_sample(&n1(H + i * 1_000)).unwrap();
    }
    ledger.maintain(H + 90_000).unwrap();
    let raw = all(&ledger, Some("n1"), Resolution::Raw);
    assert_eq!(raw.len(), 30, "the minute in progress stays raw");
    assert_eq!(raw[0].at_ms, H + 60_000);
}

/// Three hours of samples, a few thousand rows, rolled once or every ten minutes: same rows.
#[test]
fn long_span_rolls_up_the_same_incrementally_or_at_once() {
    let (_d1, once) = temp_ledger();
    let (_d2, stepwise) = temp_ledger();
    let span = 3 * HOUR_MS;
    let mut counter = 0u64;
    let mut expected_work = 0u64;
    for i in 0..(span / 3_000) {
        let at = H + i * 3_000;
        if i > 0 && i % 1_000 == 0 {
            counter = 0; // a node restart
        }
        let gained = 7 + (i as u64 % 5);
        if i > 0 {
            expected_work += gained;
        }
        counter += gained;
        let sample = Sample {
            cpu_percent: Some((i % 100) as f32),
            power_w: Some(15.0 + (i % 7) as f32),
            total_work: Some(counter),
            cpu_temp_c: (i % 3 != 0).then_some(40.0 + (i % 20) as f32),
            ..n1(at)
        };
        once.record_sample(&sample).unwrap();
        stepwise.record_sample(&sample).unwrap();
        if i % 200 == 199 {
            stepwise.maintain(at).unwrap();
        }
    }
    let end = H + span + GRACE_MS;
    stepwise.maintain(end).unwrap();
    let report = once.maintain(end).unwrap();
    assert_eq!((report.minute_rows, report.hour_rows), (180, 3));
    for resolution in [Resolution::Minute, Resolution::Hour] {
        assert_eq!(all(&once, None, resolution), all(&stepwise, None, resolution));
    }
    let hours = all(&once, Some("n1"), Resolution::Hour);
    let work: u64 = hours.iter().map(|h| h.work_done.unwrap()).sum();
    assert_eq!(work, expected_work, "restarts add the new counter, not a negative jump");
    assert_eq!(once.work_done(Some("n1"), H, H + span).unwrap(), Some(expected_work));
}

#[test]
fn work_done_is_the_same_before_and_after_rollup() {
    let (_dir, ledger) = temp_ledger();
    record_hand_set(&ledger);
    let range = (H, H + 2 * HOUR_MS);
    assert_eq!(ledger.work_done(Some("n1"), range.0, range.1).unwrap(), Some(80));
    ledger.maintain(H + 30 * 60_000).unwrap(); // minutes only
    assert_eq!(ledger.work_done(Some("n1"), range.0, range.1).unwrap(), Some(80));
    ledger.maintain(H + 2 * HOUR_MS).unwrap(); // hours too
    assert_eq!(ledger.work_done(Some("n1"), range.0, range.1).unwrap(), Some(80));
    assert_eq!(ledger.work_done(Some("n1"), H + 60_000, range.1).unwrap(), Some(30));
    assert_eq!(ledger.work_done(None, range.0, range.1).unwrap(), Some(80));
    assert_eq!(ledger.work_done(Some("nobody"), range.0, range.1).unwrap(), None);
}

#[test]
fn rollup_helpers_hold_their_invariants() {
    assert_eq!(STAT_FIELDS[POWER_W], "power_w");
    assert_eq!(increase(100, 150), 50);
    assert_eq!(increase(150, 20), 20, "a smaller value is a restart from 0");
    assert_eq!(floor_to(-1, MINUTE_MS), -MINUTE_MS);
    assert_eq!(floor_to(H + 59_999, MINUTE_MS), H);
}

#[test]
fn minute_rows_older_than_the_window_go_once_their_hour_is_rolled_up() {
    let dir = tempfile::tempdir().unwrap();
    let options = LedgerOptions { minute_window_ms: 2 * HOUR_MS, ..LedgerOptions::default() };
    let (ledger, _) = Ledger::open_with(dir.path().join("l.sqlite"), options).unwrap();
    // Five hours, one sample a minute.
    for i in 0..(5 * 60) {
        ledger.record_sample(&Sample { cpu_percent: Some(2.0), ..n1(H + i * 60_000) }).unwrap();
    }
    let now = H + 5 * HOUR_MS + 2 * 60_000;
    let report = ledger.maintain(now).unwrap();
    let minutes = all(&ledger, Some("n1"), Resolution::Minute);
    let hours = all(&ledger, Some("n1"), Resolution::Hour);
    assert_eq!(hours.len(), 5, "every hour stays");
    assert!(minutes.iter().all(|m| m.at_ms >= now - 2 * HOUR_MS), "nothing older than the window");
    // Minutes before now − 2 h = H + 3 h 2 min go: 3 × 60 + 2 of them.
    assert_eq!(report.pruned_minutes, 3 * 60 + 2, "{report:?}");
    assert_eq!(minutes.len(), 5 * 60 - (3 * 60 + 2));
    // Hours still sum what the pruned minutes held.
    let hour_samples: u64 = hours.iter().map(|h| h.count).sum();
    assert_eq!(hour_samples, 5 * 60);
}
