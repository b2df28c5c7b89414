//! Whether the machine runs on battery, from the operating system's own power-source reports:
//! sysfs `class/power_supply` on Linux, IOKit power sources on macOS, `GetSystemPowerStatus` on
//! Windows. Read at most once per [`super::Cadence::power`] and cached in between.

#[cfg(any(target_os = "macos", test))]
mod macos;
#[cfg(target_os = "linux")]
mod sysfs;
#[cfg(any(target_os = "windows", test))]
mod windows;

use std::time::{Duration, Instant};

use super::PowerSupplyState;

#[derive(Debug)]
pub(super) struct PowerReader {
    #[cfg(target_os = "linux")]
    sysfs_root: std::path::PathBuf,
    last_read: Option<Instant>,
    state: PowerSupplyState,
}

impl PowerReader {
    pub(super) fn new() -> PowerReader {
        #[cfg(target_os = "linux")]
        let reader = Self::with_sysfs_root("/sys".into());
        #[cfg(not(target_os = "linux"))]
        let reader = PowerReader { last_read: None, state: not_available("") };
        reader
    }

    #[cfg(target_os = "linux")]
    pub(super) fn with_sysfs_root(sysfs_root: std::path::PathBuf) -> PowerReader {
        PowerReader { sysfs_root, last_read: None, state: not_available("") }
    }

    pub(super) fn state(&mut self, now: Instant, every: Duration) -> &PowerSupplyState {
        if self.last_read.is_none_or(|at| now.duration_since(at) >= every) {
            self.last_read = Some(now);
            self.state = self.read();
        }
        &self.state
    }

    fn read(&self) -> PowerSupplyState {
        #[cfg(target_os = "linux")]
        let state = sysfs::read_power_supply(&self.sysfs_root);
        #[cfg(target_os = "macos")]
        let state = macos::read_power_sources();
        #[cfg(target_os = "windows")]
        let state = windows::read_system_power_status();
        #[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
        let state =
            not_available("not available: no power-source reader for this operating system");
        state
    }
}

fn not_available(source: &str) -> PowerSupplyState {
    PowerSupplyState { on_battery: None, battery_percent: None, source: source.to_owned() }
}
