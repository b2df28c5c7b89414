//! Discrete GPUs beside the machine's power ladder, and the one rule for putting their power
//! together with the machine's figure.
//!
//! The ladder answers one machine figure (RAPL, a battery, the model...). GPUs are read beside
//! it, every source each sample (NVML and amdgpu can both exist in one machine), because a
//! GPU's draw is in some machine figures and not in others (see [`combine`]). A machine without
//! a GPU source (no NVIDIA driver, no AMD card) is the common case: it gives no figure, no
//! error, and one debug line per source.

use serde::Serialize;

use super::reading::{PowerKind, PowerReading, PowerSource, PowerStatus, ReadContext};
use crate::model::Provenance;

/// Between the parts of a summed figure's source: "RAPL package-0 (…) + NVIDIA … (NVML)".
pub const JOIN: &str = " + ";

/// How the GPU figure stands to the machine figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GpuShare {
    /// Added: the machine figure is CPU + GPU (the machine reading was CPU package or model,
    /// which leave a discrete GPU out).
    Added,
    /// Inside: the machine reading already covers the whole machine (wall, battery), so the
    /// GPU is part of it and is shown as its own figure only.
    Inside,
    /// Apart: the machine reading is of another scope (the node's process energy on macOS) or
    /// there is none; the GPU is shown on its own and added to nothing.
    Apart,
}

impl GpuShare {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Inside => "inside",
            Self::Apart => "apart",
        }
    }
}

/// The GPUs' power this sample and how it stands to the machine figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GpuPower {
    /// Every GPU source that answered, summed (kind `gpu`).
    pub reading: PowerReading,
    pub share: GpuShare,
}

/// Puts the machine reading and the GPU reading together.
///
/// - CPU package or model + GPU → one figure, CPU + GPU. Its kind stays the CPU part's
///   (`cpu-package` or `model`): like its CPU part it is DC-side power that leaves out the
///   board, RAM, drives, fans and the PSU's loss, so the PSU rules for those kinds still hold.
///   It is `measured` only if both parts are; a model's range is moved up by the GPU's watts
///   and not widened, since the GPU part is measured. The source names both parts.
/// - Wall or battery: the GPU is already inside that figure, so it is NOT added
///   ([`GpuShare::Inside`]); the GPU figure is still shown on its own.
/// - Process energy, a GPU reading in the ladder, or no machine reading: nothing is added
///   ([`GpuShare::Apart`]); the machine stays "not available" rather than GPU-only.
/// - No GPU reading: the machine reading unchanged and no share.
pub fn combine(
    machine: Option<PowerReading>,
    gpu: Option<PowerReading>,
) -> (Option<PowerReading>, Option<GpuPower>) {
    let Some(gpu) = gpu else { return (machine, None) };
    let Some(mut m) = machine else {
        return (None, Some(GpuPower { reading: gpu, share: GpuShare::Apart }));
    };
    let share = match m.kind {
        PowerKind::CpuPackage | PowerKind::Model => GpuShare::Added,
        PowerKind::Wall | PowerKind::Battery => GpuShare::Inside,
        PowerKind::Process | PowerKind::Gpu => GpuShare::Apart,
    };
    if share == GpuShare::Added {
        m.watts += gpu.watts;
        m.range_w = m.range_w.map(|(lo, hi)| (lo + gpu.watts, hi + gpu.watts));
        if gpu.provenance != Provenance::Measured {
            m.provenance = Provenance::Estimated;
        }
        m.source.reserve(JOIN.len() + gpu.source.len());
        m.source.push_str(JOIN);
        m.source.push_str(&gpu.source);
    }
    (Some(m), Some(GpuPower { reading: gpu, share }))
}

/// Every GPU reading of one sample summed into one `gpu` figure, or `None` when there is none.
/// Measured only if every part is.
pub fn sum(readings: &[PowerReading]) -> Option<PowerReading> {
    let (first, rest) = readings.split_first()?;
    let mut total = first.clone();
    total.kind = PowerKind::Gpu;
    for r in rest {
        total.watts += r.watts;
        if r.provenance != Provenance::Measured {
            total.provenance = Provenance::Estimated;
        }
        total.source.push_str(JOIN);
        total.source.push_str(&r.source);
    }
    Some(total)
}

/// The GPU sources, read every sample.
#[derive(Debug, Default)]
pub struct GpuSources {
    sources: Vec<Box<dyn PowerSource>>,
    /// Per source: whether it answered last time, so a source without a reading is logged once
    /// (and again only after it answered in between), not every second.
    answered: Vec<Option<bool>>,
    scratch: Vec<PowerReading>,
}

impl GpuSources {
    pub fn new(sources: Vec<Box<dyn PowerSource>>) -> GpuSources {
        let answered = vec![None; sources.len()];
        GpuSources { sources, answered, scratch: Vec::new() }
    }

    /// Reads every source; the summed GPU power, or `None` when no source answered.
    pub fn read(&mut self, ctx: &ReadContext) -> Option<PowerReading> {
        self.scratch.clear();
        for (source, answered) in self.sources.iter_mut().zip(self.answered.iter_mut()) {
            let status = source.read(ctx);
            let ok = matches!(status, PowerStatus::Reading(_));
            if !ok && *answered != Some(false) {
                tracing::debug!(source = source.name(), ?status, "no GPU power from this source");
            }
            *answered = Some(ok);
            if let PowerStatus::Reading(r) = status {
                self.scratch.push(r);
            }
        }
        sum(&self.scratch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(watts: f64, kind: PowerKind, source: &str) -> PowerReading {
        PowerReading::measured(watts, kind, source)
    }

    fn nvml(watts: f64) -> PowerReading {
        reading(watts, PowerKind::Gpu, "NVIDIA GeForce RTX 3060 (NVML)")
    }

    #[test]
    fn package_plus_gpu_is_one_measured_cpu_plus_gpu_figure() {
        let rapl = reading(65.0, PowerKind::CpuPackage, "RAPL package-0 (intel-rapl:0)");
        let (machine, gpu) = combine(Some(rapl), Some(nvml(120.5)));
        let m = machine.expect("a machine figure");
        assert_eq!(m.watts, 185.5);
        assert_eq!(m.kind, PowerKind::CpuPackage);
        assert_eq!(m.provenance, Provenance::Measured);
        assert_eq!(m.range_w, None);
        assert_eq!(m.source, "RAPL package-0 (intel-rapl:0) + NVIDIA GeForce RTX 3060 (NVML)");
        let gpu = gpu.expect("the GPU part");
        assert_eq!((gpu.share, gpu.reading.watts), (GpuShare::Added, 120.5));
    }

    #[test]
    fn model_plus_gpu_stays_estimated_and_its_range_moves_without_widening() {
        let model = PowerReading {
            watts: 50.0,
            kind: PowerKind::Model,
            provenance: Provenance::Estimated,
            source: "model: generic 65 W TDP, 77 % load".into(),
            range_w: Some((25.0, 100.0)),
        };
        let (machine, gpu) = combine(Some(model), Some(nvml(30.0)));
        let m = machine.expect("a machine figure");
        assert_eq!(m.watts, 80.0);
        assert_eq!(m.kind, PowerKind::Model);
        assert_eq!(m.provenance, Provenance::Estimated);
        // 75 W wide before and after: the measured GPU part adds no uncertainty.
        assert_eq!(m.range_w, Some((55.0, 130.0)));
        assert_eq!(m.source, "model: generic 65 W TDP, 77 % load + NVIDIA GeForce RTX 3060 (NVML)");
        assert_eq!(gpu.map(|g| g.share), Some(GpuShare::Added));
    }

    #[test]
    fn an_estimated_gpu_part_makes_the_sum_estimated() {
        let rapl = reading(65.0, PowerKind::CpuPackage, "RAPL package-0");
        let mut gpu = nvml(30.0);
        gpu.provenance = Provenance::Estimated;
        let (machine, _) = combine(Some(rapl), Some(gpu));
        assert_eq!(machine.map(|m| m.provenance), Some(Provenance::Estimated));
    }

    #[test]
    fn wall_and_battery_already_hold_the_gpu_so_it_is_not_added() {
        for kind in [PowerKind::Wall, PowerKind::Battery] {
            let whole = reading(210.0, kind, "whole machine");
            let (machine, gpu) = combine(Some(whole.clone()), Some(nvml(120.0)));
            assert_eq!(machine.as_ref(), Some(&whole), "{kind:?}: unchanged");
            let gpu = gpu.expect("still shown on its own");
            assert_eq!((gpu.share, gpu.reading.watts), (GpuShare::Inside, 120.0));
        }
    }

    #[test]
    fn process_energy_or_no_machine_reading_keep_the_gpu_apart() {
        let process = reading(12.0, PowerKind::Process, "ri_energy_nj");
        let (machine, gpu) = combine(Some(process.clone()), Some(nvml(40.0)));
        assert_eq!(machine, Some(process));
        assert_eq!(gpu.map(|g| g.share), Some(GpuShare::Apart));
        // The machine stays "not available": a GPU alone is not the machine's power.
        let (machine, gpu) = combine(None, Some(nvml(40.0)));
        assert_eq!(machine, None);
        assert_eq!(gpu.map(|g| g.share), Some(GpuShare::Apart));
    }

    #[test]
    fn no_gpu_leaves_the_machine_reading_as_it_is() {
        let rapl = reading(65.0, PowerKind::CpuPackage, "RAPL package-0");
        assert_eq!(combine(Some(rapl.clone()), None), (Some(rapl), None));
        assert_eq!(combine(None, None), (None, None));
    }

    #[test]
    fn several_gpu_sources_sum_into_one_gpu_figure() {
        assert_eq!(sum(&[]), None);
        let amd = reading(50.5, PowerKind::Gpu, "amdgpu hwmon (hwmon3 power1_average)");
        let total = sum(&[nvml(120.0), amd]).expect("a sum");
        assert_eq!(total.watts, 170.5);
        assert_eq!(total.kind, PowerKind::Gpu);
        assert_eq!(
            total.source,
            "NVIDIA GeForce RTX 3060 (NVML) + amdgpu hwmon (hwmon3 power1_average)"
        );
    }
}
