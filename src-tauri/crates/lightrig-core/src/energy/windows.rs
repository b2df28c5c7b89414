//! Windows: CPU package power from the PDH "Energy Meter" counters, the same RAPL data the
//! Energy Meter Interface (EMI) exposes, readable without admin rights or a driver on
//! Windows 11 on bare metal (energy.md §1.3). The counter `\Energy Meter(<instance>)\Power` is
//! in milliwatts; instances differ per vendor, so the known names are tried in turn. Only the
//! package instance is read: PP0/PP1/core instances are sub-domains and must never be added
//! to it (System Informer#2001 showed ~2× over-reporting when summed).
//!
//! Not done yet: the EMI IOCTL path (`GUID_DEVICE_ENERGY_METER`, energy in picowatt-hours)
//! for machines whose PDH provider is missing.

use std::ffi::c_void;

use super::reading::{PowerKind, PowerReading, PowerSource, PowerStatus, ReadContext};

const PDH_FMT_DOUBLE: u32 = 0x0000_0200;
/// Instances seen in the wild: Intel first, then AMD and APU names.
const INSTANCES: [&str; 5] =
    ["RAPL_Package0_PKG", "Current Socket Power", "Socket Power", "CPU Power", "Apu Power"];

#[repr(C)]
struct PdhFmtCounterValue {
    c_status: u32,
    value: f64,
}

#[link(name = "pdh")]
unsafe extern "system" {
    fn PdhOpenQueryW(source: *const u16, user: usize, query: *mut *mut c_void) -> u32;
    fn PdhAddEnglishCounterW(
        query: *mut c_void,
        path: *const u16,
        user: usize,
        counter: *mut *mut c_void,
    ) -> u32;
    fn PdhCollectQueryData(query: *mut c_void) -> u32;
    fn PdhGetFormattedCounterValue(
        counter: *mut c_void,
        format: u32,
        kind: *mut u32,
        value: *mut PdhFmtCounterValue,
    ) -> u32;
    fn PdhCloseQuery(query: *mut c_void) -> u32;
}

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

struct Open {
    query: *mut c_void,
    counter: *mut c_void,
    instance: &'static str,
    collected: bool,
}

/// CPU package power from PDH.
#[derive(Default)]
pub struct PdhEnergyMeterSource {
    open: Option<Open>,
    why_not: Option<String>,
}

impl std::fmt::Debug for PdhEnergyMeterSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PdhEnergyMeterSource")
            .field("instance", &self.open.as_ref().map(|o| o.instance))
            .field("why_not", &self.why_not)
            .finish()
    }
}

// SAFETY: PDH query handles may be used from any thread as long as calls on one query are not
// concurrent; the source is used through `&mut self` only.
unsafe impl Send for PdhEnergyMeterSource {}

impl PdhEnergyMeterSource {
    pub fn new() -> PdhEnergyMeterSource {
        PdhEnergyMeterSource::default()
    }

    fn open(&mut self) -> Result<(), String> {
        let mut query: *mut c_void = std::ptr::null_mut();
        // SAFETY: a null data source means the live machine; `query` is a valid out-pointer.
        let rc = unsafe { PdhOpenQueryW(std::ptr::null(), 0, &mut query) };
        if rc != 0 {
            return Err(format!("PdhOpenQuery failed (0x{rc:08x})"));
        }
        for instance in INSTANCES {
            let path = wide(&format!(r"\Energy Meter({instance})\Power"));
            let mut counter: *mut c_void = std::ptr::null_mut();
            // SAFETY: `path` is NUL-terminated UTF-16 that outlives the call; `query` is open.
            if unsafe { PdhAddEnglishCounterW(query, path.as_ptr(), 0, &mut counter) } == 0 {
                self.open = Some(Open { query, counter, instance, collected: false });
                return Ok(());
            }
        }
        // SAFETY: `query` was opened above and is not used again.
        unsafe { PdhCloseQuery(query) };
        Err("this Windows has no \"Energy Meter\" counters (they need Windows 11 on real \
             hardware, not a virtual machine)"
            .to_owned())
    }
}

impl Drop for PdhEnergyMeterSource {
    fn drop(&mut self) {
        if let Some(o) = self.open.take() {
            // SAFETY: the query is open and owned by this source.
            unsafe { PdhCloseQuery(o.query) };
        }
    }
}

impl PowerSource for PdhEnergyMeterSource {
    fn name(&self) -> &str {
        "Energy Meter (PDH)"
    }

    fn read(&mut self, _ctx: &ReadContext) -> PowerStatus {
        if let Some(why) = &self.why_not {
            return PowerStatus::not_available("Energy Meter (PDH)", why.clone());
        }
        if self.open.is_none()
            && let Err(why) = self.open()
        {
            self.why_not = Some(why.clone());
            return PowerStatus::not_available("Energy Meter (PDH)", why);
        }
        let Some(o) = self.open.as_mut() else {
            return PowerStatus::not_available("Energy Meter (PDH)", "not opened");
        };
        // SAFETY: the query is open.
        if unsafe { PdhCollectQueryData(o.query) } != 0 {
            return PowerStatus::not_available("Energy Meter (PDH)", "PdhCollectQueryData failed");
        }
        if !o.collected {
            o.collected = true;
            return PowerStatus::WarmingUp { source: format!("Energy Meter ({})", o.instance) };
        }
        let mut value = PdhFmtCounterValue { c_status: 0, value: 0.0 };
        let mut kind = 0u32;
        // SAFETY: the counter belongs to the open query; the out-pointers are live locals.
        let rc = unsafe {
            PdhGetFormattedCounterValue(o.counter, PDH_FMT_DOUBLE, &mut kind, &mut value)
        };
        if rc != 0 || value.c_status != 0 || !value.value.is_finite() {
            return PowerStatus::not_available(
                "Energy Meter (PDH)",
                format!("the counter gave no value (0x{rc:08x})"),
            );
        }
        let source = format!(r"Energy Meter({})\Power (PDH)", o.instance);
        PowerStatus::Reading(PowerReading::measured(
            value.value / 1000.0,
            PowerKind::CpuPackage,
            source,
        ))
    }
}
