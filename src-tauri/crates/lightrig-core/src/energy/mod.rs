//! Energy: measured power, tariffs, thermals and honest earnings estimates.
//!
//! What a participant asks first is "what do I really make after electricity?". This module
//! measures instead of guessing wherever it can, and says which it did:
//! - [`reading`]: a [`PowerReading`] always carries what it covers (wall, CPU package, GPU,
//!   battery, process, model), whether it was measured or estimated, and its source. Sources
//!   form a [`PowerLadder`] per OS (RAPL → battery → model on Linux; PDH Energy Meter → model
//!   on Windows; SMC `PSTR` → IOReport → SMC `PCPC` → model on macOS); GPUs (NVML, amdgpu)
//!   are read beside it.
//! - [`model`]: the estimate when nothing measures — CPU power limits shipped as data, the
//!   user's own figure, or a plug-meter calibration.
//! - [`baseline`]: the node's marginal power above an idle baseline the app measures itself.
//! - [`tariff`]: flat, time-of-use and imported hourly prices, integrated per interval in the
//!   tariff's time zone (jiff with its bundled tz database, so DST is right everywhere).
//! - [`account`]: ~1 Hz samples in, exact energy and cost per minute/hour out.
//! - [`yields`], [`economics`], [`carbon`], [`thermal`]: expected earnings with their spread
//!   (never added to pending or paid), net result, break-even price, H/J, CO₂, temperatures.
//!
//! Money and energy are integers (see [`units`] for why).

pub mod account;
pub mod apple;
pub mod baseline;
pub mod carbon;
pub mod economics;
pub mod error;
pub mod gpu;
pub mod model;
pub mod nvml;
pub mod reading;
pub mod sysfs;
pub mod tariff;
pub mod thermal;
pub mod units;
pub mod yields;

#[cfg(target_os = "macos")]
pub mod macos;
#[cfg(windows)]
pub mod windows;

#[cfg(test)]
mod tests;

pub use account::{AccountTotals, EnergyAccount, EnergyRollup};
pub use baseline::{
    Baseline, BaselineStatus, BaselineTracker, CostBasis, MarginalPower, PsuEfficiency,
};
pub use reading::{
    LadderReading, PermissionNeeded, PowerKind, PowerLadder, PowerReading, PowerSource,
    PowerStatus, ReadContext,
};
pub use tariff::{PriceSpan, Tariff, TariffError};
pub use units::{Cost, Currency, Energy, Money, Price};

/// The machine-wide ladder for this OS, ending in `model` (which always answers once the CPU
/// load is known).
pub fn default_ladder(model: model::ModelSource) -> PowerLadder {
    let mut ladder = PowerLadder::default();
    #[cfg(target_os = "linux")]
    {
        ladder.push(Box::new(sysfs::RaplSource::new(sysfs::Sysfs::system())));
        ladder.push(Box::new(sysfs::BatterySource::new(sysfs::Sysfs::system())));
    }
    #[cfg(windows)]
    ladder.push(Box::new(windows::PdhEnergyMeterSource::new()));
    #[cfg(target_os = "macos")]
    {
        // The whole Mac first; the SoC or CPU package when the SMC has no system power key.
        ladder.push(Box::new(macos::SmcPowerSource::system()));
        ladder.push(Box::new(macos::IoReportSource::new()));
        ladder.push(Box::new(macos::SmcPowerSource::cpu_package()));
    }
    ladder.push(Box::new(model));
    ladder
}

/// GPU sources for this OS: NVML everywhere it exists, amdgpu hwmon on Linux. Their readings
/// add to the machine's, unlike the rungs of a ladder.
pub fn default_gpu_sources() -> Vec<Box<dyn PowerSource>> {
    let mut sources: Vec<Box<dyn PowerSource>> = vec![Box::new(nvml::NvmlSource::load())];
    if cfg!(target_os = "linux") {
        sources.push(Box::new(sysfs::AmdGpuSource::new(sysfs::Sysfs::system())));
    }
    sources
}
