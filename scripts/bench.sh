#!/usr/bin/env bash
# Produces the figures in docs/benchmarks.md (release builds). Not part of the test suite:
# nothing here fails on a time.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -srm); date: $(date -u +%F)"
cargo build --release --locked --workspace --bins
cargo build --release --locked -p lightrig-core --examples
target/release/examples/telemetry_sample_cost
# A year of rollups in a temporary ledger: chart query times and file size (docs/benchmarks.md,
# Energy). Takes about 40 s and 270 MB of temporary disk.
target/release/examples/ledger_year_bench
target/release/examples/adapter_poll_bench
target/release/examples/engine_bench "$@"
