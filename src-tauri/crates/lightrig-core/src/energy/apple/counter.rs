//! Cumulative energy counters into watts. IOReport's "Energy Model" channels and the kernel's
//! `ri_energy_nj` both count energy since boot (or since the process started); power is the
//! difference between two reads over the time between them. Three things make that difference
//! lie, and each is caught here rather than shown as a figure: a counter that restarts (sleep,
//! a reused pid), one that wraps, and — new in macOS 27 — counters that stop moving because
//! reading them now needs a private entitlement (macmon 0.10's README, energy.md §1.2).

use std::time::{Duration, Instant};

/// Shorter than this between reads, a difference is mostly timer noise.
pub const MIN_INTERVAL: Duration = Duration::from_millis(500);

/// Above this the SoC's CPU, GPU and Neural Engine together are not drawing power: a counter
/// restarted and happened to land above its old value. The largest Apple Silicon parts (Ultra)
/// stay well under 300 W for all three.
const MAX_PLAUSIBLE_SOC_W: f64 = 1_000.0;

/// The energy unit an IOReport channel counts in, from its unit label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnergyUnit {
    MilliJoule,
    MicroJoule,
    NanoJoule,
}

impl EnergyUnit {
    /// `"mJ"`, `"uJ"` (or `"µJ"`), `"nJ"`; IOReport pads some labels with spaces. Anything else
    /// is `None`: a channel in an unknown unit is left out, never guessed.
    pub fn parse(label: &str) -> Option<EnergyUnit> {
        match label.trim() {
            "mJ" => Some(EnergyUnit::MilliJoule),
            "uJ" | "µJ" | "μJ" => Some(EnergyUnit::MicroJoule),
            "nJ" => Some(EnergyUnit::NanoJoule),
            _ => None,
        }
    }

    /// `count` of this unit in joules.
    pub fn joules(self, count: u64) -> f64 {
        let per_joule = match self {
            EnergyUnit::MilliJoule => 1e3,
            EnergyUnit::MicroJoule => 1e6,
            EnergyUnit::NanoJoule => 1e9,
        };
        count as f64 / per_joule
    }
}

/// Energy counted between two reads of a cumulative counter. A counter that counts modulo
/// `wrap_at` may wrap once between reads; `None` means the drop cannot be a wrap (no wrap point,
/// or the old value was past it), so the counter restarted and this interval is unknown.
/// IOReport and `ri_energy_nj` are 64-bit and pass `None`: at 1 kW a 64-bit nanojoule counter
/// takes centuries to wrap, so a drop there is always a restart.
pub fn counter_delta(before: u64, after: u64, wrap_at: Option<u64>) -> Option<u64> {
    if after >= before {
        return Some(after - before);
    }
    let modulus = wrap_at?;
    (before < modulus && after < modulus).then(|| modulus - before + after)
}

/// Which block of an Apple Silicon SoC an "Energy Model" channel measures, by the channel names
/// macmon maps (metrics.rs): `"CPU Energy"` (`"DIE_1_CPU Energy"` on Ultra), `"GPU Energy"`,
/// `"ANE"`/`"ANE0"`/`"ANE0_1"`, `"DRAM"`…; everything else (per-cluster and per-core
/// breakdowns, `"GPU SRAM"`) is `Other` and left out, so nothing is counted twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocPart {
    Cpu,
    Gpu,
    Ane,
    Dram,
    Other,
}

impl SocPart {
    pub fn of(channel: &str) -> SocPart {
        if channel.ends_with("CPU Energy") {
            SocPart::Cpu
        } else if channel == "GPU Energy" {
            SocPart::Gpu
        } else if channel.starts_with("ANE") {
            SocPart::Ane
        } else if channel.starts_with("DRAM") {
            SocPart::Dram
        } else {
            SocPart::Other
        }
    }
}

/// One channel of one IOReport sample: its name, unit label and cumulative value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocChannel {
    pub name: String,
    pub unit: String,
    pub value: i64,
}

/// Average power of the SoC's blocks over one interval.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SocPower {
    pub cpu_w: f64,
    pub gpu_w: f64,
    pub ane_w: f64,
    /// Memory, reported beside the others but not part of [`SocPower::compute_w`] (RAPL's
    /// package domain leaves DRAM out too).
    pub dram_w: f64,
}

impl SocPower {
    /// CPU + GPU + Neural Engine: what Lightrig shows as the SoC's package power.
    pub fn compute_w(&self) -> f64 {
        self.cpu_w + self.gpu_w + self.ane_w
    }
}

/// What one sample gave.
#[derive(Debug, Clone, PartialEq)]
pub enum SocStep {
    /// The first sample, or the first after a counter restarted: the next one has a figure.
    WarmingUp,
    Power(SocPower),
    /// The CPU counters did not move at all. A running Mac's CPU always uses some energy, so
    /// the counters are frozen: macOS 27 stops updating them for apps without Apple's private
    /// `com.apple.private.pmgr.nrg.reporting` entitlement.
    Frozen,
    /// The sample had no CPU, GPU, ANE or DRAM energy channel (an Intel Mac, a VM).
    NoChannels,
    /// A channel counts in a unit this code does not know; better no figure than a wrong one.
    UnknownUnit {
        channel: String,
        unit: String,
    },
}

#[derive(Debug, Clone)]
struct Counted {
    name: String,
    part: SocPart,
    unit: EnergyUnit,
    value: u64,
}

/// Turns successive IOReport samples into SoC power.
#[derive(Debug, Default)]
pub struct SocEnergyMeter {
    previous: Option<(Instant, Vec<Counted>)>,
    last: Option<SocPower>,
}

impl SocEnergyMeter {
    pub fn new() -> SocEnergyMeter {
        SocEnergyMeter::default()
    }

    /// Feeds one sample taken at `now`.
    pub fn update(&mut self, now: Instant, channels: &[SocChannel]) -> SocStep {
        let mut current = Vec::with_capacity(channels.len());
        for channel in channels {
            let part = SocPart::of(&channel.name);
            if part == SocPart::Other {
                continue;
            }
            let Some(unit) = EnergyUnit::parse(&channel.unit) else {
                return SocStep::UnknownUnit {
                    channel: channel.name.clone(),
                    unit: channel.unit.trim().to_owned(),
                };
            };
            // A negative cumulative count is a counter that wrapped its sign bit or was reset.
            let Ok(value) = u64::try_from(channel.value) else {
                return self.restart(now, Vec::new());
            };
            current.push(Counted { name: channel.name.clone(), part, unit, value });
        }
        if current.is_empty() {
            return SocStep::NoChannels;
        }
        let Some((then, before)) = self.previous.take() else {
            return self.restart(now, current);
        };
        let elapsed = now.saturating_duration_since(then);
        if elapsed < MIN_INTERVAL {
            self.previous = Some((then, before));
            return self.last.map_or(SocStep::WarmingUp, SocStep::Power);
        }
        let mut joules = SocPower::default();
        let mut cpu_channels = 0;
        for c in &current {
            // A channel that appears only now counts from the next sample.
            let Some(b) = before.iter().find(|b| b.name == c.name) else { continue };
            let Some(delta) = counter_delta(b.value, c.value, None) else {
                return self.restart(now, current);
            };
            let j = c.unit.joules(delta);
            match c.part {
                SocPart::Cpu => {
                    cpu_channels += 1;
                    joules.cpu_w += j;
                }
                SocPart::Gpu => joules.gpu_w += j,
                SocPart::Ane => joules.ane_w += j,
                SocPart::Dram => joules.dram_w += j,
                SocPart::Other => {}
            }
        }
        self.previous = Some((now, current));
        if cpu_channels == 0 {
            return SocStep::NoChannels;
        }
        if joules.cpu_w == 0.0 {
            self.last = None;
            return SocStep::Frozen;
        }
        let secs = elapsed.as_secs_f64();
        let power = SocPower {
            cpu_w: joules.cpu_w / secs,
            gpu_w: joules.gpu_w / secs,
            ane_w: joules.ane_w / secs,
            dram_w: joules.dram_w / secs,
        };
        if power.compute_w() > MAX_PLAUSIBLE_SOC_W {
            // A restart that landed above the old value: skip this interval.
            self.last = None;
            return SocStep::WarmingUp;
        }
        self.last = Some(power);
        SocStep::Power(power)
    }

    fn restart(&mut self, now: Instant, current: Vec<Counted>) -> SocStep {
        self.previous = (!current.is_empty()).then_some((now, current));
        self.last = None;
        SocStep::WarmingUp
    }
}
