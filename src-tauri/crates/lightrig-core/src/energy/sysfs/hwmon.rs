//! AMD GPU power from the amdgpu hwmon driver: `power1_average` (µW, averaged by the firmware)
//! or `power1_input` (instantaneous, kernel ≥ 6.6); "most AMD GPUs only support either"
//! (energy.md §1.1, amdgpu-sysfs-rs PR #5), so both are tried. The same hwmon directories
//! carry the card's temperatures (`temp1` edge, `temp2` junction, `temp3` mem, in m°C).

use std::path::{Path, PathBuf};

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

    /// The hwmon directories of amdgpu cards: `(hwmonN, class/hwmon/hwmonN)`.
    fn cards(&self) -> Vec<(String, PathBuf)> {
        let base = Path::new("class/hwmon");
        self.sysfs
            .list(base)
            .into_iter()
            .map(|hwmon| {
                let dir = base.join(&hwmon);
                (hwmon, dir)
            })
            .filter(|(_, dir)| self.sysfs.read(&dir.join("name")).ok().as_deref() == Some("amdgpu"))
            .collect()
    }

    /// Every temperature channel of every amdgpu card, labelled "GPU amdgpu edge" ("GPU <n>
    /// amdgpu edge" with several cards; "temp<N>" where the channel has no label). `None` where
    /// the value cannot be read or is no number (some cards answer junction with an error):
    /// "not available", never 0 °C. Empty without an amdgpu card.
    pub fn temperatures(&self) -> Vec<(String, Option<f32>)> {
        let cards = self.cards();
        let several = cards.len() > 1;
        let mut out = Vec::new();
        for (n, (_, dir)) in cards.iter().enumerate() {
            let mut channels: Vec<String> = self
                .sysfs
                .list(dir)
                .into_iter()
                .filter_map(|f| {
                    let ch = f.strip_suffix("_input").or_else(|| f.strip_suffix("_label"))?;
                    let digits = ch.strip_prefix("temp")?;
                    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                        .then(|| ch.to_owned())
                })
                .collect();
            channels.sort_by_key(|ch| ch[4..].parse::<u32>().unwrap_or(u32::MAX));
            channels.dedup();
            for ch in channels {
                let name = self
                    .sysfs
                    .read(&dir.join(format!("{ch}_label")))
                    .ok()
                    .filter(|l| !l.is_empty())
                    .unwrap_or_else(|| ch.clone());
                let celsius = self
                    .sysfs
                    .read_i64(&dir.join(format!("{ch}_input")))
                    .ok()
                    .map(|milli| milli as f32 / 1000.0);
                let label = if several {
                    format!("GPU {n} amdgpu {name}")
                } else {
                    format!("GPU amdgpu {name}")
                };
                out.push((label, celsius));
            }
        }
        out
    }
}

impl PowerSource for AmdGpuSource {
    fn name(&self) -> &str {
        "amdgpu hwmon"
    }

    fn read(&mut self, _ctx: &ReadContext) -> PowerStatus {
        let mut microwatts: u64 = 0;
        let mut parts = Vec::new();
        let mut problems = Vec::new();
        for (hwmon, dir) in self.cards() {
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
