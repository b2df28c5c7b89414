//! Installer tests. Everything is served from a local HTTP server on 127.0.0.1 that each test
//! starts; keys, signatures and archives are made on the spot. The programs inside good
//! archives are tiny shell scripts, so these tests run on Unix.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed unwrap is a failed test

#[cfg(unix)]
mod api;
#[cfg(unix)]
mod archives;
#[cfg(unix)]
mod downloads;
#[cfg(unix)]
mod fixtures;
#[cfg(unix)]
mod install;
#[cfg(unix)]
mod launch;
#[cfg(unix)]
mod manifests;
#[cfg(unix)]
mod resolve;
#[cfg(unix)]
mod server;
#[cfg(unix)]
mod signatures;
