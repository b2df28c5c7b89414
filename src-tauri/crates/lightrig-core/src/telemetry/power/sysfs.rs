//! Linux: `<sysfs>/class/power_supply/*`, the kernel's power-supply class (ABI:
//! Documentation/ABI/testing/sysfs-class-power). Readable without privileges.
//!
//! Each entry has a `type`: external supplies ("Mains", "USB", "Wireless"...) report `online`,
//! batteries report `status` ("Charging", "Discharging", "Full", "Not charging", "Unknown") and
//! `capacity` in percent. Batteries with `scope` "Device" belong to peripherals (a wireless
//! mouse, a game pad) and say nothing about the machine.

use std::fs;
use std::io::Read;
use std::path::Path;

use super::not_available;
use crate::telemetry::PowerSupplyState;

pub(super) const SOURCE: &str = "sysfs class/power_supply";

pub(super) fn read_power_supply(sysfs_root: &Path) -> PowerSupplyState {
    let dir = sysfs_root.join("class").join("power_supply");
    let Ok(entries) = fs::read_dir(&dir) else {
        return not_available("not available: no class/power_supply in sysfs");
    };
    let mut facts = SupplyFacts::default();
    let mut buf = String::new();
    for entry in entries.flatten() {
        facts.add(&entry.path(), &mut buf);
    }
    facts.decide()
}

/// What the supplies said, before deciding.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct SupplyFacts {
    pub(super) external_seen: bool,
    pub(super) external_online: bool,
    pub(super) batteries: u32,
    pub(super) discharging: bool,
    pub(super) charging: bool,
    percent_sum: f32,
    percent_count: u32,
}

impl SupplyFacts {
    fn add(&mut self, supply: &Path, buf: &mut String) {
        if read_attr(supply, "scope", buf) == Some("Device") {
            return;
        }
        let Some(kind) = read_attr(supply, "type", buf) else { return };
        if kind == "Battery" {
            self.batteries += 1;
            match read_attr(supply, "status", buf) {
                Some("Discharging") => self.discharging = true,
                Some("Charging") => self.charging = true,
                _ => {}
            }
            if let Some(percent) = battery_percent(supply, buf) {
                self.percent_sum += percent;
                self.percent_count += 1;
            }
        } else if is_external(kind) {
            self.external_seen = true;
            if read_attr(supply, "online", buf) == Some("1") {
                self.external_online = true;
            }
        }
    }

    /// A discharging battery means the machine draws from it, even with a charger that reports
    /// online but cannot keep up: that is when "pause on battery" should act. Without a
    /// battery, only an external supply reporting online says "not on battery"; an empty
    /// class (a desktop, a VM) says nothing.
    pub(super) fn decide(&self) -> PowerSupplyState {
        let on_battery = if self.discharging {
            Some(true)
        } else if self.external_online || self.charging {
            Some(false)
        } else if self.external_seen && self.batteries > 0 {
            // Every external supply is offline and a battery is there, whatever its status
            // ("Full" at 100 % on some firmware): the battery powers the machine.
            Some(true)
        } else {
            None
        };
        let battery_percent =
            (self.percent_count > 0).then(|| self.percent_sum / self.percent_count as f32);
        PowerSupplyState { on_battery, battery_percent, source: SOURCE.to_owned() }
    }
}

fn is_external(kind: &str) -> bool {
    matches!(kind, "Mains" | "Wireless" | "BrickID") || kind.starts_with("USB")
}

/// `capacity` when the driver provides it, else energy or charge now/full.
fn battery_percent(supply: &Path, buf: &mut String) -> Option<f32> {
    if let Some(capacity) = read_attr(supply, "capacity", buf).and_then(|s| s.parse::<f32>().ok()) {
        return Some(capacity.clamp(0.0, 100.0));
    }
    for (now, full) in [("energy_now", "energy_full"), ("charge_now", "charge_full")] {
        let now = read_attr(supply, now, buf).and_then(|s| s.parse::<f64>().ok());
        let full = read_attr(supply, full, buf).and_then(|s| s.parse::<f64>().ok());
        if let (Some(now), Some(full)) = (now, full)
            && full > 0.0
        {
            return Some((now / full * 100.0).clamp(0.0, 100.0) as f32);
        }
    }
    None
}

/// Reads one attribute file into `buf` and returns it trimmed; `None` when absent or unreadable
/// (drivers leave out attributes they do not support, and some return EIO while asleep).
fn read_attr<'b>(supply: &Path, name: &str, buf: &'b mut String) -> Option<&'b str> {
    buf.clear();
    fs::File::open(supply.join(name)).ok()?.read_to_string(buf).ok()?;
    Some(buf.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn fixture(case: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sysfs").join(case)
    }

    #[test]
    fn desktop_with_ac_online_and_no_battery_from_recorded_sysfs() {
        let state = read_power_supply(&fixture("desktop_ac_online"));
        assert_eq!(state.on_battery, Some(false));
        assert_eq!(state.battery_percent, None);
        assert_eq!(state.source, SOURCE);
    }

    #[test]
    fn laptop_on_battery_at_42_percent_from_recorded_sysfs() {
        let state = read_power_supply(&fixture("laptop_on_battery_42"));
        assert_eq!(state.on_battery, Some(true));
        assert_eq!(state.battery_percent, Some(42.0));
    }

    #[test]
    fn laptop_charging_over_usb_c_from_recorded_sysfs() {
        let state = read_power_supply(&fixture("laptop_charging"));
        assert_eq!(state.on_battery, Some(false));
        assert_eq!(state.battery_percent, Some(77.0));
    }

    #[test]
    fn missing_power_supply_class_is_unknown_from_recorded_sysfs() {
        let state = read_power_supply(&fixture("no_power_supply"));
        assert_eq!(state.on_battery, None);
        assert_eq!(state.battery_percent, None);
        assert!(state.source.starts_with("not available"), "{}", state.source);
    }

    #[test]
    fn wireless_mouse_battery_is_not_the_machines_from_recorded_sysfs() {
        let state = read_power_supply(&fixture("desktop_ac_wireless_mouse"));
        assert_eq!(state.on_battery, Some(false));
        assert_eq!(state.battery_percent, None);
    }

    #[test]
    fn percent_falls_back_to_energy_counters() {
        let dir = tempfile::tempdir().unwrap();
        let bat = dir.path().join("class/power_supply/BAT0");
        fs::create_dir_all(&bat).unwrap();
        fs::write(bat.join("type"), "Battery\n").unwrap();
        fs::write(bat.join("status"), "Discharging\n").unwrap();
        fs::write(bat.join("energy_now"), "25000000\n").unwrap();
        fs::write(bat.join("energy_full"), "50000000\n").unwrap();
        let state = read_power_supply(dir.path());
        assert_eq!(state.on_battery, Some(true));
        assert_eq!(state.battery_percent, Some(50.0));
    }

    #[test]
    fn ambiguous_reports_decide_conservatively() {
        let facts = |external_seen, external_online, batteries, discharging, charging| {
            SupplyFacts {
                external_seen,
                external_online,
                batteries,
                discharging,
                charging,
                ..SupplyFacts::default()
            }
            .decide()
            .on_battery
        };
        // Weak charger: online, yet the battery drains.
        assert_eq!(facts(true, true, 1, true, false), Some(true));
        // AC offline, battery says "Full": running on the battery.
        assert_eq!(facts(true, false, 1, false, false), Some(true));
        // Charging with no AC entry listed: external power is there.
        assert_eq!(facts(false, false, 1, false, true), Some(false));
        // A battery alone with status "Unknown": cannot tell.
        assert_eq!(facts(false, false, 1, false, false), None);
        // An AC entry that is offline and no battery: cannot tell either.
        assert_eq!(facts(true, false, 0, false, false), None);
    }
}
