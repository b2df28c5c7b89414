#!/usr/bin/env bash
# Builds Lightrig and starts it on its embedded default: the practice node, offline, with
# simulated rewards. Ctrl-C stops it and leaves nothing running. Extra arguments go to
# `lightrig run` (e.g. `--set threads=2`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo build --release --locked --workspace --bins
exec target/release/lightrig run practice "$@"
