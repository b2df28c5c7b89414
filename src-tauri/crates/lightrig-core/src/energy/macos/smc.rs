//! SMC power keys through the AppleSMC IOKit user client, which any user may open (Stats and
//! macmon read it without sudo; energy.md §1.2). The protocol and value decoding live in
//! `energy::apple::smc`, tested on every OS; this file only makes the IOKit calls.

use std::ffi::{CStr, c_char, c_void};

use crate::energy::apple::{SmcError, SmcKeyData, SmcKeyInfo, fourcc, smc};
use crate::energy::reading::{PowerKind, PowerReading, PowerSource, PowerStatus, ReadContext};

type KernReturn = i32;
type MachPort = u32;
type IoObject = u32;

#[link(name = "IOKit", kind = "framework")]
unsafe extern "C" {
    fn IOServiceMatching(name: *const c_char) -> *mut c_void;
    fn IOServiceGetMatchingServices(
        main_port: MachPort,
        matching: *mut c_void,
        existing: *mut IoObject,
    ) -> KernReturn;
    fn IOIteratorNext(iterator: IoObject) -> IoObject;
    fn IORegistryEntryGetName(entry: IoObject, name: *mut c_char) -> KernReturn;
    fn IOObjectRelease(object: IoObject) -> KernReturn;
    fn IOServiceOpen(
        service: IoObject,
        owning_task: MachPort,
        kind: u32,
        connect: *mut IoObject,
    ) -> KernReturn;
    fn IOServiceClose(connect: IoObject) -> KernReturn;
    fn IOConnectCallStructMethod(
        connection: IoObject,
        selector: u32,
        input: *const c_void,
        input_size: usize,
        output: *mut c_void,
        output_size: *mut usize,
    ) -> KernReturn;
}

unsafe extern "C" {
    /// The task's own port; C code reaches it through a macro, the function is exported too.
    fn mach_task_self() -> MachPort;
}

/// An open connection to the SMC.
#[derive(Debug)]
struct SmcConnection {
    connect: IoObject,
}

impl SmcConnection {
    /// Opens the SMC: on Apple Silicon the `AppleSMCKeysEndpoint` service answers key reads, on
    /// Intel Macs the one `AppleSMC` service does.
    fn open() -> Result<SmcConnection, SmcError> {
        let open_err = |reason: String| SmcError::Open { reason };
        let mut iterator: IoObject = 0;
        // SAFETY: the name is a NUL-terminated literal; IOServiceGetMatchingServices consumes
        // the matching dictionary IOServiceMatching created (it is not released here) and
        // writes an iterator we release below.
        let rc = unsafe {
            let matching = IOServiceMatching(c"AppleSMC".as_ptr());
            if matching.is_null() {
                return Err(open_err("IOServiceMatching(AppleSMC) failed".into()));
            }
            IOServiceGetMatchingServices(0, matching, &mut iterator)
        };
        if rc != 0 || iterator == 0 {
            return Err(open_err(format!("no AppleSMC service (IOKit code {rc:#x})")));
        }
        let mut chosen: Option<IoObject> = None;
        loop {
            // SAFETY: `iterator` is a live iterator from IOServiceGetMatchingServices.
            let service = unsafe { IOIteratorNext(iterator) };
            if service == 0 {
                break;
            }
            let mut name = [0 as c_char; 128];
            // SAFETY: io_name_t is 128 bytes; IOKit writes a NUL-terminated name into it.
            let named = unsafe { IORegistryEntryGetName(service, name.as_mut_ptr()) } == 0;
            // SAFETY: on success the buffer holds a NUL-terminated string within its 128 bytes.
            let is_endpoint = named
                && unsafe { CStr::from_ptr(name.as_ptr()) }.to_bytes() == b"AppleSMCKeysEndpoint";
            match chosen {
                None => chosen = Some(service),
                Some(previous) if is_endpoint => {
                    // SAFETY: `previous` is a service object this loop owns and no longer needs.
                    unsafe { IOObjectRelease(previous) };
                    chosen = Some(service);
                }
                Some(_) => {
                    // SAFETY: as above, an owned service object that is not used.
                    unsafe { IOObjectRelease(service) };
                }
            }
        }
        // SAFETY: the iterator is ours and finished with.
        unsafe { IOObjectRelease(iterator) };
        let service = chosen.ok_or_else(|| open_err("no AppleSMC service".into()))?;
        let mut connect: IoObject = 0;
        // SAFETY: `service` is a live service object; IOServiceOpen writes a connection handle,
        // after which the service object itself may be released.
        let rc = unsafe {
            let rc = IOServiceOpen(service, mach_task_self(), 0, &mut connect);
            IOObjectRelease(service);
            rc
        };
        if rc != 0 || connect == 0 {
            return Err(open_err(format!("IOServiceOpen refused (IOKit code {rc:#x})")));
        }
        Ok(SmcConnection { connect })
    }

    fn call(&self, input: &SmcKeyData) -> Result<SmcKeyData, SmcError> {
        let mut output = SmcKeyData::default();
        let mut output_size = std::mem::size_of::<SmcKeyData>();
        // SAFETY: input and output are valid 80-byte SMCKeyData_t structs (layout pinned by the
        // asserts in apple::smc) and the sizes passed are theirs.
        let rc = unsafe {
            IOConnectCallStructMethod(
                self.connect,
                smc::SELECTOR_HANDLE_YPC_EVENT,
                (input as *const SmcKeyData).cast(),
                std::mem::size_of::<SmcKeyData>(),
                (&raw mut output).cast(),
                &mut output_size,
            )
        };
        if rc != 0 {
            return Err(SmcError::Call { code: rc });
        }
        output.check(input.key)?;
        Ok(output)
    }

    fn key_info(&self, key: u32) -> Result<SmcKeyInfo, SmcError> {
        Ok(self.call(&SmcKeyData::key_info_request(key))?.key_info)
    }

    fn read(&self, key: u32, info: SmcKeyInfo) -> Result<f64, SmcError> {
        self.call(&SmcKeyData::read_request(key, info))?.value(info)
    }
}

impl Drop for SmcConnection {
    fn drop(&mut self) {
        // SAFETY: the connection was opened by IOServiceOpen and is closed exactly once.
        unsafe { IOServiceClose(self.connect) };
    }
}

/// One SMC power key as a rung of the ladder.
///
/// `PSTR` is the SMC's "system total" power: the whole Mac (SoC, memory, display, drives,
/// fans) measured on the DC side of the power adapter or battery. No [`PowerKind`] names that
/// exactly. It is reported as [`PowerKind::Wall`], the kind for "the whole machine", because it
/// covers everything the machine draws — the only thing it misses is the adapter's own loss
/// (roughly 5-10 %), so the electricity cost shown is slightly low, never inflated by a
/// guessed efficiency. The source text says "system power (SMC PSTR)" so nobody mistakes it for
/// a plug meter. `PCPC` (Intel Macs: the CPU package) is [`PowerKind::CpuPackage`].
#[derive(Debug)]
pub struct SmcPowerSource {
    key: &'static str,
    kind: PowerKind,
    label: &'static str,
    state: SmcState,
}

#[derive(Debug)]
enum SmcState {
    Unopened,
    Open {
        connection: SmcConnection,
        key: u32,
        info: SmcKeyInfo,
    },
    /// Opening or finding the key failed; the Mac's hardware does not change while the app
    /// runs, so it is not retried every second.
    Failed(String),
}

// SAFETY: the state holds an IOKit connection handle (a Mach port number), which any thread may
// use; the source is only used through `&mut self`, so calls never overlap.
unsafe impl Send for SmcPowerSource {}

/// Above this no desk or lap Mac draws power: a value this high is a misread.
const MAX_PLAUSIBLE_W: f64 = 2_000.0;

impl SmcPowerSource {
    /// The whole Mac's power, `PSTR`.
    pub fn system() -> SmcPowerSource {
        SmcPowerSource::new("PSTR", PowerKind::Wall, "system power (SMC PSTR, DC side)")
    }

    /// The CPU package, `PCPC` (Intel Macs).
    pub fn cpu_package() -> SmcPowerSource {
        SmcPowerSource::new("PCPC", PowerKind::CpuPackage, "CPU package power (SMC PCPC)")
    }

    fn new(key: &'static str, kind: PowerKind, label: &'static str) -> SmcPowerSource {
        SmcPowerSource { key, kind, label, state: SmcState::Unopened }
    }

    fn open(&self) -> Result<SmcState, SmcError> {
        let key = fourcc(self.key)?;
        let connection = SmcConnection::open()?;
        let info = connection.key_info(key)?;
        Ok(SmcState::Open { connection, key, info })
    }
}

impl PowerSource for SmcPowerSource {
    fn name(&self) -> &str {
        self.key
    }

    fn read(&mut self, _ctx: &ReadContext) -> PowerStatus {
        if matches!(self.state, SmcState::Unopened) {
            self.state = self.open().unwrap_or_else(|e| SmcState::Failed(e.to_string()));
        }
        let watts = match &self.state {
            SmcState::Open { connection, key, info } => connection.read(*key, *info),
            SmcState::Failed(reason) => return PowerStatus::not_available(self.label, reason),
            SmcState::Unopened => return PowerStatus::WarmingUp { source: self.label.into() },
        };
        match watts {
            // 0 W from a running Mac means the key is not fed on this model: unknown, not 0.
            Ok(w) if w.is_finite() && w > 0.0 && w < MAX_PLAUSIBLE_W => {
                PowerStatus::Reading(PowerReading::measured(w, self.kind, self.label))
            }
            Ok(w) => PowerStatus::not_available(
                self.label,
                format!("the SMC reported {w} W for {}, which is not a usable power", self.key),
            ),
            Err(e) => PowerStatus::not_available(self.label, e.to_string()),
        }
    }
}
