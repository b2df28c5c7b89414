//! Reading temperatures honestly: a figure with a plain status, or a reason why there is none
//! on this OS — never 0 °C. The gaps per OS are those of energy.md §2:
//! - Linux: hwmon (`k10temp`, `coretemp`) works unprivileged; VMs, WSL and containers have none.
//! - macOS: SMC/IOHID sensors whose keys change per chip; some chips reported 0 °C or nothing
//!   until sysinfo learnt them (sysinfo PR #792, #1293).
//! - Windows: no CPU die temperature without a ring-0 driver. The only standard sensor, WMI
//!   `MSAcpi_ThermalZoneTemperature` (label "Computer"), is a board ACPI zone that needs admin,
//!   reads far below the die (16.8 °C vs 54 °C in systeminformation#682) or is frozen
//!   (95.85 °C in sysinfo#546; static 27.85 °C placeholders).

use serde::{Deserialize, Serialize};

use crate::model::UnixMillis;
use crate::telemetry::is_plausible_celsius;

/// The operating system, for OS-specific explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HostOs {
    Linux,
    MacOs,
    Windows,
    Other,
}

impl HostOs {
    pub fn current() -> HostOs {
        match std::env::consts::OS {
            "linux" => HostOs::Linux,
            "macos" => HostOs::MacOs,
            "windows" => HostOs::Windows,
            _ => HostOs::Other,
        }
    }
}

/// How hot, in words the user and the thermal rule share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum Heat {
    Normal,
    Warm,
    Hot,
    Critical,
}

/// Thresholds in °C: warm from, hot from, critical from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HeatLimits {
    pub warm: f32,
    pub hot: f32,
    pub critical: f32,
}

impl HeatLimits {
    /// Conservative CPU defaults: most desktop parts throttle at a TjMax of 95–105 °C (some
    /// Ryzen 7000 run at 95 °C by design, so "hot" is not "broken"). The user can change them.
    pub const CPU: HeatLimits = HeatLimits { warm: 75.0, hot: 85.0, critical: 95.0 };
    /// GPUs: NVIDIA's and AMD's edge sensors slow down around 83–90 °C.
    pub const GPU: HeatLimits = HeatLimits { warm: 75.0, hot: 83.0, critical: 90.0 };

    pub fn classify(&self, celsius: f32) -> Heat {
        if celsius >= self.critical {
            Heat::Critical
        } else if celsius >= self.hot {
            Heat::Hot
        } else if celsius >= self.warm {
            Heat::Warm
        } else {
            Heat::Normal
        }
    }
}

/// Whether a sensor label names a GPU: Lightrig labels the GPU sensors it reads "GPU …" (NVML,
/// amdgpu hwmon); sysinfo lists amdgpu's own as "amdgpu …".
pub fn is_gpu_sensor(label: &str) -> bool {
    label.starts_with("GPU ") || label.starts_with("amdgpu ")
}

/// How hot a sensor runs for its kind: a GPU by [`HeatLimits::GPU`], a CPU by
/// [`HeatLimits::CPU`]; `None` for the rest (drives, board, battery), whose limits differ and
/// which no rule watches.
pub fn sensor_heat(label: &str, celsius: f32) -> Option<Heat> {
    if is_gpu_sensor(label) {
        Some(HeatLimits::GPU.classify(celsius))
    } else if crate::telemetry::is_cpu_sensor(label) {
        Some(HeatLimits::CPU.classify(celsius))
    } else {
        None
    }
}

/// A temperature as shown: a figure with its status, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum TemperatureView {
    Known { celsius: f32, heat: Heat, label: String },
    NotAvailable { reason: String },
}

/// Interprets the CPU temperature the sampler found (`None`: no CPU-like sensor), given the
/// labels of every sensor it saw.
pub fn cpu_temperature_view(
    os: HostOs,
    cpu: Option<(&str, f32)>,
    all_labels: &[&str],
) -> TemperatureView {
    if let Some((label, celsius)) = cpu.filter(|(_, c)| is_plausible_celsius(*c)) {
        return TemperatureView::Known {
            celsius,
            heat: HeatLimits::CPU.classify(celsius),
            label: label.to_owned(),
        };
    }
    let reason = match os {
        HostOs::Windows if all_labels.iter().any(|l| l.eq_ignore_ascii_case("computer")) => {
            "Windows shows only a board (ACPI) temperature here, not the CPU's; reading the CPU \
             itself needs a hardware-monitor driver such as the one HWiNFO or LibreHardwareMonitor \
             installs"
        }
        HostOs::Windows => {
            "CPU temperature is not available on Windows without a hardware-monitor driver \
             (HWiNFO or LibreHardwareMonitor); Lightrig does not install one"
        }
        HostOs::Linux => {
            "no CPU temperature sensor (k10temp, coretemp) is visible; virtual machines, WSL and \
             containers have none"
        }
        HostOs::MacOs => {
            "macOS gave no CPU temperature sensor for this chip; newer Apple chips sometimes need \
             a newer Lightrig that knows their sensor names"
        }
        HostOs::Other => "this operating system reports no CPU temperature to Lightrig",
    };
    TemperatureView::NotAvailable { reason: reason.to_owned() }
}

/// Interprets a GPU temperature (NVML, amdgpu hwmon `temp1_input`, D3DKMT).
pub fn gpu_temperature_view(celsius: Option<f32>, label: &str) -> TemperatureView {
    match celsius.filter(|c| is_plausible_celsius(*c)) {
        Some(c) => TemperatureView::Known {
            celsius: c,
            heat: HeatLimits::GPU.classify(c),
            label: label.to_owned(),
        },
        None => TemperatureView::NotAvailable {
            reason: "no GPU temperature: no NVIDIA driver (NVML) or amdgpu sensor answered"
                .to_owned(),
        },
    }
}

/// Flags a sensor whose value never moves while the load does: a placeholder or frozen zone
/// (energy.md §2.2: "trust a zone only once it has moved").
#[derive(Debug, Clone, Default)]
pub struct FrozenSensorCheck {
    first: Option<(UnixMillis, f32)>,
    moved: bool,
    load_min: f32,
    load_max: f32,
}

impl FrozenSensorCheck {
    /// Frozen when unchanged for this long while the CPU load swung by at least
    /// [`Self::LOAD_SWING`] percentage points.
    pub const WINDOW_MS: i64 = 10 * 60 * 1000;
    pub const LOAD_SWING: f32 = 30.0;

    pub fn observe(&mut self, at: UnixMillis, celsius: f32, cpu_percent: Option<f32>) {
        match self.first {
            None => {
                self.first = Some((at, celsius));
                let load = cpu_percent.unwrap_or(0.0);
                (self.load_min, self.load_max) = (load, load);
            }
            Some((_, first)) if (celsius - first).abs() >= 0.1 => self.moved = true,
            Some(_) => {}
        }
        if let Some(load) = cpu_percent {
            self.load_min = self.load_min.min(load);
            self.load_max = self.load_max.max(load);
        }
    }

    /// `true` once the sensor is known to be stuck; the UI then treats it as not available.
    pub fn is_frozen(&self, now: UnixMillis) -> bool {
        match self.first {
            Some((since, _)) => {
                !self.moved
                    && now - since >= Self::WINDOW_MS
                    && self.load_max - self.load_min >= Self::LOAD_SWING
            }
            None => false,
        }
    }
}
