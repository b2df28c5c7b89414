//! The parts of Mac power measurement that do not need a Mac: energy-counter arithmetic, the
//! unit labels of IOReport channels, and the SMC's key and value encodings. They compile on
//! every OS so the Linux test suite checks them with recorded values; the FFI that feeds them
//! lives in `energy::macos`, which only a Mac build compiles.
//!
//! - [`counter`]: cumulative energy counters (IOReport "Energy Model", `ri_energy_nj`) turned
//!   into watts, with wrap, reset and "counters frozen" (macOS 27) told apart from real power.
//! - [`smc`]: four-character SMC keys and the `flt`, `spXY`, `fpXY` and integer value types the
//!   SMC returns power in, plus the request struct the AppleSMC user client expects.

pub mod counter;
pub mod smc;

#[cfg(test)]
mod tests;

pub use counter::{
    EnergyUnit, MIN_INTERVAL, SocChannel, SocEnergyMeter, SocPart, SocPower, SocStep, counter_delta,
};
pub use smc::{SmcError, SmcKeyData, SmcKeyInfo, decode_smc_value, fourcc, fourcc_name};
