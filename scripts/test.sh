#!/usr/bin/env bash
# Installs what the test suite needs, then runs all of it: formatting, lints, the UI's type
# check and unit tests, every Rust test (unit, integration, and end to end against the real
# practice node, lifeline and CLI), then the browser end-to-end test (Debian's Chromium against
# `lightrig serve`) and the desktop one (the real app under Xvfb via tauri-driver).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
export CARGO_TERM_COLOR=never
# A one-off build gains nothing from incremental state, which would add gigabytes to target/.
export CARGO_INCREMENTAL=0
disk() { echo "test: disk free where target/ is: $(df -h --output=avail "${CARGO_TARGET_DIR:-target}" 2>/dev/null | tail -1 || echo unknown)"; }
mkdir -p "${CARGO_TARGET_DIR:-target}"
disk
# The desktop crate is built once, with the UI embedded (custom-protocol); every cargo call
# below uses the same features so nothing is compiled twice.
FEATURES=(--features lightrig-desktop/custom-protocol)

if ! command -v cargo-nextest >/dev/null 2>&1; then
  echo "test: installing cargo-nextest from crates.io"
  cargo install cargo-nextest --locked
fi
if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "test: installing tauri-driver from crates.io"
  cargo install tauri-driver --locked
fi

echo "== UI: type check, unit tests, build"
npm run --silent ui:typecheck
npm run --silent ui:test
npm run --silent ui:build

echo "== Rust: format and lints"
cargo fmt --all -- --check
cargo clippy --locked --workspace --all-targets "${FEATURES[@]}" -- -D warnings

echo "== Rust: build (the tests run the real binaries)"
cargo build --locked --workspace --bins "${FEATURES[@]}"

echo "== Rust: tests"
disk
cargo nextest run --locked --workspace "${FEATURES[@]}" --profile ci

echo "== end to end: browser mode (Chromium) and the desktop app (Xvfb + tauri-driver)"
mkdir -p tests/artifacts
# A private session bus, as on a desktop: the single-instance check and the tray speak D-Bus.
timeout 900 dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" \
  node --test --test-concurrency=1 tests/e2e/
