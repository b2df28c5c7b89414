//! The `lightrig` command end to end: real binary, real practice node, real signals.

#[cfg(unix)]
mod run;
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
