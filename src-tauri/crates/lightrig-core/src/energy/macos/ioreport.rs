//! Apple Silicon SoC power from IOReport's "Energy Model" channels, readable without sudo
//! (energy.md §1.2; the approach of vladkens/macmon, MIT). `libIOReport.dylib` is private, so
//! it is opened at run time rather than linked: a macOS that drops or changes it leaves this
//! rung "not available" instead of stopping the app from launching.
//!
//! Each read takes one sample of the subscribed channels and hands the cumulative counts to
//! [`SocEnergyMeter`], which does the deltas (reset, wrap, frozen counters) in code tested on
//! every OS. IOReportCreateSamplesDelta is therefore not used: keeping raw counts means no
//! CoreFoundation sample has to outlive a read.

use std::ffi::c_void;
use std::ptr;

use core_foundation::array::{CFArrayGetCount, CFArrayGetTypeID, CFArrayGetValueAtIndex};
use core_foundation::base::{CFGetTypeID, CFRelease, CFTypeRef, TCFType};
use core_foundation::dictionary::{CFDictionaryGetValue, CFDictionaryRef, CFMutableDictionaryRef};
use core_foundation::string::{CFString, CFStringRef};
use libloading::Library;

use crate::energy::apple::{SocChannel, SocEnergyMeter, SocStep};
use crate::energy::reading::{PowerKind, PowerReading, PowerSource, PowerStatus, ReadContext};

const LIBRARY: &str = "/usr/lib/libIOReport.dylib";
const SOURCE: &str = "Apple Silicon SoC energy (IOReport: CPU + GPU + Neural Engine)";

type CopyChannelsInGroupFn =
    unsafe extern "C" fn(CFStringRef, CFStringRef, u64, u64, u64) -> CFMutableDictionaryRef;
type CreateSubscriptionFn = unsafe extern "C" fn(
    *const c_void,
    CFMutableDictionaryRef,
    *mut CFMutableDictionaryRef,
    u64,
    CFTypeRef,
) -> CFTypeRef;
type CreateSamplesFn =
    unsafe extern "C" fn(CFTypeRef, CFMutableDictionaryRef, CFTypeRef) -> CFDictionaryRef;
type ChannelStringFn = unsafe extern "C" fn(CFDictionaryRef) -> CFStringRef;
type IntegerValueFn = unsafe extern "C" fn(CFDictionaryRef, i32) -> i64;

/// A live subscription to the "Energy Model" group.
struct Subscription {
    create_samples: CreateSamplesFn,
    channel_name: ChannelStringFn,
    unit_label: ChannelStringFn,
    integer_value: IntegerValueFn,
    subscription: CFTypeRef,
    channels: CFMutableDictionaryRef,
    /// Kept last so the function pointers above stay valid while it lives.
    _library: Library,
}

/// A symbol of the open library as a plain function pointer.
///
/// # Safety
/// `T` must be the symbol's true C signature, and the pointer must not be used after `library`
/// is dropped.
unsafe fn symbol<T: Copy>(library: &Library, name: &[u8]) -> Result<T, String> {
    // SAFETY: the caller guarantees the type; copying the pointer out is fine while `library`
    // lives, which the caller also guarantees.
    unsafe { library.get::<T>(name) }.map(|s| *s).map_err(|e| format!("{LIBRARY}: {e}"))
}

impl Subscription {
    fn open() -> Result<Subscription, String> {
        // SAFETY: loading a system library runs only Apple's initialisers.
        let library = unsafe { Library::new(LIBRARY) }
            .map_err(|e| format!("IOReport is not available on this Mac ({e})"))?;
        // SAFETY: the signatures are IOReport's as macmon and powermetrics' users declare them;
        // the pointers live in `Subscription` next to the library that backs them.
        let (copy_group, subscribe, create_samples, channel_name, unit_label, integer_value) = unsafe {
            (
                symbol::<CopyChannelsInGroupFn>(&library, b"IOReportCopyChannelsInGroup\0")?,
                symbol::<CreateSubscriptionFn>(&library, b"IOReportCreateSubscription\0")?,
                symbol::<CreateSamplesFn>(&library, b"IOReportCreateSamples\0")?,
                symbol::<ChannelStringFn>(&library, b"IOReportChannelGetChannelName\0")?,
                symbol::<ChannelStringFn>(&library, b"IOReportChannelGetUnitLabel\0")?,
                symbol::<IntegerValueFn>(&library, b"IOReportSimpleGetIntegerValue\0")?,
            )
        };
        let group = CFString::from_static_string("Energy Model");
        // SAFETY: `group` is a live CFString; a null subgroup means "all subgroups". The result
        // follows the create rule and is released below once the subscription holds what it
        // needs (macmon releases it at the same point).
        let wanted = unsafe { copy_group(group.as_concrete_TypeRef(), ptr::null(), 0, 0, 0) };
        if wanted.is_null() {
            return Err("this Mac has no IOReport \"Energy Model\" channels (Intel Macs and \
                        virtual machines do not)"
                .into());
        }
        let mut channels: CFMutableDictionaryRef = ptr::null_mut();
        // SAFETY: `wanted` is a live dictionary; IOReport writes the subscribed channels (create
        // rule) into `channels` and returns the subscription (create rule); both are released in
        // Drop, or here on failure.
        let subscription = unsafe {
            let s = subscribe(ptr::null(), wanted, &mut channels, 0, ptr::null());
            CFRelease(wanted as CFTypeRef);
            s
        };
        if subscription.is_null() || channels.is_null() {
            // SAFETY: each non-null object here is owned by this function.
            unsafe {
                if !subscription.is_null() {
                    CFRelease(subscription);
                }
                if !channels.is_null() {
                    CFRelease(channels as CFTypeRef);
                }
            }
            return Err("IOReport refused a subscription to its energy channels".into());
        }
        Ok(Subscription {
            create_samples,
            channel_name,
            unit_label,
            integer_value,
            subscription,
            channels,
            _library: library,
        })
    }

    /// One sample of every subscribed channel: name, unit label and cumulative count.
    fn sample(&self) -> Result<Vec<SocChannel>, String> {
        // SAFETY: the subscription and its channel dictionary are alive; the sample follows the
        // create rule and is released at the end of this function.
        let sample =
            unsafe { (self.create_samples)(self.subscription, self.channels, ptr::null()) };
        if sample.is_null() {
            return Err("IOReport gave no sample".into());
        }
        let key = CFString::from_static_string("IOReportChannels");
        let mut out = Vec::new();
        // SAFETY: `sample` is a live dictionary. The array is fetched by the get rule and type
        // checked before use; each item is a channel dictionary IOReport's getters accept, and
        // the strings they return follow the get rule (retained by wrap_under_get_rule).
        unsafe {
            let items = CFDictionaryGetValue(sample, key.as_concrete_TypeRef().cast());
            if !items.is_null() && CFGetTypeID(items) == CFArrayGetTypeID() {
                let items = items.cast();
                for i in 0..CFArrayGetCount(items) {
                    let item: CFDictionaryRef = CFArrayGetValueAtIndex(items, i).cast();
                    if item.is_null() {
                        continue;
                    }
                    out.push(SocChannel {
                        name: cf_string((self.channel_name)(item)),
                        unit: cf_string((self.unit_label)(item)),
                        value: (self.integer_value)(item, 0),
                    });
                }
            }
            CFRelease(sample as CFTypeRef);
        }
        Ok(out)
    }
}

/// A CFString IOReport returned by the get rule, as text ("" for null).
///
/// # Safety
/// `s` must be null or a live CFString.
unsafe fn cf_string(s: CFStringRef) -> String {
    if s.is_null() {
        return String::new();
    }
    // SAFETY: non-null and live per the caller; the get rule retains it for the wrapper.
    unsafe { CFString::wrap_under_get_rule(s) }.to_string()
}

impl Drop for Subscription {
    fn drop(&mut self) {
        // SAFETY: both objects were created for this subscription and are released once.
        unsafe {
            CFRelease(self.channels as CFTypeRef);
            CFRelease(self.subscription);
        }
    }
}

/// The SoC's compute power on Apple Silicon: CPU clusters + GPU + Neural Engine, from the
/// "Energy Model" counters. It is [`PowerKind::CpuPackage`] because that is what it covers on a
/// chip where the GPU and ANE share the package; memory (DRAM), display, drives and the rest
/// of the machine are not in it.
pub struct IoReportSource {
    subscription: Option<Subscription>,
    /// Why there is no subscription; opening is tried once, as the hardware does not change.
    why_not: Option<String>,
    meter: SocEnergyMeter,
}

impl std::fmt::Debug for IoReportSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IoReportSource")
            .field("subscribed", &self.subscription.is_some())
            .field("why_not", &self.why_not)
            .field("meter", &self.meter)
            .finish()
    }
}

// SAFETY: CoreFoundation objects may be used from any thread as long as no two threads use one
// at once; the subscription is only touched through `&mut self`.
unsafe impl Send for IoReportSource {}

impl Default for IoReportSource {
    fn default() -> Self {
        IoReportSource::new()
    }
}

impl IoReportSource {
    /// Nothing is opened until the first read.
    pub fn new() -> IoReportSource {
        IoReportSource { subscription: None, why_not: None, meter: SocEnergyMeter::new() }
    }
}

impl PowerSource for IoReportSource {
    fn name(&self) -> &str {
        "IOReport"
    }

    fn read(&mut self, ctx: &ReadContext) -> PowerStatus {
        if let Some(reason) = &self.why_not {
            return PowerStatus::not_available(SOURCE, reason.clone());
        }
        if self.subscription.is_none() {
            match Subscription::open() {
                Ok(s) => self.subscription = Some(s),
                Err(reason) => {
                    self.why_not = Some(reason.clone());
                    return PowerStatus::not_available(SOURCE, reason);
                }
            }
        }
        let Some(subscription) = &self.subscription else {
            return PowerStatus::WarmingUp { source: SOURCE.into() };
        };
        let channels = match subscription.sample() {
            Ok(c) => c,
            Err(reason) => return PowerStatus::not_available(SOURCE, reason),
        };
        match self.meter.update(ctx.now, &channels) {
            SocStep::Power(p) => PowerStatus::Reading(PowerReading::measured(
                p.compute_w(),
                PowerKind::CpuPackage,
                SOURCE,
            )),
            SocStep::WarmingUp => PowerStatus::WarmingUp { source: SOURCE.into() },
            SocStep::Frozen => PowerStatus::not_available(
                SOURCE,
                "the CPU energy counters are not moving: macOS 27 and newer let only Apple's own \
                 tools read them",
            ),
            SocStep::NoChannels => {
                PowerStatus::not_available(SOURCE, "IOReport has no CPU energy channel on this Mac")
            }
            SocStep::UnknownUnit { channel, unit } => PowerStatus::not_available(
                SOURCE,
                format!("IOReport counts {channel} in {unit:?}, a unit Lightrig does not know"),
            ),
        }
    }
}
