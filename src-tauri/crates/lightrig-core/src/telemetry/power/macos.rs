//! macOS: IOKit power sources (IOPowerSources.h), the API behind the menu-bar battery icon and
//! `pmset -g batt`; no privileges needed. `IOPSGetProvidingPowerSourceType` names the source
//! the machine runs from ("AC Power", "Battery Power", "UPS Power"), so a Mac mini without a
//! battery is known to be on mains; the internal batteries' descriptions give the charge.
//!
//! The interpretation is plain code compiled on every OS so its tests run everywhere; only the
//! IOKit calls are macOS-only.

use crate::telemetry::PowerSupplyState;

pub(super) const SOURCE: &str = "macOS IOKit power sources";

/// One internal battery's "Current Capacity" and "Max Capacity" (percent on current Macs,
/// mAh on some older ones: the ratio is what counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct BatteryCapacity {
    pub(super) current: i64,
    pub(super) max: i64,
}

/// `providing` is what `IOPSGetProvidingPowerSourceType` returned, if anything.
pub(super) fn interpret(
    providing: Option<&str>,
    batteries: &[BatteryCapacity],
) -> PowerSupplyState {
    let on_battery = match providing {
        Some("AC Power") => Some(false),
        // On a UPS the machine lives on a battery too, only an external one.
        Some("Battery Power" | "UPS Power") => Some(true),
        _ => None,
    };
    let (current, max) = batteries
        .iter()
        .filter(|b| b.max > 0 && b.current >= 0)
        .fold((0_i64, 0_i64), |(c, m), b| (c.saturating_add(b.current), m.saturating_add(b.max)));
    let battery_percent =
        (max > 0).then(|| ((current as f64 / max as f64) * 100.0).clamp(0.0, 100.0) as f32);
    PowerSupplyState { on_battery, battery_percent, source: SOURCE.to_owned() }
}

#[cfg(target_os = "macos")]
pub(super) fn read_power_sources() -> PowerSupplyState {
    let mut batteries = Vec::new();
    let mut providing = [0_u8; 32];
    // SAFETY: see `ffi::read`; it follows the CoreFoundation ownership rules and checks every
    // returned pointer and type before use.
    let providing_len = unsafe { ffi::read(&mut providing, &mut batteries) };
    let providing = providing_len.and_then(|len| std::str::from_utf8(&providing[..len]).ok());
    interpret(providing, &batteries)
}

#[cfg(target_os = "macos")]
mod ffi {
    //! The few IOKit and CoreFoundation calls needed, declared by hand: two functions and a
    //! handful of dictionary reads do not justify a binding crate.

    use std::ffi::{c_char, c_void};

    use super::BatteryCapacity;

    type CFTypeRef = *const c_void;
    type CFIndex = isize;
    type CFTypeID = usize;

    const UTF8: u32 = 0x0800_0100; // kCFStringEncodingUTF8
    const SINT64: CFIndex = 4; // kCFNumberSInt64Type

    #[link(name = "IOKit", kind = "framework")]
    unsafe extern "C" {
        fn IOPSCopyPowerSourcesInfo() -> CFTypeRef;
        fn IOPSGetProvidingPowerSourceType(snapshot: CFTypeRef) -> CFTypeRef;
        fn IOPSCopyPowerSourcesList(blob: CFTypeRef) -> CFTypeRef;
        fn IOPSGetPowerSourceDescription(blob: CFTypeRef, source: CFTypeRef) -> CFTypeRef;
    }

    #[link(name = "CoreFoundation", kind = "framework")]
    unsafe extern "C" {
        fn CFRelease(cf: CFTypeRef);
        fn CFGetTypeID(cf: CFTypeRef) -> CFTypeID;
        fn CFStringGetTypeID() -> CFTypeID;
        fn CFNumberGetTypeID() -> CFTypeID;
        fn CFDictionaryGetTypeID() -> CFTypeID;
        fn CFArrayGetCount(array: CFTypeRef) -> CFIndex;
        fn CFArrayGetValueAtIndex(array: CFTypeRef, index: CFIndex) -> CFTypeRef;
        fn CFDictionaryGetValue(dict: CFTypeRef, key: CFTypeRef) -> CFTypeRef;
        fn CFStringCreateWithBytes(
            alloc: CFTypeRef,
            bytes: *const u8,
            len: CFIndex,
            encoding: u32,
            external: u8,
        ) -> CFTypeRef;
        fn CFStringGetCString(s: CFTypeRef, buf: *mut c_char, size: CFIndex, encoding: u32) -> u8;
        fn CFNumberGetValue(number: CFTypeRef, kind: CFIndex, out: *mut c_void) -> u8;
    }

    /// Releases an owned ("Copy"/"Create") reference when dropped.
    struct Owned(CFTypeRef);

    impl Owned {
        fn new(cf: CFTypeRef) -> Option<Owned> {
            (!cf.is_null()).then_some(Owned(cf))
        }
    }

    impl Drop for Owned {
        fn drop(&mut self) {
            // SAFETY: only non-null references we own are wrapped, each released once.
            unsafe { CFRelease(self.0) }
        }
    }

    fn cf_string(text: &str) -> Option<Owned> {
        let len = CFIndex::try_from(text.len()).ok()?;
        // SAFETY: `text` is valid UTF-8 for `len` bytes; the default allocator (null) is used.
        Owned::new(unsafe {
            CFStringCreateWithBytes(std::ptr::null(), text.as_ptr(), len, UTF8, 0)
        })
    }

    /// Copies a CFString into `out` as UTF-8 and returns its length.
    ///
    /// # Safety
    /// `s` is null or a live CoreFoundation object.
    unsafe fn read_string(s: CFTypeRef, out: &mut [u8]) -> Option<usize> {
        // SAFETY: `s` is non-null and live (caller), so it has a type id.
        if s.is_null() || unsafe { CFGetTypeID(s) != CFStringGetTypeID() } {
            return None;
        }
        let size = CFIndex::try_from(out.len()).ok()?;
        // SAFETY: `s` is a CFString; `out` is writable for `size` bytes, and CF writes a
        // NUL-terminated string into it or fails.
        if unsafe { CFStringGetCString(s, out.as_mut_ptr().cast(), size, UTF8) } == 0 {
            return None;
        }
        out.iter().position(|&b| b == 0)
    }

    /// Reads an integer-valued CFNumber from a dictionary.
    ///
    /// # Safety
    /// `dict` is a live CFDictionary.
    unsafe fn read_number(dict: CFTypeRef, key: &Owned) -> Option<i64> {
        // SAFETY: `dict` is a live dictionary (caller) and `key` a live CFString.
        let value = unsafe { CFDictionaryGetValue(dict, key.0) };
        // SAFETY: `value` is non-null and borrowed from the live dictionary.
        if value.is_null() || unsafe { CFGetTypeID(value) != CFNumberGetTypeID() } {
            return None;
        }
        let mut out = 0_i64;
        // SAFETY: `value` is a CFNumber and `out` holds a 64-bit integer.
        let exact = unsafe { CFNumberGetValue(value, SINT64, (&raw mut out).cast()) };
        (exact != 0).then_some(out)
    }

    /// Writes the providing source type into `providing` (returning its length) and pushes
    /// every internal battery's capacity into `batteries`.
    ///
    /// # Safety
    /// Calls IOKit and CoreFoundation; sound on any macOS, where these symbols exist.
    pub(super) unsafe fn read(
        providing: &mut [u8],
        batteries: &mut Vec<BatteryCapacity>,
    ) -> Option<usize> {
        // SAFETY: a "Copy" function: we own the result (wrapped, released on drop).
        let info = Owned::new(unsafe { IOPSCopyPowerSourcesInfo() })?;
        // SAFETY: a "Get" function: borrowed from `info`, which outlives its use here.
        let providing_len =
            unsafe { read_string(IOPSGetProvidingPowerSourceType(info.0), providing) };

        let (Some(type_key), Some(current_key), Some(max_key)) =
            (cf_string("Type"), cf_string("Current Capacity"), cf_string("Max Capacity"))
        else {
            return providing_len;
        };

        // SAFETY: "Copy": owned and released on drop.
        let Some(list) = Owned::new(unsafe { IOPSCopyPowerSourcesList(info.0) }) else {
            return providing_len;
        };
        // SAFETY: `list` is a live CFArray of power-source handles.
        let count = unsafe { CFArrayGetCount(list.0) };
        for index in 0..count {
            // SAFETY: `index` is within the array; the value and the description are borrowed
            // ("Get") from `list` and `info`, both alive for the whole loop.
            unsafe {
                let source = CFArrayGetValueAtIndex(list.0, index);
                let description = IOPSGetPowerSourceDescription(info.0, source);
                if description.is_null() || CFGetTypeID(description) != CFDictionaryGetTypeID() {
                    continue;
                }
                let mut kind = [0_u8; 32];
                let kind_value = CFDictionaryGetValue(description, type_key.0);
                let is_internal = read_string(kind_value, &mut kind)
                    .is_some_and(|len| &kind[..len] == b"InternalBattery");
                if !is_internal {
                    continue;
                }
                if let (Some(current), Some(max)) =
                    (read_number(description, &current_key), read_number(description, &max_key))
                {
                    batteries.push(BatteryCapacity { current, max });
                }
            }
        }
        providing_len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn percent(current: i64, max: i64) -> BatteryCapacity {
        BatteryCapacity { current, max }
    }

    #[test]
    fn macbook_on_battery() {
        let state = interpret(Some("Battery Power"), &[percent(42, 100)]);
        assert_eq!((state.on_battery, state.battery_percent), (Some(true), Some(42.0)));
    }

    #[test]
    fn macbook_charging_with_capacity_in_mah() {
        let state = interpret(Some("AC Power"), &[percent(3_850, 5_000)]);
        assert_eq!((state.on_battery, state.battery_percent), (Some(false), Some(77.0)));
    }

    #[test]
    fn mac_mini_without_battery() {
        let state = interpret(Some("AC Power"), &[]);
        assert_eq!((state.on_battery, state.battery_percent), (Some(false), None));
    }

    #[test]
    fn ups_counts_as_battery_and_nothing_known_is_unknown() {
        assert_eq!(interpret(Some("UPS Power"), &[]).on_battery, Some(true));
        let state = interpret(None, &[percent(0, 0)]);
        assert_eq!((state.on_battery, state.battery_percent), (None, None));
    }
}
