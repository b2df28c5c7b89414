//! What the machine and the node are doing right now: CPU load, memory, the node's process tree,
//! temperatures and whether the machine runs on battery.
//!
//! [`Telemetry::sample`] is called about once a second for as long as Lightrig runs, next to a
//! node that is meant to have the machine to itself, so it is built to be cheap:
//! - one `sysinfo::System` and one `Components` are created once and refreshed in place;
//! - the node's process tree is rediscovered from a full process scan only every few seconds
//!   ([`Cadence::tree_rescan`]) or when the root changes; in between only the known pids are
//!   refreshed, and only their CPU time and memory;
//! - temperatures and the power supply change slowly and are cached between refreshes;
//! - scratch buffers are reused, so a steady-state sample allocates little.
//!
//! Honest numbers: a figure that cannot be known yet or on this machine is `None`, never 0
//! (CPU load before two readings exist, a machine without sensors, an unknown power source).

mod gpu;
mod power;
mod process_tree;
mod thermal;

#[cfg(test)]
mod tests;

use std::fmt;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sysinfo::{CpuRefreshKind, MemoryRefreshKind, System};

use crate::energy::thermal::{Heat, HeatLimits, is_gpu_sensor};
use crate::model::{UnixMillis, now_millis};

pub use thermal::{cpu_temperature, is_cpu_sensor, is_plausible_celsius};

/// One reading of the machine and the node, as shown in the UI and stored in the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct TelemetrySample {
    pub at_ms: UnixMillis,
    /// Whole-machine CPU load, 0..=100 across all logical cores. `None` until two readings
    /// some time apart exist: the load is a difference of counters, and a first reading alone
    /// would only give a made-up 0.
    pub cpu_percent: Option<f32>,
    pub logical_cores: u32,
    pub mem_used_bytes: u64,
    /// 0 only where the operating system is not supported by the sampler at all.
    pub mem_total_bytes: u64,
    /// The node's process tree, or `None` when no node runs or its root process is gone.
    pub node: Option<NodeUsage>,
    /// Every plausible temperature sensor. Empty when the machine exposes none (VMs, Windows
    /// without admin rights): the UI says "not available".
    pub temperatures: Vec<Temperature>,
    /// The hottest CPU-like sensor among `temperatures`, if any.
    pub cpu_temp_c: Option<f32>,
    /// `cpu_temp_c` in words, by the CPU heat limits (the thermal rule's).
    #[serde(default)]
    pub cpu_heat: Option<Heat>,
    /// The hottest GPU sensor among `temperatures`, if any, and its heat by the GPU limits.
    #[serde(default)]
    pub gpu_temp_c: Option<f32>,
    #[serde(default)]
    pub gpu_heat: Option<Heat>,
    /// Sensors that exist but gave no figure this time (a GPU whose driver does not report its
    /// temperature, an unreadable hwmon file): the UI lists them as "not available", never
    /// 0 °C. GPU sensors are labelled "GPU …" here and in `temperatures`.
    pub unread_sensors: Vec<String>,
    pub power: PowerSupplyState,
}

/// What the node's whole process tree (the node and every descendant) uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct NodeUsage {
    pub root_pid: u32,
    /// The root first, then its descendants, each parent before its children.
    pub pids: Vec<u32>,
    /// CPU load as a percentage of ONE core, summed over the tree: a miner using four cores
    /// shows about 400. `None` until two readings of this tree exist.
    pub cpu_percent: Option<f32>,
    /// Resident memory of the whole tree.
    pub rss_bytes: u64,
}

/// One temperature sensor as the operating system labels it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Temperature {
    /// E.g. "k10temp Tctl", "coretemp Package id 0", "nvme Composite".
    pub label: String,
    pub celsius: f32,
    /// How hot for a CPU or GPU sensor, by that part's limits; `None` for other sensors.
    #[serde(default)]
    pub heat: Option<Heat>,
}

impl Temperature {
    /// A reading with its heat word, classified by the kind its label names.
    pub fn new(label: String, celsius: f32) -> Temperature {
        let heat = crate::energy::thermal::sensor_heat(&label, celsius);
        Temperature { label, celsius, heat }
    }
}

/// Whether the machine runs from a battery, which the "pause on battery" rule acts on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct PowerSupplyState {
    /// `Some(true)` on battery, `Some(false)` on external power, `None` when it cannot be told.
    pub on_battery: Option<bool>,
    /// Charge of the machine's own batteries (not a wireless mouse's), 0..=100.
    pub battery_percent: Option<f32>,
    /// Where the answer came from, e.g. "sysfs class/power_supply".
    pub source: String,
}

/// How often the slower parts of a sample are refreshed; cached readings are reused in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cadence {
    /// Full process scan to rediscover the node's tree (new children appear within this).
    pub tree_rescan: Duration,
    /// Temperature sensors: reading hwmon, SMC or WMI costs more than a second's worth of
    /// change in a heat sink.
    pub components: Duration,
    /// Power supply: AC/battery switches are rare and the policy reacts in seconds, not ms.
    pub power: Duration,
}

impl Default for Cadence {
    fn default() -> Self {
        Cadence {
            tree_rescan: Duration::from_secs(3),
            components: Duration::from_secs(5),
            power: Duration::from_secs(10),
        }
    }
}

/// The sampler. Create one and keep it: its value comes from what it remembers between samples
/// (CPU counters, the known process tree, cached sensors).
pub struct Telemetry {
    /// `None` only on an operating system sysinfo does not support.
    system: Option<System>,
    /// When the machine-wide CPU counters were first read; the load is known one minimum
    /// interval later.
    cpu_first_read: Option<Instant>,
    logical_cores: u32,
    cadence: Cadence,
    tree: process_tree::NodeTracker,
    thermal: thermal::ThermalReader,
    power: power::PowerReader,
}

impl fmt::Debug for Telemetry {
    // sysinfo's own Debug would print every process on the machine into a log line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Telemetry")
            .field("system", &self.system.is_some())
            .field("logical_cores", &self.logical_cores)
            .field("cadence", &self.cadence)
            .field("tree", &self.tree)
            .field("thermal", &self.thermal)
            .field("power", &self.power)
            .finish_non_exhaustive()
    }
}

impl Default for Telemetry {
    fn default() -> Self {
        Self::new()
    }
}

impl Telemetry {
    /// A sampler reading the real machine (on Linux, power supplies and amdgpu sensors under
    /// `/sys`; NVIDIA GPUs through NVML wherever the driver is installed).
    pub fn new() -> Telemetry {
        let sysfs = cfg!(target_os = "linux").then(crate::energy::sysfs::Sysfs::system);
        Self::with_power(power::PowerReader::new(), gpu::GpuThermal::system(sysfs))
    }

    /// A sampler that reads power supplies from `<root>/class/power_supply` (and amdgpu
    /// sensors from `<root>/class/hwmon`) instead of `/sys`, so tests can use a recorded tree.
    #[cfg(target_os = "linux")]
    pub fn with_sysfs_root(root: impl Into<std::path::PathBuf>) -> Telemetry {
        let root = root.into();
        let gpu = gpu::GpuThermal::system(Some(crate::energy::sysfs::Sysfs::new(&root)));
        Self::with_power(power::PowerReader::with_sysfs_root(root), gpu)
    }

    /// Replaces the refresh cadence (the defaults suit one sample a second).
    pub fn with_cadence(mut self, cadence: Cadence) -> Telemetry {
        self.cadence = cadence;
        self
    }

    fn with_power(power: power::PowerReader, gpu: gpu::GpuThermal) -> Telemetry {
        let system = match System::new() {
            Ok(system) => Some(system),
            Err(err) => {
                tracing::warn!(%err, "system statistics are not available on this platform");
                None
            }
        };
        Telemetry {
            system,
            cpu_first_read: None,
            logical_cores: 0,
            cadence: Cadence::default(),
            tree: process_tree::NodeTracker::default(),
            thermal: thermal::ThermalReader::new(gpu),
            power,
        }
    }

    /// Takes one sample. `node_root` is the pid of the node process Lightrig started, if any;
    /// its whole tree is measured.
    pub fn sample(&mut self, node_root: Option<u32>) -> TelemetrySample {
        let now = Instant::now();
        let mut sample = TelemetrySample {
            at_ms: now_millis(),
            cpu_percent: None,
            logical_cores: self.logical_cores,
            mem_used_bytes: 0,
            mem_total_bytes: 0,
            node: None,
            temperatures: Vec::new(),
            cpu_temp_c: None,
            cpu_heat: None,
            gpu_temp_c: None,
            gpu_heat: None,
            unread_sensors: Vec::new(),
            power: self.power.state(now, self.cadence.power).clone(),
        };
        if let Some(system) = self.system.as_mut() {
            // sysinfo itself skips re-reading the counters when called again within its
            // minimum interval, so a burst of samples cannot produce a noisy figure.
            system.refresh_cpu_specifics(CpuRefreshKind::nothing().with_usage());
            let first = *self.cpu_first_read.get_or_insert(now);
            if now.duration_since(first) >= sysinfo::MINIMUM_CPU_UPDATE_INTERVAL {
                let load = system.global_cpu_usage();
                sample.cpu_percent = load.is_finite().then(|| load.clamp(0.0, 100.0));
            }
            if self.logical_cores == 0 {
                self.logical_cores = logical_cores(system);
                sample.logical_cores = self.logical_cores;
            }
            system.refresh_memory_specifics(MemoryRefreshKind::nothing().with_ram());
            sample.mem_used_bytes = system.used_memory();
            sample.mem_total_bytes = system.total_memory();
            sample.node = self.tree.sample(system, node_root, now, self.cadence.tree_rescan);
        }
        let thermal = self.thermal.readings(now, self.cadence.components);
        sample.temperatures.clone_from(&thermal.temperatures);
        sample.cpu_temp_c = thermal.cpu_celsius;
        sample.cpu_heat = thermal.cpu_celsius.map(|c| HeatLimits::CPU.classify(c));
        sample.gpu_temp_c = thermal
            .temperatures
            .iter()
            .filter(|t| is_gpu_sensor(&t.label))
            .map(|t| t.celsius)
            .reduce(f32::max);
        sample.gpu_heat = sample.gpu_temp_c.map(|c| HeatLimits::GPU.classify(c));
        sample.unread_sensors.clone_from(&thermal.unread);
        sample
    }
}

fn logical_cores(system: &System) -> u32 {
    let listed = system.cpus().len();
    let count = if listed > 0 {
        listed
    } else {
        std::thread::available_parallelism().map_or(0, std::num::NonZeroUsize::get)
    };
    u32::try_from(count).unwrap_or(u32::MAX)
}
