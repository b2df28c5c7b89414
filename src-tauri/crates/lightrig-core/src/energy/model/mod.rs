//! Power when nothing measures it: a model of CPU package power from the CPU's power limit and
//! its load, or of wall power from a plug-meter calibration.
//!
//! Utilisation × TDP models err by −50 % to +90 % (CodeCarbon's own measurements, energy.md
//! §3.2), so every estimate carries a band and says it is estimated. A miner keeps the CPU near
//! 100 %, where the model rests on measured sustained package power (§3.3); below that the
//! shape is the Teads curve (power/TDP = 0.12 at 0 %, 0.32 at 10 %, 0.75 at 50 %, 1.02 at
//! 100 %, Boavizta), scaled so 100 % load gives the sustained power.

mod calibration;
mod table;

pub use calibration::WallCalibration;
pub use table::{CpuClass, CpuPowerSpec, CpuPowerTable};

use std::sync::{Arc, Mutex};

use crate::energy::reading::{PowerKind, PowerReading, PowerSource, PowerStatus, ReadContext};
use crate::model::Provenance;

/// The Teads load curve divided by its 100 % value (1.02): (load %, share of sustained power).
const CURVE: [(f64, f64); 4] =
    [(0.0, 0.12 / 1.02), (10.0, 0.32 / 1.02), (50.0, 0.75 / 1.02), (100.0, 1.0)];

/// Share of the sustained power drawn at `cpu_percent`, by linear interpolation of [`CURVE`].
pub fn load_share(cpu_percent: f64) -> f64 {
    let u = cpu_percent.clamp(0.0, 100.0);
    for pair in CURVE.windows(2) {
        let [(u0, p0), (u1, p1)] = [pair[0], pair[1]];
        if u <= u1 {
            return p0 + (p1 - p0) * (u - u0) / (u1 - u0);
        }
    }
    1.0
}

/// Estimates CPU package power at `cpu_percent` from a spec.
pub fn estimate_package(spec: &CpuPowerSpec, cpu_percent: f32) -> PowerReading {
    let load = f64::from(cpu_percent.clamp(0.0, 100.0));
    let watts = spec.sustained_w * load_share(load);
    PowerReading {
        watts,
        kind: PowerKind::Model,
        provenance: Provenance::Estimated,
        source: format!("model: {}, {}, {load:.0} % load", spec.label, spec.basis),
        range_w: Some((watts * (1.0 + spec.band.0), watts * (1.0 + spec.band.1))),
    }
}

/// The last rung of every ladder: a calibration if the user gave one, else the CPU spec (the
/// user's own figure, a table entry, or the generic fallback).
///
/// The settings behind it live in a shared [`ModelSettings`], so the sampler can apply a new
/// override or calibration from the settings file while the ladder owns the rung.
#[derive(Debug, Clone)]
pub struct ModelSource {
    settings: ModelSettings,
}

/// What the model rung estimates from, shared between the rung and whoever changes it.
#[derive(Debug, Clone)]
pub struct ModelSettings(Arc<Mutex<ModelState>>);

#[derive(Debug, Clone)]
struct ModelState {
    /// The table's spec for this machine's CPU.
    table: CpuPowerSpec,
    /// The user's own sustained watts, used instead of the table's.
    user: Option<CpuPowerSpec>,
    calibration: Option<WallCalibration>,
}

impl ModelSettings {
    fn lock(&self) -> std::sync::MutexGuard<'_, ModelState> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Uses the user's own CPU spec (`None`: the table's) and calibration from the next read.
    pub fn set(&self, user: Option<CpuPowerSpec>, calibration: Option<WallCalibration>) {
        let mut state = self.lock();
        state.user = user;
        state.calibration = calibration;
    }

    /// The spec in force: the user's, else the table's.
    pub fn spec(&self) -> CpuPowerSpec {
        let state = self.lock();
        state.user.clone().unwrap_or_else(|| state.table.clone())
    }

    pub fn calibration(&self) -> Option<WallCalibration> {
        self.lock().calibration
    }
}

impl ModelSource {
    pub fn new(spec: CpuPowerSpec, calibration: Option<WallCalibration>) -> ModelSource {
        ModelSource {
            settings: ModelSettings(Arc::new(Mutex::new(ModelState {
                table: spec,
                user: None,
                calibration,
            }))),
        }
    }

    /// The spec in force (the user's figure when set).
    pub fn spec(&self) -> CpuPowerSpec {
        self.settings.spec()
    }

    /// A handle that changes what this rung estimates from.
    pub fn settings(&self) -> ModelSettings {
        self.settings.clone()
    }
}

impl PowerSource for ModelSource {
    fn name(&self) -> &str {
        "model"
    }

    fn read(&mut self, ctx: &ReadContext) -> PowerStatus {
        let Some(load) = ctx.cpu_percent.filter(|l| l.is_finite()) else {
            return PowerStatus::not_available(
                "model",
                "the CPU load is not known yet (it needs two readings a moment apart)",
            );
        };
        let state = self.settings.lock();
        PowerStatus::Reading(match &state.calibration {
            Some(cal) => cal.estimate(load),
            None => estimate_package(state.user.as_ref().unwrap_or(&state.table), load),
        })
    }
}
