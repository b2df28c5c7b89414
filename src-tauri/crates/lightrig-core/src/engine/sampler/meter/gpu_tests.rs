//! The meter with GPU sources beside its ladder: the GPU's power reaches the account when the
//! machine reading leaves it out, is not added when the reading already holds it, and a GPU
//! that stops answering leaves the CPU figure alone. The sensors are test doubles, named so.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{EnergyMeter, EnergySetup, TariffSetting};
use crate::energy::gpu::GpuShare;
use crate::energy::{
    PowerKind, PowerLadder, PowerReading, PowerSource, PowerStatus, PsuEfficiency, ReadContext,
};
use crate::engine::sampler::tests::{H, minutes, paused, run, running};
use crate::ledger::test_support::temp_ledger;
use crate::model::Provenance;

/// A power source of a given kind answering what the test sets: a test double.
#[derive(Debug, Clone)]
struct FakeSource {
    kind: PowerKind,
    source: &'static str,
    watts: Arc<Mutex<Option<f64>>>,
}

impl FakeSource {
    fn new(kind: PowerKind, source: &'static str, watts: f64) -> FakeSource {
        FakeSource { kind, source, watts: Arc::new(Mutex::new(Some(watts))) }
    }
    fn set(&self, watts: Option<f64>) {
        *self.watts.lock().expect("lock") = watts;
    }
}

impl PowerSource for FakeSource {
    fn name(&self) -> &str {
        self.source
    }
    fn read(&mut self, _: &ReadContext) -> PowerStatus {
        match *self.watts.lock().expect("lock") {
            Some(w) => PowerStatus::Reading(PowerReading::measured(w, self.kind, self.source)),
            None => PowerStatus::not_available(self.source, "no card"),
        }
    }
}

fn meter(machine: FakeSource, gpus: Vec<FakeSource>) -> EnergyMeter {
    let ladder = PowerLadder::new(vec![Box::new(machine)]);
    let mut setup =
        EnergySetup::new(ladder, TariffSetting::flat(Some(0.30), "EUR"), Duration::from_secs(1));
    setup.settings.psu = PsuEfficiency::new(1.0).expect("psu");
    setup.gpus = gpus.into_iter().map(|g| Box::new(g) as Box<dyn PowerSource>).collect();
    EnergyMeter::new(setup)
}

const PACKAGE: &str = "package sensor (test double)";
const GPU: &str = "GPU sensor (test double)";

#[test]
fn gpu_power_joins_a_package_reading_in_the_account_with_fake_sources() {
    let cpu = FakeSource::new(PowerKind::CpuPackage, PACKAGE, 40.0);
    let gpu = FakeSource::new(PowerKind::Gpu, GPU, 60.0);
    let mut m = meter(cpu, vec![gpu]);
    let (_dir, ledger) = temp_ledger();
    let t0 = Instant::now();
    run(&mut m, &ledger, t0, 0..=119, &running());
    let live = m.step(t0 + Duration::from_secs(120), H + 120_000, Some(100.0), &running(), &ledger);
    let r = live.reading.expect("a machine figure");
    assert_eq!(
        (r.watts, r.kind, r.provenance),
        (100.0, PowerKind::CpuPackage, Provenance::Measured)
    );
    let summed = format!("{PACKAGE} + {GPU}");
    assert_eq!(r.source, summed);
    let g = live.gpu.expect("the GPU part");
    assert_eq!((g.share, g.reading.watts), (GpuShare::Added, 60.0));
    assert_eq!(m.sample_power(), Some((100.0, summed.as_str())));
    // Minute 0: (40 + 60) W × 60 s = 6,000 J = 6e9 µJ; at 0.30 EUR/kWh 500,000 nano-EUR.
    let rows = minutes(&ledger);
    let first = rows.iter().find(|r| r.bucket_ms == H).expect("minute 0");
    assert_eq!(first.energy_uj, Some(6_000_000_000));
    assert_eq!(first.cost_nano, Some(500_000));
    assert_eq!(first.power_source.as_deref(), Some(summed.as_str()));
}

#[test]
fn a_wall_reading_already_holds_the_gpu_so_the_account_gets_it_once_with_fake_sources() {
    let wall = FakeSource::new(PowerKind::Wall, "plug meter (test double)", 150.0);
    let gpu = FakeSource::new(PowerKind::Gpu, GPU, 60.0);
    let mut m = meter(wall, vec![gpu]);
    let (_dir, ledger) = temp_ledger();
    let t0 = Instant::now();
    run(&mut m, &ledger, t0, 0..=60, &running());
    let live = m.step(t0 + Duration::from_secs(61), H + 61_000, Some(100.0), &running(), &ledger);
    assert_eq!(live.reading.map(|r| (r.watts, r.kind)), Some((150.0, PowerKind::Wall)));
    let g = live.gpu.expect("the GPU is still shown on its own");
    assert_eq!((g.share, g.reading.watts), (GpuShare::Inside, 60.0));
    // 150 W × 60 s = 9e9 µJ: the GPU's 60 W is inside, not on top.
    let rows = minutes(&ledger);
    let first = rows.iter().find(|r| r.bucket_ms == H).expect("minute 0");
    assert_eq!(first.energy_uj, Some(9_000_000_000));
}

#[test]
fn baseline_and_marginal_include_the_gpu_and_a_silent_gpu_leaves_the_cpu_with_fake_sources() {
    let cpu = FakeSource::new(PowerKind::CpuPackage, PACKAGE, 10.0);
    let gpu = FakeSource::new(PowerKind::Gpu, GPU, 20.0);
    let mut m = meter(cpu.clone(), vec![gpu.clone()]);
    let (_dir, ledger) = temp_ledger();
    let t0 = Instant::now();
    // Idle at 10 + 20 W, then working at 40 + 60 W: 70 W above the idle baseline.
    run(&mut m, &ledger, t0, 0..=40, &paused());
    cpu.set(Some(40.0));
    gpu.set(Some(60.0));
    run(&mut m, &ledger, t0, 41..=50, &running());
    let live = m.step(t0 + Duration::from_secs(51), H + 51_000, Some(100.0), &running(), &ledger);
    assert_eq!(live.marginal_w, Some(70.0));
    // The GPU stops answering (driver unloaded): the CPU alone, and no GPU figure.
    gpu.set(None);
    let live = m.step(t0 + Duration::from_secs(52), H + 52_000, Some(100.0), &running(), &ledger);
    assert_eq!(live.reading.map(|r| (r.watts, r.source)), Some((40.0, PACKAGE.to_owned())));
    assert_eq!(live.gpu, None);
}

#[test]
fn no_gpu_source_changes_nothing_with_fake_sources() {
    let cpu = FakeSource::new(PowerKind::CpuPackage, PACKAGE, 40.0);
    let mut m = meter(cpu, Vec::new());
    let (_dir, ledger) = temp_ledger();
    let live = m.step(Instant::now(), H, Some(100.0), &running(), &ledger);
    assert_eq!(live.reading.map(|r| (r.watts, r.source)), Some((40.0, PACKAGE.to_owned())));
    assert_eq!(live.gpu, None);
}
