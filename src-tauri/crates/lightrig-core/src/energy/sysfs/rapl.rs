//! CPU package power from RAPL energy counters under `class/powercap` (Intel, and AMD Zen since
//! Linux 5.8/5.11, which use the same `intel-rapl:N` zone names — energy.md §1.1).
//!
//! `energy_uj` is a cumulative microjoule counter; power is Δenergy / Δt between two reads. The
//! counter wraps at `max_energy_range_uj`, and CodeCarbon's notes list wrap, tiny Δt and
//! counter resets as the causes of absurd "millions of watts" readings: each is handled here.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::Sysfs;
use crate::energy::reading::{
    PermissionNeeded, PowerKind, PowerReading, PowerSource, PowerStatus, ReadContext,
};

/// Reads closer together than this give too noisy a figure (timer and counter update
/// granularity is about 1 ms); the previous reading is repeated instead.
const MIN_INTERVAL: Duration = Duration::from_millis(100);
/// Above this a package is not drawing power: the counter was reset (suspend, driver reload).
/// The largest desktop parts run at about 300 W (9950X at 285 W PBO, energy.md §4.3).
const MAX_PLAUSIBLE_W: f64 = 1_000.0;

#[derive(Debug, Clone)]
struct Zone {
    /// E.g. "intel-rapl:0".
    id: String,
    /// E.g. "package-0".
    name: String,
    energy_rel: PathBuf,
    /// The counter's wrap point; `None` when the attribute is missing.
    max_range_uj: Option<u64>,
}

/// RAPL package power, summed over sockets.
#[derive(Debug)]
pub struct RaplSource {
    sysfs: Sysfs,
    zones: Option<Vec<Zone>>,
    source: String,
    previous: Option<(Instant, Vec<u64>)>,
    last_reading: Option<PowerReading>,
}

impl RaplSource {
    pub fn new(sysfs: Sysfs) -> RaplSource {
        RaplSource { sysfs, zones: None, source: String::new(), previous: None, last_reading: None }
    }

    /// Package zones: top-level `intel-rapl:N` named `package-*`. Sub-zones (`core`, `uncore`,
    /// `dram`: `intel-rapl:N:M`) are parts of a package or outside it and are never added to
    /// it; `psys` (platform) is not a package either.
    fn discover(&mut self) -> Result<(), PowerStatus> {
        let base = Path::new("class/powercap");
        let mut zones = Vec::new();
        for id in self.sysfs.list(base) {
            let is_top = id
                .strip_prefix("intel-rapl:")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if !is_top {
                continue;
            }
            let dir = base.join(&id);
            let name = self.sysfs.read(&dir.join("name")).unwrap_or_default();
            if !name.starts_with("package") {
                continue;
            }
            let max_range_uj = self.sysfs.read_u64(&dir.join("max_energy_range_uj")).ok();
            zones.push(Zone { energy_rel: dir.join("energy_uj"), id, name, max_range_uj });
        }
        if zones.is_empty() {
            return Err(PowerStatus::not_available(
                "RAPL",
                format!(
                    "no RAPL package zone under {}: the kernel has no powercap driver for this \
                     CPU, or this is a virtual machine",
                    self.sysfs.path(base).display()
                ),
            ));
        }
        let names: Vec<&str> = zones.iter().map(|z| z.name.as_str()).collect();
        let ids: Vec<&str> = zones.iter().map(|z| z.id.as_str()).collect();
        self.source = format!("RAPL {} ({})", names.join(" + "), ids.join(", "));
        self.zones = Some(zones);
        Ok(())
    }

    fn read_counters(&self, zones: &[Zone]) -> Result<Vec<u64>, PowerStatus> {
        let mut values = Vec::with_capacity(zones.len());
        for zone in zones {
            match self.sysfs.read_u64(&zone.energy_rel) {
                Ok(v) => values.push(v),
                Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                    return Err(PowerStatus::PermissionNeeded(rapl_permission_help(
                        &self.sysfs.path(&zone.energy_rel),
                    )));
                }
                Err(e) => {
                    return Err(PowerStatus::not_available(
                        "RAPL",
                        format!("cannot read {}: {e}", self.sysfs.path(&zone.energy_rel).display()),
                    ));
                }
            }
        }
        Ok(values)
    }
}

/// Energy used between two counter values, with one wrap-around allowed. `None` when the drop
/// cannot be a wrap (no known range, or a value above the range): the counter was reset.
pub(crate) fn counter_delta(before: u64, after: u64, max_range: Option<u64>) -> Option<u64> {
    if after >= before {
        return Some(after - before);
    }
    let max = max_range?;
    (before <= max).then(|| (max - before) + after)
}

impl PowerSource for RaplSource {
    fn name(&self) -> &str {
        "RAPL"
    }

    fn read(&mut self, ctx: &ReadContext) -> PowerStatus {
        if self.zones.is_none()
            && let Err(status) = self.discover()
        {
            return status;
        }
        let zones = self.zones.clone().unwrap_or_default();
        let values = match self.read_counters(&zones) {
            Ok(v) => v,
            Err(status) => return status,
        };
        let Some((then, before)) = self.previous.take() else {
            self.previous = Some((ctx.now, values));
            return PowerStatus::WarmingUp { source: self.source.clone() };
        };
        let elapsed = ctx.now.saturating_duration_since(then);
        if elapsed < MIN_INTERVAL {
            self.previous = Some((then, before));
            return match &self.last_reading {
                Some(r) => PowerStatus::Reading(r.clone()),
                None => PowerStatus::WarmingUp { source: self.source.clone() },
            };
        }
        let mut total_uj: u64 = 0;
        for ((zone, b), a) in zones.iter().zip(&before).zip(&values) {
            match counter_delta(*b, *a, zone.max_range_uj) {
                Some(d) => total_uj = total_uj.saturating_add(d),
                None => {
                    self.previous = Some((ctx.now, values));
                    return PowerStatus::WarmingUp { source: self.source.clone() };
                }
            }
        }
        self.previous = Some((ctx.now, values));
        let watts = total_uj as f64 / elapsed.as_secs_f64() / 1e6;
        if watts > MAX_PLAUSIBLE_W * zones.len() as f64 {
            // A reset that happened to land above the old value: skip one interval.
            return PowerStatus::WarmingUp { source: self.source.clone() };
        }
        let reading = PowerReading::measured(watts, PowerKind::CpuPackage, self.source.clone());
        self.last_reading = Some(reading.clone());
        PowerStatus::Reading(reading)
    }
}

/// The one-time opt-in for RAPL, in plain words. Since Linux 5.10 (kernel commit 949dd0104c49,
/// backported to older stable kernels, energy.md §1.1) `energy_uj` is readable only by root,
/// because fine-grained power readings leak information to other programs (PLATYPUS,
/// CVE-2020-8694/8695).
pub fn rapl_permission_help(path: &Path) -> PermissionNeeded {
    PermissionNeeded {
        what: format!("CPU package power from the RAPL energy counter {}", path.display()),
        how: "Linux lets only root read this counter, because very fine power readings can leak \
              secrets to other programs (the PLATYPUS attack). Lightrig never asks for root by \
              itself and estimates power with a model until you decide. To let it measure, run \
              once in a terminal:\n  \
              sudo chmod 0444 /sys/class/powercap/intel-rapl:*/energy_uj\n\
              That lasts until the next restart. To keep it, add a udev rule:\n  \
              echo 'SUBSYSTEM==\"powercap\", ACTION==\"add\", RUN+=\"/bin/chmod 0444 \
              /sys%p/energy_uj\"' | sudo tee /etc/udev/rules.d/70-lightrig-rapl.rules\n\
              Either way every program on this computer can then read the counter."
            .to_owned(),
    }
}
