//! The `lightrig` command end to end: real binary, real practice node, real signals.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

#[cfg(unix)]
mod compliance;
mod export;
#[cfg(unix)]
mod install;
#[cfg(unix)]
mod run;
#[cfg(unix)]
mod serve;
mod usage;

use std::path::Path;
use std::process::{Command, Output};

pub fn lightrig(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lightrig"));
    c.arg("--data-dir").arg(data).env_remove("LIGHTRIG_HOME").env("LIGHTRIG_LOG", "info");
    c
}

pub fn run_ok(c: &mut Command) -> Output {
    let out = c.output().expect("lightrig runs");
    assert!(out.status.success(), "{:?} failed: {}", c, String::from_utf8_lossy(&out.stderr));
    out
}
