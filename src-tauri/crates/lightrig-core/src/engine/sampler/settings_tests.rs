//! The energy settings reaching the meter: a time-of-use tariff and an imported price list
//! priced per sample, a change in the settings file or a new import applied without a
//! restart, the CPU-watts override and the plug-meter calibration reaching the model, the PSU
//! efficiency turning a package-only marginal into wall power, and the idle baseline kept
//! across restarts. Sensors are the scripted mock of `tests.rs` (named in each test) or the
//! real model rung.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use super::meter::{EnergyMeter, EnergySetup, MeterSettings, TariffSetting, cpu_spec};
use super::tests::{H, MockSensor, minutes, paused, run, running};
use crate::config::{self, Settings};
use crate::energy::model::ModelSource;
use crate::energy::{BaselineStatus, PowerKind, PowerLadder};
use crate::ledger::test_support::temp_ledger;
use crate::ledger::{EnergyRow, Ledger};

/// H is 2023-11-14 22:00 UTC, a Tuesday: 0.10 from 22:00, 0.40 from 23:00.
const TOU_UTC: &str = r#"
[energy]
currency = "EUR"
tariff = "time-of-use"
time_zone = "UTC"
[[energy.seasons]]
name = "all year"
from = "01-01"
to = "12-31"
weekday = [{ from = 0, to = 22, price = "0.30" }, { from = 22, to = 23, price = "0.10" }, { from = 23, to = 24, price = "0.40" }]
"#;

const LIST: &str =
    "timestamp,price\n2023-11-14T22:00:00+00:00,0.10\n2023-11-14T23:00:00+00:00,0.40\n";

fn settings(text: &str) -> Settings {
    config::parse(text, Path::new("config.toml")).expect("valid settings")
}

/// Saves `s` to `file` and moves its modification time forward, as a later edit would.
fn write_settings(file: &Path, s: &Settings, later_by: u64) {
    config::save(file, s).expect("save");
    touch(file, later_by);
}

fn touch(file: &Path, later_by: u64) {
    let f = std::fs::File::options().write(true).open(file).expect("open");
    f.set_modified(SystemTime::now() + Duration::from_secs(later_by)).expect("mtime");
}

/// A meter reading `ladder`, with the settings, price list and baseline files in `dir`.
fn meter_in(dir: &Path, ladder: PowerLadder, s: &Settings) -> EnergyMeter {
    let config_file = dir.join("config.toml");
    let prices = dir.join("tariff-prices.csv");
    config::save(&config_file, s).expect("save");
    let mut setup =
        EnergySetup::new(ladder, TariffSetting::flat(None, "EUR"), Duration::from_secs(1));
    setup.settings = MeterSettings::from_settings(s, Some(&prices));
    setup.config_file = Some(config_file);
    setup.prices_file = Some(prices);
    setup.baseline_file = Some(dir.join("energy-baseline.json"));
    EnergyMeter::new(setup)
}

fn row(rows: &[EnergyRow], minute: i64) -> &EnergyRow {
    rows.iter().find(|r| r.bucket_ms == H + minute * 60_000).expect("minute row")
}

#[test]
fn the_time_of_use_tariff_prices_each_hour_at_its_own_price_with_a_mock_sensor() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sensor = MockSensor::new(100.0);
    let mut m = meter_in(dir.path(), PowerLadder::new(vec![Box::new(sensor)]), &settings(TOU_UTC));
    let (_l, ledger) = temp_ledger();
    let live = m.step(Instant::now(), H, Some(100.0), &running(), &ledger);
    assert_eq!(live.tariff.as_deref(), Some("time-of-use (your setting), UTC"));
    assert_eq!(live.tariff_problem, None);
    run(&mut m, &ledger, Instant::now(), 1..=3_700, &running());
    m.finish(&ledger);
    let rows = minutes(&ledger);
    // 100 W for 60 s = 6e9 µJ: at 0.10 EUR/kWh 166,667 nano-EUR, at 0.40 666,667.
    assert_eq!(row(&rows, 0).price_micro_per_kwh, Some(100_000));
    assert_eq!(row(&rows, 0).cost_nano, Some(166_667));
    assert_eq!(row(&rows, 59).price_micro_per_kwh, Some(100_000));
    assert_eq!(row(&rows, 60).price_micro_per_kwh, Some(400_000));
    assert_eq!(row(&rows, 60).cost_nano, Some(666_667));
    assert_eq!(row(&rows, 60).tariff.as_deref(), Some("time-of-use (your setting), UTC"));
}

#[test]
fn a_switch_from_flat_to_time_of_use_in_the_settings_file_applies_with_a_mock_sensor() {
    let dir = tempfile::tempdir().expect("tempdir");
    let flat = Settings { price_per_kwh: Some(0.30), ..Settings::default() };
    let sensor = MockSensor::new(100.0);
    let mut m = meter_in(dir.path(), PowerLadder::new(vec![Box::new(sensor)]), &flat);
    let (_l, ledger) = temp_ledger();
    let t0 = Instant::now();
    run(&mut m, &ledger, t0, 0..=125, &running());
    write_settings(&dir.path().join("config.toml"), &settings(TOU_UTC), 3_600);
    run(&mut m, &ledger, t0, 126..=300, &running());
    let rows = minutes(&ledger);
    assert_eq!(row(&rows, 1).price_micro_per_kwh, Some(300_000), "flat before the change");
    assert_eq!(row(&rows, 3).price_micro_per_kwh, Some(100_000), "time-of-use after it");
    assert_eq!(row(&rows, 3).tariff.as_deref(), Some("time-of-use (your setting), UTC"));
}

#[test]
fn the_imported_price_list_prices_samples_and_a_new_import_applies_with_a_mock_sensor() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = settings(TOU_UTC);
    s.energy.tariff = config::TariffKind::Hourly;
    let sensor = MockSensor::new(100.0);
    let mut m = meter_in(dir.path(), PowerLadder::new(vec![Box::new(sensor)]), &s);
    let (_l, ledger) = temp_ledger();
    let t0 = Instant::now();
    let live = m.step(t0, H, Some(100.0), &running(), &ledger);
    assert_eq!(live.tariff, None);
    let problem = live.tariff_problem.expect("no list yet");
    assert!(problem.contains("no price list is imported"), "{problem}");
    // The list is imported while the meter runs.
    let prices = dir.path().join("tariff-prices.csv");
    std::fs::write(&prices, LIST).expect("write");
    touch(&prices, 3_600);
    run(&mut m, &ledger, t0, 1..=3_700, &running());
    let live =
        m.step(t0 + Duration::from_secs(3_701), H + 3_701_000, Some(100.0), &running(), &ledger);
    assert_eq!(live.tariff.as_deref(), Some("imported price list, 2 prices, UTC"));
    let rows = minutes(&ledger);
    assert_eq!(row(&rows, 1).price_micro_per_kwh, Some(100_000));
    assert_eq!(row(&rows, 60).price_micro_per_kwh, Some(400_000));
    assert_eq!(row(&rows, 60).cost_nano, Some(666_667));
}

#[test]
fn the_cpu_watts_override_and_the_calibration_reach_the_model_reading() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = ModelSource::new(cpu_spec("unknown"), None);
    let handle = model.settings();
    let s = settings("[energy]\ncpu_watts = 100\n");
    let config_file = dir.path().join("config.toml");
    config::save(&config_file, &s).expect("save");
    let mut setup = EnergySetup::new(
        PowerLadder::new(vec![Box::new(model)]),
        TariffSetting::flat(None, "EUR"),
        Duration::from_secs(1),
    );
    setup.settings = MeterSettings::from_settings(&s, None);
    setup.model = Some(handle);
    setup.config_file = Some(config_file.clone());
    let mut m = EnergyMeter::new(setup);
    let (_l, ledger) = temp_ledger();
    let t0 = Instant::now();
    let live = m.step(t0, H, Some(100.0), &running(), &ledger);
    let r = live.reading.expect("a model reading");
    assert_eq!((r.watts, r.kind), (100.0, PowerKind::Model), "{r:?}");
    assert!(r.source.contains("your setting"), "{}", r.source);
    let cal = settings(
        "[energy]\ncpu_watts = 100\ncalibration = { idle_watts = 50, load_watts = 150 }\n",
    );
    write_settings(&config_file, &cal, 3_600);
    let live = m.step(t0 + Duration::from_secs(11), H + 11_000, Some(50.0), &running(), &ledger);
    let r = live.reading.expect("a calibrated reading");
    assert_eq!((r.watts, r.kind), (100.0, PowerKind::Wall), "half way from 50 to 150 W: {r:?}");
    assert!(r.source.starts_with("calibrated with a plug meter"), "{}", r.source);
}

/// Learns a 10 W idle baseline (paused 61 s) and works at 40 W until `to` seconds.
fn idle_then_work(m: &mut EnergyMeter, sensor: &MockSensor, ledger: &Ledger, to: i64) {
    let t0 = Instant::now();
    sensor.set(Some(10.0));
    run(m, ledger, t0, 0..=60, &paused());
    sensor.set(Some(40.0));
    run(m, ledger, t0, 61..=to, &running());
}

#[test]
fn the_psu_efficiency_turns_a_package_marginal_into_wall_power_with_a_mock_sensor() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sensor = MockSensor::new(10.0);
    let s = settings("[energy]\nprice_per_kwh = 0.30\npsu_efficiency = 0.8\n");
    let mut m = meter_in(dir.path(), PowerLadder::new(vec![Box::new(sensor.clone())]), &s);
    let (_l, ledger) = temp_ledger();
    idle_then_work(&mut m, &sensor, &ledger, 200);
    let live = m.step(Instant::now(), H + 201_000, Some(100.0), &running(), &ledger);
    // 40 W − 10 W of package power is 30 W; at the wall through a 0.8 supply, 37.5 W.
    assert_eq!(live.marginal_w, Some(37.5));
    assert_eq!(live.marginal_psu, Some(0.8), "the card says the figure went through the PSU");
    let rows = minutes(&ledger);
    assert_eq!(row(&rows, 2).energy_uj, Some(2_400_000_000), "the total stays as measured");
    assert_eq!(row(&rows, 2).marginal_energy_uj, Some(2_250_000_000));
}

#[test]
fn the_baseline_is_kept_and_restored_across_a_restart_with_a_mock_sensor() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = settings("[energy]\npsu_efficiency = 1.0\n");
    let sensor = MockSensor::new(10.0);
    let mut m = meter_in(dir.path(), PowerLadder::new(vec![Box::new(sensor.clone())]), &s);
    let (_l, ledger) = temp_ledger();
    idle_then_work(&mut m, &sensor, &ledger, 90);
    m.finish(&ledger);
    let file = dir.path().join("energy-baseline.json");
    let kept = std::fs::read_to_string(&file).expect("the baseline is kept");
    assert!(kept.contains("\"mock package sensor\""), "{kept}");
    // A restart an hour later: the first reading from the same sensor brings it back.
    let sensor = MockSensor::new(40.0);
    let mut again = meter_in(dir.path(), PowerLadder::new(vec![Box::new(sensor)]), &s);
    let live = again.step(Instant::now(), H + 3_600_000, Some(100.0), &running(), &ledger);
    let BaselineStatus::Ready { baseline, .. } = &live.baseline else {
        panic!("restored: {:?}", live.baseline)
    };
    assert_eq!(
        (baseline.watts, baseline.kind, baseline.samples),
        (10.0, PowerKind::CpuPackage, 61)
    );
    assert_eq!(live.marginal_w, Some(30.0));
}

fn kept_baseline(dir: &Path, measured_at: i64, source: &str) {
    let text = format!(
        r#"{{"version":1,"baseline":{{"watts":10.0,"kind":"cpu-package","samples":40,"measured_at":{measured_at},"source":"{source}"}}}}"#
    );
    std::fs::write(dir.join("energy-baseline.json"), text).expect("write");
}

fn first_status(dir: &Path) -> BaselineStatus {
    let sensor = MockSensor::new(40.0);
    let mut m = meter_in(dir, PowerLadder::new(vec![Box::new(sensor)]), &Settings::default());
    let (_l, ledger) = temp_ledger();
    m.step(Instant::now(), H, Some(100.0), &running(), &ledger).baseline
}

#[test]
fn a_kept_baseline_is_used_only_from_the_same_source_and_while_fresh_with_a_mock_sensor() {
    let dir = tempfile::tempdir().expect("tempdir");
    kept_baseline(dir.path(), H - 3_600_000, "mock package sensor");
    assert!(matches!(first_status(dir.path()), BaselineStatus::Ready { .. }), "fresh, same source");
    kept_baseline(dir.path(), H - 7 * 3_600_000, "mock package sensor");
    assert!(
        matches!(first_status(dir.path()), BaselineStatus::Missing { .. }),
        "seven hours old is stale: measured again, not restored"
    );
    kept_baseline(dir.path(), H - 3_600_000, "RAPL package-0 (intel-rapl:0)");
    assert!(
        matches!(first_status(dir.path()), BaselineStatus::Missing { .. }),
        "another power source"
    );
}

#[test]
fn a_damaged_baseline_file_is_set_aside_and_ignored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("energy-baseline.json");
    std::fs::write(&file, "{\"version\":1,\"baseline\":{\"watts\":").expect("write");
    assert!(matches!(first_status(dir.path()), BaselineStatus::Missing { .. }));
    assert!(!file.exists(), "moved aside, so a new baseline can be kept");
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("energy-baseline.json.bad-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
}
