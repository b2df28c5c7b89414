//! The sampler's energy path against a real ledger: rows from a recorded RAPL tree, the idle
//! baseline switching energy from total to marginal, a price change mid-hour, gaps that stay
//! gaps, and a report that adds up to the rollups.
//!
//! Sensors are either a recorded sysfs tree (RAPL) whose counter the test advances, or a
//! scripted mock source; tests using the mock say so in their names.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::meter::{EnergyMeter, EnergySetup, TariffSetting};
use crate::config::{self, Settings};
use crate::energy::model::ModelSource;
use crate::energy::sysfs::{RaplSource, Sysfs};
use crate::energy::{PowerKind, PowerLadder, PowerReading, PowerSource, PowerStatus, ReadContext};
use crate::ledger::test_support::temp_ledger;
use crate::ledger::{EnergyRow, Ledger, Resolution};
use crate::model::WorkRate;
use crate::supervisor::{NodeState, NodeStatus};

/// An hour boundary in late 2023 (so also a minute boundary).
pub(super) const H: i64 = 1_699_999_200_000;

fn fixture(rel: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/energy").join(rel)
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

fn status(state: NodeState) -> NodeStatus {
    NodeStatus {
        node_id: "xmrig".into(),
        profile_name: "XMRig".into(),
        simulated: false,
        state,
        pid: None,
        restarts: 0,
        metrics: None,
        metrics_error: None,
        updated_ms: 0,
    }
}

pub(super) fn running() -> NodeStatus {
    status(NodeState::Running { since_ms: H })
}

pub(super) fn paused() -> NodeStatus {
    status(NodeState::Paused { since_ms: H, reason: "paused by you".into() })
}

pub(super) fn stopped() -> NodeStatus {
    status(NodeState::Stopped { reason: "stopped by you".into() })
}

fn tariff(price: Option<f64>) -> TariffSetting {
    TariffSetting::flat(price, "EUR")
}

/// A meter with a PSU efficiency of 1, so a package reading's marginal stays as measured
/// (the tests of the efficiency itself set their own).
fn meter(ladder: PowerLadder, price: Option<f64>) -> EnergyMeter {
    let mut setup = EnergySetup::new(ladder, tariff(price), Duration::from_secs(1));
    setup.settings.psu = crate::energy::PsuEfficiency::new(1.0).expect("psu");
    EnergyMeter::new(setup)
}

/// A power source that answers what the test sets: a mock, named as such in every test that
/// uses it.
#[derive(Debug, Clone)]
pub(super) struct MockSensor(Arc<Mutex<Option<f64>>>);

impl MockSensor {
    pub(super) fn new(watts: f64) -> MockSensor {
        MockSensor(Arc::new(Mutex::new(Some(watts))))
    }
    pub(super) fn set(&self, watts: Option<f64>) {
        *self.0.lock().expect("lock") = watts;
    }
}

impl PowerSource for MockSensor {
    fn name(&self) -> &str {
        "mock sensor"
    }
    fn read(&mut self, _: &ReadContext) -> PowerStatus {
        match *self.0.lock().expect("lock") {
            Some(w) => PowerStatus::Reading(PowerReading::measured(
                w,
                PowerKind::CpuPackage,
                "mock package sensor",
            )),
            None => PowerStatus::NotAvailable { source: "mock".into(), reason: "unplugged".into() },
        }
    }
}

/// Steps the meter once a second for samples `from..=to` (seconds after `H`).
pub(super) fn run(
    m: &mut EnergyMeter,
    ledger: &Ledger,
    t0: Instant,
    secs: std::ops::RangeInclusive<i64>,
    node: &NodeStatus,
) {
    for s in secs {
        let now = t0 + Duration::from_secs(s as u64);
        let _ = m.step(now, H + s * 1_000, Some(100.0), node, ledger);
    }
}

pub(super) fn minutes(ledger: &Ledger) -> Vec<EnergyRow> {
    ledger.energy_rows(None, Resolution::Minute, 0, i64::MAX).expect("minute rows")
}

fn hours(ledger: &Ledger) -> Vec<EnergyRow> {
    ledger.energy_rows(None, Resolution::Hour, 0, i64::MAX).expect("hour rows")
}

#[test]
fn sampler_energy_rows_from_recorded_rapl_sysfs_with_scripted_counter() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&fixture("powercap_wrap/before"), dir.path());
    let counter = dir.path().join("class/powercap/intel-rapl:0/energy_uj");
    // The recorded counter sits 328,850 µJ below its wrap point, so it wraps within seconds.
    let max: u64 = 262_143_328_850;
    let start: u64 = 262_143_000_000;
    let ladder = PowerLadder::new(vec![
        Box::new(RaplSource::new(Sysfs::new(dir.path()))),
        Box::new(ModelSource::new(super::meter::cpu_spec("unknown"), None)),
    ]);
    let mut m = meter(ladder, Some(0.30));
    let (_ldir, ledger) = temp_ledger();
    let t0 = Instant::now();
    let node = running();
    for s in 0..150i64 {
        // 40 W: the package counter gains 40,000,000 µJ a second.
        std::fs::write(&counter, ((start + s as u64 * 40_000_000) % max).to_string())
            .expect("write");
        // As in the sampler, the CPU load is unknown at the first sample, so the model cannot
        // stand in while RAPL warms up.
        let cpu = (s > 0).then_some(100.0);
        let live = m.step(t0 + Duration::from_secs(s as u64), H + s * 1_000, cpu, &node, &ledger);
        if s == 0 {
            assert!(live.reading.is_none(), "RAPL needs two reads: {live:?}");
            assert!(m.sample_power().is_none(), "no reading is not 0 W");
        } else {
            let r = live.reading.expect("a reading");
            assert!((r.watts - 40.0).abs() < 1e-6, "{r:?}");
            assert_eq!(r.kind, PowerKind::CpuPackage);
            assert_eq!(m.sample_power(), Some((40.0, "RAPL package-0 (intel-rapl:0)")));
        }
    }
    m.finish(&ledger);
    let rows = minutes(&ledger);
    assert_eq!(rows.len(), 3, "{rows:#?}");
    // 40 W × 60 s = 2,400 J = 2.4e9 µJ; at 0.30 EUR/kWh: 2.4e9 × 3e5 / 3.6e9 = 200,000 nano-EUR.
    let first = &rows[0];
    assert_eq!((first.node_id.as_str(), first.bucket_ms), ("xmrig", H));
    // 61 readings: the one at 61 s covers the last bit of minute 0 (none here, as it starts
    // exactly at its end) and counts in both minutes, as the account counts it.
    assert_eq!((first.covered_ms, first.samples, first.gap_ms), (60_000, 61, 0));
    assert_eq!(first.energy_uj, Some(2_400_000_000));
    assert_eq!(first.cost_nano, Some(200_000));
    assert_eq!(first.currency.as_deref(), Some("EUR"));
    assert_eq!(first.price_micro_per_kwh, Some(300_000));
    assert_eq!(first.tariff.as_deref(), Some("flat 0.3 EUR/kWh (your setting)"));
    assert_eq!(first.power_kind.as_deref(), Some("cpu-package"));
    assert_eq!(first.power_source.as_deref(), Some("RAPL package-0 (intel-rapl:0)"));
    assert_eq!(first.marginal_energy_uj, None, "no idle baseline yet");
    // The open minute is stored at shutdown: samples 121..149 cover 29 s.
    assert_eq!((rows[2].covered_ms, rows[2].energy_uj), (29_000, Some(1_160_000_000)));
    let [hour] = hours(&ledger).try_into().expect("one hour row");
    assert_eq!(hour.energy_uj, Some(40_000_000 * 149));
    assert_eq!(hour.cost_nano, rows.iter().map(|r| r.cost_nano).sum());
}

#[test]
fn baseline_switches_energy_from_total_to_marginal_with_a_mock_sensor() {
    let sensor = MockSensor::new(40.0);
    let mut m = meter(PowerLadder::new(vec![Box::new(sensor.clone())]), Some(0.30));
    let (_dir, ledger) = temp_ledger();
    let t0 = Instant::now();
    // Two minutes of work with no baseline: energy, no marginal figure.
    run(&mut m, &ledger, t0, 0..=120, &running());
    // Paused for a minute at 10 W: the idle window fills.
    sensor.set(Some(10.0));
    run(&mut m, &ledger, t0, 121..=180, &paused());
    let live = m.step(t0 + Duration::from_secs(181), H + 181_000, Some(100.0), &paused(), &ledger);
    assert_eq!(live.marginal_w, None, "the window is still open");
    assert_eq!(live.idle_samples, 61);
    // Working again: the window closes into a 10 W baseline; 40 W is 30 W above it.
    sensor.set(Some(40.0));
    run(&mut m, &ledger, t0, 182..=360, &running());
    let live = m.step(t0 + Duration::from_secs(361), H + 361_000, Some(100.0), &running(), &ledger);
    assert_eq!(live.marginal_w, Some(30.0));
    let crate::energy::BaselineStatus::Ready { baseline, .. } = &live.baseline else {
        panic!("a baseline: {:?}", live.baseline)
    };
    assert_eq!(
        (baseline.watts, baseline.kind, baseline.samples),
        (10.0, PowerKind::CpuPackage, 61)
    );
    let rows = minutes(&ledger);
    let at = |minute: i64| rows.iter().find(|r| r.bucket_ms == H + minute * 60_000).expect("row");
    assert_eq!(at(0).marginal_energy_uj, None);
    assert_eq!(at(0).marginal_cost_nano, None);
    // Minute 4 (240–300 s), all of it at 40 W with the baseline: 30 W × 60 s = 1.8e9 µJ, at
    // 0.30 EUR/kWh 150,000 nano-EUR; the total stays 40 W × 60 s.
    assert_eq!(at(4).energy_uj, Some(2_400_000_000));
    assert_eq!(at(4).marginal_energy_uj, Some(1_800_000_000));
    assert_eq!(at(4).marginal_cost_nano, Some(150_000));
    assert_eq!(at(4).cost_nano, Some(200_000));
}

#[test]
fn a_price_change_mid_hour_is_recorded_at_each_price_with_a_mock_sensor() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("config.toml");
    let settings =
        Settings { price_per_kwh: Some(0.30), currency: "EUR".into(), ..Settings::default() };
    config::save(&file, &settings).expect("save");
    let sensor = MockSensor::new(100.0);
    let mut setup = EnergySetup::new(
        PowerLadder::new(vec![Box::new(sensor)]),
        TariffSetting::from_settings(&settings, None),
        Duration::from_secs(1),
    );
    setup.config_file = Some(file.clone());
    let mut m = EnergyMeter::new(setup);
    let (_ldir, ledger) = temp_ledger();
    let t0 = Instant::now();
    run(&mut m, &ledger, t0, 0..=1_820, &running());
    // The user sets a new price in Settings 30 min 20 s into the hour.
    let newer = Settings { price_per_kwh: Some(0.40), ..settings };
    config::save(&file, &newer).expect("save");
    let f = std::fs::File::options().write(true).open(&file).expect("open");
    f.set_modified(std::time::SystemTime::now() + Duration::from_secs(3_600)).expect("mtime");
    run(&mut m, &ledger, t0, 1_821..=3_601, &running());
    // The file is looked at every 10 s (at samples 10, 20, …), so the change is seen at sample
    // 1,830 and the new price applies from the sample before it: 1,829 s.
    let rows = minutes(&ledger);
    let at = |minute: i64| rows.iter().find(|r| r.bucket_ms == H + minute * 60_000).expect("row");
    // 100 W for 29 s = 2.9e9 µJ at 0.30 → 241,666.7 → 241,667; 31 s = 3.1e9 µJ at 0.40 →
    // 344,444.4 → 344,444 nano-EUR. Mean price by energy: (0.30 × 29 + 0.40 × 31) / 60.
    let split = at(30);
    assert_eq!((split.covered_ms, split.energy_uj), (60_000, Some(6_000_000_000)));
    assert_eq!(split.cost_nano, Some(241_667 + 344_444));
    assert_eq!(split.price_micro_per_kwh, Some((300_000 * 29 + 400_000 * 31) / 60));
    assert_eq!(
        split.tariff.as_deref(),
        Some("flat 0.3 EUR/kWh (your setting); flat 0.4 EUR/kWh (your setting)")
    );
    assert_eq!(at(29).cost_nano, Some(500_000));
    assert_eq!(at(31).cost_nano, Some(666_667));
    let hour = hours(&ledger).into_iter().find(|h| h.bucket_ms == H).expect("hour row");
    let in_hour: Vec<_> = rows.iter().filter(|r| r.bucket_ms < H + 3_600_000).collect();
    assert_eq!(in_hour.len(), 60);
    assert_eq!(hour.cost_nano, Some(in_hour.iter().filter_map(|r| r.cost_nano).sum()));
    // 30 minutes at 500,000, the split minute, 29 minutes at 666,667.
    assert_eq!(hour.cost_nano, Some(30 * 500_000 + 586_111 + 29 * 666_667));
    assert_eq!(hour.energy_uj, Some(60 * 6_000_000_000));
}

#[test]
fn no_reading_is_a_gap_never_zero_and_sampling_goes_on_with_a_mock_sensor() {
    let sensor = MockSensor::new(50.0);
    let mut m = meter(PowerLadder::new(vec![Box::new(sensor.clone())]), None);
    let (_dir, ledger) = temp_ledger();
    let t0 = Instant::now();
    run(&mut m, &ledger, t0, 0..=20, &running());
    sensor.set(None); // the sensor fails for the rest of the minute and beyond
    run(&mut m, &ledger, t0, 21..=130, &running());
    assert!(m.sample_power().is_none());
    let rows = minutes(&ledger);
    assert_eq!((rows[0].covered_ms, rows[0].energy_uj), (20_000, Some(1_000_000_000)));
    assert_eq!(rows[0].cost_nano, None, "no tariff: cost not available");
    assert_eq!(rows[0].uncosted_ms, 20_000);
    assert!(rows[0].gap_ms >= 10_000, "{:?}", rows[0]);
    assert_eq!((rows[1].covered_ms, rows[1].energy_uj), (0, None), "nothing covered: NULL");
    let totals = ledger.energy_totals(Some("xmrig"), 0, i64::MAX).expect("totals");
    assert_eq!(totals.energy.map(|e| e.microjoules()), Some(1_000_000_000));
    assert!(totals.costs.is_empty());
}

#[test]
fn machine_only_time_is_kept_apart_from_the_node_with_a_mock_sensor() {
    let sensor = MockSensor::new(20.0);
    let mut m = meter(PowerLadder::new(vec![Box::new(sensor)]), Some(0.30));
    let (_dir, ledger) = temp_ledger();
    let t0 = Instant::now();
    run(&mut m, &ledger, t0, 0..=30, &stopped());
    run(&mut m, &ledger, t0, 31..=125, &running());
    m.finish(&ledger);
    let rows = minutes(&ledger);
    let machine: i64 = rows.iter().filter(|r| r.node_id.is_empty()).map(|r| r.covered_ms).sum();
    let node: i64 = rows.iter().filter(|r| r.node_id == "xmrig").map(|r| r.covered_ms).sum();
    // Stopped until 30 s, then the node's: no second is lost or counted twice at the switch.
    assert_eq!((machine, node), (30_000, 95_000));
    let split: Vec<_> = rows.iter().filter(|r| r.bucket_ms == H).collect();
    assert_eq!(split.len(), 2, "minute 0 has a machine part and a node part");
}

#[test]
fn report_totals_equal_the_sum_of_rollups_with_a_mock_sensor() {
    let sensor = MockSensor::new(65.0);
    let mut m = meter(PowerLadder::new(vec![Box::new(sensor.clone())]), Some(0.25));
    let (_dir, ledger) = temp_ledger();
    let t0 = Instant::now();
    let mut node = running();
    node.metrics = Some(crate::adapter::NodeMetrics {
        work_rate: Some(WorkRate { value: 1_000.0, unit: "H/s".into() }),
        ..Default::default()
    });
    // 2 h 30 min, the power changing every 7 minutes, a price change after an hour.
    for s in 0..=9_000i64 {
        sensor.set(Some(40.0 + ((s / 420) % 5) as f64 * 10.0));
        if s == 3_600 {
            m.set_tariff(tariff(Some(0.35)), &ledger);
        }
        let _ =
            m.step(t0 + Duration::from_secs(s as u64), H + s * 1_000, Some(100.0), &node, &ledger);
    }
    m.finish(&ledger);
    let (from, to) = (H + 17 * 60_000 + 300, H + 2 * 3_600_000 + 13 * 60_000);
    let report = crate::engine::report::build(&ledger, "xmrig", from, to).expect("report");
    let rows: Vec<_> = minutes(&ledger)
        .into_iter()
        .filter(|r| r.node_id == "xmrig" && r.bucket_ms >= from && r.bucket_ms < to)
        .collect();
    let energy_uj: i64 = rows.iter().filter_map(|r| r.energy_uj).sum();
    let cost_nano: i64 = rows.iter().filter_map(|r| r.cost_nano).sum();
    let kwh = report.energy_kwh.expect("energy");
    assert!((kwh - energy_uj as f64 / 3.6e12).abs() < 1e-12, "{kwh} vs {energy_uj} µJ");
    let [cost] = report.costs.as_slice() else { panic!("one currency: {:?}", report.costs) };
    assert_eq!(cost.currency, "EUR");
    let expected = crate::model::Asset { code: String::new(), decimals: 9 }
        .format_atomic(i128::from(cost_nano));
    assert_eq!(cost.cost, expected);
    assert_eq!(report.covered_ms, rows.iter().map(|r| r.covered_ms).sum::<i64>());
    assert_eq!(report.net_basis, "total", "{}", report.net_basis_note);
    assert_eq!(report.power_kinds, ["cpu-package"]);
    assert_eq!(report.energy_provenance.as_deref(), Some("measured"));
}

/// Not a check: prints what the energy path adds to one sample with this machine's own ladder
/// (for docs/benchmarks.md). Run with
/// `cargo test --release -p lightrig-core --lib meter_step_cost -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, run by hand"]
fn meter_step_cost_on_this_machine() {
    let settings = Settings { price_per_kwh: Some(0.30), ..Settings::default() };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut setup = EnergySetup::for_machine(&settings, &crate::paths::Paths::under(dir.path()));
    setup.config_file = None;
    let mut m = EnergyMeter::new(setup);
    let (_dir, ledger) = temp_ledger();
    let node = running();
    let t0 = Instant::now();
    let n = 20_000i64;
    let began = Instant::now();
    for s in 0..n {
        let live =
            m.step(t0 + Duration::from_secs(s as u64), H + s * 1_000, Some(50.0), &node, &ledger);
        std::hint::black_box(live);
    }
    let per = began.elapsed().as_secs_f64() * 1e6 / n as f64;
    let source = m.sample_power().map(|(w, s)| format!("{w:.1} W from {s}"));
    println!(
        "energy path per sample: {per:.2} µs (mean of {n}, a ledger write each minute); {source:?}"
    );
}
