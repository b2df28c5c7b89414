//! Temperatures from `sysinfo::Components`, filtered for plausibility, and the choice of the one
//! figure the UI and the thermal rule call "CPU temperature".
//!
//! Labels differ per OS and per driver: Linux hwmon gives "k10temp Tctl" or
//! "coretemp Package id 0", Intel Macs "PECI CPU", Apple Silicon "pACC MTR Temp Sensor3",
//! Windows at most one ACPI zone called "Computer" (a board sensor, not the CPU). The choice is
//! a pure function of the labels, tested over labels recorded from real machines. GPU sensors
//! are read beside sysinfo's (see [`super::gpu`]) and refreshed with them.

use std::fmt;
use std::time::{Duration, Instant};

use sysinfo::Components;

use super::Temperature;
use super::gpu::{GpuThermal, is_amdgpu_label};

/// Substrings (lower case) of labels that belong to something other than the CPU, checked
/// first: sysinfo appends a drive's model to its label, and models such as
/// "Corsair MP600 CORE XT" would otherwise pass for a CPU core.
const NOT_CPU: &[&str] = &["gpu", "nvme", "ssd", "drivetemp", "battery", "wifi", "dimm", "ambient"];

/// Substrings (lower case) of CPU-like labels: Linux hwmon drivers (k10temp, zenpower, coretemp)
/// and their channels (Tctl, Tdie, Tccd, Package, Core), thermal zones (x86_pkg_temp,
/// cpu-thermal), Intel Mac SMC ("PECI CPU", "CPU Proximity"), Apple Silicon clusters
/// (pACC/eACC) and SoC die ("PMU tdie").
const CPU_LIKE: &[&str] = &[
    "cpu", "package", "pkg", "tctl", "tdie", "tccd", "core", "k10temp", "zenpower", "coretemp",
    "peci", "pacc", "eacc", "soc",
];

/// Sensors report garbage at the edges: -127 or 255 for a missing probe, NaN for a failed read.
/// Nothing in a working computer is at or below -50 °C or at or above 150 °C.
pub fn is_plausible_celsius(celsius: f32) -> bool {
    celsius.is_finite() && celsius > -50.0 && celsius < 150.0
}

/// Whether a sensor label names a CPU (die, package, core or cluster) temperature.
pub fn is_cpu_sensor(label: &str) -> bool {
    let has = |needle: &&str| contains_ignore_ascii_case(label, needle);
    !NOT_CPU.iter().any(has) && CPU_LIKE.iter().any(has)
}

/// The hottest plausible CPU-like reading, or `None` when no sensor qualifies (the UI then says
/// "not available", never 0). The hottest, because the thermal rule protects the hottest part.
pub fn cpu_temperature(temperatures: &[Temperature]) -> Option<f32> {
    temperatures
        .iter()
        .filter(|t| is_plausible_celsius(t.celsius) && is_cpu_sensor(&t.label))
        .map(|t| t.celsius)
        .reduce(f32::max)
}

/// Appends the plausible readings among `(label, celsius)` pairs to `out`.
pub(super) fn push_plausible<'a>(
    out: &mut Vec<Temperature>,
    readings: impl IntoIterator<Item = (&'a str, Option<f32>)>,
) {
    for (label, celsius) in readings {
        if let Some(celsius) = celsius.filter(|c| is_plausible_celsius(*c)) {
            out.push(Temperature::new(label.to_owned(), celsius));
        }
    }
}

fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

/// The latest plausible readings and the chosen CPU figure.
#[derive(Debug, Default)]
pub(super) struct ThermalReadings {
    pub(super) temperatures: Vec<Temperature>,
    pub(super) cpu_celsius: Option<f32>,
    /// GPU sensors that exist but could not be read ("not available").
    pub(super) unread: Vec<String>,
}

/// Keeps one `Components` and refreshes it (and the GPU sensors) at most once per cadence.
pub(super) struct ThermalReader {
    components: Option<Components>,
    /// Set once `Components::new` failed: the platform has no sensor support, don't retry.
    unsupported: bool,
    gpu: GpuThermal,
    last_refresh: Option<Instant>,
    readings: ThermalReadings,
}

impl fmt::Debug for ThermalReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThermalReader")
            .field("gpu", &self.gpu)
            .field("readings", &self.readings)
            .finish_non_exhaustive()
    }
}

impl ThermalReader {
    pub(super) fn new(gpu: GpuThermal) -> ThermalReader {
        ThermalReader {
            components: None,
            unsupported: false,
            gpu,
            last_refresh: None,
            readings: ThermalReadings::default(),
        }
    }

    pub(super) fn readings(&mut self, now: Instant, every: Duration) -> &ThermalReadings {
        let due = self.last_refresh.is_none_or(|at| now.duration_since(at) >= every);
        if due {
            self.last_refresh = Some(now);
            self.readings.temperatures.clear();
            if !self.unsupported {
                self.refresh_components();
            }
            let gpu = self.gpu.read();
            let readings = &mut self.readings;
            if gpu.amdgpu {
                readings.temperatures.retain(|t| !is_amdgpu_label(&t.label));
            }
            readings.temperatures.extend(gpu.readings);
            readings.unread = gpu.unread;
            readings.cpu_celsius = cpu_temperature(&readings.temperatures);
        }
        &self.readings
    }

    fn refresh_components(&mut self) {
        let components = match self.components.as_mut() {
            Some(components) => {
                // `true`: a sensor that went away (unplugged drive) leaves the list.
                components.refresh(true);
                components
            }
            None => match Components::new_with_refreshed_list() {
                Ok(components) => self.components.insert(components),
                Err(err) => {
                    tracing::info!(%err, "temperature sensors are not available");
                    self.unsupported = true;
                    return;
                }
            },
        };
        push_plausible(
            &mut self.readings.temperatures,
            components.iter().map(|c| (c.label(), c.temperature())),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temps(readings: &[(&str, f32)]) -> Vec<Temperature> {
        let mut out = Vec::new();
        push_plausible(&mut out, readings.iter().map(|&(label, c)| (label, Some(c))));
        out
    }

    // Labels as sysinfo formats them ("<hwmon name> <channel label> [device model]"), recorded
    // from a Ryzen desktop with an NVMe drive and a Radeon card.
    #[test]
    fn amd_desktop_picks_tctl_over_hotter_gpu_and_nvme_from_recorded_labels() {
        let t = temps(&[
            ("k10temp Tctl", 61.5),
            ("k10temp Tccd1", 58.25),
            ("nvme Composite Samsung SSD 980 PRO 1TB", 44.85),
            ("nvme Sensor 2 Samsung SSD 980 PRO 1TB", 71.85),
            ("amdgpu edge", 52.0),
            ("amdgpu junction", 88.0),
            ("acpitz temp1", 16.8),
        ]);
        assert_eq!(cpu_temperature(&t), Some(61.5));
    }

    // An Intel laptop: coretemp package and cores, ACPI zone, Wi-Fi card, PCH.
    #[test]
    fn intel_laptop_picks_hottest_core_from_recorded_labels() {
        let t = temps(&[
            ("coretemp Package id 0", 70.0),
            ("coretemp Core 0", 68.0),
            ("coretemp Core 1", 73.0),
            ("acpitz temp1", 79.0),
            ("iwlwifi_1 temp1", 82.0),
            ("pch_cannonlake temp1", 85.0),
        ]);
        assert_eq!(cpu_temperature(&t), Some(73.0));
    }

    #[test]
    fn board_drive_and_battery_sensors_alone_give_no_cpu_figure_from_recorded_labels() {
        let t = temps(&[
            ("acpitz temp1", 27.8),
            ("nvme Composite WDC WDS500G2B0C-00PXH0", 38.85),
            ("Computer", 29.85),
            ("gas gauge battery", 31.0),
        ]);
        assert_eq!(t.len(), 4, "they are still listed as temperatures");
        assert_eq!(cpu_temperature(&t), None);
    }

    // A desktop whose NVMe drive model contains "CORE" and runs hotter than the CPU.
    #[test]
    fn drive_model_named_core_is_not_a_cpu_from_recorded_labels() {
        let t = temps(&[
            ("k10temp Tctl", 60.0),
            ("nvme Composite Corsair MP600 CORE XT", 75.0),
            ("drivetemp temp1 Samsung SSD 870 EVO 1TB", 41.0),
        ]);
        assert_eq!(cpu_temperature(&t), Some(60.0));
    }

    #[test]
    fn apple_and_thermal_zone_labels_count_as_cpu_from_recorded_labels() {
        for label in [
            "PECI CPU",
            "CPU Proximity",
            "pACC MTR Temp Sensor3",
            "eACC MTR Temp Sensor0",
            "PMU tdie1",
            "x86_pkg_temp",
            "cpu-thermal",
            "zenpower Tdie",
        ] {
            assert!(is_cpu_sensor(label), "{label} should count as a CPU sensor");
        }
    }

    #[test]
    fn implausible_readings_are_dropped_before_selection() {
        let mut out = Vec::new();
        push_plausible(
            &mut out,
            [
                ("coretemp Package id 0", Some(f32::NAN)),
                ("coretemp Core 0", Some(-50.0)),
                ("coretemp Core 1", Some(150.0)),
                ("coretemp Core 2", Some(255.0)),
                ("coretemp Core 3", None),
                ("coretemp Core 4", Some(-49.5)),
                ("coretemp Core 5", Some(149.5)),
            ],
        );
        let labels: Vec<&str> = out.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["coretemp Core 4", "coretemp Core 5"]);
        assert_eq!(cpu_temperature(&out), Some(149.5));
        assert_eq!(cpu_temperature(&[]), None, "no sensors: not available, not 0");
    }
}
