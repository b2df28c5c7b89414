//! The power model, the shipped CPU table, the plug-meter calibration, the PSU conversion and
//! the idle baseline, on known inputs.

use std::time::Instant;

use crate::energy::baseline::{BaselineStatus, BaselineTracker, MarginalPower, PsuEfficiency};
use crate::energy::error::ModelError;
use crate::energy::model::{
    CpuPowerSpec, CpuPowerTable, ModelSource, WallCalibration, estimate_package, load_share,
};
use crate::energy::reading::{PowerKind, PowerReading, PowerSource, PowerStatus, ReadContext};
use crate::model::Provenance;

fn table() -> CpuPowerTable {
    CpuPowerTable::bundled().expect("the shipped table parses")
}

#[test]
fn shipped_cpu_table_states_its_source_and_year() {
    let t = table();
    assert!(t.len() >= 20, "{}", t.len());
    assert!(t.source.contains("AMD") && t.source.contains("Intel"));
    assert_eq!(t.year, 2026);
}

#[test]
fn amd_desktop_runs_at_0_9_ppt() {
    // 5950X: TDP 105 W → PPT 141.75 W → 0.9 × PPT = 127.575 W at 100 % load, ±15 %.
    let spec = table().lookup("AMD Ryzen 9 5950X 16-Core Processor");
    assert_eq!(spec.label, "AMD Ryzen 9 5950X");
    assert!((spec.sustained_w - 127.575).abs() < 1e-9);
    let r = estimate_package(&spec, 100.0);
    assert!((r.watts - 127.575).abs() < 1e-9);
    assert_eq!(r.provenance, Provenance::Estimated);
    let (lo, hi) = r.range_w.expect("band");
    assert!((lo - 127.575 * 0.85).abs() < 1e-9 && (hi - 127.575 * 1.15).abs() < 1e-9);
    assert!(r.source.starts_with("model: AMD Ryzen 9 5950X"), "{}", r.source);
}

#[test]
fn intel_desktop_at_half_load_follows_the_teads_curve() {
    // i9-12900K: PL1 125 W. At 50 % the Teads curve gives 0.75/1.02 of it = 91.9118 W.
    let spec = table().lookup("12th Gen Intel(R) Core(TM) i9-12900K");
    assert_eq!(spec.sustained_w, 125.0);
    let r = estimate_package(&spec, 50.0);
    assert!((r.watts - 125.0 * 0.75 / 1.02).abs() < 1e-9, "{}", r.watts);
    // Between the curve's points it interpolates: 30 % → (0.32 + 0.43 × 20/40) / 1.02.
    assert!((load_share(30.0) - (0.32 + 0.43 * 0.5) / 1.02).abs() < 1e-12);
    assert!((load_share(0.0) - 0.12 / 1.02).abs() < 1e-12);
    assert_eq!(load_share(150.0), 1.0);
}

#[test]
fn lookup_matches_whole_words_and_falls_back() {
    let t = table();
    assert_eq!(t.lookup("AMD Ryzen 7 5800X3D 8-Core Processor").label, "AMD Ryzen 7 5800X3D");
    // "9950X" must not claim the 9950X3D, nor "i5-12400F" the i5-12400.
    assert_eq!(t.lookup("AMD Ryzen 9 9950X3D 16-Core Processor").label, "unknown CPU");
    assert_eq!(t.lookup("Intel(R) Core(TM) i5-12400").label, "unknown CPU");
    assert_eq!(t.lookup("Apple M1").sustained_w, 20.0);
    assert_eq!(t.lookup("Apple M1 Max").label, "unknown CPU");
    let fallback = t.lookup("Some Future CPU");
    assert_eq!((fallback.sustained_w, fallback.band), (65.0, (-0.5, 1.0)));
}

#[test]
fn user_override_replaces_the_table() {
    let spec = CpuPowerSpec::user(88.0).expect("valid");
    assert_eq!(estimate_package(&spec, 100.0).watts, 88.0);
    assert!(matches!(CpuPowerSpec::user(-5.0), Err(ModelError::BadWatts { .. })));
    assert!(matches!(CpuPowerSpec::user(f64::NAN), Err(ModelError::BadWatts { .. })));
}

#[test]
fn wall_calibration_is_linear_in_load() {
    // Idle 45 W, load 145 W: at 43 % → 45 + 100 × 0.43 = 88 W at the wall.
    let cal = WallCalibration::new(45.0, 145.0).expect("valid");
    let r = cal.estimate(43.0);
    assert!((r.watts - 88.0).abs() < 1e-9);
    assert_eq!(r.kind, PowerKind::Wall);
    assert_eq!(cal.marginal_at_full_load(), 100.0);
    assert_eq!(cal.estimate(250.0).watts, 145.0);
    assert_eq!(
        WallCalibration::new(145.0, 45.0),
        Err(ModelError::LoadNotAboveIdle { idle_w: 145.0, load_w: 45.0 })
    );
    let err = WallCalibration::new(-1.0, 45.0).expect_err("negative").to_string();
    assert!(err.contains("idle_w") && err.contains("negative"), "{err}");
}

#[test]
fn model_source_needs_the_cpu_load_and_prefers_a_calibration() {
    let spec = table().lookup("AMD Ryzen 7 3700X 8-Core Processor");
    let mut model = ModelSource::new(spec.clone(), None);
    let no_load = ReadContext { now: Instant::now(), cpu_percent: None };
    assert!(matches!(model.read(&no_load), PowerStatus::NotAvailable { .. }));
    let full = ReadContext { now: Instant::now(), cpu_percent: Some(100.0) };
    // 3700X: 0.9 × 1.35 × 65 = 78.975 W.
    let r = model.read(&full).reading().cloned().expect("reading");
    assert!((r.watts - 78.975).abs() < 1e-9);
    let mut calibrated =
        ModelSource::new(spec, Some(WallCalibration::new(40.0, 140.0).expect("cal")));
    assert_eq!(calibrated.read(&full).reading().map(|r| r.watts), Some(140.0));
}

#[test]
fn psu_efficiency_turns_package_into_wall_power() {
    let package =
        PowerReading::measured(90.0, PowerKind::CpuPackage, "RAPL package-0 (intel-rapl:0)");
    let wall = PsuEfficiency::default().to_wall(&package);
    assert!((wall.watts - 100.0).abs() < 1e-9);
    assert_eq!((wall.kind, wall.provenance), (PowerKind::Wall, Provenance::Estimated));
    assert!(wall.source.contains("PSU efficiency 0.90"), "{}", wall.source);
    let battery = PowerReading::measured(14.0, PowerKind::Battery, "battery");
    assert_eq!(PsuEfficiency::default().to_wall(&battery), battery);
    assert!(PsuEfficiency::new(0.3).is_err());
}

#[test]
fn baseline_needs_enough_samples_and_goes_stale() {
    let idle = |w| PowerReading::measured(w, PowerKind::CpuPackage, "RAPL");
    let mut tracker = BaselineTracker::new(3, 3_600_000);
    tracker.record_idle(&idle(40.0));
    tracker.record_idle(&idle(44.0));
    assert!(!tracker.end_window(1_000));
    assert_eq!(tracker.status(1_000), BaselineStatus::Missing { have: 2, need: 3 });
    for w in [40.0, 42.0, 44.0] {
        tracker.record_idle(&idle(w));
    }
    assert!(tracker.end_window(10_000));
    let BaselineStatus::Ready { baseline, age_ms } = tracker.status(70_000) else {
        panic!("expected a ready baseline");
    };
    assert_eq!((baseline.watts, baseline.samples, age_ms), (42.0, 3, 60_000));
    assert!(matches!(tracker.status(10_000 + 3_600_001), BaselineStatus::Stale { .. }));
    // Marginal = working − idle, only against the same kind of reading.
    let m = MarginalPower::of(&idle(130.0), tracker.baseline());
    assert_eq!(m.marginal_w, Some(88.0));
    let wall = PowerReading::measured(200.0, PowerKind::Wall, "plug");
    let m = MarginalPower::of(&wall, tracker.baseline());
    assert_eq!(m.marginal_w, None);
    assert!(m.why_not.expect("reason").contains("cpu-package"));
}
