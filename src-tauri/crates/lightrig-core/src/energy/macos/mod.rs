//! macOS power sources, without sudo (energy.md §1.2):
//! - [`SmcPowerSource`]: SMC power keys — `PSTR`, the whole Mac's power on the DC side (Apple
//!   Silicon and many Intel Macs), and `PCPC`, the CPU package on Intel Macs;
//! - [`IoReportSource`]: Apple Silicon SoC energy (CPU + GPU + Neural Engine) from IOReport's
//!   "Energy Model" counters;
//! - [`ProcessEnergySource`]: the node's own energy from `proc_pid_rusage` (`ri_energy_nj`).
//!
//! The machine ladder is `PSTR` → IOReport → `PCPC` → model (`energy::default_ladder`).
//!
//! Not done: macOS 27 stopped updating the "Energy Model" CPU and ANE counters for apps
//! without a private entitlement; macmon ≥ 0.10 reads hidden AppleCLPC reports instead, with
//! per-chip report IDs. Here frozen counters are detected and said so ("not available"), and
//! the ladder moves on — to `PSTR` above it, which the SMC still answers, or to the model.
//!
//! Everything that can be checked without a Mac (counter deltas, unit labels, SMC encodings)
//! is in `energy::apple`; these files hold only the FFI.

mod ioreport;
mod process;
mod smc;

pub use ioreport::IoReportSource;
pub use process::ProcessEnergySource;
pub use smc::SmcPowerSource;
