//! NVIDIA GPU power and temperature through NVML, loaded at run time (`libnvidia-ml.so.1`,
//! `nvml.dll`), so nothing NVIDIA is needed to build and a machine without the driver simply
//! has no GPU rung ("not available", not an error). NVML needs no extra permissions
//! (energy.md §1.4). `nvmlDeviceGetPowerUsage` is in mW; on Ampere and newer it is a 1 s
//! average, on older parts accurate to ±5 %.

use std::ffi::{CStr, c_char, c_int, c_uint, c_void};
use std::path::PathBuf;

use libloading::Library;

use super::reading::{PowerKind, PowerReading, PowerSource, PowerStatus, ReadContext};

type NvmlReturn = c_int;
type Device = *mut c_void;
const NVML_SUCCESS: NvmlReturn = 0;
/// `NVML_TEMPERATURE_GPU`.
const TEMPERATURE_GPU: c_int = 0;

type InitFn = unsafe extern "C" fn() -> NvmlReturn;
type CountFn = unsafe extern "C" fn(*mut c_uint) -> NvmlReturn;
type HandleFn = unsafe extern "C" fn(c_uint, *mut Device) -> NvmlReturn;
type PowerFn = unsafe extern "C" fn(Device, *mut c_uint) -> NvmlReturn;
type TempFn = unsafe extern "C" fn(Device, c_int, *mut c_uint) -> NvmlReturn;
type NameFn = unsafe extern "C" fn(Device, *mut c_char, c_uint) -> NvmlReturn;
/// `NVML_DEVICE_NAME_V2_BUFFER_SIZE`.
const NAME_BUFFER: usize = 96;

/// Where NVML lives with a standard driver install.
pub fn default_library_paths() -> Vec<PathBuf> {
    if cfg!(windows) {
        vec![
            PathBuf::from("nvml.dll"),
            PathBuf::from(r"C:\Program Files\NVIDIA Corporation\NVSMI\nvml.dll"),
        ]
    } else if cfg!(target_os = "linux") {
        vec![PathBuf::from("libnvidia-ml.so.1"), PathBuf::from("libnvidia-ml.so")]
    } else {
        // NVIDIA has shipped no macOS driver with NVML since 2019.
        Vec::new()
    }
}

struct Loaded {
    power: PowerFn,
    temperature: TempFn,
    shutdown: InitFn,
    devices: Vec<Device>,
    /// Each device's marketing name ("NVIDIA GeForce RTX 3060"), or "GPU <index>".
    names: Vec<String>,
    /// Kept last so the function pointers above stay valid while it lives.
    _library: Library,
}

/// NVIDIA GPUs, summed.
pub struct NvmlSource {
    loaded: Option<Loaded>,
    why_not: String,
}

impl std::fmt::Debug for NvmlSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NvmlSource")
            .field("devices", &self.loaded.as_ref().map_or(0, |l| l.devices.len()))
            .field("why_not", &self.why_not)
            .finish()
    }
}

// SAFETY: NVML is documented as thread-safe ("NVML is thread-safe so it is safe to make
// simultaneous NVML calls from multiple threads"), and device handles stay valid until
// nvmlShutdown, which only Drop calls.
unsafe impl Send for NvmlSource {}

impl NvmlSource {
    /// Loads NVML from the standard places.
    pub fn load() -> NvmlSource {
        Self::load_from(&default_library_paths())
    }

    /// Loads NVML from the first of `paths` that opens.
    pub fn load_from(paths: &[PathBuf]) -> NvmlSource {
        let mut errors = Vec::new();
        for path in paths {
            // SAFETY: loading runs the library's initialisers; NVML's are the vendor's and have
            // no preconditions on the caller.
            match unsafe { Library::new(path) } {
                Ok(library) => match init(library) {
                    Ok(loaded) => {
                        return NvmlSource { loaded: Some(loaded), why_not: String::new() };
                    }
                    Err(e) => errors.push(format!("{}: {e}", path.display())),
                },
                Err(e) => errors.push(format!("{}: {e}", path.display())),
            }
        }
        let why_not = if paths.is_empty() {
            "NVML does not exist on this operating system".to_owned()
        } else {
            format!("no NVIDIA driver library (NVML) could be loaded ({})", errors.join("; "))
        };
        NvmlSource { loaded: None, why_not }
    }

    /// GPU temperatures in °C, one per device, labelled "GPU <name>" ("GPU <index> <name>"
    /// with several cards); `None` where a device does not report one ("not available",
    /// never 0 °C).
    pub fn temperatures(&self) -> Vec<(String, Option<f32>)> {
        let Some(l) = &self.loaded else { return Vec::new() };
        let several = l.devices.len() > 1;
        l.devices
            .iter()
            .zip(&l.names)
            .enumerate()
            .map(|(i, (d, name))| {
                let mut celsius: c_uint = 0;
                // SAFETY: `d` came from nvmlDeviceGetHandleByIndex_v2 and NVML is initialised.
                let rc = unsafe { (l.temperature)(*d, TEMPERATURE_GPU, &mut celsius) };
                let label = if several { format!("GPU {i} {name}") } else { format!("GPU {name}") };
                (label, (rc == NVML_SUCCESS).then_some(celsius as f32))
            })
            .collect()
    }
}

/// Looks up one function. The copy outlives the `Symbol` borrow; `Loaded` keeps the library
/// alive for as long as the copy is used.
fn sym<T: Copy>(library: &Library, name: &str) -> Result<T, String> {
    // SAFETY: `T` is the function type of NVML's C prototype for `name` (nvml.h); each returns
    // nvmlReturn_t (an int enum) and takes the listed arguments.
    unsafe { library.get::<T>(name.as_bytes()).map(|s| *s) }
        .map_err(|e| format!("{} missing: {e}", name.trim_end_matches('\0')))
}

fn init(library: Library) -> Result<Loaded, String> {
    let init: InitFn = sym(&library, "nvmlInit_v2\0")?;
    let shutdown: InitFn = sym(&library, "nvmlShutdown\0")?;
    let count: CountFn = sym(&library, "nvmlDeviceGetCount_v2\0")?;
    let handle: HandleFn = sym(&library, "nvmlDeviceGetHandleByIndex_v2\0")?;
    let power: PowerFn = sym(&library, "nvmlDeviceGetPowerUsage\0")?;
    let temperature: TempFn = sym(&library, "nvmlDeviceGetTemperature\0")?;
    // SAFETY: the pointers come from a loaded NVML with the prototypes above; the out-pointers
    // point at live locals.
    let devices = unsafe {
        let rc = init();
        if rc != NVML_SUCCESS {
            return Err(format!(
                "nvmlInit_v2 failed with code {rc} (is the NVIDIA driver loaded?)"
            ));
        }
        let mut n: c_uint = 0;
        let rc = count(&mut n);
        if rc != NVML_SUCCESS {
            shutdown();
            return Err(format!("nvmlDeviceGetCount_v2 failed with code {rc}"));
        }
        let mut devices = Vec::new();
        for i in 0..n {
            let mut device: Device = std::ptr::null_mut();
            if handle(i, &mut device) == NVML_SUCCESS && !device.is_null() {
                devices.push(device);
            }
        }
        devices
    };
    // Names only label the figures: a library without the symbol still gives power.
    let name: Option<NameFn> = sym(&library, "nvmlDeviceGetName\0").ok();
    let names = devices
        .iter()
        .enumerate()
        .map(|(i, d)| {
            // SAFETY: `f` is this NVML's nvmlDeviceGetName, initialised above; `d` its handle.
            name.and_then(|f| unsafe { device_name(f, *d) }).unwrap_or_else(|| format!("GPU {i}"))
        })
        .collect();
    Ok(Loaded { power, temperature, shutdown, devices, names, _library: library })
}

/// A device's name, if NVML gives a readable one.
///
/// # Safety
/// `f` is `nvmlDeviceGetName` of an initialised NVML and `device` one of its handles.
unsafe fn device_name(f: NameFn, device: Device) -> Option<String> {
    let mut buf = [0 as c_char; NAME_BUFFER];
    // SAFETY: the buffer is NAME_BUFFER long and NVML writes at most `length` bytes, NUL
    // included (nvml.h).
    let rc = unsafe { f(device, buf.as_mut_ptr(), NAME_BUFFER as c_uint) };
    if rc != NVML_SUCCESS {
        return None;
    }
    buf[NAME_BUFFER - 1] = 0;
    // SAFETY: the buffer is NUL-terminated (set above) and lives for this call.
    let name = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().trim().to_owned();
    (!name.is_empty()).then_some(name)
}

impl Drop for NvmlSource {
    fn drop(&mut self) {
        if let Some(l) = &self.loaded {
            // SAFETY: NVML was initialised in `init`; this is the matching shutdown.
            unsafe { (l.shutdown)() };
        }
    }
}

impl PowerSource for NvmlSource {
    fn name(&self) -> &str {
        "NVML"
    }

    fn read(&mut self, _ctx: &ReadContext) -> PowerStatus {
        let Some(l) = &self.loaded else {
            return PowerStatus::not_available("NVML", self.why_not.clone());
        };
        let mut milliwatts: u64 = 0;
        let mut counted = Vec::new();
        for (d, name) in l.devices.iter().zip(&l.names) {
            let mut mw: c_uint = 0;
            // SAFETY: as in `temperatures`.
            if unsafe { (l.power)(*d, &mut mw) } == NVML_SUCCESS {
                milliwatts += u64::from(mw);
                counted.push(name.as_str());
            }
        }
        if counted.is_empty() {
            return PowerStatus::not_available(
                "NVML",
                format!("{} NVIDIA GPU(s), none reports its power draw", l.devices.len()),
            );
        }
        // "NVIDIA GeForce RTX 3060 (NVML)": the card a user recognises, and where it came from.
        let source = format!("{} (NVML)", counted.join(", "));
        PowerStatus::Reading(PowerReading::measured(
            milliwatts as f64 / 1000.0,
            PowerKind::Gpu,
            source,
        ))
    }
}
