//! Engine integration tests: the supervisor contract against real processes (shell scripts
//! and the practice node), leftovers, and the lifeline. One test binary for the crate.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

#[cfg(unix)]
mod support;

#[cfg(unix)]
mod leftovers;
#[cfg(unix)]
mod practice;
#[cfg(unix)]
mod supervisor_contract;
