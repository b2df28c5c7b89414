//! GPU temperatures beside the sysinfo sensors: NVIDIA cards through NVML (no hwmon driver
//! exposes them), AMD cards through amdgpu hwmon (edge, junction, mem). Labelled "GPU …" so the
//! user tells them from the CPU's, and never picked as the CPU temperature ("gpu" is in
//! `NOT_CPU`). A card whose sensor cannot be read is named in the sample's `unread_sensors`
//! ("not available"), never shown as 0 °C.

use std::fmt;

use super::Temperature;
use super::thermal::is_plausible_celsius;
use crate::energy::nvml::NvmlSource;
use crate::energy::sysfs::{AmdGpuSource, Sysfs};

/// What one refresh of the GPU sensors found.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct GpuTemperatures {
    pub(super) readings: Vec<Temperature>,
    /// Labels of GPU sensors that exist but gave no plausible figure.
    pub(super) unread: Vec<String>,
    /// Whether amdgpu hwmon cards were read: sysinfo lists the same sensors ("amdgpu edge"),
    /// which are then left out so no sensor is listed twice.
    pub(super) amdgpu: bool,
}

/// The GPU sensor readers. NVML is loaded on the first refresh, not when the sampler is
/// built, so a sampler that never refreshes (tests) never loads a driver library.
pub(super) struct GpuThermal {
    nvml: Option<NvmlSource>,
    load_nvml: bool,
    amd: Option<AmdGpuSource>,
}

impl fmt::Debug for GpuThermal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GpuThermal")
            .field("nvml", &self.nvml)
            .field("amd", &self.amd.is_some())
            .finish_non_exhaustive()
    }
}

impl GpuThermal {
    /// This machine's GPUs: NVML where the driver exists, amdgpu hwmon under `sysfs` on Linux.
    pub(super) fn system(sysfs: Option<Sysfs>) -> GpuThermal {
        GpuThermal { nvml: None, load_nvml: true, amd: sysfs.map(AmdGpuSource::new) }
    }

    /// Given readers only (tests): nothing is loaded from the machine.
    #[cfg(test)]
    pub(super) fn with(nvml: Option<NvmlSource>, amd: Option<AmdGpuSource>) -> GpuThermal {
        GpuThermal { nvml, load_nvml: false, amd }
    }

    pub(super) fn read(&mut self) -> GpuTemperatures {
        if std::mem::take(&mut self.load_nvml) {
            let nvml = NvmlSource::load();
            // No NVIDIA driver is the usual case: a debug line, once.
            tracing::debug!(?nvml, "NVIDIA GPU temperatures (NVML)");
            self.nvml = Some(nvml);
        }
        let mut out = GpuTemperatures::default();
        let nvml = self.nvml.as_ref().map(NvmlSource::temperatures).unwrap_or_default();
        let amd = self.amd.as_ref().map(AmdGpuSource::temperatures).unwrap_or_default();
        out.amdgpu = !amd.is_empty();
        for (label, celsius) in nvml.into_iter().chain(amd) {
            match celsius.filter(|c| is_plausible_celsius(*c)) {
                Some(celsius) => out.readings.push(Temperature::new(label, celsius)),
                None => out.unread.push(label),
            }
        }
        out
    }
}

/// Whether a sysinfo label is an amdgpu hwmon sensor ("amdgpu edge"), read here instead.
pub(super) fn is_amdgpu_label(label: &str) -> bool {
    label.starts_with("amdgpu ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(rel: &str) -> std::path::PathBuf {
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/energy").join(rel)
    }

    #[test]
    fn amdgpu_edge_and_unlabelled_channels_from_recorded_sysfs() {
        let amd = AmdGpuSource::new(Sysfs::new(fixture("hwmon_amdgpu")));
        let got = GpuThermal::with(None, Some(amd)).read();
        let labels: Vec<(&str, f32)> =
            got.readings.iter().map(|t| (t.label.as_str(), t.celsius)).collect();
        // Two cards (hwmon3, hwmon10); k10temp (hwmon0) is the CPU's and not read here.
        assert_eq!(labels, [("GPU 0 amdgpu edge", 52.0), ("GPU 1 amdgpu temp1", 41.0)]);
        assert!(got.unread.is_empty());
        assert!(got.amdgpu);
    }

    #[test]
    fn unreadable_gpu_sensor_is_not_available_never_zero_from_recorded_sysfs() {
        let sysfs = Sysfs::recorded(fixture("hwmon_amdgpu_unreadable")).expect("recorded tree");
        let got = GpuThermal::with(None, Some(AmdGpuSource::new(sysfs))).read();
        let labels: Vec<(&str, f32)> =
            got.readings.iter().map(|t| (t.label.as_str(), t.celsius)).collect();
        assert_eq!(labels, [("GPU amdgpu edge", 47.0)]);
        // temp2_input is root-only in the recording; mem has a label and no value.
        assert_eq!(got.unread, ["GPU amdgpu junction", "GPU amdgpu mem"]);
    }

    #[test]
    fn no_gpu_no_library_gives_nothing() {
        let missing = std::path::PathBuf::from("/nonexistent/libnvidia-ml.so.1");
        let nvml = NvmlSource::load_from(&[missing]);
        let empty = tempfile::tempdir().expect("tempdir");
        let amd = AmdGpuSource::new(Sysfs::new(empty.path()));
        let got = GpuThermal::with(Some(nvml), Some(amd)).read();
        assert_eq!(got, GpuTemperatures::default());
    }
}
