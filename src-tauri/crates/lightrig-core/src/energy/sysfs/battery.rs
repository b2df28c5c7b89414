//! Whole-machine power from a laptop battery while it discharges: `power_now` (µW), or
//! `current_now` (µA) × `voltage_now` (µV) where the driver reports only those (kernel ABI
//! sysfs-class-power, energy.md §1.1). On mains the battery says nothing about the machine's
//! draw, so the source is then "not available", never 0 W.

use std::path::Path;

use super::Sysfs;
use crate::energy::reading::{PowerKind, PowerReading, PowerSource, PowerStatus, ReadContext};

/// Discharge power of the machine's own batteries, summed.
#[derive(Debug)]
pub struct BatterySource {
    sysfs: Sysfs,
}

impl BatterySource {
    pub fn new(sysfs: Sysfs) -> BatterySource {
        BatterySource { sysfs }
    }
}

impl PowerSource for BatterySource {
    fn name(&self) -> &str {
        "battery"
    }

    fn read(&mut self, _ctx: &ReadContext) -> PowerStatus {
        let base = Path::new("class/power_supply");
        let mut watts = 0.0;
        let mut parts = Vec::new();
        let mut reasons = Vec::new();
        for supply in self.sysfs.list(base) {
            let dir = base.join(&supply);
            let attr = |name: &str| self.sysfs.read(&dir.join(name)).ok();
            // A wireless mouse's battery has scope "Device": not the machine's.
            if attr("type").as_deref() != Some("Battery")
                || attr("scope").as_deref() == Some("Device")
            {
                continue;
            }
            let status = attr("status").unwrap_or_default();
            if status != "Discharging" {
                reasons.push(format!(
                    "{supply} is {}: a battery measures the machine only while it discharges",
                    if status.is_empty() { "in an unknown state" } else { status.as_str() }
                ));
                continue;
            }
            // Some drivers report discharge as a negative number: the magnitude is the power.
            let power_now = self.sysfs.read_i64(&dir.join("power_now")).ok();
            let current = self.sysfs.read_i64(&dir.join("current_now")).ok();
            let voltage = self.sysfs.read_i64(&dir.join("voltage_now")).ok();
            match (power_now, current, voltage) {
                (Some(uw), _, _) => {
                    watts += uw.unsigned_abs() as f64 / 1e6;
                    parts.push(format!("{supply} power_now"));
                }
                (None, Some(ua), Some(uv)) => {
                    watts += ua.unsigned_abs() as f64 * uv.unsigned_abs() as f64 / 1e12;
                    parts.push(format!("{supply} current_now × voltage_now"));
                }
                _ => {
                    reasons.push(format!("{supply} reports neither power_now nor current/voltage"))
                }
            }
        }
        if parts.is_empty() {
            let reason =
                if reasons.is_empty() { "no battery".to_owned() } else { reasons.join("; ") };
            return PowerStatus::not_available(self.name(), reason);
        }
        let source = format!("battery discharge ({})", parts.join(", "));
        PowerStatus::Reading(PowerReading::measured(watts, PowerKind::Battery, source))
    }
}
