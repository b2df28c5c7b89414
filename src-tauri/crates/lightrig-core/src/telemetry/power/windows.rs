//! Windows: `GetSystemPowerStatus` (kernel32, every Windows version, no privileges). It answers
//! the AC line state directly, so a desktop without a battery is known to be on mains.
//!
//! The interpretation is plain code compiled on every OS so its tests run everywhere; only the
//! call itself is Windows-only.

use crate::telemetry::PowerSupplyState;

pub(super) const SOURCE: &str = "Windows GetSystemPowerStatus";

/// `SYSTEM_POWER_STATUS` from winbase.h.
#[repr(C)]
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct SystemPowerStatus {
    /// 0 offline, 1 online, 255 unknown.
    pub(super) ac_line_status: u8,
    /// Bit flags: 1 high, 2 low, 4 critical, 8 charging, 128 no system battery; 255 unknown.
    pub(super) battery_flag: u8,
    /// 0..=100, or 255 unknown.
    pub(super) battery_life_percent: u8,
    #[allow(dead_code, reason = "part of the C layout, not used")]
    pub(super) system_status_flag: u8,
    #[allow(dead_code, reason = "part of the C layout, not used")]
    pub(super) battery_life_time: u32,
    #[allow(dead_code, reason = "part of the C layout, not used")]
    pub(super) battery_full_life_time: u32,
}

const AC_OFFLINE: u8 = 0;
const AC_ONLINE: u8 = 1;
const NO_SYSTEM_BATTERY: u8 = 128;
const UNKNOWN: u8 = 255;

pub(super) fn interpret(status: &SystemPowerStatus) -> PowerSupplyState {
    let on_battery = match status.ac_line_status {
        AC_OFFLINE => Some(true),
        AC_ONLINE => Some(false),
        _ => None,
    };
    let has_battery =
        status.battery_flag != UNKNOWN && status.battery_flag & NO_SYSTEM_BATTERY == 0;
    let battery_percent = (has_battery && status.battery_life_percent <= 100)
        .then_some(f32::from(status.battery_life_percent));
    PowerSupplyState { on_battery, battery_percent, source: SOURCE.to_owned() }
}

#[cfg(target_os = "windows")]
pub(super) fn read_system_power_status() -> PowerSupplyState {
    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn GetSystemPowerStatus(status: *mut SystemPowerStatus) -> i32;
    }
    let mut status = SystemPowerStatus::default();
    // SAFETY: `status` is a valid, writable SYSTEM_POWER_STATUS (repr(C), same layout) that
    // lives for the whole call; the function only writes into it.
    let ok = unsafe { GetSystemPowerStatus(&mut status) };
    if ok == 0 {
        tracing::debug!(
            error = %std::io::Error::last_os_error(),
            "GetSystemPowerStatus failed"
        );
        return super::not_available("not available: GetSystemPowerStatus failed");
    }
    interpret(&status)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(ac_line_status: u8, battery_flag: u8, battery_life_percent: u8) -> SystemPowerStatus {
        SystemPowerStatus {
            ac_line_status,
            battery_flag,
            battery_life_percent,
            ..Default::default()
        }
    }

    #[test]
    fn laptop_on_battery() {
        let state = interpret(&status(0, 1, 42));
        assert_eq!((state.on_battery, state.battery_percent), (Some(true), Some(42.0)));
    }

    #[test]
    fn laptop_charging() {
        let state = interpret(&status(1, 8 | 1, 77));
        assert_eq!((state.on_battery, state.battery_percent), (Some(false), Some(77.0)));
    }

    #[test]
    fn desktop_without_battery() {
        let state = interpret(&status(1, 128, 255));
        assert_eq!((state.on_battery, state.battery_percent), (Some(false), None));
        // The "no system battery" flag wins over whatever the percent field holds.
        assert_eq!(interpret(&status(1, 128, 0)).battery_percent, None);
    }

    #[test]
    fn unknown_everything() {
        let state = interpret(&status(255, 255, 255));
        assert_eq!((state.on_battery, state.battery_percent), (None, None));
    }
}
