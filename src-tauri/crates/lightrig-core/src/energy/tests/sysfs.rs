use std::path::Path;
use std::time::{Duration, Instant};

use super::fixture;
use crate::energy::model::{CpuPowerSpec, ModelSource};
use crate::energy::nvml::NvmlSource;
use crate::energy::reading::{PowerKind, PowerLadder, PowerSource, PowerStatus, ReadContext};
use crate::energy::sysfs::{AmdGpuSource, BatterySource, RaplSource, Sysfs};
use crate::model::Provenance;

fn ctx(now: Instant) -> ReadContext {
    ReadContext { now, cpu_percent: Some(50.0) }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("fixture dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn rapl_power_across_a_counter_wrap_from_recorded_sysfs() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&fixture("powercap_wrap/before"), dir.path());
    let mut rapl = RaplSource::new(Sysfs::new(dir.path()));
    let t0 = Instant::now();
    assert!(matches!(rapl.read(&ctx(t0)), PowerStatus::WarmingUp { .. }));
    // The counter went from 262,143,000,000 µJ through its wrap point 262,143,328,850 to
    // 64,671,150: (262143328850 − 262143000000) + 64671150 = 65,000,000 µJ in 1 s = 65 W.
    copy_tree(&fixture("powercap_wrap/after"), dir.path());
    let status = rapl.read(&ctx(t0 + Duration::from_secs(1)));
    let reading = status.reading().expect("a reading after the wrap");
    assert!((reading.watts - 65.0).abs() < 1e-9, "{reading:?}");
    assert_eq!(reading.kind, PowerKind::CpuPackage);
    assert_eq!(reading.provenance, Provenance::Measured);
    // Only the package zone: not core/uncore (parts of it) nor psys (the platform).
    assert_eq!(reading.source, "RAPL package-0 (intel-rapl:0)");
}

#[test]
fn rapl_repeats_its_figure_for_reads_too_close_together_from_recorded_sysfs() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&fixture("powercap_wrap/before"), dir.path());
    let mut rapl = RaplSource::new(Sysfs::new(dir.path()));
    let t0 = Instant::now();
    let _ = rapl.read(&ctx(t0));
    copy_tree(&fixture("powercap_wrap/after"), dir.path());
    let first = rapl.read(&ctx(t0 + Duration::from_secs(2))).reading().cloned().expect("reading");
    assert!((first.watts - 32.5).abs() < 1e-9);
    let again = rapl.read(&ctx(t0 + Duration::from_millis(2_010)));
    assert_eq!(again.reading(), Some(&first));
}

#[test]
fn rapl_root_only_counter_asks_for_a_one_time_permission_from_recorded_sysfs() {
    let sysfs = Sysfs::recorded(fixture("powercap_root_only")).expect("recorded tree");
    let mut rapl = RaplSource::new(sysfs);
    let PowerStatus::PermissionNeeded(help) = rapl.read(&ctx(Instant::now())) else {
        panic!("expected PermissionNeeded");
    };
    assert!(help.what.contains("intel-rapl:0/energy_uj"), "{}", help.what);
    assert!(help.how.contains("sudo chmod 0444"), "{}", help.how);
    assert!(help.how.contains("udev"), "{}", help.how);
    assert!(help.how.contains("never asks for root"), "{}", help.how);
}

#[test]
fn no_powercap_tree_is_not_available() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut rapl = RaplSource::new(Sysfs::new(dir.path()));
    let PowerStatus::NotAvailable { reason, .. } = rapl.read(&ctx(Instant::now())) else {
        panic!("expected NotAvailable");
    };
    assert!(reason.contains("no RAPL package zone"), "{reason}");
}

#[test]
fn counter_delta_handles_wrap_and_reset() {
    use crate::energy::sysfs::rapl_counter_delta as delta;
    assert_eq!(delta(10, 25, Some(100)), Some(15));
    assert_eq!(delta(90, 5, Some(100)), Some(15));
    // A drop without a known wrap point, or from above it, is a reset: no figure.
    assert_eq!(delta(90, 5, None), None);
    assert_eq!(delta(150, 5, Some(100)), None);
}

#[test]
fn amdgpu_power_average_and_input_from_recorded_sysfs() {
    let mut gpu = AmdGpuSource::new(Sysfs::new(fixture("hwmon_amdgpu")));
    let reading = gpu.read(&ctx(Instant::now())).reading().cloned().expect("reading");
    // 38,000,000 µW (power1_average) + 12,500,000 µW (power1_input) = 50.5 W.
    assert!((reading.watts - 50.5).abs() < 1e-9, "{reading:?}");
    assert_eq!(reading.kind, PowerKind::Gpu);
    assert_eq!(reading.source, "amdgpu hwmon (hwmon3 power1_average, hwmon10 power1_input)");
}

#[test]
fn battery_power_now_while_discharging_from_recorded_sysfs() {
    let mut battery = BatterySource::new(Sysfs::new(fixture("battery_power_now")));
    let reading = battery.read(&ctx(Instant::now())).reading().cloned().expect("reading");
    // BAT0's 14,520,000 µW; the wireless mouse (scope Device) is not the machine.
    assert!((reading.watts - 14.52).abs() < 1e-9, "{reading:?}");
    assert_eq!(reading.kind, PowerKind::Battery);
    assert_eq!(reading.source, "battery discharge (BAT0 power_now)");
}

#[test]
fn battery_current_times_voltage_from_recorded_sysfs() {
    let mut battery = BatterySource::new(Sysfs::new(fixture("battery_current_voltage")));
    let reading = battery.read(&ctx(Instant::now())).reading().cloned().expect("reading");
    // 1.234 A × 11.82 V = 14.58588 W.
    assert!((reading.watts - 14.58588).abs() < 1e-9, "{reading:?}");
    assert!(reading.source.contains("current_now × voltage_now"));
}

#[test]
fn charging_battery_is_not_available_from_recorded_sysfs() {
    let root = fixture("../sysfs/laptop_charging");
    let mut battery = BatterySource::new(Sysfs::new(root));
    let PowerStatus::NotAvailable { reason, .. } = battery.read(&ctx(Instant::now())) else {
        panic!("a charging battery must not give a reading");
    };
    assert!(reason.contains("Charging"), "{reason}");
}

#[test]
fn ladder_falls_through_a_permission_to_the_battery_from_recorded_sysfs() {
    let rapl = RaplSource::new(Sysfs::recorded(fixture("powercap_root_only")).expect("tree"));
    let battery = BatterySource::new(Sysfs::new(fixture("battery_power_now")));
    let model = ModelSource::new(CpuPowerSpec::user(65.0).expect("spec"), None);
    let mut ladder = PowerLadder::new(vec![Box::new(rapl), Box::new(battery), Box::new(model)]);
    let out = ladder.read(&ctx(Instant::now()));
    let live = out.live.as_ref().expect("battery is live");
    assert_eq!(live.kind, PowerKind::Battery);
    assert!(out.permission_needed().is_some());
    // The model below the live rung is not read.
    let names: Vec<&str> = out.rungs.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["RAPL", "battery"]);
}

#[test]
fn nvml_without_a_library_is_not_available() {
    let missing = std::path::PathBuf::from("/nonexistent/libnvidia-ml.so.1");
    let mut nvml = NvmlSource::load_from(&[missing]);
    let PowerStatus::NotAvailable { reason, .. } = nvml.read(&ctx(Instant::now())) else {
        panic!("expected NotAvailable");
    };
    assert!(reason.contains("NVML"), "{reason}");
    assert!(nvml.temperatures().is_empty());
}

#[test]
fn amdgpu_without_a_power_attribute_is_not_available_from_recorded_sysfs() {
    let sysfs = Sysfs::recorded(fixture("hwmon_amdgpu_unreadable")).expect("recorded tree");
    let mut gpu = AmdGpuSource::new(sysfs);
    let PowerStatus::NotAvailable { reason, .. } = gpu.read(&ctx(Instant::now())) else {
        panic!("a card without power1_average/power1_input gives no figure, not 0 W");
    };
    assert!(reason.contains("hwmon2 has no power1_average/power1_input"), "{reason}");
}

#[test]
fn amdgpu_temperatures_with_labels_and_an_unreadable_junction_from_recorded_sysfs() {
    let sysfs = Sysfs::recorded(fixture("hwmon_amdgpu_unreadable")).expect("recorded tree");
    let temps = AmdGpuSource::new(sysfs).temperatures();
    // Edge 47,000 m°C; junction's temp2_input is root-only; mem has a label and no value.
    assert_eq!(
        temps,
        [
            ("GPU amdgpu edge".to_owned(), Some(47.0)),
            ("GPU amdgpu junction".to_owned(), None),
            ("GPU amdgpu mem".to_owned(), None),
        ]
    );
    // No amdgpu card (the CPU's k10temp only): nothing, and no error.
    let none = AmdGpuSource::new(Sysfs::new(fixture("powercap_wrap/before"))).temperatures();
    assert!(none.is_empty());
}
