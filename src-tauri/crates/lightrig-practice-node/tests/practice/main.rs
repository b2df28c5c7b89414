//! Integration tests: each spawns the real practice-node binary and drives it over its HTTP
//! API, its signals and its exit codes, the way Lightrig's supervisor will.

// Test helpers outside #[test] functions fail loudly by design, as the tests themselves may.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api;
mod args;
mod faults;
mod shutdown;
mod support;
