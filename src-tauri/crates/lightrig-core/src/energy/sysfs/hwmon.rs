//! AMD GPU power from the amdgpu hwmon driver: `power1_average` (µW, averaged by the firmware)
//! or `power1_input` (instantaneous, kernel ≥ 6.6); "most AMD GPUs only support either"
//! (energy.md §1.1, amdgpu-sysfs-rs PR #5), so both are tried.

use std::path::Path;

use super::Sysfs;
use crate::energy::reading::{PowerKind, PowerReading, PowerSource, PowerStatus, ReadContext};

const ATTRIBUTES: [&str; 2] = ["power1_average", "power1_input"];

/// Power of every amdgpu card, summed.
#[derive(Debug)]
pub struct AmdGpuSource {
    sysfs: Sysfs,
}

impl AmdGpuSource {
    pub fn new(sysfs: Sysfs) -> AmdGpuSource {
        AmdGpuSource { sysfs }
    }
}

impl PowerSource for AmdGpuSource {
    fn name(&self) -> &str {
        "amdgpu hwmon"
    }

    fn read(&mut self, _ctx: &ReadContext) -> PowerStatus {
        let base = Path::new("class/hwmon");
        let mut microwatts: u64 = 0;
        let mut parts = Vec::new();
        let mut problems = Vec::new();
        for hwmon in self.sysfs.list(base) {
            let dir = base.join(&hwmon);
            if self.sysfs.read(&dir.join("name")).ok().as_deref() != Some("amdgpu") {
                continue;
            }
            let found = ATTRIBUTES
                .iter()
                .find_map(|attr| self.sysfs.read_u64(&dir.join(attr)).ok().map(|uw| (uw, *attr)));
            match found {
                Some((uw, attr)) => {
                    microwatts = microwatts.saturating_add(uw);
                    parts.push(format!("{hwmon} {attr}"));
                }
                None => problems.push(format!("{hwmon} has no power1_average/power1_input")),
            }
        }
        if parts.is_empty() {
            let reason = if problems.is_empty() {
                "no amdgpu card under class/hwmon".to_owned()
            } else {
                problems.join("; ")
            };
            return PowerStatus::not_available(self.name(), reason);
        }
        let source = format!("amdgpu hwmon ({})", parts.join(", "));
        PowerStatus::Reading(PowerReading::measured(
            microwatts as f64 / 1e6,
            PowerKind::Gpu,
            source,
        ))
    }
}
