//! What the meter publishes after each sample, and the steady form of a reading's source.

use std::borrow::Cow;

use serde::Serialize;

use crate::energy::gpu::{GpuPower, JOIN};
use crate::energy::{BaselineStatus, PermissionNeeded, PowerReading, PowerStatus};
use crate::model::UnixMillis;

/// The energy figures of the latest sample, for the UI and `/metrics`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnergyLive {
    pub at_ms: UnixMillis,
    /// The machine figure fed to the energy account: the ladder's live reading, plus the GPUs'
    /// power where that reading leaves them out (see [`crate::energy::gpu::combine`]). `None`
    /// when no rung of the ladder had one.
    pub reading: Option<PowerReading>,
    /// Every rung read, in order: why better sources were passed over.
    pub rungs: Vec<(String, PowerStatus)>,
    /// The GPUs' power and whether it is in `reading`; `None` when no GPU source answered
    /// (no NVIDIA driver, no AMD card: the usual case, not an error).
    pub gpu: Option<GpuPower>,
    /// A sensor that needs a one-time permission (RAPL on Linux).
    pub permission: Option<PermissionNeeded>,
    pub baseline: BaselineStatus,
    /// Idle samples a baseline needs.
    pub baseline_need: u32,
    /// Power above the idle baseline now, when a baseline of the same kind exists.
    pub marginal_w: Option<f64>,
    /// Idle samples collected in the window now open (the node is stopped or paused).
    pub idle_samples: u32,
    /// The tariff in force, as stored with each minute.
    pub tariff: Option<String>,
    /// Why no tariff is in force.
    pub tariff_problem: Option<String>,
}

impl EnergyLive {
    /// The live reading's source without the part that changes every sample (a model's load),
    /// for labels that must stay the same from one scrape to the next.
    pub fn steady_source(&self) -> Option<Cow<'_, str>> {
        self.reading.as_ref().map(|r| stable_source(&r.source))
    }
}

/// A reading's source without the part that changes every sample: a model's source ends with
/// the load it was computed at ("model: …, 43 % load"; "calibrated …; at 43 % CPU load"). In a
/// summed source ("model: …, 43 % load + NVIDIA … (NVML)") each part is cut on its own.
pub fn stable_source(source: &str) -> Cow<'_, str> {
    if !source.contains(JOIN) {
        return Cow::Borrowed(stable_part(source));
    }
    if stable_eq(source, source) {
        return Cow::Borrowed(source);
    }
    let parts: Vec<&str> = source.split(JOIN).map(stable_part).collect();
    Cow::Owned(parts.join(JOIN))
}

/// Whether `steady` is the stable form of `source`, without building it (the meter compares
/// every sample and allocates only when the source changed).
pub fn stable_eq(steady: &str, source: &str) -> bool {
    let mut rest = steady;
    for (i, part) in source.split(JOIN).enumerate() {
        if i > 0 {
            let Some(r) = rest.strip_prefix(JOIN) else { return false };
            rest = r;
        }
        let Some(r) = rest.strip_prefix(stable_part(part)) else { return false };
        rest = r;
    }
    rest.is_empty()
}

fn stable_part(source: &str) -> &str {
    if (source.ends_with("% load") || source.ends_with("% CPU load"))
        && let Some(i) = source.rfind([',', ';'])
    {
        return source[..i].trim_end();
    }
    source
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_part_of_a_summed_source_loses_its_load() {
        let model = "model: Ryzen 5 5600, 0.9 × PPT 88 W, 43 % load";
        assert_eq!(stable_source(model), "model: Ryzen 5 5600, 0.9 × PPT 88 W");
        let summed = format!("{model} + NVIDIA GeForce RTX 3060 (NVML)");
        let steady = "model: Ryzen 5 5600, 0.9 × PPT 88 W + NVIDIA GeForce RTX 3060 (NVML)";
        assert_eq!(stable_source(&summed), steady);
        assert!(stable_eq(steady, &summed));
        assert!(!stable_eq("model: Ryzen 5 5600, 0.9 × PPT 88 W", &summed));
        // RAPL joins packages with " + " too; nothing there changes per sample.
        let rapl = "RAPL package-0 + package-1 (intel-rapl:0, intel-rapl:1)";
        assert!(matches!(stable_source(rapl), Cow::Borrowed(s) if s == rapl));
    }
}
