#!/usr/bin/env bash
# Installs what the test suite needs, then runs all of it: formatting, lints, and every test
# (unit, integration, end-to-end against the real practice node and the real CLI).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
export CARGO_TERM_COLOR=never

if ! command -v cargo-nextest >/dev/null 2>&1; then
  echo "test: installing cargo-nextest from crates.io"
  cargo install cargo-nextest --locked
fi

echo "== format"
cargo fmt --all -- --check
echo "== lints"
cargo clippy --locked --workspace --all-targets -- -D warnings
echo "== build"
# The supervisor tests run the real practice node and lifeline binaries: build them first.
cargo build --locked --workspace --bins
echo "== tests"
cargo nextest run --locked --workspace --profile ci
