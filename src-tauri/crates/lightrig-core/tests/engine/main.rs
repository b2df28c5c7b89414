//! Engine integration tests: the supervisor contract against real processes (shell scripts,
//! the practice node and Debian's monerod), leftovers, and the lifeline. One test binary for
//! the crate.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

#[cfg(unix)]
mod support;

#[cfg(unix)]
mod leftovers;
#[cfg(target_os = "linux")]
mod monerod;
#[cfg(target_os = "linux")]
mod no_stealth;
#[cfg(unix)]
mod one_engine;
#[cfg(unix)]
mod practice;
#[cfg(unix)]
mod secrets;
#[cfg(unix)]
mod supervisor_contract;
