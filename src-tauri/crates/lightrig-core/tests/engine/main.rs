//! Engine integration tests: the supervisor contract against real processes (shell scripts
//! and the practice node), leftovers, and the lifeline. One test binary for the crate.

mod support;

#[cfg(unix)]
mod supervisor_contract;
#[cfg(unix)]
mod leftovers;
#[cfg(unix)]
mod practice;
